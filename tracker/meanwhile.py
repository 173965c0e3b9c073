"""Work a request hands to another thread, with a database connection of its own.

A page of the pledge table waits on two reads that do not depend on each other: its totals (a
GROUP BY over the roll-up, the costliest of its queries at a million pledges) and its rows (the
ids of the page, then the rows and their markup). ``meanwhile`` starts the first on a thread of
this process, which reads on its own connection, while the request goes on with the second: on
PostgreSQL the page then takes about as long as the slower of the two, not both.

The dashboard reads its charts, and a donor page its breakdowns, the same way beside the table.

Only on PostgreSQL, and only outside a transaction. Inside one (``ATOMIC_REQUESTS``, a test
case, a management command's ``atomic``) another connection would not see the transaction's
own writes; SQLite serves the demo data, where nothing takes long enough to overlap. There the
work runs inline, at once, and ``result()`` returns what it returned.

The thread works in the request's language, its queries go through the same
``execute_wrapper`` hooks as the request's (query logging, the benchmark's capture), and its
connection is closed when unusable or too old, as Django does for each request's. Work handed
over runs inline in the thread it was handed to if it hands over more: no thread ever waits for
another of the same pool, which could otherwise all be waiting.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Generic, Protocol, TypeVar

from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

T = TypeVar("T")

#: Databases whose reads overlap well enough to run two of a request's at once.
OVERLAPPING_VENDORS = frozenset({"postgresql"})
#: Threads per process: one per request a worker serves at a time, with room to spare. Each
#: holds one connection while it lives.
THREADS = 4


class Pending(Protocol[T]):
    def result(self) -> T: ...


class Done(Generic[T]):
    """Work that ran inline: ``result()`` is what it returned."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def result(self) -> T:
        return self.value


_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()
#: The connections the threads opened, for ``shutdown`` to close.
_opened: set[BaseDatabaseWrapper] = set()


def executor() -> ThreadPoolExecutor:
    """This process's threads, started on first use: a forked worker (gunicorn) gets its own,
    since a parent's threads do not survive the fork."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(
                max_workers=THREADS, thread_name_prefix="meanwhile", initializer=_mark_pool
            )
            _executor_pid = os.getpid()
        return _executor


def shutdown() -> None:
    """Stop this process's threads and close their connections: what a test run does before
    it drops the test database, which PostgreSQL refuses while anyone is connected."""
    global _executor
    with _executor_lock:
        stopping, _executor = _executor, None
    if stopping is None:
        return
    stopping.shutdown(wait=True)
    while _opened:
        connection = _opened.pop()
        # Its thread has ended: nobody else can be using it.
        connection.inc_thread_sharing()
        try:
            connection.close()
        finally:
            connection.dec_thread_sharing()


def overlaps(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether work on ``using`` may run on another connection now."""
    connection = connections[using]
    return connection.vendor in OVERLAPPING_VENDORS and not connection.in_atomic_block


def meanwhile(
    function: Callable[..., T], *args, using: str = DEFAULT_DB_ALIAS, **kwargs
) -> Pending[T]:
    """``function(*args, **kwargs)``, on another thread and connection when the database
    allows (``overlaps``), else at once; ``result()`` waits for it and returns its value or
    raises its exception.

    ``function`` must only read, and take no state of the request's thread with it beyond its
    arguments and the active language.
    """
    if getattr(_inside, "pool", False) or not overlaps(using):
        return Done(function(*args, **kwargs))
    wrappers = list(connections[using].execute_wrappers)
    language = translation.get_language()
    future: Future[T] = executor().submit(_run, using, wrappers, language, function, args, kwargs)
    return future


#: ``pool`` is set in the pool's threads.
_inside = threading.local()


def _mark_pool() -> None:
    _inside.pool = True


def _run(
    using: str,
    wrappers: list,
    language: str | None,
    function: Callable[..., T],
    args: tuple,
    kwargs: dict,
) -> T:
    # What Django does around each request, for the thread's own connection.
    close_old_connections()
    try:
        with ExitStack() as stack:
            stack.enter_context(translation.override(language))
            connection = connections[using]
            _opened.add(connection)
            for wrapper in wrappers:
                stack.enter_context(connection.execute_wrapper(wrapper))
            return function(*args, **kwargs)
    finally:
        close_old_connections()
