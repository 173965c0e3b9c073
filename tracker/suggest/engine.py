"""Suggested pledges for the sentences of an article: pure functions, nothing is written.

For each content sentence: find the figures (tracker.suggest.numbers) and what the counts
among them count (tracker.suggest.counted), keep those that read as aid (money with a
currency, or a count of something given in kind; tracker.suggest.not_aid drops the rest), and
guess the rest of the pledge from the words around each figure: the donor, the category
(tracker.suggest.categories), the stage and whether it is a running total
(tracker.suggest.stages), the date (tracker.suggest.dates), the period, and whether it is part
of a larger figure (across sentences: tracker.suggest.parts). Once the article is read, a whole
and its shares settle what each leaves unsaid (tracker.suggest.shares).

Each figure is read in its own clause first (the text between its neighbours), then in the
whole sentence, then in the previous sentence: "6,6 Milliarden Dollar – mehr als drei
Milliarden davon ... als jährliche Militärhilfe" gives the first figure London and the second
one its "davon".
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any, overload

from articles.segment import MONTH_PATTERN
from tracker.suggest import (
    categories,
    counted,
    dates,
    gazetteer,
    not_aid,
    not_giving,
    shares,
    stages,
    tables,
)
from tracker.suggest.gazetteer import HOSTILE, DonorIndex, Mention, NamedDonor
from tracker.suggest.numbers import Figure, figures_find, item_nouns_of
from tracker.suggest.parts import package_before, parts_link

CONTENT = "content"
HEADLINE = "headline"
DATELINE = "dateline"
# How many following sentences a donor, currency or category named once still speaks for.
_CARRY_SENTENCES = 2
# A date said once holds for the figures of a few sentences that go on about it; further on,
# and for a new statement, the article's own date is the better guess.
_DATE_CARRY_SENTENCES = 4
# Category rules that read the figure's own words, which its parts do not override.
# Between a share and the figure it is taken from, said after it.
_WHOLE_NEXT_RE = re.compile(
    r"\b(?:(?:funded|paid|financed|drawn|taken)\s+(?:out\s+)?from|part\s+of|out\s+of"
    r"|finanziert\s+aus|bezahlt\s+aus|teil\s+(?:des|der|eines|einer)"
    r"|(?:tranche|rate)\s+(?:of|eines|einer|des|der))\b[^.;]{0,60}$"
    # "paid out €4.1 billion under the €50 billion scheme", "the first €4.2 billion of the
    # €90 billion loan", "im Rahmen der 50 Milliarden Euro schweren Fazilität".
    r"|\b(?:under|of|im rahmen|aus)\s+(?:the|its|their|des|der|dem|einer?)\b[^.;,]{0,30}$",
    re.IGNORECASE,
)
# "the second tranche of its £2.26 billion loan, worth £752 million", "of our £2.26bn loan to
# Ukraine, £752m,": the amount after the whole a tranche is taken from.
_TRANCHE_OF_RE = re.compile(
    r"\b(?:tranche|instalment|installment|rate|payment)\s+(?:of|from|aus|von|des|der|eines"
    r"|einer)\s+(?:the|its|their|our|dem|der|unseres|unserer)?\s*$",
    re.IGNORECASE,
)
_WORTH_BETWEEN_RE = re.compile(
    r"(?:\s+[\w-]+){0,3}(?:,?\s+(?:worth|of|über|in höhe von|im wert von)\s+|,\s+)",
    re.IGNORECASE,
)
# How many sentences back an approval still to come ("muss noch zustimmen") reaches.
_APPROVAL_REACH = 5
_CURRENCY_AFTER_RE = re.compile(r"\$|-?\s?dollar", re.IGNORECASE)
_CLAUSE_TURN_RE = re.compile(
    not_aid.CLAUSE_BREAK_RE.pattern + r"|,\s+(?:sodass|so dass|so that|damit|womit)\b",
    re.IGNORECASE,
)
# A government speaking of itself: "haben wir", "unsere", "we have", "our".
_FIRST_PERSON_RE = re.compile(r"\b(?:wir|unser\w*|we|our)\b", re.IGNORECASE)
# Giving still weighed: "Ein weiteres System ist im Gespräch", "is considering a second".
# (Not gazetteer.DELIBERATION_RE: its "könnte" and "could" do not weigh a gift.)
_CONSIDERED_RE = re.compile(
    r"\b(?:im gespräch|erwäg\w*|prüf(?:t|en)|berät|beraten|in aussicht|zur debatte"
    r"|consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|under review)\b",
    re.IGNORECASE,
)
_JOINT_BEFORE_RE = re.compile(
    r"\b(?:zusammen|gemeinsam|jointly|joint|together|combined|collectively)\b[^.;]*$",
    re.IGNORECASE,
)
_DONORS_TOGETHER_RE = re.compile(
    r"\b(?:die (?:beiden|drei|vier|fünf) (?:länder|staaten|regierungen)|the (?:two|three|four"
    r"|five) (?:countries|governments|nations)|allies|verbündeten|die europäer|the europeans"
    r"|(?<!united )nations|member states|mitgliedstaaten|collectively)\b",
    re.IGNORECASE,
)
# After the figure: "commitments of more than €2.5 billion from 18 partner nations", "more
# than US$1.1 billion from 35 donors", "Zusagen über 120 Millionen Euro von 14 Staaten".
_MANY_DONORS_AFTER_RE = re.compile(
    r"[^.;]{0,40}?\b(?:from|von|aus)\s+(?:(?:some|about|around|rund|etwa)\s+)?(?:\d+|several"
    r"|many|mehreren|vielen|zahlreichen)\s+(?:[\w-]+\s+)?(?:countries|states|allies|partners"
    r"|donors|nations|ländern|staaten|partnern|gebern|geberländern|verbündeten)\b"
    # "commitments ... from governments, development banks", "aus allen Quellen".
    r"|[^.;]{0,40}?\b(?:from governments|von regierungen|aus allen quellen|from all sources)\b",
    re.IGNORECASE,
)
_MANY_DONORS_BEFORE_RE = re.compile(
    r"\b(?:(?:european|nordic|baltic|western|other|several|many|\d+)\s+(?:countries|states"
    r"|allies|partners|donors|nations)|(?:europäische|nordische|baltische|westliche|andere"
    r"|mehrere|viele|\d+)\s+(?:länder|staaten|partner\w*|geber\w*)|geberländer|partnerländer"
    r"|teilnehmenden\s+staaten"
    r"|(?:pledges|zusagen)\s+(?:from|of|der|von)\s+(?:partners|allies|partnern|verbündeten)"
    r"|all\s+(?:donors|allies|partners)|aller\s+(?:geber|verbündeten|partner)"
    # "the EU and its member states say they have provided", "the G7's $50 billion", "das
    # G7-Programm 45 Milliarden".
    r"|(?:and|und)\s+(?:its|seine|ihre)\s+(?:member states|mitgliedstaaten|mitgliedsstaaten))\b"
    r"[^.;]*$"
    r"|\bg7(?:'s|’s|-\w+)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# A dollar that does not say whose: "$200 million", "200 Millionen Dollar".
_BARE_DOLLAR_RE = re.compile(r"\$|(?<![\w-])dollars?\b", re.IGNORECASE)
_ASIDE_RE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*")
_SAME_DAY_RE = re.compile(
    r"\b(?:am (?:selben|gleichen) tag|am selben tage|on the same day|the same day|that same day)\b",
    re.IGNORECASE,
)
_SAME_MONTH_RE = re.compile(
    r"\b(?:im (?:selben|gleichen) monat|in the same month|that same month|the same month)\b",
    re.IGNORECASE,
)
# Words of giving, without those that only list ("umfasst", "includes"): a budget that
# includes an amount does not give it.
_GIVING_NOT_LISTING_RE = re.compile(
    r"(?!(?:umfasst\w*|enthält|includ\w*|compris\w*|darunter|gehören|among them)\b)"
    + gazetteer.GIVING_RE.pattern,
    re.IGNORECASE,
)
_DAVON_AFTER_RE = re.compile(
    r"\s+(?:davon|of it|of that|of this|of them|of these|of those|of which)\b", re.IGNORECASE
)
# A count of things made, mended or sent in a month or a year: a rate, not a number given.
_RATE_AFTER_RE = re.compile(r"\s+(?:" + not_aid.RATE_RE.pattern + ")", re.IGNORECASE)
# Between an amount and the things it buys, and between things and the amount paid for them.
_BOUGHT_AFTER_RE = re.compile(
    r"\b(?:für|for|to buy|will buy|buys?|pay for|pays for|to fund|funds?|finance[s]?|to order"
    r"|to procure|to purchase|zum kauf von|zur beschaffung von|beschafft|kauft|bestellt"
    # "35 Millionen Euro, mit denen unter anderem 12 Autotransformatoren beschafft werden",
    # "400 million euros would go towards about 100 Patriot interceptors".
    r"|mit denen|womit|with which|go(?:es)? towards|included|includes|umfassen|umfasst)"
    r"\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_PAID_AFTER_RE = re.compile(
    r"\b(?:dafür|für|for|as part of|worth|im wert von|valued at|funded|financed|finanziert)\b",
    re.IGNORECASE,
)
_BOUGHT_REACH = 80
_FOR_BEFORE_RE = re.compile(r"\b(?:für|for)\s+$", re.IGNORECASE)
# Characters between an amount and what it pays for, when they stand side by side.
_NEXT_TO = 20
_AND_RE = re.compile(r"\s*(?:,|und|and|sowie|as well as|plus)\s*", re.IGNORECASE)
# How many of the latest pledges donor names are learned from.
_LEARNED_FROM = 2000
_RESPECTIVELY_RE = re.compile(r"\b(?:respectively|beziehungsweise|bzw\.)", re.IGNORECASE)
_EACH_RE = re.compile(r"\b(?:jeweils|je|each|apiece)\b", re.IGNORECASE)
_EACH_BEFORE_RE = re.compile(r"\b(?:je|jeweils)\s+$", re.IGNORECASE)
# The next noun of a list: ", Matratzen", " und Wolldecken".
_NEXT_NOUN_RE = re.compile(r"(?:\s*,\s*|\s+(?:und|sowie)\s+)(?P<noun>[A-ZÄÖÜ][\w-]+)")
_EACH_OPENING_RE = re.compile(r"\W*(?:jeweils|je)\s+", re.IGNORECASE)
# A sentence that goes on about the one before it keeps that sentence's date: "Von dieser
# Summe ...", "Die übrigen ...", "Of this sum ...", "The remaining ...".
_CONTINUES_RE = re.compile(
    # A speaker's label may come first: "Ms Okafor: It is $120 million in total".
    r"^\W*(?:(?-i:[A-Z])[\w.'’ -]{0,40}:\s+)?(?:darunter|davon|dazu|von (?:dieser|der) summe"
    r"|die übrigen|die verbleibenden|der rest"
    r"|es|das|dies|diese"
    r"|der großteil|den großteil|ein teil|the bulk|most of|part of it"
    r"|of (?:this|that|which|these)|the remaining|the rest|it|this|these|among them|including"
    # Words that add to what was just said, or said at the same time: "Hinzu kommen",
    # "Zugleich kündigte er ... an", "He added", "They will be handed over". ("Weitere 15
    # Generatoren sind auf dem Weg" is news of its own day.)
    r"|hinzu kommen|hinzu kommt|zugleich|damit|he added|she added|they)\b",
    re.IGNORECASE,
)
# A sentence that opens on what the one before gave: "The shipments included", "Die
# Lieferung umfasst", "The package, announced on Dec. 27, was worth".
_LIST_OPENING_RE = re.compile(
    # After whom it is according to: "According to the ministry, the cargo contains:".
    r"^\W*(?:(?:according to|laut|nach angaben)\s[^,.;]{1,60},\s*)?"
    r"(?:(?:auf|in|on|aboard)\s+)?(?:the|die|das|der|den|its|seine|ihre|that|this|these|those"
    r"|diese[rsnm]?)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:shipments?|deliver(?:y|ies)|lastwagen|lkw|trucks|lorries"
    r"|\w*(?:lieferung|sendung|ladung)\w*|konvoi\w*|convoy|cargo|consignments?|packages?"
    r"|paket\w*|equipment|ausrüstung|list|liste|tranche\w*"
    # What was ordered, proposed or sent, and its worth: "Der Auftrag hat ein Volumen von",
    # "Die Vorlagen haben", "Den Wert der Ladung beziffert", "The supplies, worth".
    r"|auftr[aä]g\w*|vorlagen?|\w*güter|supplies|goods|orders?|contracts?|vertr[aä]g\w*"
    r"|wert|value|volumen)\b",
    re.IGNORECASE,
)
# An opening line saying what a package holds: "Dazu gehören:", "The cargo contains:".
_HOLDS_RE = re.compile(
    r"\b(?:umfass\w*|enthält|enthalten|gehör\w*|beinhalte\w*|besteh\w*|an bord|include\w*"
    # A breakdown announced: "Davon entfallen:", "It breaks down as follows:".
    r"|entfall\w*|aufgeteilt|breaks? down"
    r"|contain\w*|compris\w*|consists?|on board|as follows|folgende\w*|items|posten)\b",
    re.IGNORECASE,
)

# How far around a figure its words are looked for, in characters.
_REACH = 400
# Nothing pledged comes near a hundred trillion: a longer number is a code, not an amount.
_LARGEST_FIGURE = Decimal(10) ** 14
# The end of what one share is for before the next share of a list: "für Winterkits des
# UNHCR und ".
_LIST_END_RE = re.compile(r"(?:,|\s(?:und|and|sowie|as well as))\s*$", re.IGNORECASE)
_SHARE_LIST_REACH = 80
_LIST_JOIN_RE = re.compile(r"\s*(?:,|,?\s*(?:and|und|sowie|plus|as well as))\s*", re.IGNORECASE)
_REFERENCE_BEFORE_RE = re.compile(
    r"(?:\b(?:artikel|art\.|paragraf|paragraph|absatz|nr\.|nummer|resolution|kapitel|article"
    r"|section|no\.|number|page|seite|punkt|platz|rang)|§)\s*$",
    re.IGNORECASE,
)
_YEAR_CUE_RE = re.compile(
    r"\b(?:jahr|jahres|seit|bis|ab|für|in|im|anfang|ende|mitte|zwischen|von|vor|nach|since"
    r"|until|by|for|from|year|early|late|mid|before|after|of|end|quartal|quarter|halbjahr"
    r"|frühjahr|frühling|sommer|herbst|winter|spring|summer|autumn|fall"
    # "seit Februar 2022 ... folgende Kampfpanzer": a month's year.
    rf"|{MONTH_PATTERN})\.?\s+$",
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
        "goes",
        "go",
        "went",
    ]
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
    # Positions of the title and captions that state the same figure again: more evidence.
    restated_in: tuple[int, ...] = ()

    def rule(self, attribute: str) -> str:
        return dict(self.rules).get(attribute, "")

    def ruled(self, attribute: str, rule: str, **changes: Any) -> Suggestion:
        """This suggestion with ``changes`` and ``attribute`` now decided by ``rule``."""
        rules = {**dict(self.rules), attribute: rule}
        return replace(self, **changes, rules=tuple(rules.items()))

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
            "restated_in": list(self.restated_in),
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
    # What the article is about, for a figure nothing else places: the category its lead
    # names, else the top category of its title.
    topic: str = ""
    # The donor the article is about, when it speaks of one above all (``_article_donor``),
    # for a figure that neither its sentence nor the ones before place.
    article_donor: str = ""
    # What the last count counted, for a count that leaves it out ("Zwei davon", "Twelve
    # more will follow").
    item: str = ""
    # The last day the article stated, for "am selben Tag", "in the same month".
    said_date: tuple[datetime.date, str] | None = None
    # The sentence before opened a list with a colon ("The shipment comprised:"), or was a line
    # of one: the lines that follow without a full stop are its entries.
    listing: bool = False
    # The donor an article names more often than any other, for a figure nothing else places
    # when the article has no donor it is about ("Für dieses Jahr haben wir ... gebunden",
    # "Der Regierungsrat hat ... beschlossen").
    most_named_donor: str = ""


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
    (``dates.article_date_find``).

    Content sentences get suggestions; headlines only set the scene for the sentences under
    them; menus, date lines and boilerplate are skipped. ``part_of_index`` indexes the
    returned list, and may point into earlier sentences ("Von dieser Summe ...") or, for items
    listed before their package, into a later one (tracker.suggest.parts).
    """
    index = donor_index_build(donors)
    sentences = list(sentences)
    if published_on is None:
        published_on = dates.article_date_find(sentences, url=url)
    suggestions: list[Suggestion] = []
    # Each sentence's donors, read once: for the article's donor and for its own figures.
    mentioned = [
        index.mentions_find(sentence.text, language=language)
        if getattr(sentence, "kind", CONTENT) in (CONTENT, HEADLINE)
        else []
        for sentence in sentences
    ]
    context = _Context(
        # Else, the country whose government publishes the page ("www.aph.gov.au").
        article_donor=_article_donor(sentences, mentioned) or gazetteer.donor_of_url(url),
        most_named_donor=_article_donor(sentences, mentioned, share=0),
    )
    titled = led = False
    captions: list[int] = []
    # The title's figures: evidence for the text's figures they repeat.
    title: list[Suggestion] = []
    list_whole = _ListWhole()
    read = partial(
        _sentence_suggest,
        language=language,
        article_date=published_on,
        index=index,
        article=article,
        item_nouns=item_nouns,
        home_dollar=gazetteer.home_dollar_of_url(url),
    )
    table = tables.TableReader()
    for sentence, mentions in zip(sentences, mentioned, strict=True):
        kind = _kind_read(
            sentence,
            titled=titled,
            listing=context.listing,
            in_table=table.line(sentence.text, currency_before=context.currency),
        )
        if kind is None:
            continue
        if kind == HEADLINE:
            found, _ = read(
                sentence.text,
                context=context,
                position=sentence.position,
                offset=len(suggestions),
                mentions=mentions,
            )
            if titled:
                # A line without a full stop after the title is a caption or a subheading;
                # its figures count when the text does not state them too (_captions_drop).
                captions += range(len(suggestions), len(suggestions) + len(found))
                suggestions.extend(
                    s.ruled("figure", f"{s.rule('figure')} in a caption") for s in found
                )
            else:
                title += found
            titled = True
            context = _headline_context(
                sentence.text, context=context, language=language, index=index
            )
            continue
        if kind != CONTENT or _ASIDE_RE.fullmatch(sentence.text):
            # "(Beifall bei der SPD – Zuruf von der AfD: 18 Millionen!)": a record's note of
            # applause and heckling is no statement of the speaker's.
            continue
        if not led:
            led = True
            context = replace(context, topic=categories.lead_topic(sentence.text) or context.topic)
        listing = context.listing
        found, context = read(
            sentence.text,
            context=context,
            position=sentence.position,
            offset=len(suggestions),
            mentions=mentions,
            table=table.table,
        )
        table.rows_read(s.donor_slug for s in found)
        if found:
            found = parts_link(
                suggestions,
                found,
                text=sentence.text,
                list_whole=list_whole.index if listing else None,
                list_opened_with_it=list_whole.stated,
            )
        list_whole = _list_whole(
            sentence.text, found, before=suggestions, position=sentence.position, old=list_whole
        )
        if not found and gazetteer.PENDING_APPROVAL_RE.search(sentence.text):
            _approval_pending(suggestions, position=sentence.position, donor=context.donor)
        suggestions.extend(found)
    suggestions = _captions_drop(suggestions, captions)
    _restatements_attach(suggestions, title)
    shares.settle(suggestions)
    return suggestions


