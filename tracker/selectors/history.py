"""A pledge's history as a reader sees it: who changed what, from what, to what.

"Who" is never a login: the page is public, and a login is half of what it takes to sign in.
An editor appears under the name their account gives (first and last name, set with
``create_editor --display-name`` or on the admin's user page), or else under their role.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import ModelChange

from articles.models import Sentence
from tracker.models import Category, Donor, Pledge
from tracker.services.review import is_review_reason

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
    #: the review status this version had
    review_status: str = ""


@dataclass(frozen=True)
class ReviewState:
    """Where a pledge stands in review, for its page: draft, reviewed or sent back."""

    status: str  # "draft", "reviewed" or "sent_back"
    who: str = ""
    when: datetime | None = None


#: How the history names the fields a reader sees change (the models' own names are the
#: admin's, in English).
FIELD_LABELS = {
    "donor": gettext_lazy("Donor"),
    "recipient": gettext_lazy("Recipient"),
    "amount": gettext_lazy("Amount"),
    "currency": gettext_lazy("Currency"),
    "qualifier": gettext_lazy("Qualifier"),
    "quantity": gettext_lazy("Quantity"),
    "item": gettext_lazy("Item"),
    "category": gettext_lazy("Category"),
    "stage": gettext_lazy("Stage"),
    "announced_on": gettext_lazy("Announced"),
    "date_precision": gettext_lazy("Date precision"),
    "period": gettext_lazy("Period"),
    "part_of": gettext_lazy("Part of"),
    "is_aggregate": gettext_lazy("Reported aggregate"),
    "sentence": gettext_lazy("Source sentence"),
    "evidence": gettext_lazy("Further evidence"),
    "notes": gettext_lazy("Notes"),
    "review_status": gettext_lazy("Review"),
    "reviewed_by": gettext_lazy("Reviewed by"),
    "reviewed_at": gettext_lazy("Reviewed at"),
    "origin": gettext_lazy("Origin"),
}

#: Fields whose stored value is a row's id, and the model the id names.
REFERENCES: dict[str, type[models.Model]] = {
    "donor": Donor,
    "category": Category,
    "sentence": Sentence,
    "evidence": Sentence,
    "part_of": Pledge,
}


def pledge_history(pledge: Pledge, *, limit: int = 50) -> list[Entry]:
    """Newest first, each version compared with the one before it, ids named: two queries
    (the versions with their editors, their evidence), and one more for each kind of row the changes
    name (donors, categories, sentences ...)."""
    records = list(
        pledge.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {
        field.name: str(FIELD_LABELS.get(field.name, field.verbose_name))
        for field in Pledge._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    choices = {
        field.name: dict(field.flatchoices) for field in Pledge._meta.fields if field.choices
    }
    evidence = evidence_of(records)
    deltas = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        changes = []
        if previous is not None and record.history_type == "~":
            # The evidence compared here, from one query: diff_against reads it per version.
            delta = record.diff_against(previous, excluded_fields={*QUIET, "evidence"})
            changes = list(delta.changes)
            old, new = evidence[previous.pk], evidence[record.pk]
            if old != new:
                changes.append(ModelChange("evidence", old, new))
        deltas.append((record, changes))
    names = referenced_names(change for _, changes in deltas for change in changes)

    def shown(field: str, value: Any) -> str:
        if field in names:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(
                names[field].get(_id_of(field, item), str(_id_of(field, item)))
                for item in ids
                if item is not None
            )
        if field in choices and value in choices[field]:
            return str(choices[field][value])
        return _shown(value)

    entries = [
        Entry(
            when=record.history_date,
            who=public_name(
                record.history_user, reviewing=is_review_reason(record.history_change_reason)
            ),
            action=str(ACTIONS.get(record.history_type, ACTIONS["~"])),
            reason=record.history_change_reason or "",
            changes=tuple(
                Change(labels.get(c.field, c.field), shown(c.field, c.old), shown(c.field, c.new))
                for c in changes
            ),
            review_status=record.review_status,
        )
        for record, changes in deltas
    ]
    return entries[:limit]


def evidence_of(records: list) -> defaultdict[int, list[int]]:
    """Per version (history id), the ids of its further evidence sentences, in one query."""
    evidence: defaultdict[int, list[int]] = defaultdict(list)
    if not records:
        return evidence
    through = records[0].evidence.model
    rows = (
        through.objects.filter(history__in=[record.pk for record in records])
        .order_by("sentence_id")
        .values_list("history_id", "sentence_id")
    )
    for history_id, sentence_id in rows:
        evidence[history_id].append(sentence_id)
    return evidence


def _id_of(field: str, value: Any) -> Any:
    # A many-to-many change lists its through rows: {"pledge": 5, "sentence": 17}.
    return value.get("sentence") if field == "evidence" and isinstance(value, dict) else value


def referenced_names(changes) -> dict[str, dict[Any, str]]:
    """Per field that holds ids, each id's name: one query per model named."""
    wanted: defaultdict[type[models.Model], set] = defaultdict(set)
    fields = set()
    for change in changes:
        if change.field not in REFERENCES and change.field != "reviewed_by":
            continue
        fields.add(change.field)
        model = REFERENCES.get(change.field) or get_user_model()
        for value in (change.old, change.new):
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    wanted[model].add(_id_of(change.field, item))
    named = {model: names_of(model, ids) for model, ids in wanted.items()}
    return {field: named.get(REFERENCES.get(field) or get_user_model(), {}) for field in fields}


def names_of(model: type[models.Model], ids: set) -> dict[Any, str]:
    """The names of the rows of ``model`` with ``ids``, in one query."""
    if model is Donor:
        return {d.pk: d.local_name for d in Donor.objects.filter(pk__in=ids)}
    if model is Category:
        categories = Category.objects.select_related("parent").filter(pk__in=ids)
        return {c.pk: _category_name(c) for c in categories}
    if model is Sentence:
        sentences = Sentence.objects.select_related("article").filter(pk__in=ids)
        return {s.pk: _sentence_name(s) for s in sentences}
    if model is Pledge:
        pledges = Pledge.objects.select_related("donor").filter(pk__in=ids)
        return {p.pk: _pledge_name(p) for p in pledges}
    users = get_user_model().objects.filter(pk__in=ids)
    return {u.pk: public_name(u, reviewing=True) for u in users}


def _category_name(category: Category) -> str:
    if category.parent is not None:
        return f"{category.parent.local_name} › {category.local_name}"
    return category.local_name


def _sentence_name(sentence: Sentence) -> str:
    return gettext("sentence %(position)s of “%(title)s”") % {
        "position": sentence.position,
        "title": Truncator(sentence.article.title).chars(60),
    }


def _pledge_name(pledge: Pledge) -> str:
    return gettext("pledge #%(id)s (%(donor)s)") % {
        "id": pledge.pk,
        "donor": pledge.donor.local_name,
    }


def review_state(pledge: Pledge, history: list[Entry]) -> ReviewState:
    """Reviewed (by whom, when); sent back to review (a change to a reviewed version: by
    whom, when), or a draft never reviewed. ``history``: the pledge's, newest first."""
    if pledge.review_status == Pledge.Review.REVIEWED:
        who = public_name(pledge.reviewed_by, reviewing=True) if pledge.reviewed_by else ""
        return ReviewState("reviewed", who, pledge.reviewed_at)
    for entry, previous in pairwise(history):
        if previous.review_status == Pledge.Review.REVIEWED:
            if entry.review_status != Pledge.Review.REVIEWED:
                return ReviewState("sent_back", entry.who, entry.when)
            break
    return ReviewState("draft")


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
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(shown, "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return "" if value is None else str(value)
