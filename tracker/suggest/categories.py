"""What kind of aid a figure is: a category of fixtures/reference.json.

Read from the thing counted ("Flugabwehrkanonenpanzer Gepard"), else what an amount is for,
else the nearest specific word and then the nearest general one (its clause before its
sentence), else the sentences before and the article's topic. Things armies use too (beds,
kitchens, generators) are relief when they go to civilians, and relief goods are military
equipment when they go to the armed forces.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from tracker.suggest import gazetteer
from tracker.suggest.numbers import Figure

# The category of things of a top category that no specific one names.
_OTHER_OF = {"military": "military-other", "humanitarian": "humanitarian-other"}
# Where an item's head ends and what it is for or made of begins: "rounds of 35mm ammunition",
# "Zünder für Artilleriegranaten", "Schutzwesten für Minenräumer".
_ITEM_MODIFIER_RE = re.compile(
    r"\s(?:of|for|with|from|against|für|zur|zum|mit|aus|gegen|von)\s", re.IGNORECASE
)
_FOR_THE_FORCES_RE = re.compile(
    r"\b(?:für|an) (?:die |den )?(?:ukrainischen? )?(?:streitkräfte|armee|soldaten|truppen"
    r"|sanitätsdienst)|\b(?:for|to) (?:the )?(?:ukrainian )?(?:army|armed forces|soldiers"
    r"|troops)|\barmed forces of ukraine|\bukrainischen streitkräfte (?:haben|erhielten|erhalten)"
    r"|\b(?:ukrainian|ukraine's) (?:army|armed forces|troops) (?:has |have )?received",
    re.IGNORECASE,
)
# What an amount is for, right after it: "€500 million to artillery ammunition", "will go to
# drones", "für die Reparatur von Heizkraftwerken".
_PURPOSE_AFTER_RE = re.compile(
    r"[^,.;()]{0,30}?\b(?:für|for|to|in|into|towards|on)\s+(?:die |den |das |der |the )?"
    r"(?P<purpose>[^,.;()]{3,60}?)(?=\s*(?:[,.;()]|$)|\s+(?:und|and|sowie|while|with|which|die|that)\b)",
    re.IGNORECASE,
)
# Forms of money that are the aid's kind whatever it pays for; a grant is what it pays for.
_INSTRUMENTS = [
    (slug, pattern)
    for slug, pattern in gazetteer.SPECIFIC_RE
    if slug in ("loans", "guarantees", "grants")
]
_BRACKETS_RE = re.compile(r"\s*\([^()]*\)")
_FOR_CIVILIANS_RE = re.compile(
    r"\b(?:für|an|for|to)\s+(?:die\s+|den\s+|das\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:\w*kliniken"
    r"|\w*krankenhäuser|\w*spitäler|schulen|familien|kinder|flüchtlinge|vertriebene|zivil\w*"
    r"|katastrophenschutz|gemeinden|städte|hospitals|schools|families|children|refugees"
    r"|displaced|civilians|civil protection|emergency services?|municipalities|cities|red cross"
    r"|rote[ns]? kreuz)\b",
    re.IGNORECASE,
)
_CIVIL_KINDS = (
    ("shelter", re.compile(r"bett|\bbeds?\b|zelt|tent|matratze|mattress|schlafs|sleeping", re.I)),
    ("food", re.compile(r"küche|kitchen|lebensmittel|food", re.I)),
)
_REPAIR_RE = re.compile(r"(?:die |the )?(?:reparatur|repairs?\b|sanierung|renovat)", re.I)
_REPAIRED_RE = [
    (slug, pattern) for slug, pattern in gazetteer.SPECIFIC_RE if slug != "reconstruction"
]
_WORD_START_RE = re.compile(r"[\w-]*$")
_LIST_JOIN_RE = re.compile(r",|\b(?:und|and|sowie|plus)\b")
_WORD_END_RE = re.compile(r"[\w-]*")


def category_guess(
    text: str,
    figure: Figure,
    *,
    is_money: bool,
    donor: str,
    window: tuple[int, int],
    scope: tuple[int, int],
    said_before: tuple[str, str],
    topic: str,
) -> tuple[str, str]:
    """The category of ``figure`` in ``text``, with the rule that chose it. ``window`` is its
    clause, ``scope`` its sentence; ``said_before`` the category the sentences before named and
    the donor it was said of; ``topic`` the article's."""
    category, rule = _category_read(
        text,
        figure,
        is_money=is_money,
        donor=donor,
        window=window,
        scope=scope,
        said_before=said_before,
        topic=topic,
    )
    if (
        gazetteer.category_tops().get(category) == "humanitarian"
        and not is_money
        and _FOR_THE_FORCES_RE.search(text, scope[0], window[1])
        and not _FOR_CIVILIANS_RE.search(text, *scope)
    ):
        # "ambulances for the Ukrainian army", "Die ukrainischen Streitkräfte haben … 24
        # Stromaggregate … erhalten": equipment of the armed forces, not relief. (The forces
        # said after a list are the last item's.)
        return "military-other", "for the armed forces"
    if category == "military-other" and _for_civilians(text, window=window, topic=topic):
        # Field beds, tents, kitchens or Starlink terminals for families, hospitals or the civil
        # protection, in an article on relief: relief, not army equipment.
        return _civil_kind(figure.item or text[slice(*window)]), "for civilians"
    return category, rule


