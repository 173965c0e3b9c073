"""What editors make of suggestions is kept: rejections (with their rules, editor and reason,
undone on request), accepted and corrected pledges compared live with what was suggested, and
the page that shows each rule's precision from them."""

from __future__ import annotations

import datetime
import html
import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.factories import ArticleFactory, PledgeFactory, SentenceFactory
from tracker.models import Pledge, SuggestionRejection
from tracker.selectors.suggestion_quality import (
    BEFORE_RULES,
    suggestion_outcome,
    suggestion_quality,
)
from tracker.selectors.suggestions import suggestions_open
from tracker.suggest import suggest_article

pytestmark = pytest.mark.django_db

REJECT = "/admin/tracker/suggestionrejection/reject/"
QUALITY = "/admin/tracker/suggestionrejection/quality/"


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
            "Norwegen sagt der Ukraine weitere 500 Millionen Euro für Luftverteidigung zu. "
            "Zudem liefert Oslo 20 Schnellboote."
        ),
    )
    second = article.body.index("Zudem")
    SentenceFactory(article=article, position=1, start=0, end=second - 1)
    SentenceFactory(article=article, position=2, start=second, end=len(article.body))
    return article


def page_of(client, article) -> str:
    return client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()


def reject_forms(page: str) -> dict[str, dict[str, str]]:
    """The reject forms of the article's page, by id, with the values they submit."""
    forms = {}
    for form_id, inner in re.findall(r'<form id="(reject-[^"]+)"[^>]*>(.*?)</form>', page):
        fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner)
        forms[form_id] = {name: html.unescape(value) for name, value in fields}
    return forms


def open_labels(page: str) -> list[str]:
    return re.findall(r'<a class="suggestion"[^>]*>([^<]*)</a>', page)


class TestReject:
    def test_a_rejected_suggestion_is_kept_with_its_rules_and_no_longer_offered(
        self, editor_client, editor, article
    ):
        page = page_of(editor_client, article)
        # (The engine's reading of the rest may change: the tests hold to the figures.)
        [money_label, boats_label] = open_labels(page)
        assert "500,000,000 EUR" in money_label and "20 Schnellboote" in boats_label
        forms = reject_forms(page)
        assert len(forms) == 2
        # Each suggestion has its reason and button, tied to its own form after the page's.
        assert page.count('class="reject-suggestion"') == 2
        assert f'<select name="reason" form="{next(iter(forms))}"' in page
        boats = next(form for form in forms.values() if '"quantity":20' in form["suggestion"])
        response = editor_client.post(REJECT, {**boats, "reason": "not_aid"})
        assert response.status_code == 302
        assert response["Location"].endswith(
            f"/articles/article/{article.pk}/change/#suggestions-2"
        )
        rejection = SuggestionRejection.objects.get()
        assert (rejection.sentence.position, rejection.quantity, rejection.amount) == (2, 20, None)
        assert (rejection.rejected_by, rejection.reason) == (editor, "not_aid")
        [engine_boats] = [s for s in suggest_article(article) if s.quantity == 20]
        assert rejection.suggestion["rules"] == dict(engine_boats.rules)
        assert rejection.figure_rule == engine_boats.rule("figure") != ""
        assert rejection.suggestion["item"] == "Schnellboote"
        page = page_of(editor_client, article)
        assert open_labels(page) == [money_label]
        assert f"<del>{html.escape(boats_label)}</del>" in page
        assert "rejected · not aid · editor" in page
        assert list(suggestions_open(article)) == [1]

    def test_rejecting_again_keeps_one_rejection(self, editor_client, article):
        [money, _boats] = reject_forms(page_of(editor_client, article)).values()
        for _ in range(2):
            assert editor_client.post(REJECT, money).status_code == 302
        assert SuggestionRejection.objects.count() == 1

    def test_the_payload_names_the_figure_but_the_engine_says_what_is_kept(
        self, editor_client, article
    ):
        [money, _boats] = reject_forms(page_of(editor_client, article)).values()
        forged = {**json.loads(money["suggestion"]), "rules": {"figure": "forged"}}
        editor_client.post(REJECT, {**money, "suggestion": json.dumps(forged)})
        [engine_money] = [s for s in suggest_article(article) if s.amount is not None]
        assert SuggestionRejection.objects.get().figure_rule == engine_money.rule("figure")

    def test_undo_offers_it_again_and_is_logged(self, editor_client, editor, article):
        [money, _boats] = reject_forms(page_of(editor_client, article)).values()
        editor_client.post(REJECT, money)
        rejection = SuggestionRejection.objects.get()
        page = page_of(editor_client, article)
        assert f'<form id="undo-{rejection.pk}"' in page
        assert f'form="undo-{rejection.pk}" class="undo-rejection">Undo</button>' in page
        response = editor_client.post(f"/admin/tracker/suggestionrejection/{rejection.pk}/undo/")
        assert response.status_code == 302
        assert not SuggestionRejection.objects.exists()
        assert "500,000,000 EUR" in open_labels(page_of(editor_client, article))[0]
        gone = SuggestionRejection.history.filter(history_type="-").get()
        assert (gone.id, gone.history_user) == (rejection.pk, editor)
        assert LogEntry.objects.filter(action_flag=DELETION, user=editor).count() == 1

    def test_only_an_editor_who_may_reject_sees_the_buttons(self, client, article, editor):
        viewer = type(editor).objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
        client.force_login(viewer)
        page = page_of(client, article)
        assert len(open_labels(page)) == 2
        assert "reject-suggestion" not in page
        assert reject_forms(page) != {}  # the forms are there, but no button submits them
        assert client.post(REJECT, next(iter(reject_forms(page).values()))).status_code == 403
        assert not SuggestionRejection.objects.exists()


