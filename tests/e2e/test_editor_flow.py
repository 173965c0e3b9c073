"""From a saved web page to the public table: an editor imports the page, annotates its five
pledges in the workspace (three suggestions accepted by keyboard, one corrected, one rejected,
one added from selected words), a second editor approves them from the review queue by
keyboard, and the pledges appear on /pledges/ with links to their sentences. Every action is
counted: a key, a click, a selection, a field filled, a file chosen."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.test_review_keyboard import PASSWORD, editor, reviewers_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAVED_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "de-hilfspaket.html"
WIDTH = int(os.environ.get("FLOW_WIDTH", "1366"))
# Screenshots of each step for a person to look at: FLOW_SHOTS=/some/folder.
SHOTS = os.environ.get("FLOW_SHOTS", "")


class Actions:
    """What the editors do, counted; a screenshot of each step when FLOW_SHOTS is set."""

    def __init__(self) -> None:
        self.count = 0

    def did(self, page, number: int = 1, *, step: str = "") -> None:
        self.count += number
        if SHOTS and step:
            page.screenshot(path=f"{SHOTS}/{WIDTH}-{self.count:02d}-{step}.png")


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def signed_in(browser, live_server, username: str, actions: Actions):
    page = browser.new_context(viewport={"width": WIDTH, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    actions.did(page, 3)
    return page


def test_a_saved_page_becomes_five_reviewed_pledges(
    live_server, browser, django_user_model, settings, tmp_path
):
    from django.apps import apps

    # Imports are appended to a fixture file: here one of the test's own.
    settings.ARTICLES_IMPORT_FIXTURE = tmp_path / "imported_articles.json"

    from tracker.models import Pledge, SuggestionRejection

    call_command("loaddata", "reference", verbosity=0)
    reviewers_ensure()
    importlib.import_module("articles.migrations.0004_editors_add_article").grant_add_article(
        apps, None
    )
    anna, _ = editor(django_user_model, "anna"), editor(django_user_model, "ben")
    # Rejecting is granted to editors by a migration: given here the same way.
    anna.user_permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            codename__in=["add_suggestionrejection", "delete_suggestionrejection"]
        )
    )
    done = Actions()

    # The editor imports the saved page and confirms what was read from it.
    page = signed_in(browser, live_server, "anna", done)
    page.goto(f"{live_server.url}/admin/articles/article/import/")
    done.did(page, step="import")
    page.set_input_files("input[type=file]", str(SAVED_PAGE))
    done.did(page)
    page.click("input[type=submit][value=Preview]")
    page.wait_for_selector(".article-import-preview")
    assert "Berlin und Oslo stocken Ukraine-Hilfe auf" in page.content()
    assert no_sideways_scroll(page)
    done.did(page, step="preview")
    page.click(".article-import-preview input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    done.did(page, step="imported")

    # The workspace: five suggestions; three right, accepted with one key each.
    page.click("text=Annotate in the workspace")
    page.wait_for_url(re.compile(r"/workspace/"))
    assert page.locator(".ws-card").count() == 6
    assert no_sideways_scroll(page)
    done.did(page, step="workspace")
    for figure in ("300 Millionen Euro", "20 Schützenpanzer", "12 Feldhaubitzen"):
        assert page.locator(".ws-card.current q").inner_text().startswith(figure)
        with page.expect_navigation():
            page.keyboard.press("a")
        done.did(page, step="accepted")
    # Norway's crowns are for demining, not military aid: corrected in the form.
    assert page.locator(".ws-card.current q").inner_text().startswith("500 Millionen Kronen")
    with page.expect_navigation():
        page.keyboard.press("e")
    done.did(page, step="edit")
    assert no_sideways_scroll(page)
    page.select_option("#id_category", label="Humanitarian › Other humanitarian")
    done.did(page)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/workspace/"))
    done.did(page, step="corrected")
    # Last year's Dutch money is no new pledge: rejected.
    assert page.locator(".ws-card.current q").inner_text().startswith("150 Millionen Euro")
    with page.expect_navigation():
        page.keyboard.press("r")
    done.did(page, step="rejected")
    # Left: the field kitchens, offered with the donor of the sentence before (the
    # Netherlands). The editor records them from the words instead: select them, press "n".
    assert page.locator(".ws-card.current q").inner_text().startswith("40 Feldküchen")
    page.evaluate(
        """() => {
        const words = '40 Feldküchen';
        const sentence = [...document.querySelectorAll('.ws-sentence')]
          .find((p) => p.textContent.includes(words));
        const walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && !node.data.includes(words));
        const range = document.createRange();
        range.setStart(node, node.data.indexOf(words));
        range.setEnd(node, node.data.indexOf(words) + words.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }"""
    )
    done.did(page)
    with page.expect_navigation():
        page.keyboard.press("n")
    done.did(page, step="add-from-selection")
    assert page.locator("#id_quantity").input_value() == "40"
    assert page.locator("#id_item").input_value() == "Feldküchen"
    page.click(".field-donor .select2-selection")
    page.locator(".select2-dropdown .select2-search__field").fill("Germ")
    done.did(page, 1 + len("Germ"))
    page.click(".select2-results__option:has-text('Germany')")
    page.select_option("#id_category", label="Military › Other military")
    done.did(page, 2)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/workspace/"))
    done.did(page, step="annotated")

    pledges = list(Pledge.objects.order_by("pk"))
    assert [(p.amount, p.currency, p.quantity) for p in pledges] == [
        (300_000_000, "EUR", None),
        (None, "", 20),
        (None, "", 12),
        (500_000_000, "NOK", None),
        (None, "", 40),
    ]
    assert pledges[3].category.slug == "humanitarian-other"
    assert SuggestionRejection.objects.get().amount == 150_000_000
    annotated = done.count

    # A second editor approves the five drafts from the queue, by keyboard.
    page = signed_in(browser, live_server, "ben", done)
    page.goto(f"{live_server.url}/admin/tracker/pledgereviewqueue/")
    assert no_sideways_scroll(page)
    done.did(page, step="queue")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    done.did(page, 2, step="review")
    for _ in pledges:
        with page.expect_navigation():
            page.keyboard.press("a")
        done.did(page)
    page.wait_for_url(re.compile(r"/admin/tracker/pledgereviewqueue/"))
    assert "No drafts left to review after this one." in page.content()
    assert set(Pledge.objects.values_list("review_status", flat=True)) == {"reviewed"}

    # Anyone sees them on the table, each linked to its sentence in the reader.
    public = browser.new_context(viewport={"width": WIDTH, "height": 768}).new_page()
    public.goto(f"{live_server.url}/pledges/?reviewed=on")
    assert public.locator("#pledge-table tbody tr").count() == 5
    assert no_sideways_scroll(public)
    if SHOTS:
        public.screenshot(path=f"{SHOTS}/{WIDTH}-{done.count + 1:02d}-public.png")
    links = public.locator("#pledge-table tbody a[href*='/articles/'][href*='#s-']")
    assert links.count() == 5
    href = links.first.get_attribute("href")
    public.goto(live_server.url + href)
    sentence = public.locator("#" + href.rsplit("#", 1)[1])
    assert sentence.is_visible()
    assert "Feldküchen" in sentence.inner_text() or "Millionen" in sentence.inner_text()

    print(f"\nactions: {annotated} to import and annotate, {done.count} with the review")
    assert done.count < 40
