"""Money amounts and counts in German and English text: "1,4 Mrd. EUR", "£350m", "drei Milliarden".

Digits are read by Babel in the article's locale ("61.000" is 61000 in German text, "2.5" is 2.5
in English), falling back to the other locale only when the figure cannot be read in the first
("€1.5bn" quoted in a German article). Number words are read by text2num ("drei", "forty",
"zweihundertfünfzig"). What remains ours is small: scale words, currency words and symbols,
qualifiers, and the nouns that make a bare number a count of something given in kind.

A ``Figure`` is what the text says, nothing more: whether it is a pledge is the engine's call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice, takewhile

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import text2num

from articles.segment import MONTH_PATTERN, MONTHS
from tracker.suggest import gazetteer

# Scale words, lower-cased. German "Billion" is 10^12 (an English trillion).
_SCALES_DE = {
    "tausend": 3,
    "tsd": 3,
    "million": 6,
    "millionen": 6,
    "mio": 6,
    "milliarde": 9,
    "milliarden": 9,
    "mrd": 9,
    "mia": 9,
    "billion": 12,
    "billionen": 12,
}
_SCALES_EN = {
    "thousand": 3,
    "million": 6,
    "millions": 6,
    "mn": 6,
    "mln": 6,
    "billion": 9,
    "billions": 9,
    "bn": 9,
    "bln": 9,
    "trillion": 12,
    "trillions": 12,
    # Indian numbering: a lakh is 100,000, a crore ten million ("₹6.5 crore").
    "lakh": 5,
    "lakhs": 5,
    "crore": 7,
    "crores": 7,
}
# Written straight after the digits, with a currency: "$6B", "£350m", "€1.5bn", "£500k".
_ATTACHED_SCALES = {"k": 3, "K": 3, "m": 6, "M": 6, "mn": 6, "b": 9, "B": 9, "bn": 9, "mrd": 9}
_SCALE_WORD = (
    r"(?i:milliarden|milliarde|millionen|million|billionen|billion|billions|millions|tausend"
    r"|thousand|trillions?|mrd\.?|mio\.?|mia\.?|tsd\.?|bn|mn|mln|bln|lakhs?|crores?)"
)

_SCALE_IN_WORDS_RE = re.compile(r"(?<![\d.,])\b(?:million|billion|millionen|milliarden?)\b", re.I)
# Currency words after the number. Crowns without an adjective are "KR" until a donor says
# whose they are.
_CURRENCY_WORDS: tuple[tuple[str, str], ...] = (
    (r"(?i:norwegische[n]? Kronen|Norwegian (?:kroner|krone|crowns))", "NOK"),
    (r"(?i:schwedische[n]? Kronen|Swedish (?:kronor|krona|crowns))", "SEK"),
    (r"(?i:dänische[n]? Kronen|Danish (?:kroner|krone|crowns))", "DKK"),
    (r"(?i:tschechische[n]? Kronen|Czech (?:korun[ay]|crowns))", "CZK"),
    (r"(?i:isländische[n]? Kronen|Icelandic (?:kronur|krona|crowns))", "ISK"),
    (r"(?i:kanadische[n]? Dollar[s]?|Canadian dollars?)", "CAD"),
    (r"(?i:australische[n]? Dollar[s]?|Australian dollars?)", "AUD"),
    (r"(?i:neuseeländische[n]? Dollar[s]?|New Zealand dollars?)", "NZD"),
    (r"(?i:Schweizer Franken|Swiss francs?)", "CHF"),
    (r"(?i:US-Dollar[s]?|U\.?S\.? dollars?)", "USD"),
    (r"(?i:Pfund Sterling|pounds? sterling)", "GBP"),
    (r"(?i:Euros?)", "EUR"),
    (r"(?i:Dollars?)", "USD"),
    (r"(?i:Pfund|pounds?|sterling)", "GBP"),
    (r"(?i:Franken|francs?)", "CHF"),
    (r"(?i:Kronen|kroner|kronor|krona|krone|crowns)", "KR"),
    (r"(?i:Yen)", "JPY"),
    (r"(?i:Zloty|Złoty|zlotys)", "PLN"),
    (r"(?i:Hrywnja|Hrywnjas|Hrywen|Hriwna|hryvnias?|hryvnyas?)", "UAH"),
    (r"(?i:Rubel|roubles?|rubles?)", "RUB"),
    (r"(?i:Forint)", "HUF"),
    (r"(?i:lei|leu)", "RON"),
    (r"(?i:Rupien|rupees?)", "INR"),
    (r"Won", "KRW"),
)
_CURRENCY_CODES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "NOK",
    "SEK",
    "DKK",
    "CAD",
    "AUD",
    "NZD",
    "JPY",
    "PLN",
    "UAH",
    "CZK",
    "ISK",
    "HUF",
    "RON",
    "KRW",
    "RUB",
    "INR",
]
_CURRENCY_SYMBOLS: tuple[tuple[str, str], ...] = (
    (r"US\$", "USD"),
    (r"(?:CA|C)\$", "CAD"),
    (r"(?:AU|A)\$", "AUD"),
    (r"NZ\$", "NZD"),
    (r"€", "EUR"),
    (r"\$", "USD"),
    (r"£", "GBP"),
    (r"¥", "JPY"),
    (r"₴", "UAH"),
    (r"₹", "INR"),
    (r"Fr\.", "CHF"),
)

_SUFFIX_ALTERNATIVES = [
    *(pattern for pattern, _ in _CURRENCY_WORDS),
    *_CURRENCY_CODES,
    *(pattern for pattern, _ in _CURRENCY_SYMBOLS if pattern != r"Fr\."),
]
_SUFFIX_CURRENCY_RE = re.compile(
    r"(?:" + "|".join(f"(?P<c{n}>{p})" for n, p in enumerate(_SUFFIX_ALTERNATIVES)) + r")"
    r"(?![^\W_])"
)
_SYMBOL_BEFORE_NUMBER_RE = re.compile(r"[€$£¥₴]\s?\d")
_SUFFIX_CODES = [
    *(code for _, code in _CURRENCY_WORDS),
    *_CURRENCY_CODES,
    *(code for pattern, code in _CURRENCY_SYMBOLS if pattern != r"Fr\."),
]
_PREFIX_ALTERNATIVES = [
    *(pattern for pattern, _ in _CURRENCY_SYMBOLS),
    *_CURRENCY_CODES,
]
# Currencies that are ambiguous alone and plain after a scale word: "130 billion won", "93 Mio.
# Fr." (a verb; a Friday).
_AFTER_SCALE_CURRENCY_RE = re.compile(r"[ \u00a0\u202f]+(?:won|Fr\.)(?![^\W_])")
_PREFIX_CODES = [*(code for _, code in _CURRENCY_SYMBOLS), *_CURRENCY_CODES]
_PREFIX_CURRENCY_RE = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(f"(?P<c{n}>{p})" for n, p in enumerate(_PREFIX_ALTERNATIVES))
    + r")[ \u00a0\u202f]?$"
)


def _alternative(match: re.Match[str]) -> int:
    """Which alternative (``c0``, ``c1`` ...) of a currency pattern matched."""
    if match.lastgroup is None:
        raise ValueError(f"{match.re.pattern!r} matched no named alternative.")
    return int(match.lastgroup[1:])


# Qualifiers, read backwards from the figure.
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (
        "over",
        r"weit über|deutlich über|knapp über|gut über|mehr als|more than|well over"
        r"|just over|in excess of|upwards of|north of|über|over|above",
    ),
    ("at_least", r"mindestens|wenigstens|nicht weniger als|at least|no less than|a minimum of"),
    ("up_to", r"bis zu|up to|as much as|as many as|a maximum of|maximal|höchstens"),
    (
        "approx",
        r"rund|etwa|ca\.|circa|zirka|ungefähr|annähernd|gut|fast|beinahe|nahezu|knapp"
        r"|schätzungsweise|about|around|some|roughly|approximately|approx\.|nearly|almost"
        r"|close to|an estimated|just under|less than|under",
    ),
)
_QUALIFIER_RE = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _QUALIFIERS)
    + r")\s+$",
    re.IGNORECASE,
)
# Nouns that carry a sum: "ein Paket über 3 Milliarden" is a package of 3 billion, while
# "am Mittwoch über 3 Milliarden" is over 3 billion.
_SUM_NOUN_BEFORE_RE = re.compile(
    r"(?:paket|scheck|kredit|darlehen|zusage|tranche|vertrag|summe|betrag|rechnung|auftrag"
    r"|vereinbarung|abkommen|garantie|garantien|anleihe|fonds|zuschuss|programm|hilfe|hilfen"
    r"|budget|etat|mittel)\s+$",
    re.IGNORECASE,
)

# Groups of three digits are joined by one mark throughout: "12.000 105-mm-Granaten" is two
# numbers, while "1 000 000" and "1.000.000" are one each.
# "handed over four": a verb's particle, not "more than".
_OVER_PARTICLE_RE = re.compile(
    r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|sign|signs|signed|pass|passes"
    r"|passed|take|takes|took)\s+$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(
    r"(?<![\w.,/\-])"
    r"(?:\d{1,3}(?:[ ](?=\d{3}(?!\d))\d{3})+(?:,\d+)?(?![.,'’\u00a0\u202f]\d)"
    r"|\d{1,3}(?:[.,'’\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![.,]?\d)"
)
_WORD_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:-[^\W\d_]+)*(?![^\W\d_])")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_TAIL_SCALE_RE = re.compile(
    r"(?P<sep>[ \u00a0\u202f]*-?[ \u00a0\u202f]*)(?P<half>halbe[n]?\s+|a\s+)?(?P<scale>"
    + _SCALE_WORD
    + r")(?![^\W_])"
)
_ENGLISH_NEXT_WORD_RE = re.compile(r"(?:\s+and)?\s+([^\W\d_]+(?:-[^\W\d_]+)*)")
_TAIL_HALF_RE = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_CURRENCY_SEPARATOR_RE = re.compile(r"[ \u00a0\u202f]*-?[ \u00a0\u202f]*")
_ORDINAL_RE = re.compile(r"\.\s+\S")
# Between a noun and the count that follows it as an apposition: "Generators, 150 of them".
_APPOSITION_RE = re.compile(r"\s*,\s*")
# A paragraph's number opening a sentence, before a capital: "2.3 The", "1.4.2 Die".
_SECTION_NUMBER_RE = re.compile(r"\W*\d{1,2}(?:\.\d{1,2})+")
_CAPITAL_NEXT_RE = re.compile(r"\s+[A-ZÄÖÜ]")

# "ein"/"a" count only before a scale word ("eine Million", "a billion"): "ein System" is not
# read as a figure, for precision.
_ARTICLE_NUMBERS = {"ein", "eine", "einen", "eines", "einer", "einem", "a", "an", "one", "another"}
_DOZEN_RE = re.compile(r"\b(?P<number>[^\W\d_]+)\s+(?:dozen|dutzend)\b", re.IGNORECASE)
_PAIR_RE = re.compile(r"\b(?:a|one)\s+pair\s+of\b", re.IGNORECASE)
# A scale word with no number before it is the number: "tausend Schuss", "thousand rounds".
_BARE_THOUSANDS = frozenset(("tausend", "thousand"))
# Two things named together: "beide Systeme", "both launchers".
_BOTH = frozenset(("beide", "beiden", "both"))
_ONE_OF_BEFORE_RE = re.compile(r"\b(?:eine[srm]?|one)\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE)
_GENITIVES_DE = {"zweier": Decimal(2), "dreier": Decimal(3)}
_HALVES = {"anderthalb": Decimal("1.5"), "eineinhalb": Decimal("1.5"), "half": Decimal("0.5")}

# Nouns for things given in kind, matched at the end of a word ("IRIS-T-Systeme",
# "Artilleriegeschosse"); a German dative plural adds an n ("mit fünf Marschflugkörpern").
ITEM_NOUNS_DE = (
    "drohnen",
    "systeme",
    "panzer",
    "raketen",
    "flugkörper",
    "geschosse",
    "granaten",
    "schuss",
    "haubitzen",
    "werfer",
    "fahrzeuge",
    "jets",
    "flugzeuge",
    "hubschrauber",
    "helikopter",
    "boote",
    "schiffe",
    "patronen",
    "gewehre",
    "batterien",
    "radare",
    "geräte",
    "generatoren",
    "krankenwagen",
    "rettungswagen",
    "lastwagen",
    "transporter",
    "abfangjäger",
    "startgeräte",
    "kanonen",
    "geschütze",
    "mörser",
    "bomben",
    "minen",
    "torpedos",
    "zünder",
    "pistolen",
    "helme",
    "zelte",
    "aggregate",
    "container",
    "erzeuger",
    "betten",
    "decken",
    "stiefel",
    "schlafsäcke",
    "öfen",
    "heizgeräte",
    # Relief and repair equipment.
    "transformatoren",
    "kessel",
    "pumpen",
    "busse",
    "maschinen",
    "anlagen",
    "terminals",
    "westen",
    "sätze",
    "module",
    "matratzen",
    "ambulanzen",
)
ITEM_NOUNS_EN = (
    "drones",
    "systems",
    "tanks",
    "missiles",
    "shells",
    "rounds",
    "howitzers",
    "launchers",
    "vehicles",
    "jets",
    "aircraft",
    "planes",
    "helicopters",
    "boats",
    "ships",
    "vessels",
    "interceptors",
    "batteries",
    "rifles",
    "munitions",
    "generators",
    "ambulances",
    "trucks",
    "radars",
    "guns",
    "carriers",
    "himars",
    "atacms",
    "apcs",
    "ifvs",
    "mortars",
    "cannons",
    "bombs",
    "mines",
    "grenades",
    "cartridges",
    "torpedoes",
    "warheads",
    "pistols",
    "helmets",
    "vests",
    "radios",
    "transformers",
    "goggles",
    "sights",
    "jammers",
    "mraps",
    "humvees",
    "containers",
    "kits",
    "beds",
    "blankets",
    "boots",
    "stoves",
    "heaters",
    "turbines",
    "boilers",
    # Relief and repair equipment.
    "pumps",
    "buses",
    "terminals",
    "excavators",
    "bulldozers",
    "cranes",
    "tents",
    "mattresses",
    "kitchens",
    "tankers",
    "trailers",
)
# One thing of a kind, after "ein"/"a": singular nouns and system names.
_SINGLE_ITEMS_DE = (
    "system",
    "aggregat",
    "panzer",
    "flugzeug",
    "hubschrauber",
    "helikopter",
    "schiff",
    "boot",
    "radar",
    "generator",
    "lazarett",
    "krankenhaus",
    "krankenwagen",
    "fahrzeug",
    "werfer",
    "batterie",
    "jet",
    "startgerät",
    "haubitze",
    "transformator",
    "lastwagen",
    "drohne",
)
_SINGLE_ITEMS_EN = frozenset(
    (
        *("system", "battery", "hospital", "tank", "aircraft", "plane", "jet", "helicopter"),
        *("ship", "vessel", "boat", "radar", "generator", "launcher", "howitzer", "vehicle"),
        *("ambulance", "transformer", "frigate", "corvette", "truck", "drone", "unit"),
        *("engine",),
    )
)
WEAPON_NAMES = frozenset(
    (
        *("patriot", "iris-t", "nasams", "himars", "samp/t", "skynex", "gepard", "leopard"),
        *("marder", "bradley", "abrams", "caesar", "f-16", "mirage", "gripen", "hawk"),
        *("skyranger", "stinger", "javelin", "nlaw", "archer", "krab", "zuzana", "challenger"),
        *("stryker", "cv90", "m777", "atacms", "taurus", "lynx", "boxer", "dingo", "humvee"),
        *("humvees", "lkw", "pkw", "f-16s", "stingers", "javelins", "nlaws", "hawks"),
    )
)
# Nouns after a count that name no thing: "2022 Militärhilfe", "drei Milliarden Unterstützung".
_ABSTRACT_ENDINGS = (
    *("hilfe", "hilfen", "unterstützung", "mittel", "euro", "dollar", "franken", "kronen"),
    *("aid", "support", "assistance", "funding", "funds", "dollars", "euros"),
)
# Words of an item that name no kind of thing, never learned as item nouns.
_ABSTRACT_NOUNS = frozenset(("system", "systems", "typ", "type", "model", "modell"))
# Nouns of a share, which an article before a counted noun names instead of one item.
_PARTITIVES = frozenset(
    (
        *("teil", "anteil", "hälfte", "reihe", "menge", "zahl", "anzahl", "paket", "lieferung"),
        *("part", "share", "portion", "half", "third", "number", "lot", "couple", "series"),
        *("range", "package", "batch", "total", "shipment", "tranche"),
    )
)
_ARTICLE_PREPOSITIONS = frozenset(("for", "of", "with", "from", "für", "mit", "über"))
# A number or a stop between the article and its noun ends the search.
_ARTICLE_STOP_RE = re.compile(r"\d|[,;:()\[\]–—\"“”„»«!?]|\.(?:\s|$)")
_ITEM_SUFFIXES_DE = tuple(noun + ending for noun in ITEM_NOUNS_DE for ending in ("", "n"))
_ITEM_WORDS_EN = frozenset(ITEM_NOUNS_EN)
_LONG_ITEM_WORDS_EN = tuple(noun for noun in ITEM_NOUNS_EN if len(noun) >= 8)
# Counted people are an in-kind pledge only when they are trained ("10.000 Soldaten ausbilden").
TRAINEE_NOUNS = ("soldaten", "soldiers", "troops", "piloten", "pilots", "rekruten", "recruits")
_TRAINING_RE = re.compile(r"ausbild|ausgebildet|trainier|\btrain", re.IGNORECASE)
_TRAINED_RE = re.compile(
    r"\b(?:have|has|had|were|was)\s+(?:\w+\s+){0,2}trained\b"
    r"|\btrained\s+(?:more than\s+|some\s+|about\s+|over\s+)?\d"
    r"|\bausgebildet(?:\s+worden)?\b(?!\s+werden)|\babsolviert|\babgeschlossen",
    re.IGNORECASE,
)

# Nouns after a number that say it is not aid: time, shares, people, places, fighting.
NON_ITEM_NOUNS = frozenset(
    [
        # Paperwork, not things given: "OIG made 4 recommendations", "drei Verträge".
        *("projects", "projekte", "projekten", "recommendations", "empfehlungen", "findings"),
        *("agreements", "vereinbarungen", "contracts", "verträge", "verträgen", "awards"),
        *("measures", "maßnahmen", "meetings", "sitzungen", "reports", "berichte", "motions"),
        *("anträge", "anträgen"),
        "prozent",
        "prozentpunkte",
        "percent",
        "per",
        "cent",
        "percentage",
        "points",
        "punkte",
        "jahr",
        "jahre",
        "jahren",
        "jahrzehnt",
        "jahrzehnte",
        "jahrzehnten",
        "monat",
        "monate",
        "monaten",
        "woche",
        "wochen",
        "tag",
        "tage",
        "tagen",
        "stunde",
        "stunden",
        "minuten",
        "sekunden",
        "years",
        "year",
        "months",
        "month",
        "weeks",
        "week",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "decades",
        "decade",
        "länder",
        "ländern",
        "staaten",
        "mitglieder",
        "mitgliedern",
        "mitgliedstaaten",
        "nationen",
        "partner",
        "partnern",
        "countries",
        "states",
        "members",
        "nations",
        "partners",
        "menschen",
        "personen",
        *("patienten", "patientinnen", "patients"),
        "einwohner",
        "einwohnern",
        "tote",
        "toten",
        "verletzte",
        "verletzten",
        "opfer",
        "opfern",
        "zivilisten",
        "kinder",
        "kindern",
        "flüchtlinge",
        "flüchtlingen",
        "geflüchtete",
        "gefechte",
        "gefechten",
        "kämpfe",
        "kämpfen",
        "angriffe",
        "angriffen",
        "attacken",
        "people",
        "persons",
        "residents",
        "civilians",
        "children",
        "refugees",
        "dead",
        "killed",
        "injured",
        "wounded",
        "casualties",
        "battles",
        "clashes",
        "attacks",
        "strikes",
        "kilometer",
        *("quadratkilometer", "quadratkilometern", "hektar", "hectares", "square"),
        "kilometern",
        "km",
        "meter",
        "metern",
        "grad",
        "uhr",
        "mal",
        "artikel",
        "seiten",
        "kilometres",
        "kilometers",
        "miles",
        "metres",
        "meters",
        "times",
        "points",
        "tonnen",
        "tonnes",
        "donors",
        "geber",
        "geberländer",
        "gebern",
        "pledges",
        "zusagen",
        "packages",
        "pakete",
        "paketen",
        "tranches",
        "tranchen",
        "stimmen",
        "votes",
        "kilowatt",
        "megawatt",
        "gigawatt",
        "kw",
        "mw",
        "gw",
        "kv",
        "volt",
        "liter",
        "litern",
        "litres",
        "liters",
        "besatzungen",
        "crews",
        "mitarbeiter",
        "mitarbeiterinnen",
        "beschäftigte",
        "employees",
        "readers",
        "meals",
        "mahlzeiten",
        "authorities",
        "appropriations",
        "leser",
        "mm",
        "millimeter",
        "tons",
        # People helped or helping, losses, votes cast. (Soldiers trained are a count of training.)
        *("einsatzkräfte", "einsatzkräften", "helfer", "helferinnen", "binnenvertriebene"),
        *(
            "binnenvertriebenen",
            "mann",
            "enthaltung",
            "enthaltungen",
            "abstentions",
            "dienstposten",
        ),
        *("ukrainians", "ukrainer", "ukrainerinnen", "drittel", "viertel", "thirds", "quarters"),
        *("jobs", "arbeitsplätze", "arbeitsplätzen", "cases", "diplomats", "diplomaten"),
        *("chambers", "commitments"),
    ]
)
# Fillers between a number and its noun that are not part of the item's name.
_ITEM_FILLERS = frozenset(
    [
        "weitere",
        "weiteren",
        "zusätzliche",
        "zusätzlichen",
        "neue",
        "neuen",
        "moderne",
        "modernen",
        "more",
        "additional",
        "further",
        "new",
        "modern",
        "der",
        "die",
        "des",
        "the",
        "of",
        "its",
        "their",
        "ihrer",
        "seiner",
    ]
)
# A verb ends the noun phrase: "of which 1 billion will go towards drones" counts no drones.
_ITEM_BREAKERS = frozenset(
    (
        *("will", "would", "shall", "should", "can", "could", "may", "might", "must"),
        *("is", "are", "was", "were", "be", "been", "has", "have", "had", "go", "goes", "went"),
        *("wird", "werden", "wurde", "wurden", "soll", "sollen", "sollte", "ist", "sind"),
        *("war", "waren", "hat", "haben", "hatte", "kann", "können", "geht", "gehen", "fließt"),
    )
)
_STOPWORDS_EN = frozenset(
    [
        "to",
        "be",
        "by",
        "for",
        "and",
        "or",
        "with",
        "of",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "from",
        "that",
        "which",
        "this",
        "these",
        "those",
    ]
)
_TYPE_TAIL_RE = re.compile(
    r"\s+(?:des Typs|vom Typ|of the type|of type|namens)\s+[\w-]+(?:[ -][A-Z0-9][\w-]*)?"
)
_CALIBRE_UNITS = ("mm", "millimeter")
_CALIBRE_BEFORE_RE = re.compile(r"\s*(\d{2,3}(?:\s?-?mm)?-?\s?)")
_ITEM_STOP_RE = re.compile(r"[,;:()\[\]–—\"“”„»«!?]|\.(?:\s|$)")
_MAX_ITEM_WORDS = 6
# Words that end the search for what a "Million" or "billion" counts: what a count of millions
# counts follows it at once ("1,2 Millionen Schuss", "two million rounds").
_NOT_AFTER_SCALED_COUNT = frozenset(
    ("davon", "für", "fuer", "in", "an", "auf", "aus", "for", "to", "into", "from", "of", "on")
)
# A model's code right after a count, what it counts: "F-16s", "CV90", "MiG-29", "AMX-10 RC",
# "Strv 122s".
_MODEL_CODE_RE = re.compile(
    r"\s+(?P<code>[A-Z][A-Za-z]{0,5}(?:-|\s)?\d{1,4}[A-Za-z]{0,3}(?:\s[A-Z]{1,3}\b)?)(?![\w-])"
)
# One to three capitalised words of a name between a count and a model number.
_MODEL_NAME_BETWEEN_RE = re.compile(r"\s+(?:[A-ZÄÖÜ][\w/-]*\s+){1,3}")
# Model names that carry a number: "Leopard 2", "Mirage 2000" are names, not counts.
_VAGUE_BEFORE_RE = re.compile(r"\b(?:mehrere|einige|several|a few|ein paar)\s+$", re.IGNORECASE)
_MODEL_BEFORE_RE = re.compile(
    r"(?:Leopard|Mirage|Challenger|Marder|PzH|Tornado|Gripen)\s?$"
    # An acronym's model number: "RBS 70", "MARS 2".
    r"|(?<![\w-])[A-Z]{2,}\s$"
)
_GROUPED_RE = re.compile(r"\d{1,3}(?:[.,\u202f]\d{3})+(?!\d)")
# The recipient, named before its count: "sending Ukraine 14 tanks".
_RECIPIENTS = frozenset(("Ukraine", "Kyiv", "Kiev", "Ukrainians"))
# In English a capitalised word mid-sentence right before a number names a model: "Switchblade
# 600 loitering munitions". (German capitalises every noun, so this holds for English only.)
_ENGLISH_MODEL_BEFORE_RE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+\s$")


@dataclass(frozen=True)
class Figure:
    """A number as the text states it, with whatever surrounds it."""

    start: int
    end: int
    number_start: int
    number_end: int
    value: Decimal
    scaled: bool
    currency: str
    qualifier: str
    item: str = ""
    item_start: int | None = None
    item_end: int | None = None
    unit: str = ""
    next_word: str = ""
    # The counted noun is one we know names aid in kind, or only a noun that follows a count.
    item_known: bool = True
    # One thing named with "ein"/"a": "einen Patriot", "a mobile field hospital".
    article: bool = False

    @property
    def evidence_end(self) -> int:
        return self.item_end if self.item_end is not None else self.end


def figures_find(text: str, *, language: str, nouns: tuple[str, ...] = ()) -> list[Figure]:
    """Every number in ``text`` with its scale, currency, qualifier and counted noun.

    ``nouns`` are item nouns learned from recorded pledges (``item_nouns_of``), known
    besides the built-in ones."""
    figures: list[Figure] = []
    previous_end = 0
    for start, end, value, is_article in _cores(text, language=language):
        if start < previous_end:
            continue
        figure = _figure_read(
            text,
            start=start,
            end=end,
            value=value,
            is_article=is_article,
            language=language,
            floor=previous_end,
        )
        if figure is None and is_article:
            figure = _article_count(text, start=start, end=end, language=language)
        if figure is None:
            continue
        figures.append(figure)
        previous_end = figure.end
    figures = _model_numbers_dropped(text, figures, nouns=nouns)
    read = [
        _item_attach(
            text,
            figure,
            following=figures[i + 1] if i + 1 < len(figures) else None,
            language=language,
            nouns=nouns,
        )
        for i, figure in enumerate(figures)
    ]
    # "vom Typ ASC 890", "Wisent 1": a number inside an item's name is part of the name.
    named = [
        (f.item_start, f.item_end)
        for f in read
        if f.item_start is not None and f.item_end is not None
    ]
    return [
        figure
        for figure in read
        if not any(start <= figure.number_start < end for start, end in named)
    ]


def _model_numbers_dropped(
    text: str, figures: list[Figure], *, nouns: tuple[str, ...]
) -> list[Figure]:
    """Figures without the numbers of model names after a count: in "10 Stridsvagn 122 tanks"
    and "20 Pbv 302 armoured personnel carriers" the second number names the model."""
    kept: list[Figure] = []
    for figure in figures:
        before = kept[-1] if kept else None
        if (
            before is not None
            and _is_bare(before)
            and _is_bare(figure)
            and _MODEL_NAME_BETWEEN_RE.fullmatch(text, before.end, figure.number_start)
            and not any(
                _is_counted_noun(word.lower(), text=text, nouns=nouns)
                for word in _WORD_RE.findall(text, before.end, figure.number_start)
            )
        ):
            continue
        kept.append(figure)
    return kept


def _is_bare(figure: Figure) -> bool:
    return not (figure.currency or figure.scaled or figure.article or figure.unit)


def number_parse(digits: str, *, language: str) -> Decimal | None:
    """Digits with the article's grouping and decimal marks; the other locale as a fallback."""
    digits = re.sub(r"[ '’\u00a0\u202f]", "", digits)
    other = "en" if language == "de" else "de"
    for locale in (language, other):
        try:
            return parse_decimal(digits, locale=locale, strict=True)
        except (NumberFormatError, InvalidOperation):
            continue
    return None