def _kind_read(sentence: Any, *, titled: bool, listing: bool, in_table: str) -> str | None:
    """How a sentence is read: its kind, as text (CONTENT) where a line without a full stop
    goes on from the lines before, or None for a line with nothing of its own to read."""
    if in_table in ("header", "sum of rows"):
        return None
    kind = getattr(sentence, "kind", CONTENT)
    if in_table == "row":
        return CONTENT  # a table's row, not a caption
    if kind == HEADLINE and titled and (listing or counted.is_list_entry(sentence.text)):
        # A list's entry has no full stop, yet it is text that goes on from the lines
        # before ("Geliefert:"), not a caption or a subheading.
        return CONTENT
    return kind


def _headline_context(
    text: str, *, context: _Context, language: str, index: DonorIndex
) -> _Context:
    """The context a headline sets for the sentences under it. The first headline is the
    article's title: its kind of aid is the article's."""
    headline = _context_from_text(text, language=language, index=index)
    topic = context.topic or gazetteer.category_tops().get(headline.category, "")
    return replace(
        headline,
        topic=topic,
        crowns=context.crowns,
        article_donor=context.article_donor,
        most_named_donor=context.most_named_donor,
    )


@dataclass(frozen=True)
class _ListWhole:
    """The figure a list's entries are parts of, and whether its opening line stated it."""

    index: int | None = None
    stated: bool = True


