"""The annotation workspace: an article's text with its figures marked and its suggestions as
cards, accepted as draft pledges, accepted a sentence at a time, rejected, and undone; who may
use it; and what it says to posts it cannot act on."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import ArticleFactory, CategoryFactory, DonorFactory, SentenceFactory
from tracker.models import Pledge, SuggestionRejection
from tracker.selectors.workspace import selection_form_values
from tracker.suggest import suggest_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db, django_user_model):
    """An editor without a password: hashing one takes longer than these tests."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def article(db):
    article = ArticleFactory(
        slug="norway-package",
        published_on=datetime.date(2025, 6, 4),
        body=(
            "Norwegen sagt der Ukraine weitere 500 Millionen Euro für Luftverteidigung und "
            "zusätzlich 200 Millionen Euro für Munition zu. Zudem liefert Oslo 20 Schnellboote."
        ),
    )
    second = article.body.index("Zudem")
    SentenceFactory(article=article, position=1, start=0, end=second - 1)
    SentenceFactory(article=article, position=2, start=second, end=len(article.body))
    DonorFactory(slug="norway", name="Norway", name_de="Norwegen", iso2="NO")
    for suggestion in suggest_article(article):
        CategoryFactory(slug=suggestion.category)
    return article


def url(article, action: str = "") -> str:
    return f"/admin/articles/article/{article.pk}/workspace/{action}"


def cards(page: str) -> list[dict[str, str]]:
    """The accept forms of the workspace's cards, in order, with the values they submit."""
    found = []
    for inner in re.findall(
        r'<form method="post" action="[^"]*/accept/"[^>]*>(.*?)</form>', page, re.S
    ):
        fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner)
        found.append(
            {name: html.unescape(value) for name, value in fields if name != "csrfmiddlewaretoken"}
        )
    return found


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestPage:
    def test_marks_each_figure_and_shows_a_card_per_suggestion(self, editor_client, article):
        page = editor_client.get(url(article)).content.decode()
        assert page.count('<article class="ws-card') == 3
        assert '<mark class="ws-suggested"' in page
        assert ">500 Millionen Euro</mark>" in page and ">20 Schnellboote</mark>" in page
        assert 'class="ws-card current" id="current" data-card="1"' in page
        assert "figure: money" in page  # the rules, in the card's muted line
        assert "js/admin-workspace.js" in page

    def test_linked_from_the_article_page_and_list(self, editor_client, article):
        change = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
        assert url(article) in change.content.decode()
        assert url(article) in editor_client.get("/admin/articles/article/").content.decode()


