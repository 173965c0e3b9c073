"""The table's downloads: the CSV's category labels, the CSV for Excel (a byte-order mark),
the XLSX of the same rows, and the controls that offer them."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.utils import translation

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.models import Pledge
from tracker.selectors.export import COLUMNS, copy_lines, csv_lines, sqlite_lines

pytestmark = pytest.mark.django_db

HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}
BOM = b"\xef\xbb\xbf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def xlsx_rows(content: bytes) -> tuple[list[str], list[list[object]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, rows


@pytest.fixture
def allies():
    """Pledges with umlauts, a sub-category and a top category, and a formula in the notes."""
    military = CategoryFactory(slug="military", name="Military", name_de="Militärisch")
    drones = CategoryFactory(slug="drones", name="Drones", name_de="Drohnen", parent=military)
    humanitarian = CategoryFactory(slug="humanitarian", name="Humanitarian")
    donor = DonorFactory(slug="germany", name="Germany")
    article = ArticleFactory(slug="verbuendete", title="Verbündete sagen Drohnen zu")
    sentence = SentenceFactory(article=article, position=2)
    return [
        PledgeFactory(
            donor=donor,
            category=drones,
            sentence=sentence,
            amount=Decimal("1500000.50"),
            currency="EUR",
            quantity=300,
            item="Drohnen für Verbündete",
            notes="=1+1",
            announced_on=datetime.date(2025, 6, 4),
        ),
        PledgeFactory(
            donor=DonorFactory(slug="austria", name="Österreich"),
            category=humanitarian,
            amount=Decimal("2000000.00"),
            currency="EUR",
            notes="Verbündete: Winterhilfe",
            announced_on=datetime.date(2024, 12, 1),
        ),
    ]


class TestCategoryLabels:
    def test_appended_after_the_columns_scripts_read(self, client, allies):
        header = content_of(client.get("/pledges/export.csv")).decode().splitlines()[0]
        assert header.endswith(
            ",updated_at,fx_provisional,category_label,subcategory_label,source_link"
        )
        assert header.startswith("id,donor,donor_iso2,recipient,category,subcategory,stage,")

    def test_the_names_of_the_slugs_in_english(self, client, allies):
        rows = {row["id"]: row for row in csv_rows(content_of(client.get("/pledges/export.csv")))}
        drones, aid = rows[str(allies[0].pk)], rows[str(allies[1].pk)]
        assert (drones["category"], drones["subcategory"]) == ("military", "drones")
        assert (drones["category_label"], drones["subcategory_label"]) == ("Military", "Drones")
        assert (aid["category"], aid["subcategory"]) == ("humanitarian", "")
        assert (aid["category_label"], aid["subcategory_label"]) == ("Humanitarian", "")

    def test_english_whatever_the_page_language(self, client, allies):
        with translation.override("de"):
            response = client.get("/pledges/export.csv", HTTP_ACCEPT_LANGUAGE="de")
        labels = {row["category_label"] for row in csv_rows(content_of(response))}
        assert labels == {"Military", "Humanitarian"}

    def test_every_path_writes_the_same_bytes(self, allies):
        PledgeFactory(category=CategoryFactory(name='Luft, "Patriot"\r\nü', parent=None))
        queryset = Pledge.objects.for_table()
        by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
        assert by_rows.splitlines()[0] == ",".join(COLUMNS)
        if connection.vendor == "postgresql":
            written = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
        else:
            written = "".join(sqlite_lines(queryset, reader_url="https://example.org"))
        assert written == by_rows
        assert 'Luft, ""Patriot""' in written


class TestSourceLink:
    """The last column: the publisher's page at the sentence's words, on every path."""

    @pytest.fixture
    def sourced(self, db):
        body = "Drohnen, Munition – und Luft-Abwehr für „Kyjiw“.\nDanach: 5 Mrd. & mehr."
        article = ArticleFactory(url='https://example.org/a,"b"?x=1#top', body=body)
        quoted = PledgeFactory(sentence=SentenceFactory(article=article))
        plain = PledgeFactory(sentence=SentenceFactory(article=ArticleFactory(url="")))
        return quoted, plain

    def test_links_the_quoted_words_or_nothing(self, client, sourced):
        quoted, plain = sourced
        rows = {row["id"]: row for row in csv_rows(content_of(client.get("/pledges/export.csv")))}
        link = rows[str(quoted.pk)]["source_link"]
        assert link.startswith('https://example.org/a,"b"?x=1#:~:text=Drohnen%2C%20Munition%20')
        assert link.endswith("%E2%80%93%20und,5%20Mrd.%20%26%20mehr.")
        assert rows[str(plain.pk)]["source_link"] == ""

    def test_every_path_writes_the_same_bytes(self, sourced):
        queryset = Pledge.objects.for_table()
        by_rows = "".join(csv_lines(queryset, reader_url="https://example.org"))
        if connection.vendor == "postgresql":
            written = b"".join(copy_lines(queryset, reader_url="https://example.org")).decode()
        else:
            written = "".join(sqlite_lines(queryset, reader_url="https://example.org"))
        assert written == by_rows

    def test_in_the_xlsx_too(self, client, sourced):
        header, rows = xlsx_rows(content_of(client.get("/pledges/export.xlsx")))
        links = {row[0]: row[header.index("source_link")] for row in rows}
        assert links[sourced[0].pk].startswith("https://example.org/a,")
        assert links[sourced[1].pk] is None


class TestByteOrderMark:
    def test_only_with_bom_1(self, client, allies):
        plain = content_of(client.get("/pledges/export.csv"))
        marked = content_of(client.get("/pledges/export.csv?bom=1"))
        assert not plain.startswith(BOM)
        assert content_of(client.get("/pledges/export.csv?bom=0")) == plain
        assert marked == BOM + plain
        text = marked.decode("utf-8-sig")
        assert text.startswith("id,donor,")
        assert "Verbündete" in text
        assert "Österreich" in text

    def test_with_the_other_filters(self, client, allies):
        content = content_of(client.get("/pledges/export.csv?bom=1&donor=austria"))
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        assert [row["donor"] for row in rows] == ["Österreich"]

    @pytest.mark.parametrize("value", ["2", "yes", "true", "1' OR 1=1", "\x00", "1" * 5000])
    def test_any_other_value_is_refused_by_name(self, client, allies, value):
        response = client.get("/pledges/export.csv", {"bom": value})
        assert response.status_code == 400
        assert "bom: 1 (a byte-order mark, for Excel), 0 or nothing." in response.content.decode()


class TestXlsx:
    def test_the_same_rows_and_columns_as_the_csv(self, client, allies):
        PledgeFactory.create_batch(3)
        query = "?category=military&sort=-amount_eur"
        csv_content = content_of(client.get("/pledges/export.csv" + query))
        response = client.get("/pledges/export.xlsx" + query)
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_TYPE
        assert response["Content-Disposition"].startswith('attachment; filename="pledges-')
        assert response["Content-Disposition"].endswith('.xlsx"')
        header, rows = xlsx_rows(content_of(response))
        expected = csv_rows(csv_content)
        assert header == list(COLUMNS)
        assert len(rows) == len(expected) == 1
        [row] = [dict(zip(header, row, strict=True)) for row in rows]
        [line] = expected
        assert row["id"] == int(line["id"]) == allies[0].pk
        assert row["amount"] == Decimal(line["amount"]) == Decimal("1500000.50")
        assert row["quantity"] == 300
        assert row["announced_on"] == datetime.datetime(2025, 6, 4)
        assert row["item"] == line["item"] == "Drohnen für Verbündete"
        assert row["article_title"] == "Verbündete sagen Drohnen zu"
        assert row["sentence_link"] == line["sentence_link"]
        assert (row["category_label"], row["subcategory_label"]) == ("Military", "Drones")
        assert row["is_aggregate"] is False

    def test_every_cell_matches_the_csv(self, client, allies):
        """Cell by cell, read as text the way the CSV writes it: the same rows in the same
        order, text without the CSV's quote mark (an XLSX cell has a type instead)."""
        csv_lines_ = csv_rows(content_of(client.get("/pledges/export.csv")))
        header, rows = xlsx_rows(content_of(client.get("/pledges/export.xlsx")))
        assert len(rows) == len(csv_lines_) == 2
        for values, line in zip(rows, csv_lines_, strict=True):
            for column, value in zip(header, values, strict=True):
                written = line[column]
                if value is None:
                    assert written == "", column
                elif isinstance(value, bool):
                    assert written == str(value).lower(), column
                elif isinstance(value, datetime.datetime) and column == "updated_at":
                    assert written == value.isoformat() + "+00:00", column
                elif isinstance(value, datetime.datetime):
                    assert written.startswith(value.date().isoformat()), column
                elif isinstance(value, int | float):
                    assert Decimal(written) == Decimal(str(value)), column
                else:
                    assert written.removeprefix("'") == value, column

    def test_a_formula_stays_text(self, client, allies):
        sheet = openpyxl.load_workbook(
            io.BytesIO(content_of(client.get("/pledges/export.xlsx?donor=germany")))
        ).active
        notes = sheet.cell(row=2, column=COLUMNS.index("notes") + 1)
        assert notes.value == "=1+1"
        assert notes.data_type == "s"
        assert notes.quotePrefix  # and Excel keeps it text when the cell is edited
        item = sheet.cell(row=2, column=COLUMNS.index("item") + 1)
        assert not item.quotePrefix
        assert sheet.cell(row=2, column=COLUMNS.index("amount") + 1).data_type == "n"
        assert sheet.cell(row=2, column=COLUMNS.index("announced_on") + 1).is_date

    def test_a_provisional_rate_s_date_is_a_date_that_says_so(self, client, allies):
        Pledge.objects.filter(pk=allies[0].pk).update(
            fx_date=datetime.date(2026, 10, 30), fx_provisional=True
        )
        sheet = openpyxl.load_workbook(
            io.BytesIO(content_of(client.get("/pledges/export.xlsx?donor=germany")))
        ).active
        fx_date = sheet.cell(row=2, column=COLUMNS.index("fx_date") + 1)
        assert fx_date.value == datetime.datetime(2026, 10, 30)
        assert fx_date.number_format == 'yyyy-mm-dd" (provisional)"'
        assert sheet.cell(row=2, column=COLUMNS.index("fx_provisional") + 1).value is True

    def test_control_characters_xml_cannot_hold_do_not_break_the_file(self, client, allies):
        Pledge.objects.filter(pk=allies[0].pk).update(notes="a\x01b\x1fc\td")
        header, rows = xlsx_rows(content_of(client.get("/pledges/export.xlsx?donor=germany")))
        assert rows[0][header.index("notes")] == "a\ufffdb\ufffdc\td"

    def test_no_rows_still_a_workbook_with_its_header(self, client, allies):
        header, rows = xlsx_rows(
            content_of(client.get("/pledges/export.xlsx?amount_eur_min=999999999999"))
        )
        assert header == list(COLUMNS)
        assert rows == []

    def test_past_the_row_limit_it_points_at_the_csv(self, client, allies, settings):
        settings.PLEDGE_XLSX_MAX_ROWS = 1
        response = client.get("/pledges/export.xlsx?stage=pledged")
        assert response.status_code == 400
        text = response.content.decode()
        assert "these filters match more than 1 pledges" in text
        assert "http://testserver/pledges/export.csv?stage=pledged" in text
        assert client.get("/pledges/export.xlsx?donor=germany").status_code == 200

    @pytest.mark.parametrize(
        "query",
        [
            "date_to=soon",
            "amount_eur_min=1e999",
            "donor=%00",
            "sort=;DROP TABLE",
            "category=' OR 1=1 --",
            "page=-1&date_from=9999-12-31",
        ],
    )
    def test_hostile_filters_are_refused_by_name_not_a_500(self, client, allies, query):
        response = client.get(f"/pledges/export.xlsx?{query}")
        csv_response = client.get(f"/pledges/export.csv?{query}")
        assert response.status_code in (200, 400)
        assert response.status_code == csv_response.status_code
        if response.status_code == 400:
            assert response.content == csv_response.content
            assert response.content.decode().startswith("Nothing exported; fix these filters:\n")


