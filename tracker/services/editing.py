"""Two editors on one pledge: the pledge as one of them opened it, and who saved it since.

Every save of a pledge raises its ``version`` (``Pledge.save`` refuses a copy read at an
older one). The admin form carries the version and a snapshot of the pledge as it was
opened; when it comes back from an older version, these tell the editor what the other
editor changed, from what, to what, and who and when (from the history).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats
from django.utils.translation import gettext

from articles.models import Sentence
from tracker.models import Pledge


@dataclass(frozen=True)
class Save:
    who: str
    when: datetime
    reason: str


def pledge_field(name: str) -> models.Field:
    """The pledge's own field ``name``: never the reverse side of another model's relation."""
    field = Pledge._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(f"Pledge has no field {name!r} of its own.")
    return field


def pledge_values(pledge: Pledge, names: Iterable[str]) -> dict[str, object]:
    """The values of ``names`` as stored: ids for relations, sorted ids for the evidence."""
    values: dict[str, object] = {}
    for name in names:
        field = pledge_field(name)
        if field.many_to_many:
            values[name] = sorted(pledge.evidence.values_list("pk", flat=True))
        else:
            values[name] = getattr(pledge, field.attname)
    return values


def pledge_snapshot(values: dict[str, object]) -> str:
    """``values`` as text for a form to carry: the pledge as its editor opened it."""
    return json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True)


def snapshot_values(text: str, like: dict[str, object]) -> dict[str, object] | None:
    """The values a snapshot carries, typed as the fields store them; None if it does not
    carry every name of ``like`` (an old or a hand-made form)."""
    try:
        snapshot = json.loads(text)
    except ValueError:
        return None
    if not isinstance(snapshot, dict) or set(snapshot) != set(like):
        return None
    values: dict[str, object] = {}
    try:
        for name, value in snapshot.items():
            field = pledge_field(name)
            if field.many_to_many:
                values[name] = sorted(int(pk) for pk in value)
            else:
                values[name] = None if value is None else field.to_python(value)
    except (TypeError, ValueError, ValidationError):
        return None
    return values


def pledge_saves_since(*, pledge_id: int, version: int) -> list[Save]:
    """Who saved the pledge after ``version``, and when, oldest first."""
    records = (
        Pledge.history.filter(id=pledge_id, version__gt=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    saves: list[Save] = []
    for record in records:
        who = record.history_user.get_username() if record.history_user else gettext("unknown")
        save = Save(who=who, when=record.history_date, reason=record.history_change_reason or "")
        # A form save and its evidence change are two records of one save.
        if not saves or (saves[-1].who, saves[-1].reason) != (save.who, save.reason):
            saves.append(save)
        else:
            saves[-1] = save
    return saves


def value_shown(name: str, value: object) -> str:
    """A stored value of field ``name`` as an editor reads it."""
    field = pledge_field(name)
    if value is None or value == "" or value == []:
        return "—"
    if field.many_to_many:
        sentences = Sentence.objects.select_related("article").filter(pk__in=value)
        return "; ".join(str(sentence) for sentence in sentences)
    if field.is_relation and isinstance(field.related_model, type):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related if related is not None else value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        return formats.number_format(
            value, field.decimal_places, use_l10n=True, force_grouping=True
        )
    return str(value)