def _list_whole(
    text: str, found: list[Suggestion], *, before: list[Suggestion], position: int, old: _ListWhole
) -> _ListWhole:
    """Where the figure of a list's opening line is ("Die Sendung im Wert von 4,6 Millionen
    Euro umfasst:"): the entries that follow are its parts. An opening line without a figure
    that says what a package holds ("Das Paket umfasst:", "The package includes:") lists the
    package said before it. ``old`` after any other line."""
    if not counted.opens_a_list(text):
        return old
    if found:
        return _ListWhole(len(before) + len(found) - 1)
    if _HOLDS_RE.search(text):
        return _ListWhole(package_before(before, position=position, old=old.index), stated=False)
    return _ListWhole()


def _article_donor(
    sentences: Sequence[Any], mentioned: Sequence[Sequence[Mention]], *, share: float = 2 / 3
) -> str:
    """The donor an article is about: the one it names in most of the sentences that name a
    donor, two in three at least ("Niedersachsen ... das Land ... Behrens"), or the ``share``
    given; with no share, the one named more often than any other. A round-up of many donors
    has none. ``mentioned`` holds each sentence's donors."""
    named: Counter[str] = Counter()
    for sentence, mentions in zip(sentences, mentioned, strict=True):
        text = sentence.text
        # "US$4 million", "US-Dollar": a currency, not the United States.
        named.update(
            {
                m.slug
                for m in mentions
                if m.slug != HOSTILE and not _CURRENCY_AFTER_RE.match(text, m.end)
            }
        )
    if not named:
        return ""
    (slug, count), *others = named.most_common(2)
    if others and others[0][1] == count:
        return ""
    return slug if count >= sum(named.values()) * share else ""


