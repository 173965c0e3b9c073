"""No cell of any export is a formula a spreadsheet would run; numbers stay numbers.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'`` (OWASP's advice for CSV injection), and so does text starting with ``'``, so that the
mark can be taken off again: in the pledge export on both of its paths (rows written in
Python, one statement on SQLite and COPY on PostgreSQL, which must write the same bytes), in
the totals, and in every
format of the admin's export, whose files import back without a change.
"""

from __future__ import annotations

import csv
import html
import io
import json
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.formulas import cell_neutralise, cell_restore
from tracker.models import Pledge
from tracker.resources import PledgeResource
from tracker.selectors.export import COLUMNS, copy_lines, csv_lines, csv_table, sqlite_lines

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
                    slug=f"-cmd-{number}",
                    name=f"{formula} sub",
                    parent=CategoryFactory(slug=f"-top-{number}", name=f"{formula} top"),
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
            assert row["category_label"] == f"'{formula} top"
            assert row["subcategory_label"] == f"'{formula} sub"
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

    def test_sqlite_writes_exactly_the_same_bytes(self, hostile_pledges):
        if connection.vendor != "sqlite":
            pytest.skip("one statement writes the lines on SQLite; elsewhere another path does")
        odd = [
            PledgeFactory(notes='=HYPERLINK("x")\r\nsecond line, "quoted"', item="", quantity=None),
            PledgeFactory(notes="Kyjiw, für €: 🇺🇦 0,5 % %s", item='"Leopard" 2', quantity=14),
            PledgeFactory(notes="'", item="a\rb", quantity=1, amount=None, currency=""),
            PledgeFactory(announced_on=None, part_of=hostile_pledges[0]),
            PledgeFactory(sentence=SentenceFactory(article=ArticleFactory(slug='a,"b"'))),
            PledgeFactory(category=CategoryFactory(name='Luftverteidigung, "Patriot"\nü')),
            PledgeFactory(
                category=CategoryFactory(
                    name="Drohnen, 🇺🇦", parent=CategoryFactory(name='Militär "und" mehr')
                )
            ),
        ]
        # Values the ORM would not compute, written as they are: NULLs, provisional rates,
        # more than 15 significant digits, a rate with all six places.
        Pledge.objects.filter(pk=odd[0].pk).update(amount_eur=None, fx_rate=None, fx_date=None)
        Pledge.objects.filter(pk=odd[1].pk).update(
            amount=Decimal("12345678901234.56"),
            amount_eur=Decimal("1234567890123456.78"),
            fx_rate=Decimal("0.000123"),
            fx_provisional=True,
        )
        Pledge.objects.filter(pk=odd[3].pk).update(
            fx_rate=Decimal("26.123456"), fx_date=None, fx_provisional=True
        )
        queryset = Pledge.objects.for_table()
        for root in ("https://example.org", "https://example.org/a,b"):
            by_rows = "".join(csv_lines(queryset, reader_url=root))
            by_sql = "".join(sqlite_lines(queryset, reader_url=root))
            assert by_sql == by_rows
            assert len(rows_of(by_sql)) == len(FORMULAS) + len(odd)

    def test_a_leading_quote_gets_another_so_every_mark_can_be_taken_off(self, client):
        PledgeFactory(notes="'Patriot' systems", item="'=1+1", quantity=1)
        response = client.get("/pledges/export.csv")
        (row,) = rows_of(b"".join(response.streaming_content).decode())
        assert (row["notes"], row["item"]) == ("''Patriot' systems", "''=1+1")
        queryset = Pledge.objects.for_table()
        by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
        if connection.vendor == "postgresql":
            by_copy = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
            assert by_copy == by_rows


