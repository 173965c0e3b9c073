from __future__ import annotations

import importlib
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import SEED_FIXTURES

# serialized_rollback brings back what migrations created (the Editors group) after a flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def editors_group_ensure() -> None:
    """Recreate the Editors group as its data migration does: a flush between transactional
    tests empties every table, migration-made rows included."""
    from django.apps import apps

    migration = importlib.import_module("tracker.migrations.0002_editors_group")
    migration.create_editors_group(apps, schema_editor=None)


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

    expect(rows.first.locator("td.donor > a").first).to_have_text("United Kingdom")
    assert page.evaluate("window.__sameDocument") is True
    assert 0 < rows.count() < all_rows
    donors = rows.locator("td.donor > a:first-child").all_inner_texts()
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
    donors = page.locator("#pledge-table tbody td.donor > a:first-child").all_inner_texts()
    assert donors and set(donors) == {"United Kingdom"}
    context.close()


def test_editor_records_a_pledge_from_a_sentence(seeded_server, page, django_user_model):
    from django.contrib.auth.models import Group

    from tracker.models import Pledge

    editors_group_ensure()
    editor = django_user_model.objects.create_user("anna", password="a-long-editor-password")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    before = Pledge.objects.count()

    page.goto(f"{seeded_server.url}/admin/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "a-long-editor-password")
    page.click("input[type=submit]")
    page.goto(f"{seeded_server.url}/admin/articles/article/")
    page.get_by_role("link", name=re.compile("Die Lage im Überblick")).click()

    row = page.locator("#sentences-group tr", has_text="speziell für das Land entwickelte")
    row.get_by_role("link", name="Add pledge").click()
    page.wait_for_url(re.compile(r"/admin/tracker/pledge/add/\?sentence=\d+"))
    assert "15 speziell für das Land" in page.locator(".cited-sentence").inner_text()

    page.locator(".field-donor .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("United King")
    page.locator(".select2-results__option", has_text="United Kingdom").click()
    page.select_option("#id_category", label="Military › Air defence")
    page.fill("#id_quantity", "15")
    page.fill("#id_item", "Gravehawk air-defence systems")
    page.fill("#id_announced_on", "2025-01-16")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/tracker/pledge/$"))

    assert Pledge.objects.count() == before + 1
    pledge = Pledge.objects.latest("id")
    assert pledge.donor.name == "United Kingdom"
    assert (pledge.quantity, pledge.category.slug) == (15, "air-defence")
    assert pledge.sentence.text.startswith("So will Großbritannien der Ukraine bis Jahresende 15")


def test_dashboard_draws_one_bar_per_donor_and_follows_the_filters(seeded_server, page):
    page.goto(f"{seeded_server.url}/")
    bars = page.locator(".chart-donors g.bar")
    # Of the demo pledges only the United Kingdom's count: the NATO figures are aggregates
    # and Germany's three billion is a proposal.
    assert bars.count() == 1
    assert bars.first.get_attribute("data-donor") == "united-kingdom"
    headline = page.locator(".headline-value").first
    assert headline.inner_text() == "€6.7bn"
    rows_before = page.locator("#pledge-table tbody tr").count()

    page.evaluate("window.__sameDocument = true")
    with page.expect_response(re.compile(r"include_proposed=on")):
        page.get_by_label("Add proposals to totals").check()
    page.wait_for_url(re.compile(r"include_proposed=on"))
    assert page.evaluate("window.__sameDocument") is True

    # Totals, charts and the table's totals change together, from one response.
    expect(bars).to_have_count(2)
    assert sorted(b.get_attribute("data-donor") for b in bars.all()) == [
        "germany",
        "united-kingdom",
    ]
    expect(headline).to_have_text("€9.7bn")
    expect(page.locator("#pledge-table .total-eur")).to_have_text("€9.7bn")
    expect(page.locator("#pledge-table tbody tr")).to_have_count(rows_before)


def test_sort_header_reorders_rows(seeded_server, page):
    page.goto(f"{seeded_server.url}/pledges/")
    first_row = page.locator("#pledge-table tbody tr").first
    expect(first_row).to_have_id("p-4")  # newest first: 4 June 2025
    page.get_by_role("link", name=re.compile("^In EUR")).click()
    page.wait_for_url(re.compile(r"sort=-amount_eur"))
    expect(page.locator("#pledge-table tbody tr").first).to_have_id("p-2")  # 50bn
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    page.get_by_role("link", name=re.compile("^In EUR")).click()
    page.wait_for_url(re.compile(r"sort=amount_eur"))
    expect(page.locator("#pledge-table tbody tr").first).to_have_id("p-4")  # 293m


def test_next_and_previous_page_through_the_table_with_cursors(seeded_server, page):
    from tests.factories import PledgeFactory

    PledgeFactory.create_batch(120, currency="EUR")
    page.goto(f"{seeded_server.url}/pledges/?sort=-amount_eur")
    rows = page.locator("#pledge-table tbody tr")

    def shown() -> list[str]:
        return [row.get_attribute("id") for row in rows.all()]

    first = shown()
    assert len(first) == 50
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"page=2&after=\d+"))
    second = shown()
    expect(page.locator(".pagination-top")).to_contain_text("Page 2 of 3")
    expect(page.locator(".pagination-bottom")).to_contain_text("Page 2 of 3")
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"page=3&after=\d+"))
    third = shown()
    assert len(third) == 128 - 100  # the 8 demo pledges and the 120 made here
    assert not set(first) & set(second) and not set(second) & set(third)
    page.locator("a[rel=prev]").first.click()
    page.wait_for_url(re.compile(r"page=2&before=\d+"))
    assert shown() == second
    page.locator("a[rel=prev]").first.click()
    page.wait_for_url(re.compile(r"/pledges/\?sort=-amount_eur$"))
    assert shown() == first
    expect(page.locator("a[rel=prev]")).to_have_count(0)


def test_removing_a_chip_widens_the_result_and_the_form_follows(seeded_server, page):
    page.goto(f"{seeded_server.url}/pledges/?donor=united-kingdom&stage=pledged")
    rows = page.locator("#pledge-table tbody tr")
    assert rows.count() == 5
    checkbox = page.get_by_role("checkbox", name="United Kingdom")
    assert checkbox.is_checked()

    page.get_by_role("link", name="Remove filter Donor: United Kingdom").click()
    page.wait_for_url(re.compile(r"/pledges/\?stage=pledged$"))
    expect(rows).to_have_count(6)  # every pledged pledge, NATO's 20bn included
    expect(checkbox).not_to_be_checked()
    expect(page.locator("#id_stage")).to_have_value("pledged")

    page.go_back()
    page.wait_for_url(re.compile(r"donor=united-kingdom"))
    expect(rows).to_have_count(5)
    expect(checkbox).to_be_checked()


def test_switching_to_german(seeded_server, page):
    page.goto(f"{seeded_server.url}/pledges/?donor=united-kingdom")
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_url(re.compile(r"/pledges/\?donor=united-kingdom$"))  # same view, new language
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text() == "Zusagen"
    assert page.locator("#pledge-table .total-eur").inner_text() == "6,7 Mrd. €"
    assert "Geber" in page.locator("#pledge-table thead th").first.text_content()
    assert page.get_by_role("checkbox", name="Vereinigtes Königreich").is_checked()
    assert "16. Jan. 2025" in page.locator("#pledge-table").inner_text()

    page.goto(f"{seeded_server.url}/")
    assert page.locator(".headline-value").first.inner_text() == "6,7 Mrd. €"
    assert page.get_by_role("link", name="Übersicht").is_visible()