def _captions_drop(suggestions: list[Suggestion], captions: list[int]) -> list[Suggestion]:
    """``suggestions`` without the figures of captions that the text states as well: "after
    signing the £2.26bn loan" under a photo repeats the lead, it is no pledge of its own, but
    more evidence of the text's."""
    caption_set = set(captions)
    stated = {_figure_key(s) for number, s in enumerate(suggestions) if number not in caption_set}
    dropped = {n for n in captions if _figure_key(suggestions[n]) in stated}
    if not dropped:
        return suggestions
    text_only = [s if n not in caption_set else None for n, s in enumerate(suggestions)]
    for n in sorted(dropped):
        _restatement_attach(text_only, suggestions, suggestions[n])
    kept = [n for n in range(len(suggestions)) if n not in dropped]
    new_index = {old: new for new, old in enumerate(kept)}
    return [
        replace(s, part_of_index=new_index.get(s.part_of_index))
        if s.part_of_index is not None
        else s
        for s in (suggestions[n] for n in kept)
    ]


def _restatements_attach(suggestions: list[Suggestion], title: list[Suggestion]) -> None:
    """The title's figures that the text states are evidence of the first that does, in
    place: "FFG übergibt 30 Leopard 1A5" over "… hat am Dienstag 30 Leopard 1A5 übergeben"."""
    for restated in title:
        _restatement_attach(suggestions, suggestions, restated)


def _restatement_attach(
    candidates: Sequence[Suggestion | None], suggestions: list[Suggestion], restated: Suggestion
) -> None:
    """Add ``restated``'s sentence to the first of ``candidates`` with the same figure."""
    key = _figure_key(restated)
    for number, candidate in enumerate(candidates):
        if candidate is not None and _figure_key(candidate) == key:
            found = suggestions[number]
            positions = tuple(sorted({*found.restated_in, restated.sentence_position}))
            suggestions[number] = replace(found, restated_in=positions)
            return


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
        suggestions[number] = suggestion.ruled(
            "stage", "approval pending, sentence after", stage="proposed"
        )


