"""An article's suggestions as its admin page shows them: open, or rejected by an editor.

A suggestion already recorded (a pledge of its sentence states its figure) is not shown; one
an editor rejected is shown only as rejected, with a way to undo it, and is never offered
again for that sentence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from tracker.models import Category, Donor, Pledge, SuggestionRejection
from tracker.services.suggestions import suggestion_form_values, suggestion_recorded_as
from tracker.suggest import Suggestion, suggest_article

if TYPE_CHECKING:
    from articles.models import Article


@dataclass(frozen=True)
class OpenSuggestion:
    suggestion: Suggestion
    sentence_id: int
    #: The pledge form, filled in.
    url: str
    #: What is kept of the suggestion when it is accepted or rejected (JSON).
    payload: str
    #: The pledge form's values (the add link's query), for accepting it as it is.
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RejectedSuggestion:
    suggestion: Suggestion
    rejection: SuggestionRejection


@dataclass
class ArticleSuggestions:
    open: dict[int, list[OpenSuggestion]] = field(default_factory=dict)
    rejected: dict[int, list[RejectedSuggestion]] = field(default_factory=dict)
    #: Suggestions a pledge of their sentence already states, with that pledge.
    recorded: dict[int, list[tuple[Suggestion, Pledge]]] = field(default_factory=dict)


def figure_matches(
    suggestion: Suggestion, *, amount: Decimal | None, currency: str, quantity: int | None
) -> bool:
    """Whether ``suggestion`` states this figure, read as ``suggestion_recorded_as`` reads a
    pledge: the same amount and currency, or the same quantity."""
    if suggestion.amount is not None and (amount, currency) == (
        suggestion.amount,
        suggestion.currency,
    ):
        return True
    return suggestion.quantity is not None and quantity == suggestion.quantity


def suggestion_rejected_as(
    suggestion: Suggestion, rejections: list[SuggestionRejection]
) -> SuggestionRejection | None:
    """The one of ``rejections`` (of the same sentence) that rejected this figure."""
    for rejection in rejections:
        if figure_matches(
            suggestion,
            amount=rejection.amount,
            currency=rejection.currency,
            quantity=rejection.quantity,
        ):
            return rejection
    return None


def article_suggestions(article: Article) -> ArticleSuggestions:
    """The suggestions of ``article`` not yet recorded, open or rejected, by sentence position.

    A suggested part ("davon") whose whole is already recorded gets that pledge as part_of.
    """
    sentences = {
        s.position: s for s in article.sentences.prefetch_related("pledges", "supporting_pledges")
    }
    rejections: dict[int, list[SuggestionRejection]] = defaultdict(list)
    for kept in SuggestionRejection.objects.filter(sentence__article=article).select_related(
        "rejected_by"
    ):
        rejections[kept.sentence_id].append(kept)
    donors = dict(Donor.objects.values_list("slug", "pk"))
    categories = dict(Category.objects.values_list("slug", "pk"))
    suggestions = suggest_article(article, donors=Donor.objects.all())
    recorded_as: dict[int, Pledge] = {}
    for index, suggestion in enumerate(suggestions):
        sentence = sentences.get(suggestion.sentence_position)
        pledges = [*sentence.pledges.all(), *sentence.supporting_pledges.all()] if sentence else []
        pledge = suggestion_recorded_as(suggestion, pledges)
        if pledge is not None:
            recorded_as[index] = pledge
    found = ArticleSuggestions()
    for index, suggestion in enumerate(suggestions):
        sentence = sentences.get(suggestion.sentence_position)
        if sentence is None:
            continue
        if index in recorded_as:
            found.recorded.setdefault(suggestion.sentence_position, []).append(
                (suggestion, recorded_as[index])
            )
            continue
        position = suggestion.sentence_position
        rejection = suggestion_rejected_as(suggestion, rejections[sentence.pk])
        if rejection is not None:
            rejected = RejectedSuggestion(suggestion, rejection)
            found.rejected.setdefault(position, []).append(rejected)
            continue
        values = suggestion_form_values(
            suggestion,
            sentence_id=sentence.pk,
            donors=donors,
            categories=categories,
            evidence=tuple(sentences[p].pk for p in suggestion.restated_in if p in sentences),
        )
        part_of = suggestion.part_of_index
        whole = None if part_of is None else recorded_as.get(part_of)
        if whole is not None:
            values["part_of"] = whole.pk
        url = reverse("admin:tracker_pledge_add") + "?" + urlencode(values)
        found.open.setdefault(position, []).append(
            OpenSuggestion(suggestion, sentence.pk, url, values["suggestion"], values)
        )
    return found


def suggestions_open(article: Article) -> dict[int, list[tuple[Suggestion, str]]]:
    """The suggestions of ``article`` not yet recorded nor rejected, with their add-form URLs,
    by position."""
    return {
        position: [(item.suggestion, item.url) for item in items]
        for position, items in article_suggestions(article).open.items()
    }
