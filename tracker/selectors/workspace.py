"""The annotation workspace of one article: its text sentence by sentence, each figure marked
where it stands, and the open suggestions as cards in text order.

Marks: a suggested figure (open), a recorded one (a pledge of the sentence states it), a
rejected one. Everything comes from one reading of the article's suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.utils.translation import gettext

from tracker.models import Category, Pledge
from tracker.selectors.suggestions import OpenSuggestion, RejectedSuggestion, article_suggestions
from tracker.services.suggestions import suggestion_label
from tracker.suggest.engine import decimal_text

if TYPE_CHECKING:
    from articles.models import Article, Sentence
    from tracker.suggest import Suggestion


@dataclass(frozen=True)
class Card:
    """One open suggestion, as the workspace shows it."""

    number: int
    position: int
    item: OpenSuggestion
    category: str
    article_id: int

    @property
    def edit_url(self) -> str:
        """The pledge form filled in, returning to the workspace when saved."""
        return f"{self.item.url}&{urlencode({'workspace': self.article_id})}"

    @property
    def suggestion(self) -> Suggestion:
        return self.item.suggestion

    @property
    def figure(self) -> str:
        suggestion = self.suggestion
        qualifier = "" if suggestion.qualifier == "exact" else f"{suggestion.qualifier} "
        parts = []
        if suggestion.amount is not None:
            parts.append(f"{qualifier}{suggestion.amount:,.0f} {suggestion.currency}")
        if suggestion.quantity is not None:
            parts.append(f"{suggestion.quantity:,} {suggestion.item}".strip())
        return " · ".join(parts)

    @property
    def stage(self) -> str:
        return str(dict(Pledge.Stage.choices).get(self.suggestion.stage, self.suggestion.stage))

    @property
    def date(self) -> str:
        suggestion = self.suggestion
        if suggestion.announced_on is None:
            return ""
        precision = dict(Pledge.Precision.choices).get(suggestion.date_precision, "")
        return f"{suggestion.announced_on.isoformat()} ({precision})"

    @property
    def part_of(self) -> str:
        if self.item.values.get("part_of"):
            return f"#{self.item.values['part_of']}"
        if self.suggestion.part_of_index is not None:
            return gettext("a figure before it")
        return ""

    @property
    def rules(self) -> str:
        return " · ".join(f"{name}: {rule}" for name, rule in self.suggestion.rules)


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's text, marked or not."""

    text: str
    kind: str = ""  # "", "suggested", "recorded" or "rejected"
    cards: tuple[int, ...] = ()
    title: str = ""


@dataclass
class WorkspaceSentence:
    sentence: Sentence
    pieces: list[Piece]
    cards: list[Card] = field(default_factory=list)
    rejected: list[RejectedSuggestion] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)


@dataclass
class Workspace:
    sentences: list[WorkspaceSentence]
    cards: list[Card]

    def current(self, position: int) -> Card | None:
        """The first open card at or after sentence ``position`` (else the first one)."""
        after = [card for card in self.cards if card.position >= position]
        cards = after or self.cards
        return cards[0] if cards else None


def article_workspace(article: Article) -> Workspace:
    found = article_suggestions(article)
    categories = {c.slug: str(c) for c in Category.objects.select_related("parent")}
    sentences = list(article.sentences.order_by("position").prefetch_related("pledges__donor"))
    cards: list[Card] = []
    shown: list[WorkspaceSentence] = []
    for sentence in sentences:
        position = sentence.position
        open_ = sorted(found.open.get(position, []), key=lambda item: item.suggestion.span)
        here = [
            Card(
                number=len(cards) + n + 1,
                position=position,
                item=item,
                category=categories.get(item.suggestion.category, item.suggestion.category),
                article_id=article.pk,
            )
            for n, item in enumerate(open_)
        ]
        cards.extend(here)
        marks: list[tuple[int, int, str, tuple[int, ...], str]] = [
            (*card.suggestion.span, "suggested", (card.number,), suggestion_label(card.suggestion))
            for card in here
        ]
        rejected = found.rejected.get(position, [])
        marks += [(*item.suggestion.span, "rejected", (), gettext("rejected")) for item in rejected]
        marks += [
            (*suggestion.span, "recorded", (), gettext("recorded as #%(id)s") % {"id": pledge.pk})
            for suggestion, pledge in found.recorded.get(position, [])
        ]
        shown.append(
            WorkspaceSentence(
                sentence=sentence,
                pieces=_pieces(sentence.text, marks),
                cards=here,
                rejected=rejected,
                pledges=list(sentence.pledges.all()),
            )
        )
    return Workspace(sentences=shown, cards=cards)


def _pieces(text: str, marks: list[tuple[int, int, str, tuple[int, ...], str]]) -> list[Piece]:
    """``text`` cut at its marks; overlapping marks become one (an open suggestion wins)."""
    order = {"suggested": 0, "rejected": 1, "recorded": 2}
    merged: list[list] = []
    for start, end, kind, cards, title in sorted(marks, key=lambda m: (m[0], -m[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if order[kind] < order[last[2]]:
                last[2] = kind
            last[3] = (*last[3], *cards)
            last[4] = f"{last[4]}; {title}"
            continue
        merged.append([start, end, kind, cards, title])
    pieces: list[Piece] = []
    at = 0
    for start, end, kind, cards, title in merged:
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], kind, tuple(cards), title))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def selection_form_values(text: str, *, language: str) -> dict[str, str]:
    """The figure an editor selected, read by the engine's number reader, as pledge-form
    values: the first amount with its currency, and the first count with what it counts."""
    from tracker.suggest.numbers import figures_find

    values: dict[str, str] = {}
    for figure in figures_find(text, language=language):
        counted = figure.value == figure.value.to_integral_value() and figure.value >= 1
        if figure.currency and "amount" not in values:
            values["amount"] = decimal_text(figure.value)
            values["currency"] = figure.currency
            if figure.qualifier:
                values["qualifier"] = figure.qualifier
        elif not figure.currency and figure.item and "quantity" not in values and counted:
            values["quantity"] = str(int(figure.value))
            values["item"] = figure.item
    return values