def suggest_article(
    article: Any, *, donors: DonorIndex | Iterable[NamedDonor] | None = None
) -> list[Suggestion]:
    """Suggestions for a stored article; reads its sentences and the Donor table once."""
    if donors is None:
        from tracker.models import Donor

        donors = gazetteer.donor_index_of(
            Donor.objects.only("slug", "name", "name_de", "iso2", "kind"),
            aliases=learned_donor_names(),
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


def learned_donor_names() -> tuple[tuple[str, str], ...]:
    """Names editors' pledges showed standing for their donor ("Ressortchef Tremblay" for
    Canada), so that the next sentence naming them is placed; read once per data version."""
    from tracker.cache import cached
    from tracker.models import Pledge

    def read() -> tuple[tuple[str, str], ...]:
        # The latest pledges: what editors recorded lately, at a cost that does not grow
        # with the dataset.
        records = (
            Pledge.objects.filter(sentence__isnull=False)
            .order_by("-pk")
            .values_list("sentence__text", "donor__slug", "sentence__article__language")[
                :_LEARNED_FROM
            ]
        )
        return gazetteer.donor_names_of(records, index=gazetteer.reference_index())

    return cached("learned-donor-names", (), read)


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
    mentions: list[Mention] | None = None,
    home_dollar: str = "",
    table: tables.Table | None = None,
) -> tuple[list[Suggestion], _Context]:
    """The suggestions of one sentence and the context it leaves; ``mentions`` are its donors
    when the caller has read them already; ``home_dollar`` is the dollar of the country the
    article's address belongs to."""
    figures = figures_find(text, language=language, nouns=item_nouns)
    if mentions is None:
        mentions = index.mentions_find(text, language=language)
    readings = _readings_of(
        text, figures, context=context, language=language, item_nouns=item_nouns, table=table
    )
    # "35 Milliarden Kronen (rund 3 Milliarden Euro)": the second is the first, converted.
    readings = [
        reading
        for number, reading in enumerate(readings)
        if not (number and not_aid.is_conversion(text, readings[number - 1].figure, reading.figure))
    ]
    # "US$1.45 billion", a conversion too: a currency, not the United States.
    mentions = [
        mention
        for mention in mentions
        if not any(figure.start <= mention.start < figure.end for figure in figures)
    ]
    donors_named = [mention for mention in mentions if mention.slug != HOSTILE]
    # A sentence that goes on about the one before ("Davon sind 50 Millionen ...") has the
    # donor of that one, whatever it names.
    if not donors_named and not _goes_on(text) and not_aid.no_donor_no_pledge(text, mentions):
        readings = []
    readings = _aid_readings(text, readings, context=context, donors_named=donors_named)
    masked = not_aid.items_masked(text, figures)
    if not_aid.ATTACK_RE.search(masked):
        readings = [r for r in readings if r.quantity is None or _given_not_fired(masked, r)]

    # Who is named as a giver, not as a partner, maker, channel or the like (not_giving).
    givers = [m for m in donors_named if not not_giving.named_not_giving(m, text=text, index=index)]
    for reading in readings:
        reading.donor, reading.donor_rule = _donor_choose(
            reading, text=text, givers=givers, context=context, index=index
        )
        if reading.currency == "KR":
            _crowns_place(reading, index=index, context=context)
        elif reading.currency == "USD" and _BARE_DOLLAR_RE.search(
            text, reading.figure.start, reading.figure.end
        ):
            _dollars_place(
                reading, text=text, index=index, context=context, home_dollar=home_dollar
            )
    # Crowns nobody can place are no amount an editor could record.
    readings = [reading for reading in readings if reading.amount is None or reading.currency]
    readings = _each_item_split(text, readings)
    readings = _each_donor_split(text, readings, mentions=donors_named)
    _respectively_assign(text, readings, mentions=donors_named)
    for number in range(1, len(readings)):
        readings[number].part_of, readings[number].part_of_rule = _part_of_find(
            text, readings, number=number
        )
    _parts_before_wholes(text, readings)
    _items_bought(text, readings)
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
    shares.wholes_categorise(suggestions)
    suggestions = [
        replace(s, part_of_index=None if s.part_of_index is None else offset + s.part_of_index)
        for s in suggestions
    ]
    return suggestions, _context_next(
        text,
        context=context,
        suggestions=suggestions,
        # "Umgesetzt wird das über die slowenische Stiftung ITF": no donor for what follows.
        mentions=givers,
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


def _dollars_place(
    reading: _Reading, *, text: str, index: DonorIndex, context: _Context, home_dollar: str
) -> None:
    """A bare "$" in an article about Australia, Canada or New Zealand, or published at one of
    their addresses (``home_dollar``), is that country's dollar, as its government and press
    write it; "US$" stays the US dollar."""
    figure = reading.figure
    if gazetteer.US_DOLLAR_RE.search(text, figure.start, figure.end):
        return
    # The figure's donor ("Total Australian assistance is now more than $1.6 billion"), else
    # the article's, or in a round-up where it names its own government most (a parliament's
    # hearing, a government's release), that one.
    donor = reading.donor or context.article_donor or context.most_named_donor
    entry = index.entries.get(donor)
    home = gazetteer.HOME_CURRENCY.get(entry.iso2, "") if entry else ""
    if home in ("AUD", "CAD", "NZD"):
        reading.currency = home
    elif home_dollar and not (entry and entry.iso2 == "US"):
        # "Ms Okafor: It is $120 million in total" in the Senate's record at aph.gov.au.
        reading.currency = home_dollar


def _respectively_assign(
    text: str, readings: list[_Reading], *, mentions: Sequence[Mention]
) -> None:
    """ "Norway and the Netherlands will contribute £25 million and £15 million respectively":
    the donors named before the figures, in order, one each."""
    if not readings or not _RESPECTIVELY_RE.search(text):
        return
    first = readings[0].figure.start
    named = list(dict.fromkeys(m.slug for m in mentions if m.start < first))
    if len(named) == len(readings) > 1:
        for reading, slug in zip(readings, named, strict=True):
            reading.donor, reading.donor_rule = slug, "respectively"


def _each_item_split(text: str, readings: list[_Reading]) -> list[_Reading]:
    """ "je fünfhundert Feldbetten, Matratzen und Wolldecken": the count once for each thing
    named after it."""
    split = []
    for reading in readings:
        split.append(reading)
        figure = reading.figure
        if reading.quantity is None or not _EACH_BEFORE_RE.search(
            text, max(0, figure.number_start - 10), figure.number_start
        ):
            continue
        position = figure.evidence_end
        while named := _NEXT_NOUN_RE.match(text, position):
            start, end = named.span("noun")
            item = replace(figure, item=text[start:end], item_start=start, item_end=end)
            split.append(dataclasses.replace(reading, figure=item))
            position = end
    return split


def _each_donor_split(
    text: str, readings: list[_Reading], *, mentions: Sequence[Mention]
) -> list[_Reading]:
    """ "Finnland und Estland stellen jeweils 20.000 Schuss bereit", "Belgium and Luxembourg
    will each contribute €20 million": one figure for each donor named before it; "Je zwei
    Brückenlegepanzer haben Dänemark und Deutschland zugesagt": after it, when "je" opens."""
    split = []
    clause_start = 0
    for reading in readings:
        figure = reading.figure
        named = list(
            dict.fromkeys(m.slug for m in mentions if clause_start <= m.start < figure.start)
        )
        if len(named) < 2 and _EACH_OPENING_RE.fullmatch(text, 0, figure.start):
            named = list(dict.fromkeys(m.slug for m in mentions if m.start >= figure.end))
        each = _EACH_RE.search(text, clause_start, min(len(text), figure.evidence_end + 8))
        if len(named) > 1 and each:
            split += [dataclasses.replace(reading, donor=slug, donor_rule="each") for slug in named]
        else:
            split.append(reading)
        clause_start = figure.evidence_end
    return split


def _figure_classify(
    text: str, figure: Figure, *, currency: str, language: str, listed: bool = False
) -> _Reading | None:
    """An amount, a count of items, or None for a number that is not aid; ``listed`` when the
    text is an entry of a list of what is given."""
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
        gives = listed or gazetteer.GIVING_RE.search(text) or _CONSIDERED_RE.search(text)
        if not gives or is_year:
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


def _readings_of(
    text: str,
    figures: list[Figure],
    *,
    context: _Context,
    language: str,
    item_nouns: tuple[str, ...] = (),
    table: tables.Table | None = None,
) -> list[_Reading]:
    """The figures of a sentence that are amounts or counts; in a row of ``table``, a bare
    number alone in its cell is an amount in the table's currency."""
    readings: list[_Reading] = []
    for number in range(len(figures)):
        figure = counted.item_found(
            text, figures, number=number, said_before=context.item, item_nouns=item_nouns
        )
        # A bare "1 billion" takes the currency of the amount just before it, in this sentence
        # or the ones before.
        currency = next((r.currency for r in reversed(readings) if r.currency), context.currency)
        if table and not (figure.currency or figure.item) and tables.fills_a_cell(text, figure):
            readings.append(
                _Reading(
                    figure,
                    amount=_plain(figure.value * table.scale),
                    currency=table.currency,
                    rule="money, table's currency",
                )
            )
            continue
        reading = _figure_classify(
            text, figure, currency=currency, language=language, listed=context.listing
        )
        if reading:
            readings.append(reading)
    return readings


def _aid_readings(
    text: str, readings: list[_Reading], *, context: _Context, donors_named: Sequence[Mention]
) -> list[_Reading]:
    """``readings`` without the figures their sentence says are no aid to record, whoever is
    named: a budget of the donor's own, a need, a plan that was replaced, a figure another
    replaced, what each person gets, a conversion, the sum of several donors' shares, what a
    factory makes in a month."""
    readings = [r for r in readings if not _said_not_aid(text, r)]
    # "zwei statt der zunächst genannten drei Systeme", "UAH 3,600 per month" for each person.
    readings = [
        r
        for r in readings
        if not not_aid.replaced(text, r.figure)
        and not not_aid.claimed(text, r.figure)
        and (r.amount is None or not not_aid.per_head(text, r.figure))
    ]
    if (
        len(readings) == 1
        and readings[0].amount is not None
        and context.currency not in ("", readings[0].currency)
        and not_aid.conversion_sentence(text, readings[0].figure)
    ):
        # "This is about EUR 26 million." after an amount in hryvnias: its conversion.
        readings = []
    # "European countries allocated about €4.2 billion", "33 Geberländer haben ... eingezahlt",
    # "today's pledges from partners add up to": many donors' figure, no one donor's pledge.
    readings = [
        r
        for r in readings
        if not _MANY_DONORS_BEFORE_RE.search(text, max(0, r.figure.start - 80), r.figure.start)
        and not (r.amount is not None and _MANY_DONORS_AFTER_RE.match(text, r.figure.evidence_end))
    ]
    if len({mention.slug for mention in donors_named}) > 1 or _DONORS_TOGETHER_RE.search(text):
        # "Zusammen finanzieren die drei Länder ein Paket über 500 Millionen Dollar", "a joint
        # $450 million package": the sum of several donors' shares, no one donor's pledge.
        readings = [
            r
            for r in readings
            if r.amount is None
            or not _JOINT_BEFORE_RE.search(text, max(0, r.figure.start - 60), r.figure.start)
        ]
    # The trucks that carry the goods counted or named after them (not_aid.carries_goods).
    readings = [
        r
        for number, r in enumerate(readings)
        if r.quantity is None
        or not not_aid.carries_goods(
            text,
            r.figure,
            goods_counted=any(later.quantity is not None for later in readings[number + 1 :]),
        )
    ]
    if not_aid.collected(text):
        # "Insgesamt kamen auf der Konferenz Zusagen über 2,4 Milliarden Euro zusammen."
        readings = [r for r in readings if r.amount is None]
    if not_aid.produced(text) and not_aid.RATE_RE.search(text):
        readings = [reading for reading in readings if reading.quantity is None]
    readings = [
        r
        for r in readings
        if r.quantity is None or not _RATE_AFTER_RE.match(text, r.figure.evidence_end)
    ]
    return readings


def _given_not_fired(text: str, reading: _Reading) -> bool:
    """Whether a count in a sentence that speaks of fighting is given rather than fired, lost
    or destroyed: a word of giving is as near to it as any word of fighting ("liefert 2
    IRIS-T zum Schutz vor russischen Angriffen"; not "Russia launched 40 drones")."""
    given = _nearest(gazetteer.GIVING_RE, text, reading.figure)
    fired = _nearest(not_aid.ATTACK_RE, text, reading.figure)
    return given is not None and (fired is None or given <= fired)


def _said_not_aid(text: str, reading: _Reading) -> bool:
    """Whether the figure's clause says it is no aid (a budget line, a need, a plan replaced)
    and no word of giving is nearer to it: "Der Etat beträgt 50 Milliarden Euro" is not aid,
    "liefert 20 Generatoren, um den Bedarf zu decken" is."""
    start, end = not_aid.clause_span(text, reading.figure)
    cues = not_aid.not_aid_cues(text[start:end])
    if any(reason not in not_aid.WEIGHED for reason, _cue in cues):
        return True
    figure = reading.figure
    given = _nearest(_GIVING_NOT_LISTING_RE, text, figure, start=start, end=end)
    for reason, cue in cues:
        if (
            reason == "own budget"
            and start + cue.start() > figure.evidence_end
            and not_aid.paid_from(text, figure)
        ):
            continue  # "The cargo is worth €2.4 million and is paid for from the budget of …"
        said = max(0, figure.start - (start + cue.end()), start + cue.start() - figure.evidence_end)
        if given is None or said <= given:
            return True
    return False


def _nearest(
    pattern: re.Pattern[str], text: str, figure: Figure, *, start: int = 0, end: int | None = None
) -> int | None:
    """How many characters lie between ``figure`` and the nearest match of ``pattern``."""
    span = (figure.start, figure.evidence_end)
    distances = [
        max(0, span[0] - match.end(), match.start() - span[1])
        for match in pattern.finditer(text, start, len(text) if end is None else end)
    ]
    return min(distances, default=None)


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
    reading: _Reading,
    *,
    text: str,
    givers: Sequence[Mention],
    context: _Context,
    index: DonorIndex,
) -> tuple[str, str]:
    """The nearest of ``givers`` (the donors the sentence names as giving) named before the
    figure, else after it, else what context says; with the rule that chose it."""
    figure = reading.figure
    for strong in (True, False):
        candidates = [mention for mention in givers if mention.strong is strong]
        before = [mention for mention in candidates if mention.end <= figure.start]
        if before:
            return before[-1].slug, "named before"
        after = [mention for mention in candidates if mention.start >= figure.end]
        if after:
            return after[0].slug, "named after"
    home = gazetteer.CURRENCY_HOME.get(reading.currency)
    if home and home in index.by_iso2:
        return index.by_iso2[home].slug, "currency"
    if context.most_named_donor and _FIRST_PERSON_RE.search(text):
        # "Seit Oktober haben wir ... geliefert": the government the article speaks for.
        return context.most_named_donor, "first person"
    if context.donor:
        return context.donor, "sentences before"
    if not context.article_donor and context.most_named_donor:
        return context.most_named_donor, "most named in the article"
    return context.article_donor, "article" if context.article_donor else "none"


