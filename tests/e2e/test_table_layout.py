"""The pledge table as an analyst reads it at laptop and phone sizes: dense rows, a header in
view, filters within reach, a sort on a phone, the whole sentence on demand."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import SEED_FIXTURES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def full_server(live_server):
    """The seed articles and a hundred more pledges: more than a page."""
    from tests.factories import PledgeFactory

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    PledgeFactory.create_batch(100, currency="EUR")
    return live_server


@pytest.fixture
def sized_page(browser):
    contexts = []

    def open_page(width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


ROWS_IN_VIEW = """() => [...document.querySelectorAll('#pledge-table tbody tr')]
    .filter(row => { const box = row.getBoundingClientRect();
                     return box.top >= 0 && box.bottom <= window.innerHeight; }).length"""


def test_at_least_fifteen_rows_in_the_first_screen(full_server, sized_page):
    page = sized_page(1400, 900)
    page.goto(f"{full_server.url}/pledges/")
    assert page.evaluate(ROWS_IN_VIEW) >= 15
    heights = page.evaluate(
        "() => [...document.querySelectorAll('#pledge-table tbody tr')]"
        ".map(row => row.getBoundingClientRect().height)"
    )
    assert max(heights[:20]) < 2 * min(heights[:20])  # one line each, a flag at most two


def test_the_header_stays_in_view_while_scrolling(full_server, sized_page):
    page = sized_page(1400, 900)
    page.goto(f"{full_server.url}/pledges/")
    page.mouse.wheel(0, 1500)
    page.wait_for_function("() => window.scrollY >= 1000")
    header = page.locator("table.pledges thead th").first.bounding_box()
    assert header is not None and -1 <= header["y"] <= 5
    expect(page.get_by_role("link", name=re.compile("^In EUR"))).to_be_in_viewport()


def test_apply_and_clear_are_in_reach_on_a_small_laptop(full_server, sized_page):
    page = sized_page(1366, 768)
    page.goto(f"{full_server.url}/pledges/")
    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_in_viewport()
    expect(page.get_by_role("link", name="Clear all").first).to_be_in_viewport()
    page.mouse.wheel(0, 900)  # into the table: the panel is pinned, its buttons on top
    page.wait_for_function("() => window.scrollY >= 800")
    expect(apply).to_be_in_viewport()
    page.get_by_placeholder("EUR", exact=True).fill("EUR")
    apply.click()
    page.wait_for_url(re.compile(r"currency=EUR"))


def test_sort_on_a_phone(full_server, sized_page):
    page = sized_page(390, 844)
    page.goto(f"{full_server.url}/pledges/")
    expect(page.locator("table.pledges thead")).not_to_be_in_viewport()  # no column headers
    sort = page.get_by_label("Sort")
    expect(sort).to_be_visible()
    sort.select_option(label="Largest EUR amount first")
    page.wait_for_url(re.compile(r"sort=-amount_eur"))
    expect(page.locator("#pledge-table tbody tr").first).to_have_id("p-2")  # 50bn EUR


def test_next_at_the_foot_shows_the_new_page_from_its_top(full_server, sized_page):
    page = sized_page(1400, 900)
    page.goto(f"{full_server.url}/pledges/")
    expect(page.locator(".pagination-top")).to_contain_text("Page 1 of 3")
    page.locator(".pagination-bottom a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2&after=\d+"))
    expect(page.locator(".pagination-top")).to_contain_text("Page 2 of 3")
    expect(page.locator(".pagination-top")).to_be_in_viewport()
    expect(page.locator("#pledge-table tbody tr").first).to_be_in_viewport()


def test_the_whole_sentence_on_hover_and_focus_one_click_from_the_reader(full_server, sized_page):
    page = sized_page(1400, 900)
    page.goto(f"{full_server.url}/pledges/?donor=united-kingdom")
    quote = page.locator("#p-4 a.quote")
    one_line = quote.bounding_box()
    assert one_line is not None
    assert quote.evaluate("element => element.scrollWidth > element.clientWidth")  # shortened
    quote.hover()
    whole = quote.bounding_box()
    assert whole is not None and whole["height"] > 2 * one_line["height"]
    expect(quote).to_contain_text("Die britische Regierung plant zudem, 247 Millionen Pfund")
    expect(quote.locator(".source-article")).to_be_visible()  # the article it is from
    below = page.locator("#p-3").bounding_box()
    assert below is not None and below["y"] >= one_line["y"] + one_line["height"] - 1  # laid over
    quote.click()
    page.wait_for_url(re.compile(r"/articles/[^/]+/#s-\d+$"))
    expect(page.locator(".sentence:target")).to_be_visible()
