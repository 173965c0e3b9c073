"""A whole and its shares, once an article's parts are linked (``parts``): the whole takes
the kind of aid its parts share, and a share what its sentence leaves unsaid from its whole:
how far along it is, the day it was said, whether it is a running total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.suggest import gazetteer

if TYPE_CHECKING:
    from tracker.suggest.engine import Suggestion

# Stages in the order aid goes through them.
_STAGE_ORDER = ("proposed", "pledged", "allocated", "delivered")
# Categories read from beyond a figure's own words.
_BORROWED_CATEGORY_RULES = ("sentences before", "article topic", "none")
# Categories a figure's own words gave, which its parts do not overrule.
_OWN_CATEGORY_RULES = (
    "item",
    "purpose",
    "specific word in clause",
    "general word in clause",
    "several kinds in clause",
)


def settle(suggestions: list[Suggestion]) -> None:
    """``suggestions``, an article's in order, with what wholes and shares take from each
    other, in place."""
    wholes_categorise(suggestions)
    _shares_categorised(suggestions)
    _shares_staged(suggestions)
    _shares_of_running_totals(suggestions)
    _shares_dated(suggestions)


def wholes_categorise(suggestions: list[Suggestion]) -> None:
    """A whole takes the category its parts share: the parts' own when they all have one, else
    their top category. "a $1.2 billion package ... including 1,000 Stinger missiles and two
    million rounds" is military aid; 33 billion in loans and 17 in grants are financial aid.

    A category the whole's own clause names ("ein Militärhilfepaket") stands, and so does one
    read from the sentences before when a single part is all there is, unless the whole is
    what that part costs.
    """
    tops = gazetteer.category_tops()
    for number, suggestion in enumerate(suggestions):
        if suggestion.category and suggestion.rule("category") in _OWN_CATEGORY_RULES:
            continue
        own_parts = [s for s in suggestions if s.part_of_index == number]
        listed = [s.category for s in own_parts]
        parts = set(listed)
        top = {tops.get(category, "") for category in parts}
        # What an amount buys ("für 2,2 Milliarden Euro zwei Patriot-Systeme") is all of it.
        bought = all(s.rule("part_of") == "bought with it" for s in own_parts)
        if not parts or "" in parts or (suggestion.category and len(listed) < 2 and not bought):
            continue  # one part does not say what the whole is
        # Parts of one kind name the whole's kind; a single part only its top category.
        shared = parts.pop() if len(parts) == 1 and (len(listed) > 1 or bought) else ""
        if not shared:
            shared = top.pop() if len(top) == 1 and "" not in top else ""
        if shared:
            suggestions[number] = suggestion.ruled("category", "its parts", category=shared)


def _shares_categorised(suggestions: list[Suggestion]) -> None:
    """A share whose own words name no kind ("The remaining $305 million will be allocated
    before the end of the fiscal year") is of its whole's kind, not of the sentence before."""
    for number, suggestion in enumerate(suggestions):
        index = suggestion.part_of_index
        if index is None or suggestion.rule("category") not in _BORROWED_CATEGORY_RULES:
            continue
        whole = suggestions[index]
        if whole.category and whole.category != suggestion.category:
            suggestions[number] = suggestion.ruled(
                "category", "its whole's kind", category=whole.category
            )


def _shares_staged(suggestions: list[Suggestion]) -> None:
    """A share said only in the future ("Von dem Geld sollen 200 Millionen Euro in Drohnen
    fließen", "Mit dem Geld sollen 300 Generatoren beschafft werden") is as far along as the
    amount set aside that it is drawn from; a delivery still to come ("die im März eintreffen
    sollen") is a promise."""
    for number, suggestion in enumerate(suggestions):
        if suggestion.part_of_index is None or suggestion.stage != "pledged":
            continue
        whole = suggestions[suggestion.part_of_index]
        rule = suggestion.rule("stage")
        if rule == "default" and whole.stage != "pledged":
            # "Weitere 310 Millionen Euro sind vorgesehen, darunter 1.500 Drohnen".
            suggestions[number] = suggestion.ruled("stage", "its whole's stage", stage=whole.stage)
        elif whole.stage == "allocated" and rule.startswith("future word"):
            suggestions[number] = suggestion.ruled("stage", "its whole's stage", stage="allocated")


def _shares_of_running_totals(suggestions: list[Suggestion]) -> None:
    """A share of a running total is one too: "Seit 2022 hat Österreich 270 Millionen Euro
    geleistet, davon etwa 50 Millionen für die Minenräumung"."""
    for number, suggestion in enumerate(suggestions):
        index = suggestion.part_of_index
        if index is None or suggestion.is_aggregate:
            continue
        if suggestions[index].rule("aggregate") == "running total":
            suggestions[number] = suggestion.ruled(
                "aggregate", "share of a running total", is_aggregate=True
            )


def _shares_dated(suggestions: list[Suggestion]) -> None:
    """A share that states no date of its own, no further along than its whole, was said with
    its whole: "Der Ausschuss hat am Mittwoch 1,36 Milliarden Euro bewilligt. Auf Munition
    entfallen 260 Millionen Euro", "Von dem Geld fließen 280.000 Euro in ..."."""
    for number, suggestion in enumerate(suggestions):
        index = suggestion.part_of_index
        if index is None or suggestion.rule("date") != "article":
            continue
        whole = suggestions[index]
        # A share that has gone further ("60.000 davon sind inzwischen geliefert") was said
        # later than its whole; a whole named after its shares may recall an earlier promise
        # ("Die Schützenpanzer sind Teil eines Pakets, das ... Mitte Januar zugesagt hatte").
        if (
            _STAGE_ORDER.index(suggestion.stage) > _STAGE_ORDER.index(whole.stage)
            or whole.sentence_position > suggestion.sentence_position
        ):
            continue
        if whole.rule("date") not in ("article", "none") and whole.announced_on:
            suggestions[number] = suggestion.ruled(
                "date",
                "its whole's date",
                announced_on=whole.announced_on,
                date_precision=whole.date_precision,
            )