def _category_read(
    text: str,
    figure: Figure,
    *,
    is_money: bool,
    donor: str,
    window: tuple[int, int],
    scope: tuple[int, int],
    said_before: tuple[str, str],
    topic: str,
) -> tuple[str, str]:
    """The category of the figure's item, else the nearest specific keyword (in its clause, then
    its sentence), else the nearest general one, else the sentences before; with the rule."""
    if figure.item:
        slug = _item_category(figure.item)
        if slug:
            return slug, "item"
        slug, rule = _category_of_words(text, figure, window=window, scope=scope)
        if slug in _OTHER_OF:
            # A thing of a kind no specific category names: the "other" of its top category.
            return _OTHER_OF[slug], "item of no named kind"
        if slug:
            return slug, rule
    if is_money:
        slug, rule = _purpose_category(text, figure, window=window)
        if slug:
            return slug, rule
    words = _category_of_words(text, figure, window=window, scope=scope)
    slug, rule = _kinds_listed(text, figure, words, is_money=is_money, window=window)
    if slug:
        return slug, rule
    category, category_donor = said_before
    if category and (donor in ("", category_donor) or not category_donor):
        return category, "sentences before"
    if topic:
        return topic, "article topic"
    return "", "none"


def _kinds_listed(
    text: str,
    figure: Figure,
    words: tuple[str, str],
    *,
    is_money: bool,
    window: tuple[int, int],
) -> tuple[str, str]:
    """``words``, the category the words of an amount's clause name, or the top category of
    the several kinds a list after the amount names ("a £150m package of drones, air defence
    and vehicles", "ein Paket, das Luftverteidigung und Aufklärungsflugzeuge umfasst"). Words
    of one compound or one phrase ("Langstrecken-Angriffsdrohnen", "155mm artillery
    ammunition") are one kind."""
    if not is_money or words[1] != "specific word in clause":
        return words
    lower = text.lower()
    start, end = figure.evidence_end, window[1]
    found = []
    for kind, pattern in gazetteer.SPECIFIC_RE:
        for match in pattern.finditer(lower, start, end):
            found.append((*_word_around(lower, match), kind))
    found.sort()
    kinds = {found[0][2]} if found else set()
    for (_start, first_end, _kind), (second_start, _end, kind) in itertools.pairwise(found):
        if _LIST_JOIN_RE.search(lower, first_end, second_start):
            kinds.add(kind)
    tops = {gazetteer.category_tops().get(kind, "") for kind in kinds}
    if len(kinds) > 1 and len(tops) == 1 and "" not in tops:
        return tops.pop(), "several kinds in clause"
    return words


def _purpose_category(text: str, figure: Figure, *, window: tuple[int, int]) -> tuple[str, str]:
    """What an amount is for, right after it, read by its head as an item is: "€500 million to
    artillery ammunition", "60 Mio. Fr. für die humanitäre Minenräumung". A loan or a
    guarantee for the grid is a loan or a guarantee, the instrument the clause names; a grant
    is what it pays for. ("", "") when no purpose follows the amount."""
    # Past a conversion in brackets: "3.6 billion yen (approximately USD 23.3 million) for the
    # restoration of water supply".
    after = _BRACKETS_RE.match(text, figure.evidence_end)
    purpose = _PURPOSE_AFTER_RE.match(
        text, after.end() if after else figure.evidence_end, window[1]
    )
    if not purpose:
        return "", ""
    slug = _item_category(purpose.group("purpose"))
    if not slug and _REPAIR_RE.match(purpose.group("purpose")):
        # "für die Reparatur von Schulen": rebuilding, unless the clause names what kind of
        # thing is repaired ("repairs of heat and power plants").
        slug, rule = _category_of_words(text, figure, window=window, scope=window)
        return (slug, rule) if rule.startswith("specific") else ("reconstruction", "purpose")
    near = (figure.number_start, figure.evidence_end)
    instrument = _keyword_nearest(
        text.lower(), _INSTRUMENTS, near=near, start=window[0], end=window[1]
    )
    if gazetteer.category_tops().get(slug) == "military" or (slug and instrument in ("", "grants")):
        return slug, "purpose"
    return (instrument, "instrument") if slug else ("", "")


