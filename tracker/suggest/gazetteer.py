"""Names and words the suggestions look for: donors, categories, stages, currencies.

The donor names come from the Donor table (``name`` for English text, ``name_de`` for German);
this module adds only what the table cannot know: adjectives ("britische"), capitals used for
governments ("London"), organisation spellings ("EU-Kommission") and the actors that are never
donors (Russia and its allies). Every list is small on purpose: a word belongs here when aid news
uses it in general, not because one article does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

from articles.segment import MONTH_PATTERN

HOSTILE = "hostile"

# German adjective stems (declined with -e/-en/-er/-es/-em) and English adjectives, by donor slug.
_ADJECTIVES: dict[str, tuple[str, str]] = {
    "united-kingdom": ("britisch", "British"),
    "united-states": ("amerikanisch|US-amerikanisch", "American"),
    "germany": ("deutsch", "German"),
    "france": ("französisch", "French"),
    "norway": ("norwegisch", "Norwegian"),
    "sweden": ("schwedisch", "Swedish"),
    "denmark": ("dänisch", "Danish"),
    "finland": ("finnisch", "Finnish"),
    "netherlands": ("niederländisch", "Dutch"),
    "belgium": ("belgisch", "Belgian"),
    "poland": ("polnisch", "Polish"),
    "italy": ("italienisch", "Italian"),
    "spain": ("spanisch", "Spanish"),
    "canada": ("kanadisch", "Canadian"),
    "japan": ("japanisch", "Japanese"),
    "australia": ("australisch", "Australian"),
    "austria": ("österreichisch", "Austrian"),
    "switzerland": ("schweizerisch", "Swiss"),
    "czechia": ("tschechisch", "Czech"),
    "slovakia": ("slowakisch", "Slovak"),
    "estonia": ("estnisch", "Estonian"),
    "latvia": ("lettisch", "Latvian"),
    "lithuania": ("litauisch", "Lithuanian"),
    "portugal": ("portugiesisch", "Portuguese"),
    "greece": ("griechisch", "Greek"),
    "turkiye": ("türkisch", "Turkish"),
    "south-korea": ("südkoreanisch", "South Korean"),
    "ireland": ("irisch", "Irish"),
    "iceland": ("isländisch", "Icelandic"),
    "luxembourg": ("luxemburgisch", "Luxembourgish"),
    "romania": ("rumänisch", "Romanian"),
    "bulgaria": ("bulgarisch", "Bulgarian"),
    "croatia": ("kroatisch", "Croatian"),
    "slovenia": ("slowenisch", "Slovenian"),
    "hungary": ("ungarisch", "Hungarian"),
    "new-zealand": ("neuseeländisch", "New Zealand"),
    "cyprus": ("zyprisch", "Cypriot"),
    "malta": ("maltesisch", "Maltese"),
}

# The people of a country, for its government ("die Briten sagten zu", "the Norwegians will
# send"), as (German noun, declined with -n where it takes one; English plural).
_PEOPLE: dict[str, tuple[str, str]] = {
    "united-kingdom": ("Brite[n]?", "Britons"),
    "united-states": ("Amerikaner[n]?|US-Amerikaner[n]?", "Americans"),
    "france": ("Franzosen", ""),
    "norway": ("Norweger[n]?", "Norwegians"),
    "denmark": ("Dänen", "Danes"),
    "finland": ("Finnen", "Finns"),
    "sweden": ("", "Swedes"),
    "netherlands": ("Niederländer[n]?|Holländer[n]?", ""),
    "belgium": ("Belgier[n]?", "Belgians"),
    "poland": ("", "Poles"),
    "italy": ("Italiener[n]?", "Italians"),
    "spain": ("Spanier[n]?", "Spaniards"),
    "canada": ("Kanadier[n]?", "Canadians"),
    "japan": ("Japaner[n]?", ""),
    "australia": ("Australier[n]?", "Australians"),
    "austria": ("Österreicher[n]?", "Austrians"),
    "czechia": ("Tschechen", "Czechs"),
    "slovakia": ("Slowaken", "Slovaks"),
    "estonia": ("Esten", "Estonians"),
    "latvia": ("Letten", "Latvians"),
    "lithuania": ("Litauer[n]?", "Lithuanians"),
    "portugal": ("Portugiesen", ""),
    "greece": ("Griechen", "Greeks"),
    "ireland": ("Iren", ""),
    "romania": ("Rumänen", "Romanians"),
    "bulgaria": ("Bulgaren", "Bulgarians"),
    "croatia": ("Kroaten", "Croatians"),
    "slovenia": ("Slowenen", "Slovenians"),
    "new-zealand": ("Neuseeländer[n]?", "New Zealanders"),
}
# Heads of government and ministers who speak for their country in aid news. Weak, like the
# federal institutions: a country the sentence names outright wins ("Pistorius said Britain").
_OFFICIALS: dict[str, tuple[str, ...]] = {
    "germany": ("Scholz", "Merz", "Pistorius", "Baerbock", "Wadephul", "Lindner", "Klingbeil"),
    "united-kingdom": ("Sunak", "Starmer", "Shapps", "Healey", "Lammy", "Reeves"),
    "united-states": ("Biden", "Trump", "Hegseth", "Blinken", "Rubio", "Lloyd Austin"),
    "france": ("Macron", "Lecornu"),
    "netherlands": ("Brekelmans", "Schoof", "Ollongren"),
    "denmark": ("Frederiksen", "Troels Lund Poulsen"),
    "norway": ("Støre", "Tore O\\. Sandvik", "Bjørn Arild Gram"),
    "sweden": ("Kristersson", "Pål Jonson"),
    "finland": ("Häkkänen", "Orpo", "Stubb"),
    "poland": ("Tusk", "Kosiniak-Kamysz", "Sikorski"),
    "canada": ("Trudeau", "Carney", "Bill Blair", "McGuinty", "Joly"),
    "japan": ("Kishida", "Ishiba"),
    "italy": ("Meloni", "Crosetto", "Tajani"),
    "eu-institutions": ("von der Leyen", "Borrell", "Dombrovskis"),
}
# Other names of countries, and seats of government that news uses for the government itself.
# "in London" is a place, not an actor: places after a locative preposition are dropped later.
_PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # slug: (German spellings, English spellings), regular expressions
    "united-kingdom": (
        ("Großbritannien(?:s)?", "Vereinigte[ns]? Königreich(?:s|es)?", "Britannien", "UK"),
        ("Great Britain", "Britain", "UK", r"U\.K\.", "Downing Street", "Whitehall"),
    ),
    "united-states": (
        (
            "USA",
            "US",
            r"U\.S\.",
            "Vereinigte[n]? Staaten",
            "Amerika(?:s)?",
            "Weiße[ns]? Haus(?:es)?",
        ),
        ("USA", "US", r"U\.S\.", "America", "White House", "Pentagon"),
    ),
    "turkiye": (("Türkei",), ("Turkey", "Türkiye")),
    "czechia": (("Tschechische[nr]? Republik",), ("Czech Republic",)),
    "south-korea": (("Republik Korea",), ("Republic of Korea",)),
}
_CAPITALS: dict[str, tuple[str, ...]] = {
    "united-kingdom": ("London",),
    "united-states": ("Washington(?:s)?", "Pentagon"),
    "germany": ("Berlin(?:s)?",),
    "france": ("Paris", "Élysée", "Elysee"),
    "norway": ("Oslo",),
    "sweden": ("Stockholm",),
    "denmark": ("Kopenhagen", "Copenhagen"),
    "finland": ("Helsinki",),
    "netherlands": ("Den Haag", "The Hague"),
    "poland": ("Warschau", "Warsaw"),
    "italy": ("Rom", "Rome"),
    "spain": ("Madrid",),
    "canada": ("Ottawa",),
    "japan": ("Tokio", "Tokyo"),
    "australia": ("Canberra",),
    "austria": ("Wien", "Vienna"),
    "switzerland": ("Bern", "Berne"),
    "czechia": ("Prag", "Prague"),
    "estonia": ("Tallinn",),
    "latvia": ("Riga",),
    "lithuania": ("Vilnius", "Wilna"),
    "portugal": ("Lissabon", "Lisbon"),
    "greece": ("Athen", "Athens"),
    "turkiye": ("Ankara",),
    "south-korea": ("Seoul",),
    "ireland": ("Dublin",),
    "romania": ("Bukarest", "Bucharest"),
    "hungary": ("Budapest",),
}
# Organisations and groups, in both languages (news mixes them: "NATO" in German text).
_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "eu-institutions": (
        r"EU(?!-(?:Staaten|Länder|Mitglied|Beitritt|Bürger))",
        "Europäische[n]? Union",
        "EU-Kommission",
        "Europäische[n]? Kommission",
        "European Union",
        "European Commission",
    ),
    "european-investment-bank": (
        "Europäische[n]? Investitionsbank",
        "European Investment Bank",
        "EIB",
    ),
    "european-peace-facility": (
        "Europäische[n]? Friedensfazilität",
        "European Peace Facility",
        "EPF",
    ),
    "nato-allies": (
        *(
            f"{nato}-(?:Verbündete|Alliierte|Partner|Mitglieder|Mitgliedstaaten|Mitgliedsstaaten"
            f"|Staaten|Länder)[n]?"
            for nato in ("NATO", "Nato")
        ),
        *(
            f"{nato} (?:allies|members|member states|countries|partners)"
            for nato in ("NATO", "Nato")
        ),
        "members of (?:the )?(?:NATO|Nato)",
        "allies of (?:the )?(?:NATO|Nato)",
    ),
    "nato": ("NATO", "Nato", "North Atlantic Treaty Organi[sz]ation"),
    "european-allies": (
        "[eE]uropäische[n]? (?:Verbündete|Partner|Partnerländer)[n]?",
        "European (?:allies|partners)",
    ),
    "joint-expeditionary-force": (
        "JEF",
        "Gemeinsame[n]? Expeditionsstreitmacht",
        "Joint Expeditionary Force",
    ),
    "ukraine-defense-contact-group": (
        "Ukraine Defen[cs]e Contact Group",
        "UDCG",
        "Ukraine-Kontaktgruppe",
        "Kontaktgruppe",
        "Ramstein-(?:Gruppe|Format)",
        "Ramstein (?:group|format)",
    ),
}
# German federal institutions name Germany without naming it. Weak: they count only when the
# sentence names no donor itself ("der österreichische Bundeskanzler" is Austria's).
_WEAK: dict[str, tuple[str, ...]] = {
    "germany": (
        "Bundesregierung",
        "Bundeskanzler(?:in)?",
        "Bundeswehr",
        "Bundestag(?:s|es)?",
        "Bundeshaushalt(?:s|es)?",
        "Bundesverteidigungsminist\\w*",
        "Bundesministerium(?:s)? der Verteidigung",
        "BMVg",
    ),
    # "the Commission" in news on aid to Ukraine is the European one.
    "eu-institutions": ("Kommission", "Commission"),
}
# Agencies, institutions and regions that stand for their country: aid agencies, development
# banks, armies, the Länder and cantons. Weak, as the federal institutions are.
_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "germany": (
        "KfW",
        "Hermes",
        "GIZ",
        "THW",
        "Technische[ns]? Hilfswerk(?:s|es)?",
        "Auswärtige[ns]? Amt(?:s|es)?",
        # A Land's state chancellery, and the districts and cities of Germany.
        "Staatskanzlei",
        "Landkreis(?:es)?",
        "Landrat",
        "Landrätin",
        "Landratsamt(?:s|es)?",
        "Kreistag(?:s|es)?",
        "Oberbürgermeister(?:in)?",
        "Baden-Württemberg",
        "Bayern",
        "Brandenburg",
        "Bremen",
        "Hamburg",
        "Hessen",
        "Mecklenburg-Vorpommern",
        "Niedersachsen",
        "Nordrhein-Westfalen",
        "Rheinland-Pfalz",
        "Saarland",
        "Sachsen-Anhalt",
        "Sachsen",
        "Schleswig-Holstein",
        "Thüringen",
    ),
    "austria": (
        "Bundesheer(?:s|es)?",
        "Auslandskatastrophenfonds",
        "Austrian Development Agency",
        "ADA",
        "Burgenland",
        "Kärnten",
        "Niederösterreich",
        "Oberösterreich",
        "Steiermark",
        "Tirol",
        "Vorarlberg",
    ),
    # The Federal Council that decides aid is the Swiss government; Germany's Bundesrat does not.
    "switzerland": (
        "Bundesrat(?:s|es)?",
        "Federal Council",
        "DEZA",
        "SDC",
        "SECO",
        "Seco",
        # The cantons, their governments and parliaments.
        "Kanton(?:s|e)?",
        "Grossen? Rat(?:s|es)?",
        "Aargau",
        "Appenzell",
        "Basel-Stadt",
        "Basel-Landschaft",
        "Glarus",
        "Graubünden",
        "Luzern",
        "Nidwalden",
        "Obwalden",
        "Schaffhausen",
        "Schwyz",
        "Solothurn",
        "St\\. Gallen",
        "Tessin",
        "Ticino",
        "Thurgau",
        "Waadt",
        "Vaud",
        "Wallis",
        "Valais",
        "Zürich",
        "Genf",
        "Geneva",
    ),
    "united-states": (
        "USAID",
        "State Department",
        "Department of State",
        # "Congress appropriated $425 million": the US Congress, in reports on aid.
        "Congress",
        "Department of Defense",
        "DoD",
        "National Guard",
        # The states (not Georgia, a country, nor Washington, the capital).
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "West Virginia",
        "Wisconsin",
        "Wyoming",
    ),
    "canada": (
        "Alberta",
        "British Columbia",
        "Manitoba",
        "New Brunswick",
        "Newfoundland",
        "Nova Scotia",
        "Ontario",
        "Prince Edward Island",
        "Qu[eé]bec",
        "Saskatchewan",
    ),
    "united-kingdom": ("FCDO", "Foreign Office"),
    "sweden": ("Sida",),
    "norway": ("Norad",),
    "denmark": ("Danida",),
    "japan": ("JICA",),
    "south-korea": ("KOICA",),
}
# Never donors: the aggressor and its allies. A figure whose only actor is one of them is skipped.
_HOSTILE = (
    "Russland(?:s)?",
    "Russia(?:'s)?",
    "Moskau",
    "Moscow",
    "Kreml(?:s)?",
    "Kremlin",
    "Iran(?:s)?",
    "Teheran",
    "Tehran",
    "Nordkorea(?:s)?",
    "North Korea",
    "Pjöngjang",
    "Pyongyang",
    "Belarus",
    "Weißrussland",
    "Minsk",
    # "setzte der Feind 476 Drohnen ein": the enemy in Ukrainian reports.
    "der Feind",
    "den Feind",
    "des Feindes",
    "the enemy",
    "russische[nr]? (?:Armee|Truppen|Streitkräfte)",
    "Russian (?:forces|troops|army)",
)
_LOCATIVE_RE = re.compile(
    # "at Rzeszów, Poland": a town, then its country; not "In June, Canada announced".
    r"(?:\b(?:in|im|nach|bei|near|to|at)\s+(?:den|der|die|dem|the)?\s*"
    rf"(?:(?!{MONTH_PATTERN}\b)(?-i:[A-ZÄÖÜ][\w'’-]+,\s*))?)$",
    re.IGNORECASE,
)
# "the Polish port of Gdańsk", "an der polnischen Grenze": a place of that country.
_PLACE_NOUN_AFTER_RE = re.compile(
    r"(?:-\w+)?\s+(?:port|border|harbou?r|city|town|hafen\w*|grenz\w*|stadt)\b"
    # A scheme named after a country: "the Danish model", "nach dem dänischen Modell".
    r"|\s+(?:model|modell\w*)\b",
    re.IGNORECASE,
)
# A dateline's place: "RZESZÓW, Poland — Sixty trucks donated by Norway ...".
# (In capitals, as wire copy sets it: not "In June, Canada announced".)
_DATELINE_PLACE_RE = re.compile(
    r"^\W*(?-i:[A-ZÀ-Þ][A-ZÀ-Þ'’.-]{2,})(?:\s+(?-i:[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+))*,\s*$"
)
# "die Regierung in Den Haag", "the government in Warsaw": the seat speaks for the country.
_SEAT_OF_RE = re.compile(
    r"\b(?:regierung|government|kabinett|cabinet|ministerium|ministry|parlament|parliament)"
    r"\s+in\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_EU_NEARBY_RE = re.compile(r"\bEU\b|Europäische|European|Kommission|Commission")
_WORD_BEGIN_RE = re.compile(r"(?<![^\W_])[^\W\d_]")
_BOUNDARY_AFTER = r"(?![^\W_])"


class NamedDonor(Protocol):
    """A donor row, or anything else with its slug and name (``name_de``, ``iso2`` and
    ``kind`` are read where present)."""

    @property
    def slug(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class DonorEntry:
    slug: str
    name: str
    name_de: str
    iso2: str
    kind: str


@dataclass(frozen=True)
class Mention:
    """A donor (or a hostile actor, slug HOSTILE) named in a text."""

    start: int
    end: int
    slug: str
    strong: bool
    text: str


class DonorIndex:
    """The donors one can name, compiled into one pattern per language."""

    def __init__(
        self, donors: Iterable[NamedDonor], *, aliases: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.entries: dict[str, DonorEntry] = {}
        for donor in donors:
            entry = _entry_of(donor)
            self.entries[entry.slug] = entry
        # (name, slug): names editors' pledges showed standing for a donor (donor_names_of).
        self.aliases = tuple(aliases)
        self.by_iso2 = {entry.iso2: entry for entry in self.entries.values() if entry.iso2}
        self._patterns = {language: self._compile(language) for language in ("de", "en")}

    def mentions_find(self, text: str, *, language: str) -> list[Mention]:
        """Every donor and hostile actor named in ``text``, places after "in"/"to" left out."""
        patterns, groups = self._patterns["en" if language == "en" else "de"]
        mentions = []
        end = 0
        for begin in _WORD_BEGIN_RE.finditer(text):
            start = begin.start()
            pattern = patterns.get(text[start])
            if start < end or pattern is None:
                continue
            match = pattern.match(text, start)
            if match is None or match.lastgroup is None:  # each alternative is a named group
                continue
            end = match.end()
            slug, strong, is_place = groups[match.lastgroup]
            if _PLACE_NOUN_AFTER_RE.match(text, end) or (
                is_place
                and (
                    (
                        _LOCATIVE_RE.search(text, max(0, start - 40), start)
                        and not _SEAT_OF_RE.search(text, max(0, start - 30), start)
                    )
                    or _DATELINE_PLACE_RE.match(text, 0, start)
                )
            ):
                continue
            if slug == "brussels":
                # The seat of the EU and NATO: the EU only when the sentence speaks of it.
                if not _EU_NEARBY_RE.search(text):
                    continue
                slug = "eu-institutions"
            if slug != HOSTILE and slug not in self.entries:
                continue
            mentions.append(Mention(start, end, slug, strong, match.group()))
        return mentions

    def _compile(
        self, language: str
    ) -> tuple[dict[str, re.Pattern[str]], dict[str, tuple[str, bool, bool]]]:
        # One pattern per first letter, since one pattern of two hundred alternatives tried at
        # every word is what made this slow; within it the longest comes first, since the
        # first alternative that matches wins ("NATO-Verbündete" before "NATO").
        alternatives = [
            *self._name_alternatives(language),
            *_adjective_alternatives(language),
            *_fixed_alternatives(language),
            *((re.escape(name), slug, False, False) for name, slug in self.aliases),
        ]
        alternatives.sort(key=lambda alternative: len(alternative[0]), reverse=True)
        groups = {}
        buckets: dict[str, list[str]] = {}
        for number, (pattern, slug, strong, is_place) in enumerate(alternatives):
            groups[f"d{number}"] = (slug, strong, is_place)
            for letter in _first_letters(pattern):
                buckets.setdefault(letter, []).append(f"(?P<d{number}>{pattern})")
        compiled = {
            letter: re.compile(f"(?:{'|'.join(parts)}){_BOUNDARY_AFTER}")
            for letter, parts in buckets.items()
        }
        return compiled, groups

    def _name_alternatives(self, language: str) -> list[_Alternative]:
        alternatives = []
        for entry in self.entries.values():
            name = entry.name_de if language == "de" and entry.name_de else entry.name
            if not name.lstrip()[:1].isalpha():
                # Names are looked for where a word starts with a letter: one that starts
                # otherwise ("3M", a quotation mark, markup) can never be found there.
                continue
            is_place = entry.kind == "country"
            alternatives.append(
                (_name_pattern(name, language=language), entry.slug, True, is_place)
            )
        return alternatives


#: (pattern, slug, strong, is_place)
_Alternative = tuple[str, str, bool, bool]


def _adjective_alternatives(language: str) -> list[_Alternative]:
    alternatives = []
    for slug, (german, english) in _ADJECTIVES.items():
        if language == "de":
            for stem in german.split("|"):
                first = stem[0]
                pattern = f"[{first.lower()}{first.upper()}]{re.escape(stem[1:])}(?:e[nrsm]?)?"
                alternatives.append((pattern, slug, True, False))
            if slug == "switzerland":
                alternatives.append(("Schweizer", slug, True, False))
        else:
            alternatives.append((re.escape(english), slug, True, False))
    return alternatives


def _fixed_alternatives(language: str) -> list[_Alternative]:
    """Places, capitals, organisations, weak names and hostile actors."""
    alternatives = []
    for slug, (german_patterns, english_patterns) in _PLACES.items():
        for pattern in german_patterns if language == "de" else english_patterns:
            alternatives.append((pattern, slug, True, True))
    for slug, patterns in _CAPITALS.items():
        for pattern in patterns:
            alternatives.append((pattern, slug, True, True))
    alternatives.append(("Brüssel" if language == "de" else "Brussels", "brussels", True, True))
    for slug, patterns in _ORGANISATIONS.items():
        for pattern in patterns:
            alternatives.append((pattern, slug, True, False))
    alternatives += _people_alternatives(language)
    for slug, patterns in (*_WEAK.items(), *_OFFICIALS.items(), *_INSTITUTIONS.items()):
        for pattern in patterns:
            alternatives.append((pattern, slug, False, False))
    alternatives += [(pattern, HOSTILE, True, True) for pattern in _HOSTILE]
    return alternatives


def _people_alternatives(language: str) -> list[_Alternative]:
    # Blank where the word is already a name or an adjective ("Polen", "Dutch").
    words = (
        (slug, german if language == "de" else english)
        for slug, (german, english) in _PEOPLE.items()
    )
    return [(people, slug, True, False) for slug, people in words if people]


def _first_letters(pattern: str) -> str:
    """The letters a name pattern can start with: "[bB]ritisch" -> "bB", "NATO" -> "N"."""
    if pattern.startswith("["):
        letters = pattern[1 : pattern.index("]")]
    else:
        letters = pattern[1] if pattern.startswith("\\") else pattern[0]
    if not all(letter.isalpha() for letter in letters):
        raise ValueError(f"A donor pattern must start with a letter: {pattern!r}")
    return letters


def _name_pattern(name: str, *, language: str) -> str:
    """A donor's name, declined: "Deutschlands", "den Niederlanden", "der Vereinigten Staaten"."""
    words = name.split()
    parts = []
    for position, word in enumerate(words):
        escaped = re.escape(word)
        last = position == len(words) - 1
        if language == "de":
            if not last and word.endswith("e"):
                escaped += "[nrsm]?"
            elif last:
                escaped += "(?:s|es|n)?"
        elif last:
            escaped += "(?:'s)?"
        parts.append(escaped)
    return r"\s+".join(parts)


