"""Accepted suggestions keep their origin: what was suggested is stored with the pledge."""

from __future__ import annotations

import json

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
    pledge.origin, pledge.suggestion = Pledge.Origin.SUGGESTION, suggested
