"""The Content-Security-Policy holds and the pages still work under it, in a real browser.

The policy is the same in development and production (tracker/settings.py), so the live test
server sends the one production sends. Chromium reports every blocked inline script, event
handler, style or eval as a ``securitypolicyviolation`` event; each test collects them while it
uses the analyst pages and the admin the way people do, and expects none.
"""

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

# Added to every document before its own scripts run; Playwright's init scripts are not
# subject to the page's policy.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`csp-violation: ${event.effectiveDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""
ADMIN_PASSWORD = "a-long-admin-password"


@pytest.fixture
def seeded_server(live_server):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    return live_server


@pytest.fixture
def violations(page):
    """What the page reports while the test runs: policy violations and script errors."""
    found: list[str] = []

    def on_console(message) -> None:
        if "csp-violation" in message.text or "Content Security Policy" in message.text:
            found.append(message.text)

    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


@pytest.fixture
def admin_page(seeded_server, page, violations, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)
    page.goto(f"{seeded_server.url}/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def visit(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert script_src == "'self'", policy
    return response


def test_analyst_pages_work_under_the_policy(seeded_server, page, violations):
    base = seeded_server.url
    visit(page, f"{base}/")
    expect(page.locator(".chart-donors g.bar").first).to_be_visible()

    visit(page, f"{base}/pledges/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("checkbox", name="United Kingdom").check()  # htmx swaps the table
    page.wait_for_url(re.compile(r"donor=united-kingdom"))
    expect(page.locator("#pledge-table tbody tr")).to_have_count(5)
    page.get_by_role("link", name=re.compile("^In EUR")).click()  # sorting, htmx too
    page.wait_for_url(re.compile(r"sort=-amount_eur"))
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    assert page.evaluate("window.__sameDocument") is True  # no full reload: htmx ran
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")

    detail = page.locator("#pledge-table tbody tr td a[href^='/pledges/']").first
    visit(page, base + detail.get_attribute("href"))
    visit(page, f"{base}/donors/germany/")
    visit(page, f"{base}/articles/")
    article = page.locator("main a[href^='/articles/']").first.get_attribute("href")
    visit(page, base + article)
    visit(page, f"{base}/reference/")

    assert violations == []


def test_the_api_docs_work_offline_under_the_policy(seeded_server, page, violations):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    visit(page, f"{seeded_server.url}/api/docs")
    expect(page.locator(".opblock")).to_have_count(6)
    page.locator(".opblock-summary", has_text="/api/donors").click()
    page.get_by_role("button", name="Execute").click()  # "Try it out" is on from the start
    status = page.locator(".live-responses-table tr.response .response-col_status")
    expect(status).to_have_text("200")
    assert [url for url in requests if not url.startswith(seeded_server.url)] == []
    assert violations == []


def test_editing_in_the_admin_works_under_the_policy(admin_page, seeded_server, violations):
    from tracker.models import Pledge

    page, base = admin_page, seeded_server.url
    # One recorded pledge goes, so the article offers it again as a suggestion.
    pledge = Pledge.objects.filter(parts__isnull=True, part_of__isnull=True).latest("id")
    article = pledge.sentence.article
    pledge.delete()
    before = Pledge.objects.count()

    visit(page, f"{base}/admin/articles/article/{article.pk}/change/")
    page.locator("a.suggestion").first.click()
    page.wait_for_url(re.compile(r"/admin/tracker/pledge/add/\?"))
    expect(page.locator(".field-donor .select2-selection")).to_be_visible()  # autocomplete ran
    page.locator(".field-donor .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Germ")
    expect(page.locator(".select2-results__option", has_text="Germany")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("#id_item").click()
    page.keyboard.press("Control+Enter")  # static/js/admin-annotate.js: save and next
    expect(page.locator(".messagelist")).to_contain_text("Saved pledge #")
    assert Pledge.objects.count() == before + 1

    saved = Pledge.objects.latest("id")
    visit(page, f"{base}/admin/tracker/pledge/{saved.pk}/change/")
    page.locator(".datetimeshortcuts a").last.click()  # the calendar widget
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_text("More: period, part of").click()  # notes are folded under "More"
    page.fill("#id_notes", "Checked against the ministry's release.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    visit(page, f"{base}/admin/tracker/pledge/{saved.pk}/history/")
    versions = page.locator("#change-history a[href*='/history/']")
    expect(versions.first).to_be_visible()
    versions.last.click()
    expect(page.locator("input[name=_save][value=Revert]")).to_be_visible()

    visit(page, f"{base}/admin/tracker/pledge/")
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".actions .action-counter")).to_contain_text("1 of")

    assert violations == []


def test_import_and_export_work_under_the_policy(admin_page, seeded_server, violations, tmp_path):
    from tracker.models import Pledge
    from tracker.resources import PledgeResource

    page, base = admin_page, seeded_server.url
    visit(page, f"{base}/admin/tracker/pledge/export/")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]")
    expect(fields.first).to_be_checked()
    page.click("#select-all-toggle")  # bound by static/js/admin-export.js
    expect(fields.first).not_to_be_checked()
    expect(fields.last).not_to_be_checked()

    pledge = Pledge.objects.latest("id")
    exported = PledgeResource().export(Pledge.objects.filter(pk=pledge.pk))
    # Changed notes: the preview shows them as a diff.
    exported.dict = [{**row, "notes": "Reported again by the ministry."} for row in exported.dict]
    upload = tmp_path / "pledges.csv"
    upload.write_text(exported.csv)

    visit(page, f"{base}/admin/tracker/pledge/import/")
    page.set_input_files("#id_import_file", upload)
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    inserted = page.locator("table.import-preview ins").first
    expect(inserted).to_be_visible()
    # The diff's own style attribute applies: allowed by its hash, nothing else is.
    assert inserted.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(230, 255, 230)"

    visit(page, f"{base}/admin/articles/article/import/")

    assert violations == []