@cache
def reference_donors() -> tuple[DonorEntry, ...]:
    """The donors of fixtures/reference.json: the default when no Donor table is at hand."""
    path = Path(settings.BASE_DIR) / "fixtures" / "reference.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        DonorEntry(
            slug=record["fields"]["slug"],
            name=record["fields"]["name"],
            name_de=record["fields"].get("name_de", ""),
            iso2=record["fields"].get("iso2", ""),
            kind=record["fields"].get("kind", "country"),
        )
        for record in records
        if record["model"] == "tracker.donor"
    )


def donor_index_of(
    donors: Iterable[NamedDonor], *, aliases: Iterable[tuple[str, str]] = ()
) -> DonorIndex:
    """The index of these donors (and learned ``aliases``), built once per distinct set."""
    return _donor_index_cached(tuple(_entry_of(donor) for donor in donors), tuple(aliases))


@lru_cache(maxsize=8)
def _donor_index_cached(
    entries: tuple[DonorEntry, ...], aliases: tuple[tuple[str, str], ...]
) -> DonorIndex:
    # Compiling the name patterns takes longer than reading an article: keyed by the rows'
    # values, an edited Donor table gets a fresh index and an unchanged one reuses it.
    return DonorIndex(entries, aliases=aliases)


def donor_names_of(
    records: Iterable[tuple[str, str, str]], *, index: DonorIndex
) -> tuple[tuple[str, str], ...]:
    """Names that stood for a donor in sentences editors recorded a pledge of it from, where
    the sentence names the donor no other way: an official after a title ("Ressortchef
    Tremblay"), an agency's acronym ("die UKEF"). ``records`` are (sentence, donor slug,
    language). A name recorded for two donors is no guide and is left out."""
    slugs: dict[str, set[str]] = {}
    for text, slug, language in records:
        if any(m.slug == slug for m in index.mentions_find(text, language=language)):
            continue
        for match in _ACTOR_NAME_RE.finditer(text):
            name = match.group("name") or match.group("acronym")
            if name and len(name) > 2 and not index.mentions_find(name, language=language):
                slugs.setdefault(name, set()).add(slug)
    return tuple(sorted((name, found.pop()) for name, found in slugs.items() if len(found) == 1))


