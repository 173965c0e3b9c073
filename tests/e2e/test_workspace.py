"""An editor annotates a seed article in the workspace, keyboard first: accepts three
suggestions, rejects one, corrects one through the pledge form, and adds one the engine missed
from words selected in the text. Every keystroke and click is counted."""

from __future__ import annotations

import importlib
import re

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Die Lage im Überblick"


@pytest.fixture
def editor_page(live_server, page, django_user_model):
    """A signed-in editor, and the seed articles without their pledges: every figure the
    engine reads is still open."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    call_command("loaddata", "reference", "articles", verbosity=0)
    # A flush between transactional tests empties the migration-made Editors group too.
    migration = importlib.import_module("tracker.migrations.0002_editors_group")
    migration.create_editors_group(apps, schema_editor=None)
    editor = django_user_model.objects.create_user("anna", password="a-long-editor-password")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    # Rejecting is granted to editors by a later migration: given here the same way.
    editor.user_permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            codename__in=["add_suggestionrejection", "delete_suggestionrejection"]
        )
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "a-long-editor-password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


class Actions:
    """Counts what the editor does: keys pressed and clicks (a selection counts as one)."""

    def __init__(self, page):
        self.page = page
        self.keys = self.clicks = 0

    def key(self, key: str, *, navigates: bool = True) -> None:
        self.keys += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.click(selector)

    @property
    def total(self) -> int:
        return self.keys + self.clicks


def current_card(page) -> str:
    return page.locator(".ws-card.current q").inner_text()


def test_an_editor_annotates_an_article_in_the_workspace(editor_page, live_server):
    from tracker.models import Pledge, SuggestionRejection

    page = editor_page
    done = Actions(page)
    page.goto(f"{live_server.url}/admin/articles/article/")
    done.click(f"tr:has-text('{TITLE}') a.workspace-link")
    page.wait_for_url(re.compile(r"/workspace/$"))
    assert page.locator(".ws-card").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 1360
    # The current card's figure is marked in the text, and in view.
    mark = page.locator("mark.current")
    assert mark.inner_text() == current_card(page) == "6,6 Milliarden Dollar"
    assert mark.is_visible()

    # Three correct suggestions, one key each: the next card is current after each.
    accepted_with = []
    for figure in ("6,6 Milliarden Dollar", "mehr als drei Milliarden Dollar", "15 speziell"):
        assert current_card(page).startswith(figure)
        before = done.keys
        done.key("a")
        accepted_with.append(done.keys - before)
    assert max(accepted_with) <= 2
    assert page.locator(".ws-card").count() == 2
    assert page.locator("mark.ws-recorded").count() == 3

    # "j" and "k" move between cards without leaving the page.
    done.key("j", navigates=False)
    assert current_card(page) == "drei Milliarden"
    done.key("k", navigates=False)
    assert current_card(page) == "drei Milliarden Euro"
    done.key("r")  # Scholz's condition, not a pledge
    assert page.locator(".ws-card").count() == 1

    # Correct the last one in the pledge form, which returns to the workspace.
    done.key("e")
    page.wait_for_url(re.compile(r"/admin/tracker/pledge/add/\?.*workspace="))
    assert page.locator("#id_amount").input_value() == "3000000000"
    assert page.locator("input[name=_save]").is_visible()
    done.clicks += 1
    page.select_option("#id_stage", "proposed")
    done.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/workspace/\?at=42"))
    assert page.locator(".ws-card").count() == 0

    # A figure the engine does not offer: select its words, press "n".
    done.clicks += 1  # the selection
    page.evaluate(
        """() => {
        const sentence = [...document.querySelectorAll('.ws-sentence')]
          .find((p) => p.textContent.includes('3.000 Raketen'));
        const walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && !node.data.includes('3.000 Raketen'));
        const start = node.data.indexOf('3.000 Raketen');
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + '3.000 Raketen'.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }"""
    )
    done.key("n")
    page.wait_for_url(re.compile(r"/admin/tracker/pledge/add/\?.*quantity=3000"))
    assert page.locator("#id_item").input_value() == "Raketen"
    done.click(".field-donor .select2-selection")
    done.keys += len("United K")
    page.locator(".select2-dropdown .select2-search__field").fill("United K")
    done.click(".select2-results__option:has-text('United Kingdom')")
    done.clicks += 1
    page.select_option("#id_category", label="Military › Air defence")
    done.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/workspace/\?at=30"))

    pledges = list(Pledge.objects.order_by("pk").select_related("donor", "sentence"))
    assert [(p.amount, p.currency, p.quantity) for p in pledges] == [
        (6_600_000_000, "USD", None),
        (3_000_000_000, "USD", None),
        (None, "", 15),
        (3_000_000_000, "EUR", None),
        (None, "", 3000),
    ]
    assert {p.review_status for p in pledges} == {Pledge.Review.DRAFT}
    assert [p.origin for p in pledges] == [Pledge.Origin.SUGGESTION] * 4 + [Pledge.Origin.MANUAL]
    assert pledges[0].suggestion["rules"]["figure"] == "money"
    assert pledges[1].part_of == pledges[0]
    assert (pledges[3].stage, pledges[3].sentence.position) == ("proposed", 42)
    assert pledges[4].sentence.position == 30 and pledges[4].donor.name == "United Kingdom"
    rejection = SuggestionRejection.objects.get()
    assert (rejection.amount, rejection.sentence.position) == (3_000_000_000, 41)
    # Opening 1, three accepts 3, j/k 2, reject 1, the correction 3, the missed pledge 14
    # (8 of them typing the donor's name).
    print(f"\nworkspace actions: {done.keys} keystrokes + {done.clicks} clicks = {done.total}")
    assert done.total <= 25
