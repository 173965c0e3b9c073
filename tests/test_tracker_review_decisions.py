"""Approve and Send back, from the pledge form and the review queue: who may, what is kept,
where the reviewer goes next, and what bad input gets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from articles.models import Sentence
from tests.factories import PledgeFactory
from tracker.models import Pledge
from tracker.services.review import COMMENT_MAX_LENGTH

pytestmark = pytest.mark.django_db

QUEUE = "/admin/tracker/pledgereviewqueue/"


def decide_url(pledge: Pledge) -> str:
    return f"/admin/tracker/pledge/{pledge.pk}/decide/"


def form_url(pledge: Pledge) -> str:
    return f"/admin/tracker/pledge/{pledge.pk}/change/?review=1"


def make_editor(django_user_model, username: str):
    # No password: the tests sign in with force_login, and hashing one takes most of a test.
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def anna(django_user_model):
    return make_editor(django_user_model, "anna")


@pytest.fixture
def ben(django_user_model):
    user = make_editor(django_user_model, "ben")
    user.first_name, user.last_name = "Ben", "M."
    user.save()
    return user


def drafts_by(author, count: int) -> list[Pledge]:
    """``count`` drafts recorded by ``author``, oldest first (the queue's order)."""
    pledges = []
    for _ in range(count):
        pledge = PledgeFactory(review_status=Pledge.Review.DRAFT)
        pledge.history.update(history_user=author)  # as if saved in the admin by them
        pledges.append(pledge)
    return pledges


@pytest.fixture
def drafts(anna) -> list[Pledge]:
    return drafts_by(anna, 3)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestApprove:
    def test_another_editor_approves_and_the_next_draft_opens(self, client, ben, drafts):
        client.force_login(ben)
        response = client.post(decide_url(drafts[0]), {"decision": "approve", "comment": "ok"})
        assert response.status_code == 302
        assert response["Location"] == form_url(drafts[1])
        drafts[0].refresh_from_db()
        assert (drafts[0].review_status, drafts[0].reviewed_by) == ("reviewed", ben)
        assert drafts[0].history.latest("history_date").history_change_reason == "reviewed: ok"
        shown = messages_of(client.get(response["Location"]))
        assert f"Approved pledge #{drafts[0].pk}" in shown[0]

    def test_the_editor_who_recorded_it_may_not(self, client, anna, drafts):
        client.force_login(anna)
        response = client.post(decide_url(drafts[0]), {"decision": "approve"}, follow=True)
        assert response.status_code == 200
        assert "was recorded by you" in messages_of(response)[0]
        drafts[0].refresh_from_db()
        assert drafts[0].review_status == Pledge.Review.DRAFT

    def test_someone_without_the_review_permission_may_not(self, client, django_user_model, drafts):
        clerk = django_user_model.objects.create_user("clerk", is_staff=True)
        client.force_login(clerk)
        assert client.post(decide_url(drafts[0]), {"decision": "approve"}).status_code == 403
        drafts[0].refresh_from_db()
        assert drafts[0].review_status == Pledge.Review.DRAFT

    def test_signed_out_is_sent_to_the_login(self, client, drafts):
        response = client.post(decide_url(drafts[0]), {"decision": "approve"})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_a_get_is_refused(self, client, ben, drafts):
        client.force_login(ben)
        assert client.get(decide_url(drafts[0])).status_code == 405

    def test_the_last_draft_goes_back_to_the_queue(self, client, ben, drafts):
        client.force_login(ben)
        response = client.post(decide_url(drafts[-1]), {"decision": "approve"}, follow=True)
        assert response.redirect_chain[-1][0] == QUEUE
        assert "No drafts left to review after this one." in messages_of(response)

    def test_the_next_draft_skips_the_reviewers_own(self, client, ben, drafts):
        mine = drafts_by(ben, 1)[0]
        later = drafts_by(drafts[0].history.earliest().history_user, 1)[0]
        client.force_login(ben)
        response = client.post(decide_url(drafts[-1]), {"decision": "approve"})
        assert response["Location"] == form_url(later)
        assert mine.pk != later.pk

    def test_a_draft_nobody_recorded_comes_next_too(self, client, ben, drafts):
        loaded = drafts_by(None, 1)[0]  # loaded from a fixture or a file: no editor
        client.force_login(ben)
        response = client.post(decide_url(drafts[-1]), {"decision": "approve"})
        assert response["Location"] == form_url(loaded)

    def test_from_a_queue_row_back_to_the_queue_at_the_next_draft(self, client, ben, drafts):
        client.force_login(ben)
        response = client.post(
            decide_url(drafts[0]),
            {"decision": "approve", "back": "queue", "filters": "review_status__exact=draft"},
        )
        assert response["Location"] == f"{QUEUE}?review_status__exact=draft#pledge-{drafts[1].pk}"

    def test_an_approved_pledge_is_not_approved_twice(self, client, ben, drafts):
        client.force_login(ben)
        client.post(decide_url(drafts[0]), {"decision": "approve"})
        response = client.post(decide_url(drafts[0]), {"decision": "approve"}, follow=True)
        assert any("already reviewed" in message for message in messages_of(response))


class TestSendBack:
    def test_kept_a_draft_with_the_comment_in_history_and_on_the_form(
        self, client, ben, anna, drafts
    ):
        client.force_login(ben)
        response = client.post(
            decide_url(drafts[0]), {"decision": "send_back", "comment": "Amount is 50, not 5"}
        )
        assert response["Location"] == form_url(drafts[1])
        drafts[0].refresh_from_db()
        assert drafts[0].review_status == Pledge.Review.DRAFT
        latest = drafts[0].history.latest("history_date")
        assert latest.history_change_reason == "sent back: Amount is 50, not 5"
        assert latest.history_user == ben
        client.force_login(anna)
        page = client.get(f"/admin/tracker/pledge/{drafts[0].pk}/change/").content.decode()
        assert "Sent back by Ben M." in page
        assert "<q>Amount is 50, not 5</q>" in page

    def test_a_reviewed_pledge_sent_back_is_a_draft_again(self, client, ben, drafts):
        client.force_login(ben)
        client.post(decide_url(drafts[0]), {"decision": "approve"})
        client.post(decide_url(drafts[0]), {"decision": "send_back"})
        drafts[0].refresh_from_db()
        assert (drafts[0].review_status, drafts[0].reviewed_by) == ("draft", None)

    def test_approved_after_being_sent_back_no_longer_shows_the_note(self, client, ben, drafts):
        client.force_login(ben)
        client.post(decide_url(drafts[0]), {"decision": "send_back", "comment": "check"})
        client.post(decide_url(drafts[0]), {"decision": "approve"})
        page = client.get(f"/admin/tracker/pledge/{drafts[0].pk}/change/").content.decode()
        assert "Sent back by" not in page

    def test_the_next_draft_skips_those_sent_back_until_changed(self, client, ben, drafts):
        client.force_login(ben)
        client.post(decide_url(drafts[1]), {"decision": "send_back"})
        response = client.post(decide_url(drafts[0]), {"decision": "approve"})
        assert response["Location"] == form_url(drafts[2])
        drafts[1].refresh_from_db()
        drafts[1].notes = "Figure checked again."
        drafts[1].save()  # its editor changed it: back in the walk
        response = client.post(decide_url(drafts[2]), {"decision": "send_back"})
        assert response["Location"] == QUEUE
        page = client.get(form_url(drafts[0])).content.decode()
        assert f'href="{form_url(drafts[1])}" rel="next"' in page

    def test_the_editor_who_recorded_it_may_not(self, client, anna, drafts):
        client.force_login(anna)
        response = client.post(decide_url(drafts[0]), {"decision": "send_back"}, follow=True)
        assert "was recorded by you" in messages_of(response)[0]
        assert not drafts[0].history.filter(history_change_reason__startswith="sent back").exists()


class TestHostileInput:
    @pytest.mark.parametrize("decision", ["", "delete", "approve\x00", "x" * 5000])
    def test_an_unknown_decision_is_refused_with_a_message(self, client, ben, drafts, decision):
        client.force_login(ben)
        response = client.post(decide_url(drafts[0]), {"decision": decision}, follow=True)
        assert response.status_code == 200
        assert "Choose Approve or Send back." in messages_of(response)
        drafts[0].refresh_from_db()
        assert drafts[0].review_status == Pledge.Review.DRAFT

    def test_a_comment_too_long_is_refused_not_cut(self, client, ben, drafts):
        client.force_login(ben)
        comment = "a" * (COMMENT_MAX_LENGTH + 1)
        response = client.post(
            decide_url(drafts[0]), {"decision": "send_back", "comment": comment}, follow=True
        )
        assert f"keep it to {COMMENT_MAX_LENGTH}" in messages_of(response)[0]
        assert not drafts[0].history.filter(history_change_reason__startswith="sent back").exists()

    def test_control_characters_and_markup_in_the_comment(self, client, ben, drafts):
        client.force_login(ben)
        comment = "<script>alert(1)</script>\x00\n\tline"
        client.post(decide_url(drafts[0]), {"decision": "send_back", "comment": comment})
        reason = drafts[0].history.latest("history_date").history_change_reason
        assert reason == "sent back: <script>alert(1)</script> line"
        page = client.get(f"/admin/tracker/pledge/{drafts[0].pk}/change/").content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; line" in page

    @pytest.mark.parametrize("path", ["999999/decide/", "abc/decide/"])
    def test_no_such_pledge(self, client, ben, path):
        client.force_login(ben)
        response = client.post(f"/admin/tracker/pledge/{path}", {"decision": "approve"})
        assert response.status_code in {302, 404}

    def test_without_the_csrf_token_refused(self, ben, drafts):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(ben)
        assert strict.post(decide_url(drafts[0]), {"decision": "approve"}).status_code == 403


class TestPages:
    def test_the_form_from_the_queue_has_the_buttons_keys_and_neighbours(self, client, ben, drafts):
        client.force_login(ben)
        response = client.get(QUEUE + f"{drafts[1].pk}/change/")
        assert response["Location"] == form_url(drafts[1])
        page = client.get(form_url(drafts[1])).content.decode()
        assert 'value="approve"' in page and 'value="send_back"' in page
        assert f'href="{form_url(drafts[0])}" rel="prev"' in page
        assert f'href="{form_url(drafts[2])}" rel="next"' in page
        assert "js/admin-review.js" in page

    def test_the_form_opened_elsewhere_has_the_buttons_but_no_keys(self, client, ben, drafts):
        client.force_login(ben)
        page = client.get(f"/admin/tracker/pledge/{drafts[0].pk}/change/").content.decode()
        assert 'value="approve"' in page
        assert "js/admin-review.js" not in page

    def test_the_author_sees_no_buttons(self, client, anna, drafts):
        client.force_login(anna)
        page = client.get(form_url(drafts[0])).content.decode()
        assert 'value="approve"' not in page
        assert "a second editor reviews it" in page

    def test_no_review_permission_no_panel(self, client, django_user_model, drafts):
        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        viewer.groups.add(Group.objects.get(name="Editors"))
        viewer.user_permissions.clear()
        editors = Group.objects.get(name="Editors")
        review = editors.permissions.get(codename="review_pledge")
        editors.permissions.remove(review)
        client.force_login(viewer)
        page = client.get(f"/admin/tracker/pledge/{drafts[0].pk}/change/").content.decode()
        assert 'id="review-panel"' not in page
        assert 'value="approve"' not in client.get(QUEUE).content.decode()

    def test_the_queue_rows_show_the_whole_sentence_and_the_buttons(self, client, ben, drafts):
        # Written past the rule that keeps cited sentences: only the list's display is tested.
        Sentence.objects.filter(pk=drafts[0].sentence_id).update(
            text="Deutschland sagt weitere " + "sehr " * 40 + "1 Million Euro zu, nicht 2."
        )
        client.force_login(ben)
        page = client.get(QUEUE).content.decode()
        assert "sehr " * 40 in page
        assert "<mark>1 Million Euro</mark> zu, nicht 2." in page
        assert page.count('name="decision" value="approve"') == len(drafts)
        assert f'<form id="decide-{drafts[0].pk}"' in page