# A person after the title that makes them an actor, or an acronym standing alone.
_ACTOR_NAME_RE = re.compile(
    r"(?:[Mm]inister\w*|[Kk]anzler\w*|[Pp]räsident\w*|[Rr]essortchef\w*|[Ss]ecretary"
    r"|[Cc]hancellor|[Pp]resident|[Pp]remier)\s+(?:[A-ZÄÖÜ][\w-]+\s+)?(?P<name>[A-ZÄÖÜ][\w-]+)"
    r"|(?<![\w-])(?P<acronym>[A-Z][A-Za-z]?[A-Z]{1,4})(?![\w-])"
)


def reference_index() -> DonorIndex:
    return donor_index_of(reference_donors())


def _entry_of(donor: NamedDonor) -> DonorEntry:
    return DonorEntry(
        slug=donor.slug,
        name=donor.name,
        name_de=getattr(donor, "name_de", "") or "",
        iso2=getattr(donor, "iso2", "") or "",
        kind=getattr(donor, "kind", "country") or "country",
    )


@cache
def category_tops() -> dict[str, str]:
    """Each category slug of fixtures/reference.json with the slug of its top-level category."""
    path = Path(settings.BASE_DIR) / "fixtures" / "reference.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return {
        record["fields"]["slug"]: (record["fields"].get("parent") or [record["fields"]["slug"]])[0]
        for record in records
        if record["model"] == "tracker.category"
    }