@given(st.text())
def test_restoring_a_neutralised_cell_gives_the_text_back(text):
    cell = cell_neutralise(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell_restore(cell) == text


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


class TestAdminExport:
    """Pledges → Export in the admin: the same rule in every format it offers, and a file that
    imports back without a change, whatever the text starts with."""

    # Text that starts like a neutralised cell, or is one already: it must come back as it was.
    LOOKALIKES = ("'Patriot' systems", "'=not a formula", "'-", "''", "-", "'", "x")
    # A note typed in a browser: its line breaks are "\r\n".
    TYPED = "Two lines\r\nof notes.\r\n"

    @pytest.fixture
    def pledges(self, hostile_pledges):
        return [
            *hostile_pledges,
            *(PledgeFactory(item=text, notes=text, quantity=1) for text in self.LOOKALIKES),
            PledgeFactory(notes=self.TYPED),
        ]

    @pytest.fixture
    def admin_client(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("root"))
        return client

    @staticmethod
    def export(admin_client, format_name: str) -> bytes:
        form = admin_client.get("/admin/tracker/pledge/export/").context_data["form"]
        formats = {label: value for value, label in form.fields["format"].choices}
        every_column = {name: "on" for name in form.fields if name.startswith("pledgeresource_")}
        response = admin_client.post(
            "/admin/tracker/pledge/export/",
            {"format": formats[format_name], "resource": "0", **every_column},
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        return response.content

    @staticmethod
    def dry_run(admin_client, name: str, content: bytes, format_name: str):
        """The import's preview: its result, and the form that confirms it."""
        form = admin_client.get("/admin/tracker/pledge/import/").context_data["form"]
        formats = {label: value for value, label in form.fields["format"].choices}
        response = admin_client.post(
            "/admin/tracker/pledge/import/",
            {
                "import_file": SimpleUploadedFile(name, content),
                "format": formats[format_name],
                "resource": "0",
            },
        )
        assert response.status_code == 200
        return response.context_data["result"], response.context_data["confirm_form"]

    def test_the_admin_offers_these_formats(self, admin_client):
        form = admin_client.get("/admin/tracker/pledge/export/").context_data["form"]
        offered = {label for value, label in form.fields["format"].choices if value}
        assert offered == {"csv", "tsv", "json", "html"}

    @pytest.mark.parametrize("format_name", ["csv", "tsv"])
    def test_no_cell_of_a_spreadsheet_export_runs(self, admin_client, pledges, format_name):
        content = self.export(admin_client, format_name).decode()
        dataset = tablib.Dataset().load(content, format=format_name)
        assert len(dataset) == len(pledges)
        cells = [cell for row in dataset for cell in row if cell]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        by_id = {int(row["id"]): row for row in dataset.dict}
        for pledge in pledges[: len(FORMULAS)]:
            row = by_id[pledge.pk]
            assert row["notes"] == row["item"] == row["recipient"] == "'" + pledge.notes
            assert row["category"].startswith("'-cmd-")
            assert row["sentence"] == f"'{pledge.sentence.article.slug}#1"

    @pytest.mark.parametrize("format_name", ["json", "html"])
    def test_other_formats_follow_the_same_rule(self, admin_client, pledges, format_name):
        content = self.export(admin_client, format_name).decode()
        written = {"html": lambda text: html.escape(text, quote=False), "json": json.dumps}
        for formula in FORMULAS:
            shown = written[format_name]("'" + formula).strip('"')
            assert shown in content
        if format_name == "json":
            cells = [cell for row in json.loads(content) for cell in row.values()]
            assert not [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)]

    @pytest.mark.parametrize("format_name", ["csv", "tsv", "json", "html"])
    def test_exported_and_imported_back_nothing_changes(self, admin_client, pledges, format_name):
        before = list(Pledge.objects.order_by("pk").values_list())
        content = self.export(admin_client, format_name)
        result, confirm = self.dry_run(admin_client, f"p.{format_name}", content, format_name)
        assert not result.has_errors() and not result.has_validation_errors()
        assert [row.import_type for row in result.rows] == ["skip"] * len(pledges)
        # Confirmed, the import reads the file again from where it waited: still no change.
        response = admin_client.post("/admin/tracker/pledge/process_import/", confirm.initial)
        assert response.status_code == 302
        assert list(Pledge.objects.order_by("pk").values_list()) == before
        assert Pledge.objects.get(pk=pledges[-1].pk).notes == self.TYPED

    def test_an_import_takes_the_mark_off_and_keeps_a_typed_quote(self, pledges):
        dataset = PledgeResource().export()
        rows = dataset.dict
        rows[0]["notes"], rows[1]["notes"] = "'=1+1", "'Patriot' systems"
        changed = tablib.Dataset(headers=dataset.headers)
        for row in rows[:2]:
            changed.append([row[header] for header in dataset.headers])
        result = PledgeResource().import_data(changed)
        assert not result.has_errors() and not result.has_validation_errors()
        notes = dict(Pledge.objects.values_list("pk", "notes"))
        assert notes[int(rows[0]["id"])] == "=1+1"
        assert notes[int(rows[1]["id"])] == "'Patriot' systems"
