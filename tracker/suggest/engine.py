"""Suggested pledges for the sentences of an article: pure functions, nothing is written.

For each content sentence: find the figures (tracker.suggest.numbers), keep those that read
as aid (money with a currency, or a count of something given in kind), and guess the rest of
the pledge from the words around each figure: the donor, the category, the stage, the date,
the period, whether it is a running total and whether it is part of a larger figure.

Each figure is read in its own clause first (the text between its neighbours), then in the
whole sentence, then in the previous sentence: "6,6 Milliarden Dollar – mehr als drei
Milliarden davon ... als jährliche Militärhilfe" gives the first figure London and the second
one its "davon".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, overload

from articles.date_window import date_in_window
from articles.loading import url_date
from articles.segment import MONTHS, date_find
from tracker.suggest import gazetteer
from tracker.suggest.gazetteer import HOSTILE, DonorIndex, Mention, NamedDonor
from tracker.suggest.numbers import Figure, figures_find, item_nouns_of
from tracker.suggest.parts import parts_link

CONTENT = "content"
HEADLINE = "headline"
DATELINE = "dateline"
# How many following sentences a donor, currency or category named once still speaks for.
_CARRY_SENTENCES = 2
# A date said once holds for the figures of a few sentences that go on about it; further on,
# and for a new statement, the article's own date is the better guess.
_DATE_CARRY_SENTENCES = 4
# Category rules that read the figure's own words, which its parts do not override.
_OWN_CATEGORY_RULES = ("item", "specific word in clause", "general word in clause")
# How many sentences back an approval still to come ("muss noch zustimmen") reaches.
_APPROVAL_REACH = 5
# A sentence that goes on about the one before it keeps that sentence's date: "Von dieser
# Summe ...", "Die übrigen ...", "Of this sum ...", "The remaining ...".
_CONTINUES_RE = re.compile(
    r"^\W*(?:darunter|davon|dazu|von (?:dieser|der) summe|die übrigen|der rest|es|das|dies|diese"
    r"|der großteil|den großteil|ein teil|the bulk|most of|part of it"
    r"|of (?:this|that|which|these)|the remaining|the rest|it|this|these|among them|including)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK_RE = re.compile(r";|\s[–—]\s")
# A budget line is aid when its clause names Ukraine or aid: "für die Ertüchtigung der
# Ukraine", "für Militärhilfe".
_FOR_UKRAINE_RE = re.compile(
    r"ukrain|kiew|kyiv|kiev|hilfe|unterstützung|ertüchtigung|\baid\b|assistance", re.IGNORECASE
)
# A budget line of the donor's own (a ministry's, an army's, an agency's): aid only when the
# same clause says it is for Ukraine.
_BUDGET_RE = re.compile(
    r"\b(?:\w*haushalt(?!s?ausschuss)\w*|\w*budget\w*(?! committee)|\w*etat\w*"
    r"|verteidigungsausgaben|defen[cs]e spending|budget request|appropriations? request)\b",
    re.IGNORECASE,
)
# The donor's own forces as the ones who get or spend the money: "Die Schweizer Armee erhält",
# "für die eigene Verteidigung".
_OWN_FORCES_RE = re.compile(
    r"\b(?:armee|army|bundeswehr|streitkräfte|armed forces)\s+(?:erhält|bekommt|receives|gets)\b"
    r"|\beigenen?\s+(?:verteidigung|streitkräfte|armee)|\b(?:its|their)\s+own\s+(?:defen[cs]e"
    r"|armed forces|military)",
    re.IGNORECASE,
)
# Paying for production: "für die Produktion", "to fund the production of".
_FUNDING_BEFORE_RE = re.compile(
    r"\b(?:für|for|zur finanzierung|to fund|to finance|funding)\s+(?:die\s+|der\s+|the\s+)?$",
    re.IGNORECASE,
)
# A rate of making: "six howitzers a month", "pro Jahr".
_RATE_RE = re.compile(
    r"\b(?:a|per|each|every) (?:month|year|week|day)\b|\b(?:pro|je|im) (?:monat|jahr|woche|tag)\b"
    r"|\bmonatlich|\bjährlich",
    re.IGNORECASE,
)
_BUDGET_SUPPORT_RE = re.compile(dict(gazetteer.SPECIFIC_CATEGORIES)["budget-support"], re.I)
# What Ukraine or an appeal asks for, a gap to fill: not given by anyone yet.
_NEED_RE = re.compile(
    r"\b(?:\w*lücke|\w*bedarf|appeal\w*|\w*aufruf|seeks|sought|shortfall|funding gap|financing gap"
    r"|budget gap)\b",
    re.IGNORECASE,
)
# A plan or offer a later figure replaced: "ursprünglich", "an earlier plan", "had aimed".
_SUPERSEDED_RE = re.compile(
    r"\b(?:ursprünglich|zunächst nur|originally|initially|an earlier plan|a previous plan"
    r"|the previous plan|had (?:originally )?(?:aimed|planned|intended)|was dropped|were dropped"
    r"|verworfen|aufgegeben|scrapped)\b|\bsahen? \b[^.;]*\bnoch\b[^.;]*\bvor\b",
    re.IGNORECASE,
)
# What comes between an amount and its conversion: "(", "(rund ", ", umgerechnet etwa ".
_CONVERSION_BRACKET_RE = re.compile(
    r"\s*[(\[]\s*(?:(?:umgerechnet|rund|etwa|ca\.|circa|knapp|about|around|roughly|some|approx\."
    r"|approximately|nearly|almost|or|equal to|equivalent to|=|≈)\s*)*",
    re.IGNORECASE,
)
_CLOSING_BRACKET_RE = re.compile(r"\s*[)\]]")
_CONVERSION_SAID_RE = re.compile(
    r"\s*[,–—-]?\s*(?:umgerechnet|(?:das|dies) (?:sind|entspricht|entsprechen)|equivalent to"
    r"|(?:the )?equivalent of|or about|or around|or roughly|or some|worth about|worth around)"
    r"(?:\s+(?:rund|etwa|knapp|about|around|roughly|some|nearly))?\s*",
    re.IGNORECASE,
)
# A sentence that opens on what the one before gave: "The shipments included", "Die
# Lieferung umfasst", "The package, announced on Dec. 27, was worth".
_LIST_OPENING_RE = re.compile(
    r"^\W*(?:the|die|das|der|its|seine|ihre)\s+(?:[\w-]+\s+){0,3}?(?:shipments?|deliver(?:y|ies)"
    r"|lieferung\w*|packages?|paket\w*|equipment|ausrüstung|list|liste|tranche\w*)\b",
    re.IGNORECASE,
)
_COMPARED_SINCE_RE = re.compile(
    r"(?:\d+(?:st|nd|rd|th|\.)|first|largest|biggest|highest|erste\w*|größte\w*|höchste\w*)\s+$",
    re.IGNORECASE,
)
# A wire dateline opening the lead: "KYIV, Nov. 5, 2025 (Reuters) -", "Kiew, 5. November 2025
# (dpa) -".
_WIRE_DATELINE_RE = re.compile(
    r"^\W*[A-ZÄÖÜ][^\W\d_][^,()\n]{0,40},\s*(?P<date>[^()\n]{3,30}?)\s*\([^()\n]{1,40}\)\s*[-–—:]"
)
# A date line is near the top of a page; a date far down is in a list of related articles.
_DATELINE_REACH = 12

_PRODUCTION_RE = re.compile(
    r"\b(?:hergestellt|herstellen|herstellung|produziert|produzieren|produktion"
    r"|gefertigt|fertigen|bauen|gebaut|manufactur\w*|produc(?:e|es|ed|ing|tion)|build|builds"
    r"|built)\b",
    re.IGNORECASE,
)
# Needs, estimates and prices are figures about aid, not pledges of it.
_NOT_PLEDGED_RE = re.compile(
    r"\b(?:braucht|brauche|brauchen|benötigt|benötige|benötigen|\w*bedarf|needs?(?! to be)|needed"
    r"|requires?|required|asked for|requested|schätzt|estimates?|estimated|kostet|kosten"
    r"|costs?|price[sd]?|preis|typischerweise|in der regel|üblicherweise|typically|usually)\b",
    re.IGNORECASE,
)
_ATTACK_RE = re.compile(
    r"\b(?:angriff|angriffe|angriffen|angegriffen|griff(?:en)?|abgefeuert|feuerte[n]?"
    r"|abgeschossen|schoss(?:en)?|abgefangen|zerstört|erbeutet|getötet|verletzt|tote|toten"
    r"|verletzte|beschuss|beschossen|attack\w*|launched|fired|shot down|intercepted|destroyed"
    r"|captured|killed|injured|wounded|struck|shelling|barrage|verloren|lost)\b",
    re.IGNORECASE,
)
# How far around a figure its words are looked for, in characters.
_REACH = 400
# Nothing pledged comes near a hundred trillion: a longer number is a code, not an amount.
_LARGEST_FIGURE = Decimal(10) ** 14
_LIST_JOIN_RE = re.compile(r"\s*(?:,|,?\s*(?:and|und|sowie|plus|as well as))\s*", re.IGNORECASE)
_REFERENCE_BEFORE_RE = re.compile(
    r"(?:\b(?:artikel|art\.|paragraf|paragraph|absatz|nr\.|nummer|resolution|kapitel|article"
    r"|section|no\.|number|page|seite|punkt|platz|rang)|§)\s*$",
    re.IGNORECASE,
)
_YEAR_CUE_RE = re.compile(
    r"\b(?:jahr|jahres|seit|bis|ab|für|in|im|anfang|ende|mitte|zwischen|von|vor|nach|since"
    r"|until|by|for|from|year|early|late|mid|before|after|of|end)\s+$",
    re.IGNORECASE,
)
# After "drei Milliarden" without a currency, money is what follows a verb or a preposition,
# not a noun: "die drei Milliarden beschließen" but not "drei Millionen Menschen".
_MONEY_FOLLOWERS_EN = frozenset(
    [
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "from",
        "and",
        "or",
        "of",
        "which",
        "that",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "has",
        "have",
        "had",
        "be",
        "been",
        "this",
        "last",
        "next",
        "more",
        "over",
    ]
)

_WEEKDAYS = {
    **dict.fromkeys(("montag", "monday"), 0),
    **dict.fromkeys(("dienstag", "tuesday"), 1),
    **dict.fromkeys(("mittwoch", "wednesday"), 2),
    **dict.fromkeys(("donnerstag", "thursday"), 3),
    **dict.fromkeys(("freitag", "friday"), 4),
    **dict.fromkeys(("samstag", "sonnabend", "saturday"), 5),
    **dict.fromkeys(("sonntag", "sunday"), 6),
}
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE_DAY_RE = re.compile(r"\b(heute|today|vorgestern|gestern|yesterday)\b", re.IGNORECASE)
_RELATIVE_DAYS = {"heute": 0, "today": 0, "gestern": 1, "yesterday": 1, "vorgestern": 2}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(?:(?P<day>\d{{1,2}})\.?\s+(?P<month>{_MONTH})\b|(?P<month2>{_MONTH})\.?\s+"
    rf"(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
# A month without a day, after a preposition: "im Februar", "in February".
_MONTH_ONLY_RE = re.compile(
    rf"\b(?:im|in)\s+(?P<month>{_MONTH})\b\.?"
    rf"(?!\s*\d)(?:\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
# A date without a year is in the article's year, unless that puts it this long after the
# article: "Dec. 27" in a March article is last December.
_YEARLESS_AHEAD = datetime.timedelta(days=21)
_END_OF_YEAR_RE = re.compile(
    r"bis (?:zum )?(?:jahresende|ende (?:des|dieses) jahres)|(?:by|before) (?:the )?end of"
    r" (?:the|this) year|by year[- ]end",
    re.IGNORECASE,
)
_UNTIL_YEAR_RE = re.compile(
    r"\b(?:bis (?P<end>ende )?|until |through |by (?P<end2>the end of )?)(?P<year>20\d\d)\b",
    re.IGNORECASE,
)
_ANNUAL_RE = re.compile(
    r"\b(?:jährlich\w*|pro jahr|jedes jahr|annual\w*|per year|a year|each year|every year"
    r"|per annum)\b",
    re.IGNORECASE,
)
_WORD_START_RE = re.compile(r"[\w-]*$")
_WORD_END_RE = re.compile(r"[\w-]*")
_YEAR_RE = re.compile(r"(?<![\d.,])(20\d\d)(?![\d.,]\d)")
_NOT_PERIOD_BEFORE_RE = re.compile(
    rf"(?:\b(?:seit|since|vor|before|nach|after|von|from|bis|until|through|by|ende|end of)|"
    rf"{_MONTH})\s+$",
    re.IGNORECASE,
)
_THIS_YEAR_RE = re.compile(
    r"\b(?:in diesem jahr|dieses jahr|(?:im|das|für das) laufende[n]? jahr|this year"
    r"|the current year|heuer)\b",
    re.IGNORECASE,
)
# "für die Jahre 2024 bis 2027", "in 2026 and 2027", "from 2025 to 2028": a span of years.
_YEAR_SPAN_RE = re.compile(
    r"\b(?P<first>20\d\d)\s*(?:bis|to|and|und|–|-|through)\s*(?P<last>20\d\d)\b", re.IGNORECASE
)
_NEXT_YEAR_RE = re.compile(
    r"\b(?:nächstes jahr|im kommenden jahr|im nächsten jahr|next year)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Suggestion:
    """One figure of one sentence, read as a pledge an editor may accept."""

    article: str
    sentence_position: int
    amount: Decimal | None
    currency: str
    quantity: int | None
    item: str
    qualifier: str
    donor_iso2: str
    donor_name: str
    donor_slug: str
    category: str
    stage: str
    announced_on: datetime.date | None
    date_precision: str
    period: str
    is_aggregate: bool
    part_of_index: int | None
    span: tuple[int, int]
    evidence: str
    # Which rule decided each attribute ("figure", "donor", "stage", ...): kept with what
    # editors make of the suggestion, so each rule's precision can be measured.
    rules: tuple[tuple[str, str], ...] = ()

    def rule(self, attribute: str) -> str:
        return dict(self.rules).get(attribute, "")

    def as_json(self) -> dict[str, Any]:
        """The command's keys first, then the extras; JSON-safe values."""
        return {
            "article": self.article,
            "sentence_position": self.sentence_position,
            "amount": decimal_text(self.amount),
            "currency": self.currency,
            "quantity": self.quantity,
            "item": self.item,
            "qualifier": self.qualifier,
            "donor_iso2": self.donor_iso2,
            "donor_name": self.donor_name,
            "category": self.category,
            "stage": self.stage,
            "announced_on": self.announced_on.isoformat() if self.announced_on else None,
            "donor_slug": self.donor_slug,
            "date_precision": self.date_precision,
            "period": self.period,
            "is_aggregate": self.is_aggregate,
            "part_of_index": self.part_of_index,
            "span": list(self.span),
            "evidence": self.evidence,
            "rules": dict(self.rules),
        }


