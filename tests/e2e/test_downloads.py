"""The table's downloads in the browser: the XLSX arrives as a file that opens."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import SEED_FIXTURES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def seeded_server(live_server):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    return live_server


def test_xlsx_downloads_a_workbook_with_its_umlauts(seeded_server, browser, tmp_path):
    import openpyxl

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{seeded_server.url}/pledges/?donor=germany")
    page.get_by_text("Other formats").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    context.close()

    sheet = openpyxl.load_workbook(path).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("id", "donor", "donor_iso2")
    assert rows
    assert {row[header.index("donor")] for row in rows} == {"Germany"}
    text = " ".join(str(cell) for row in rows for cell in row if isinstance(cell, str))
    assert any(letter in text for letter in "äöüÄÖÜß"), text[:500]


def test_downloads_are_disabled_with_a_filter_not_understood(seeded_server, page):
    page.goto(f"{seeded_server.url}/pledges/?date_to=soon")
    downloads = page.locator(".downloads")
    assert downloads.get_by_text("Fix the filters above to download.").is_visible()
    assert downloads.get_by_role("link").count() == 0