class TestHostileRequests:
    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"suggestion": "{not json"}, "not JSON"),
            ({"suggestion": "[1, 2]"}, "not a JSON object"),
            ({"suggestion": "{}"}, "states no figure"),
            ({"suggestion": '{"amount": "lots", "currency": "EUR"}'}, "not a number"),
            ({"suggestion": '{"amount": "NaN", "currency": "EUR"}'}, "a number and a currency"),
            ({"suggestion": '{"quantity": "20"}'}, "not a whole number"),
            ({"suggestion": '{"quantity": 21}'}, "no open suggestion of that figure"),
            ({"suggestion": "x" * 5000}, "too long"),
            ({"sentence": "999999"}, "No such sentence"),
            ({"sentence": "1; DROP TABLE"}, "No such sentence"),
            ({"sentence": "9" * 30}, "No such sentence"),
            ({"sentence": "²"}, "No such sentence"),
            ({"reason": "because"}, "Unknown reason"),
        ],
    )
    def test_a_bad_rejection_is_refused_with_its_reason(
        self, editor_client, article, change, message
    ):
        boats = {
            "sentence": str(article.sentences.get(position=2).pk),
            "suggestion": '{"quantity": 20}',
        }
        response = editor_client.post(REJECT, {**boats, **change})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not SuggestionRejection.objects.exists()

    def test_get_is_not_allowed(self, editor_client, article):
        assert editor_client.get(REJECT).status_code == 405
        rejection = SuggestionRejection.objects.create(
            sentence=article.sentences.first(), quantity=20, suggestion={}
        )
        assert (
            editor_client.get(
                f"/admin/tracker/suggestionrejection/{rejection.pk}/undo/"
            ).status_code
            == 405
        )
        assert (
            editor_client.post("/admin/tracker/suggestionrejection/999999/undo/").status_code == 404
        )
        assert SuggestionRejection.objects.count() == 1

    def test_without_a_csrf_token_nothing_is_rejected(self, editor, article):
        client = Client(enforce_csrf_checks=True)
        client.force_login(editor)
        boats = {"sentence": article.sentences.get(position=2).pk, "suggestion": '{"quantity":20}'}
        assert client.post(REJECT, boats).status_code == 403
        assert not SuggestionRejection.objects.exists()

    @pytest.mark.parametrize("staff", [False, True])
    def test_no_one_else_rejects_or_reads_the_quality(
        self, client, article, django_user_model, staff
    ):
        boats = {"sentence": article.sentences.get(position=2).pk, "suggestion": '{"quantity":20}'}
        # Anonymous, then an account without staff status (sent to the login), then staff
        # outside the Editors group (refused).
        for user in (None, django_user_model.objects.create_user("someone", is_staff=staff)):
            if user is not None:
                client.force_login(user)
            expected = 403 if user is not None and staff else 302
            assert client.post(REJECT, boats).status_code == expected
            assert client.get(QUALITY).status_code == expected
        assert not SuggestionRejection.objects.exists()