@dataclass(frozen=True)
class SentenceInput:
    """What the engine needs of a sentence, for text that is not stored as Sentence rows."""

    position: int
    text: str
    kind: str = CONTENT


@dataclass(frozen=True)
class _Context:
    """What the previous sentences leave for the next one to lean on, and since how long."""

    donor: str = ""
    currency: str = ""
    category: str = ""
    donor_age: int = 0
    currency_age: int = 0
    category_age: int = 0
    # The donor the category was said of: another donor's "Ausbildung" is no guide.
    category_donor: str = ""
    # The day (and precision) a sentence stated, for the next ones that state none.
    date: tuple[datetime.date, str] | None = None
    date_age: int = 0
    # The crowns ("Kronen", "kroner") the article last placed, for the rest of the article.
    crowns: str = ""
    # The stage a sentence stated, for a list that follows it ("... geliefert. Dazu gehören").
    stage: str = ""
    # The top category of the article's title, for a figure nothing else places.
    topic: str = ""


@dataclass
class _Reading:
    """A figure kept as an amount or a count, while its donor and whole are worked out."""

    figure: Figure
    amount: Decimal | None = None
    currency: str = ""
    quantity: int | None = None
    donor: str = ""
    part_of: int | None = None
    rule: str = ""
    donor_rule: str = ""
    part_of_rule: str = ""


