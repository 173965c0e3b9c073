"""A pledge's history as a reader sees it: who changed what, from what, to what.

"Who" is never a login: the page is public, and a login is half of what it takes to sign in.
An editor appears under the name their account gives (first and last name, set with
``create_editor --display-name`` or on the admin's user page), or else under their role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext, gettext_lazy

from tracker.models import Pledge
from tracker.services.review import REVIEW_REASON

ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}
#: Derived or bookkeeping fields, not worth a line in the history.
QUIET = {
    "updated_at",
    "created_at",
    "version",
    "amount_eur",
    "fx_rate",
    "fx_date",
    "fx_provisional",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: tuple[Change, ...]


def pledge_history(pledge: Pledge, *, limit: int = 50) -> list[Entry]:
    """Newest first, each version compared with the one before it (two queries)."""
    records = list(
        pledge.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {
        field.name: str(field.verbose_name)
        for field in Pledge._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        changes: tuple[Change, ...] = ()
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=QUIET)
            changes = tuple(
                Change(labels.get(c.field, c.field), _shown(c.old), _shown(c.new))
                for c in delta.changes
            )
        entries.append(
            Entry(
                when=record.history_date,
                who=public_name(
                    record.history_user, reviewing=record.history_change_reason == REVIEW_REASON
                ),
                action=str(ACTIONS.get(record.history_type, ACTIONS["~"])),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries[:limit]


def public_name(user: AbstractUser | None, *, reviewing: bool = False) -> str:
    """How a public page names the editor of a change: their display name, else their role
    ("" for a change no one made: a data load)."""
    if user is None:
        return ""
    name = user.get_full_name()
    # A display name that merely repeats the login would publish the login after all.
    if name and name.casefold() != user.get_username().casefold():
        return name
    if reviewing:
        return gettext("Reviewer")
    if user.is_superuser:
        return gettext("Administrator")
    return gettext("Editor")


def _shown(value) -> str:
    if isinstance(value, list):  # the evidence sentences of a many-to-many change
        return ", ".join(str(item.get("sentence", item)) for item in value)
    return "" if value is None else str(value)
