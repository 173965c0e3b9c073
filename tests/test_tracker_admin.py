from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.models import Pledge, Release, SuggestionRejection

pytestmark = pytest.mark.django_db


def pledge_form(**values) -> dict[str, str]:
    form = {
        "recipient": "Ukraine",
        "qualifier": "exact",
        "stage": "pledged",
        "date_precision": "day",
        "announced_on": "2025-06-04",
        "amount": "",
        "currency": "",
        "quantity": "",
        "item": "",
        "period": "",
        "notes": "",
    }
    form.update({key: str(value) for key, value in values.items()})
    return form


class TestPledgeAdmin:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/admin/tracker/pledge/add/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_editor_adds_a_pledge_against_a_sentence(self, editor_client):
        sentence = SentenceFactory()
        donor = DonorFactory(name="United Kingdom")
        category = CategoryFactory(name="Training")
        response = editor_client.post(
            "/admin/tracker/pledge/add/",
            pledge_form(
                sentence=sentence.pk,
                donor=donor.pk,
                category=category.pk,
                amount="247000000",
                currency="gbp",
            ),
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        pledge = Pledge.objects.get()
        assert (pledge.donor, pledge.amount, pledge.currency) == (
            donor,
            Decimal("247000000"),
            "GBP",
        )
        assert pledge.sentence == sentence

    def test_form_errors_say_what_is_wrong(self, editor_client):
        response = editor_client.post(
            "/admin/tracker/pledge/add/",
            pledge_form(
                sentence=SentenceFactory().pk,
                donor=DonorFactory().pk,
                category=CategoryFactory().pk,
                amount="-5",
                quantity="3",
            ),
        )
        assert response.status_code == 200
        assert Pledge.objects.count() == 0
        errors = response.context["adminform"].form.errors
        assert errors["currency"] == ["Give the currency of this amount, e.g. EUR."]
        assert errors["item"] == ["Say what the quantity counts, e.g. “drones”."]
        assert "An amount cannot be negative." in errors["__all__"]

    def test_missing_choices_are_named(self, editor_client):
        response = editor_client.post("/admin/tracker/pledge/add/", pledge_form(item="tanks"))
        errors = response.context["adminform"].form.errors
        assert errors["sentence"] == [
            "Choose the sentence that states this pledge (type words from it)."
        ]
        assert errors["donor"] == ["Choose who gives (type a country or organisation)."]

    def test_add_link_prefills_the_sentence_and_quotes_it(self, editor_client):
        article = ArticleFactory(body="Großbritannien liefert 15 Systeme.")
        sentence = SentenceFactory(article=article)
        article_page = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
        link = f"/admin/tracker/pledge/add/?sentence={sentence.pk}&amp;announced_on=2025-06-04"
        assert link.encode() in article_page.content
        form_page = editor_client.get(link.replace("&amp;", "&"))
        assert form_page.context["adminform"].form.initial["sentence"] == str(sentence.pk)
        assert b"Gro\xc3\x9fbritannien liefert 15 Systeme." in form_page.content

    def test_sentence_autocomplete_searches_text_and_article(self, editor_client):
        SentenceFactory(article=ArticleFactory(title="Gravehawk für Kiew", body="Ein Satz."))
        url = "/admin/autocomplete/?app_label=tracker&model_name=pledge&field_name=sentence&term="
        assert len(editor_client.get(url + "Gravehawk").json()["results"]) == 1
        assert len(editor_client.get(url + "Satz").json()["results"]) == 1
        assert editor_client.get(url + "Panzer").json()["results"] == []

    def test_editors_get_save_and_next_on_the_add_and_change_pages(self, editor_client):
        pledge = PledgeFactory()
        for url in ("/admin/tracker/pledge/add/", f"/admin/tracker/pledge/{pledge.pk}/change/"):
            assert 'name="_savenext"' in editor_client.get(url).content.decode()

    def test_changelist_filters_and_searches(self, editor_client):
        response = editor_client.get("/admin/tracker/pledge/?q=drones&stage__exact=pledged")
        assert response.status_code == 200


class TestViewOnlyStaff:
    """Staff who may only view (every ``view_`` permission, nothing else) read every record."""

    @pytest.fixture
    def viewer_client(self, client, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
        client.force_login(viewer)
        return client

    def test_every_admin_page_of_every_record_opens(self, viewer_client):
        # A record of every model the admin shows (the viewer and the Editors group are the
        # user and the group); the pledge, article and donor with their history.
        pledge = PledgeFactory(notes="Seen, not changed.")
        pledge.notes = "Seen, and changed once."
        pledge.save()
        SuggestionRejection.objects.create(
            sentence=pledge.sentence, quantity=3, suggestion={"quantity": 3}
        )
        Release.objects.create(number=1, published_at=timezone.now(), changes={})
        # The login records (django-axes): one failed login and one that succeeds.
        User.objects.create_user("somebody", password="a quiet river under the bridge")
        login = Client()
        for password in ("wrong", "a quiet river under the bridge"):
            login.post("/admin/login/", {"username": "somebody", "password": password})
        pages = []
        for model in apps.get_models():
            if not admin.site.is_registered(model):
                continue
            record = model._default_manager.order_by("pk").first()
            assert record is not None, model
            info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pages += [
                reverse(f"{info}_changelist"),
                reverse(f"{info}_change", args=[record.pk]),
                reverse(f"{info}_history", args=[record.pk]),
            ]
            if hasattr(record, "history") and record.history.exists():
                version = record.history.order_by("history_id").first()
                pages.append(reverse(f"{info}_simple_history", args=[record.pk, version.pk]))
        assert len(pages) >= 8 * 3
        pages.append(reverse("admin:tracker_suggestionrejection_quality"))
        for url in pages:
            # The review queue forwards to the pledge's own pages.
            response = viewer_client.get(url, follow=True)
            assert response.status_code == 200, url
        page = viewer_client.get(f"/admin/tracker/pledge/{pledge.pk}/change/")
        assert "Seen, and changed once." in page.content.decode()
        # shown, not offered for editing or saving
        assert 'name="notes"' not in page.content.decode()
        assert 'name="_savenext"' not in page.content.decode()


class TestCreateEditor:
    def test_creates_a_staff_editor_from_the_environment(self, monkeypatch, django_user_model):
        # a passphrase of its own: the site's words ("editor", "password") would not count
        monkeypatch.setenv("EDITOR_PASSWORD", "amber lantern quietly folds")
        call_command("create_editor", "anna", stdout=None)
        user = django_user_model.objects.get(username="anna")
        assert user.is_staff and not user.is_superuser
        assert user.check_password("amber lantern quietly folds")
        assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
        assert user.has_perm("tracker.add_pledge")
        assert not user.has_perm("auth.add_user")

    def test_refuses_a_weak_password(self, monkeypatch, django_user_model):
        monkeypatch.setenv("EDITOR_PASSWORD", "123")
        with pytest.raises(CommandError, match="Password refused"):
            call_command("create_editor", "anna")
        assert not django_user_model.objects.exists()

    def test_sets_the_display_name_public_pages_show(self, monkeypatch, django_user_model):
        monkeypatch.setenv("EDITOR_PASSWORD", "amber lantern quietly folds")
        call_command("create_editor", "anna.k", "--display-name", " Anna K. ", stdout=None)
        assert django_user_model.objects.get(username="anna.k").get_full_name() == "Anna K."
        call_command("create_editor", "anna.k", "--display-name", "", stdout=None)
        assert django_user_model.objects.get(username="anna.k").get_full_name() == ""

    def test_refuses_the_login_as_display_name(self, monkeypatch, django_user_model):
        monkeypatch.setenv("EDITOR_PASSWORD", "amber lantern quietly folds")
        with pytest.raises(CommandError, match="display name is the login"):
            call_command("create_editor", "anna.k", "--display-name", "Anna.K")
        assert not django_user_model.objects.exists()