@lru_cache(maxsize=4096)
def word_number(word: str, *, language: str) -> Decimal | None:
    """A number written as a word ("drei", "forty", "zweieinhalb"), or None."""
    lower = word.lower()
    if lower in _HALVES:
        return _HALVES[lower]
    if language == "de" and lower in _GENITIVES_DE:
        return _GENITIVES_DE[lower]  # "die Abgabe zweier weiterer Startgeräte"
    if lower.endswith("einhalb") and len(lower) > len("einhalb"):
        whole = word_number(lower.removesuffix("einhalb"), language=language)
        return whole + Decimal("0.5") if whole is not None else None
    if lower in _SCALES_DE or lower in _SCALES_EN:
        return None
    if lower.endswith("s") and lower[:-1] in ("hundred", "thousand", "million", "billion"):
        return None  # "hundreds of jammers": many, no number
    try:
        value = text2num(lower, "de" if language == "de" else "en")
    except ValueError:
        return None
    return Decimal(value) if value > 0 else None


def _cores(text: str, *, language: str) -> list[tuple[int, int, Decimal, bool]]:
    cores = _dozens(text, language=language)
    dozens = [(start, end) for start, end, _, _ in cores]
    for match in _DIGITS_RE.finditer(text):
        value = number_parse(match.group(), language=language)
        if value is not None:
            cores.append((match.start(), match.end(), value, False))
    for match in _WORD_RE.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in _ARTICLE_NUMBERS:
            cores.append((match.start(), match.end(), Decimal(1), True))
            continue
        if lower in _BOTH:
            # Not "eines seiner beiden Flugzeuge": one of the two.
            if not _ONE_OF_BEFORE_RE.search(text, max(0, match.start() - 25), match.start()):
                cores.append((match.start(), match.end(), Decimal(2), False))
            continue
        if lower in _BARE_THOUSANDS:
            # After a number ("zwei tausend") it is that number's scale, read with it.
            cores.append((match.start(), match.end(), Decimal(1000), False))
            continue
        value = word_number(word, language=language)
        if value is None:
            continue
        end = match.end()
        if language == "en":
            end, value = _english_number_extend(text, start=match.start(), end=end, value=value)
        cores.append((match.start(), end, value, lower == "half"))
    cores = _dozens_only(cores, dozens)
    cores.sort()
    return cores