@overload
def decimal_text(value: Decimal) -> str: ...
@overload
def decimal_text(value: Decimal | None) -> str | None: ...
def decimal_text(value: Decimal | None) -> str | None:
    """ "6600000000" for 6.6E+9: whole numbers without exponent or trailing zeros."""
    if value is None:
        return None
    if value == value.to_integral_value():
        # to_integral, not quantize: quantize fails beyond the context's 28 digits.
        return format(value.to_integral_value(), "f")
    return format(value.normalize(), "f")


def donor_index_build(donors: DonorIndex | Iterable[NamedDonor] | None) -> DonorIndex:
    """An index of the given donors; None means the donors of fixtures/reference.json."""
    if donors is None:
        return gazetteer.reference_index()
    if isinstance(donors, DonorIndex):
        return donors
    return gazetteer.donor_index_of(donors)


def suggest_sentence(
    sentence_text: str,
    *,
    language: str,
    article_date: datetime.date | None = None,
    previous_text: str = "",
    donors: DonorIndex | Iterable[NamedDonor] | None = None,
    article: str = "",
    sentence_position: int = 0,
) -> list[Suggestion]:
    """Suggestions for one sentence; ``part_of_index`` indexes the returned list.

    ``previous_text`` lends its donor, currency and category to a sentence that names none.
    ``donors`` defaults to the donors of fixtures/reference.json, so no database is needed.
    """
    index = donor_index_build(donors)
    context = _context_from_text(previous_text, language=language, index=index)
    suggestions, _ = _sentence_suggest(
        sentence_text,
        language=language,
        article_date=article_date,
        context=context,
        index=index,
        article=article,
        position=sentence_position,
        offset=0,
    )
    return suggestions