class TestDownloadControls:
    def test_three_downloads_of_the_same_filters(self, client, allies):
        response = client.get("/pledges/?donor=germany&page=1", headers=HTMX_TABLE)
        page = response.content.decode()
        assert 'href="/pledges/export.csv?donor=germany" download>Download CSV<' in page
        assert 'href="/pledges/export.csv?donor=germany&amp;bom=1" download>CSV for Excel<' in page
        assert 'href="/pledges/export.xlsx?donor=germany" download>XLSX<' in page
        assert "Fix the filters above" not in page

    def test_a_donor_page_downloads_its_pledges(self, client, allies):
        table = client.get("/donors/germany/").context_data["table"]
        assert table.export_xlsx_url == "/pledges/export.xlsx?donor=germany"
        assert table.export_excel_url == "/pledges/export.csv?donor=germany&bom=1"

    def test_disabled_with_the_reason_when_a_filter_is_not_understood(self, client, allies):
        response = client.get("/pledges/?date_to=soon&donor=germany")
        page = response.content.decode()
        assert "Some filters were not understood and are ignored:" in page
        assert '<span class="button" aria-disabled="true">Download CSV</span>' in page
        assert "Fix the filters above to download." in page
        assert "/pledges/export.csv" not in page
        assert "/pledges/export.xlsx" not in page
        # and the export it would have linked to names the filter
        refused = client.get("/pledges/export.csv?date_to=soon&donor=germany")
        assert refused.status_code == 400
        assert refused["Content-Type"] == "text/plain; charset=utf-8"
        assert "Announced until: Enter a valid date." in refused.content.decode()

    def test_xlsx_disabled_past_its_row_limit(self, client, allies, settings):
        settings.PLEDGE_XLSX_MAX_ROWS = 1
        page = client.get("/pledges/").content.decode()
        assert "/pledges/export.xlsx" not in page
        assert "up to 1 pledges: narrow the filters or take the CSV" in page
        assert 'href="/pledges/export.csv" download>Download CSV<' in page
        assert (
            "/pledges/export.xlsx?donor=germany" in client.get("/donors/germany/").content.decode()
        )

    def test_in_german(self, client, allies):
        with translation.override("de"):
            page = client.get("/pledges/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
            disabled = client.get("/pledges/?date_to=soon", HTTP_ACCEPT_LANGUAGE="de")
        assert "CSV herunterladen" in page
        assert "CSV für Excel" in page
        assert "Weitere Formate" in page
        assert "Zum Herunterladen bitte die Filter oben korrigieren." in disabled.content.decode()
