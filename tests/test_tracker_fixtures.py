from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.serializers import serialize

from tracker.models import Donor, Pledge
from tracker.selectors.totals import totals_overall

pytestmark = pytest.mark.django_db


def snapshot() -> str:
    return serialize("json", Pledge.objects.order_by("pk"))


def test_loading_all_fixtures_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("loaddata", "reference", "articles", "demo_pledges", verbosity=0)
    assert snapshot() == before
    assert Pledge.objects.count() == 8


def test_every_demo_pledge_passes_the_editor_form_rules(seeded):
    for pledge in Pledge.objects.all():
        pledge.full_clean()


def test_every_demo_pledge_cites_a_content_sentence_stating_its_figure(seeded):
    for pledge in Pledge.objects.select_related("sentence"):
        assert pledge.sentence.is_content
        for sentence in [pledge.sentence, *pledge.evidence.all()]:
            body = sentence.article.body
            assert body[sentence.start : sentence.end] == sentence.text


def test_demo_totals_count_each_pledge_once(seeded):
    totals = totals_overall(Pledge.objects.all())
    assert {t.currency: t.amount for t in totals.by_currency} == {
        "GBP": Decimal("247000000"),
        "USD": Decimal("6600000000"),
    }
    assert totals.in_kind_without_value == 2
    # two reported aggregates, the "davon" subset and the debated proposal
    assert totals.not_counted == 4


def test_reference_donors_cover_the_seed_countries(seeded):
    names = set(Donor.objects.values_list("name", flat=True))
    assert {
        "United Kingdom",
        "Germany",
        "United States",
        "France",
        "Norway",
        "Denmark",
        "Finland",
        "Sweden",
        "Iceland",
        "Estonia",
        "Latvia",
        "Lithuania",
        "NATO",
        "NATO allies",
        "EU institutions",
    } <= names
