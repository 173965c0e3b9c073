"""How well each rule of the suggestion engine does, read from what editors made of it.

Every pledge that began as a suggestion keeps what was suggested, with the rule that decided
each value (``Pledge.suggestion``); every rejected suggestion is kept too
(``SuggestionRejection``). A pledge is compared with its suggestion as it is now, so a
reviewer's later correction counts: all values as suggested is *accepted*, any changed is
*corrected*. Nothing is stored: the figures are read at once, every time.

- A figure rule's precision: accepted + corrected out of accepted + corrected + rejected.
- An attribute's rule: the accepted and corrected suggestions whose value for it was kept.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from tracker.models import Pledge, SuggestionRejection

#: The rule of a suggestion accepted before suggestions named their rules.
BEFORE_RULES = _("(before rules were kept)")
#: The attribute kept its default: no rule said anything about it.
NO_RULE = _("(no rule)")

#: The attributes compared, in the order the page lists them, and their names.
ATTRIBUTES = {
    "figure": _("figure (amount, currency, quantity)"),
    "donor": _("donor"),
    "category": _("category"),
    "stage": _("stage"),
    "date": _("date, at its precision"),
    "period": _("period"),
    "aggregate": _("reported aggregate"),
    "part_of": _("part of"),
}


@dataclass(frozen=True)
class FigureRule:
    """What became of the figures one rule found."""

    rule: str
    accepted: int
    corrected: int
    rejected: int

    @property
    def right(self) -> int:
        return self.accepted + self.corrected

    @property
    def decided(self) -> int:
        return self.right + self.rejected

    @property
    def precision(self) -> float:
        return self.right / self.decided


@dataclass(frozen=True)
class AttributeRule:
    """How often the value one rule gave an attribute was kept."""

    rule: str
    kept: int
    total: int

    @property
    def share(self) -> float:
        return self.kept / self.total


@dataclass(frozen=True)
class AttributeQuality:
    attribute: str
    label: str
    kept: int
    total: int
    rules: list[AttributeRule]  # the weakest first

    @property
    def share(self) -> float:
        return self.kept / self.total


@dataclass(frozen=True)
class SuggestionQuality:
    accepted: int
    corrected: int
    rejected: int
    figure_rules: list[FigureRule]  # the weakest first
    attributes: list[AttributeQuality]  # the weakest first
    rejected_for: list[tuple[str, int]]  # reason label, count; the most frequent first

    @property
    def decisions(self) -> int:
        return self.accepted + self.corrected + self.rejected


@dataclass(frozen=True)
class Outcome:
    """One accepted suggestion as its pledge stands now: per attribute, its rule and whether
    the value suggested is still the pledge's."""

    figure_rule: str
    kept: dict[str, tuple[str, bool]]

    @property
    def corrected(self) -> bool:
        return not all(kept for _rule, kept in self.kept.values())

    @property
    def changed(self) -> list[str]:
        return [attribute for attribute, (_rule, kept) in self.kept.items() if not kept]


PLEDGE_VALUES = (
    "amount",
    "currency",
    "quantity",
    "donor__slug",
    "category__slug",
    "stage",
    "announced_on",
    "date_precision",
    "period",
    "is_aggregate",
    "part_of_id",
    "suggestion",
)


def suggestion_quality() -> SuggestionQuality:
    """Precision per figure rule and values kept per attribute and rule, from every decision."""
    pledges = Pledge.objects.filter(origin=Pledge.Origin.SUGGESTION, suggestion__isnull=False)
    outcomes = [
        outcome
        for row in pledges.order_by().values_list(*PLEDGE_VALUES)
        if (outcome := suggestion_outcome(dict(zip(PLEDGE_VALUES, row, strict=True))))
    ]
    rejected_rules: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for suggested, reason in SuggestionRejection.objects.order_by().values_list(
        "suggestion", "reason"
    ):
        rejected_rules[_rule_of(suggested, "figure")] += 1
        reasons[reason] += 1
    labels = {**dict(SuggestionRejection.Reason.choices), "": _("no reason")}
    return SuggestionQuality(
        accepted=sum(not outcome.corrected for outcome in outcomes),
        corrected=sum(outcome.corrected for outcome in outcomes),
        rejected=sum(rejected_rules.values()),
        figure_rules=_figure_rules(outcomes, rejected_rules),
        attributes=_attributes(outcomes),
        rejected_for=[
            (str(labels.get(reason, reason)), n)
            for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        ],
    )