def _part_of_find(
    text: str, readings: Sequence[_Reading], *, number: int
) -> tuple[int | None, str]:
    """The earlier figure this one is a subset of, when "davon" or "of which" says so; with
    the rule that found it."""
    reading = readings[number]
    said = _share_word(text, readings, number=number)
    whole_counted = _first_or_last_of(text, readings, number=number)
    if whole_counted is not None:
        return whole_counted, "first or last of"
    if not said:
        return _part_of_unsaid(text, readings, number=number)
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


def _part_of_unsaid(
    text: str, readings: Sequence[_Reading], *, number: int
) -> tuple[int | None, str]:
    """The whole of a figure no word of sharing leads to: that of the share before it, where a
    list of shares goes on ("including 1,000 Stinger missiles and two million rounds",
    "darunter 12,0 Mio. Euro für Winterkits und 8,5 Mio. Euro für Heizgeräte"), or the share
    before itself, broken down after a colon ("€11 million will go to its partners: €5
    million to the UN fund, ...")."""
    previous, reading = readings[number - 1], readings[number]
    if _shares_after_colon(text, previous, reading):
        return number - 1, "after a colon"
    if previous.part_of is not None and (
        _LIST_JOIN_RE.fullmatch(text, previous.figure.evidence_end, reading.figure.start)
        or _next_share_of_its_kind(text, readings, number=number)
    ):
        return previous.part_of, "list goes on"
    return None, ""