def sentences_suggest(
    sentences: Iterable[Any],
    *,
    article: str,
    language: str,
    published_on: datetime.date | None,
    donors: DonorIndex | Iterable[NamedDonor] | None = None,
    url: str = "",
    item_nouns: tuple[str, ...] = (),
) -> list[Suggestion]:
    """Suggestions for an article's sentences (objects with position, text and kind), in order.

    Without ``published_on``, weekdays and dates are read against the date the page shows
    (``article_date_find``).

    Content sentences get suggestions; headlines only set the scene for the sentences under
    them; menus, date lines and boilerplate are skipped. ``part_of_index`` indexes the
    returned list, and may point into earlier sentences ("Von dieser Summe ...") or, for items
    listed before their package, into a later one (tracker.suggest.parts).
    """
    index = donor_index_build(donors)
    if published_on is None:
        sentences = list(sentences)
        published_on = article_date_find(sentences, url=url)
    suggestions: list[Suggestion] = []
    context = _Context()
    titled = False
    captions: list[int] = []
    for sentence in sentences:
        kind = getattr(sentence, "kind", CONTENT)
        if kind == HEADLINE and titled:
            # A line without a full stop after the title is a caption or a subheading; its
            # figures count when the text does not state them too (see _captions_drop).
            found, _ = _sentence_suggest(
                sentence.text,
                language=language,
                article_date=published_on,
                context=context,
                index=index,
                article=article,
                position=sentence.position,
                offset=len(suggestions),
                item_nouns=item_nouns,
            )
            captions += range(len(suggestions), len(suggestions) + len(found))
            suggestions.extend(
                _ruled(s, "figure", f"{s.rule('figure')} in a caption") for s in found
            )
        if kind == HEADLINE:
            titled = True
            headline = _context_from_text(sentence.text, language=language, index=index)
            # The first headline is the article's title: its kind of aid is the article's.
            topic = context.topic or gazetteer.category_tops().get(headline.category, "")
            context = replace(headline, topic=topic, crowns=context.crowns)
            continue
        if kind != CONTENT:
            continue
        found, context = _sentence_suggest(
            sentence.text,
            language=language,
            article_date=published_on,
            context=context,
            index=index,
            article=article,
            position=sentence.position,
            offset=len(suggestions),
            item_nouns=item_nouns,
        )
        if found:
            found = parts_link(suggestions, found, text=sentence.text)
        if not found and gazetteer.PENDING_APPROVAL_RE.search(sentence.text):
            _approval_pending(suggestions, position=sentence.position, donor=context.donor)
        suggestions.extend(found)
    suggestions = _captions_drop(suggestions, captions)
    _wholes_categorise(suggestions)
    return suggestions


def _captions_drop(suggestions: list[Suggestion], captions: list[int]) -> list[Suggestion]:
    """``suggestions`` without the figures of captions that the text states as well: "after
    signing the £2.26bn loan" under a photo repeats the lead, it is no pledge of its own."""
    caption_set = set(captions)
    stated = {_figure_key(s) for number, s in enumerate(suggestions) if number not in caption_set}
    dropped = {n for n in captions if _figure_key(suggestions[n]) in stated}
    if not dropped:
        return suggestions
    kept = [n for n in range(len(suggestions)) if n not in dropped]
    new_index = {old: new for new, old in enumerate(kept)}
    return [
        replace(s, part_of_index=new_index.get(s.part_of_index))
        if s.part_of_index is not None
        else s
        for s in (suggestions[n] for n in kept)
    ]


def _figure_key(suggestion: Suggestion) -> tuple[Decimal | None, str, int | None]:
    return (suggestion.amount, suggestion.currency, suggestion.quantity)


def _approval_pending(suggestions: list[Suggestion], *, position: int, donor: str) -> None:
    """ "Der Aufstockung muss das Parlament noch zustimmen": the pledges just stated, by the
    donor spoken of, are proposed until it does."""
    for number in range(len(suggestions) - 1, -1, -1):
        suggestion = suggestions[number]
        if position - suggestion.sentence_position > _APPROVAL_REACH:
            break
        if suggestion.stage not in ("pledged", "allocated") or (
            donor and suggestion.donor_slug != donor
        ):
            break
        suggestions[number] = _ruled(
            replace(suggestion, stage="proposed"), "stage", "approval pending, sentence after"
        )


def article_date_find(sentences: Iterable[Any], *, url: str = "") -> datetime.date | None:
    """The date of an article whose publication date is unknown: the first full date of a date
    line near its top ("06 November 2025 13:09", "Stand: 19.03.2024 14:02 Uhr", "KYIV, Nov. 5,
    2025 (Reuters) -"), else the date in its URL ("/2024/03/19/"), else None. A dateline
    without a year ("KYIV, Nov 5 (Reuters)") gives no date. Only for reading the article's own
    dates; the stored ``published_on`` stays as the editor gave it."""
    for number, sentence in enumerate(sentences):
        if number >= _DATELINE_REACH:
            break
        kind = getattr(sentence, "kind", CONTENT)
        text = ""
        if kind == DATELINE:
            text = sentence.text
        elif kind == CONTENT:
            wire = _WIRE_DATELINE_RE.match(sentence.text)
            text = wire.group("date") if wire else ""
        found = date_find(text) if text else None
        if found and date_in_window(found):
            return found
    return url_date(url)


def _wholes_categorise(suggestions: list[Suggestion]) -> None:
    """A whole takes the category its parts share: the parts' own when they all have one, else
    their top category. "a $1.2 billion package ... including 1,000 Stinger missiles and two
    million rounds" is military aid; 33 billion in loans and 17 in grants are financial aid.

    A category the whole's own clause names ("ein Militärhilfepaket") stands, and so does one
    read from the sentences before when a single part is all there is.
    """
    tops = gazetteer.category_tops()
    for number, suggestion in enumerate(suggestions):
        if suggestion.category and suggestion.rule("category") in _OWN_CATEGORY_RULES:
            continue
        listed = [s.category for s in suggestions if s.part_of_index == number]
        parts = set(listed)
        top = {tops.get(category, "") for category in parts}
        if not parts or "" in parts or (suggestion.category and len(listed) < 2):
            continue  # one part does not say what the whole is
        # Parts of one kind name the whole's kind; a single part only its top category.
        shared = parts.pop() if len(parts) == 1 and len(listed) > 1 else ""
        if not shared:
            shared = top.pop() if len(top) == 1 and "" not in top else ""
        if shared:
            suggestions[number] = _ruled(
                replace(suggestion, category=shared), "category", "its parts"
            )


def suggest_article(
    article: Any, *, donors: DonorIndex | Iterable[NamedDonor] | None = None
) -> list[Suggestion]:
    """Suggestions for a stored article; reads its sentences and the Donor table once."""
    if donors is None:
        from tracker.models import Donor

        donors = gazetteer.donor_index_of(
            Donor.objects.only("slug", "name", "name_de", "iso2", "kind")
        )
    rows = article.sentences.order_by("position").values_list("position", "text", "kind")
    sentences = [SentenceInput(position, text, kind) for position, text, kind in rows]
    return sentences_suggest(
        sentences,
        article=article.slug,
        language=article.language,
        published_on=article.published_on,
        donors=donors,
        url=article.url,
        item_nouns=learned_item_nouns(),
    )


def learned_item_nouns() -> tuple[str, ...]:
    """The nouns of the items editors have recorded, so that a count of a thing recorded once
    is known the next time ("Feldküchen"); read once per data version."""
    from tracker.cache import cached
    from tracker.models import Pledge

    def read() -> tuple[str, ...]:
        items = (
            Pledge.objects.filter(quantity__isnull=False)
            .exclude(item="")
            .order_by()
            .values_list("item", flat=True)
            .distinct()
        )
        return item_nouns_of(items.iterator())

    return cached("learned-item-nouns", (), read)


