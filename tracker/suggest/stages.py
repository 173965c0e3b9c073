"""How far along a figure is: its stage (proposed, pledged, allocated, delivered) as the words
nearest it state, and whether it is a running total.

The words of each stage are ``gazetteer.STAGE_PATTERNS``; here is how they are weighed: the
clause before the sentence, the nearest word first, an approval still to come over anything
else, the future of a deliberation as a proposal, and a clause that only recalls an earlier
promise set aside when the rest of the sentence states a stage.
"""

from __future__ import annotations

import re

from tracker.suggest import gazetteer

# A relative clause that recalls an earlier promise of the thing a sentence reports on ("die
# Deutschland im August zugesagt hatte"), and a participle that does ("pledged in June").
_PROMISE_CLAUSE_RE = re.compile(
    r"\b(?:that|which|die|das|den)\s+[^,.;]{0,60}?\b(?:pledged|promised|announced|committed"
    r"|zugesagt\s+(?:hatte|hatten|hat|haben)|versprochen\s+(?:hatte|hatten|hat|haben)"
    r"|angekündigt\s+(?:hatte|hatten|hat|haben))\b",
    re.IGNORECASE,
)
_PROMISE_RECALLED_RE = re.compile(
    _PROMISE_CLAUSE_RE.pattern
    + r"|\b(?:pledged|promised|announced|committed)\s+(?:by|in|last|earlier|at)\b"
    # "all 100,000 drones it had promised for 2025 had now been delivered".
    + r"|\b(?:it|they|we)\s+(?:had|has|have)\s+(?:promised|pledged|committed)\b"
    # "the 100,000 drones the UK promised for 2025 had all been delivered".
    + r"|\b(?:promised|pledged|committed)\s+for\s+(?:20\d\d|this year|last year)\b",
    re.IGNORECASE,
)
# Words of giving that say nothing of where the goods are.
_GIVEN_RE = re.compile(
    r"donated|gifted|given|sent|gespendet|geschenkt|geschickt|überlassen", re.IGNORECASE
)
# Before "since": a comparison ("its 21st since the start of the war"), not a running total.
_COMPARED_SINCE_RE = re.compile(
    r"(?:\d+(?:st|nd|rd|th|\.)|first|largest|biggest|highest|erste\w*|größte\w*|höchste\w*)\s+"
    # "das 32. Paket dieser Art seit Kriegsbeginn", "its 21st package since".
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)


def promise_recall_masked(text: str, *, near: tuple[int, int]) -> str:
    """``text`` with the relative clauses that only recall an earlier promise blanked, when the rest
    still states a stage ("Die beiden Patriot-Systeme, die Deutschland im August zugesagt
    hatte, sind eingetroffen"); else ``text``. A clause that holds the figure at ``near`` is
    its own ("Norway, which on 14 October committed NOK 15 billion")."""

    def blank(match: re.Match[str]) -> str:
        own = match.start() <= near[1] and near[0] <= match.end() + 3
        return match.group() if own else " " * len(match.group())

    recalled = _PROMISE_CLAUSE_RE.sub(blank, text)
    return recalled if recalled != text and stage_stated(recalled) else text


def stage_guess(
    text: str, *, window: tuple[int, int], scope: tuple[int, int], near: tuple[int, int]
) -> tuple[str, str]:
    """The stage of the figure, read without the clauses that recall an earlier promise ("All
    30 generators pledged by Lithuania in December have now arrived", "Die Feldküchen, die
    Belgien im Dezember zugesagt hatte, sind eingetroffen") when the rest states one."""
    recalled = _PROMISE_RECALLED_RE.sub(lambda match: " " * len(match.group()), text)
    if recalled != text:
        stage, rule = _stage_read(recalled, window=window, scope=scope, near=near)
        if rule != "default":
            return stage, rule
    return _stage_read(text, window=window, scope=scope, near=near)


# "geleistet oder fest zugesagt", "delivered or committed": of the two, only the promise holds
# for all of it.
_DELIVERED_OR_PLEDGED_RE = re.compile(
    r"\b(?:geleistet|geliefert|bereitgestellt|delivered|provided|disbursed)\s+(?:oder|or)\s+"
    r"(?:[\w-]+\s+){0,5}?(?:zugesagt|versprochen|committed|pledged|promised)\b",
    re.IGNORECASE,
)


