"""A second editor reviews drafts from the queue with the keyboard only: three approved, one
sent back with a comment. Every key pressed is counted."""

from __future__ import annotations

import importlib
import re

import pytest
from django.core.management import call_command

from tests.conftest import SEED_FIXTURES
from tests.e2e.test_browser import editors_group_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-editor-password"
# Holds the review keys (a, s, n, p): typed into the comment, they are the comment's.
COMMENT = "wrong donor, see para 2"
FORM = re.compile(r"/admin/tracker/pledge/(\d+)/change/\?review=1$")


def reviewers_ensure() -> None:
    """The Editors group with its review permissions, as the migrations grant them (a flush
    between transactional tests empties every table, migration-made rows included)."""
    from django.apps import apps

    editors_group_ensure()
    importlib.import_module("tracker.migrations.0006_editors_review").grant(apps, None)


def editor(django_user_model, username: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_a_reviewer_approves_three_and_sends_one_back_by_keyboard(
    live_server, page, django_user_model
):
    from tracker.models import Pledge

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    reviewers_ensure()
    anna, _ = editor(django_user_model, "anna"), editor(django_user_model, "ben")
    # Four drafts recorded by Anna, in the queue's order; the seed pledges are reviewed.
    Pledge.objects.update(review_status=Pledge.Review.REVIEWED)
    drafts = list(Pledge.objects.order_by("created_at", "pk")[:4])
    for pledge in drafts:
        pledge.refresh_from_db()
        pledge.review_status = Pledge.Review.DRAFT
        pledge.reviewed_by = pledge.reviewed_at = None
        pledge._history_user = anna
        pledge.save()
        pledge.history.update(history_user=anna)

    # The keys' script runs under the site's Content-Security-Policy: nothing blocked, no error.
    problems: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "ben")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/tracker/pledgereviewqueue/")

    keys = 0

    def press(key: str) -> None:
        nonlocal keys
        keys += 1
        page.keyboard.press(key)

    def opened() -> int:
        page.wait_for_url(FORM)
        page.wait_for_selector("#review-panel")
        return int(FORM.search(page.url).group(1))

    press("j")
    assert page.locator("#result_list tbody tr.row-focus").count() == 1
    press("Enter")
    assert opened() == drafts[0].pk
    press("?")
    assert page.locator("#review-key-help").is_visible()
    # Next and back again (not counted: the review itself needs neither).
    with page.expect_navigation():
        page.keyboard.press("n")
    assert opened() == drafts[1].pk
    with page.expect_navigation():
        page.keyboard.press("k")
    assert opened() == drafts[0].pk
    for expected in drafts[1:3]:
        with page.expect_navigation():
            press("a")
        assert opened() == expected.pk
    with page.expect_navigation():
        press("a")
    assert opened() == drafts[3].pk
    # Typing into the comment is the field's: "a" or "s" in it decide nothing.
    press("s")
    assert page.evaluate("document.activeElement.id") == "review-comment"
    for letter in COMMENT:
        press(letter)
    with page.expect_navigation():
        press("Enter")
    page.wait_for_url(re.compile(r"/admin/tracker/pledgereviewqueue/"))
    assert "No drafts left to review after this one." in page.content()

    statuses = dict(
        Pledge.objects.filter(pk__in=[p.pk for p in drafts]).values_list("pk", "review_status")
    )
    assert [statuses[p.pk] for p in drafts] == ["reviewed", "reviewed", "reviewed", "draft"]
    sent_back = drafts[3].history.latest("history_date")
    assert (sent_back.history_change_reason, sent_back.history_user.username) == (
        f"sent back: {COMMENT}",
        "ben",
    )
    assert problems == []
    # j, Enter, ?, a a a, s, the comment, Enter: 8 keys and the comment's letters.
    assert keys == 8 + len(COMMENT)
    print(f"\nkeystrokes: {keys} ({keys - len(COMMENT)} and the comment's {len(COMMENT)} letters)")
