"""Accepted suggestions keep their origin: what was suggested is stored with the pledge."""

from __future__ import annotations

import json

from tracker.cache import data_changed
from tracker.models import Pledge

MAX_PAYLOAD = 4000


def pledge_mark_suggested(*, pledge: Pledge, payload: str) -> None:
    """Record that ``pledge`` began as a suggestion, keeping the suggested values as JSON.

    The payload comes from the add link; anything that is not a small JSON object is ignored
    rather than stored, as an editor could have typed the address by hand.
    """
    if len(payload) > MAX_PAYLOAD:
        return
    try:
        suggested = json.loads(payload)
    except ValueError:
        return
    if not isinstance(suggested, dict):
        return
    Pledge.objects.filter(pk=pledge.pk).update(
        origin=Pledge.Origin.SUGGESTION, suggestion=suggested
    )
    data_changed()
    pledge.origin, pledge.suggestion = Pledge.Origin.SUGGESTION, suggested


def suggestion_payload(suggestion) -> dict:
    """What is kept of a suggestion with the pledge that accepts it."""
    return {
        "amount": None if suggestion.amount is None else format(suggestion.amount, "f"),
        "currency": suggestion.currency,
        "quantity": suggestion.quantity,
        "item": suggestion.item,
        "qualifier": suggestion.qualifier,
        "donor": suggestion.donor_slug,
        "category": suggestion.category,
        "stage": suggestion.stage,
        "announced_on": suggestion.announced_on.isoformat() if suggestion.announced_on else None,
        "date_precision": suggestion.date_precision,
        "period": suggestion.period,
        "is_aggregate": suggestion.is_aggregate,
        "part_of": suggestion.part_of_index is not None,
        "rules": dict(suggestion.rules),
    }


def suggestion_form_values(
    suggestion, *, sentence_id: int, donors: dict, categories: dict, evidence: tuple = ()
):
    """The pledge form's initial values for ``suggestion`` (admin add-form query parameters).

    ``donors`` and ``categories`` map slugs to primary keys; what is not known stays empty
    for the editor to fill in. ``evidence``: the ids of the sentences (a title, a caption)
    that state the figure again.
    """
    values = {
        "sentence": sentence_id,
        "amount": "" if suggestion.amount is None else format(suggestion.amount, "f"),
        "currency": suggestion.currency,
        "quantity": suggestion.quantity or "",
        "item": suggestion.item,
        "qualifier": suggestion.qualifier,
        "stage": suggestion.stage,
        "period": suggestion.period,
        "donor": donors.get(suggestion.donor_slug, ""),
        "category": categories.get(suggestion.category, ""),
        "announced_on": suggestion.announced_on.isoformat() if suggestion.announced_on else "",
        "date_precision": suggestion.date_precision,
        "suggestion": json.dumps(suggestion_payload(suggestion), separators=(",", ":")),
    }
    if suggestion.is_aggregate:
        values["is_aggregate"] = "on"
    if evidence:
        values["evidence"] = ",".join(str(pk) for pk in evidence)
    return {key: value for key, value in values.items() if value not in ("", None)}


def suggestion_recorded_as(suggestion, pledges) -> Pledge | None:
    """The one of ``pledges`` (citing the same sentence) that already states this figure."""
    for pledge in pledges:
        if suggestion.amount is not None and (pledge.amount, pledge.currency) == (
            suggestion.amount,
            suggestion.currency,
        ):
            return pledge
        if suggestion.quantity is not None and pledge.quantity == suggestion.quantity:
            return pledge
    return None


def suggestion_label(suggestion) -> str:
    """One line for an editor: "United Kingdom · over 3,000,000,000 USD · military"."""
    parts = [suggestion.donor_name or "donor?"]
    qualifier = "" if suggestion.qualifier == "exact" else f"{suggestion.qualifier} "
    if suggestion.amount is not None:
        parts.append(f"{qualifier}{suggestion.amount:,.0f} {suggestion.currency}".strip())
    if suggestion.quantity is not None:
        parts.append(f"{suggestion.quantity:,} {suggestion.item}".strip())
    parts.append(suggestion.category or "category?")
    if suggestion.stage != "pledged":
        parts.append(suggestion.stage)
    if suggestion.is_aggregate:
        parts.append("aggregate")
    return " · ".join(parts)