def _shares_after_colon(text: str, previous: _Reading, reading: _Reading) -> bool:
    return bool(
        previous.amount is not None
        and reading.amount is not None
        and previous.currency == reading.currency
        and reading.amount < previous.amount
        and ":" in text[previous.figure.evidence_end : reading.figure.start]
    )


def _share_word(text: str, readings: Sequence[_Reading], *, number: int) -> re.Match[str] | None:
    """The word that makes the figure a share of one before it: "of which €300 million",
    "davon 150 Millionen" before it, "150 Millionen Euro davon" right after it. Words further on
    ("..., including 1,500 drones") are the next figure's, and a "davon" right after the figure
    before is that one's: "Drei Millionen davon gehen an das WFP, die übrigen zwei Millionen an
    das Rote Kreuz" makes siblings."""
    start = readings[number - 1].figure.end
    figure = readings[number].figure
    said = gazetteer.PART_OF_RE.search(text, start, figure.start) or _DAVON_AFTER_RE.match(
        text, figure.evidence_end
    )
    if said and said.start() <= start + 1 and _DAVON_AFTER_RE.match(text, start):
        return None
    return said


def _next_share_of_its_kind(text: str, readings: Sequence[_Reading], *, number: int) -> bool:
    """Whether the figure is the next of a list of shares: an amount like the share before it
    (what that one is for between them), joined by "und", "and" or a comma."""
    previous, reading = readings[number - 1], readings[number]
    whole = readings[previous.part_of] if previous.part_of is not None else None
    between = text[previous.figure.evidence_end : reading.figure.start]
    return bool(
        whole is not None
        and previous.amount is not None
        and reading.amount is not None
        and whole.amount is not None
        and reading.currency == previous.currency == whole.currency
        and reading.amount < whole.amount
        and len(between) <= _SHARE_LIST_REACH
        and _LIST_END_RE.search(between)
        and not not_aid.CLAUSE_BREAK_RE.search(between)
    )


def _first_or_last_of(text: str, readings: Sequence[_Reading], *, number: int) -> int | None:
    """ "Von den 18 bestellten Radhaubitzen sollen die ersten sechs ...", "Of the 14 tanks
    gifted in 2023, the last four ...", "Of the 20 excavators we pledged, 12 are in Ukraine",
    "32 promised, but only 14 had reached Ukraine":
    the larger count before that this one is the first, the last or a share of."""
    figure, quantity = readings[number].figure, readings[number].quantity
    if quantity is None:
        return None
    if not (
        counted.FIRST_OR_LAST_RE.search(text, max(0, figure.number_start - 14), figure.number_start)
        or counted.opens_with_a_whole(text, [r.figure for r in readings], number=number)
        # "Sweden had promised 32 Archers, but only 14 had reached Ukraine".
        or counted.ARRIVED_AFTER_RE.match(text, figure.end)
    ):
        return None
    larger = next(
        (
            earlier
            for earlier in range(number - 1, -1, -1)
            if (readings[earlier].quantity or 0) > quantity
        ),
        None,
    )
    # "12 are in Ukraine and the remaining eight ...": a share of the whole 12 are a share of.
    whole = readings[larger].part_of if larger is not None else None
    return whole if whole is not None else larger


def _parts_before_wholes(text: str, readings: Sequence[_Reading]) -> None:
    """ "a £450 million package, funded from the UK's £3 billion commitment", "150 Millionen
    Euro, die erste Tranche eines Darlehens über 600 Millionen Euro": a share named before the
    figure it is taken from."""
    for number in range(len(readings) - 1):
        part, whole = readings[number], readings[number + 1]
        if part.part_of is not None or whole.part_of is not None:
            continue
        if (part.quantity or 0) < (whole.quantity or 0) and counted.SHARE_OF_RE.fullmatch(
            text, part.figure.end, whole.figure.number_start
        ):
            # "the last 12 of the 50 Bradley fighting vehicles", "14 der 18 Haubitzen".
            part.part_of, part.part_of_rule = number + 1, "share of the count after it"
            continue
        if part.amount is None or whole.amount is None or part.currency != whole.currency:
            continue
        between = text[part.figure.evidence_end : whole.figure.start]
        if part.amount < whole.amount and _WHOLE_NEXT_RE.search(between):
            part.part_of, part.part_of_rule = number + 1, "part before its whole"
        elif (
            whole.amount < part.amount
            and _TRANCHE_OF_RE.search(text, max(0, part.figure.start - 40), part.figure.start)
            and _WORTH_BETWEEN_RE.fullmatch(between)
        ):
            whole.part_of, whole.part_of_rule = number, "tranche of the whole before it"