def payload(pledge: Pledge, **changes) -> dict:
    """The suggestion ``pledge`` would have been accepted from, unchanged."""
    return {
        "amount": None if pledge.amount is None else format(pledge.amount, "f"),
        "currency": pledge.currency,
        "quantity": pledge.quantity,
        "item": pledge.item,
        "qualifier": pledge.qualifier,
        "donor": pledge.donor.slug,
        "category": pledge.category.slug,
        "stage": pledge.stage,
        "announced_on": pledge.announced_on.isoformat() if pledge.announced_on else None,
        "date_precision": pledge.date_precision,
        "period": pledge.period,
        "is_aggregate": pledge.is_aggregate,
        "part_of": pledge.part_of_id is not None,
        "rules": {"figure": "money", "stage": "default", "date": "article"},
        **changes,
    }


def accepted(**values) -> Pledge:
    """A pledge that began as a suggestion (``rules`` and ``suggested``: what it said)."""
    rules = values.pop("rules", None)
    suggested = values.pop("suggested", {})
    pledge = PledgeFactory(origin=Pledge.Origin.SUGGESTION, **values)
    kept = payload(pledge, **suggested)
    if rules is not None:
        kept["rules"] = rules
    if rules == "before":
        del kept["rules"]
    Pledge.objects.filter(pk=pledge.pk).update(suggestion=kept)
    pledge.refresh_from_db()
    return pledge


def outcome_of(pledge: Pledge):
    from tracker.selectors.suggestion_quality import PLEDGE_VALUES

    [row] = Pledge.objects.filter(pk=pledge.pk).values_list(*PLEDGE_VALUES)
    return suggestion_outcome(dict(zip(PLEDGE_VALUES, row, strict=True)))


class TestAcceptedOrCorrected:
    def test_a_later_edit_turns_accepted_into_corrected(self, db):
        pledge = accepted()
        assert (outcome_of(pledge).corrected, outcome_of(pledge).changed) == (False, [])
        pledge.stage = Pledge.Stage.DELIVERED
        pledge.amount = Decimal("2000000")
        pledge.save()
        outcome = outcome_of(pledge)
        assert (outcome.corrected, outcome.changed) == (True, ["figure", "stage"])
        assert outcome.kept["stage"] == ("default", False)
        assert outcome.kept["donor"] == ("(no rule)", True)

    def test_every_attribute_is_compared(self, db):
        pledge = accepted(
            suggested={
                "donor": "",
                "category": "ammunition",
                "announced_on": "2025-06-01",
                "date_precision": "month",
                "period": "2025",
                "is_aggregate": True,
                "part_of": True,
                "quantity": 5,
            }
        )
        assert outcome_of(pledge).changed == [
            "figure",
            "donor",
            "category",
            "date",
            "period",
            "aggregate",
            "part_of",
        ]

    def test_the_date_is_compared_at_its_precision(self, db):
        month = {"announced_on": "2025-06-01", "date_precision": "month"}
        same = accepted(
            announced_on=datetime.date(2025, 6, 1), date_precision="month", suggested=month
        )
        finer = accepted(
            announced_on=datetime.date(2025, 6, 1), date_precision="day", suggested=month
        )
        # Suggestions kept before the precision was: the day alone.
        older = accepted(announced_on=datetime.date(2025, 6, 1), suggested={"date_precision": None})
        assert [outcome_of(p).kept["date"][1] for p in (same, finer, older)] == [True, False, True]

    def test_a_suggestion_kept_before_rules_were_counts_under_its_own_name(self, db):
        outcome = outcome_of(accepted(rules="before"))
        assert outcome.figure_rule == str(BEFORE_RULES)
        assert outcome.kept["stage"] == (str(BEFORE_RULES), True)
        # What older suggestions did not keep is not compared.
        old = accepted(rules="before")
        trimmed = {k: v for k, v in old.suggestion.items() if k not in ("period", "date_precision")}
        Pledge.objects.filter(pk=old.pk).update(suggestion=trimmed, period="2026")
        assert "period" not in outcome_of(old).kept

    def test_a_stored_suggestion_that_is_not_an_object_is_left_out(self, db):
        pledge = accepted()
        Pledge.objects.filter(pk=pledge.pk).update(suggestion=["not", "an", "object"])
        assert suggestion_quality().decisions == 0


