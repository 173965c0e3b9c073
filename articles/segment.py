"""Split an article body into sentences and page furniture, with exact offsets.

Every segment is a span of the body: ``body[start:end] == text``, offsets in code points, no
surrounding whitespace. The body is cut into lines first, because web text puts menus, headlines
and date lines on lines of their own and no sentence splitter knows them; prose lines are then
split by pysbd, a long line in windows (its time grows with the square of what it reads). An
article of more than ``SENTENCE_LIMIT`` sentences is refused as soon as that many are found.

Why pysbd (0.3.4) and not sentencex (1.0.32), measured on the five seeds and 44 hand-made
sentences: on the seeds, line by line, both give the same 162 sentences, with no wrong or missed
split. On the hand-made set pysbd alone gets 34 right, sentencex 35, but sentencex splits after a
German ordinal before a noun ("das 17. | Hilfspaket", "die 2. | Tranche", "im 3. | Quartal"),
which aid news is full of and no rule can undo without also joining "stieg auf 12. | Neue ...".
Most of pysbd's misses leave a piece that ends without a stop or a next one that starts in lower
case ("am | 12. und 13. Juni", "Nov. | kam"), which the joins below repair: 40 of 44 with them.
sentencex is faster (0.3 ms against 45 ms for the 105 lines of the seeds), which does not matter
when articles are loaded a few at a time.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pysbd

from articles.models import Sentence

Kind = Sentence.Kind

LANGUAGES = ("de", "en")

MONTHS: dict[str, int] = {
    **dict.fromkeys(("januar", "jänner", "january", "jan"), 1),
    **dict.fromkeys(("februar", "february", "feb"), 2),
    **dict.fromkeys(("märz", "march", "mär", "mrz", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("dezember", "december", "dez", "dec"), 12),
}
# Longest first, so that "sept" is not read as "sep" followed by a stray "t".
MONTH_PATTERN = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_MONTH_ABBREVIATION = "(?:jan|feb|mär|mrz|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dez|dec)"
_WEEKDAY = (
    r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)\.?,?\s+"
)
_DATE = (
    rf"(?<!\d)(?:(?P<dmy_day>\d{{1,2}})\.?\s+(?P<dmy_month>{MONTH_PATTERN})\.?,?\s+(?P<dmy_year>\d{{4}})"
    rf"|(?P<mdy_month>{MONTH_PATTERN})\.?\s+(?P<mdy_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_year>\d{{4}})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})"
    r"|(?P<dot_day>\d{1,2})\.(?P<dot_month>\d{1,2})\.(?P<dot_year>\d{4}))(?!\d)"
)
_TIME = (
    r"(?:,?\s*(?:um\s+|at\s+|-\s+)?\d{1,2}[:.]\d{2}"
    r"(?:\s*(?:uhr|h|am|pm|[ap]\.m\.|cet|cest|mez|mesz|utc|gmt))?)?"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)

_BULLET_RE = re.compile(r"^[•·▪●◦*\-–—]\s*")
_DATELINE_RE = re.compile(
    # "Chas Pravdy - 05 November 2025 13:09", "Sep 3, 2025", "Veröffentlicht am 5. Mai 2025"
    r"(?:(?:[^.!?\d]{1,60}?\s*[-–—|·•,:]|(?:veröffentlicht|aktualisiert|erschienen|stand|"
    r"published|updated|posted)(?:\s+(?:am|on|vom))?:?)\s*)?"
    rf"(?:{_WEEKDAY})?{_DATE}{_TIME}",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(r"(?i:von|by)(?:\s+(?:[A-ZÄÖÜ][\w.'’-]*|und|and|&)){0,6}")
_READING_TIME_RE = re.compile(
    r"\d+\s*min(?:ute[ns]?)?\.?\s*(?:read|lesezeit|lesedauer)"
    r"|(?:lesezeit|lesedauer|reading time):?\s*\d+\s*min\w*\.?",
    re.IGNORECASE,
)
# Wire-style dateline at the start of the first paragraph: "BRÜSSEL / LONDON (IT BOLTWISE) – ".
NEWS_DATELINE_RE = re.compile(
    r"(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ.'-]{2,}(?:\s*/\s*[A-ZÄÖÜ][A-ZÄÖÜ.'-]{2,}|\s+[A-ZÄÖÜ][A-ZÄÖÜ.'-]+)*)"
    r"\s*\((?P<agency>[^()\n]{1,40})\)\s*[-–—:]\s+"
)

_NAVIGATION_RE = re.compile(
    r"top of page|bottom of page|back to top|nach oben|zum seitenanfang|skip to (?:main )?content"
    r"|zum inhalt springen|menü|menu|navigation|(?:this (?:article|page|post|story) is )?"
    r"(?:also )?available in:?|(?:dieser (?:artikel|beitrag) ist )?auch verfügbar (?:in|auf):?",
    re.IGNORECASE,
)
_BREADCRUMB_RE = re.compile(r"(?:home|start|startseite|homepage)\s*[»›>/|]\s*\S", re.IGNORECASE)
_MENU_ITEM_RE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)?")
_MENU_SEPARATOR_RE = re.compile(r"\s*[|•·]\s*|\s+[-–—/]\s+")
_JOB_AD_RE = re.compile(r"\((?:[mwfdx]|all genders)(?:\s*/\s*[mwfdx]){1,3}\)", re.IGNORECASE)
_SOURCE_CREDIT_RE = re.compile(
    r"(?:informationsquelle|quellen?|sources?|bildquelle|fotos?|photos?)\s*(?::.{0,80})?",
    re.IGNORECASE,
)
# A whole line that starts what comes under an article (paywall, job ads, related links,
# comments): everything from it to the end of the body is page furniture.
_TRAILER_RE = re.compile(
    r"want to (?:read|keep reading|continue reading)(?: more)?\??"
    r"|.{0,100}\bsubscribe\b.{0,100}\b(?:keep|continue) reading\b.{0,100}"
    r"|(?:jetzt )?weiterlesen\b.{0,100}"
    r"|stellenangebote|stellenmarkt|jobs|verwandte (?:beiträge|artikel|themen)"
    r"|ähnliche (?:beiträge|artikel)|mehr zum thema|das könnte sie auch interessieren"
    r"|related (?:posts|articles|stories|content)|you (?:may|might) also like|read more"
    r"|kommentare|comments|informationsquelle",
    re.IGNORECASE,
)

#: The most sentences an article may have: the seed articles have 30 to 60, a long report a
#: few hundred. Loading checks each sentence as it saves it (3 to 4 ms each), so an import
#: stays within seconds.
SENTENCE_LIMIT = 2_000

# pysbd's time grows with the square of the length of what it reads (each abbreviation it
# finds is replaced in a pass over the whole text): one paragraph of 200 KiB took 17 s, 400 KiB
# 65 s. Longer lines are read in windows (``_sentence_starts``); the longest paragraph of the
# seed and evaluation articles has 599 characters.
WINDOW = 1_000
WINDOW_STOPS = 50
_STOP_RE = re.compile(r"[.!?…]")
_SPACE_RE = re.compile(r"\s")

# Characters at the end and the start of two pieces that decide whether they are joined.
_JOIN_CONTEXT = 64

_TERMINAL = ".!?…:;"
# Reference marks as encyclopedias print them after a sentence: "… vorgesehen.[2]".
_REFERENCE_MARKS_END_RE = re.compile(r"(?:\[\d{1,3}\])+$")
_AFTER_REFERENCE_MARK_RE = re.compile(r"(?<=[.!?])(?:\[\d{1,3}\])+\s+(?=[A-ZÄÖÜ\"„“])")
_CLOSERS = "\"'“”‘’„»«›‹)]*_"
# A headline is short; a long line without a full stop is a paragraph that lost it.
_HEADLINE_MAX = 200
_ORDINAL_END_RE = re.compile(r"(?<![\w.,])\d{1,2}\.$")
_MONTH_START_RE = re.compile(rf"{MONTH_PATTERN}(?![^\W\d_])", re.IGNORECASE)
_MONTH_ABBREVIATION_END_RE = re.compile(rf"\b{_MONTH_ABBREVIATION}\.$", re.IGNORECASE)
_CURRENCY_ABBREVIATION_END_RE = re.compile(r"\b(?:s?Fr|Rs|[DNS]kr)\.$")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    kind: str = Kind.CONTENT

    @property
    def is_content(self) -> bool:
        return self.kind == Kind.CONTENT


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    text: str
    is_bullet: bool


@dataclass(frozen=True)
class _Piece:
    line: int
    start: int
    end: int
    kind: str


class TooManySentences(ValueError):
    """The text holds more sentences than one article may: more than ``SENTENCE_LIMIT``."""

    def __init__(self) -> None:
        super().__init__(
            f"more than {SENTENCE_LIMIT:,} sentences, more than one article holds; split the "
            "text into several files."
        )


def segment(text: str, language: str) -> list[Segment]:
    """Split ``text`` into sentences and page furniture, in order, with exact offsets.

    TooManySentences stops it once the text has more than ``SENTENCE_LIMIT`` of them.
    """
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language {language!r}; expected one of {LANGUAGES}.")
    segmenter = pysbd.Segmenter(language=language, clean=False, char_span=True)
    pieces: list[_Piece] = []
    in_trailer = False
    # Pieces of the bullet lines right above the current line, with no blank line between.
    bullet_run: list[int] = []
    previous_index = -2
    for line in _lines(text):
        if line.index != previous_index + 1:
            bullet_run = []
        previous_index = line.index
        if not in_trailer and _TRAILER_RE.fullmatch(line.text):
            # A link list glued to the trailer's first line belongs to the trailer.
            for index in bullet_run:
                pieces[index] = replace(pieces[index], kind=Kind.BOILERPLATE)
            in_trailer = True
        kind = line_classify(line.text)
        if kind is not None:
            pieces.append(_Piece(line.index, line.start, line.start + len(line.text), kind))
            bullet_run = []
            continue
        first = len(pieces)
        limit = SENTENCE_LIMIT - len(pieces)
        pieces.extend(_prose_pieces(segmenter, line, in_trailer=in_trailer, limit=limit))
        if len(pieces) > SENTENCE_LIMIT:
            raise TooManySentences
        bullet_run = [*bullet_run, *range(first, len(pieces))] if line.is_bullet else []
    pieces = _join_split_sentences(text, pieces)
    return [
        Segment(
            start=piece.start, end=piece.end, text=text[piece.start : piece.end], kind=piece.kind
        )
        for piece in pieces
    ]


def line_classify(line: str) -> str | None:
    """The kind of a whole line that is page furniture, or None for a line of prose."""
    bare = _BULLET_RE.sub("", line)
    has_bullet = bare != line
    if _DATELINE_RE.fullmatch(bare) or _READING_TIME_RE.fullmatch(bare):
        return Kind.DATELINE
    if not has_bullet and _BYLINE_RE.fullmatch(bare):
        return Kind.DATELINE
    if _is_menu(bare, has_bullet=has_bullet):
        return Kind.MENU
    if _JOB_AD_RE.search(bare) or _SOURCE_CREDIT_RE.fullmatch(bare):
        return Kind.BOILERPLATE
    if _TRAILER_RE.fullmatch(line):
        return Kind.BOILERPLATE
    return None


def date_find(text: str) -> datetime.date | None:
    """The first complete calendar date written in ``text`` (day, month and year)."""
    for match in _DATE_RE.finditer(text):
        parts = {key.split("_")[1]: value for key, value in match.groupdict().items() if value}
        month = parts["month"]
        month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
        try:
            return datetime.date(int(parts["year"]), month_number, int(parts["day"]))
        except ValueError:
            continue
    return None


def _lines(text: str) -> Iterator[_Line]:
    offset = 0
    for index, raw in enumerate(text.splitlines(keepends=True)):
        stripped = raw.strip()
        if stripped:
            start = offset + len(raw) - len(raw.lstrip())
            yield _Line(index, start, stripped, is_bullet=bool(_BULLET_RE.match(stripped)))
        offset += len(raw)


def _is_menu(bare: str, *, has_bullet: bool) -> bool:
    if _NAVIGATION_RE.fullmatch(bare) or _BREADCRUMB_RE.match(bare):
        return True
    if bare.count(" » ") + bare.count(" › ") >= 2:
        return True
    # "• En", "• Ук": one entry of a language switcher.
    if _MENU_ITEM_RE.fullmatch(bare) and len(bare) <= (3 if has_bullet else 2):
        return True
    items = [item.strip() for item in _MENU_SEPARATOR_RE.split(bare)]
    return len(items) >= 3 and all(
        len(item) <= 20 and _MENU_ITEM_RE.fullmatch(item) for item in items
    )


def _prose_pieces(
    segmenter: pysbd.Segmenter, line: _Line, *, in_trailer: bool, limit: int
) -> list[_Piece]:
    content = Kind.BOILERPLATE if in_trailer else Kind.CONTENT
    pieces = []
    offset = 0
    dateline = NEWS_DATELINE_RE.match(line.text)
    if dateline:
        end = len(dateline.group().rstrip())
        pieces.append(_Piece(line.index, line.start, line.start + end, Kind.DATELINE))
        offset = dateline.end()
    spans = _sentence_spans(segmenter, line.text[offset:], limit=limit)
    for start, end in spans:
        sentence = line.text[offset + start : offset + end]
        kind = content
        if _JOB_AD_RE.search(sentence) or _TRAILER_RE.fullmatch(sentence):
            kind = Kind.BOILERPLATE
        elif len(spans) == 1 and not dateline and not in_trailer and _is_headline(sentence):
            kind = Kind.HEADLINE
        pieces.append(
            _Piece(line.index, line.start + offset + start, line.start + offset + end, kind)
        )
    return pieces


def _sentence_spans(segmenter: pysbd.Segmenter, text: str, *, limit: int) -> list[tuple[int, int]]:
    # pysbd only proposes where sentences start; the text is cut here, so the spans are exact
    # even where pysbd alters or misplaces a sentence (it is known to in edge cases).
    ordered = _sentence_starts(segmenter, text, limit=limit)
    spans = []
    for start, end in zip(ordered, [*ordered[1:], len(text)], strict=True):
        chunk = text[start:end]
        if chunk.strip():
            left = start + len(chunk) - len(chunk.lstrip())
            spans.append((left, left + len(chunk.strip())))
    return spans


def _sentence_starts(segmenter: pysbd.Segmenter, text: str, *, limit: int) -> list[int]:
    """Where the sentences of ``text`` start, in order, as pysbd reads them, in windows of
    at most ``WINDOW`` characters and ``WINDOW_STOPS`` stops: the time taken grows with the
    length of the text, not with its square.

    A start is taken from a window only in its first four fifths: one near its end may
    depend on text the window cut off. The next window reads on from there, beginning at
    the last start taken if that lies in the fifth before, or else inside the long sentence
    that fifth is part of, so that it knows what comes before. A text that fits in one
    window, as every paragraph of an ordinary article does, is read whole, as before.
    TooManySentences stops it after more than ``limit`` starts.
    """
    stops = [match.end() for match in _STOP_RE.finditer(text)]
    starts: list[int] = []
    decided = 0  # every start before this is known
    begin, begin_starts = 0, True  # where the window begins, and whether a sentence does
    while True:
        end = min(begin + WINDOW, len(text))
        nth_stop = bisect.bisect_right(stops, begin) + WINDOW_STOPS - 1
        if nth_stop < len(stops):
            end = min(end, stops[nth_stop])
        found = [begin + start for start in _window_starts(segmenter, text[begin:end])]
        if not begin_starts:
            found.remove(begin)  # pysbd starts its text with a sentence; this is none
        if end == len(text):
            return [*starts, *(start for start in found if start >= decided)]
        fifth = (end - begin) // 5
        edge = end - fifth
        starts.extend(start for start in found if decided <= start < edge)
        if len(starts) > limit:
            raise TooManySentences
        decided = edge
        if starts and starts[-1] >= edge - fifth:
            begin, begin_starts = starts[-1], True
        elif _SPACE_RE.search(text, edge - 1) is None:
            return starts  # a sentence starts after a space: none in the rest
        else:
            begin, begin_starts = edge - fifth, False


def _window_starts(segmenter: pysbd.Segmenter, text: str) -> list[int]:
    # A start inside a run of non-space characters moves to the next word: that keeps a
    # closing quote with its sentence ('sagte: "Wir liefern." Dann') and never cuts a word.
    starts = {0}
    for span in segmenter.segment(text):
        start = span.start
        while 0 < start < len(text) and not text[start - 1].isspace():
            start += 1
        if start < len(text):
            starts.add(start)
    # pysbd reads "vorgesehen.[2] Mit dem" as one sentence: a reference mark after a stop, as
    # encyclopedias print them, ends the sentence it follows.
    starts.update(match.end() for match in _AFTER_REFERENCE_MARK_RE.finditer(text))
    return sorted(starts)


def _ends_sentence(text: str) -> bool:
    return _REFERENCE_MARKS_END_RE.sub("", text).rstrip(_CLOSERS)[-1:] in _TERMINAL


def _is_headline(sentence: str) -> bool:
    return len(sentence) <= _HEADLINE_MAX and not _ends_sentence(sentence)


def _join_split_sentences(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """Undo splits that cut a sentence in two, keeping the offsets of the original text."""
    joined: list[_Piece] = []
    line_ends = {piece.line: piece.end for piece in pieces}
    line_starts = {piece.line: piece.start for piece in reversed(pieces)}
    for piece in pieces:
        previous = joined[-1] if joined else None
        if previous and _belong_together(text, previous, piece):
            whole_line = (
                previous.start == line_starts[previous.line] and piece.end == line_ends[piece.line]
            )
            kind = previous.kind
            if whole_line and _is_headline(text[previous.start : piece.end]):
                # "Lotteriefonds: Regierungsrat spricht Fr. | 1,2 Mio. für die Ukraine": a line
                # without a stop, cut at an abbreviation, is a headline.
                kind = Kind.HEADLINE
            joined[-1] = replace(previous, end=piece.end, kind=kind)
        else:
            joined.append(piece)
    return joined


def _belong_together(text: str, first: _Piece, second: _Piece) -> bool:
    if first.kind != Kind.CONTENT or second.kind not in (Kind.CONTENT, Kind.HEADLINE):
        return False
    # The rules read only the end of the first piece and the start of the second: a piece
    # that grows by joining must not be copied and scanned again at every join.
    left = text[max(first.start, first.end - _JOIN_CONTEXT) : first.end]
    right = text[second.start : min(second.end, second.start + _JOIN_CONTEXT)]
    # "am 5.\n\nNovember": a date that the layout or the splitter cut after the day, even
    # across blank lines; "bis Okt. 2025" cut after the month.
    if _ORDINAL_END_RE.search(left) and _MONTH_START_RE.match(right):
        return True
    # "bis Okt. | 2025", "einen Beitrag von Fr. | 1,2 Mio.": an abbreviation before its number.
    if (
        _MONTH_ABBREVIATION_END_RE.search(left) or _CURRENCY_ABBREVIATION_END_RE.search(left)
    ) and right[:1].isdigit():
        return True
    # Within a line, a sentence neither ends without a stop nor starts in lower case: the
    # split followed an abbreviation or ordinal the splitter misread ("am | 12. und | 13. Juni",
    # "im Jan. | an").
    return first.line == second.line and (not _ends_sentence(left) or right[:1].islower())
