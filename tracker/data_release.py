"""Which data a request reads, and under which licence: stated in every API response."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tracker.selectors.releases import release_asked

#: The data as they are now, edits included, rather than a numbered, frozen release.
LIVE = "live"


def data_release(request: HttpRequest) -> str:
    """The release the request reads: its number ("3") when ``?release=N`` names one, else
    the live data. ``ReleaseNotFound`` when it names none."""
    release = release_asked(request.GET)
    return LIVE if release is None else str(release.number)


def data_licence() -> dict[str, Any]:
    """The data's licence: its SPDX name, title and URL (``DATA_LICENCE``)."""
    return dict(settings.DATA_LICENCE)