@pytest.fixture
def decisions(db):
    """Seven decisions: four pledges (one corrected, one from before rules were kept) and three
    rejections."""
    accepted(rules={"figure": "money", "stage": "default"})
    corrected = accepted(rules={"figure": "money", "stage": "default"})
    corrected.stage = Pledge.Stage.DELIVERED
    corrected.save()
    accepted(
        amount=None,
        currency="",
        quantity=20,
        item="boats",
        rules={"figure": "quantity", "stage": "delivered word in clause"},
    )
    accepted(rules="before")
    sentence = SentenceFactory()
    for rule, reason in (("money", "not_aid"), ("quantity", ""), ("money", "conversion")):
        SuggestionRejection.objects.create(
            sentence=sentence,
            quantity=1,
            reason=reason,
            suggestion={"quantity": 1, "rules": {"figure": rule}},
        )


class TestQualityPage:
    def test_the_figures(self, decisions):
        quality = suggestion_quality()
        assert (quality.accepted, quality.corrected, quality.rejected) == (3, 1, 3)
        figures = [(r.rule, r.accepted, r.corrected, r.rejected) for r in quality.figure_rules]
        # The weakest first; at the same precision, the one with more decisions.
        assert figures == [
            ("money", 1, 1, 2),
            ("quantity", 1, 0, 1),
            (str(BEFORE_RULES), 1, 0, 0),
        ]
        stage = next(a for a in quality.attributes if a.attribute == "stage")
        assert (stage.kept, stage.total) == (3, 4)
        assert [(r.rule, r.kept, r.total) for r in stage.rules] == [
            ("default", 1, 2),
            (str(BEFORE_RULES), 1, 1),
            ("delivered word in clause", 1, 1),
        ]
        # The weakest attribute first: stage is the only one corrected.
        assert quality.attributes[0].attribute == "stage"
        assert quality.rejected_for == [("no reason", 1), ("conversion", 1), ("not aid", 1)]

    def test_the_page_shows_them(self, decisions, editor_client):
        response = editor_client.get(QUALITY)
        assert response.status_code == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
        assert (
            "Based on 7 decisions by editors: 3 accepted as suggested, 1 corrected, 3 rejected."
            in text
        )
        assert re.search(r"money 1 1 2 2 of 4 .*quantity 1 0 1 1 of 2", text)
        assert re.search(
            r"stage 3 of 4 default 1 of 2 \(before rules were kept\) 1 of 1 delivered word", text
        )
        assert "not aid: 1" in text

    def test_in_german(self, decisions, editor_client):
        response = editor_client.get(QUALITY, headers={"accept-language": "de"})
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
        assert "Nach 7 Entscheidungen" in text
        assert "Zahlen: Präzision je Regel" in text
        assert "Stadium 3 von 4" in text

    def test_nothing_decided_yet(self, editor_client):
        response = editor_client.get(QUALITY)
        assert "Nothing decided yet" in response.content.decode()
        assert response.context_data["quality"].decisions == 0

    def test_linked_from_the_admin_index_and_the_article(self, editor_client, article):
        assert f'href="{QUALITY}"' in editor_client.get("/admin/").content.decode()
        assert f'href="{QUALITY}"' in page_of(editor_client, article)


def test_editors_may_reject_read_and_undo(db):
    granted = set(
        Group.objects.get(name="Editors")
        .permissions.filter(codename__endswith="suggestionrejection")
        .values_list("codename", flat=True)
    )
    assert granted == {
        "view_suggestionrejection",
        "add_suggestionrejection",
        "delete_suggestionrejection",
    }
