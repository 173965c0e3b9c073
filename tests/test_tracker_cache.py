"""The cache is never stale: every write gives the data a new version once it commits."""

from __future__ import annotations

import logging
import re
import runpy
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from uuid import uuid4

import pytest
import tablib
from django.core.cache.backends.base import BaseCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.importing import articles_import
from articles.models import Sentence
from tests.conftest import SEED_FIXTURES
from tests.factories import PledgeFactory
from tracker import settings as settings_module
from tracker.cache import data_version
from tracker.models import Category, Donor, Pledge
from tracker.resources import PledgeResource
from tracker.selectors.search import pledges_search_refresh
from tracker.selectors.totals import pledge_totals, totals_overall
from tracker.services.duplicates import pledges_merge
from tracker.services.kiel import DATA_DIRECTORY, kiel_load
from tracker.services.rates import rates_update

UK = "united-kingdom"
PAGES = ("/", "/pledges/", "/donors/", f"/donors/{UK}/", "/reference/")
MILLION = Decimal(1_000_000)
HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}


def new_pledge(**fields) -> Pledge:
    """A million euros more for the United Kingdom, in 2025."""
    return PledgeFactory(
        donor=Donor.objects.get(slug=UK),
        category=Category.objects.filter(parent__isnull=False).first(),
        sentence=Sentence.objects.first(),
        **fields,
    )


@pytest.fixture(autouse=True)
def database_cache(settings):
    """The project's cache: a table of the database (tests/settings.py)."""
    settings.CACHES = {"default": settings.CACHES["database"]}


#: The first "… EUR" figure of a page: the total of its table (the overview's headline).
SHOWN_TOTAL = re.compile(r'title="([0-9,.]+) EUR"')


def figures(path: str, response) -> tuple:
    """What each page shows that a pledge of the United Kingdom changes, read from the page
    as sent: a page served from the cache computes none of its context."""
    html = response.content.decode()
    if path == "/reference/":
        context = response.context_data
        (uk,) = [row for row in context["comparison"].rows if row.donor and row.donor.slug == UK]
        return (uk.commitments.ours_eur,)
    total = Decimal(SHOWN_TOTAL.search(html)[1].replace(",", ""))
    if path == "/donors/":  # the largest donor's total: the United Kingdom's
        return (total,)
    if path.startswith("/donors/"):
        return (
            total,
            part(html, '<div class="breakdowns">', "</div>"),
            part(html, '<span data-figure="ours-committed">', "</span>"),
        )
    if path == "/":
        return (total, part(html, '<div class="chart-grid">', "</section>"))
    return (total,)


def part(html: str, start: str, end: str) -> str:
    """The piece of ``html`` from ``start`` to the first ``end`` after it."""
    assert start in html
    return html.split(start, 1)[1].split(end, 1)[0]


