"""The tracker's tables, one module per concept: pledges (with donors and categories), the
roll-up that adds them up in advance, stored exchange rates, the published releases, the
Kiel reference data and the suggestions editors rejected."""

from __future__ import annotations

from tracker.models.kiel import KielActivity, KielMonthly, KielRelease, KielWeapon
from tracker.models.pledges import (
    Category,
    Donor,
    EditConflict,
    Pledge,
    PledgeQuerySet,
    PledgeReviewQueue,
    localized,
    name_sort_key,
)
from tracker.models.rates import ExchangeRate
from tracker.models.releases import Release, ReleasedPledge, ReleaseImmutable
from tracker.models.rollup import PledgeRollup, PledgeSummary, PledgeSums
from tracker.models.suggestions import SuggestionRejection

__all__ = [
    "Category",
    "Donor",
    "EditConflict",
    "ExchangeRate",
    "KielActivity",
    "KielMonthly",
    "KielRelease",
    "KielWeapon",
    "Pledge",
    "PledgeQuerySet",
    "PledgeReviewQueue",
    "PledgeRollup",
    "PledgeSummary",
    "PledgeSums",
    "Release",
    "ReleaseImmutable",
    "ReleasedPledge",
    "SuggestionRejection",
    "localized",
    "name_sort_key",
]
