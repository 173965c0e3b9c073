"""Parts and wholes across sentences: which suggested figure is a share of which.

Within a sentence the engine links "davon" and "of which" itself. Here are the links that
need the sentences around a figure:

- a sentence that opens by breaking down a figure said before ("Von dieser Summe", "Die
  übrigen", "The remaining", "The first shipment comprised") or names a tranche of it ("the
  first tranche of £752 million");
- the rest after a share ("Die ersten zwölf ... Die übrigen 23"), which is of the same whole;
- figures that add up to a whole said just before ("€33 billion in loans and €17 billion in
  grants" after "€50 billion");
- the entries of a list, of the figure its opening line states or, when the line states none
  ("Das Paket umfasst:"), of the package said before it;
- items listed before the sentence that says what they are worth ("Den Wert der Ladung
  beziffert die Stadt auf 380.000 Euro", "The package ... was worth $250 million").

A count is a share of an earlier count of the same things ("35 Hochspannungstransformatoren",
"die ersten zwölf Transformatoren") before any other figure, and a share of money holds the
things it buys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from tracker.suggest import gazetteer, tables

if TYPE_CHECKING:
    from tracker.suggest.engine import Suggestion

_BULLETS = ("•", "▪", "·")
_NAMED_AFTER = "whole named after it"
# A sentence saying the figure before it is a share of the amount it names.
_PART_OF_NEXT_RE = re.compile(
    r"^\W*(?:the|this|that|these|das|die|der|diese[rs]?|it|es)\b[^.;]{0,40}?\b(?:forms?\s+part\s+of"
    r"|(?:is|are|was|were)\s+(?:part\s+of|drawn\s+from|taken\s+from|funded\s+from)|comes?\s+from"
    r"|(?:ist|sind)\s+teil|stammt\s+aus|stammen\s+aus|kommt\s+aus|kommen\s+aus)\b",
    re.IGNORECASE,
)
_RESTATED_BEFORE_RE = re.compile(
    # (After a speaker's label: "Lea Gysi, Grüne, Aarau: Von diesen fünf Milliarden ...".)
    r"\W*" + gazetteer.SPEAKER_LABEL + r"(?:of the|out of the|from the|von den|aus den|von diesen)"
    r"\s+",
    re.IGNORECASE,
)
_RESTATED_NEXT_TO_RE = re.compile(r"\b(?:von den|aus den|von diesen|out of the)\s+$", re.IGNORECASE)
# The rest of a whole, after a share of it: "Die ersten zwölf ... Die übrigen 23 ...".
_REST_RE = re.compile(
    r"^\W*(?:die übrigen|die restlichen|die verbleibenden|der rest|the remaining|the rest"
    r"|the other)\b",
    re.IGNORECASE,
)
# A share of what was said before, named after it: "€3.5bn of it", "£1.5bn of the March
# loan", "1,1 Milliarden Euro des Pakets".
_OF_IT_AFTER_RE = re.compile(
    r"\s+(?:of it|davon|of (?:that|this|those|these|the)\b"
    r"|des\s+(?:pakets|kredits|darlehens|betrags|geldes|fonds)\b"
    # "100 million euros from this envelope", "150 Millionen Euro aus dem Topf".
    r"|(?:from|out of)\s+(?:this|that|the)\s+(?:envelope|fund|pot|package|money|sum|amount)\b"
    r"|aus\s+(?:dem|diesem)\s+(?:topf|paket|fonds|geld|betrag)\b)",
    re.IGNORECASE,
)
# A count of things said before: "412 of those generators", "85,000 of the drones".
_COUNT_OF_THOSE_RE = re.compile(
    r"[\d.,]+\s+(?:of\s+(?:those|these|the)|von\s+(?:den|diesen))\s", re.IGNORECASE
)
# How many sentences on a breakdown may go on ("Davon fließen 5 Millionen ... Umgesetzt wird
# das über ... Weitere 4 Millionen Euro gehen an das IKRK").
_BREAKDOWN_GAP = 2
# How many sentences back a whole is looked for.
WHOLE_REACH = 4
# How many sentences back the items of a package stated after them are looked for.
ITEMS_REACH = 3

# "Von dieser Summe", "Davon", "Of that": the amount said last, even a share of another.
_THIS_SUM_RE = re.compile(
    r"\W*(?:von (?:dieser|der) summe|von diesem betrag|davon|of (?:this|that)(?: sum| amount)?,)",
    re.IGNORECASE,
)
# "Liminski erläuterte die Aufteilung: Sechs Millionen Euro sind für …", "The breakdown:".
_BREAKDOWN_RE = re.compile(
    r"\b(?:aufteilung|aufschlüsselung|breakdown|split)\b[^.;:]{0,20}:\s", re.IGNORECASE
)


def parts_link(
    before: list[Suggestion],
    found: list[Suggestion],
    *,
    text: str,
    list_whole: int | None = None,
    list_opened_with_it: bool = True,
) -> list[Suggestion]:
    """``found``, the suggestions of ``text``, linked to the wholes they are parts of among
    ``before`` (the article's suggestions so far, indexed as the article's list). Items in
    ``before`` whose package ``text`` states are linked to it in place. ``list_whole``: ``text``
    is an entry of a list whose opening line stated this figure ("Die Sendung im Wert von 4,6
    Millionen Euro umfasst:") or, not ``list_opened_with_it``, whose opening line ("this
    funding has been allocated as follows:") spoke of this figure said before."""
    found = _restated_whole_drop(before, list(found), text=text)
    breaks_down = bool(gazetteer.PART_OF_OPENING_RE.search(text) or _BREAKDOWN_RE.search(text))
    # A bulleted line lists what the sentence before it introduced.
    opening = breaks_down or text.startswith(_BULLETS)
    if breaks_down:
        # "The first 12 ambulances left ..." after a list breaks down a figure, and is no
        # entry of the list.
        list_whole = None
    for number, part in enumerate(found):
        if part.part_of_index is not None:
            continue
        if list_whole is not None and _holds(before[list_whole], part):
            found[number] = _list_entry(part, before, whole=list_whole, dated=list_opened_with_it)
            continue
        rest_of = _share_before(before, part) if number == 0 and _REST_RE.match(text) else None
        if rest_of is not None:
            found[number] = _linked(part, rest_of, "rest after a share")
            continue
        tranche = gazetteer.TRANCHE_BEFORE_RE.search(text, 0, part.span[0])
        # "Military aid accounted for €3.5bn of it."
        of_it = _OF_IT_AFTER_RE.match(text, part.span[1]) or (
            part.quantity is not None and _COUNT_OF_THOSE_RE.match(text, part.span[0])
        )
        if not (opening or tranche or of_it):
            continue
        whole = _sum_said_last(before, part) if _THIS_SUM_RE.match(text) else None
        if whole is None:
            whole = _whole_before(
                before,
                position=part.sentence_position,
                fits=partial(_holds, part=part),
                part=part,
            )
        if whole is not None:
            rule = "sentence goes on" if opening else "tranche"
            found[number] = _linked(part, whole, rule)
    _sums_link(before, found)
    _breakdown_goes_on(before, found)
    # Links from the sentences before to this one's figures: last, as the steps above read
    # ``before``'s links as pointing into ``before``.
    _wholes_after_link(before, found, text=text)
    return found


def _wholes_after_link(before: list[Suggestion], found: list[Suggestion], *, text: str) -> None:
    """Figures said before that ``text`` names the whole of: a package a larger amount holds,
    items before what they are worth, a table's rows before its total."""
    if _PART_OF_NEXT_RE.search(text):
        _whole_named_after(before, found)
    if gazetteer.WHOLE_AFTER_RE.search(text):
        _items_link(before, found)
    if tables.is_total_row(text):
        _rows_total_link(before, found)


def _list_entry(
    part: Suggestion, before: list[Suggestion], *, whole: int, dated: bool
) -> Suggestion:
    """An entry of the list of ``before[whole]``. The entries are of the day its opening line
    was said, which is the day of the figure it states (``dated``); a figure said before may
    be older."""
    if dated:
        part = part.ruled(
            "date",
            "its list's opening",
            announced_on=before[whole].announced_on,
            date_precision=before[whole].date_precision,
        )
    return _linked(part, whole, "entry of its list")


def _sum_said_last(before: list[Suggestion], part: Suggestion) -> int | None:
    """The amount of the sentence just before ``part``'s that can hold it, the last one said:
    "Zu dem Paket gehören außerdem 420 Millionen Euro für humanitäre Hilfe. Von dieser Summe
    gehen 250 Millionen Euro in die Energieversorgung"."""
    if part.amount is None or not before:
        return None
    last = before[-1].sentence_position
    if part.sentence_position - last > 1:
        return None
    return next(
        (
            index
            for index in range(len(before) - 1, -1, -1)
            if before[index].sentence_position == last
            and before[index].amount is not None
            and _holds(before[index], part)
        ),
        None,
    )


def package_before(before: list[Suggestion], *, position: int, old: int | None) -> int | None:
    """The package a list without a figure in its opening line lists: the amount said shortly
    before ``position`` that ``_whole_before`` would take, else ``old``, the whole of the list
    before it ("Außerdem sind im Paket enthalten:")."""
    found = _whole_before(before, position=position, fits=lambda whole: whole.amount is not None)
    return old if found is None else found


def _share_before(before: list[Suggestion], part: Suggestion) -> int | None:
    """The whole of the first share of the same kind (money or count) in the sentence just
    before, when it can hold ``part``."""
    previous = part.sentence_position - 1
    for share in before:
        if share.sentence_position != previous or share.part_of_index is None:
            continue
        if (share.amount is None) == (part.amount is None):
            whole = share.part_of_index
            return whole if _holds(before[whole], part) else None
    return None


def _restated_whole_drop(
    before: list[Suggestion], found: list[Suggestion], *, text: str
) -> list[Suggestion]:
    """ "Of the €60 billion, €35 billion ...", "Von den 11,5 Milliarden Euro sind ...": the first
    figure repeats a whole said before. It is dropped, and the sentence's figures are shares
    of the one said before."""
    if not found or found[0].amount is None:
        return found
    first = found[0]
    # At the opening, or further on: "sind von den zwölf Milliarden gut vier Milliarden Euro
    # für Luftverteidigung verplant".
    if not (
        _RESTATED_BEFORE_RE.fullmatch(text, 0, first.span[0])
        or (len(found) > 1 and _RESTATED_NEXT_TO_RE.search(text, 0, first.span[0]))
    ):
        return found
    # Named by its amount, the whole may lie further back than WHOLE_REACH.
    said = next(
        (
            index
            for index in range(len(before) - 1, -1, -1)
            if (before[index].amount, before[index].currency) == (first.amount, first.currency)
        ),
        None,
    )
    if said is None:
        return found
    own = len(before)  # the article index of found[0]
    kept = []
    for suggestion in found[1:]:
        index = suggestion.part_of_index
        if index is None or index == own:
            suggestion = _linked(suggestion, said, "restated whole")
        elif index > own:
            suggestion = replace(suggestion, part_of_index=index - 1)
        kept.append(suggestion)
    return kept


def _whole_named_after(before: list[Suggestion], found: list[Suggestion]) -> None:
    """ "The package forms part of the £4.5 billion ...", "This funding is drawn from the $2
    billion ...": the figure just before is a share of the larger amount this sentence names."""
    if not before:
        return
    number = next((n for n, s in enumerate(found) if s.amount is not None), None)
    if number is None:
        return
    whole, index = found[number], len(before) - 1
    share = before[index]
    if share.part_of_index is None and _holds(whole, share) and share.amount is not None:
        before[index] = _linked(share, len(before) + number, _NAMED_AFTER)


def _whole_before(
    before: list[Suggestion],
    *,
    position: int,
    fits: Callable[[Suggestion], bool],
    part: Suggestion | None = None,
) -> int | None:
    """The latest figure said shortly before ``position`` that ``fits``; a new figure rather
    than a running total, where there are both. A package that forms part of a larger amount
    holds its own items, not the larger amount. A count of the same things as ``part``, if
    any, before all others ("35 Transformatoren ... Die ersten zwölf Transformatoren")."""
    holders = []
    for index in range(len(before) - 1, -1, -1):
        whole = before[index]
        if position - whole.sentence_position > WHOLE_REACH:
            break
        is_share = whole.part_of_index is not None and whole.rule("part_of") != _NAMED_AFTER
        # A share holds only shares of the same things ("32 ambulances" in a package, "the
        # first 12 ambulances"), and the things it buys ("Der grössere Teil, 800'000 Franken,
        # ... Damit werden 40 Notstromaggregate beschafft").
        alike = part is not None and _same_things(whole, part)
        buys = part is not None and part.amount is None and whole.amount is not None
        if (alike or buys or not is_share) and fits(whole):
            holders.append(index)
    containers = {before[index].part_of_index for index in holders}
    holders = [index for index in holders if index not in containers]
    new = [index for index in holders if not before[index].is_aggregate]
    chosen = new or holders
    if part is not None:
        chosen = [i for i in chosen if _same_things(before[i], part)] or chosen
        # Of several shares, the things bought are of the one for their kind of aid ("Davon
        # 150 Mio. für die Energie, 60 Mio. für die Minenräumung. Mit dem Geld für die
        # Energie sollen zwölf Transformatoren beschafft werden").
        chosen = [i for i in chosen if before[i].category == part.category] or chosen
    return chosen[0] if chosen else None


def _breakdown_goes_on(before: list[Suggestion], found: list[Suggestion]) -> None:
    """After a sentence of shares of one whole ("Rund die Hälfte davon, 5,8 Millionen, geht an
    das IKRK"), the amounts of the next ("Für das WFP sind 4 Millionen bestimmt, die restlichen
    2,2 Millionen ...") are shares of it too, as long as all shares together fit in it."""
    loose = [n for n, s in enumerate(found) if s.part_of_index is None and s.amount is not None]
    if not loose or not before:
        return
    last = before[-1].sentence_position
    # (The things a share buys are its own parts: "Auf Munition entfallen 260 Millionen Euro;
    # damit sollen 60.000 Artilleriegeschosse bestellt werden.")
    previous = [s for s in before if s.sentence_position == last and s.amount is not None]
    wholes = {s.part_of_index for s in previous}
    whole_index = wholes.pop() if len(wholes) == 1 else None
    if whole_index is None or found[0].sentence_position - last > _BREAKDOWN_GAP:
        return
    whole = before[whole_index]
    if whole.amount is None:
        return
    shares = Decimal(sum(s.amount or 0 for s in before if s.part_of_index == whole_index))
    for n in loose:
        part = found[n]
        shares += part.amount or 0
        if not _holds(whole, part) or shares > whole.amount:
            return
    for n in loose:
        found[n] = _linked(found[n], whole_index, "breakdown goes on")


def _holds(whole: Suggestion, part: Suggestion) -> bool:
    if whole.donor_slug and part.donor_slug and whole.donor_slug != part.donor_slug:
        return False
    if part.amount is not None:
        return (
            whole.amount is not None
            and whole.currency == part.currency
            and part.amount < whole.amount
        )
    if whole.quantity is not None:
        return part.quantity is not None and part.quantity < whole.quantity
    return whole.amount is not None  # items of a package


def _same_things(whole: Suggestion, part: Suggestion) -> bool:
    """Whether two counts name the same things, by the last word of their items without its
    plural ending, a compound's included ("35 Hochspannungstransformatoren", "Die ersten
    zwölf Transformatoren"; "32 Sprinter ambulances", "the first 12 ambulances")."""
    if not whole.item or not part.item:
        return False
    one, other = (
        re.split(r"[\s-]", item.strip())[-1].lower().rstrip("sne")
        for item in (whole.item, part.item)
    )
    return len(one) > 3 and len(other) > 3 and (one.endswith(other) or other.endswith(one))


def _sums_link(before: list[Suggestion], found: list[Suggestion]) -> None:
    """Amounts of one sentence that add up to a whole said just before, or earlier in the
    same sentence, are its parts."""
    loose = [n for n, s in enumerate(found) if s.part_of_index is None and s.amount is not None]
    for first in range(len(loose)):
        parts = loose[first + 1 :] if first else loose
        # A whole in the sentence itself ("50 billion: 33 in loans and 17 in grants"), else
        # one before it.
        candidates = [len(before) + loose[first]] if first or len(loose) > 2 else []
        if len(parts) < 2 or len({found[n].currency for n in parts}) != 1:
            continue
        total = sum(found[n].amount or 0 for n in parts)
        currency = found[parts[0]].currency
        if not candidates:
            candidates = [
                index
                for index in range(len(before) - 1, -1, -1)
                if found[parts[0]].sentence_position - before[index].sentence_position
                <= WHOLE_REACH
            ]
        for index in candidates:
            whole = before[index] if index < len(before) else found[index - len(before)]
            if whole.part_of_index is None and (whole.amount, whole.currency) == (total, currency):
                for n in parts:
                    found[n] = _linked(found[n], index, "adds up")
                return


def _rows_total_link(before: list[Suggestion], found: list[Suggestion]) -> None:
    """The amounts of a table's rows just above its total row, when they add up to it."""
    if not found or found[0].amount is None:
        return
    total = found[0]
    rows: list[int] = []
    position = total.sentence_position
    for index in range(len(before) - 1, -1, -1):
        row = before[index]
        if row.sentence_position != position - 1 or row.amount is None:
            break
        if row.currency != total.currency or row.part_of_index is not None:
            break
        rows.append(index)
        position = row.sentence_position
    if len(rows) > 1 and sum(before[index].amount or 0 for index in rows) == total.amount:
        for index in rows:
            before[index] = _linked(before[index], len(before), "row of its table's total")


def _items_link(before: list[Suggestion], found: list[Suggestion]) -> None:
    """The counted items just before a package's worth are its parts, a list of them as far
    as it goes."""
    whole_number = next(
        (n for n, s in enumerate(found) if s.amount is not None and s.part_of_index is None), None
    )
    if whole_number is None:
        return
    whole = found[whole_number]
    reached = whole.sentence_position
    for index in range(len(before) - 1, -1, -1):
        item = before[index]
        if reached - item.sentence_position > ITEMS_REACH:
            break
        if item.amount is not None:
            break  # another sum: the items before it are its own
        if whole.donor_slug and item.donor_slug and item.donor_slug != whole.donor_slug:
            break
        if item.part_of_index is None:
            before[index] = _linked(item, len(before) + whole_number, "package after its items")
        reached = item.sentence_position


def _linked(part: Suggestion, whole: int, rule: str) -> Suggestion:
    return part.ruled("part_of", rule, part_of_index=whole)