# Categories: (slug, pattern) in priority order, matched on lower-cased text. German compounds
# carry the keyword inside ("Militärhilfepaket", "Artilleriegeschosse"), so German stems are
# matched anywhere in a word; short English words need word boundaries.
SPECIFIC_CATEGORIES: tuple[tuple[str, str], ...] = (
    (
        "military-financing",
        r"militärfinanzierung|military financing|\bfmf\b|rüstungsindustrie|defen[cs]e industr"
        r"|produktion in der ukraine|production (?:of [\w\s-]{0,30})?in ukraine"
        # The European Peace Facility, which refunds the arms its members send; NATO's list of
        # US weapons that allies pay for, and the Danish model of paying Ukraine's makers.
        r"|friedensfazilität|peace facility|\bepf\b|\bpurl\b|prioriti[sz]ed ukraine requirements"
        r"|dänische\w* modell|danish model",
    ),
    (
        "ammunition",
        r"munition|granate|geschoss|\bschuss\b|\bshells?\b|\brounds\b|patrone|cartridge"
        r"|\bammo\b|projektil|projectile|\bbombs?\b|bomben|\bjdams?\b|excalibur|\bgmlrs\b"
        r"|zünder|\bfuzes?\b|sprengstoff|explosives",
    ),
    (
        "air-defence",
        r"luftverteidigung|luftabwehr|flugabwehr\w*|raketenabwehr|air[- ]defen[cs]e|anti-aircraft"
        r"|flakpanzer|drohnenabwehr\w*|counter-drone|anti-drone"
        r"|patriot|iris-t|nasams|gravehawk|samp/t|skynex|gepard|stinger|\bhawk\b|abfangrakete"
        r"|interceptor|surface-to-air|boden-luft|\bflak\b|skyranger|sidewinder|aim-9|aim-7"
        r"|sea sparrow|crotale|mistral|starstreak|\brapier\b|\bavenger\b|\bc-ram\b"
        r"|flugabwehrrakete|anti-air|\baster\b|feuereinheit|\bfire units?\b|stormer"
        r"|air surveillance|luftraumüberwachung"
        r"|lightweight multirole|\blmm\b|martlet",
    ),
    (
        "long-range-weapons",
        r"langstrecken|marschflugkörper|taurus|atacms|storm shadow|scalp|cruise missile"
        r"|long-range|weitreichend|tomahawk|\bjassm|ballistische|ballistic missile",
    ),
    (
        "drones",
        r"drohne|\bdrones?\b|\buavs?\b|unmanned|uncrewed|\bfpv\b|switchblade"
        # "1,500 Kestrel loitering munitions": drones, whatever the last word says.
        r"|loitering(?:\s+munitions?)?"
        r"|phoenix ghost|kamikaze|bayraktar|quadcopter|quadrokopter",
    ),
    (
        "artillery",
        r"artillerie|haubitze|howitzer|artillery|raketenwerfer|himars|\bmlrs\b|caesar"
        r"|pzh ?2000|mörser\b|mortars?\b(?!\s+(?:bombs|rounds|shells|ammunition))|\bm777"
        r"|\bm109|\bkrab\b|zuzana|\bmars ?ii"
        r"|rocket launcher|werfer\b|geschütz|\bguns\b",
    ),
    (
        "armoured-vehicles",
        r"panzer(?!abwehr|faust)|(?<!water )(?<!fuel )(?<!storage )\btanks?\b|armou?red|leopard"
        r"|marder|bradley|abrams|gefechtsfahrzeug"
        r"|challenger|\bcv ?90|\bapcs?\b|\bifvs?\b|gepanzert|combat vehicles|stryker|mrap"
        r"|bridging vehicle|bridge-laying|brückenleg|\bm113|personnel carrier|fighting vehicle"
        r"|\bbmp|\bbtr|\bpuma\b|\bboxer\b|\bdingo|\bmastiff|bushmaster|maxxpro|\bpatria"
        r"|\bt-(?:55|64|72|80)|\bpt-91|\bamx|\bkirpi|protected (?:mobility )?vehicles",
    ),
    (
        "aircraft",
        r"kampfjet|kampfflugzeug|flugzeug|\bjets?\b|fighter|aircraft|f-16|mirage|gripen"
        r"|hubschrauber|helikopter|helicopter|\bplanes?\b|\bmig-29|\bsu-2[457]|\bl-39"
        r"|flieger\b|flugger",
    ),
    (
        "naval",
        r"marine\b|kriegsschiff|\bschiffe\b|\bboote\b|patrouillenboot|minenjagd|naval|\bnavy\b"
        r"|warship|\bships?\b|\bboats?\b|vessel|korvette|corvette|minehunter|minenjäger"
        r"|harpoon|anti-ship|seeziel|küstenschutz|coastal defen[cs]e|seedrohne|sea drone",
    ),
    (
        "training",
        r"ausbildung|ausbilden|ausgebildet|\btraining\b|\btrain\b|\btrained\b|schulung"
        r"|ausbilder|instructors?\b|trainingsmission|training mission",
    ),
    (
        "budget-support",
        r"budgethilfe|haushaltshilfe|budgetunterstützung|haushaltsunterstützung|budget support"
        r"|ukrainischen haushalt|staatshaushalt|state budget|ukraine's budget|makrofinanz"
        r"|macro-financial|ukraine[- ]fazilität|ukraine facility|gehälter|salaries|pensions"
        r"|renten\b|sozialausgaben|social (?:payments|spending)|public servants|direct budget"
        r"|laufenden haushalt|running the (?:ukrainian )?state"
        r"|keep(?:ing)? the (?:ukrainian )?state",
    ),
    ("guarantees", r"(?<!sicherheits)garantie|(?<!security )guarantee"),
    # (A Swiss "Verpflichtungskredit", "Nachtragskredit" or "Rahmenkredit" is a budget credit.)
    ("loans", r"(?<!verpflichtungs)(?<!nachtrags)(?<!rahmen)kredit|darlehen|\bloans?\b|\bcredit\b"),
    ("grants", r"zuschuss|zuschüsse|\bgrants?\b|schenkung|non-repayable|nicht rückzahlbar"),
    (
        "reconstruction",
        r"wiederaufbau|reconstruction|rebuild|recovery|wiederherstell|instandsetz|restoration"
        r"|infrastruktur|infrastructure",
    ),
    (
        "food",
        r"lebensmittel|nahrungsmittel|getreide|\bfood\b|\bgrain\b|nahrung|\bmeals?\b"
        r"|mahlzeit|rations\b|essenspaket|weizen|wheat|\bmehl\b|flour|saatgut|\bseeds\b"
        r"|hunger|welternährungsprogramm|world food programme",
    ),
    (
        "medical",
        r"medizin|medikament|krankenwagen|rettungswagen|krankenh|spital|medical"
        r"|medicine|ambulance|hospital|lazarett|sanitäts|arznei|verbandsmaterial|first aid"
        r"|erste-hilfe|erste hilfe|prothese|prosthe|rehabilitation|gesundheit|health"
        r"|verwundete|wounded|defibrillat|tourniquet|blutkonserv|trauma|ärzt|doctors?\b"
        r"|medic\b|medics\b|inkubator|incubator|rollstuhl|rollstühle|wheelchair|ultraschall"
        r"|ultrasound|röntgen|x-ray|beatmung|ventilator",
    ),
    (
        "shelter",
        r"unterkunft|unterkünfte|flüchtling|geflüchtete|vertriebene|shelter|refugee"
        r"|displaced|wohncontainer|notunterk|notquartier|housing|wohnraum|blankets?\b|wolldecken",
    ),
    (
        "energy",
        r"energie|generator|heizger|winterhilfe|winter aid|power grid|electricity"
        r"|\benergy\b|heating|transformer|transformator|solar|lantern|laterne|stromnetz"
        r"|stromversorgung|stromerzeug|umspannwerk|kraftwerk|power plant|substation"
        r"|aggregat|gasturbine|gas turbine|heizkraft|fernwärme|heizung|brennstoff|\bfuel\b"
        r"|\bgas\b|erdgas|power equipment|power station|\bgrid\b|netzbetreiber|ukrenergo"
        r"|naftogaz|öfen\b|stoves?\b|boilers?\b|kessel\b",
    ),
    (
        "humanitarian-other",
        r"minenräum|entminung|demining|mine[- ]clear|räumung von (?:land)?minen|mine action"
        r"|feuerwehr|fire ?engines?|fire ?fighting"
        r"|löschfahrzeug|katastrophenschutz|civil protection|rescue|bergung|schulbus|school bus"
        r"|hygiene",
    ),
    # Equipment of an army that is no weapon: kitchens, trucks, night sights, body armour.
    (
        "military-other",
        r"feldküche|field kitchen|wasseraufbereitung|water purification|lastwagen|\blkw\b"
        r"|\btrucks?\b|pickups?\b|nachtsicht|night[- ]vision|wärmebild|thermal imag"
        r"|schutzweste|body armou?r|helme\b|helmets?\b|satellit|starlink|minensuch"
        r"|mine detector|pontonbrücke|pontoon|funkgerät|\bradios\b|tarnnetz|camouflage"
        r"|uniform|winterbekleidung|winter clothing|cold[- ]weather|kälteschutz|feldbett"
        r"|field beds?|\bcots\b|schlafsäck|sleeping bags?|stiefel|\bboots\b|geländewagen"
        r"|off-road|\bjeeps?\b|humvee|militärfahrzeug|military vehicles"
        r"|\bzelte\b|\btents?\b|bagger|excavator|bulldozer"
        r"|electronic warfare|elektronische kampfführung"
        r"|handfeuerwaffen|small arms|gewehre|rifles?\b|maschinengewehr|machine guns?"
        r"|panzerabwehr|anti-tank|javelin|\bnlaw|panzerfaust|carl gustaf|\bat4\b",
    ),
)
GENERAL_CATEGORIES: tuple[tuple[str, str], ...] = (
    (
        "humanitarian",
        r"humanitär|humanitarian|nothilfe|emergency aid|hilfsgüter|katastrophen|disaster relief"
        # An aid convoy carries relief ("Zwölfter Hilfskonvoi erreicht die Ukraine").
        r"|hilfskonvoi|hilfstransport|aid convoy|relief convoy|\bthw\b|technische[sn]? hilfswerk",
    ),
    ("financial", r"finanzhilfe|finanziell|financial|wirtschaftshilfe|economic (?:aid|support)"),
    (
        "military",
        r"militär|military|waffe|weapon|rüstung|ertüchtigung|sicherheitsunterstützung"
        r"|security (?:assistance|aid)|verteidigung|defen[cs]e",
    ),
)
SPECIFIC_RE = [(slug, re.compile(pattern)) for slug, pattern in SPECIFIC_CATEGORIES]
GENERAL_RE = [(slug, re.compile(pattern)) for slug, pattern in GENERAL_CATEGORIES]

