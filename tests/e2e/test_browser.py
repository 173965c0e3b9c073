from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.conftest import SEED_FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_server(live_server):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    return live_server


def test_filter_by_donor_then_follow_a_sentence_link(seeded_server, page):
    page.goto(f"{seeded_server.url}/pledges/")
    rows = page.locator("#pledge-table tbody tr")
    all_rows = rows.count()
    assert all_rows > 0
    # A full page load would wipe this marker; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = true")

    with page.expect_response(re.compile(r"/pledges/\?.*donor=united-kingdom")) as response_info:
        page.get_by_role("checkbox", name="United Kingdom").check()
    response = response_info.value
    assert response.request.headers["hx-target"] == "pledge-table"
    page.wait_for_url(re.compile(r"/pledges/\?.*donor=united-kingdom"))

    assert page.evaluate("window.__sameDocument") is True
    assert 0 < rows.count() < all_rows
    donors = rows.locator("td.donor").all_inner_texts()
    assert set(donors) == {"United Kingdom"}
    assert "=&" not in page.url  # empty fields are left out of the pushed URL

    link = rows.first.locator("td.source a")
    href = link.get_attribute("href")
    match = re.fullmatch(r"/articles/([\w-]+)/#s-(\d+)", href)
    assert match, href
    link.click()
    page.wait_for_url(re.compile(rf"/articles/{match[1]}/#s-{match[2]}$"))

    target = page.locator(f"#s-{match[2]}")
    assert "cited" in target.get_attribute("class")
    assert page.evaluate("document.querySelector(':target').id") == f"s-{match[2]}"
    assert target.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]


def test_the_table_works_without_javascript(seeded_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{seeded_server.url}/pledges/")
    page.get_by_role("checkbox", name="United Kingdom").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"donor=united-kingdom"))
    donors = page.locator("#pledge-table tbody td.donor").all_inner_texts()
    assert donors and set(donors) == {"United Kingdom"}
    context.close()
