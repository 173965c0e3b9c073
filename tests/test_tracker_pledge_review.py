"""A pledge page's review status, its "Last changed" and a history that names what changed."""

from __future__ import annotations

import re

import pytest
from django.utils import formats, timezone

from articles.models import Sentence
from tests.test_tracker_editing import add_pledge_as, admin_form, make_editor
from tracker.models import Category, Donor, Pledge
from tracker.selectors.history import pledge_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(django_user_model):
    user = make_editor(django_user_model, "anna")
    user.first_name, user.last_name = "Anna", "K."
    user.save()
    return user


@pytest.fixture
def ben(django_user_model):
    user = make_editor(django_user_model, "ben")
    user.first_name, user.last_name = "Ben", "M."
    user.save()
    return user


@pytest.fixture
def drafted(client, seeded, anna) -> Pledge:
    return add_pledge_as(
        client,
        anna,
        donor=Donor.objects.get(slug="united-kingdom").pk,
        category=Category.objects.get(slug="air-defence").pk,
        amount="5000000",
        currency="EUR",
    )


def review(client, pledge: Pledge, reviewer) -> None:
    client.force_login(reviewer)
    client.post(
        "/admin/tracker/pledge/", {"action": "mark_reviewed", "_selected_action": [pledge.pk]}
    )
    pledge.refresh_from_db()
    assert pledge.review_status == Pledge.Review.REVIEWED


def change(client, pledge: Pledge, editor, **values) -> Pledge:
    client.force_login(editor)
    pledge.refresh_from_db()
    response = client.post(
        f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, **values)
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    return pledge


def page(client, pledge: Pledge, **headers) -> str:
    client.logout()
    return client.get(f"/pledges/{pledge.pk}/", headers=headers).content.decode()


def badges(html: str) -> str:
    return html.split('<p class="badges">', 1)[1].split("</p>", 1)[0]


def shown(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.mark.usefixtures("seeds_for_the_class")
class TestReviewStatus:
    def test_a_draft(self, client, drafted):
        html = page(client, drafted)
        assert "Draft: not reviewed yet" in badges(html)
        assert "Draft: a second editor has not reviewed it yet" in html

    def test_reviewed_by_whom_and_when(self, client, drafted, ben):
        review(client, drafted, ben)
        html = page(client, drafted)
        assert ">Reviewed</span>" in badges(html)
        assert f"Reviewed by Ben M. on {shown(drafted.reviewed_at)}" in html

    def test_sent_back_by_a_change(self, client, drafted, anna, ben):
        review(client, drafted, ben)
        changed = change(client, drafted, anna, notes="A correction.")
        assert changed.review_status == Pledge.Review.DRAFT
        html = page(client, changed)
        assert "Sent back to review" in badges(html)
        newest = changed.history.latest("history_date")
        assert f"Sent back to review by a change from Anna K. on {shown(newest.history_date)}" in (
            html
        )


class TestLastChanged:
    def test_is_the_newest_history_entry(self, client, drafted, anna, ben):
        review(client, drafted, ben)
        changed = change(client, drafted, anna, notes="A correction.")
        html = page(client, changed)
        last = re.search(r"<dt>Last changed</dt><dd>([^<]*)", html)[1].strip()
        first_entry = re.search(r'<span class="history-when">([^<]*)</span>', html)[1]
        assert last == first_entry == shown(changed.history.latest("history_date").history_date)

    def test_without_history_is_the_time_stamp(self, client, seeded):
        pledge = Pledge.objects.get(pk=3)  # loaded as a fixture: no history
        assert not pledge.history.exists()
        html = page(client, pledge)
        last = re.search(r"<dt>Last changed</dt><dd>([^<]*)", html)[1].strip()
        assert last == shown(pledge.updated_at)


@pytest.mark.usefixtures("seeds_for_the_class")
class TestHistoryNames:
    def test_names_instead_of_ids(self, client, drafted, anna):
        sentence = Sentence.objects.exclude(pk=drafted.sentence_id).first()
        before = drafted.sentence
        changed = change(
            client,
            drafted,
            anna,
            category=Category.objects.get(slug="drones").pk,
            donor=Donor.objects.get(slug="germany").pk,
            part_of=5,
            sentence=sentence.pk,
            is_aggregate="on",
            stage="delivered",
        )
        html = page(client, changed)
        changes = html.split('<ul class="history-changes">', 1)[1].split("</ul>", 1)[0]
        text = re.sub(r"<[^>]+>", "", changes)
        assert "Category: Military › Air defence → Military › Drones" in text
        assert "Donor: United Kingdom → Germany" in text
        assert "Part of: — → pledge #5 (United Kingdom)" in text
        assert f"Source sentence: sentence {before.position} of “{before.article.title[:5]}" in text
        assert f"→ sentence {sentence.position} of “{sentence.article.title[:20]}" in text
        assert "Reported aggregate: No → Yes" in text
        assert "Stage: Pledged → Delivered" in text
        assert not re.search(r": \d+ → \d+", text), text

    def test_german(self, client, drafted, anna):
        changed = change(client, drafted, anna, category=Category.objects.get(slug="drones").pk)
        text = re.sub(r"<[^>]+>", "", page(client, changed, **{"Accept-Language": "de"}))
        assert "Kategorie: Militärisch › Luftverteidigung → Militärisch › Drohnen" in text

    def test_one_query_per_kind_of_row_named(
        self, client, drafted, anna, django_assert_num_queries
    ):
        for slug in ("drones", "ammunition", "artillery", "air-defence"):
            change(client, drafted, anna, category=Category.objects.get(slug=slug).pk)
        # the versions with their editors, their evidence, the categories of all four changes
        with django_assert_num_queries(3):
            entries = pledge_history(drafted)
        categories = [c.new for e in entries for c in e.changes if c.field == "Category"]
        assert categories == [
            "Military › Air defence",
            "Military › Artillery",
            "Military › Ammunition",
            "Military › Drones",
        ]

    def test_further_evidence_is_named(self, client, drafted):
        sentence = Sentence.objects.select_related("article").exclude(pk=drafted.sentence_id)[2]
        drafted.evidence.add(sentence)
        text = re.sub(r"<[^>]+>", "", page(client, drafted))
        title = sentence.article.title[:20]
        assert f"Further evidence: — → sentence {sentence.position} of “{title}" in text