def _dozens(text: str, *, language: str) -> list[tuple[int, int, Decimal, bool]]:
    """ "a dozen", "zwei Dutzend": twelve times the number before; "a pair of": two."""
    cores = [(match.start(), match.end(), Decimal(2), False) for match in _PAIR_RE.finditer(text)]
    for match in _DOZEN_RE.finditer(text):
        word = match.group("number")
        lower = word.lower()
        value = Decimal(1) if lower in _ARTICLE_NUMBERS else word_number(word, language=language)
        if value is not None:
            cores.append((match.start(), match.end(), value * 12, False))
    return cores


def _dozens_only(
    cores: list[tuple[int, int, Decimal, bool]], dozens: list[tuple[int, int]]
) -> list[tuple[int, int, Decimal, bool]]:
    # The number of "a dozen" is read with it, never alone.
    return [
        core
        for core in cores
        if (core[0], core[1]) in dozens or not any(s <= core[0] < e for s, e in dozens)
    ]


def _english_number_extend(
    text: str, *, start: int, end: int, value: Decimal
) -> tuple[int, Decimal]:
    """ "two hundred and fifty": the longest run of words text2num reads as one number."""
    best_end, best_value = end, value
    position = end
    for _ in range(4):
        match = _ENGLISH_NEXT_WORD_RE.match(text, position)
        if not match:
            break
        try:
            combined = text2num(text[start : match.end()].lower(), "en")
        except ValueError:
            break
        position = match.end()
        best_end, best_value = position, Decimal(combined)
    return best_end, best_value


