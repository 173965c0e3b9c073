"""Sentences that are no longer their slice of the body: where they went, and putting them
back on it (``manage.py check_evidence``).

A sentence is found again by its text and the words stored around it
(``articles.anchoring``). Fixing moves a sentence only onto a span that is surely it: its own
text, found once or told apart by the words around it (``exact``), or, for a sentence no
pledge cites, the span its old neighbours now frame (``context``), whose words it takes. A
pledge quotes the words of the sentence it cites, so those never change here; nor does
anything on a guess (``approximate``): that is an editor's call.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.template.defaultfilters import pluralize

from articles.anchoring import How, Location, sentence_context, sentence_locate, text_changes
from articles.models import Article, Sentence, SentenceQuerySet, quoted, sentence_describe


class EvidenceFixError(RuntimeError):
    """Fixing went wrong half-way; nothing was written."""


@dataclass(frozen=True)
class MovedSentence:
    """A sentence whose text is not its slice of the body, and where it is now."""

    sentence: Sentence
    slug: str
    location: Location
    cited: bool
    kept_because: str = ""  # why fixing leaves it as it is
    fixed: bool = False

    @property
    def fixable(self) -> bool:
        how = self.location.how
        return not self.kept_because and (
            how == How.EXACT or (how == How.CONTEXT and not self.cited)
        )

    def __str__(self) -> str:
        """``slug #3 (chars 10–40) “…”: found at 97–127 (exact, moved +87 characters)``."""
        sentence, location = self.sentence, self.location
        named = f"{self.slug} {sentence_describe(sentence=sentence)}: "
        if location.how == How.NOT_FOUND:
            return named + "not found"
        if location.how == How.AMBIGUOUS:
            return (
                named + f"found {location.occurrences} times, and the words around it do not "
                "tell which is the sentence"
            )
        start, end = location.span
        span = f"{start}–{end}"
        shift = start - sentence.start
        moved = f"moved {shift:+d} character{pluralize(abs(shift))}" if shift else "in place"
        if location.how == How.EXACT:
            return named + f"found at {span} (exact, {moved})"
        # Truncated, not rounded: an edited sentence never reads as a ratio of 1.00.
        ratio = f"ratio {math.floor(location.ratio * 100) / 100:.2f}"
        if location.how == How.CONTEXT:
            described = f"found at {span}, between the same words (context, {ratio}, {moved})"
        else:
            described = f"found approximately at {span} ({ratio})"
        described += f": now {quoted(location.text_now)} ({_changes(sentence.text, location)})"
        return named + described

    @property
    def why_not_fixed(self) -> str:
        """Why ``--fix`` leaves it as it is; "" when it does not."""
        if self.fixed:
            return ""
        if self.kept_because:
            return self.kept_because
        return {
            How.AMBIGUOUS: "which one is the sentence is an editor's call",
            How.CONTEXT: "a pledge cites its old words; whether the new ones say the same is "
            "an editor's call",
            How.APPROXIMATE: "a likely match, not a sure one; an editor's call",
        }.get(self.location.how, "")


def _changes(text: str, location: Location, *, most: int = 3) -> str:
    """``“Juli.” → “August.”; added “und mehr”``: what was edited, word by word."""
    changes = text_changes(text, location.text_now)
    described = []
    for old, new in changes[:most]:
        if not new:
            described.append(f"removed {quoted(old)}")
        elif not old:
            described.append(f"added {quoted(new)}")
        else:
            described.append(f"{quoted(old)} → {quoted(new)}")
    if len(changes) > most:
        described.append(f"{len(changes) - most} more change{pluralize(len(changes) - most)}")
    return "; ".join(described)


@dataclass(frozen=True)
class EvidenceCheck:
    checked: int
    moved: list[MovedSentence]

    @property
    def unresolved(self) -> list[MovedSentence]:
        return [moved for moved in self.moved if not moved.fixed]


def evidence_check(*, every_sentence: bool = False, fix: bool = False) -> EvidenceCheck:
    """Check the cited sentences (or every one) and say where each moved one went.

    With ``fix``, the exact matches (and the context matches of sentences nobody cites) get
    their new offsets and the words around them, all in one transaction: EvidenceFixError if
    anything does not hold, and then nothing is written.
    """
    sentences = Sentence.objects.all() if every_sentence else Sentence.objects.cited()
    if not fix:
        return EvidenceCheck(checked=sentences.count(), moved=moved_locate(sentences=sentences))
    with transaction.atomic():
        checked = sentences.count()
        ids = list(sentences.moved().values_list("pk", flat=True))
        # Held until the commit, the sentences first, as an import holds them: no body or
        # sentence changes between reading where a sentence is and writing it there. Read
        # again once held. (SQLite lets one writer in at a time anyway.)
        held = Sentence.objects.filter(pk__in=ids)
        article_ids = set(held.select_for_update().values_list("article_id", flat=True))
        list(Article.objects.filter(pk__in=article_ids).select_for_update().values_list("pk"))
        moved = moved_fix(moved=moved_locate(sentences=held))
    return EvidenceCheck(checked=checked, moved=moved)


