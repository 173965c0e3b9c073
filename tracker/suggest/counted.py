"""What a count counts when the words right after it do not say.

``numbers.figures_find`` reads "20 Panzer" itself. Here are the counts whose thing is named
elsewhere: before them in a list's entry or a table's line ("Panzerhaubitze 2000 – 6"), before
a bracket ("Feldhaubitzen (zwölf)"), in the count said just before ("Zwei davon", "Twelve
more", "the remaining eight"), after them ("60 of the 80 tanks"), in the count a sentence opens
with ("Of the 20 excavators ..., 12 are in Ukraine"), or in a noun before them ("Generators, 150
of them"). Which lines are a list's entries is decided here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from tracker.suggest import gazetteer
from tracker.suggest.numbers import Figure, item_before

# A count of the thing just counted: "Zwei davon", "Zwei weitere", "Twelve more", "davon
# zehn", "a further 18".
_ELLIPSIS_AFTER_RE = re.compile(
    r"\s+(?:davon|weitere[nrs]?|more|further|of them|of these|of those|of which|in all|all told"
    r"|each)\b(?!\s+than)"
)
# A count that ends the sentence right after a verb of giving: "France has promised to send
# six.", "Polen liefert zehn."
_GIVEN_LAST_RE = re.compile(r"\s*[.!]?\s*$")
_WORD_BEFORE_RE = re.compile(r"([^\W\d_]+)\s+$")
BULLET_RE = re.compile(r"\s*(?:[-–•▪·]|\d{1,2}[.)])\s")
# A list's entry: a bullet, dash or number, the item (with a note in brackets), then its
# count after a colon or in brackets; a table's row ends with the count, after a dash or
# ", insgesamt": "Panzerhaubitze 2000 – 6", "- Kampfpanzer Leopard 1A5, insgesamt 30 Stück".
_ENTRY_ITEM = r"\W*(?:\d{1,2}[.)]\s+)?(?P<item>[^\W\d][^:()\n]{2,60}?(?:\s*\([^()\n]{1,30}\))?)"
_LIST_ENTRY_RE = re.compile(_ENTRY_ITEM + r"(?::\s+|\s*\(\s*)")
# A table's line: a name, a dash or colon, a count (and a word of unit), no full stop.
_TABLE_LINE_RE = re.compile(r"[^.!?\n]{2,80}?(?:\s[–—-]|:)\s+[\d.,\u00a0\u202f ]+(?:\s+\w+)?\s*")
_TABLE_ROW_RE = re.compile(_ENTRY_ITEM + r"(?:\s+[–—-]\s+|,\s+(?:insgesamt|total|in all)\s+)")
# Words that count pieces of the thing named before them.
_COUNTING_WORDS = frozenset(("stück", "exemplare", "units", "pieces", "sätze", "sets"))
# A second donor and its count after the first's: ", Tirol zehn", ", and Latvia 200".
_DONOR_SWITCH_RE = re.compile(r"[^.;]*,\s*(?:und\s+|and\s+)?[A-ZÄÖÜ][\w-]+\s+")
SHARE_OF_RE = re.compile(r"\s+(?:of\s+(?:the|its|their|those)|der|von\s+den)\s+", re.IGNORECASE)
_OF_THE_OPENING_RE = re.compile(
    r"\W*(?:of the|of its|of their|von den|von diesen)\s+", re.IGNORECASE
)
_FIRST_OR_LAST = (
    r"die (?:ersten|letzten|übrigen|restlichen|verbleibenden)|the (?:first|last|remaining)"
)
FIRST_OR_LAST_RE = re.compile(rf"\b(?:{_FIRST_OR_LAST})\s+$", re.IGNORECASE)
_ELLIPSIS_BEFORE_RE = re.compile(
    rf"\b(?:davon|a further|another|die anderen|the other|{_FIRST_OR_LAST})\s+$",
    re.IGNORECASE,
)
# A count that has arrived or been handed over, of the thing counted before it: "only 14 had
# reached Ukraine", "more than 1,500 have been handed over", "seien bislang 5.000
# eingetroffen".
ARRIVED_AFTER_RE = re.compile(
    r"\s+(?:(?:have|has|had)\s+(?:now\s+|already\s+)?(?:been\s+)?(?:handed over|delivered"
    r"|reached|arrived|shipped)|(?:are|were)\s+(?:now\s+|already\s+)?(?:in\s+ukraine|with\s+)"
    r"|(?:eingetroffen|geliefert|übergeben|angekommen|ausgeliefert)\b)",
    re.IGNORECASE,
)
# A count in brackets after what it counts: "Feldhaubitzen (zwölf)", "KEILER (14 Exemplare)".
_BRACKET_OPEN_RE = re.compile(r"[^\W\d_][\w-]*\s*\(\s*$")
_BRACKET_CLOSE_RE = re.compile(r"\s*\)")


def item_found(
    text: str,
    figures: list[Figure],
    *,
    number: int,
    said_before: str,
    item_nouns: tuple[str, ...] = (),
) -> Figure:
    """Figure ``number`` of ``text`` with what it counts, where the text names it elsewhere;
    ``said_before`` is what the sentences before last counted."""
    figure = figures[number]
    following = figures[number + 1] if number + 1 < len(figures) else None
    if following and following.item and is_share_of(text, figure, following):
        # "60 of the 80 promised tanks", "14 der 18 Haubitzen": the thing counted next.
        return replace(figure, item=following.item)
    if opens_with_a_whole(text, figures, number=number):
        return replace(figure, item=figures[0].item)
    if is_elliptic(text, figure):
        # "Zwei davon", "Twelve more", "a further 18": the thing counted just before;
        # "Generators, 150 of them": the thing named just before.
        counted = next((f.item for f in reversed(figures[:number]) if f.item), "")
        counted = counted or item_before(text, figure.start, nouns=item_nouns)
        return replace(figure, item=counted or said_before)
    if is_bare_count(figure) or figure.item.lower() in _COUNTING_WORDS:
        return item_around(text, figures, number=number, item_nouns=item_nouns)
    return figure


def is_bare_count(figure: Figure) -> bool:
    return not (figure.item or figure.currency or figure.scaled or figure.unit)


def is_share_of(text: str, figure: Figure, following: Figure) -> bool:
    return is_bare_count(figure) and bool(
        SHARE_OF_RE.fullmatch(text, figure.end, following.number_start)
    )


def is_elliptic(text: str, figure: Figure) -> bool:
    """Whether a bare number counts the thing counted just before, leaving its name out."""
    if not is_bare_count(figure):
        return False
    if (
        _ELLIPSIS_AFTER_RE.match(text, figure.end)
        or ARRIVED_AFTER_RE.match(text, figure.end)
        or _ELLIPSIS_BEFORE_RE.search(text, max(0, figure.number_start - 24), figure.number_start)
    ):
        return True
    verb = _WORD_BEFORE_RE.search(text, max(0, figure.number_start - 30), figure.number_start)
    return bool(
        verb
        and gazetteer.GIVING_RE.fullmatch(verb.group(1))
        and _GIVEN_LAST_RE.fullmatch(text, figure.end)
    )


def opens_with_a_whole(text: str, figures: Sequence[Figure], *, number: int) -> bool:
    """Whether the bare count ``number`` comes after a sentence's opening "Of the 20
    excavators ...," / "Von den 20 Bussen ...,": it counts a share of that whole."""
    first = figures[0]
    return bool(
        number
        and first.item
        and (is_bare_count(figures[number]) or figures[number].item == first.item)
        and _OF_THE_OPENING_RE.fullmatch(text, 0, first.number_start)
        and "," in text[first.evidence_end : figures[number].number_start]
    )


