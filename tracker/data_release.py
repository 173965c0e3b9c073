"""Which data a request reads, and under which licence: stated in every API response."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

#: The data as they are now, edits included, rather than a numbered, frozen release.
LIVE = "live"


def data_release(request: HttpRequest) -> str:
    """The release the request reads: the live data. The one place that names it, so that a
    numbered release asked for (``?release=N``) is stated here when releases come."""
    return LIVE


def data_licence() -> dict[str, Any]:
    """The data's licence: its SPDX name, title and URL (``DATA_LICENCE``)."""
    return dict(settings.DATA_LICENCE)