# Between the words of a phrase below, "(?:[^.;]|\.(?=\s?\w))": anything but the end of a
# sentence or a clause, and the dots of "250.000 Euro", "19. November" and "Mio. Euro".
PENDING_APPROVAL_RE = re.compile(
    r"\b(?:(?:still|yet)\s+(?:has|have|needs?)\s+to\s+be\s+approved|(?:still|yet)\s+to\s+be"
    r"\s+approved|pending\s+(?:\w+\s+)?approval|subject\s+to\s+(?:\w+\s+)?approval"
    r"|awaits?\s+(?:\w+\s+)?approval|muss(?:en)?\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?noch\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?"
    r"(?:genehmigt|gebilligt|beschlossen|bewilligt|zugestimmt)\s+werden|noch\s+zustimmen"
    r"|vorbehaltlich\s+der\s+zustimmung|zustimmung\s+(?:des|der)\s+\w+\s+steht\s+noch\s+aus"
    r"|unter\s+(?:dem\s+)?vorbehalt|(?:muss|müssen|müssten?)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?noch\s+"
    r"(?:(?:[^.;]|\.(?=\s?\w)){0,40}\s)?(?:genehmigen|zustimmen|billigen|bewilligen|beschließen|absegnen"
    r"|entscheiden)|(?:must|has|have)\s+(?:still|yet)\s+(?:to\s+)?decide|yet\s+to\s+decide"
    r"|(?:soll|solle|sollen)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?(?:beschlossen|genehmigt|bewilligt|gebilligt)"
    r"\s+werden|expected\s+to\s+(?:vote|be\s+approved)|vote\s+on"
    r"|darüber\s+(?:entscheidet|entscheiden|stimmt|stimmen|befindet|befinden)"
    # "..., über die der Kreistag am 11. Dezember abschließend entscheidet".
    r"|,\s*über\s+(?:die|den|das|welche\w*)\s+(?:[^.;]{0,80}\s)?(?:entscheidet|entscheiden|abstimmt)"
    r"|seek(?:s|ing)?\s+(?:\w+\s+){0,2}approval|(?:still|yet)\s+(?:needs?|requires?)\s+"
    r"(?:[\w']+\s+){0,3}(?:approval|consent|backing)"
    # "once its parliament approves the budget", "ask parliament to approve", "subject to
    # final votes in both chambers".
    r"|once\s+(?:its\s+|the\s+)?(?:parliament|congress|legislature|bundestag|riksdag|storting"
    r"|house|senate)\s+(?:approves|passes|votes)|ask\w*\s+(?:\w+\s+)?parliament\s+to\s+approve"
    r"|subject\s+to\s+(?:\w+\s+)?votes?)",
    re.IGNORECASE,
)
# Asked for, debated, considered: a proposal, and so is a future of it ("soll ... beraten").
DELIBERATION_RE = re.compile(
    r"\b(?:forder\w*|gefordert|diskut\w*|debatt\w*|bedingung\w*|vorgeschlagen|beraten|berät"
    r"|berieten|im gespräch|schlug\w*\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?vor|prüf(?:t|e|en|te|ten)"
    r"|vorschl[aä]g\w*|appell\w*|erw[äo]g\w*|könnte[n]?|propos\w*|calls? for|called for"
    r"|geprüft|beantrag\w*|under review|under consideration|in erwägung|auf eis|on hold"
    # A budget's draft, before parliament passes it: "sieht der Entwurf ... vor".
    r"|\w*entwurf\w*|draft budget|budget draft"
    # ("speaking on condition of anonymity to discuss logistics" is no deliberation.)
    r"|urg(?:e|es|ed|ing)|debat\w*|(?<!to )discuss\w*|consider(?:s|ed|ing)?|could|might)\b",
    re.IGNORECASE,
)
# A decision still to be taken: "soll der Ausschuss im Januar entscheiden", "will decide
# whether to lend"; with a word of the future, a proposal.
DECISION_RE = re.compile(
    r"\b(?:entscheiden|entschieden\s+werden|abstimmen|decide|vote)\b", re.IGNORECASE
)
# Stages, checked in this order: a debate is not yet anything else; a figure that is both
# approved and paid out ("released ... previously approved funds") has reached the later stage;
# anything else reads as a pledge. Participles that are still to come ("geliefert werden",
# "to be delivered") are not deliveries.
# Goods on their way: allocated, and for stages.stage_guess what a word of giving beside them
# does not make delivered.
ON_ITS_WAY = r"auf de[mn] weg|en route|in transit|on (?:its|their) way|unterwegs"
ON_ITS_WAY_RE = re.compile(rf"\b(?:{ON_ITS_WAY})\b", re.IGNORECASE)
# Delivery said in the future ("sollen bis Ende 2026 eintreffen", "will be delivered by
# February"): when the goods arrive, not what the money set aside buys.
FUTURE_DELIVERY_RE = re.compile(
    r"\b(?:geliefert|ausgeliefert|übergeben|eintreffen|ankommen|delivered|handed over|arrive"
    r"|reach\s+(?:ukraine|kyiv|the front))\b",
    re.IGNORECASE,
)
# "geliefert werden", "ausgeliefert wird ... erst im kommenden Jahr": still to come.
_NOT_PASSIVE_FUTURE = r"(?!\s+(?:werden|wird|zu werden|worden sein))"
STAGE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Awaiting a parliament's or the member states' approval: proposed, even where the same
    # clause says "approved" ("still has to be approved").
    ("proposed", PENDING_APPROVAL_RE),
    ("proposed", DELIBERATION_RE),
    (
        "delivered",
        re.compile(
            # "der Ukraine ... zu überlassen": what is to be done, not what was.
            # "noch nicht übergeben", "not yet delivered": still to come.
            rf"\b(?<!zu )(?<!nicht )(?:geliefert|bereitgestellt|ausgezahlt|überwiesen|übergeben"
            rf"|geleistet|überlassen|zahlte[n]?\b.*\baus|stellte[n]?\b.*\bbereit|lieferte[n]?|übergab(?:en)?"
            rf"|überließ(?:en)?|erhielt(?:en)?|eingetroffen|angekommen|ausgerüstet|ausgestattet"
            rf"|ausbezahlt|flossen|floss|geflossen|aufgewendet|ausgeliefert|abgegeben|geschickt"
            # Spent, put in, taken on, transferred: "hat ... in die Energieversorgung gesteckt",
            # "beigesteuert", "Garantien übernommen", "nach Czernowitz überstellt".
            rf"|gesteckt|beigesteuert|übernommen|überstellt|abgeflossen|abgerufen"
            # "gingen an das Welternährungsprogramm", "wurden aus dem Fonds finanziert".
            rf"|ging(?:en)?\s+an|wurden\s+(?:[^.;]{{0,60}}\s)?finanziert"
            rf"|(?<!weg )gebracht|gespendet|geschenkt|gelieferte[nmrs]?|übergebene[nmrs]?"
            rf"|ging(?:en)?\s+(?:[^.;]{{0,60}}\s)?an\s+die\s+ukraine|im\s+einsatz|überwies(?:en)?"
            # "hat ... insgesamt 4,9 Millionen Euro zur Verfügung gestellt".
            rf"|zur\s+verfügung\s+gestellt)\b"
            rf"{_NOT_PASSIVE_FUTURE}"
            r"|\b(?:die ukraine|kiew|die front)\s+erreicht\b"
            # "are already in Ukraine", "sind inzwischen in der Ukraine".
            r"|\b(?:is|are|was|were|ist|sind|war|waren)\s+(?:(?:already|now|bereits|schon|inzwischen)"
            r"\s+)?in\s+(?:der\s+)?(?:ukraine|kyiv|kiew|the country)\b"
            # "are already with Ukrainian units", "had reached families".
            r"|\b(?:is|are|was|were)\s+(?:already\s+|now\s+)?with\s+(?:ukrainian|the)\s+"
            r"(?:units|troops|forces|brigades)\b|\b(?:has|have|had)\s+(?:now\s+)?reached\b"
            r"|\bhanded back\b"
            r"|\b(?:hat|haben|hatte|hatten)\b[^;]{0,120}?\b(?:erhalten|erreicht|unterstützt)\b"
            # "zahlte 500 Millionen Kronen in den Fonds ein", "überführt", "kamen".
            r"|\bzahlte[n]?\b(?:[^.;]|\.(?=\s?\w)){0,120}\bein\b|eingezahlt|überführt|\bkamen\b"
            r"(?!\s+(?:soll|werden|wird))|\berhalten\s+(?:hat|haben|hatte|hatten)\b"
            r"|(?<!\bbe )(?<!\bbe\s)(?<!not )(?<!yet )\b(?:delivered|provided|disbursed|supplied"
            r"|handed over|transferred|shipped|released|sent|received|arrived|paid out|paid(?! for)"
            r"|gifted|given|donated|contributed|distributed|(?:has|have|had) channell?ed|brought"
            # Paid and spent: "die Niederlande zahlten 48 Mio. Euro", "bislang 41 Millionen
            # Euro ausgegeben", "hat die Ausbildung mitfinanziert".
            r"|mitfinanziert|ausgegeben|zahlten|zahlte(?!\w)"
            r"|handed to|handed out|went over|went to|gave|lent"
            r"|(?:has|have|had) (?:now )?spent)\b(?! that)"
            r"|\breached\s+(?:ukraine|kyiv|kiev|the front|(?-i:[A-Z])[\w-]+)",
            re.IGNORECASE,
        ),
    ),
    (
        "allocated",
        re.compile(
            r"\b(?:bewilligt|genehmigt|beschlossen|verabschiedet|freigegeben|eingeplant"
            r"|zweckgebunden|zugewiesen|vergeben|bestellt|approved|allocat(?:ed|es|ing)"
            r"|earmark(?:ed|s|ing)|contracted|veranschlagt"
            # Swiss: "hat 5 Millionen Franken Winterhilfe gesprochen" (granted).
            r"|(?:franken|fr\.|kredit\w*)\s+(?:[^;]{0,100}\s)?gesprochen"
            # "A second Ukraine contract, worth EUR 180 million", "signed for three fire units".
            r"|contracts?,?\s+(?:worth|valued)|signed\s+for|into\s+contracts"
            # "signed agreements worth 2.3 billion euros", "signed deals worth", "signed an
            # exchange of notes", "hat einen Kredit über 120 Millionen Euro unterzeichnet".
            r"|signed\s+(?:\w+\s+){0,2}(?:agreements|deals|exchange of notes)"
            r"|(?:kredit|darlehen|abkommen|vereinbarung)\w*\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?"
            r"unterzeichnet"
            # Being sent: "Bayern schickt zwanzig Krankenwagen", "it was sending a dozen". ("Wir
            # schicken im Frühjahr", "We are sending ... next month": still to come.)
            r"|schickt|(?:was|were)\s+sending"
            r"|awarded|ordered|appropriated|obligated|set aside|budgeted|in auftrag gegeben"
            r"|beauftragt"
            r"|geordert"
            r"|commissioned|bestellte[n]?|auftrag|gab(?:en)?\s+(?:(?:[^.;]|\.(?=\s?\w)){0,120}\s)?frei"
            r"|gebilligt|billigte[n]?|vertraglich gebunden|zugestimmt"
            r"|(?:sind|ist|waren|war)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,60}\s)?bestimmt|freizugeben"
            r"|(?:bewilligt|genehmigt|beschlossen|freigegeben)e[n]?|genehmigte[n]?|bewilligte[n]?"
            r"|adopted"
            # On the way or ready to go: given, not yet in Ukraine's hands.
            r"|" + ON_ITS_WAY + r"|in der auslieferung|under way|underway"
            r"|(?:(?:werden|wird)\s+)?(?:derzeit|gerade|zurzeit)\s+ausgeliefert"
            r"|being (?:delivered|shipped)|verladen|loaded onto"
            # Set off: "verließ der Konvoi das Depot", "left Lisbon by road", "left for Lviv".
            r"|verließ(?:en)?|verlassen|in richtung|left\s+(?:for|\w+\s+(?:for|by|bound))"
            # "A convoy ... left Vilnius on Wednesday".
            r"|left\s+(?-i:[A-Z])[\w-]+"
            r"|departed|set off|bound for|dispatched|gestartet"
            r"|vertraglich vereinbart|unter vertrag|under contract|(?<!in )order(?:s)?"
            # A contract signed is money bound: "signed a DKK 1.3 billion contract for 36
            # Bohdana"; an agreement may only promise.
            r"|signed\s+(?:(?:[^.;]|\.(?=\s?\w)){0,60}\s)?contracts?|contracts?\s+(?:was|were"
            r"|has been|have been)\s+signed"
            r"|(?:vertrag|auftrag|verträge)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?(?:unterzeichnet"
            r"|geschlossen|abgeschlossen)|contracts?\s+(?:for|with)"
            r"|unterzeichnete[n]?\s+(?:(?:[^.;]|\.(?=\s?\w)){0,60}\s)?(?:vertrag|auftrag|\w+vertrag)"
            # Loaded onto the trucks: "Geladen haben sie 14 mobile Heizcontainer".
            r"|\bgeladen|\bloaded"
            r"|(?:steh\w*|stand\w*|stünde\w*)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,100}\s)?bereit"
            r"|(?:gibt|geben)\s+(?:(?:[^.;]|\.(?=\s?\w)){0,120}\s)?frei"
            r"|ready for (?:handover|delivery))\b",
            re.IGNORECASE,
        ),
    ),
    # Said, promised or still to come: a pledge in words, which a list after it does not
    # inherit from the sentence before ("Mit dem Geld sollen ... beschafft werden").
    (
        "pledged",
        re.compile(
            r"\b(?:(?:is|are) (?:due )?to be|(?:is|are) due|(?:is|are) scheduled|auslieferung ab"
            r"|will|shall|would|soll|sollen|sollte|sollten|wird"
            r"|werden|zugesagt|zusagen"
            r"|zugesichert|versprochen|pledged?|promised?|committed|angekündigt|announced"
            r"|unveiled|kündigt\w*\s+(?:(?:[^.;]|\.(?=\s?\w)){0,80}\s)?an"
            # "sagte … weitere 30 Mio. Euro für die Winterhilfe zu."
            # (A sentence's dots before the end are of dates and abbreviations.)
            r"|sagte[n]?\s+(?:[^;]{0,120}\s)?zu(?=\s*(?:[.;,]|$)))\b",
            re.IGNORECASE,
        ),
    ),
)