def suggestion_outcome(pledge: dict[str, Any]) -> Outcome | None:
    """Compare a pledge's values (``PLEDGE_VALUES``) with the suggestion it began as.

    Only the attributes the stored suggestion holds are compared (older ones hold fewer).
    """
    suggested = pledge["suggestion"]
    if not isinstance(suggested, dict):
        return None
    kept: dict[str, tuple[str, bool]] = {
        "figure": (
            _rule_of(suggested, "figure"),
            _decimal(suggested.get("amount")) == pledge["amount"]
            and (suggested.get("currency") or "") == pledge["currency"]
            and suggested.get("quantity") == pledge["quantity"],
        )
    }
    same = {
        "donor": (suggested.get("donor") or None) == pledge["donor__slug"],
        "category": (suggested.get("category") or None) == pledge["category__slug"],
        "stage": suggested.get("stage") == pledge["stage"],
        "date": _date_kept(suggested, pledge["announced_on"], pledge["date_precision"]),
        "period": (suggested.get("period") or "") == pledge["period"],
        "aggregate": bool(suggested.get("is_aggregate")) == pledge["is_aggregate"],
        "part_of": bool(suggested.get("part_of")) == (pledge["part_of_id"] is not None),
    }
    keys = {"date": "announced_on", "aggregate": "is_aggregate"}
    for attribute, equal in same.items():
        if keys.get(attribute, attribute) in suggested:
            kept[attribute] = (_rule_of(suggested, attribute), equal)
    return Outcome(figure_rule=kept["figure"][0], kept=kept)


def _figure_rules(outcomes: list[Outcome], rejected: Counter[str]) -> list[FigureRule]:
    accepted = Counter(o.figure_rule for o in outcomes if not o.corrected)
    corrected = Counter(o.figure_rule for o in outcomes if o.corrected)
    rows = [
        FigureRule(rule=rule, accepted=accepted[rule], corrected=corrected[rule], rejected=n)
        for rule, n in ((rule, rejected[rule]) for rule in {*accepted, *corrected, *rejected})
    ]
    return sorted(rows, key=lambda row: (row.precision, -row.decided, str(row.rule)))


def _attributes(outcomes: list[Outcome]) -> list[AttributeQuality]:
    found = []
    for attribute, label in ATTRIBUTES.items():
        kept: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for outcome in outcomes:
            if attribute in outcome.kept:
                rule, same = outcome.kept[attribute]
                total[rule] += 1
                kept[rule] += same
        if not total:
            continue
        rules = sorted(
            (AttributeRule(rule=rule, kept=kept[rule], total=n) for rule, n in total.items()),
            key=lambda row: (row.share, -row.total, str(row.rule)),
        )
        found.append(
            AttributeQuality(
                attribute=attribute,
                label=str(label),
                kept=sum(kept.values()),
                total=sum(total.values()),
                rules=rules,
            )
        )
    return sorted(found, key=lambda row: (row.share, -row.total))


def _rule_of(suggested: object, attribute: str) -> str:
    if not isinstance(suggested, dict) or not isinstance(suggested.get("rules"), dict):
        return str(BEFORE_RULES)
    rule = suggested["rules"].get(attribute)
    return rule if isinstance(rule, str) and rule else str(NO_RULE)


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("NaN")  # equal to nothing: a figure that cannot be read was not kept


def _date_kept(suggested: dict, announced_on: datetime.date | None, precision: str) -> bool:
    """The suggested date is the pledge's, at the same precision (where the suggestion said
    which: older suggestions kept only the day)."""
    value = suggested.get("announced_on")
    if not value:
        return announced_on is None
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    stated = suggested.get("date_precision")
    return day == announced_on and (not stated or stated == precision)