def _figure_read(
    text: str,
    *,
    start: int,
    end: int,
    value: Decimal,
    is_article: bool,
    language: str,
    floor: int,
) -> Figure | None:
    if _VAGUE_BEFORE_RE.search(text, max(0, start - 12), start) and not text[start].isdigit():
        return None  # "mehrere hundert", "several thousand": no count an editor could record
    scale = _scale_read(text, end, value, is_article=is_article, language=language)
    if scale is None:
        return None
    position, value, exponent, scaled = scale
    # "a hundred and twenty million", "eighty million": a scale inside the words of the number.
    scaled = scaled or bool(_SCALE_IN_WORDS_RE.search(text, start, end))
    currency, position, figure_start = _currency_read(text, position, start=start, floor=floor)
    scaled_currency = _AFTER_SCALE_CURRENCY_RE.match(text, position) if scaled else None
    if scaled_currency and not currency:
        currency = "KRW" if scaled_currency.group().strip().lower() == "won" else "CHF"
        position = scaled_currency.end()
    is_bare = not scaled and not currency
    if is_bare and _is_label(text, start=start, end=position, language=language):
        return None
    if text.startswith(":", position) and text[position + 1 : position + 2].isdigit():
        return None
    qualifier, figure_start = _qualifier_read(text, floor=floor, figure_start=figure_start)
    if exponent:
        value = value.scaleb(exponent)
    next_word, unit = _unit_read(text, position)
    if unit in _CALIBRE_UNITS:
        return None  # a calibre, part of the name of the item counted before it
    return Figure(
        start=figure_start,
        end=position,
        number_start=start,
        number_end=end,
        value=value,
        scaled=scaled,
        currency=currency,
        qualifier=qualifier,
        unit=unit,
        next_word=next_word,
    )