def _items_bought(text: str, readings: Sequence[_Reading]) -> None:
    """Counts of things an amount of the same sentence pays for are its parts: "300 Millionen
    Euro für 18 Radhaubitzen", "£1.6 billion ... to buy 5,000 missiles", "bestellte 16 Skynex
    und gab dafür 1,1 Milliarden Kronen frei", "100,000 drones as part of a £350m package"."""
    amounts = [n for n, r in enumerate(readings) if r.amount is not None]
    for number, reading in enumerate(readings):
        if reading.quantity is None or reading.part_of is not None:
            continue
        for whole in amounts:
            money = readings[whole]
            if money.donor and reading.donor and money.donor != reading.donor:
                continue
            if whole < number:
                between = text[money.figure.evidence_end : reading.figure.start]
                bought = _BOUGHT_AFTER_RE.search(between)
            else:
                between = text[reading.figure.evidence_end : money.figure.start]
                bought = _PAID_AFTER_RE.search(between)
            if bought and len(between) <= _BOUGHT_REACH and ";" not in between:
                reading.part_of, reading.part_of_rule = whole, "bought with it"
                break
            # "Für 120 Lenkflugkörper ... 350 Millionen Euro gebilligt", "für 2,2 Milliarden
            # Euro zwei weitere Patriot-Systeme".
            first = reading if whole > number else money
            paid_for = _FOR_BEFORE_RE.search(text, 0, first.figure.start) and (
                whole > number or len(between) <= _NEXT_TO
            )
            if paid_for and len(between) <= _BOUGHT_REACH and ";" not in between:
                reading.part_of, reading.part_of_rule = whole, "bought with it"
                break
        if reading.part_of is None and number and readings[number - 1].part_of is not None:
            # "für 18 Radhaubitzen und 60.000 Schuss Munition": the next thing bought.
            previous = readings[number - 1]
            between = text[previous.figure.evidence_end : reading.figure.start]
            if (
                previous.quantity is not None
                and previous.part_of_rule == "bought with it"
                and _AND_RE.fullmatch(between)
            ):
                reading.part_of, reading.part_of_rule = previous.part_of, "bought with it"


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
    # The whole of a "davon" does not borrow the words that describe its part. (What an amount
    # buys is no such part: "gab 300 Millionen Euro für acht Skyranger frei" releases both, and
    # "an order for six CAESAR ..., for 24 million euros" orders both.)
    own_parts = [
        n
        for n, r in enumerate(readings)
        if r.part_of == number and r.part_of_rule != "bought with it"
    ]
    parts = [readings[n].figure.start for n in own_parts if n > number]
    scope = (0, parts[0]) if parts else (0, len(text))
    # Nor those of a part said before it: "hat 150 Millionen Euro ausgezahlt, die erste Tranche
    # eines Darlehens über 600 Millionen Euro" pays out the tranche, not the loan.
    parts_before = [readings[n].figure.evidence_end for n in own_parts if n < number]
    if parts_before:
        comma = text.rfind(",", max(parts_before), figure.start)
        scope = (max(parts_before) if comma < 0 else comma + 1, scope[1])
    # Words far from the figure say nothing about it, and a run-on "sentence" of a thousand
    # figures must not make every figure read all of it.
    scope = (max(scope[0], figure.start - _REACH), min(scope[1], figure.evidence_end + _REACH))
    window = (max(window[0], scope[0]), min(window[1], scope[1]))
    entry = index.entries.get(reading.donor)
    category, category_rule = categories.category_guess(
        text,
        figure,
        is_money=reading.amount is not None,
        donor=reading.donor,
        window=window,
        scope=scope,
        said_before=(context.category, context.category_donor),
        topic=context.topic,
    )
    stage, stage_rule = stages.stage_guess(
        text, window=window, scope=scope, near=(figure.start, figure.evidence_end)
    )
    if stage_rule == "default" and context.stage and (context.listing or _lists_on(text)):
        stage, stage_rule = context.stage, "sentences before"
    (announced_on, date_precision), date_rule = _date_choose(
        text,
        window=window,
        scope=scope,
        near=(figure.start, figure.evidence_end),
        context=context,
        article_date=article_date,
    )
    period, period_rule = _period_guess(text, window=window, scope=scope, article_date=article_date)
    # "drei Patriot-Systeme und mehr als 60 Gepard-Flakpanzer": a list shares its opening.
    in_list = number > 0 and _LIST_JOIN_RE.fullmatch(
        text, readings[number - 1].figure.evidence_end, figure.start
    )
    clause = (scope[0], window[1]) if in_list else window
    # "sagte vier weitere Systeme zu; damit hat Berlin insgesamt 18": the total after a break
    # in the clause is the next figure's.
    ends = _CLAUSE_TURN_RE.search(text, figure.evidence_end, clause[1])
    clause = (clause[0], ends.start()) if ends else clause
    is_aggregate, aggregate_rule = stages.aggregate_guess(text[clause[0] : clause[1]])
    if stages.total_reached(text[clause[0] : figure.start]):
        is_aggregate, aggregate_rule = True, "total reached"
    if aggregate_rule == "total" and counted.is_list_entry(text):
        # "- Kampfpanzer Leopard 1A5, insgesamt 30 Stück": the entry's number, not a total.
        is_aggregate, aggregate_rule = False, ""
    if not is_aggregate and entry and entry.kind == "group":
        is_aggregate, aggregate_rule = True, "group of donors"
    if (
        reading.amount is not None
        and not_aid.is_budget_envelope(not_aid.clause_around(text, figure))
        and not not_aid.paid_from(text, figure)
    ):
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


def _date_choose(
    text: str,
    *,
    window: tuple[int, int],
    scope: tuple[int, int],
    near: tuple[int, int],
    context: _Context,
    article_date: datetime.date | None,
) -> tuple[tuple[datetime.date | None, str], str]:
    """The date said next to the figure, else in its sentence, else one said just before (for
    a sentence that goes on about it), else the article's; with the rule that chose it. The
    month of an earlier promise the sentence recalls is not the day of its news."""
    text = stages.promise_recall_masked(text, near=near)
    for rule, (start, end) in (("clause", window), ("sentence", scope)):
        stated = _date_said(text[start:end], context=context, article_date=article_date)
        if stated:
            return stated, rule
    if context.date and _goes_on(text):
        return context.date, "sentences before"
    return (article_date, "day"), "article" if article_date else "none"


def _date_said(
    text: str, *, context: _Context, article_date: datetime.date | None
) -> tuple[datetime.date, str] | None:
    """The date ``text`` states, or the day or month said before that it refers back to
    ("Die EIB gab am selben Tag ...", "Im selben Monat übergab ...")."""
    stated = dates.date_stated(text, article_date=article_date)
    if stated or context.said_date is None:
        return stated
    said = context.said_date[0]
    if _SAME_DAY_RE.search(text) and context.said_date[1] == "day":
        return said, "day"
    if _SAME_MONTH_RE.search(text):
        return said.replace(day=1), "month"
    return None


def _goes_on(text: str) -> bool:
    """Whether a sentence goes on about the one before: "Dazu gehören", "Von dieser Summe",
    "The shipments included", "Das Paket umfasst"."""
    return bool(
        _CONTINUES_RE.search(text)
        or gazetteer.PART_OF_OPENING_RE.search(text)
        or _LIST_OPENING_RE.search(text)
    )


def _lists_on(text: str) -> bool:
    """Whether a sentence goes on with what the one before said, or is an entry of the list
    it opened ("Geliefert:" and then "- 55 Flugabwehrkanonenpanzer Gepard"): it has its stage.
    (A list's entries do not take its date: the heading is seldom the day they were given.)"""
    return _goes_on(text) or counted.is_list_entry(text)


def _period_guess(
    text: str,
    *,
    window: tuple[int, int],
    scope: tuple[int, int],
    article_date: datetime.date | None,
) -> tuple[str, str]:
    for start, end in (window, scope):
        found = dates.period_stated(text[start:end], article_date=article_date)
        if found[0]:
            return found
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
        donor=donor,
        currency=currency,
        category=categories.category_of_text(text),
        category_donor=donor,
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
        own_category = categories.category_of_text(text)
    donor, donor_age = _carry(own_donor, context.donor, context.donor_age)
    currency, currency_age = _carry(own_currency, context.currency, context.currency_age)
    category, category_age = _carry(own_category, context.category, context.category_age)
    category_donor = own_donor if own_category else context.category_donor
    own_date = _date_said(text, context=context, article_date=article_date)
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
        own_stage = stages.stage_stated(text)
    stage = own_stage or (context.stage if context.listing or _lists_on(text) else "")
    if context.listing and context.stage and counted.is_list_entry(text):
        # An entry's own words ("a portion of which will be sourced from Canadian companies")
        # do not change what the list's opening line said of all its entries.
        stage = context.stage
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
        context.article_donor,
        next(
            (s.item for s in reversed(suggestions) if s.item), "" if suggestions else context.item
        ),
        own_date or context.said_date,
        counted.opens_a_list(text) or (context.listing and not counted.ends_a_sentence(text)),
        context.most_named_donor,
    )


def _carry(own: str, old: str, age: int) -> tuple[str, int]:
    if own:
        return own, 0
    if old and age + 1 < _CARRY_SENTENCES:
        return old, age + 1
    return "", 0