# Auxiliaries of the future, a pledge only when no verb of deliberation governs the figure:
# "soll der Ausschuss beraten", "will consider" are proposals.
MODAL_RE = re.compile(r"(?:will|shall|would|soll|sollen|sollte|sollten|wird|werden)", re.IGNORECASE)

# A sentence about giving: a count of a noun we do not know is aid in kind only here.
GIVING_RE = re.compile(
    r"\b(?:\w*liefer\w*|übergeb\w*|übergab\w*|übergibt|bereitgestellt|bereitstell\w*|stellt\w*"
    r"|zugesagt|sagt\w*|zusag\w*|schick\w*|geschickt|spende\w*|gespendet|überl[äa]ss\w*"
    r"|überließ\w*|gehören|umfasst|umfasste|enthält|darunter|hinzu|dazu komm\w*|erhält"
    r"|erhielt|erhalten"
    r"|geschenkt|schenkt\w*|finanziert|deliver\w*|send\w*|sent|provid\w*|donat\w*|pledg\w*"
    r"|hand\w* over|includ\w*|compris\w*|suppl\w*|transferr?\w*|gift\w*|giv\w*|gave"
    r"|commit\w*|ship\w*|receiv\w*|contribut\w*|offer\w*|among them|ausgestattet|ausgerüstet"
    r"|equipped|folgen|follow|unterstütz\w*|order\w*|bestell\w*|beschaff\w*|kauf\w*|gekauft"
    r"|eingetroffen|angekommen|erreicht|arrived|reached|eintreffen|ankommen|arrive|arriving"
    r"|purchas\w*|buy|bought|fund\w*|bekomm\w*|bekam\w*|announc\w*|unveil\w*|earmark\w*"
    r"|approv\w*|allocat\w*|authori[sz]\w*|bewillig\w*|genehmig\w*|freigegeben|freigeben"
    r"|zugewiesen|vorgesehen|get|gets|got|gebracht|bringt|brachte\w*|abgabe|abgeben|abzugeben"
    r"|überlassung|weitergabe|replace[sd]?|ersetz\w*|sicherte\w*|zugesichert|zusicher\w*"
    r"|auf de[mn] weg|en route|in transit|dispatch\w*|unterwegs|bereit|zur verfügung"
    r"|kündigt\w*"
    r"|angekündigt)\b",
    re.IGNORECASE,
)