_YEAR_BEFORE_RE = re.compile(rf"(?:\b{MONTH_PATTERN}\.?\s+\d{{1,2}},\s+|\bFY\s?)$", re.I)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_PHONE_NUMBER_RE = re.compile(r"0\d{2,}")
_DAY_OF_MONTH_AFTER_RE = re.compile(
    rf"\s+{MONTH_PATTERN}\b\.?(?:,?\s+\d{{4}}\b|\s*[,;.)]|\s*$)", re.I
)
_TIME_BEFORE_RE = re.compile(r"\d[:.]$")
_TIME_AFTER_RE = re.compile(r"[:.]\d\d(?!\d)(?:\s*(?:uhr|h|bst|cet|gmt|utc)\b)?(?![.,]?\d)", re.I)
_MONTH_BEFORE_RE = re.compile(rf"\b{MONTH_PATTERN}\.?\s+$", re.IGNORECASE)
_DAY_END_RE = re.compile(r",\s|,?\s+\d{4}\b|\s*[.;)]|\s*$")


def _is_label(text: str, *, start: int, end: int, language: str) -> bool:
    """Whether the bare number from ``start`` to ``end`` names or numbers something rather
    than counting it."""
    return (
        _is_model_number(text, start, language=language)
        # "45-jährige", "15-Punkte-Plan": part of a word.
        or (text.startswith("-", end) and bool(_LETTERS_RE.match(text, end + 1)))
        # "am 5. November", "das 17. Hilfspaket": a date or an ordinal.
        or bool(_ORDINAL_RE.match(text, end))
        # "on 12 July 2023": a day and its month; "Telefon 05861 808-112": a phone number.
        or bool(_DAY_OF_MONTH_AFTER_RE.match(text, end))
        or bool(_PHONE_NUMBER_RE.fullmatch(text, start, end))
        # "+++ 16:40 Pistorius: ...": a time of day.
        or bool(_TIME_BEFORE_RE.search(text, max(0, start - 3), start))
        or bool(_TIME_AFTER_RE.match(text, end))
        # "September 30, 2024", "FY2024": a day, a year, a fiscal year.
        or bool(
            _YEAR_RE.fullmatch(text, start, end)
            and _YEAR_BEFORE_RE.search(text, max(0, start - 20), start)
        )
        or bool(
            _MONTH_BEFORE_RE.search(text, max(0, start - 12), start)
            # "Nov. 26 awarded": an abbreviated month and its day.
            and (_DAY_END_RE.match(text, end) or text[max(0, start - 2) : start] == ". ")
        )
        # "4/7": a post's number in a thread, or a fraction.
        or (text.startswith("/", end) and text[end + 1 : end + 2].isdigit())
        # "2.3 The 18 AS90 ...": a report's paragraph number.
        or bool(_SECTION_NUMBER_RE.fullmatch(text, 0, end) and _CAPITAL_NEXT_RE.match(text, end))
    )


