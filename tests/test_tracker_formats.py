"""The table's fast formatting gives exactly what Django's own formatting gives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.templatetags.pledges import amount, count, date_label, normalize

LANGUAGES = ("en", "de")
amounts = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e18"), allow_nan=False, places=4
)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(value=amounts, places=st.sampled_from([None, 0, 2]))
def test_amounts_match_djangos_grouped_format(language, value, places):
    with translation.override(language):
        expected_places = places
        if expected_places is None:
            expected_places = 0 if value == value.to_integral_value() else 2
        rounded = value.quantize(Decimal(1).scaleb(-expected_places), rounding="ROUND_HALF_UP")
        assert amount(value, places) == formats.number_format(
            rounded, expected_places, use_l10n=True, force_grouping=True
        )


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=-(10**15), max_value=10**18))
def test_counts_match_djangos_grouped_format(language, value):
    with translation.override(language):
        assert count(value) == formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=0, max_value=Decimal("100000"), allow_nan=False, places=6))
def test_rates_match_djangos_ungrouped_format(language, value):
    with translation.override(language):
        places = max(0, -value.normalize().as_tuple().exponent)
        assert normalize(value) == formats.number_format(value, places, use_l10n=True)


def test_figures_read_as_analysts_read_them():
    with translation.override("en"):
        assert amount(Decimal("6600000000")) == "6,600,000,000"
        assert amount(Decimal("1234.5")) == "1,234.50"
        assert amount(Decimal("-0.001"), 2) == "0.00"
        assert count(1500) == "1,500"
    with translation.override("de"):
        assert amount(Decimal("6600000000")) == "6.600.000.000"
        assert amount(Decimal("1234.5")) == "1.234,50"
        assert normalize(Decimal("0.842100")) == "0,8421"


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_match_djangos_format_in_each_language(language):
    day = date(2025, 1, 16)
    with translation.override(language):
        assert date_label(day) == formats.date_format(day, "DATE_FORMAT")
        assert date_label(day, "month") == formats.date_format(day, "YEAR_MONTH_FORMAT")
        assert date_label(day, "year") == "2025"


def test_dates_are_remembered_per_language():
    day = date(2025, 1, 16)
    with translation.override("en"):
        assert date_label(day) == "16 Jan 2025"
    with translation.override("de"):
        assert date_label(day) == "16. Jan. 2025"
