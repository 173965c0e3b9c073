"""Publishing a release: the reviewed pledges as release N, with what changed since N-1.

A release keeps each pledge's CSV values (tracker/models/releases.py). Its changelog compares
them with release N-1's: pledges added; changed, with each column's old and new value; merged
into another pledge (the history of a merge names the pledge kept); withdrawn, that is gone
or no longer reviewed. ``updated_at`` alone is not a change: it moves with every save, a
review's too.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from tracker.cache import data_changed
from tracker.models import Pledge, Release, ReleasedPledge
from tracker.selectors.export import (
    COLUMNS,
    READ,
    RELEASED_COLUMNS,
    export_values,
    plain_cell,
)

#: The columns whose change is a change of the pledge: all but the derived links (built from
#: the article and sentence, which are compared) and the time of the last save.
COMPARED = tuple(
    column
    for column in COLUMNS
    if column not in ("id", "sentence_link", "source_link", "updated_at")
)
#: The columns read from the database: all but the links, built as the CSV is written.
COLUMNS_READ = tuple(name for name, _, _ in READ)
#: Not in the CSV, kept for the table: the donor's slug and German name, the categories'
#: German names, the period, the publisher and the words the table's search reads.
EXTRAS = {
    "donor_slug": F("donor__slug"),
    "donor_name_de": F("donor__name_de"),
    "category_label_de": F("category__name_de"),
    "parent_label_de": F("category__parent__name_de"),
    "period": F("period"),
    "publisher": F("sentence__article__publisher"),
    "search_text": F("search_text"),
}
#: A merge's history names the pledge kept: "Merged into #12." (in the editor's language).
MERGED_INTO = re.compile(r"#(\d+)")


class ReleaseRefused(Exception):
    """No release is published; the message says why."""


class NothingChanged(ReleaseRefused):
    """The reviewed pledges are as release N-1 has them."""


@dataclass
class Changelog:
    """What release N changes against N-1, by pledge id, in the CSV's terms."""

    added: list[int] = field(default_factory=list)
    #: {"id": 5, "fields": {"amount": ["1000.00", "2000.00"]}}: each changed column, old, new
    changed: list[dict[str, Any]] = field(default_factory=list)
    #: {"id": 7, "into": 5}
    merged: list[dict[str, int]] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.merged or self.withdrawn)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def reviewed_rows() -> dict[int, dict[str, Any]]:
    """The reviewed pledges as a release keeps them: field values by pledge id."""
    pledges = Pledge.objects.filter(review_status=Pledge.Review.REVIEWED).order_by("id")
    rows = {}
    for values in export_values(pledges).annotate(**EXTRAS).iterator(chunk_size=2000):
        row = {RELEASED_COLUMNS.get(name, name): values[f"c_{name}"] for name in COLUMNS_READ}
        parent_de = values["parent_label_de"]
        row.update(
            {name: values[name] or "" for name in EXTRAS if name != "parent_label_de"},
            # The CSV's labels name the top category and the sub-category: so do these.
            category_label_de=(parent_de if row["subcategory"] else values["category_label_de"])
            or "",
            subcategory_label_de=(values["category_label_de"] or "") if row["subcategory"] else "",
        )
        rows[row["pledge_id"]] = row
    return rows


def released_rows(release: Release) -> dict[int, dict[str, Any]]:
    names = [RELEASED_COLUMNS.get(name, name) for name in COLUMNS_READ]
    return {row["pledge_id"]: row for row in release.pledges.values(*names).iterator()}


def merged_into(pledge_id: int) -> int | None:
    """The pledge that ``pledge_id``, deleted, was merged into, as its history says."""
    deleted = (
        Pledge.history.filter(id=pledge_id, history_type="-")
        .order_by("-history_date")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    found = MERGED_INTO.search(deleted or "")
    return int(found.group(1)) if found else None


def releases_compare(
    before: dict[int, dict[str, Any]], after: dict[int, dict[str, Any]]
) -> Changelog:
    """What changed from the rows ``before`` to the rows ``after`` (each by pledge id)."""
    changes = Changelog(added=sorted(after.keys() - before.keys()))
    for pk in sorted(before.keys() & after.keys()):
        old, new = before[pk], after[pk]
        fields = {}
        for column in COMPARED:
            name = RELEASED_COLUMNS.get(column, column)
            if plain_cell(old[name]) != plain_cell(new[name]):
                fields[column] = [plain_cell(old[name]), plain_cell(new[name])]
        if fields:
            changes.changed.append({"id": pk, "fields": fields})
    gone = sorted(before.keys() - after.keys())
    live = set(Pledge.objects.filter(pk__in=gone).values_list("pk", flat=True))
    for pk in gone:
        into = None if pk in live else merged_into(pk)
        if into is None:
            changes.withdrawn.append(pk)
        else:
            changes.merged.append({"id": pk, "into": into})
    return changes


def release_draft() -> tuple[Release | None, dict[int, dict[str, Any]], Changelog]:
    """The latest release, the rows the next one would hold and what they change."""
    rows = reviewed_rows()
    if not rows:
        raise ReleaseRefused(
            gettext("There are no reviewed pledges: a release publishes reviewed pledges only.")
        )
    latest = Release.objects.order_by("-number").first()
    before = released_rows(latest) if latest else {}
    return latest, rows, releases_compare(before, rows)


def release_publish(*, force: bool = False) -> tuple[Release, Changelog]:
    """Publish the reviewed pledges as the next release, numbered after the latest. Refused
    when there are none, and when nothing changed since the latest unless ``force``."""
    latest, rows, changes = release_draft()
    if latest is not None and not changes and not force:
        raise NothingChanged(
            gettext("Nothing changed since release %(number)s of %(date)s.")
            % {
                "number": latest.number,
                "date": timezone.localdate(latest.published_at).isoformat(),
            }
        )
    number = latest.number + 1 if latest else 1
    try:
        with transaction.atomic():
            release = Release.objects.create(
                number=number, published_at=timezone.now(), changes=changes.as_json()
            )
            ReleasedPledge.objects.bulk_create(
                (ReleasedPledge(release=release, **row) for row in rows.values()),
                batch_size=1000,
            )
            data_changed()
    except IntegrityError as error:
        raise ReleaseRefused(
            gettext("Release %(number)s was published by someone else meanwhile; run again.")
            % {"number": number}
        ) from error
    return release, changes