#: After the number: where the figure ends, its value, the power of ten and whether a scale
#: word ("Mrd.", "billion") was read.
_Scale = tuple[int, Decimal, int, bool]


def _is_model_number(text: str, start: int, *, language: str) -> bool:
    """Whether the number at ``start`` is part of a model's name: "Leopard 2", "RBS 70",
    "Switchblade 600"; not "CHF 5 Mio." nor "and Lithuania 15,000 rounds"."""
    named = _MODEL_BEFORE_RE.search(text, max(0, start - 12), start)
    if named and named.group().strip() not in _CURRENCY_CODES:
        # "beschafft das UNHCR 40.000 Wolldecken": an organisation, then its count; no
        # model's number has a thousands separator.
        return not _GROUPED_RE.match(text, start)
    return _is_english_model_number(text, start) if language == "en" else False


def _is_english_model_number(text: str, start: int) -> bool:
    before = _ENGLISH_MODEL_BEFORE_RE.search(text, max(0, start - 20), start)
    if not before:
        return False
    word = before.group().strip()
    if word.lower() in _STOPWORDS_EN or word.lower() in MONTHS or word in _RECIPIENTS:
        return False
    # "and Lithuania 15,000 rounds": a donor, then its count.
    return not gazetteer.reference_index().mentions_find(word, language="en")


def _scale_read(
    text: str, position: int, value: Decimal, *, is_article: bool, language: str
) -> _Scale | None:
    """The scale after the number, or None when what follows makes it no amount."""
    attached = _LETTERS_RE.match(text, position)
    if attached:
        return _attached_scale_read(text, attached, value)
    position, value, exponent, scaled = _word_scale_read(
        text, position, value, is_article=is_article, language=language
    )
    if is_article and not scaled:
        return None
    if language == "en" and not scaled:
        return _english_half_read(text, position, value)
    return position, value, exponent, scaled


def _attached_scale_read(text: str, attached: re.Match[str], value: Decimal) -> _Scale | None:
    """ "5Mrd", "3bn": a scale written onto the number; None for "5G", "3D", "1990er", "5th"."""
    letters = attached.group()
    if letters not in _ATTACHED_SCALES and letters.lower() not in ("bn", "mrd"):
        return None
    exponent = _ATTACHED_SCALES.get(letters, _ATTACHED_SCALES.get(letters.lower(), 0))
    position = attached.end()
    if text.startswith(".", position) and letters.lower() == "mrd":
        position += 1
    return position, value, exponent, True


def _word_scale_read(
    text: str, position: int, value: Decimal, *, is_article: bool, language: str
) -> _Scale:
    """ "5 Milliarden", "2,5 Mio.", "anderthalb Millionen": a scale word after the number."""
    tail = _TAIL_SCALE_RE.match(text, position)
    if not tail or not (tail.group("half") is None or is_article or language == "en"):
        return position, value, 0, False
    word = tail.group("scale").rstrip(".").lower()
    scales = _SCALES_DE if language == "de" else _SCALES_EN
    exponent = scales.get(word, _SCALES_EN.get(word, _SCALES_DE.get(word, 0)))
    if tail.group("half") and tail.group("half").lower().startswith("halbe"):
        value /= 2
    position = tail.end()
    if text.startswith(".", position) and word in ("mrd", "mio", "mia", "tsd"):
        position += 1
    return position, value, exponent, True


def _english_half_read(text: str, position: int, value: Decimal) -> _Scale:
    """ "two and a half billion": the half, then the scale."""
    half = _TAIL_HALF_RE.match(text, position)
    if not half:
        return position, value, 0, False
    value += Decimal("0.5")
    position = half.end()
    tail = _TAIL_SCALE_RE.match(text, position)
    if not tail:
        return position, value, 0, False
    exponent = _SCALES_EN.get(tail.group("scale").rstrip(".").lower(), 0)
    return tail.end(), value, exponent, exponent > 0


def _currency_read(text: str, position: int, *, start: int, floor: int) -> tuple[str, int, int]:
    """The currency after the figure or before it ("5 Mio. Euro", "$5m"), where the figure
    ends and where it starts."""
    currency = ""
    separator = _CURRENCY_SEPARATOR_RE.match(text, position)  # matches the empty string too
    suffix = _SUFFIX_CURRENCY_RE.match(text, separator.end() if separator else position)
    if suffix and _SYMBOL_BEFORE_NUMBER_RE.match(text, suffix.start()):
        suffix = None  # "ab 2026 € 80.000": the sign is the next number's
    if suffix:
        currency = _SUFFIX_CODES[_alternative(suffix)]
        position = suffix.end()
    figure_start = start
    prefix = _PREFIX_CURRENCY_RE.search(text[floor:start])
    if prefix:
        currency = (
            currency if currency and currency != "USD" else _PREFIX_CODES[_alternative(prefix)]
        )
        figure_start = floor + prefix.start()
    return currency, position, figure_start


