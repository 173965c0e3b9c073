from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.factories import ArticleFactory, DonorFactory, PledgeFactory, SentenceFactory
from tracker.models import Donor, Pledge
from tracker.selectors.search import pledges_search, pledges_search_refresh

pytestmark = pytest.mark.django_db


def found(text: str) -> set[int]:
    return set(pledges_search(Pledge.objects.all(), text).values_list("pk", flat=True))


@pytest.fixture
def pledges():
    uk = DonorFactory(
        slug="united-kingdom", name="United Kingdom", name_de="Vereinigtes Königreich"
    )
    drones = PledgeFactory(
        donor=uk,
        item="drones",
        quantity=100000,
        amount=None,
        currency="",
        sentence=SentenceFactory(
            article=ArticleFactory(body="Großbritannien liefert 100.000 Drohnen an die Ukraine.")
        ),
    )
    training = PledgeFactory(donor=uk, notes="Ausbildung ukrainischer Truppen")
    other = PledgeFactory(notes="Budgethilfe")
    return {"drones": drones, "training": training, "other": other}


class TestSearch:
    def test_every_word_must_match_somewhere(self, pledges):
        assert found("Königreich Ausbildung") == {pledges["training"].pk}
        assert found("United Kingdom") == {pledges["drones"].pk, pledges["training"].pk}
        assert found("Budgethilfe Königreich") == set()

    def test_sentence_item_and_notes_are_searched(self, pledges):
        assert found("Drohnen") == {pledges["drones"].pk}
        assert found("drones") == {pledges["drones"].pk}
        assert found("Truppen") == {pledges["training"].pk}

    def test_postgresql_finds_word_forms(self, pledges):
        if connection.vendor != "postgresql":
            pytest.skip("stemming is PostgreSQL's full-text search; SQLite matches word starts")
        assert found("Drohne") == {pledges["drones"].pk}  # German stem of Drohnen
        assert found("drone") == {pledges["drones"].pk}  # English stem of drones

    def test_postgresql_uses_the_index(self, pledges):
        if connection.vendor != "postgresql":
            pytest.skip("the GIN index exists on PostgreSQL")
        # Tables this small are read whole, and an index that gives the table's order can win
        # over the search index once other tests' ANALYZE has run: with both ruled out, the
        # search condition can only be answered through an index that knows it.
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_indexscan = off")
            searched = pledges_search(Pledge.objects.order_by(), "Drohnen")
            sql, params = searched.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
        assert "pledge_search_gin" in plan

    def test_case_and_diacritics_aside_on_sqlite(self, pledges):
        assert found("königreich ausbildung") == {pledges["training"].pk}
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's text search configurations keep diacritics")
        assert found("Konigreich Ausbildung") == {pledges["training"].pk}
        assert found("GROSSBRITANNIEN") == set()  # ß is a letter of its own
        assert found("grossbritannien") == set()
        assert found("großbrit") == {pledges["drones"].pk}

    def test_words_are_never_query_syntax(self, pledges):
        drones = {pledges["drones"].pk}
        assert found('"drones') == drones
        assert found('drones"') == drones
        assert found("drones*") == drones
        assert found("^drones") == drones
        assert found("NEAR(drones") == set()
        assert found("item:drones") == set()
        assert found("drones OR Budgethilfe") == set()
        assert found("drones NOT Budgethilfe") == set()
        assert found('"') == set()
        assert found("-") == set()
        assert found("100.000") == drones

    def test_sqlite_searches_through_the_fts_index(self, pledges):
        if connection.vendor != "sqlite":
            pytest.skip("the FTS5 table exists on SQLite")
        assert found("Drohne") == {pledges["drones"].pk}  # a word's start
        sql, params = pledges_search(Pledge.objects.all(), "Drohnen").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(row[-1] for row in cursor.fetchall())
        assert "pledge_fts VIRTUAL TABLE" in plan
        assert "LIKE" not in sql  # no substring scan besides

    def test_a_search_inside_a_subquery_reads_its_own_rows(self, pledges):
        # Inside a subquery the pledge table goes by another alias (U0); the search must
        # follow it, not reach for the outer query's table.
        # Every pledge of the donor of a pledge that mentions drones: both of the UK's.
        inner = pledges_search(Pledge.objects.all(), "Drohnen").values("donor_id")
        outer = Pledge.objects.filter(donor_id__in=inner)
        assert set(outer.values_list("pk", flat=True)) == {
            pledges["drones"].pk,
            pledges["training"].pk,
        }

    def test_a_new_or_changed_pledge_is_found_at_once(self, pledges):
        pledge = pledges["other"]
        pledge.notes = "Minenräumgeräte"
        pledge.save()
        assert found("Minenräumgeräte") == {pledge.pk}
        assert found("Budgethilfe") == set()

    def test_renaming_a_donor_refreshes_its_pledges(self, pledges):
        donor = pledges["drones"].donor
        donor.name_de = "Großbritannien und Nordirland"
        donor.save()
        assert found("Nordirland") == {pledges["drones"].pk, pledges["training"].pk}

    def test_the_bulk_refresh_writes_what_a_save_writes(self, pledges):
        Pledge.objects.update(search_text="")
        assert pledges_search_refresh() == 3
        for pledge in Pledge.objects.select_related("donor", "sentence"):
            assert pledge.search_text == pledge.search_words()


def test_demo_fixture_carries_the_search_words_a_save_would_write(seeded):
    for pledge in Pledge.objects.select_related("donor", "sentence"):
        assert pledge.search_text == pledge.search_words(), pledge.pk


def assert_fts_index_exact() -> None:
    """FTS5 checks its index against every row's search_text (``rank`` 1: content too)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO pledge_fts(pledge_fts, rank) VALUES ('integrity-check', 1)")


def test_the_sqlite_index_follows_every_kind_of_write(seeded):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite")
    assert_fts_index_exact()  # loaddata's raw inserts
    everything = set(Pledge.objects.values_list("pk", flat=True))
    million = found("Milliarden")
    assert million and million != everything

    Pledge.objects.update(search_text="")  # a bulk update
    assert_fts_index_exact()
    assert found("Milliarden") == set()
    assert pledges_search_refresh() == len(everything)
    assert_fts_index_exact()
    assert found("Milliarden") == million

    donor = Donor.objects.get(slug="united-kingdom")
    donor.name_de = "Großbritannien und Nordirland"
    donor.save()  # refreshes its pledges in one UPDATE
    assert_fts_index_exact()
    assert found("Nordirland") == set(donor.pledges.values_list("pk", flat=True))

    call_command("loaddata", "demo_pledges", verbosity=0)  # raw saves over existing rows
    assert_fts_index_exact()
    assert found("Nordirland") == set()

    with pytest.raises(RuntimeError), transaction.atomic():
        Pledge.objects.update(search_text="Rücknahme")
        assert found("Rucknahme") == everything
        raise RuntimeError("rolled back")
    assert_fts_index_exact()
    assert found("Rücknahme") == set()
    assert found("Milliarden") == million

    call_command("rollup", "--rebuild", verbosity=0)
    assert_fts_index_exact()

    gone = min(million)
    Pledge.objects.get(pk=gone).delete()
    assert_fts_index_exact()
    assert found("Milliarden") == million - {gone}
