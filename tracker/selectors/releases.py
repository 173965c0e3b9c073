"""The published releases: which one an address asks for, the releases page, a changelog.

Every figure here is read from what a release stored when it was published
(tracker/models/releases.py), never from the live pledges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tracker.filters import DEFAULT_SORT, ReleaseFilter
from tracker.models import Release, ReleasedPledge

#: The largest release number looked up: beyond it no database column reaches, and an
#: address with one is as unknown as any other.
MAX_NUMBER = 2**31 - 1
#: How many pledges each kind of change lists on the releases page; the changelog has all.
SHOWN = 30


class ReleaseNotFound(Exception):
    """No release has the number asked for; the message says so, and what there is."""


def release_by_number(text: str | int) -> Release:
    """The release numbered ``text`` (digits, from an address), or ``ReleaseNotFound``."""
    text = str(text)
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_NUMBER:
        raise ReleaseNotFound(
            gettext("“%(text)s” is not a release number: releases are numbered 1, 2, 3 …")
            % {"text": text[:40]}
        )
    release = Release.objects.filter(number=int(text)).first()
    if release is None:
        latest = Release.objects.order_by("-number").values_list("number", flat=True).first()
        message = gettext("There is no release %(number)s.") % {"number": int(text)}
        if latest is None:
            message += " " + gettext("No release has been published yet.")
        else:
            message += " " + gettext("The releases are numbered 1 to %(latest)s.") % {
                "latest": latest
            }
        raise ReleaseNotFound(message)
    return release


def release_asked(query: QueryDict) -> Release | None:
    """The release ``?release=N`` asks for, None without one, or ``ReleaseNotFound``."""
    if "release" not in query:
        return None
    return release_by_number(query.get("release", ""))


def latest_release() -> Release | None:
    return Release.objects.order_by("-number").first()


def release_rows(release: Release) -> QuerySet[ReleasedPledge]:
    """The rows of a release's CSV, in the table's default order (as the table's export
    without filters has them)."""
    return release.pledges.order_by(*(key.order() for key in ReleaseFilter.sort_keys[DEFAULT_SORT]))


@dataclass(frozen=True)
class ReleaseEntry:
    """One release as the releases page lists it."""

    number: int
    published: date
    added: int
    changed: int
    merged: int
    withdrawn: int
    #: its page's absolute address, the address citations give
    url: str
    csv_url: str
    datapackage_url: str
    changelog_url: str
    table_url: str
    citation: str
    #: the first ``SHOWN`` changes of each kind, as lines of text
    lines: dict[str, list[str]]
    #: whether the changelog has more than ``lines`` show
    more: bool


def release_entry(release: Release, *, site_url: str, shown: int | None = SHOWN) -> ReleaseEntry:
    changes = release.changes
    number = release.number
    url = f"{site_url}{reverse('release-detail', args=[number])}"
    published = timezone.localdate(release.published_at)
    lines = changelog_entries(changes)
    return ReleaseEntry(
        number=number,
        published=published,
        added=len(changes.get("added", ())),
        changed=len(changes.get("changed", ())),
        merged=len(changes.get("merged", ())),
        withdrawn=len(changes.get("withdrawn", ())),
        url=url,
        csv_url=reverse("release-file", args=[number, "pledges.csv"]),
        datapackage_url=reverse("release-file", args=[number, "datapackage.json"]),
        changelog_url=reverse("release-file", args=[number, "changelog"]),
        table_url=f"{reverse('pledge-list')}?release={number}",
        citation=release_citation(release, url=url),
        lines={kind: entries[:shown] for kind, entries in lines.items()},
        more=shown is not None and any(len(entries) > shown for entries in lines.values()),
    )


def release_citation(release: Release, *, url: str) -> str:
    """The line to cite a release by: title, version, date, address."""
    return gettext("Aid Pledge Tracker, release %(number)s (%(date)s), %(url)s") % {
        "number": release.number,
        "date": timezone.localdate(release.published_at).isoformat(),
        "url": url,
    }


def releases_page(*, site_url: str) -> dict[str, Any]:
    """The releases (``/releases/``), newest first."""
    releases = Release.objects.order_by("-number")
    return {"releases": [release_entry(release, site_url=site_url) for release in releases]}


def release_page(release: Release, *, site_url: str) -> dict[str, Any]:
    """One release (``/releases/N/``), with its whole changelog."""
    return {"releases": [release_entry(release, site_url=site_url, shown=None)], "single": True}


def changelog_entries(changes: dict[str, Any]) -> dict[str, list[str]]:
    """Each change of a stored changelog as a line, by kind: added, changed, merged,
    withdrawn."""
    changed = []
    for entry in changes.get("changed", ()):
        fields = "; ".join(
            f"{name}: {old or '∅'} → {new or '∅'}" for name, (old, new) in entry["fields"].items()
        )
        changed.append(f"#{entry['id']}: {fields}")
    return {
        "added": [f"#{pk}" for pk in changes.get("added", ())],
        "changed": changed,
        "merged": [
            gettext("#%(id)s into #%(into)s") % {"id": entry["id"], "into": entry["into"]}
            for entry in changes.get("merged", ())
        ],
        "withdrawn": [f"#{pk}" for pk in changes.get("withdrawn", ())],
    }


def changelog_text(changes: dict[str, Any], *, number: int, previous: int | None) -> str:
    """A changelog as plain text: what ``manage.py release`` prints, and what
    ``/releases/N/changelog`` serves."""
    if previous is None:
        head = gettext("Release %(number)s: the first release.") % {"number": number}
    else:
        head = gettext("Release %(number)s, against release %(previous)s.") % {
            "number": number,
            "previous": previous,
        }
    titles = {
        "added": gettext("Added"),
        "changed": gettext("Changed"),
        "merged": gettext("Merged into another pledge"),
        "withdrawn": gettext("Withdrawn (gone, or no longer reviewed)"),
    }
    out = [head, ""]
    for kind, lines in changelog_entries(changes).items():
        count = ngettext("%(n)s pledge", "%(n)s pledges", len(lines)) % {"n": len(lines)}
        out.append(f"{titles[kind]}: {count}")
        out.extend(f"  {line}" for line in lines)
    return "\n".join(out) + "\n"