def _qualifier_read(text: str, *, floor: int, figure_start: int) -> tuple[str, int]:
    """ "rund", "mehr als", "up to" before the figure, and where the figure then starts."""
    qualifier_match = _QUALIFIER_RE.search(text[floor:figure_start])
    if not qualifier_match:
        return "exact", figure_start
    word = qualifier_match.group().strip().lower()
    before = text[floor : floor + qualifier_match.start()]
    if word == "über" and _SUM_NOUN_BEFORE_RE.search(before):
        return "exact", figure_start
    if word == "over" and _OVER_PARTICLE_RE.search(before):
        return "exact", figure_start
    return qualifier_match.lastgroup or "exact", floor + qualifier_match.start()


def _unit_read(text: str, position: int) -> tuple[str, str]:
    """The word right after the figure, and the unit ("%", "per", a non-item noun) or ""."""
    next_match = _WORD_RE.search(text, position, min(len(text), position + 40))
    next_word = ""
    if next_match and not text[position : next_match.start()].strip(" \u00a0\u202f"):
        next_word = next_match.group()
    if text[position:].lstrip().startswith("%"):
        return next_word, "%"
    if next_word.lower() in NON_ITEM_NOUNS or next_word.lower() in ("per", "v"):
        return next_word, next_word.lower()
    return next_word, ""


def _item_attach(
    text: str, figure: Figure, *, following: Figure | None, language: str, nouns: tuple[str, ...]
) -> Figure:
    """The noun a bare count counts, within a few words and before any stop."""
    if figure.currency or figure.unit or figure.article:
        return figure
    words = _words_after(text, figure, following=following)
    named: int | None = None  # a system's name, counted when no noun follows it
    for index, word in enumerate(words):
        lower = word.group().lower()
        if lower in _CALIBRE_UNITS:
            continue
        if lower in _ITEM_BREAKERS or lower in NON_ITEM_NOUNS:
            # A verb, or a word of time, people or place, ends the noun phrase: only the words
            # before it may name the item ("4 IRIS-T SLM für dieses Jahr"); right after the
            # count, such a word says the count is of no thing ("drei Jahre").
            if named is None and lower in NON_ITEM_NOUNS:
                return figure
            words = words[:index]
            break
        if named is None and (lower in WEAPON_NAMES or lower.removesuffix("s") in WEAPON_NAMES):
            named = index
        elif _is_counted_noun(lower, text=text, nouns=nouns):
            first = _item_first_word(words, index=index, text=text)
            calibre = _CALIBRE_BEFORE_RE.fullmatch(text, figure.end, first)
            if calibre:
                # "12.000 105-mm-Granaten": the calibre is part of the item's name.
                first = calibre.start(1)
            return _item_named(text, figure, start=first, end=word.end())
    if named is not None:
        # "vier IRIS-T", "20 Leopard 1A5", "five HIMARS": the name counts itself.
        return _item_named(text, figure, start=words[named].start(), end=words[named].end())
    return _open_item_attach(text, figure, words=words, language=language)


def _words_after(text: str, figure: Figure, *, following: Figure | None) -> list[re.Match[str]]:
    """The few words after ``figure`` that may name what it counts: up to the next figure or
    a stop."""
    limit = following.number_start if following else len(text)
    position = figure.end
    stop = _ITEM_STOP_RE.search(text, position, limit)
    while stop and stop.group() == "," and _only_describes(text[position : stop.start()]):
        # "20 modernisierte, aus Industriebeständen stammende Schützenpanzer", "six
        # second-hand, Portuguese-built vessels": the noun comes after the comma.
        position = stop.end()
        stop = _ITEM_STOP_RE.search(text, position, limit)
    if stop:
        limit = stop.start()
    words = list(islice(_WORD_RE.finditer(text, figure.end, limit), _MAX_ITEM_WORDS))
    if figure.scaled:
        # "Eine Million davon fließe in ...", "acht Milliarden für Luftverteidigung": an amount
        # whose currency was said before, not a count of what comes later.
        return list(
            takewhile(lambda word: word.group().lower() not in _NOT_AFTER_SCALED_COUNT, words)
        )
    return words


def _only_describes(words_text: str) -> bool:
    """Whether the words are one or two adjectives: lower-case, no noun we know, no verb."""
    words = _WORD_RE.findall(words_text)
    return (
        0 < len(words) <= 2
        and not any(character.isdigit() for character in words_text)
        and all(
            word[0].islower()
            and word not in _ITEM_BREAKERS
            and word not in _STOPWORDS_EN
            and word not in NON_ITEM_NOUNS
            and not _is_item_noun(word)
            and not _is_plural_en(word)
            for word in words
        )
    )


def _is_counted_noun(word: str, *, text: str, nouns: tuple[str, ...]) -> bool:
    if word in TRAINEE_NOUNS:
        # Training to come is a pledge ("training for 2,000 Ukrainian soldiers"); soldiers
        # trained so far are what it achieved ("hat 19.000 Soldaten ausgebildet").
        return bool(_TRAINING_RE.search(text)) and not _TRAINED_RE.search(text)
    return _is_item_noun(word) or _is_learned_noun(word, nouns)


def _item_named(text: str, figure: Figure, *, start: int, end: int) -> Figure:
    """``figure`` counting the item named from ``start`` to ``end`` and any "vom Typ X"."""
    type_tail = _TYPE_TAIL_RE.match(text, end)
    if type_tail:
        end = type_tail.end()
    return replace(figure, item=text[start:end], item_start=start, item_end=end)


def _open_item_attach(
    text: str, figure: Figure, *, words: list[re.Match[str]], language: str
) -> Figure:
    """The noun a count may count though we do not know it: "20 Bagger", "170 large power
    transformers", or a model's code ("19 F-16s", "50 CV90", "13 MiG-29"). The engine keeps
    such a count only in a sentence about giving."""
    code = _MODEL_CODE_RE.match(text, figure.end)
    if code:
        start, end = code.span("code")
        return replace(
            figure, item=text[start:end], item_start=start, item_end=end, item_known=False
        )
    for index, word in enumerate(words):
        lower = word.group().lower()
        if lower in _STOPWORDS_EN or lower in MONTHS:
            return figure
        if len(lower) < 4 and not _is_english_modifier(lower) and not word.group().isupper():
            return figure  # "20 gas turbines" and "six Volvo FH16 tankers" read on
        is_noun = word.group()[0].isupper() if language == "de" else _is_plural_en(lower)
        if not is_noun:
            continue
        if lower.endswith(_ABSTRACT_ENDINGS):
            return figure
        first = _item_first_word(words, index=index, text=text)
        item_end = word.end()
        type_tail = _TYPE_TAIL_RE.match(text, item_end)
        if type_tail:
            item_end = type_tail.end()
        return replace(
            figure, item=text[first:item_end], item_start=first, item_end=item_end, item_known=False
        )
    return figure