def moved_locate(*, sentences: SentenceQuerySet) -> list[MovedSentence]:
    """The sentences of ``sentences`` that moved, each with where it is now, by article slug
    and position. Each article's body is read once."""
    moved = list(
        sentences.moved()
        .select_related("article")
        .defer("article__body")
        .order_by("article__slug", "position")
    )
    ids = [sentence.pk for sentence in moved]
    cited = set(Sentence.objects.filter(pk__in=ids).cited().values_list("pk", flat=True))
    article_ids = {sentence.article_id for sentence in moved}
    bodies = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "body"))
    return [
        MovedSentence(
            sentence=sentence,
            slug=sentence.article.slug,
            location=sentence_locate(
                bodies[sentence.article_id],
                text=sentence.text,
                prefix=sentence.prefix,
                suffix=sentence.suffix,
                start=sentence.start,
            ),
            cited=sentence.pk in cited,
        )
        for sentence in moved
    ]


def moved_fix(*, moved: Sequence[MovedSentence]) -> list[MovedSentence]:
    """Put the fixable sentences where they were found; the others as they are.

    Call inside a transaction. Written with ``bulk_update``, past the guard that refuses a
    cited sentence new offsets (``articles.models``): that guard is against a move nobody
    sees, and this one is asked for, printed, and keeps the sentence's words.
    """
    moved = _overlaps_refuse(moved)
    fixing = [item for item in moved if item.fixable]
    if not fixing:
        return list(moved)
    bodies = dict(
        Article.objects.filter(pk__in={item.sentence.article_id for item in fixing}).values_list(
            "pk", "body"
        )
    )
    sentences = []
    for item in fixing:
        start, end = item.location.span
        prefix, suffix = sentence_context(bodies[item.sentence.article_id], start, end)
        sentences.append(
            Sentence(
                pk=item.sentence.pk,
                start=start,
                end=end,
                text=item.location.text_now,
                prefix=prefix,
                suffix=suffix,
            )
        )
    Sentence.objects.bulk_update(sentences, ["start", "end", "text", "prefix", "suffix"])
    # The database has the last word on what its slices hold (it counts characters itself).
    still = Sentence.objects.filter(pk__in=[sentence.pk for sentence in sentences]).moved()
    if still.exists():
        named = ", ".join(
            f"#{n}" for n in still.order_by("position").values_list("position", flat=True)
        )
        raise EvidenceFixError(
            f"After fixing, sentences {named} are still not their slice of the body; "
            "nothing was changed."
        )
    return [replace(item, fixed=item.fixable) for item in moved]


def _overlaps_refuse(moved: Sequence[MovedSentence]) -> list[MovedSentence]:
    """Keep a sentence where it is when its new span would overlap another sentence's: two
    sentences found on one span (a repeated sentence) are not both right."""
    fixing = [item for item in moved if item.fixable]
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # article: start, end, pk
    # Only the sentences still in place: a moved one's old span says nothing any more.
    in_place = (
        Sentence.objects.filter(article_id__in={item.sentence.article_id for item in fixing})
        .in_place()
        .values_list("article_id", "start", "end", "pk")
    )
    for article_id, start, end, pk in in_place:
        spans[article_id].append((start, end, pk))
    for item in fixing:
        spans[item.sentence.article_id].append((*item.location.span, item.sentence.pk))
    refused = {}
    for item in fixing:
        low, high = item.location.span
        overlapping = [
            pk
            for start, end, pk in spans[item.sentence.article_id]
            if pk != item.sentence.pk and start < high and low < end
        ]
        if overlapping:
            positions = Sentence.objects.filter(pk__in=overlapping).order_by("position")
            named = ", ".join(f"#{n}" for n in positions.values_list("position", flat=True))
            refused[item.sentence.pk] = f"its new place overlaps sentence {named}"
    return [
        replace(item, kept_because=refused[item.sentence.pk])
        if item.sentence.pk in refused
        else item
        for item in moved
    ]