# Signals that a figure is a running total rather than a new commitment. The weak ones
# ("insgesamt", "in total") also sum up a new package; the strong ones never do.
RUNNING_TOTAL_RE = re.compile(
    r"\b(?:bisher|bislang|seit (?:dem )?(?:beginn|kriegsbeginn|anfang|\d{4}|februar)"
    r"|seit kriegsbeginn|kumuliert\w*|so far|to date|cumulative\w*"
    r"|since (?:the (?:start|beginning)|\d{4}|february)"
    # "seit Jahresbeginn", "bis heute", "since FY2022", "since last autumn", "since the
    # scheme began".
    r"|seit (?:jahresbeginn|jahresanfang)|bis heute|since fy\s?\d{2,4}"
    r"|since last (?:year|autumn|fall|spring|summer|winter)"
    r"|since the [\w-]+ (?:began|started|was (?:launched|set up))"
    # "Heuer sind damit bereits 21 Millionen Euro beschlossen": the total so far.
    r"|damit\s+(?:\w+\s+){0,2}(?:bereits|schon)"
    # "Seit Oktober haben wir 1.800 Generatoren geliefert", "since 1 January 2025 the
    # Department has delivered": since a month or a day, all that was given in between; not
    # "no new aid since January, when it released ...".
    rf"|(?:seit|since) (?:dem )?(?:\d{{1,2}}\.?\s*)?{MONTH_PATTERN}\b(?!,\s*(?:when|als)\b)"
    # "hat heuer bereits 260 Stromerzeuger gebracht", "already this year": this year so far.
    r"|(?:heuer|in diesem jahr|im laufenden jahr|this year)\s+(?:[\w-]+\s+){0,6}?(?:bereits|schon"
    r"|already)|(?:bereits|schon|already)\s+(?:[\w-]+\s+){0,2}?(?:heuer|in diesem jahr"
    r"|im laufenden jahr|this year)"
    # Over a period gone by: "between February 2022 and the end of December 2024", "in the
    # third quarter", "im Berichtsjahr", "im selben Zeitraum".
    r"|between\s+(?:the\s+)?(?:[\w-]+\s+){1,3}and\s+(?:the\s+end\s+of\s+)?(?:[\w-]+\s+)?\d{4}"
    r"|zwischen\s+(?:[\w-]+\s+){1,3}und\s+(?:ende\s+)?(?:[\w-]+\s+)?\d{4}"
    r"|in the (?:first|second|third|fourth|last) quarter|in the quarter|im (?:ersten|zweiten"
    r"|dritten|vierten) quartal|im berichtsjahr|im selben zeitraum|over the same period)\b",
    re.IGNORECASE,
)
AGGREGATE_RE = re.compile(
    # ("die insgesamt 50 Milliarden der Fazilität", "mit insgesamt 50 Milliarden ausgestattet":
    # what a fund or a package holds, not a running total.)
    r"\b(?:(?<!den )(?<!der )(?<!die )(?<!mit )insgesamt|in total|a total of|total of|altogether"
    r"|summier\w*\s+sich|adds?\s+up\s+to)\b|" + RUNNING_TOTAL_RE.pattern,
    re.IGNORECASE,
)
PACKAGE_RE = re.compile(r"paket|package", re.IGNORECASE)
# The US dollar written as such, not a bare "$" that may be another country's.
US_DOLLAR_RE = re.compile(
    r"US\s?\$|U\.S\.\s?\$|USD\b|\bUS[\s-]dollars?\b|\bU\.S\.\s+dollars?\b"
    r"|amerikanische[n]?\s+dollar",
    re.IGNORECASE,
)