class TestAWriteShowsOnTheNextRequest:
    def test_every_cached_page_shows_a_saved_pledge(self, transactional_db, client):
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        kiel_load(directory=DATA_DIRECTORY)
        before = {}
        for path in PAGES:
            before[path] = figures(path, client.get(path))
            assert figures(path, client.get(path)) == before[path]  # from the cache

        new_pledge(amount=MILLION, currency="EUR", announced_on=date(2025, 6, 4))

        for path in PAGES:
            after = figures(path, client.get(path))
            assert after != before[path], path
            assert after[0] == before[path][0] + MILLION, path

    def test_a_deleted_pledge_goes_from_the_totals(self, transactional_db, client):
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        before = figures("/pledges/", client.get("/pledges/"))
        assert figures("/pledges/", client.get("/pledges/")) == before  # from the cache
        Pledge.objects.filter(amount_eur__isnull=False).first().delete()
        after = figures("/pledges/", client.get("/pledges/"))
        assert after[0] < before[0]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """The block, then its on-commit hooks, as a commit runs them."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def new_versions(db, monkeypatch) -> list[str]:
    """Every version made from now on."""
    data_version()
    made: list[str] = []

    def counted() -> str:
        made.append(uuid4().hex)
        return made[-1]

    monkeypatch.setattr("tracker.cache._new_version", counted)
    return made


def merge(tmp_path) -> None:
    keep, other = new_pledge(), new_pledge()
    PledgeFactory(donor=other.donor, part_of=other)
    pledges_merge(keep=keep, others=[other])


def import_article(tmp_path) -> None:
    text = tmp_path / "norway.txt"
    text.write_text(
        "url: https://example.org/aid/1\ntitle: Norway pledges more\npublished: 2025-06-04\n"
        "publisher: Example News\nlanguage: en\n\nNorway will send 15 more systems.\n"
    )
    articles_import(files=[text], fixture_path=tmp_path / "imported.json")


def import_pledges(tmp_path) -> None:
    dataset = PledgeResource().export()
    rows = dataset.dict
    rows[0]["amount"] = "1.00"
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][header] for header in dataset.headers])
    result = PledgeResource().import_data(changed)
    assert [row.import_type for row in result.rows] == ["update"]


#: Every way the data are written, each in one transaction.
WRITES = {
    "pledge saved": lambda tmp_path: new_pledge(),
    "pledge deleted": lambda tmp_path: Pledge.objects.filter(part_of=None).last().delete(),
    "donor renamed": lambda tmp_path: Donor.objects.filter(slug=UK).get().save(),
    "merge": merge,
    "loaddata": lambda tmp_path: call_command("loaddata", *SEED_FIXTURES, verbosity=0),
    "import_articles": import_article,
    "pledges imported in the admin": import_pledges,
    "rollup --rebuild": lambda tmp_path: call_command("rollup", "--rebuild", verbosity=0),
    "recompute_eur": lambda tmp_path: call_command("recompute_eur", verbosity=0),
    "load_kiel": lambda tmp_path: kiel_load(directory=DATA_DIRECTORY),
    "update_rates": lambda tmp_path: rates_update({"USD": {date(2025, 6, 4): Decimal("1.5")}}),
    "search words": lambda tmp_path: pledges_search_refresh(),
}


@pytest.mark.usefixtures("seeds_for_the_class")
@pytest.mark.on_commit_hooks
class TestEveryWriteChangesTheVersionOnceOnCommit:
    @pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
    def test_write(self, seeded, commit, new_versions, tmp_path, write):
        before = data_version()
        with commit():
            with transaction.atomic():
                write(tmp_path)
            assert data_version() == before  # not before the commit
        assert len(new_versions) == 1
        assert data_version() == new_versions[0]

    def test_migrate(self, seeded, commit, new_versions):
        with commit():
            call_command("migrate", verbosity=0)  # every upgrade: no page of the last release
        assert len(new_versions) == 1

    @pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
    def test_nothing_changes_when_the_write_rolls_back(
        self, seeded, commit, new_versions, tmp_path, write
    ):
        before = data_version()
        with commit() as hooks, pytest.raises(ZeroDivisionError), transaction.atomic():
            write(tmp_path)
            1 / 0  # noqa: B018
        assert hooks == []
        assert new_versions == []
        assert data_version() == before


@pytest.mark.on_commit_hooks
def test_load_demo_changes_the_version_once(commit, new_versions):
    with commit():
        call_command("load_demo", verbosity=0)
    assert Pledge.objects.exists()
    assert len(new_versions) == 1


@pytest.mark.usefixtures("seeds_for_the_class")
class TestCacheHits:
    @pytest.mark.parametrize("path", PAGES)
    def test_a_hit_reads_none_of_the_figures_tables(self, client, seeded, path):
        kiel_load(directory=DATA_DIRECTORY)
        with CaptureQueriesContext(connection) as miss:
            first = client.get(path)
        with CaptureQueriesContext(connection) as hit:
            second = client.get(path)
        assert figures(path, second) == figures(path, first)
        assert len(hit) < len(miss)
        tables = ("tracker_pledgerollup", "tracker_pledgesummary", "tracker_kiel")
        assert [query["sql"] for query in hit if any(t in query["sql"] for t in tables)] == []

    def test_each_language_has_its_own_pages(self, client, seeded):
        def main(path: str, language: str) -> str:
            html = client.get(path, headers={"Accept-Language": language}).content.decode()
            return part(html, "<main", "</main>")

        for path in ("/", "/pledges/", f"/donors/{UK}/"):
            english, german = main(path, "en"), main(path, "de")
            assert "Download CSV" in english and "Download CSV" not in german, path
            assert main(path, "en") == english

    def test_each_page_and_its_query_has_its_own_parts(self, client, seeded):
        def main(path: str) -> str:
            return part(client.get(path).content.decode(), "<main", "</main>")

        everyone, germany = main("/pledges/"), main("/pledges/?donor=germany")
        table = client.get("/pledges/?donor=germany", headers=HTMX_TABLE).content.decode()
        assert germany != everyone
        assert table in germany  # the part, kept once, is the one the whole page holds
        assert main("/pledges/") == everyone

    def test_in_development_pages_are_rendered_afresh(self, client, seeded, settings):
        settings.DEBUG = True  # a template or code change shows on the next request
        client.get("/pledges/")
        with CaptureQueriesContext(connection) as again:
            client.get("/pledges/")
        assert any("tracker_pledge" in query["sql"] for query in again)

    def test_each_language_has_its_charts(self, client, seeded):
        english = client.get("/", headers={"Accept-Language": "en"}).context_data["charts"]
        german = client.get("/", headers={"Accept-Language": "de"}).context_data["charts"]
        assert german["donor_chart"] != english["donor_chart"]
        assert german["donor_chart"].table.caption == "Beträge in Euro"

    def test_the_key_holds_the_filters_values(self, seeded):
        for slug in (UK, "germany", UK):
            pledges = Pledge.objects.filter(donor__slug=slug)
            assert totals_overall(pledges) == pledge_totals(pledges)[0]


class BrokenCache(BaseCache):
    """A cache whose server is down."""

    def __init__(self, location, params) -> None:
        super().__init__(params)

    def broken(self, *args, **kwargs):
        raise ConnectionError("the cache is down")

    get = set = add = delete = touch = clear = incr = has_key = broken


class TestABrokenCache:
    @pytest.fixture(autouse=True)
    def broken(self, settings):
        settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}

    def test_pages_are_served_and_writes_saved(self, client, seeded, caplog):
        kiel_load(directory=DATA_DIRECTORY)
        before = {path: figures(path, client.get(path)) for path in PAGES}
        with caplog.at_level(logging.ERROR, logger="tracker.cache"):
            new_pledge(amount=MILLION, currency="EUR", announced_on=date(2025, 6, 4))
        assert "The cache failed" in caplog.text
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200
            assert figures(path, response)[0] == before[path][0] + MILLION, path


class TestSettings:
    def settings_with(self, monkeypatch, **env: str) -> dict:
        monkeypatch.setenv("DJANGO_DEBUG", "1")
        monkeypatch.delenv("REDIS_URL", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(Path(settings_module.__file__)))["CACHES"]["default"]

    def test_the_database_by_default(self, monkeypatch):
        cache = self.settings_with(monkeypatch)
        assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        assert cache["LOCATION"] == "tracker_cache"

    def test_redis_from_the_environment(self, monkeypatch):
        cache = self.settings_with(monkeypatch, REDIS_URL="redis://cache:6379/1")
        assert cache == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache:6379/1",
        }
