"""Cached reads keyed on the data's version: a cache that is never stale.

Every cached value is stored under a key that holds the data's current version, and every
write gives the data a new version once its transaction commits (``data_changed``). A read
after a write therefore looks under a key nobody has filled yet and computes afresh; values
under older versions are never read again and expire by their timeout. The pattern of the
djangoproject.com dashboard's "generation" key.

The analyst pages keep their rendered parts the same way, under the address and the language
(``{% cachedpart %}``, tracker/templatetags/cached_parts.py); their contexts hold values
computed ``lazily``, which only a missing part reads.

The cache is Django's (``CACHES["default"]``; ``"template_fragments"`` for the parts of pages):
the database cache, which every worker shares, or Redis with ``REDIS_URL``. A cache that fails
never fails a page: the value is computed, as without a cache, and the failure logged.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar, cast

from django.core.cache import BaseCache, cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.db.transaction import on_commit
from django.utils import translation
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "data-version"
#: Values outlive their version only until then; a new version leaves them unread anyway.
TIMEOUT = 60 * 60 * 24
_MISSING = object()


def data_version() -> str:
    """The version of the data now: a new random value after every committed write.

    Random rather than counted: the database cache's ``incr`` is a read then a write, so two
    writers committing together could both store the same next number, and a version key
    evicted and created again could start from a number already used. A new value is never
    one that older entries were stored under.
    """
    return str(cache.get_or_set(VERSION_KEY, _new_version, timeout=None))


def _new_version() -> str:
    return uuid.uuid4().hex


class _Writes(threading.local):
    """Per thread (a connection belongs to one), per database: the number of the last write
    announced, and the last write whose commit has bumped the version."""

    def __init__(self) -> None:
        self.announced: defaultdict[str, int] = defaultdict(int)
        self.bumped: defaultdict[str, int] = defaultdict(int)


_writes = _Writes()


def data_changed(*, using: str | None = None) -> None:
    """Give the data a new version once the current transaction on ``using`` commits (at once
    outside a transaction); nothing when it rolls back.

    A transaction that writes ten thousand rows announces ten thousand writes: the first of
    its hooks to run bumps the version once for all of them, the others find it done.
    """
    alias = using or DEFAULT_DB_ALIAS
    _writes.announced[alias] += 1
    on_commit(partial(_bump_once, alias, _writes.announced[alias]), using=alias)


def _bump_once(alias: str, write: int) -> None:
    if write <= _writes.bumped[alias]:
        return  # an earlier hook of the same commit bumped for this write
    _writes.bumped[alias] = _writes.announced[alias]
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=None)
    except Exception as error:
        logger.error("The cache failed: its values may be stale until they expire: %s", error)


def data_changed_receiver(sender, using: str | None = None, **kwargs) -> None:
    """``data_changed`` as a receiver of ``post_save``, ``post_delete`` and ``post_migrate``."""
    data_changed(using=using)


def cached(
    name: str, key_parts: Iterable[Any], compute: Callable[[], T], *, store: BaseCache = cache
) -> T:
    """``compute()``, stored under ``name``, the data's version and ``key_parts`` (whose
    ``repr`` must tell different reads apart) for a day, or until the data change; in
    ``store``, the default cache unless given."""
    try:
        digest = hashlib.sha256(repr(tuple(key_parts)).encode()).hexdigest()
        key = f"{name}:{data_version()}:{digest}"
        value = store.get(key, _MISSING)
    except Exception as error:
        # One line, not a traceback: with the database cache, a database that is down
        # says so here first, then on the page's own query (tracker.middleware).
        logger.error("The cache failed: %s computed without it: %s", name, error)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    try:
        store.set(key, value, timeout=TIMEOUT)
    except Exception as error:
        logger.error("The cache failed: %s not stored: %s", name, error)
    return value


def query_key(queryset: QuerySet) -> tuple:
    """What tells one read of ``queryset`` from another: its database, SQL and parameters."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, such as ``pk__in=[]``
        return (queryset.db, queryset.model._meta.label, "nothing")
    return (queryset.db, sql, params)


def language_key() -> str | None:
    """Labels, in the language of the request."""
    return translation.get_language()


def lazily(compute: Callable[[], T]) -> T:
    """``compute()``, worked out when first used and then kept: what a page's template reads
    only inside its ``{% cache %}`` parts, and so only when they are missing."""
    return cast(T, SimpleLazyObject(compute))
