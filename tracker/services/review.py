"""The four-eyes rule: a pledge is a draft until a second editor reviews it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tracker.models import Pledge

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

#: Fields an edit may change without sending a reviewed pledge back to review.
BOOKKEEPING = {"review_status", "reviewed_by", "reviewed_at", "updated_at"}
#: The history's change reason of a review; "reviewed: <comment>" when it has a comment.
REVIEW_REASON = "reviewed"
#: The history's change reason of a pledge sent back to its editor: "sent back: <comment>".
SEND_BACK_REASON = "sent back"
#: A reviewer's comment goes into the history's change reason, which holds 100 characters.
COMMENT_MAX_LENGTH = 80


class ReviewRefused(Exception):
    """The pledge cannot be reviewed by this editor; the message says why."""


def pledge_author(pledge: Pledge):
    """The editor who recorded the pledge: the user of its first history entry, if any."""
    first = pledge.history.order_by("history_date", "history_id").only("history_user").first()
    return first.history_user if first else None


def review_comment(text: str) -> str:
    """A reviewer's comment as kept: one line, without control characters; refused when
    longer than the history keeps."""
    comment = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ReviewRefused(
            gettext("The comment is %(length)s characters long; keep it to %(max)s.")
            % {"length": len(comment), "max": COMMENT_MAX_LENGTH}
        )
    return comment


def is_review_reason(reason: str | None) -> bool:
    """Whether a history entry's change reason is that of a review."""
    return reason == REVIEW_REASON or (reason or "").startswith(f"{REVIEW_REASON}: ")


def _refuse_own(pledge: Pledge, reviewer: User) -> None:
    author = pledge_author(pledge)
    if author is not None and author.pk == reviewer.pk:
        raise ReviewRefused(
            gettext("Pledge #%(id)s was recorded by you; a second editor reviews it.")
            % {"id": pledge.pk}
        )


def pledge_review(*, pledge: Pledge, reviewer: User, comment: str = "") -> None:
    """Mark ``pledge`` reviewed by ``reviewer``, who must not be the editor who recorded it."""
    comment = review_comment(comment)
    if pledge.review_status == Pledge.Review.REVIEWED:
        raise ReviewRefused(gettext("Pledge #%(id)s is already reviewed.") % {"id": pledge.pk})
    _refuse_own(pledge, reviewer)
    with transaction.atomic():
        pledge.review_status = Pledge.Review.REVIEWED
        pledge.reviewed_by = reviewer
        pledge.reviewed_at = timezone.now()
        pledge._change_reason = f"{REVIEW_REASON}: {comment}" if comment else REVIEW_REASON
        pledge.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"])


def pledge_send_back(*, pledge: Pledge, reviewer: User, comment: str = "") -> None:
    """Send ``pledge`` back to its editor: a draft again, with the reviewer's comment in its
    history. The same reviewers as for a review: not the editor who recorded it."""
    comment = review_comment(comment)
    _refuse_own(pledge, reviewer)
    with transaction.atomic():
        pledge.review_status = Pledge.Review.DRAFT
        pledge.reviewed_by = None
        pledge.reviewed_at = None
        pledge._change_reason = f"{SEND_BACK_REASON}: {comment}" if comment else SEND_BACK_REASON
        pledge.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"])


def pledge_was_reviewed(pledge: Pledge) -> bool:
    """Reviewed now, or at some time: a change since sent it back to review."""
    return (
        pledge.review_status == Pledge.Review.REVIEWED
        or Pledge.history.filter(id=pledge.pk, review_status=Pledge.Review.REVIEWED).exists()
    )


def pledge_may_delete(*, pledge: Pledge, user: User | AnonymousUser) -> bool:
    """Who may delete pledges may delete a draft; a pledge that has been reviewed is deleted
    only by those who may delete reviewed pledges (admins). Changing a reviewed pledge first
    does not make it a draft anyone may delete."""
    if not user.has_perm("tracker.delete_pledge"):
        return False
    return user.has_perm("tracker.delete_reviewed_pledge") or not pledge_was_reviewed(pledge)


def pledge_reopen_if_changed(*, pledge: Pledge, changed_fields: set[str]) -> None:
    """A change to the substance of a reviewed pledge sends it back to review (not saved)."""
    if pledge.review_status == Pledge.Review.REVIEWED and changed_fields - BOOKKEEPING:
        pledge.review_status = Pledge.Review.DRAFT
        pledge.reviewed_by = None
        pledge.reviewed_at = None
