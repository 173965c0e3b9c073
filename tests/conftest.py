from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, settings

# The same examples on every run (CI must not pass by luck), none kept between runs, no time
# limit per example (a shared CI machine varies). HYPOTHESIS_PROFILE=explore tries new ones.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    # The examples of one test share its database and client: they only read.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("explore", parent=settings.get_profile("ci"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEED_FIXTURES = ("reference", "articles", "demo_pledges")


@pytest.fixture(autouse=True)
def language_reset():
    """A request in German leaves German active in the thread (LocaleMiddleware does not undo
    it), and messages of the next test would come out in German: each test starts in English."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def data_version_moves_at_once(request, monkeypatch):
    """Each test starts with an empty cache (tests/settings.py). A test's transaction never
    commits, so the hooks that give the data a new version on commit (tracker/cache.py) would
    never run, and a page read again after a write would show the cached figures: here they
    run at once. Tests that commit, and those marked ``on_commit_hooks`` (which run the hooks
    themselves), keep them as they are."""
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    commits = marker is not None and marker.kwargs.get("transaction", False)
    commits = commits or bool({"transactional_db", "live_server"} & set(request.fixturenames))
    if not commits and request.node.get_closest_marker("on_commit_hooks") is None:
        monkeypatch.setattr("tracker.cache.on_commit", lambda hook, using=None: hook())


@pytest.fixture
def no_cache(settings):
    """No cache: query counts pin the SQL a page runs for its figures. What the cache adds on
    a miss and saves on a hit is pinned in tests/test_tracker_cache.py."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def seeded(request, db):
    """The database `make run` serves: reference data, the five seed articles, demo pledges.
    In a class marked ``@pytest.mark.usefixtures("seeds_for_the_class")`` they are loaded once
    for the class."""
    if "seeds_for_the_class" not in request.fixturenames:
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture(scope="class")
def seeds_for_the_class(django_db_setup, django_db_blocker):
    """The seeds, loaded once for a class whose tests all read them, as Django's
    ``TestCase.setUpTestData`` does: in a transaction rolled back after the class. Each test runs
    in a savepoint inside it (pytest-django's ``db``), so what one test writes is gone before
    the next. Not for tests that commit: their commits would only be savepoints."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="a-long-editor-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def pysbd_reads(monkeypatch) -> list[int]:
    """The length of every text pysbd is given to split. More than 10,000 characters at once
    fails at once: read whole, a long paragraph took minutes (its time grows with the square
    of the length)."""
    import pysbd

    lengths: list[int] = []
    read = pysbd.Segmenter.segment

    def counted(self, text):
        lengths.append(len(text))
        assert len(text) <= 10_000, f"pysbd was given {len(text):,} characters at once"
        return read(self, text)

    monkeypatch.setattr(pysbd.Segmenter, "segment", counted)
    return lengths