def _sentence_suggest(
    text: str,
    *,
    language: str,
    article_date: datetime.date | None,
    context: _Context,
    index: DonorIndex,
    article: str,
    position: int,
    offset: int,
    item_nouns: tuple[str, ...] = (),
) -> tuple[list[Suggestion], _Context]:
    figures = figures_find(text, language=language, nouns=item_nouns)
    mentions = index.mentions_find(text, language=language)
    readings: list[_Reading] = []
    for figure in figures:
        # A bare "1 billion" takes the currency of the amount just before it, in this sentence
        # or the ones before.
        currency = next((r.currency for r in reversed(readings) if r.currency), context.currency)
        reading = _figure_classify(text, figure, currency=currency, language=language)
        if reading:
            readings.append(reading)
    # "35 Milliarden Kronen (rund 3 Milliarden Euro)": the second is the first, converted.
    readings = [
        reading
        for number, reading in enumerate(readings)
        if not (number and _is_conversion(text, readings[number - 1], reading))
    ]
    mentions = [
        mention
        for mention in mentions
        if not any(r.figure.start <= mention.start < r.figure.end for r in readings)
    ]
    donors_named = [mention for mention in mentions if mention.slug != HOSTILE]
    if not donors_named and _no_donor_no_pledge(text, mentions):
        readings = []
    # Figures the clause says are not aid, whoever is named: a budget of the donor's own, a
    # need, a plan that was replaced, what a factory makes in a month.
    readings = [r for r in readings if not _not_aid(_clause_around(text, r.figure))]
    if _produced(text) and _RATE_RE.search(text):
        readings = [reading for reading in readings if reading.quantity is None]
    if _ATTACK_RE.search(_items_masked(text, figures)):
        readings = [reading for reading in readings if reading.quantity is None]

    for reading in readings:
        reading.donor, reading.donor_rule = _donor_choose(
            reading, mentions=donors_named, context=context, index=index
        )
        if reading.currency == "KR":
            _crowns_place(reading, index=index, context=context)
    # Crowns nobody can place are no amount an editor could record.
    readings = [reading for reading in readings if reading.amount is None or reading.currency]
    for number in range(1, len(readings)):
        readings[number].part_of, readings[number].part_of_rule = _part_of_find(
            text, readings, number=number
        )
    suggestions = [
        _suggestion_build(
            text,
            readings=readings,
            number=number,
            context=context,
            index=index,
            article_date=article_date,
            article=article,
            position=position,
        )
        for number in range(len(readings))
    ]
    _wholes_categorise(suggestions)
    suggestions = [
        replace(s, part_of_index=None if s.part_of_index is None else offset + s.part_of_index)
        for s in suggestions
    ]
    return suggestions, _context_next(
        text,
        context=context,
        suggestions=suggestions,
        mentions=donors_named,
        figures=figures,
        article_date=article_date,
    )


def _crowns_place(reading: _Reading, *, index: DonorIndex, context: _Context) -> None:
    """ "Kronen": the donor's crowns; without a donor, the crowns the article spoke of before
    ("Die übrigen 13 Milliarden Kronen" after "Norwegen ... 35 Milliarden Kronen")."""
    entry = index.entries.get(reading.donor)
    home = gazetteer.HOME_CURRENCY.get(entry.iso2, "") if entry else context.crowns
    reading.currency = home if home in gazetteer.CROWN_CURRENCIES else ""
    if reading.currency and not reading.donor:
        donor = index.by_iso2.get(gazetteer.CURRENCY_HOME[reading.currency])
        reading.donor, reading.donor_rule = (donor.slug, "currency") if donor else ("", "")


def _clause_around(text: str, figure: Figure) -> str:
    """The clause of ``figure``: its sentence cut at semicolons and dashes between clauses."""
    starts = [m.end() for m in _CLAUSE_BREAK_RE.finditer(text, 0, figure.start)]
    end = _CLAUSE_BREAK_RE.search(text, figure.evidence_end)
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _no_donor_no_pledge(text: str, mentions: Sequence[Mention]) -> bool:
    """Without a donor, production at home, a need, an estimate or a price is not a pledge, and
    neither is a figure whose only actor is Russia or its allies."""
    return bool(
        _produced(text)
        or _NOT_PLEDGED_RE.search(text)
        or any(mention.slug == HOSTILE for mention in mentions)
    )


def _produced(text: str) -> bool:
    """Whether ``text`` speaks of making things, not of paying for making them ("150 Millionen
    Euro für die Produktion von Drohnen in der Ukraine" is aid)."""
    return any(
        not _FUNDING_BEFORE_RE.search(text, max(0, match.start() - 25), match.start())
        for match in _PRODUCTION_RE.finditer(text)
    )


def _not_aid(clause: str) -> str:
    """Why the figures of ``clause`` are no aid to record, or "": a budget that is not for
    Ukraine, a need or appeal, a plan the text says was replaced."""
    own = _BUDGET_RE.search(clause) or _OWN_FORCES_RE.search(clause)
    if own and not _FOR_UKRAINE_RE.search(clause) and not _BUDGET_SUPPORT_RE.search(clause):
        return "own budget"
    if _NEED_RE.search(clause):
        return "need"
    if _SUPERSEDED_RE.search(clause):
        return "replaced plan"
    return ""


def _is_conversion(text: str, before: _Reading, reading: _Reading) -> bool:
    """Whether ``reading`` restates the amount before it in another currency: in brackets right
    after it, or after "umgerechnet", "equivalent to" and the like."""
    if before.amount is None or reading.amount is None or before.currency == reading.currency:
        return False
    between = text[before.figure.end : reading.figure.start]
    if _CONVERSION_BRACKET_RE.fullmatch(between):
        return bool(_CLOSING_BRACKET_RE.match(text, reading.figure.end))
    return bool(_CONVERSION_SAID_RE.fullmatch(between))


def _items_masked(text: str, figures: Sequence[Figure]) -> str:
    """``text`` with the names of counted items blanked: "Mi-24 attack helicopters" names a
    weapon, it does not report an attack."""
    for figure in figures:
        if figure.item_start is not None and figure.item_end is not None:
            blank = " " * (figure.item_end - figure.item_start)
            text = text[: figure.item_start] + blank + text[figure.item_end :]
    return text


