"""How good the suggestions are: compared with pledges editors recorded, sentence by sentence.

A recorded pledge is cited by its sentence and by its further evidence sentences; each citation
is a figure a suggestion should find. A suggestion matches a citation on the same sentence with
an equal amount and currency (amounts) or an equal quantity (counts), one to one. Precision is
the share of suggestions that match, recall the share of citations that are matched. Donor,
category, stage and the rest are scored on the matches only.

Gold comes from the database (``gold_from_pledges``) or, for hand-annotated articles that are
not loaded, from a JSON file next to their text files (``extra_load``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.text import slugify

from articles.loading import ParsedArticle, article_parse
from tracker.suggest.engine import SentenceInput, Suggestion, sentences_suggest
from tracker.suggest.gazetteer import DonorIndex

if TYPE_CHECKING:
    from tracker.models import Pledge

EXTRA_DIR = Path(settings.BASE_DIR) / "fixtures" / "suggest_eval"
ATTRIBUTES = ("donor", "category", "stage", "qualifier", "is_aggregate", "part_of", "period")


@dataclass(frozen=True)
class GoldPledge:
    """A recorded pledge, reduced to what a suggestion can be compared with."""

    key: str
    citations: tuple[tuple[str, int], ...]
    amount: Decimal | None
    currency: str
    quantity: int | None
    qualifier: str
    donor: str
    category: str
    stage: str
    is_aggregate: bool
    part_of: str | None
    period: str


@dataclass(frozen=True)
class Match:
    gold: GoldPledge
    citation: tuple[str, int]
    suggestion: Suggestion


@dataclass
class Tally:
    suggested: int = 0
    correct: int = 0
    cited: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.cited if self.cited else 1.0


@dataclass
class Score:
    amount: Tally = field(default_factory=Tally)
    quantity: Tally = field(default_factory=Tally)
    attributes: dict[str, list[int]] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    misses: list[tuple[str, GoldPledge, tuple[str, int]]] = field(default_factory=list)
    noise: list[tuple[str, Suggestion]] = field(default_factory=list)
    wrong: list[tuple[str, Match, object, object]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        correct, total = self.attributes.get(name, [0, 0])
        return correct / total if total else 1.0


@dataclass(frozen=True)
class ExtraSet:
    """Hand-annotated articles that live as files, not rows."""

    articles: tuple[tuple[str, ParsedArticle], ...]
    gold: tuple[GoldPledge, ...]


def gold_from_pledges(pledges: Iterable[Pledge], *, articles: set[str]) -> list[GoldPledge]:
    """Recorded pledges (with sentence__article, donor, category and evidence loaded)."""
    gold = []
    for pledge in pledges:
        citations = [(pledge.sentence.article.slug, pledge.sentence.position)]
        citations += [
            (sentence.article.slug, sentence.position)
            for sentence in sorted(pledge.evidence.all(), key=lambda s: (s.article_id, s.position))
        ]
        citations = [citation for citation in citations if citation[0] in articles]
        if not citations:
            continue
        gold.append(
            GoldPledge(
                key=f"pledge {pledge.pk}",
                citations=tuple(citations),
                amount=pledge.amount,
                currency=pledge.currency,
                quantity=pledge.quantity,
                qualifier=pledge.qualifier,
                donor=pledge.donor.slug,
                category=pledge.category.slug,
                stage=pledge.stage,
                is_aggregate=pledge.is_aggregate,
                part_of=f"pledge {pledge.part_of_id}" if pledge.part_of_id else None,
                period=pledge.period,
            )
        )
    return gold


def extra_load(directory: Path = EXTRA_DIR) -> ExtraSet:
    """The articles of ``directory`` (*.txt, segmented as loading would) and pledges.json."""
    articles = []
    for path in sorted(directory.glob("*.txt")):
        articles.append((f"eval-{slugify(path.stem)}", article_parse(path)))
    by_file = {parsed.source_name: (slug, parsed) for slug, parsed in articles}
    records = json.loads((directory / "pledges.json").read_text(encoding="utf-8"))
    gold = []
    for record in records:
        slug, parsed = by_file[record["file"]]
        citations = [
            (slug, _position_find(parsed, start=text, key=record["id"]))
            for text in [record["sentence"], *record.get("evidence", [])]
        ]
        gold.append(
            GoldPledge(
                key=record["id"],
                citations=tuple(citations),
                amount=Decimal(record["amount"]) if record.get("amount") else None,
                currency=record.get("currency", ""),
                quantity=record.get("quantity"),
                qualifier=record.get("qualifier", "exact"),
                donor=record["donor"],
                category=record["category"],
                stage=record.get("stage", "pledged"),
                is_aggregate=record.get("is_aggregate", False),
                part_of=record.get("part_of"),
                period=record.get("period", ""),
            )
        )
    return ExtraSet(articles=tuple(articles), gold=tuple(gold))


def extra_suggest(
    extra: ExtraSet, *, donors: DonorIndex | None = None
) -> dict[str, list[Suggestion]]:
    """Suggestions for the extra articles, straight from their segments."""
    return {
        slug: sentences_suggest(
            [
                SentenceInput(position, segment.text, segment.kind)
                for position, segment in enumerate(parsed.sentences, start=1)
            ],
            article=slug,
            language=parsed.language,
            published_on=parsed.published_on,
            donors=donors,
        )
        for slug, parsed in extra.articles
    }


def suggestions_score(
    suggestions: dict[str, list[Suggestion]], gold: Sequence[GoldPledge]
) -> Score:
    """Precision and recall of amounts and of counts, and attribute accuracy on the matches."""
    score = Score()
    for kind in ("amount", "quantity"):
        tally: Tally = getattr(score, kind)
        pool = [
            (slug, number, suggestion)
            for slug, listed in suggestions.items()
            for number, suggestion in enumerate(listed)
            if getattr(suggestion, kind) is not None
        ]
        tally.suggested = len(pool)
        used: set[tuple[str, int]] = set()
        for pledge in gold:
            if getattr(pledge, kind) is None:
                continue
            for citation in pledge.citations:
                tally.cited += 1
                hit = next(
                    (
                        (slug, number, suggestion)
                        for slug, number, suggestion in pool
                        if (slug, number) not in used
                        and (slug, suggestion.sentence_position) == citation
                        and _equal(suggestion, pledge, kind=kind)
                    ),
                    None,
                )
                if hit is None:
                    score.misses.append((kind, pledge, citation))
                    continue
                slug, number, suggestion = hit
                used.add((slug, number))
                tally.found += 1
                score.matches.append(Match(pledge, citation, suggestion))
        tally.correct = len(used)
        score.noise += [
            (kind, suggestion) for slug, number, suggestion in pool if (slug, number) not in used
        ]
    _attributes_score(score, suggestions)
    return score


def _equal(suggestion: Suggestion, pledge: GoldPledge, *, kind: str) -> bool:
    if kind == "amount":
        return suggestion.amount == pledge.amount and suggestion.currency == pledge.currency
    return suggestion.quantity == pledge.quantity


def _attributes_score(score: Score, suggestions: dict[str, list[Suggestion]]) -> None:
    # Which suggestions stand for which pledge: a part's part_of_index must point at one of
    # the suggestions matched to its whole.
    matched_to: dict[str, set[tuple[str, int]]] = {}
    positions = {
        id(suggestion): (slug, number)
        for slug, listed in suggestions.items()
        for number, suggestion in enumerate(listed)
    }
    for match in score.matches:
        matched_to.setdefault(match.gold.key, set()).add(positions[id(match.suggestion)])
    seen: set[tuple[str, int, int]] = set()
    for match in score.matches:
        slug, number = positions[id(match.suggestion)]
        if (slug, number, id(match.gold)) in seen:
            continue
        seen.add((slug, number, id(match.gold)))
        suggestion, gold = match.suggestion, match.gold
        if gold.part_of is None:
            part_of_right = suggestion.part_of_index is None
        else:
            part_of_right = (slug, suggestion.part_of_index) in matched_to.get(gold.part_of, set())
        checks = {
            "donor": (suggestion.donor_slug, gold.donor),
            "category": (suggestion.category, gold.category),
            "stage": (suggestion.stage, gold.stage),
            "qualifier": (suggestion.qualifier, gold.qualifier),
            "is_aggregate": (suggestion.is_aggregate, gold.is_aggregate),
            "part_of": (part_of_right, True),
            "period": (suggestion.period, gold.period),
        }
        for name, (got, expected) in checks.items():
            tally = score.attributes.setdefault(name, [0, 0])
            tally[1] += 1
            if got == expected:
                tally[0] += 1
            else:
                score.wrong.append((name, match, got, expected))


def _position_find(parsed: ParsedArticle, *, start: str, key: str) -> int:
    found = [
        position
        for position, segment in enumerate(parsed.sentences, start=1)
        if segment.text.startswith(start)
    ]
    if len(found) != 1:
        raise ValueError(
            f"{key}: {len(found)} sentences of {parsed.source_name} start with {start!r}."
        )
    return found[0]