class TestAccept:
    def test_accept_makes_a_draft_pledge_that_keeps_the_suggestion(
        self, editor_client, editor, article
    ):
        first = cards(editor_client.get(url(article)).content.decode())[0]
        response = editor_client.post(url(article, "accept/"), first)
        assert response.status_code == 302
        assert response["Location"] == url(article) + "?at=1#current"
        pledge = Pledge.objects.get()
        assert (pledge.amount, pledge.currency, pledge.donor.slug) == (500_000_000, "EUR", "norway")
        assert pledge.review_status == Pledge.Review.DRAFT
        assert pledge.origin == Pledge.Origin.SUGGESTION
        assert pledge.suggestion["rules"]["figure"] == "money"
        assert pledge.history.get().history_user == editor
        page = editor_client.get(url(article)).content.decode()
        assert len(cards(page)) == 2
        assert '<mark class="ws-recorded"' in page

    def test_accept_all_of_a_sentence(self, editor_client, article):
        sentence = article.sentences.get(position=1)
        response = editor_client.post(url(article, "accept-all/"), {"sentence": sentence.pk})
        assert response.status_code == 302
        assert sorted(Pledge.objects.values_list("amount", flat=True)) == [200_000_000, 500_000_000]
        assert set(Pledge.objects.values_list("sentence", flat=True)) == {sentence.pk}
        [left] = cards(editor_client.get(url(article)).content.decode())
        assert '"quantity":20' in left["suggestion"]

    def test_the_title_that_repeats_a_figure_becomes_its_evidence(self, editor_client, db):
        body = (
            "Oslo liefert 20 Schnellboote\n\n"
            "Norwegen hat am Dienstag 20 Schnellboote an die Ukraine übergeben."
        )
        titled = ArticleFactory(
            slug="oslo-boats", published_on=datetime.date(2025, 6, 4), body=body
        )
        lead = body.index("Norwegen")
        title = SentenceFactory(article=titled, position=1, start=0, end=lead - 2, kind="headline")
        SentenceFactory(article=titled, position=2, start=lead, end=len(body))
        DonorFactory(slug="norway", name="Norway", name_de="Norwegen", iso2="NO")
        for suggestion in suggest_article(titled):
            CategoryFactory(slug=suggestion.category)
        page = editor_client.get(url(titled)).content.decode()
        assert 'also stated in</dt><dd><a href="#s-1">sentence 1</a>' in page
        [card] = cards(page)
        editor_client.post(url(titled, "accept/"), card)
        pledge = Pledge.objects.get()
        assert (pledge.quantity, list(pledge.evidence.all())) == (20, [title])

    def test_a_suggestion_without_a_known_donor_is_left_for_edit(self, editor_client, article):
        Pledge.objects.all().delete()
        from tracker.models import Donor

        Donor.objects.filter(slug="norway").delete()
        first = cards(editor_client.get(url(article)).content.decode())[0]
        response = editor_client.post(url(article, "accept/"), first, follow=True)
        assert "cannot be accepted as it is" in " ".join(messages_of(response))
        assert "use Edit" in " ".join(messages_of(response))
        assert not Pledge.objects.exists()

    def test_undo_of_accept_deletes_the_unchanged_draft(self, editor_client, article):
        [first, second, _] = cards(editor_client.get(url(article)).content.decode())
        editor_client.post(url(article, "accept/"), first)
        editor_client.post(url(article, "accept/"), second)
        response = editor_client.post(url(article, "undo/"), follow=True)
        assert "1 draft pledge(s) deleted" in " ".join(messages_of(response))
        assert list(Pledge.objects.values_list("amount", flat=True)) == [500_000_000]
        # Only the last decision is undone, once.
        response = editor_client.post(url(article, "undo/"), follow=True)
        assert "Nothing to undo." in messages_of(response)
        assert Pledge.objects.count() == 1

    def test_undo_keeps_a_draft_changed_since(self, editor_client, article):
        editor_client.post(
            url(article, "accept/"), cards(editor_client.get(url(article)).content.decode())[0]
        )
        pledge = Pledge.objects.get()
        pledge.notes = "checked"
        pledge.save()
        response = editor_client.post(url(article, "undo/"), follow=True)
        assert "was kept" in " ".join(messages_of(response))
        assert Pledge.objects.count() == 1


class TestReject:
    def test_reject_then_undo(self, editor_client, editor, article):
        boats = cards(editor_client.get(url(article)).content.decode())[2]
        response = editor_client.post(url(article, "reject/"), {**boats, "reason": "not_aid"})
        assert response["Location"] == url(article) + "?at=2#current"
        rejection = SuggestionRejection.objects.get()
        assert (rejection.quantity, rejection.reason, rejection.rejected_by) == (
            20,
            "not_aid",
            editor,
        )
        page = editor_client.get(url(article)).content.decode()
        assert len(cards(page)) == 2 and '<mark class="ws-rejected"' in page
        editor_client.post(url(article, "undo/"))
        assert not SuggestionRejection.objects.exists()
        assert len(cards(editor_client.get(url(article)).content.decode())) == 3

    def test_a_rejection_is_undone_by_its_own_button(self, editor_client, article):
        boats = cards(editor_client.get(url(article)).content.decode())[2]
        editor_client.post(url(article, "reject/"), boats)
        rejection = SuggestionRejection.objects.get()
        editor_client.post(url(article, "undo/"), {"rejection": rejection.pk})
        assert not SuggestionRejection.objects.exists()