def _figure_classify(text: str, figure: Figure, *, currency: str, language: str) -> _Reading | None:
    """An amount, a count of items, or None for a number that is not aid."""
    if figure.unit or figure.value > _LARGEST_FIGURE:
        return None
    if _REFERENCE_BEFORE_RE.search(text, max(0, figure.number_start - 20), figure.number_start):
        return None
    digits = text[figure.number_start : figure.number_end]
    is_year = (
        not figure.scaled
        and not figure.currency
        and digits.isdigit()
        and len(digits) == 4
        and 1900 <= int(digits) <= 2100
    )
    if is_year and (
        not figure.item
        or _YEAR_CUE_RE.search(text, max(0, figure.number_start - 20), figure.number_start)
    ):
        return None
    if figure.currency:
        return _Reading(figure, amount=_plain(figure.value), currency=figure.currency, rule="money")
    if figure.item:
        if figure.value != figure.value.to_integral_value() or figure.value < 1:
            return None
        if figure.item_known and not figure.article:
            return _Reading(figure, quantity=int(figure.value), rule="count")
        # A noun we do not know, or one thing named with "ein"/"a", is aid only where the
        # sentence gives: not in "Ein Patriot-System besteht aus ...".
        if not gazetteer.GIVING_RE.search(text) or is_year:
            return None
        rule = "count of one" if figure.article else "count of a new noun"
        return _Reading(figure, quantity=int(figure.value), rule=rule)
    if figure.scaled and currency and _money_follows(figure, language=language):
        # "Lassen Sie uns jetzt die drei Milliarden beschließen": the currency of the figure
        # spoken of before.
        return _Reading(
            figure, amount=_plain(figure.value), currency=currency, rule="money, currency before"
        )
    return None


def _plain(value: Decimal) -> Decimal:
    # 6.6E+9 and 6600000000 are equal, but forms and people read the second.
    return Decimal(decimal_text(value))


def _money_follows(figure: Figure, *, language: str) -> bool:
    word = figure.next_word
    if not word:
        return True
    if language == "de":
        return not word[0].isupper()
    return word.lower() in _MONEY_FOLLOWERS_EN


def _donor_choose(
    reading: _Reading, *, mentions: Sequence[Mention], context: _Context, index: DonorIndex
) -> tuple[str, str]:
    """The nearest donor named before the figure, else after it, else what context says; with
    the rule that chose it."""
    figure = reading.figure
    for strong in (True, False):
        candidates = [mention for mention in mentions if mention.strong is strong]
        before = [mention for mention in candidates if mention.end <= figure.start]
        if before:
            return before[-1].slug, "named before"
        after = [mention for mention in candidates if mention.start >= figure.end]
        if after:
            return after[0].slug, "named after"
    home = gazetteer.CURRENCY_HOME.get(reading.currency)
    if home and home in index.by_iso2:
        return index.by_iso2[home].slug, "currency"
    return context.donor, "sentences before" if context.donor else "none"


def _part_of_find(
    text: str, readings: Sequence[_Reading], *, number: int
) -> tuple[int | None, str]:
    """The earlier figure this one is a subset of, when "davon" or "of which" says so; with
    the rule that found it."""
    reading = readings[number]
    start = readings[number - 1].figure.end
    end = readings[number + 1].figure.start if number + 1 < len(readings) else len(text)
    if not gazetteer.PART_OF_RE.search(text, start, end):
        # "including 1,000 Stinger missiles and two million rounds": the list goes on.
        previous = readings[number - 1]
        if previous.part_of is not None and _LIST_JOIN_RE.fullmatch(
            text, previous.figure.evidence_end, reading.figure.start
        ):
            return previous.part_of, "list goes on"
        return None, ""
    for earlier in range(number - 1, -1, -1):
        whole = readings[earlier]
        if reading.amount is not None and whole.amount is not None:
            if whole.currency == reading.currency and reading.amount < whole.amount:
                return earlier, "davon"
        elif reading.quantity is not None and whole.quantity is not None:
            if reading.quantity < whole.quantity:
                return earlier, "davon"
        elif reading.quantity is not None and whole.amount is not None:
            return earlier, "davon"
    return None, ""


def _suggestion_build(
    text: str,
    *,
    readings: Sequence[_Reading],
    number: int,
    context: _Context,
    index: DonorIndex,
    article_date: datetime.date | None,
    article: str,
    position: int,
) -> Suggestion:
    reading = readings[number]
    figure = reading.figure
    window_start = readings[number - 1].figure.evidence_end if number else 0
    window_end = readings[number + 1].figure.start if number + 1 < len(readings) else len(text)
    window = (window_start, window_end)
    # The whole of a "davon" does not borrow the words that describe its part.
    parts = [r.figure.start for r in readings[number + 1 :] if r.part_of == number]
    scope = (0, parts[0]) if parts else (0, len(text))
    # Words far from the figure say nothing about it, and a run-on "sentence" of a thousand
    # figures must not make every figure read all of it.
    scope = (max(scope[0], figure.start - _REACH), min(scope[1], figure.evidence_end + _REACH))
    window = (max(window[0], scope[0]), min(window[1], scope[1]))
    entry = index.entries.get(reading.donor)
    category, category_rule = _category_guess(
        text, reading, window=window, scope=scope, context=context
    )
    stage, stage_rule = _stage_guess(text, window=window, scope=scope)
    if stage_rule == "default" and context.stage and _goes_on(text):
        stage, stage_rule = context.stage, "sentences before"
    (announced_on, date_precision), date_rule = _date_choose(
        text, window=window, scope=scope, context=context, article_date=article_date
    )
    period, period_rule = _period_guess(text, window=window, scope=scope, article_date=article_date)
    # "drei Patriot-Systeme und mehr als 60 Gepard-Flakpanzer": a list shares its opening.
    in_list = number > 0 and _LIST_JOIN_RE.fullmatch(
        text, readings[number - 1].figure.evidence_end, figure.start
    )
    clause = (scope[0], window[1]) if in_list else window
    is_aggregate, aggregate_rule = _aggregate_guess(text[clause[0] : clause[1]])
    if not is_aggregate and entry and entry.kind == "group":
        is_aggregate, aggregate_rule = True, "group of donors"
    if reading.amount is not None and _is_budget_envelope(_clause_around(text, figure)):
        # A year's budget line for Ukraine: set aside, and a total of what it will pay for.
        is_aggregate, aggregate_rule = True, "budget envelope"
        if stage_rule == "default":
            stage, stage_rule = "allocated", "budget envelope"
    rules = {
        "figure": reading.rule,
        "donor": reading.donor_rule,
        "category": category_rule,
        "stage": stage_rule,
        "date": date_rule,
        "period": period_rule,
        "aggregate": aggregate_rule,
        "part_of": reading.part_of_rule,
    }
    return Suggestion(
        article=article,
        sentence_position=position,
        amount=reading.amount,
        currency=reading.currency,
        quantity=reading.quantity,
        item=figure.item,
        qualifier=figure.qualifier,
        donor_iso2=entry.iso2 if entry else "",
        donor_name=entry.name if entry else "",
        donor_slug=entry.slug if entry else "",
        category=category,
        stage=stage,
        announced_on=announced_on,
        date_precision=date_precision if announced_on else "",
        period=period,
        is_aggregate=is_aggregate,
        part_of_index=reading.part_of,
        span=(figure.start, figure.evidence_end),
        evidence=text[figure.start : figure.evidence_end],
        rules=tuple((name, rule) for name, rule in rules.items() if rule),
    )