def item_around(
    text: str, figures: list[Figure], *, number: int, item_nouns: tuple[str, ...]
) -> Figure:
    """A bare count with what it counts, where the text names it before the count: in a list's
    entry or a table's line, before a bracket, or in the clause of a donor before it."""
    figure = figures[number]
    # A sentence's bracket is no list's entry: "Das Paket umfasst Panzerhaubitzen (vier) und".
    is_line = BULLET_RE.match(text) or not ends_a_sentence(text)
    entry = _LIST_ENTRY_RE.fullmatch(text, 0, figure.number_start) if is_line else None
    if not entry and not text[figure.evidence_end :].strip(" .,;"):
        entry = _TABLE_ROW_RE.fullmatch(text, 0, figure.number_start)
    if entry:
        # "- Patriot-Systeme: drei", "- Bergepanzer 2 (16)", "Panzerhaubitze 2000: 18 Stück",
        # "Panzerhaubitze 2000 – 6": a list's entry names its item before the count.
        return replace(figure, item=entry.group("item"), item_known=True)
    if _BRACKET_OPEN_RE.search(
        text, max(0, figure.number_start - 40), figure.number_start
    ) and _BRACKET_CLOSE_RE.match(text, figure.evidence_end):
        # "umfasst Feldhaubitzen (zwölf)", "Minenräumpanzer KEILER (14 Exemplare)".
        counted = item_before(text, figure.number_start, nouns=item_nouns)
        return replace(figure, item=counted, item_known=True) if counted else figure
    before = figures[number - 1] if number else None
    if (
        before
        and before.item
        and _DONOR_SWITCH_RE.fullmatch(text, before.evidence_end, figure.number_start)
    ):
        # "Oberösterreich will 25 Aggregate schicken, Tirol zehn."
        return replace(figure, item=before.item)
    return figure


def is_list_entry(text: str) -> bool:
    """Whether ``text`` is a line of a list or a table: "- 55 Gepard", "1. Leopard 2A6: 18",
    "Panzerhaubitze 2000 – 6"."""
    return bool(BULLET_RE.match(text) or _TABLE_LINE_RE.fullmatch(text))


def opens_a_list(text: str) -> bool:
    """Whether ``text`` ends with a colon: the lines after it are its list's entries."""
    return text.rstrip().endswith(":")


def ends_a_sentence(text: str) -> bool:
    """Whether ``text`` ends with a full stop, a question or an exclamation mark, as a list's
    entries, headings and captions do not."""
    return text.rstrip().endswith((".", "!", "?"))