def item_before(text: str, end: int, *, nouns: tuple[str, ...] = ()) -> str:
    """The thing named last before ``end`` in its clause, with its name: "Abrams tanks" in
    "the last of our Abrams tanks, twenty-three of them"; "" when none is named."""
    start = max(text.rfind(";", 0, end), text.rfind(":", 0, end)) + 1
    words = list(_WORD_RE.finditer(text, start, end))
    if words and _APPOSITION_RE.fullmatch(text, words[-1].end(), end):
        # "demining machines, six in all": the noun before the comma, known or not.
        last = words[-1].group()
        if (last[0].isupper() and last.lower() not in NON_ITEM_NOUNS) or _is_plural_en(last):
            first = _item_first_word(words, index=len(words) - 1, text=text)
            return text[first : words[-1].end()]
    for index in range(len(words) - 1, -1, -1):
        lower = words[index].group().lower()
        if lower in WEAPON_NAMES or _is_counted_noun(lower, text=text, nouns=nouns):
            first = _item_first_word(words, index=index, text=text)
            return text[first : words[index].end()]
    return ""


def _is_plural_en(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and "-" not in word[-3:]


def _article_count(text: str, *, start: int, end: int, language: str) -> Figure | None:
    """ "einen Patriot", "ein mobiles Feldlazarett", "a NASAMS battery", "eines seiner beiden
    Frühwarnflugzeuge": one thing of a kind we know, named with an article."""
    limit = min(len(text), end + 80)
    stop = _ARTICLE_STOP_RE.search(text, end, limit)
    words = list(islice(_WORD_RE.finditer(text, end, stop.start() if stop else limit), 4))
    if words and word_number(words[0].group(), language=language) is not None:
        return None  # "a hundred hospital beds": the article is the number's
    for index, word in enumerate(words):
        lower = word.group().lower()
        named = _is_item_noun(lower) or _is_single_item(lower)
        if named:
            following = words[index + 1] if index + 1 < len(words) else None
            if (
                following
                and not text[word.end() : following.start()].strip(" -")
                and (
                    _is_item_noun(following.group().lower())
                    or _is_single_item(following.group().lower())
                )
            ):
                continue  # "a NASAMS battery": the name goes on
            break
        # Only describing words come between: "ein weiteres", "eines seiner beiden", "a
        # mobile field"; another noun ("ein Teil der Panzer", "a share of the tanks") does not.
        if lower in _ITEM_BREAKERS or lower in NON_ITEM_NOUNS or lower in _PARTITIVES:
            return None
        if lower in _ARTICLE_PREPOSITIONS:
            return None  # "an order for six CAESAR": the article is another noun's
        if (
            language == "de"
            and word.group()[0].isupper()
            and text[word.end() : word.end() + 1] != "/"
        ):
            return None
    else:
        return None
    first = _item_first_word(words, index=index, text=text)
    item_end = word.end()
    type_tail = _TYPE_TAIL_RE.match(text, item_end)
    if type_tail:
        item_end = type_tail.end()
    return Figure(
        start=start,
        end=end,
        number_start=start,
        number_end=end,
        value=Decimal(1),
        scaled=False,
        currency="",
        qualifier="exact",
        item=text[first:item_end],
        item_start=first,
        item_end=item_end,
        article=True,
    )


def _is_single_item(word: str) -> bool:
    last = word.rsplit("-", 1)[-1]
    return (
        word in WEAPON_NAMES
        or last in WEAPON_NAMES
        or word.endswith(_SINGLE_ITEMS_DE)
        # German genitive: "eines weiteren SAMP/T-Systems"
        or (word.endswith("s") and word[:-1].endswith(_SINGLE_ITEMS_DE))
        or (last in _SINGLE_ITEMS_EN)
    )


def item_nouns_of(items: Iterable[str]) -> tuple[str, ...]:
    """The nouns that name what recorded pledges count ("Bergepanzer vom Typ Büffel" gives
    "bergepanzer", "bridge-laying vehicles" gives "vehicles"): the first long word of a German
    item, the last of an English one. Both are kept, as items come in either language."""
    nouns: set[str] = set()
    for item in items:
        words = [w for w in _WORD_RE.findall(_TYPE_TAIL_RE.sub("", item)) if len(w) >= 4]
        if words:
            nouns.update((words[0].lower(), words[-1].lower()))
    return tuple(sorted(nouns - NON_ITEM_NOUNS - _ITEM_FILLERS - _ABSTRACT_NOUNS))


def _is_learned_noun(word: str, nouns: tuple[str, ...]) -> bool:
    # A German compound ends with what it is: "Feldküchen" is learned from "Küchen" too.
    return bool(nouns) and (word in nouns or word.endswith(nouns))


def _is_item_noun(word: str) -> bool:
    # German compounds end with the noun ("IRIS-T-Systeme"); English nouns stand alone or end a
    # hyphenated compound, so that "grounds" is not read as "rounds". A system's name counts
    # itself: "vier IRIS-T", "20 Leopard 1A5", "five HIMARS".
    if word.endswith(_ITEM_SUFFIXES_DE):
        return True
    last = word.rsplit("-", 1)[-1]
    # A closed English compound ends with a long item noun: "autotransformers".
    return last in _ITEM_WORDS_EN or last.endswith(_LONG_ITEM_WORDS_EN)


def _item_first_word(words: list[re.Match[str]], *, index: int, text: str) -> int:
    """Where the item's name starts: the noun, with the name-like words just before it."""
    first = words[index].start()
    for word in reversed(words[:index]):
        lower = word.group().lower()
        if lower in _ITEM_FILLERS or lower in _STOPWORDS_EN:
            break
        # German adjectives and adverbs ("speziell", "entwickelte") describe, they do not name.
        is_compound_part = text[word.end() : word.end() + 1] == "-" or "-" in lower
        if word.group()[0].islower() and not is_compound_part and not _is_english_modifier(lower):
            break
        first = word.start()
    return first


def _is_english_modifier(word: str) -> bool:
    return word in {
        "air",
        "defence",
        "defense",
        "combat",
        "armoured",
        "armored",
        "fighter",
        "cruise",
        "ballistic",
        "artillery",
        "infantry",
        "fighting",
        "patrol",
        "unmanned",
        "long-range",
        "short-range",
        "anti-tank",
        "anti-aircraft",
        "surface-to-air",
        "attack",
        "naval",
        "sea",
        "mine",
        "military",
        "utility",
        "transport",
        "mobile",
        "heavy",
        "light",
        "main",
        "battle",
        "self-propelled",
        "rocket",
        "guided",
        "precision-guided",
        "protected",
        "mobility",
        "field",
        "power",
        "gas",
        "surveillance",
        "radar",
        "hospital",
        "water",
        "school",
        "fire",
        "rescue",
        "thermal",
        "diesel",
        "electric",
        "solar",
        "reconnaissance",
        "early-warning",
        "airborne",
        "tactical",
        "medical",
        "engineering",
        "counter-drone",
        "anti-drone",
        "loitering",
        "strike",
    }