def _item_category(item: str) -> str:
    """The category an item's head names: the words before a preposition ("Zünder für
    Artilleriegranaten" are fuzes), read from the end, since an English noun phrase and a German
    compound end with what they are ("Humvee ambulances", "Flugabwehrkanonenpanzer Gepard")."""
    for words in (_ITEM_MODIFIER_RE.split(item, maxsplit=1)[0], item):
        lower = words.lower()
        slug = _keyword_nearest(lower, gazetteer.SPECIFIC_RE, near=(len(lower), len(lower)))
        if slug == "reconstruction":
            # The repair of a thing is aid of the thing's kind: "Instandsetzung von
            # Panzerhaubitzen", "repair of power substations", "Energieinfrastruktur".
            return _keyword_nearest(item.lower(), _REPAIRED_RE, near=(0, 0)) or slug
        if slug:
            return slug
    return ""


def _category_of_words(
    text: str, figure: Figure, *, window: tuple[int, int], scope: tuple[int, int]
) -> tuple[str, str]:
    """The category of the nearest keyword around ``figure``: specific before general, its
    clause before its sentence."""
    lower = text.lower()
    near = (figure.number_start, figure.evidence_end)
    for kind, patterns in (("specific", gazetteer.SPECIFIC_RE), ("general", gazetteer.GENERAL_RE)):
        for place, (start, end) in (("clause", window), ("sentence", scope)):
            slug = _keyword_nearest(lower, patterns, near=near, start=start, end=end)
            if slug:
                return slug, f"{kind} word in {place}"
    return "", ""


def _keyword_nearest(
    text: str,
    patterns: Sequence[tuple[str, re.Pattern[str]]],
    *,
    near: tuple[int, int],
    start: int = 0,
    end: int | None = None,
) -> str:
    """The category whose keyword is closest to the figure.

    Within one word the keyword that ends it wins: a German compound is what its last part is
    ("Artilleriemunition" is ammunition). On a tie the earlier category in the list wins.
    """
    end = len(text) if end is None else end
    best: tuple[int, int, int, str] | None = None
    for priority, (slug, pattern) in enumerate(patterns):
        for match in pattern.finditer(text, start, end):
            word_start, word_end = _word_around(text, match)
            distance = max(0, near[0] - word_end, word_start - near[1])
            candidate = (distance, word_end - match.end(), priority, slug)
            if best is None or candidate < best:
                best = candidate
    return best[3] if best else ""


def _word_around(text: str, match: re.Match[str]) -> tuple[int, int]:
    """Where the word that holds a keyword starts and ends ("Artillerie" in
    "Artilleriemunition")."""
    # Both patterns match the empty string: they always match.
    before = _WORD_START_RE.search(text, max(0, match.start() - 40), match.start() + 1)
    after = _WORD_END_RE.match(text, match.end())
    return (before.start() if before else match.start(), after.end() if after else match.end())


def _for_civilians(text: str, *, window: tuple[int, int], topic: str) -> bool:
    if _FOR_THE_FORCES_RE.search(text, *window):
        return False
    return bool(
        _FOR_CIVILIANS_RE.search(text, *window)
        or gazetteer.category_tops().get(topic) == "humanitarian"
    )


def _civil_kind(item: str) -> str:
    """The relief category of a thing armies use too: shelter, food or other relief."""
    for slug, pattern in _CIVIL_KINDS:
        if pattern.search(item):
            return slug
    return "humanitarian-other"


def lead_topic(text: str) -> str:
    """What an article is about, as its lead says: the general kind of aid it names
    ("Militärhilfepaket"), else the one kind of thing it names ("shells"), else the top kind of
    the several it names ("Stinger missiles and two million rounds": military)."""
    lower = text.lower()
    general = {slug for slug, pattern in gazetteer.GENERAL_RE if pattern.search(lower)}
    if len(general) == 1:
        return general.pop()
    specific = {slug for slug, pattern in gazetteer.SPECIFIC_RE if pattern.search(lower)}
    if len(specific) == 1:
        return specific.pop()
    tops = {gazetteer.category_tops().get(slug, "") for slug in specific}
    return tops.pop() if len(tops) == 1 else ""


def category_of_text(text: str) -> str:
    lower = text.lower()
    end = (len(lower), len(lower))
    return _keyword_nearest(lower, gazetteer.SPECIFIC_RE, near=end) or _keyword_nearest(
        lower, gazetteer.GENERAL_RE, near=end
    )
