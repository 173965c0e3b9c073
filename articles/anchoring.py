"""Finding a sentence again in an article body that has changed since it was cut.

A sentence is stored with its offsets, its text and the words around it: ``prefix``, the body
just before it, and ``suffix``, the body just after (``sentence_context``). When its text is no
longer ``body[start:end]``, ``sentence_locate`` says where it went:

- ``exact``: the text is in the body, once, or several times and the words around it tell
  which one is the sentence;
- ``ambiguous``: the text is there several times and the words around it do not tell which;
- ``context``: the text is not there, but its prefix and suffix still frame a span of about
  its length (the sentence was edited where it stood);
- ``approximate``: no frame, but a span of the body is at least ``APPROXIMATE_RATIO`` like the
  text (difflib's ratio);
- ``not found``.

Plain Python on strings, so that the same code serves the models, their migrations and the
``check_evidence`` command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

#: Characters of body kept on each side of a sentence, before cutting to whole words.
CONTEXT_LENGTH = 32
#: The least difflib ratio at which a span counts as the sentence, edited. A sentence with a
#: word or a figure changed scores above it; two different sentences of one article on one
#: subject (same donor, same weapons, same month) score below it, so a guess at this level
#: is the edited sentence, not its neighbour.
APPROXIMATE_RATIO = 0.8
#: A framed span is the edited sentence only if its length is within this factor of the old.
_FRAME_LENGTH_FACTOR = 2
#: Window starts tried for an approximate match: those sharing the most words with the text.
_CANDIDATE_STARTS = 32

_WORD = re.compile(r"\S+")
_WORD_EDGES = re.compile(r"^\W+|\W+$")


class How(StrEnum):
    EXACT = "exact"
    AMBIGUOUS = "ambiguous"
    CONTEXT = "context"
    APPROXIMATE = "approximate"
    NOT_FOUND = "not found"


@dataclass(frozen=True)
class Location:
    """Where a sentence is in a body: ``body[start:end] == text_now``; no span unless found."""

    how: How
    start: int | None = None
    end: int | None = None
    text_now: str = ""
    ratio: float = 0.0  # how like the sentence ``text_now`` is: 1.0 for the same text
    occurrences: int = 0  # of the text in the body, when it is ambiguous

    @property
    def found(self) -> bool:
        return self.start is not None

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)``; ValueError when the sentence was not found."""
        if self.start is None or self.end is None:
            raise ValueError(f"no span: the sentence was {self.how}.")
        return self.start, self.end


def sentence_context(body: str, start: int, end: int) -> tuple[str, str]:
    """The words around ``body[start:end]``: up to ``CONTEXT_LENGTH`` characters before it and
    after it, exactly as in the body, without a word cut in two at the far end.

    ``prefix == body[start - len(prefix):start]`` and ``suffix == body[end:end + len(suffix)]``
    always hold: the prefix is empty only at the start of the body, the suffix only at its end.
    A single word longer than the window is kept cut, rather than leave no context.
    """
    low = max(start - CONTEXT_LENGTH, 0)
    prefix = body[low:start]
    if low > 0 and not body[low - 1].isspace() and not body[low].isspace():
        space = re.search(r"\s+", prefix)
        if space and prefix[space.end() :].strip():
            prefix = prefix[space.end() :]
    high = min(end + CONTEXT_LENGTH, len(body))
    suffix = body[end:high]
    if high < len(body) and not body[high - 1].isspace() and not body[high].isspace():
        spaces = list(re.finditer(r"\s+", suffix))
        if spaces and suffix[: spaces[-1].start()].strip():
            suffix = suffix[: spaces[-1].start()]
    return prefix, suffix


def sentence_locate(
    body: str, *, text: str, prefix: str = "", suffix: str = "", start: int | None = None
) -> Location:
    """Where the sentence ``text``, last seen at ``start`` between ``prefix`` and ``suffix``,
    is in ``body`` now."""
    if not text:
        return Location(How.NOT_FOUND)
    if start is not None and body[start : start + len(text)] == text:
        return Location(How.EXACT, start, start + len(text), text, 1.0)
    occurrences = _occurrences(body, text)
    if occurrences:
        scores = [_context_score(body, at, at + len(text), prefix, suffix) for at in occurrences]
        best = max(scores)
        if scores.count(best) > 1:
            return Location(How.AMBIGUOUS, text_now=text, ratio=1.0, occurrences=len(scores))
        at = occurrences[scores.index(best)]
        return Location(How.EXACT, at, at + len(text), text, 1.0)

    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)
    framed = []
    for low, high in _frames(body, text, prefix, suffix):
        matcher.set_seq1(body[low:high])
        framed.append((matcher.ratio(), low, high))
    if framed:
        ratio, low, high = max(framed)
        return Location(How.CONTEXT, low, high, body[low:high], ratio)

    window = _closest_window(body, text, matcher, near=start or 0)
    if window is not None:
        ratio, low, high = window
        return Location(How.APPROXIMATE, low, high, body[low:high], ratio)
    return Location(How.NOT_FOUND)