def _ruled(suggestion: Suggestion, attribute: str, rule: str) -> Suggestion:
    """``suggestion`` with ``attribute`` now decided by ``rule``."""
    rules = {**dict(suggestion.rules), attribute: rule}
    return replace(suggestion, rules=tuple(rules.items()))


def _date_choose(
    text: str,
    *,
    window: tuple[int, int],
    scope: tuple[int, int],
    context: _Context,
    article_date: datetime.date | None,
) -> tuple[tuple[datetime.date | None, str], str]:
    """The date said next to the figure, else in its sentence, else one said just before (for
    a sentence that goes on about it), else the article's; with the rule that chose it."""
    for rule, (start, end) in (("clause", window), ("sentence", scope)):
        stated = _date_guess(text[start:end], article_date=article_date)
        if stated:
            return stated, rule
    if context.date and _goes_on(text):
        return context.date, "sentences before"
    return (article_date, "day"), "article" if article_date else "none"


def _category_guess(
    text: str,
    reading: _Reading,
    *,
    window: tuple[int, int],
    scope: tuple[int, int],
    context: _Context,
) -> tuple[str, str]:
    """The category of the figure's item, else the nearest specific keyword (in its clause, then
    its sentence), else the nearest general one, else the sentences before; with the rule."""
    figure = reading.figure
    if figure.item:
        slug = _keyword_nearest(figure.item.lower(), gazetteer.SPECIFIC_RE, near=(0, 0))
        if slug:
            return slug, "item"
    lower = text.lower()
    near = (figure.number_start, figure.evidence_end)
    for kind, patterns in (("specific", gazetteer.SPECIFIC_RE), ("general", gazetteer.GENERAL_RE)):
        for place, (start, end) in (("clause", window), ("sentence", scope)):
            slug = _keyword_nearest(lower, patterns, near=near, start=start, end=end)
            if slug:
                return slug, f"{kind} word in {place}"
    if context.category and (
        reading.donor in ("", context.category_donor) or not context.category_donor
    ):
        return context.category, "sentences before"
    if context.topic:
        return context.topic, "title"
    return "", "none"


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
            # Both patterns match the empty string: they always match.
            before = _WORD_START_RE.search(text, max(0, match.start() - 40), match.start() + 1)
            after = _WORD_END_RE.match(text, match.end())
            word_start = before.start() if before else match.start()
            word_end = after.end() if after else match.end()
            distance = max(0, near[0] - word_end, word_start - near[1])
            candidate = (distance, word_end - match.end(), priority, slug)
            if best is None or candidate < best:
                best = candidate
    return best[3] if best else ""


def _stage_guess(text: str, *, window: tuple[int, int], scope: tuple[int, int]) -> tuple[str, str]:
    for place, (start, end) in (("clause", window), ("sentence", scope)):
        for stage, pattern in gazetteer.STAGE_PATTERNS:
            if pattern.search(text[start:end]):
                return stage, f"{stage} word in {place}"
    return "pledged", "default"


def _aggregate_guess(clause: str) -> tuple[bool, str]:
    for match in gazetteer.RUNNING_TOTAL_RE.finditer(clause):
        # "its 21st since the start of the war", "the largest since 2022": a comparison.
        if not _COMPARED_SINCE_RE.search(clause, max(0, match.start() - 30), match.start()):
            return True, "running total"
    if gazetteer.PACKAGE_RE.search(clause):
        # "Das Paket umfasst insgesamt 1,4 Milliarden": a new package, not a running total.
        return False, "package"
    if gazetteer.AGGREGATE_RE.search(clause):
        return True, "total"
    return False, ""


def _stage_stated(text: str) -> str:
    """The stage a sentence states in words, or ""."""
    for stage, pattern in gazetteer.STAGE_PATTERNS:
        if pattern.search(text):
            return stage
    return ""


def _goes_on(text: str) -> bool:
    """Whether a sentence goes on about the one before: "Dazu gehören", "Von dieser Summe",
    "The shipments included", "Das Paket umfasst"."""
    return bool(
        _CONTINUES_RE.search(text)
        or gazetteer.PART_OF_OPENING_RE.search(text)
        or _LIST_OPENING_RE.search(text)
    )


def _is_budget_envelope(clause: str) -> bool:
    return bool(_BUDGET_RE.search(clause)) and not _BUDGET_SUPPORT_RE.search(clause)


def _date_guess(
    clause: str, *, article_date: datetime.date | None
) -> tuple[datetime.date, str] | None:
    """The day (or month) of the announcement the clause states, with its precision.

    A date ("am 9. September", "Feb. 28", "5 March 2025"), "heute"/"gestern", a weekday (the
    last such day on or before the article's), or a month ("im Februar"); None when the clause
    states none. A weekday in a future statement ("will arrive on Friday") is still read as
    the last such day: the clause is about the statement made, and an editor corrects the rare
    forward reference.
    """
    explicit = _DAY_MONTH_RE.search(clause)
    if explicit:
        day = int(explicit.group("day") or explicit.group("day2"))
        month = MONTHS[(explicit.group("month") or explicit.group("month2")).lower()]
        found = _date_make(explicit.group("year"), month, day, article_date=article_date)
        if found and (article_date is None or found <= article_date):
            return found, "day"
    if article_date is None:
        return None
    relative = _RELATIVE_DAY_RE.search(clause)
    if relative:
        days = _RELATIVE_DAYS[relative.group(1).lower()]
        return article_date - datetime.timedelta(days=days), "day"
    weekday = _WEEKDAY_RE.search(clause)
    if weekday:
        # The last such weekday on or before the day the article appeared.
        delta = (article_date.weekday() - _WEEKDAYS[weekday.group(1).lower()]) % 7
        return article_date - datetime.timedelta(days=delta), "day"
    month_only = _MONTH_ONLY_RE.search(clause)
    if month_only:
        # A month later in the article's year is a plan ("soll im Dezember geliefert werden"),
        # or last year's when the clause says it is done ("delivered in December").
        month = MONTHS[month_only.group("month").lower()]
        year = int(month_only.group("year") or article_date.year)
        if (year, month) > (article_date.year, article_date.month) and not month_only.group("year"):
            year -= 1 if _done_in(clause) else 0
        if (year, month) <= (article_date.year, article_date.month):
            return datetime.date(year, month, 1), "month"
    return None