class TestSelection:
    def test_the_form_opens_filled_in_from_the_selected_words(self, editor_client, article):
        sentence = article.sentences.get(position=2)
        response = editor_client.get(
            url(article, "selection/"), {"sentence": sentence.pk, "text": "20 Schnellboote"}
        )
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/admin/tracker/pledge/add/?")
        for part in (
            f"sentence={sentence.pk}",
            "quantity=20",
            "item=Schnellboote",
            "announced_on=2025-06-04",
            f"workspace={article.pk}",
        ):
            assert part in location
        form = editor_client.get(location).content.decode()
        assert 'name="quantity" value="20"' in form

    def test_money_is_read_with_its_currency(self):
        values = selection_form_values("mehr als 3,5 Milliarden Euro", language="de")
        assert (values["amount"], values["currency"]) == ("3500000000", "EUR")

    def test_a_saved_form_from_the_workspace_returns_there(self, editor_client, article):
        sentence = article.sentences.get(position=2)
        donor = DonorFactory(slug="norway")
        category = CategoryFactory(slug="boats")
        add = f"/admin/tracker/pledge/add/?sentence={sentence.pk}&workspace={article.pk}"
        response = editor_client.post(
            add,
            {
                "sentence": sentence.pk,
                "donor": donor.pk,
                "category": category.pk,
                "quantity": 3,
                "item": "Schnellboote",
                "qualifier": "exact",
                "stage": "pledged",
                "date_precision": "day",
                "recipient": "Ukraine",
                "currency": "",
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert response["Location"] == url(article) + "?at=2#current"


class TestWhoMay:
    def test_anonymous_is_sent_to_log_in(self, client, article):
        assert client.get(url(article))["Location"].startswith("/admin/login/")
        client.post(url(article, "accept-all/"), {"sentence": article.sentences.first().pk})
        assert not Pledge.objects.exists()

    def test_staff_who_may_not_add_pledges_is_refused(self, client, article, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
        client.force_login(viewer)
        assert client.get(url(article)).status_code == 403
        sentence = article.sentences.first().pk
        assert client.post(url(article, "accept-all/"), {"sentence": sentence}).status_code == 403
        assert client.post(url(article, "undo/")).status_code == 403
        assert not Pledge.objects.exists()


class TestHostilePosts:
    @pytest.mark.parametrize(
        ("action", "data", "message"),
        [
            ("accept/", {"sentence": "999999", "suggestion": "{}"}, "no such sentence"),
            ("accept/", {"sentence": "1; DROP TABLE"}, "no such sentence"),
            ("accept/", {"sentence": "²"}, "no such sentence"),
            ("accept/", {"suggestion": "{not json"}, "not JSON"),
            ("accept/", {"suggestion": '{"quantity": 21}'}, "no open suggestion of that figure"),
            ("accept/", {"suggestion": "x" * 5000}, "too long"),
            ("accept-all/", {"sentence": "9" * 30}, "no such sentence"),
            ("reject/", {"suggestion": '{"quantity": 21}'}, "no open suggestion of that figure"),
            ("reject/", {"reason": "because"}, "Unknown reason"),
            ("undo/", {"rejection": "abc"}, "that rejection is gone"),
            ("undo/", {"rejection": "999999"}, "that rejection is gone"),
        ],
    )
    def test_refused_with_a_message_and_nothing_saved(
        self, editor_client, article, action, data, message
    ):
        boats = {
            "sentence": str(article.sentences.get(position=2).pk),
            "suggestion": '{"quantity": 20}',
        }
        response = editor_client.post(url(article, action), {**boats, **data}, follow=True)
        assert response.status_code == 200
        assert message in " ".join(messages_of(response))
        assert not Pledge.objects.exists() and not SuggestionRejection.objects.exists()

    def test_a_suggestion_accepted_twice_is_refused_the_second_time(self, editor_client, article):
        first = cards(editor_client.get(url(article)).content.decode())[0]
        editor_client.post(url(article, "accept/"), first)
        response = editor_client.post(url(article, "accept/"), first, follow=True)
        assert "no open suggestion of that figure any more" in " ".join(messages_of(response))
        assert Pledge.objects.count() == 1

    def test_a_sentence_of_another_article_is_refused(self, editor_client, article):
        other = SentenceFactory(article=ArticleFactory(), position=1)
        response = editor_client.post(
            url(article, "accept-all/"), {"sentence": other.pk}, follow=True
        )
        assert "no such sentence in this article" in " ".join(messages_of(response))
        assert not Pledge.objects.exists()

    def test_get_and_unknown_articles(self, editor_client, article):
        assert editor_client.get(url(article, "accept/")).status_code == 405
        assert editor_client.get("/admin/articles/article/999999/workspace/").status_code == 404
        assert (
            editor_client.post("/admin/articles/article/999999/workspace/accept/").status_code
            == 404
        )
