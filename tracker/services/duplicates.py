"""The same pledge reported by two articles: find the pairs, and merge them into one.

Two pledges are likely one when they have the same donor and the same amount and currency, or
the same quantity of the same item, announced within a few weeks of each other, and they come
from different articles.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext

from tracker.cache import data_changed
from tracker.models import Pledge

WINDOW = datetime.timedelta(days=21)


class MergeRefused(Exception):
    """The pledges cannot be merged; the message says why."""


def same_pledge_elsewhere() -> Exists:
    """True for a pledge that another article reports with the same figure, near in time."""
    same_figure = Q(
        amount__isnull=False, amount=OuterRef("amount"), currency=OuterRef("currency")
    ) | Q(quantity__isnull=False, quantity=OuterRef("quantity"), item_lower=OuterRef("item_lower"))
    others = (
        Pledge.objects.annotate(item_lower=Lower("item"))
        .filter(
            same_figure,
            donor=OuterRef("donor"),
            announced_on__gte=OuterRef("announced_on") - WINDOW,
            announced_on__lte=OuterRef("announced_on") + WINDOW,
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(sentence__article=OuterRef("sentence__article"))
    )
    return Exists(others)


def with_duplicate_flag(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return queryset.annotate(item_lower=Lower("item"), possible_duplicate=same_pledge_elsewhere())


def pledges_merge(*, keep: Pledge, others: list[Pledge]) -> Pledge:
    """Fold ``others`` into ``keep``: their sentences become its evidence, their parts its
    parts, and they are deleted (their history stays). All or nothing."""
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise MergeRefused(gettext("Choose at least two pledges to merge."))
    for other in others:
        if other.donor_id != keep.donor_id:
            raise MergeRefused(
                gettext("Pledges #%(a)s and #%(b)s have different donors.")
                % {"a": keep.pk, "b": other.pk}
            )
        if other.part_of_id == keep.pk or keep.part_of_id == other.pk:
            raise MergeRefused(
                gettext("Pledge #%(a)s is part of #%(b)s, not the same pledge.")
                % {"a": other.pk, "b": keep.pk}
            )
    with transaction.atomic():
        data_changed()  # parts move in one UPDATE, past Pledge.save()
        sentences = {keep.sentence_id}
        for other in others:
            sentences |= {other.sentence_id, *other.evidence.values_list("pk", flat=True)}
            Pledge.objects.filter(part_of=other).update(part_of=keep, version=F("version") + 1)
        sentences.discard(keep.sentence_id)
        keep.evidence.add(*sentences)
        merged = ", ".join(f"#{other.pk}" for other in others)
        note = gettext("Merged with %(ids)s.") % {"ids": merged}
        keep.notes = f"{keep.notes}\n{note}".strip()
        keep._change_reason = note
        keep.save()
        for other in others:
            other._change_reason = gettext("Merged into #%(id)s.") % {"id": keep.pk}
            other.delete()
    return keep