def text_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The runs of words that differ between two texts, each as (old words, new words); ""
    on one side for words added or removed."""
    old_words, new_words = old.split(), new.split()
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    return [
        (" ".join(old_words[low:high]), " ".join(new_words[new_low:new_high]))
        for tag, low, high, new_low, new_high in matcher.get_opcodes()
        if tag != "equal"
    ]


def _occurrences(body: str, text: str) -> list[int]:
    found, at = [], body.find(text)
    while at >= 0:
        found.append(at)
        at = body.find(text, at + 1)
    return found


def _context_score(body: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of ``prefix`` and ``suffix`` the body has around this span, counted
    from the span outwards; an empty one matches only at its end of the body."""
    if prefix:
        before = body[max(start - len(prefix), 0) : start]
        score = _common_start(before[::-1], prefix[::-1])
    else:
        score = int(start == 0)
    if suffix:
        return score + _common_start(body[end : end + len(suffix)], suffix)
    return score + int(end == len(body))


def _common_start(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` have in common from their start."""
    for count, (mine, theirs) in enumerate(zip(one, other, strict=False)):
        if mine != theirs:
            return count
    return min(len(one), len(other))


def _frames(body: str, text: str, prefix: str, suffix: str) -> list[tuple[int, int]]:
    """Spans between an occurrence of the prefix and the next of the suffix, without their
    surrounding whitespace, of about the length of ``text``."""
    if not prefix and not suffix:
        return []  # the sentence was the whole body: "framed" would say nothing
    starts = [at + len(prefix) for at in _occurrences(body, prefix)] if prefix else [0]
    spans = []
    for low in starts:
        high = body.find(suffix, low) if suffix else len(body)
        if high < 0:
            continue
        span = body[low:high]
        low += len(span) - len(span.lstrip())
        high -= len(span) - len(span.rstrip())
        if len(text) / _FRAME_LENGTH_FACTOR <= high - low <= len(text) * _FRAME_LENGTH_FACTOR:
            spans.append((low, high))
    return spans


def _closest_window(
    body: str, text: str, matcher: SequenceMatcher, *, near: int
) -> tuple[float, int, int] | None:
    """``(ratio, start, end)`` of the span of whole words most like ``text`` (the matcher's
    second sequence), if its ratio reaches ``APPROXIMATE_RATIO``; of equal ones, the nearest
    to ``near``.

    Windows of about the text's number of words start where the body shares the most words
    with the text (counted in one pass), so a long body is not compared character by
    character everywhere. ``quick_ratio`` bounds ``ratio`` from above: it rules windows out
    cheaply.
    """
    words = [(match.start(), match.end()) for match in _WORD.finditer(body)]
    wanted = _WORD.findall(text)
    if not words or not wanted:
        return None
    keys = {_word_key(word) for word in wanted}
    hits = [_word_key(body[low:high]) in keys for low, high in words]
    width = min(len(wanted), len(words))
    shared = [sum(hits[:width])]
    for first in range(1, len(words) - width + 1):
        shared.append(shared[-1] + hits[first + width - 1] - hits[first - 1])
    starts = sorted(range(len(shared)), key=lambda i: (-shared[i], abs(words[i][0] - near)))
    spread = max(1, len(wanted) // 5)
    best: tuple[tuple[int, float, int], int, int] | None = None
    for first in starts[:_CANDIDATE_STARTS]:
        if shared[first] * 2 < width:
            break  # fewer than half the words in common: no window from here on will do
        for count in range(max(1, len(wanted) - spread), len(wanted) + spread + 1):
            last = first + count - 1
            if last >= len(words):
                break
            low, high = words[first][0], words[last][1]
            window = body[low:high]
            edges = _edges_alike(window, text)
            # A window whose edges are less like the text's must beat the best one's ratio.
            floor = best[0][1] if best and edges <= best[0][0] else APPROXIMATE_RATIO
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            rank = (edges, ratio, -abs(low - near))
            if ratio >= APPROXIMATE_RATIO and (best is None or rank > best[0]):
                best = (rank, low, high)
    if best is None:
        return None
    (_, ratio, _), low, high = best
    return ratio, low, high


def _edges_alike(window: str, text: str) -> int:
    """How many of its two ends a window has like the sentence's: a capital or not where it
    starts, the same stop (or a letter or digit for none) where it ends.

    difflib's ratio would rather leave out a changed word at the edge ("kommt im" for "kommt
    im Juli." edited to "kommt im August."); the edited sentence still starts and ends as a
    sentence does.
    """
    starts = window[0].isupper() == text[0].isupper()
    ends = window[-1] == text[-1] or (window[-1].isalnum() and text[-1].isalnum())
    return starts + ends


def _word_key(word: str) -> str:
    return _WORD_EDGES.sub("", word).casefold()
