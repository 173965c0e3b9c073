"""Accepting suggestions as they are, from the annotation workspace, and undoing that.

An accepted suggestion becomes a draft pledge through the same validation as the pledge form
(the model form and the model's own checks), then keeps what was suggested with
``pledge_mark_suggested``, as a pledge saved from the add link does. Undo removes such a pledge
only while it is the unchanged draft its editor made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db import transaction
from django.utils.translation import gettext

from articles.models import Sentence
from tracker.models import Pledge
from tracker.selectors.suggestions import OpenSuggestion, article_suggestions, figure_matches
from tracker.services.rejections import RejectionRefused, suggestion_figure_read
from tracker.services.review import pledge_may_delete
from tracker.services.suggestions import pledge_mark_suggested

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AcceptRefused(Exception):
    """Nothing was accepted; the message says why and what to do instead."""


class SuggestedPledgeForm(forms.ModelForm):
    """The fields a suggestion fills in; the others keep their defaults."""

    class Meta:
        model = Pledge
        fields = (
            "sentence",
            "donor",
            "category",
            "qualifier",
            "amount",
            "currency",
            "quantity",
            "item",
            "stage",
            "announced_on",
            "date_precision",
            "period",
            "is_aggregate",
            "part_of",
            "evidence",
        )


def sentence_of(sentence_id: object) -> Sentence:
    """The sentence a posted id names, or a refusal."""
    sentence = None
    if str(sentence_id).isdecimal():
        sentence = Sentence.objects.select_related("article").filter(pk=int(str(sentence_id)))
        sentence = sentence.first()
    if sentence is None:
        raise AcceptRefused(gettext("No such sentence: %(id)r.") % {"id": sentence_id})
    return sentence


def suggestion_accept(*, sentence_id: object, payload: str, user: User) -> Pledge:
    """Record the open suggestion of sentence ``sentence_id`` that states the payload's figure
    as a draft pledge."""
    try:
        amount, currency, quantity = suggestion_figure_read(payload)
    except RejectionRefused as refusal:
        raise AcceptRefused(str(refusal)) from refusal
    sentence = sentence_of(sentence_id)
    for item in article_suggestions(sentence.article).open.get(sentence.position, []):
        if figure_matches(item.suggestion, amount=amount, currency=currency, quantity=quantity):
            return _pledge_create(item, user=user)
    raise AcceptRefused(
        gettext(
            "Sentence %(position)s has no open suggestion of that figure any more: it may have "
            "been recorded or rejected meanwhile."
        )
        % {"position": sentence.position}
    )


def sentence_accept_all(*, sentence_id: object, user: User) -> tuple[list[Pledge], list[str]]:
    """Accept every open suggestion of a sentence; returns the pledges made and, for each
    suggestion that cannot be accepted as it is, why."""
    sentence = sentence_of(sentence_id)
    made: list[Pledge] = []
    refused: list[str] = []
    for item in article_suggestions(sentence.article).open.get(sentence.position, []):
        try:
            made.append(_pledge_create(item, user=user))
        except AcceptRefused as refusal:
            refused.append(str(refusal))
    return made, refused


def _pledge_create(item: OpenSuggestion, *, user: User) -> Pledge:
    # What the suggestion leaves out (no date, so no precision) takes the model's default.
    fields = {field.name: field for field in Pledge._meta.concrete_fields}
    defaults = {name: fields[name].default for name in ("qualifier", "stage", "date_precision")}
    data = {**defaults, **item.values}
    # The title or captions that state the figure again, as the add form's URL lists them.
    data["evidence"] = [pk for pk in str(data.get("evidence", "")).split(",") if pk]
    form = SuggestedPledgeForm(data=data)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        )
        raise AcceptRefused(
            gettext("%(figure)s cannot be accepted as it is (%(problems)s): use Edit.")
            % {"figure": item.suggestion.evidence, "problems": problems}
        )
    with transaction.atomic():
        pledge = form.save(commit=False)
        pledge.review_status = Pledge.Review.DRAFT
        # Who made it: the history names the editor (simple-history's way outside a request).
        pledge._history_user = user
        pledge.save()
        form.save_m2m()
        pledge_mark_suggested(pledge=pledge, payload=item.payload)
    return pledge


def pledges_accept_undo(*, pledge_ids: list[int], user: User) -> tuple[int, list[str]]:
    """Delete the pledges an accept made, each only if it is still an unchanged draft this
    editor made; returns how many were deleted and why the others were kept."""
    deleted, kept = 0, []
    for pledge in Pledge.objects.filter(pk__in=pledge_ids):
        made_by = pledge.history.order_by("history_date").values_list("history_user", flat=True)
        unchanged = (
            pledge.review_status == Pledge.Review.DRAFT
            and pledge.version == 1
            and made_by.first() == user.pk
        )
        if not unchanged or not pledge_may_delete(pledge=pledge, user=user):
            kept.append(
                gettext("Pledge #%(id)s was kept: it has been changed or reviewed since.")
                % {"id": pledge.pk}
            )
            continue
        pledge._history_user = user  # type: ignore[attr-defined]
        pledge.delete()
        deleted += 1
    return deleted, kept
