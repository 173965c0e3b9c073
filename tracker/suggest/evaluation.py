"""How good the suggestions are: compared with pledges editors recorded, sentence by sentence.

A recorded pledge is cited by its sentence and by its further evidence sentences; each citation
is a figure a suggestion should find. A suggestion matches a citation on the same sentence with
an equal amount and currency (amounts) or an equal quantity (counts), one to one. Precision is
the share of suggestions that match, recall the share of citations that are matched. Donor,
category, stage and the rest are scored on the matches only.

Gold comes from the database (``gold_from_pledges``) or, for hand-annotated articles that are
not loaded, from a JSON file next to their text files (``extra_load``). The file sets are
``legacy`` (fixtures/suggest_eval/*.txt), ``tuning`` (the rules may be tuned on it) and
``heldout`` (only measured); ``languages_score`` scores one set per article language.
"""

from __future__ import annotations

import dataclasses
import datetime
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
EVAL_SETS = {
    "legacy": EXTRA_DIR,
    "tuning": EXTRA_DIR / "tuning",
    "heldout": EXTRA_DIR / "heldout",
}
ATTRIBUTES = (
    "stage",
    "is_aggregate",
    "stage_aggregate",
    "date",
    "part_of",
    "donor",
    "category",
    "qualifier",
    "period",
)
PRECISIONS = ("year", "month", "day")


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
    # The date at the precision the editor knows it (None: not scored).
    announced_on: datetime.date | None = None
    date_precision: str = "day"


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
    # Matched figures the editor did not record as a part but the suggestion links to a whole.
    part_of_spurious: int = 0

    def accuracy(self, name: str) -> float:
        correct, total = self.attributes.get(name, [0, 0])
        return correct / total if total else 1.0


@dataclass(frozen=True)
class ExtraSet:
    """Hand-annotated articles that live as files, not rows."""

    articles: tuple[tuple[str, ParsedArticle], ...]
    gold: tuple[GoldPledge, ...]

    @property
    def languages(self) -> dict[str, str]:
        return {slug: parsed.language for slug, parsed in self.articles}


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
                announced_on=pledge.announced_on,
                date_precision=pledge.date_precision or "day",
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
        announced_on, precision = gold_date_parse(record.get("announced_on"), key=record["id"])
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
                announced_on=announced_on,
                date_precision=precision,
            )
        )
    return ExtraSet(articles=tuple(articles), gold=tuple(gold))


def gold_date_parse(value: str | None, *, key: str) -> tuple[datetime.date | None, str]:
    """An annotated date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, and its precision."""
    if not value:
        return None, "day"
    try:
        parts = [int(part) for part in value.split("-")]
        precision = PRECISIONS[len(parts) - 1]
        return datetime.date(*[*parts, 1, 1][:3]), precision
    except (ValueError, IndexError, TypeError) as error:
        raise ValueError(
            f"{key}: announced_on must be YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}."
        ) from error


def dates_agree(got: datetime.date | None, gold: datetime.date, *, precision: str) -> bool:
    """Whether a suggested date is the annotated one, read at the annotation's precision."""
    if got is None:
        return False
    width = PRECISIONS.index(precision) + 1
    return (got.year, got.month, got.day)[:width] == (gold.year, gold.month, gold.day)[:width]


def eval_set_load(name: str) -> ExtraSet:
    """One of ``EVAL_SETS`` by name."""
    return extra_load(EVAL_SETS[name])


def languages_score(
    suggestions: dict[str, list[Suggestion]],
    gold: Sequence[GoldPledge],
    *,
    languages: dict[str, str],
) -> dict[str, Score]:
    """``suggestions_score`` for the articles of each language and for all: keys de, en, all."""
    scores = {}
    for language in ("de", "en"):
        slugs = {slug for slug, spoken in languages.items() if spoken == language}
        own_gold = []
        for pledge in gold:
            citations = tuple(citation for citation in pledge.citations if citation[0] in slugs)
            if citations:
                own_gold.append(dataclasses.replace(pledge, citations=citations))
        own = {slug: listed for slug, listed in suggestions.items() if slug in slugs}
        scores[language] = suggestions_score(own, own_gold)
    scores["all"] = suggestions_score(suggestions, gold)
    return scores


def score_table(score: Score) -> dict[str, object]:
    """The figures of a score as plain values (for --json and the printed table)."""
    table: dict[str, object] = {}
    for name, tally in (("money", score.amount), ("quantity", score.quantity)):
        table[name] = {
            "precision": round(tally.precision, 2),
            "recall": round(tally.recall, 2),
            "correct": tally.correct,
            "suggested": tally.suggested,
            "found": tally.found,
            "cited": tally.cited,
        }
    table["matches"] = len(score.matches)
    for name in ATTRIBUTES:
        correct, total = score.attributes.get(name, [0, 0])
        table[name] = {
            "accuracy": round(score.accuracy(name), 2),
            "correct": correct,
            "total": total,
        }
    table["part_of_spurious"] = score.part_of_spurious
    table["misses"] = {
        kind: sum(1 for missed, _gold, _citation in score.misses if missed == kind)
        for kind in ("amount", "quantity")
    }
    table["noise"] = {
        kind: sum(1 for noisy, _suggestion in score.noise if noisy == kind)
        for kind in ("amount", "quantity")
    }
    return table


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
            url=parsed.url,
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
                    # A title or caption that repeats the figure: evidence the suggestion of the
                    # text carries, without being a suggestion of its own.
                    restated = next(
                        (
                            suggestion
                            for slug, _number, suggestion in pool
                            if slug == citation[0]
                            and citation[1] in suggestion.restated_in
                            and _equal(suggestion, pledge, kind=kind)
                        ),
                        None,
                    )
                    if restated is None:
                        score.misses.append((kind, pledge, citation))
                    else:
                        tally.found += 1
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
        checks: dict[str, tuple[object, object]] = {
            "stage": (suggestion.stage, gold.stage),
            "is_aggregate": (suggestion.is_aggregate, gold.is_aggregate),
            "stage_aggregate": (
                (suggestion.stage, suggestion.is_aggregate),
                (gold.stage, gold.is_aggregate),
            ),
            "donor": (suggestion.donor_slug, gold.donor),
            "category": (suggestion.category, gold.category),
            "qualifier": (suggestion.qualifier, gold.qualifier),
            "period": (suggestion.period, gold.period),
        }
        # Part-of is scored on the parts the editor recorded; links where there is no whole
        # are counted apart.
        if gold.part_of is not None:
            linked = (slug, suggestion.part_of_index) in matched_to.get(gold.part_of, set())
            checks["part_of"] = (linked, True)
        elif suggestion.part_of_index is not None:
            score.part_of_spurious += 1
        if gold.announced_on is not None:
            agree = dates_agree(
                suggestion.announced_on, gold.announced_on, precision=gold.date_precision
            )
            checks["date"] = (
                suggestion.announced_on if not agree else gold.announced_on,
                gold.announced_on,
            )
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
