"""Rejecting a suggestion, and undoing that: what editors decided against is kept.

The posted payload only says which figure of the sentence is rejected; what is stored is the
suggestion as the engine makes it now (read again from the article), so the rules kept with a
rejection are the engine's own, never a hand-edited copy.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from articles.models import Sentence
from tracker.models import SuggestionRejection
from tracker.selectors.suggestions import article_suggestions, figure_matches
from tracker.services.suggestions import MAX_PAYLOAD

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class RejectionRefused(Exception):
    """The request does not name an open suggestion; the message says what is wrong."""


def suggestion_reject(
    *,
    sentence_id: object,
    payload: str,
    reason: str,
    user: User | AnonymousUser,
) -> tuple[SuggestionRejection, bool]:
    """Reject the suggestion of sentence ``sentence_id`` that states the payload's figure.

    Returns the rejection and whether it is new: rejecting again what is already rejected
    (a second click) changes nothing.
    """
    amount, currency, quantity = suggestion_figure_read(payload)
    if reason not in ("", *SuggestionRejection.Reason.values):
        raise RejectionRefused(gettext("Unknown reason: %(reason)r.") % {"reason": reason})
    sentence = None
    if str(sentence_id).isdecimal():
        sentence = Sentence.objects.select_related("article").filter(pk=int(str(sentence_id)))
        sentence = sentence.first()
    if sentence is None:
        raise RejectionRefused(gettext("No such sentence: %(id)r.") % {"id": sentence_id})
    found = article_suggestions(sentence.article)
    for rejected in found.rejected.get(sentence.position, []):
        if figure_matches(rejected.suggestion, amount=amount, currency=currency, quantity=quantity):
            return rejected.rejection, False
    for item in found.open.get(sentence.position, []):
        if figure_matches(item.suggestion, amount=amount, currency=currency, quantity=quantity):
            suggestion = item.suggestion
            rejection = SuggestionRejection(
                sentence=sentence,
                amount=suggestion.amount,
                currency=suggestion.currency if suggestion.amount is not None else "",
                quantity=suggestion.quantity,
                suggestion=json.loads(item.payload),
                reason=reason,
                rejected_by=user if user.is_authenticated else None,
            )
            _history_user_set(rejection, user)
            rejection.save()
            return rejection, True
    raise RejectionRefused(
        gettext(
            "Sentence %(position)s of this article has no open suggestion of that figure: it "
            "may have been recorded meanwhile. Reload the article's page."
        )
        % {"position": sentence.position}
    )


def suggestion_rejection_undo(
    *, rejection: SuggestionRejection, user: User | AnonymousUser
) -> None:
    """Undo a rejection: the suggestion is offered again; the history keeps who undid it."""
    with transaction.atomic():
        _history_user_set(rejection, user)
        rejection.delete()


def _history_user_set(rejection: SuggestionRejection, user: User | AnonymousUser) -> None:
    # django-simple-history's way to name the user outside a request (its middleware does it
    # inside one).
    if user.is_authenticated:
        rejection._history_user = user  # type: ignore[attr-defined]


def suggestion_figure_read(payload: str) -> tuple[Decimal | None, str, int | None]:
    """The figure a posted suggestion states, or a refusal saying what is wrong with it."""
    if len(payload) > MAX_PAYLOAD:
        raise RejectionRefused(gettext("The suggestion sent is too long."))
    try:
        suggested = json.loads(payload)
    except ValueError as error:
        raise RejectionRefused(gettext("The suggestion sent is not JSON.")) from error
    if not isinstance(suggested, dict):
        raise RejectionRefused(gettext("The suggestion sent is not a JSON object."))
    amount, currency, quantity = (
        suggested.get("amount"),
        suggested.get("currency"),
        suggested.get("quantity"),
    )
    try:
        amount = None if amount is None else Decimal(str(amount))
    except InvalidOperation as error:
        raise RejectionRefused(gettext("The suggested amount is not a number.")) from error
    if amount is not None and (not amount.is_finite() or not isinstance(currency, str)):
        raise RejectionRefused(gettext("The suggested amount needs a number and a currency."))
    if quantity is not None and (type(quantity) is not int or quantity < 1):
        raise RejectionRefused(gettext("The suggested quantity is not a whole number."))
    if amount is None and quantity is None:
        raise RejectionRefused(gettext("The suggestion sent states no figure."))
    return amount, currency if isinstance(currency, str) else "", quantity