def _done_in(clause: str) -> bool:
    """Whether ``clause`` says something was done, not that it will be."""
    return any(stage == "delivered" and p.search(clause) for stage, p in gazetteer.STAGE_PATTERNS)


def _date_make(
    year: str | None, month: int, day: int, *, article_date: datetime.date | None
) -> datetime.date | None:
    """The date of a day and month; without a year, the article's year, or the one before when
    that would put it weeks after the article ("Dec. 27" in a March article)."""
    try:
        if year is not None:
            return datetime.date(int(year), month, day)
        if article_date is None:
            return None
        found = datetime.date(article_date.year, month, day)
        if found - article_date > _YEARLESS_AHEAD:
            found = datetime.date(article_date.year - 1, month, day)
    except ValueError:
        return None
    return found


def _period_guess(
    text: str,
    *,
    window: tuple[int, int],
    scope: tuple[int, int],
    article_date: datetime.date | None,
) -> tuple[str, str]:
    for start, end in (window, scope):
        found = _period_of(text[start:end], article_date=article_date)
        if found[0]:
            return found
    return "", ""


def _period_of(clause: str, *, article_date: datetime.date | None) -> tuple[str, str]:
    """The period ``clause`` states, with the rule that read it, or ("", "")."""
    if _END_OF_YEAR_RE.search(clause):
        year = article_date.year if article_date else None
        return (f"by the end of {year}" if year else "by the end of the year"), "end of year"
    span = _YEAR_SPAN_RE.search(clause)
    if span and span.group("first") < span.group("last"):
        return f"{span.group('first')}-{span.group('last')}", "years"
    until = _UNTIL_YEAR_RE.search(clause)
    if until:
        if until.group("end") or until.group("end2"):
            return f"by the end of {until.group('year')}", "until a year"
        return f"until {until.group('year')}", "until a year"
    if _ANNUAL_RE.search(clause):
        return "annual", "annual"
    for match in _YEAR_RE.finditer(clause):
        if not _NOT_PERIOD_BEFORE_RE.search(clause, max(0, match.start() - 20), match.start()):
            return match.group(1), "year"
    if article_date and _THIS_YEAR_RE.search(clause):
        return str(article_date.year), "this year"
    if article_date and _NEXT_YEAR_RE.search(clause):
        return str(article_date.year + 1), "next year"
    return "", ""


def _context_from_text(text: str, *, language: str, index: DonorIndex) -> _Context:
    """What a previous sentence (or a headline) tells the next one."""
    if not text:
        return _Context()
    mentions = [m for m in index.mentions_find(text, language=language) if m.slug != HOSTILE]
    strong = [m for m in mentions if m.strong]
    donor = (strong or mentions)[0].slug if mentions else ""
    currencies = [figure.currency for figure in figures_find(text, language=language)]
    currency = next((c for c in reversed(currencies) if c and c != "KR"), "")
    return _Context(
        donor=donor, currency=currency, category=_category_of_text(text), category_donor=donor
    )


def _category_of_text(text: str) -> str:
    lower = text.lower()
    end = (len(lower), len(lower))
    return _keyword_nearest(lower, gazetteer.SPECIFIC_RE, near=end) or _keyword_nearest(
        lower, gazetteer.GENERAL_RE, near=end
    )


def _context_next(
    text: str,
    *,
    context: _Context,
    suggestions: Sequence[Suggestion],
    mentions: Sequence[Mention],
    figures: Sequence[Figure],
    article_date: datetime.date | None,
) -> _Context:
    """The context for the next sentence: this one's own, else the older one for a while."""
    strong = [m for m in mentions if m.strong]
    named = (strong or list(mentions))[0].slug if mentions else ""
    own_donor = suggestions[-1].donor_slug if suggestions else named
    own_currency = next((s.currency for s in reversed(suggestions) if s.currency), "")
    if not own_currency:
        own_currency = next(
            (f.currency for f in reversed(figures) if f.currency and f.currency != "KR"), ""
        )
    own_category = suggestions[-1].category if suggestions else ""
    if not suggestions and named:
        # A sentence without figures guides the next one only when it is about a donor:
        # "Russian forces have lost 10,000 tanks" says nothing about the next pledge.
        own_category = _category_of_text(text)
    donor, donor_age = _carry(own_donor, context.donor, context.donor_age)
    currency, currency_age = _carry(own_currency, context.currency, context.currency_age)
    category, category_age = _carry(own_category, context.category, context.category_age)
    category_donor = own_donor if own_category else context.category_donor
    own_date = _date_guess(text, article_date=article_date)
    if own_date:
        date, date_age = own_date, 0
    elif context.date and context.date_age + 1 < _DATE_CARRY_SENTENCES and _goes_on(text):
        date, date_age = context.date, context.date_age + 1
    else:
        date, date_age = None, 0
    crowns = next(
        (s.currency for s in reversed(suggestions) if s.currency in gazetteer.CROWN_CURRENCIES),
        context.crowns,
    )
    if suggestions:
        last = suggestions[-1]
        own_stage = last.stage if last.rule("stage") != "default" else ""
    else:
        own_stage = _stage_stated(text)
    stage = own_stage or (context.stage if _goes_on(text) else "")
    return _Context(
        donor,
        currency,
        category,
        donor_age,
        currency_age,
        category_age,
        category_donor,
        date,
        date_age,
        crowns,
        stage,
        context.topic,
    )


def _carry(own: str, old: str, age: int) -> tuple[str, int]:
    if own:
        return own, 0
    if old and age + 1 < _CARRY_SENTENCES:
        return old, age + 1
    return "", 0
