"""The review queue as a reviewer walks it: the drafts in the queue's order (oldest first),
the next and previous one they may review, and the last time a pledge was sent back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery

from tracker.models import Pledge
from tracker.services.review import REVIEW_REASON, SEND_BACK_REASON, is_review_reason

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


@dataclass(frozen=True)
class SentBack:
    """A reviewer sent the pledge back to its editor, with an optional comment."""

    who: AbstractUser | None
    when: datetime
    comment: str


def with_author(pledges: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Each pledge with ``author_id``: the editor who recorded it (its first history entry)."""
    first = Pledge.history.filter(id=OuterRef("pk")).order_by("history_date", "history_id")
    return pledges.annotate(author_id=Subquery(first.values("history_user_id")[:1]))


def drafts_for(reviewer: AbstractUser) -> QuerySet[Pledge]:
    """The drafts ``reviewer`` may review, in the queue's order: not the ones they recorded,
    nor those sent back and not changed since (their editor has them)."""
    latest = Pledge.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    drafts = with_author(Pledge.objects.filter(review_status=Pledge.Review.DRAFT)).annotate(
        last_reason=Subquery(latest.values("history_change_reason")[:1])
    )
    waiting = Q(last_reason=SEND_BACK_REASON) | Q(last_reason__startswith=f"{SEND_BACK_REASON}: ")
    # NULL spelled out (no reason, no known editor): in SQL, NOT (NULL = x) is not true.
    drafts = drafts.filter(Q(last_reason__isnull=True) | ~waiting)
    drafts = drafts.filter(Q(author_id__isnull=True) | ~Q(author_id=reviewer.pk))
    return drafts.order_by("created_at", "pk")


def draft_after(pledge: Pledge, reviewer: AbstractUser) -> Pledge | None:
    """The next draft in the queue after ``pledge`` that ``reviewer`` may review."""
    later = Q(created_at__gt=pledge.created_at) | Q(created_at=pledge.created_at, pk__gt=pledge.pk)
    return drafts_for(reviewer).filter(later).first()


def draft_before(pledge: Pledge, reviewer: AbstractUser) -> Pledge | None:
    """The draft before ``pledge`` in the queue that ``reviewer`` may review."""
    earlier = Q(created_at__lt=pledge.created_at) | Q(
        created_at=pledge.created_at, pk__lt=pledge.pk
    )
    return drafts_for(reviewer).filter(earlier).order_by("-created_at", "-pk").first()


def sent_back(pledge: Pledge) -> SentBack | None:
    """The reviewer's note when the pledge's last review decision was to send it back."""
    if pledge.review_status != Pledge.Review.DRAFT:
        return None
    decisions = (
        pledge.history.filter(
            Q(history_change_reason__startswith=SEND_BACK_REASON)
            | Q(history_change_reason__startswith=REVIEW_REASON)
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    for record in decisions[:5]:
        reason = record.history_change_reason or ""
        if is_review_reason(reason):
            return None
        if reason == SEND_BACK_REASON or reason.startswith(f"{SEND_BACK_REASON}: "):
            comment = reason.removeprefix(SEND_BACK_REASON).removeprefix(": ")
            return SentBack(record.history_user, record.history_date, comment)
    return None