def _stage_read(
    text: str, *, window: tuple[int, int], scope: tuple[int, int], near: tuple[int, int]
) -> tuple[str, str]:
    """The stage the words nearest the figure state ("hatte 32 zugesagt, aber erst 14
    geliefert"), in its clause, then its sentence; an approval still to come wins wherever it
    is said."""
    for place, (start, end) in (("clause", window), ("sentence", scope)):
        if gazetteer.PENDING_APPROVAL_RE.search(text, start, end):
            return "proposed", f"proposed word in {place}"
        if _DELIVERED_OR_PLEDGED_RE.search(text, start, end):
            return "pledged", f"delivered or pledged in {place}"
        nearest = _nearest_stage_word(text, start, end, near=near)
        if nearest is None:
            continue
        stage, word = nearest
        if gazetteer.MODAL_RE.fullmatch(word):
            # "soll der Ausschuss beraten", "will consider": the future of a deliberation.
            if gazetteer.DELIBERATION_RE.search(text, start, end) or gazetteer.DECISION_RE.search(
                text, start, end
            ):
                return "proposed", f"proposed word in {place}"
            if gazetteer.FUTURE_DELIVERY_RE.search(text, start, end):
                return "pledged", f"future delivery in {place}"
            return "pledged", f"future word in {place}"
        if (
            stage == "delivered"
            and _GIVEN_RE.fullmatch(word)
            and gazetteer.ON_ITS_WAY_RE.search(text, start, end)
        ):
            # "18 ambulances donated by California counties are en route": given, on its way.
            return "allocated", f"on its way in {place}"
        return stage, f"{stage} word in {place}"
    return "pledged", "default"


def _nearest_stage_word(
    text: str, start: int, end: int, *, near: tuple[int, int]
) -> tuple[str, str] | None:
    """The stage word of ``text[start:end]`` nearest the figure at ``near``, with its stage; on
    a tie the earlier stage of gazetteer.STAGE_PATTERNS."""
    best: tuple[int, int, str, str] | None = None
    for order, (stage, pattern) in enumerate(gazetteer.STAGE_PATTERNS):
        for match in pattern.finditer(text, start, end):
            distance = max(0, near[0] - match.end(), match.start() - near[1])
            if best is None or (distance, order) < best[:2]:
                best = (distance, order, stage, match.group())
    return (best[2], best[3]) if best else None


_TOTAL_REACHED_RE = re.compile(
    r"\b(?:(?:brings?|bringing|raises?|raising|takes|taking)\s+(?:[\w'’-]+\s+){0,5}total\b.{0,40}"
    # "brings the Scottish Government's humanitarian support for Ukraine to".
    r"\bto|(?:brings?|bringing)\s+(?:[\w'’-]+\s+){1,8}(?:support|aid|assistance|help|funding)"
    r"(?:\s+(?:for|to)\s+ukraine)?\s+to"
    r"|total\s+(?:[\w'’-]+\s+){0,8}(?:reaches|reached|now stands at|stands at|rises to|rose to)"
    r"|damit\s+(?:steigt|stieg|wächst|erhöht sich)\b.{0,60}\bauf)"
    r"\s+(?:(?:more than|over|almost|nearly|about|around|some|mehr als|über|rund|fast|knapp"
    r"|insgesamt)\s+)?$",
    re.IGNORECASE,
)


def aggregate_guess(clause: str) -> tuple[bool, str]:
    """Whether the figure of ``clause`` is a running total ("seit 2022 bislang", "so far") or a
    total ("insgesamt") rather than a new figure; with the rule."""
    for match in gazetteer.RUNNING_TOTAL_RE.finditer(clause):
        # "its 21st since the start of the war", "the largest since 2022": a comparison.
        if not _COMPARED_SINCE_RE.search(clause, max(0, match.start() - 50), match.start()):
            return True, "running total"
    if gazetteer.PACKAGE_RE.search(clause):
        # "Das Paket umfasst insgesamt 1,4 Milliarden": a new package, not a running total.
        return False, "package"
    if gazetteer.AGGREGATE_RE.search(clause):
        return True, "total"
    return False, ""


def total_reached(before: str) -> bool:
    """Whether the words ``before`` a figure say it is the total some aid has now reached
    ("bringing its total support to", "the total ... reaches", "Damit steigt die Hilfe auf");
    the figures before those words are new ones."""
    return bool(_TOTAL_REACHED_RE.search(before))


def stage_stated(text: str) -> str:
    """The stage a sentence states in words, or ""."""
    for stage, pattern in gazetteer.STAGE_PATTERNS:
        if pattern.search(text):
            return stage
    return ""
