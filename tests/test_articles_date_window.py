"""Dates of articles and pledges lie from 1990 to a year ahead: in forms, in the database, and
after the migration that brought the rule in."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.date_window import EARLIEST, latest_date, validate_date_in_window
from articles.models import Article
from tests.factories import ArticleFactory, PledgeFactory
from tracker.models import Pledge
from tracker.services.rollup import rollup_differences

TYPOS = ["0202-03-02", "0001-01-01", "9999-12-31", "2100-01-01", "1989-12-31"]


class TestWindow:
    def test_from_1990_to_a_year_after_today(self):
        today = timezone.localdate()
        validate_date_in_window(EARLIEST)
        validate_date_in_window(latest_date(today))
        validate_date_in_window(None)
        for wrong in (EARLIEST - datetime.timedelta(days=1), latest_date() + datetime.timedelta(1)):
            with pytest.raises(ValidationError) as refused:
                validate_date_in_window(wrong)
            assert refused.value.messages == [
                f"{wrong.isoformat()} is outside the accepted dates, 1990-01-01 to "
                f"{latest_date().isoformat()}."
            ]

    def test_a_year_after_29_february_is_28_february(self):
        assert latest_date(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
        assert latest_date(datetime.date(2026, 12, 6)) == datetime.date(2027, 12, 6)


@pytest.mark.django_db
class TestModels:
    @pytest.mark.parametrize("typo", TYPOS)
    def test_full_clean_names_the_date(self, typo):
        pledge = PledgeFactory.build(announced_on=datetime.date.fromisoformat(typo))
        with pytest.raises(ValidationError) as refused:
            pledge.full_clean(exclude=["donor", "category", "sentence"])
        assert list(refused.value.message_dict) == ["announced_on"]
        assert "is outside the accepted dates" in refused.value.message_dict["announced_on"][0]
        article = ArticleFactory.build(published_on=datetime.date.fromisoformat(typo))
        with pytest.raises(ValidationError) as refused:
            article.full_clean()
        assert list(refused.value.message_dict) == ["published_on"]

    @pytest.mark.parametrize("typo", ["0202-03-02", "0001-01-01", "9999-12-31", "2100-01-01"])
    def test_the_database_refuses_what_a_save_past_the_form_would_store(self, typo):
        day = datetime.date.fromisoformat(typo)
        with pytest.raises(IntegrityError), transaction.atomic():
            PledgeFactory(announced_on=day)
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticleFactory(published_on=day)

    def test_the_database_keeps_a_fixed_window_up_to_2099(self):
        # A date a validator refuses today but accepts in years to come is stored.
        far = datetime.date(2099, 12, 31)
        assert PledgeFactory(announced_on=far).announced_on == far
        assert PledgeFactory(announced_on=EARLIEST).announced_on == EARLIEST


@pytest.mark.django_db
class TestAdmin:
    def test_a_mistyped_year_is_a_form_error_and_saves_nothing(self, client, seeded):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.create_superuser("root", "", "x" * 20))
        pledge = Pledge.objects.get(pk=4)
        page = client.get(f"/admin/tracker/pledge/{pledge.pk}/change/")
        form = page.context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        data = {name: "" if value is None else value for name, value in data.items()}
        data["evidence"] = [s.pk for s in pledge.evidence.all()]
        data["announced_on"] = "0202-03-02"
        response = client.post(f"/admin/tracker/pledge/{pledge.pk}/change/", data)
        assert response.status_code == 200
        assert "0202-03-02 is outside the accepted dates, 1990-01-01 to" in html.unescape(
            response.content.decode()
        )
        pledge.refresh_from_db()
        assert pledge.announced_on == datetime.date(2025, 6, 4)

    def test_an_article_with_a_mistyped_year_is_not_saved(self, client, seeded):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.create_superuser("root", "", "x" * 20))
        article = Article.objects.exclude(published_on=None).first()
        page = client.get(f"/admin/articles/article/{article.pk}/change/")
        form = page.context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        data = {name: "" if value is None else value for name, value in data.items()}
        for formset in page.context["inline_admin_formsets"]:
            management = formset.formset.management_form
            for name in management.fields:
                data[f"{management.prefix}-{name}"] = management[name].value()
            for inline in formset.formset.forms:
                for name in inline.fields:
                    value = inline[name].value()
                    data[f"{inline.prefix}-{name}"] = "" if value is None else value
        data["published_on"] = "9999-12-31"
        response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
        assert response.status_code == 200
        assert "9999-12-31 is outside the accepted dates" in response.content.decode()
        article.refresh_from_db()
        assert article.published_on != datetime.date(9999, 12, 31)


BEFORE = [("tracker", "0014_exchange_rates_provisional"), ("articles", "0004_editors_add_article")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_dates_outside_the_window_without_failing():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    old = {name: apps.get_model("tracker", name) for name in ("Donor", "Category", "Pledge")}
    Article_, Sentence_ = (
        apps.get_model("articles", "Article"),
        apps.get_model("articles", "Sentence"),
    )
    typo = Article_.objects.create(
        slug="typo", title="Typo", published_on=datetime.date(202, 3, 2), language="en", body="A."
    )
    good = Article_.objects.create(
        slug="good", title="Good", published_on=datetime.date(2022, 3, 2), language="en", body="B."
    )
    sentence = Sentence_.objects.create(article=typo, position=1, start=0, end=2, text="A.")
    donor = old["Donor"].objects.create(slug="germany", name="Germany")
    category = old["Category"].objects.create(slug="military", name="Military")
    common = {"donor": donor, "category": category, "sentence": sentence, "version": 1}
    wrong = old["Pledge"].objects.create(
        **common, amount=5, currency="USD", announced_on=datetime.date(9999, 12, 31), notes="Hi."
    )
    euros = old["Pledge"].objects.create(
        **common, amount=7, currency="EUR", amount_eur=7, announced_on=datetime.date(1, 1, 1)
    )
    kept = old["Pledge"].objects.create(
        **common, amount=9, currency="EUR", amount_eur=9, announced_on=datetime.date(2025, 1, 1)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    wrong, euros, kept = (Pledge.objects.get(pk=p.pk) for p in (wrong, euros, kept))
    assert wrong.announced_on is None and wrong.amount_eur is None
    assert wrong.notes.startswith("Hi.\n\nAnnounced on 9999-12-31 as first entered:")
    assert "9999-12-31" in wrong.search_text
    assert wrong.version == 2
    assert euros.announced_on is None and euros.amount_eur == 7
    assert euros.notes.startswith("Announced on 0001-01-01 as first entered:")
    assert kept.announced_on == datetime.date(2025, 1, 1) and kept.notes == "" and kept.version == 1
    assert rollup_differences() == []
    typo, good = Article.objects.get(slug="typo"), Article.objects.get(slug="good")
    assert typo.published_on is None and good.published_on == datetime.date(2022, 3, 2)
    cleared = typo.history.latest()
    assert cleared.published_on is None
    assert "0202-03-02" in cleared.history_change_reason