# A figure that is a subset of the one before it ("davon", "of which").
PART_OF_RE = re.compile(
    r"\b(?:davon|darunter|darin enthalten|einschließlich|inklusive|of which|including"
    r"|among them|includes|include|included|comprises|comprised|umfasst|enthält"
    # "von denen 3 Mio. € an UNICEF gingen", "the bulk of it, €300 million".
    r"|von denen|wovon|the bulk of it|most of it|der großteil davon)\b",
    re.IGNORECASE,
)
# A sentence that opens by breaking down a figure said before: "Von dieser Summe", "Die
# übrigen 13 Milliarden", "The remaining", "The first shipment of the year comprised".
# A word for money said before, opening a sentence: "The grant", "Under this agreement",
# "Mit dem übrigen Geld", "Vom Rest".
_MONEY_SAID_BEFORE = (
    r"(?:(?:mit|aus|von|für|under|with|from|through)\s+)?(?:the|this|that|these|its|their|dem"
    r"|den|der|die|das|diese[mnrs]?|vom)\s+(?:[\w'’-]+\s+){0,3}?(?:package|grant|agreement"
    r"|money|funding|funds|contribution|loan|envelope|sum|amount|credit|paket\w*|geld\w*|beitrag\w*"
    r"|kredit\w*"
    r"|mitteln?|summe|betrag\w*|zuschuss\w*|vertrag\w*|abkommen\w*|rest)\b"
)
# Verbs of what money buys or holds.
_BUYS = (
    r"(?:pays?|paid|buys?|bought|finance[sd]?|funds|funded|covers?|covered|includ\w*|provides?"
    r"|procure[sd]?|help\w*|umfass\w*|enth[äa]lt|finanzier\w*|bezahl\w*|deck\w*|beschafft"
    r"|gekauft|gehören|sollen|soll|werden|wird|will be|are to be|is to be)"
)
# A speaker's label before what they say, in a parliament's minutes:
# "Markus Brändli, SP, Wettingen, Sprecher der Kommission: Mit dem Kredit ...".
SPEAKER_LABEL = r"(?:(?-i:[A-Z])[^:.;]{0,80}:\s+)?"
PART_OF_OPENING_RE = re.compile(
    # A paragraph's number may come first: "3. With Japan's contribution, ...", then a
    # speaker's label.
    r"^\W*(?:\d{1,2}(?:\.\d{1,2})?\.?\s+)?" + SPEAKER_LABEL +
    # "Außerdem enthält das Paket 200.000 Schuss", "Zudem sollen aus dem Paket 14 ...".
    r"(?:(?:außerdem|zudem|ferner|also|additionally)\s+(?:enthält|umfasst|sollen|soll|werden"
    r"|wird|includes|contains)\s+(?:aus\s+)?(?:das|dem|the)\s+(?:paket|package)\b"
    r"|darunter|davon|dazu gehören|das paket umfasst|das paket enthält|mit dem geld"
    # "Aus den Mitteln des Auswärtigen Amtes beschafft ...", "Damit werden ... finanziert",
    # "It pays for", "The aid, channelled through JICA, includes".
    r"|aus (?:den|diesen) mitteln|mit (?:den|diesen) (?:[\w-]+ )?mitteln"
    r"|(?:from|with) (?:these|those) funds|damit (?:werden|wird|sollen|soll)"
    r"|(?:it|this|that) (?:will )?pays? for"
    r"|the (?:aid|grant|money|funding|contribution)\b[^.;]{0,90}?\binclud\w*"
    r"|zu (?:der|dem|den) [\w-]+ gehör\w*|an bord|von dem geld|these funds|the funds"
    r"|(?:with\s+)?(?:[\w-]+'s|its|their|the) (?:contribution|money|funding)"
    r"|(?:aus|mit) (?:dem|diesem) betrag|from (?:this|that|the) amount"
    r"|mit (?:dem|diesem) (?:beitrag|geld)"
    r"|the money|that money|this money|(?:the|this) (?:new )?package (?:also )?adds"
    r"|von (?:dieser|der) summe|von diesem betrag"
    # The rest, also after a preposition: "Über die restlichen 700 Millionen Euro soll ...".
    r"|(?:(?:über|für|von|mit|of|for|on)\s+)?(?:die übrigen|die verbleibenden|die restlichen"
    r"|the remaining|the rest)|der rest"
    # One of several said before: "The largest, worth €590 million, goes to", "The third
    # contract, worth €98 million", "The largest of them".
    r"|the (?:largest|biggest|smallest|first|second|third|fourth|last)(?:\s+(?:contract|order"
    r"|package|tranche|of them))?(?=,|\s)"
    r"|die restlichen|die ersten"
    r"|der großteil|den großteil|ein teil davon|the bulk of|most of it|part of it"
    r"|(?:[\w-]+\s+){1,4}davon|(?:[\w-]+\s+){1,3}of (?:it|that|this|the money|the total|the sum)"
    r"|(?:[\w-]+\s+){1,3}of (?:them|these|those)|darin|die letzten|the last"
    r"|the package includes|the package contains|it includes|among them|of this|of that"
    r"|with the money|the remaining|the rest|the first|of the total|vom gesamtbetrag"
    # "Auf Munition entfallen 260 Millionen", "Den größten Posten bilden mit 780 Millionen",
    # "Der grösste Einzelbetrag, 24 Mio. Fr.,", "The largest single item".
    r"|(?:[\w-]+\s+){0,3}entf[äa]ll\w*|(?:der|den|die) (?:größte|grösste|größere|grössere"
    r"|kleinere)n? (?:posten|anteil|einzelbetrag|teil)"
    r"|the (?:largest|biggest|larger|bigger|smaller) (?:single )?(?:item|share|part|amount)"
    r"|(?:rund |etwa |gut |knapp |about |around |roughly )?(?:die hälfte|ein drittel|ein viertel"
    r"|zwei drittel|drei viertel|half|a third|a quarter|two thirds|three quarters)"
    r"|(?:it|es|the package|das paket)\s+(?:also\s+|auch\s+)?(?:includes|contains|umfasst|enthält)"
    r"|(?:the|die|das|der)\s+(?:[\w-]+\s+){0,5}?(?:included|includes|comprised|comprises"
    r"|contained|contains|umfasst\w*|enthält|enthielt)"
    # What money said before buys, named by a word for it: "The package will provide around
    # 1,500 generators", "The agreement covers 12 autotransformers", "Mit dem Schweizer
    # Beitrag finanziert die Caritas", "Vom Rest sollen ... geliefert werden", "It paid for".
    r"|" + _MONEY_SAID_BEFORE + r"[^.;]{0,80}?\b" + _BUYS + r"|(?:it|that|this|es)\s+(?:also\s+)?"
    r"(?:included|paid for|covered|financed|bought)"
    r"|teil des (?:pakets|paketes)|(?:[\w-]+\s+){1,4}gehören\s+(?:auch\s+)?dazu)\b",
    re.IGNORECASE,
)
# A figure named as a share of one said before: "the first tranche of £752 million".
TRANCHE_BEFORE_RE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|final|last"
    r"|further|another|erste\w*|zweite\w*|dritte\w*|vierte\w*|fünfte\w*|sechste\w*|siebte\w*"
    r"|achte\w*|neunte\w*|zehnte\w*|nächste\w*|letzte\w*|weitere\w*)\s+(?:[\w-]+\s+)?"
    r"(?:tranche|instalment|installment|rate|payment|auszahlung|zahlung)"
    r"\s+(?:of|von|über|in höhe von)?\s*$",
    re.IGNORECASE,
)
# A sentence that states what the items before it are worth: "The package, announced on
# Dec. 27, was worth $250 million", "Insgesamt umfasst das Paket 30 Millionen Franken", "Den
# Wert der Ladung beziffert die Stadt auf 380.000 Euro", "Der Auftrag hat ein Volumen von".
WHOLE_AFTER_RE = re.compile(
    r"^\W*(?:insgesamt|together|zusammen|in total|all told|the|this|these|its|der|die|das|den"
    r"|diese[rsn]?|they|sie|all of (?:this|it|them)|both|beide)\b.{0,80}?(?:\bworth|\w*wert\w*"
    r"|\bumfasst|\bvalued|\bvalue|\w*volumen|\bbeläuft|\bumfang"
    # What paid for them: "The vehicles are part of the A$245 million package", "All of this
    # equipment is financed from", "The drones are backed by £350m", "stammen aus Mitteln".
    r"|\bpart of|\bteil (?:des|eines)|\bfinanced|\bfunded|\bpaid for|\bprocured|\bbacked"
    r"|\bstamm\w*\s+aus|\bfinanziert|\bbezahlt)\b",
    re.IGNORECASE,
)

# Currencies a donor uses at home: a guess of the donor when the sentence names none, and of
# the currency for "Kronen" / "kroner" without an adjective.
HOME_CURRENCY: dict[str, str] = {
    "NO": "NOK",
    "SE": "SEK",
    "DK": "DKK",
    "GB": "GBP",
    "CH": "CHF",
    "JP": "JPY",
    "CA": "CAD",
    "AU": "AUD",
    "PL": "PLN",
    "CZ": "CZK",
    "NZ": "NZD",
    "KR": "KRW",
    "IS": "ISK",
    "HU": "HUF",
}
CURRENCY_HOME = {currency: iso2 for iso2, currency in HOME_CURRENCY.items()}
# A host of Australia, Canada or New Zealand in an article's address ("www.aph.gov.au/",
# "news.gov.mb.ca/"): its "$" is that country's dollar.
_DOLLAR_HOST_RE = re.compile(r"[\w-]\.(?P<tld>au|ca|nz)(?::\d+)?(?:/|$)", re.IGNORECASE)
_DOLLAR_OF_TLD = {"au": "AUD", "ca": "CAD", "nz": "NZD"}


# Government hosts: a page published there speaks for its country ("www.aph.gov.au/",
# "www.gov.uk/", "www.admin.ch/").
_GOVERNMENT_HOSTS = (
    (r"gov\.uk|parliament\.uk", "united-kingdom"),
    (r"gov\.au", "australia"),
    (r"gc\.ca|gov\.[a-z]{2}\.ca|ontario\.ca|quebec\.ca", "canada"),
    (r"govt\.nz|parliament\.nz", "new-zealand"),
    (r"gov\.ie|oireachtas\.ie", "ireland"),
    (r"admin\.ch|parlament\.ch", "switzerland"),
    (r"gv\.at|parlament\.gv\.at", "austria"),
    (r"bund\.de|bundesregierung\.de|bundestag\.de|auswaertiges-amt\.de|bmvg\.de", "germany"),
    (r"gouv\.fr", "france"),
    (r"government\.se|regeringen\.se|riksdagen\.se", "sweden"),
    (r"regjeringen\.no|stortinget\.no", "norway"),
    (r"\.um\.dk|fmn\.dk|ft\.dk", "denmark"),
    (r"government\.nl|rijksoverheid\.nl|tweedekamer\.nl", "netherlands"),
    (r"gov\.pl", "poland"),
    (r"mofa\.go\.jp", "japan"),
    (r"state\.gov|defense\.gov|whitehouse\.gov|congress\.gov", "united-states"),
)
_GOVERNMENT_HOST_RE = re.compile(
    r"(?:^|[/.])(?:"
    + "|".join(f"(?P<h{n}>{hosts})" for n, (hosts, _slug) in enumerate(_GOVERNMENT_HOSTS))
    + r")(?::\d+)?(?:/|$)",
    re.IGNORECASE,
)


def donor_of_url(url: str) -> str:
    """The country whose government or parliament publishes at the address, or ""."""
    found = _GOVERNMENT_HOST_RE.search(url or "")
    if not found:
        return ""
    number = next(int(name[1:]) for name, value in found.groupdict().items() if value)
    return _GOVERNMENT_HOSTS[number][1]


def home_dollar_of_url(url: str) -> str:
    """The dollar of the country whose host the address names, or ""."""
    found = _DOLLAR_HOST_RE.search(url or "")
    return _DOLLAR_OF_TLD[found["tld"].lower()] if found else ""


CROWN_CURRENCIES = {"NOK", "SEK", "DKK", "CZK", "ISK"}
