"""No cell of the CSV exports is a formula a spreadsheet would run; numbers stay numbers.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'`` (OWASP's advice for CSV injection), in the pledge export on both of its paths (rows
written in Python, and COPY on PostgreSQL, which must write the same bytes) and in the totals.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.models import Pledge
from tracker.services.export import COLUMNS, copy_lines, csv_lines, csv_table

pytestmark = pytest.mark.django_db

FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = ("id", "amount", "amount_eur", "fx_rate", "quantity", "part_of_id", "sentence_position")


@pytest.fixture
def hostile_pledges(db) -> list[Pledge]:
    """One pledge per formula, the formula in every text field a pledge's row carries."""
    pledges = []
    for number, formula in enumerate(FORMULAS):
        article = ArticleFactory(
            slug=f"-article-{number}",
            title=formula,
            url=formula,
            body=f"{formula} sagt 5 Millionen Euro zu.",
        )
        pledges.append(
            PledgeFactory(
                donor=DonorFactory(slug=f"d{number}", name=f"{formula} {number}"),
                category=CategoryFactory(
                    slug=f"-cmd-{number}", parent=CategoryFactory(slug=f"-top-{number}")
                ),
                sentence=SentenceFactory(article=article, position=1),
                recipient=formula,
                amount=Decimal("1234.50"),
                currency="EUR",
                quantity=3,
                item=formula,
                notes=formula,
            )
        )
    return pledges


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_nothing_runs(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, cell in row.items():
            if column in NUMBERS:
                continue
            assert not cell.startswith(FORMULA_STARTS), (column, cell)


class TestPledgeExport:
    def test_every_text_cell_is_neutralised(self, client, hostile_pledges):
        response = client.get("/pledges/export.csv")
        rows = rows_of(b"".join(response.streaming_content).decode())
        assert len(rows) == len(FORMULAS)
        assert_nothing_runs(rows)
        by_id = {int(row["id"]): row for row in rows}
        for pledge, formula in zip(hostile_pledges, FORMULAS, strict=True):
            row = by_id[pledge.pk]
            for column in ("item", "notes", "recipient", "article_title", "article_url"):
                assert row[column] == "'" + formula, column
            assert row["donor"] == f"'{formula} {hostile_pledges.index(pledge)}"
            assert row["sentence_text"].startswith("'" + formula)
            assert row["category"].startswith("'-top-")
            assert row["subcategory"].startswith("'-cmd-")
            assert row["article_slug"].startswith("'-article-")
            # the link is built from the slug itself, not from the neutralised cell
            assert row["sentence_link"].endswith(f"/articles/{pledge.sentence.article.slug}/#s-1")

    def test_numbers_stay_numbers(self, client, hostile_pledges):
        rows = rows_of(b"".join(client.get("/pledges/export.csv").streaming_content).decode())
        for row in rows:
            assert (row["amount"], row["amount_eur"], row["quantity"]) == (
                "1234.50",
                "1234.50",
                "3",
            )
            assert row["fx_rate"] == "1.000000"
            assert int(row["id"]) > 0

    def test_rows_in_python_are_neutralised_on_any_database(self, hostile_pledges):
        text = "".join(csv_lines(Pledge.objects.for_table(), reader_url="https://example.org"))
        assert text.splitlines()[0] == ",".join(COLUMNS)
        rows = rows_of(text)
        assert len(rows) == len(FORMULAS)
        assert_nothing_runs(rows)

    def test_copy_writes_exactly_the_same_bytes(self, hostile_pledges):
        if connection.vendor != "postgresql":
            pytest.skip("COPY is the PostgreSQL path; elsewhere csv_lines is the export")
        queryset = Pledge.objects.for_table()
        by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
        by_copy = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
        assert by_copy == by_rows
        assert_nothing_runs(rows_of(by_copy))


class TestTotalsExport:
    @pytest.mark.parametrize("by", ["", "donor", "category", "subcategory", "stage", "year"])
    def test_names_are_neutralised_and_sums_are_numbers(self, client, hostile_pledges, by):
        response = client.get(f"/pledges/totals.csv?by={by}")
        assert response.status_code == 200
        rows = rows_of(response.content.decode())
        for row in rows:
            for column, cell in row.items():
                if column in ("amount_eur", "year") or column.startswith(("pledges", "in_kind")):
                    Decimal(cell)  # a number, never prefixed
                    continue
                assert not cell.startswith(FORMULA_STARTS), (column, cell)
        if by == "donor":
            names = sorted(row["donor_name"] for row in rows)
            assert names == sorted(f"'{formula} {n}" for n, formula in enumerate(FORMULAS))
            assert {row["amount_eur"] for row in rows} == {"1234.50"}

    def test_negative_numbers_stay_numbers_and_negative_text_is_text(self):
        # Amounts are never negative (a constraint says so), but a number that is must still
        # reach the spreadsheet as a number; text that looks like one is text.
        text = csv_table(("label", "value"), [("-5", Decimal("-5")), ("@x", -3), ("ok", 2)])
        assert text.splitlines() == ["label,value", "'-5,-5", "'@x,-3", "ok,2"]
