"""A synthetic corpus at scale: articles, their sentences and the pledges that cite them.

``corpus_generate`` writes ``pledges`` pledges in ``articles`` articles whose donors, categories,
stages, amounts and dates follow the Kiel Institute's item-level data (tracker/data/kiel): a
pledge is drawn from one Kiel item, so the donor mix (the United States first), the military /
financial / humanitarian split and the dates are Kiel's. Each pledge cites the sentence of its
article that states its figure; about 5% also cite a sentence of a later article that repeats it.
``corpus_purge`` removes everything the generator made (articles whose slug starts with
``corpus-``, their sentences and the pledges citing them) and nothing else.

The rows go in by COPY (PostgreSQL) or executemany (SQLite), past ``Pledge.save()``: so the EUR
figures ``save()`` would derive are computed here with the same ECB rates (``ecb_rate``), and
the historical tables (django-simple-history) stay empty for the corpus, as bulk data is not an
editor's history. Ids are assigned here, from the table's largest id on, and the sequences are
reset afterwards. The same ``seed`` on the same database gives the same rows.
"""

from __future__ import annotations

import csv
import json
import math
import random
import time
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils.text import slugify

from articles.anchoring import sentence_context
from articles.models import Article, Sentence
from tracker.fx import CENT, EcbHistory, EcbRate, ecb_rate
from tracker.models import Category, Donor, Pledge, PledgeRollup, PledgeSummary
from tracker.services.kiel import ACTIVITIES_FILE, DATA_DIRECTORY, kiel_donor_map
from tracker.services.rollup import rollup_rebuild

SLUG_PREFIX = "corpus-"
SOURCE_NAME = "generate_corpus"
# Kiel items without a date get a day in this range. It ends where the bundled ECB history
# does (2026-10-30; a pledge of Saturday 2026-10-31 gets its rate, provisionally), and before
# today.
UNDATED_FIRST = date(2022, 1, 1)
UNDATED_LAST = date(2026, 10, 31)
PLEDGES_PER_ARTICLE = 20
# Progress every ~5%: a line, and the rows so far written to the database.
PROGRESS_STEPS = 20

# The seed data a database may hold without --append: fixtures/articles.json, demo_pledges.json.
SEED_ARTICLES_FIXTURE = "articles.json"
SEED_PLEDGES_FIXTURE = "demo_pledges.json"

# Shares, in percent of pledges.
SHARE_PROPOSED = 3
SHARE_AGGREGATE = 2
SHARE_PART_OF = 3
SHARE_IN_KIND = 10
SHARE_EVIDENCE = 5
SHARE_DELIVERED = 45  # of Kiel's allocations; the others are allocated (earmarked, contracted)
SHARE_EUR_ABROAD = 15  # of pledges by donors outside the euro area, reported in euros
SHARE_PERIOD = 10  # of financial pledges, with the year they cover
SHARE_GERMAN = 60  # of articles: the tracker reads German first
SHARE_NEW_PARAGRAPH = 35
SHARE_FILLER = 25  # after a pledge's sentence, a sentence without a figure

PRECISIONS = ((Pledge.Precision.DAY, 90), (Pledge.Precision.MONTH, 8), (Pledge.Precision.YEAR, 2))
QUALIFIERS = (
    (Pledge.Qualifier.EXACT, 80),
    (Pledge.Qualifier.APPROX, 10),
    (Pledge.Qualifier.OVER, 5),
    (Pledge.Qualifier.UP_TO, 4),
    (Pledge.Qualifier.AT_LEAST, 1),
)
# A cumulative figure is rarely reported to the euro.
AGGREGATE_QUALIFIERS = (
    (Pledge.Qualifier.APPROX, 50),
    (Pledge.Qualifier.OVER, 30),
    (Pledge.Qualifier.EXACT, 20),
)
REVIEWS = ((Pledge.Review.REVIEWED, 92), (Pledge.Review.DRAFT, 8))

# Kiel's kategori -> our top category, with the sub-categories' weights within it.
SUB_CATEGORIES = {
    "Military": (
        "military",
        (
            ("ammunition", 18),
            ("air-defence", 14),
            ("drones", 14),
            ("artillery", 12),
            ("armoured-vehicles", 12),
            ("military-other", 8),
            ("training", 6),
            ("military-financing", 6),
            ("long-range-weapons", 4),
            ("aircraft", 3),
            ("naval", 3),
        ),
    ),
    "Financial": (
        "financial",
        (
            ("budget-support", 45),
            ("loans", 25),
            ("grants", 20),
            ("guarantees", 5),
            ("reconstruction", 5),
        ),
    ),
    "Humanitarian": (
        "humanitarian",
        (
            ("food", 25),
            ("medical", 25),
            ("shelter", 20),
            ("energy", 20),
            ("humanitarian-other", 10),
        ),
    ),
}

# What a figure is for, as it reads after the figure: (German, English).
CATEGORY_PHRASES = {
    "military": ("für militärische Hilfe", "in military aid"),
    "financial": ("als Finanzhilfe", "in financial aid"),
    "humanitarian": ("für humanitäre Hilfe", "in humanitarian aid"),
    "air-defence": ("für die Luftverteidigung", "for air defence"),
    "drones": ("für Drohnen", "for drones"),
    "ammunition": ("für Munition", "for ammunition"),
    "artillery": ("für Artilleriesysteme", "for artillery"),
    "armoured-vehicles": ("für gepanzerte Fahrzeuge", "for armoured vehicles"),
    "aircraft": ("für Luftfahrzeuge", "for aircraft"),
    "naval": ("für die Marine", "for the navy"),
    "long-range-weapons": ("für Langstreckenwaffen", "for long-range weapons"),
    "training": ("für die Ausbildung ukrainischer Soldaten", "for training Ukrainian soldiers"),
    "military-financing": ("zur Finanzierung von Rüstungskäufen", "to finance arms purchases"),
    "military-other": ("für militärische Ausrüstung", "for military equipment"),
    "budget-support": ("als Budgethilfe", "in budget support"),
    "loans": ("als Kredit", "in loans"),
    "grants": ("als Zuschuss", "in grants"),
    "guarantees": ("als Garantien", "in guarantees"),
    "reconstruction": ("für den Wiederaufbau", "for reconstruction"),
    "food": ("für Lebensmittelhilfe", "for food aid"),
    "medical": ("für medizinische Hilfe", "for medical aid"),
    "shelter": ("für Unterkünfte und Geflüchtete", "for shelter and refugees"),
    "energy": ("für Energie- und Winterhilfe", "for energy and winter aid"),
    "humanitarian-other": ("für humanitäre Hilfe", "for humanitarian aid"),
}

# In-kind items per sub-category: (German, English, fewest, most). Money-only categories
# (financial, military financing, training) have none.
IN_KIND_ITEMS = {
    "air-defence": (
        ("IRIS-T-SLM-Systeme", "IRIS-T SLM systems", 1, 6),
        ("Patriot-Systeme", "Patriot systems", 1, 3),
        ("Gepard-Flakpanzer", "Gepard anti-aircraft guns", 5, 30),
        ("Stinger-Raketen", "Stinger missiles", 100, 2000),
    ),
    "drones": (
        ("FPV-Drohnen", "FPV drones", 1000, 100000),
        ("Aufklärungsdrohnen", "reconnaissance drones", 50, 2000),
        ("Abfangdrohnen", "interceptor drones", 500, 20000),
    ),
    "ammunition": (
        ("Artilleriegranaten vom Kaliber 155 mm", "155 mm artillery shells", 5000, 500000),
        ("Schuss Munition", "rounds of ammunition", 100000, 10000000),
    ),
    "artillery": (
        ("Panzerhaubitzen 2000", "PzH 2000 howitzers", 2, 20),
        ("M777-Haubitzen", "M777 howitzers", 4, 50),
        ("Mehrfachraketenwerfer", "multiple rocket launchers", 2, 20),
    ),
    "armoured-vehicles": (
        ("Leopard-2-Kampfpanzer", "Leopard 2 tanks", 3, 40),
        ("Schützenpanzer", "infantry fighting vehicles", 10, 100),
        ("gepanzerte Mannschaftstransporter", "armoured personnel carriers", 10, 200),
    ),
    "aircraft": (
        ("F-16-Kampfjets", "F-16 fighter jets", 2, 24),
        ("Hubschrauber", "helicopters", 2, 20),
    ),
    "naval": (
        ("Patrouillenboote", "patrol boats", 2, 20),
        ("Minenjagdboote", "minehunters", 1, 3),
    ),
    "long-range-weapons": (
        ("Storm-Shadow-Marschflugkörper", "Storm Shadow cruise missiles", 10, 100),
        ("ATACMS-Raketen", "ATACMS missiles", 10, 100),
    ),
    "military-other": (
        ("Feldlazarette", "field hospitals", 1, 10),
        ("Militärlastwagen", "military trucks", 20, 500),
        ("Schutzwesten", "body armour vests", 1000, 100000),
    ),
    "food": (
        ("Tonnen Weizen", "tonnes of wheat", 1000, 100000),
        ("Lebensmittelpakete", "food parcels", 10000, 500000),
    ),
    "medical": (
        ("Krankenwagen", "ambulances", 5, 200),
        ("Tonnen medizinischer Hilfsgüter", "tonnes of medical supplies", 10, 1000),
    ),
    "shelter": (
        ("Wohncontainer", "housing containers", 50, 2000),
        ("Zelte", "tents", 100, 10000),
    ),
    "energy": (
        ("Stromgeneratoren", "power generators", 50, 5000),
        ("Transformatoren", "transformers", 5, 200),
    ),
    "humanitarian-other": (("Hilfspakete", "aid packages", 1000, 100000),),
}

# The currency a donor's figures are usually reported in; everyone else reports in euros.
DONOR_CURRENCIES = {
    "united-states": "USD",
    "united-kingdom": "GBP",
    "norway": "NOK",
    "sweden": "SEK",
    "denmark": "DKK",
    "switzerland": "CHF",
    "canada": "CAD",
    "japan": "JPY",
    "australia": "AUD",
    "poland": "PLN",
    "czechia": "CZK",
    "new-zealand": "NZD",
    "south-korea": "KRW",
    "hungary": "HUF",
    "romania": "RON",
    "iceland": "ISK",
    "turkiye": "TRY",
    "india": "INR",
    "china": "CNY",
    # The ECB quotes no TWD; Taiwan's aid is reported in US dollars.
    "taiwan": "USD",
}
CURRENCY_WORDS = {
    "EUR": ("Euro", "euros"),
    "USD": ("US-Dollar", "US dollars"),
    "GBP": ("Pfund", "pounds"),
    "NOK": ("norwegische Kronen", "Norwegian kroner"),
    "SEK": ("schwedische Kronen", "Swedish kronor"),
    "DKK": ("dänische Kronen", "Danish kroner"),
    "CHF": ("Franken", "Swiss francs"),
    "CAD": ("kanadische Dollar", "Canadian dollars"),
    "JPY": ("Yen", "yen"),
    "AUD": ("australische Dollar", "Australian dollars"),
    "PLN": ("Złoty", "zloty"),
    "CZK": ("tschechische Kronen", "Czech koruna"),
    "NZD": ("neuseeländische Dollar", "New Zealand dollars"),
    "KRW": ("Won", "won"),
    "HUF": ("Forint", "forint"),
    "RON": ("Lei", "lei"),
    "ISK": ("isländische Kronen", "Icelandic krónur"),
    "TRY": ("Lira", "lira"),
    "INR": ("Rupien", "rupees"),
    "CNY": ("Yuan", "yuan"),
}

# How a donor reads as the subject of a sentence, where the name alone does not: German
# (subject, plural verb), English subject.
SUBJECTS_DE = {
    "united-states": ("Die USA", True),
    "netherlands": ("Die Niederlande", True),
    "switzerland": ("Die Schweiz", False),
    "slovakia": ("Die Slowakei", False),
    "turkiye": ("Die Türkei", False),
    "united-kingdom": ("Großbritannien", False),
    "eu-institutions": ("Die EU", False),
    "european-investment-bank": ("Die Europäische Investitionsbank", False),
    "european-peace-facility": ("Die Europäische Friedensfazilität", False),
}
SUBJECTS_EN = {
    "united-states": "The United States",
    "netherlands": "The Netherlands",
    "united-kingdom": "The United Kingdom",
    "eu-institutions": "The EU",
    "european-investment-bank": "The European Investment Bank",
    "european-peace-facility": "The European Peace Facility",
}
# German verbs agree with the subject: (singular, plural).
VERBS_DE = {
    "hat": ("hat", "haben"),
    "hatte": ("hatte", "hatten"),
    "will": ("will", "wollen"),
    "erwaegt": ("erwägt", "erwägen"),
    "sagt": ("sagt", "sagen"),
    "kuendigt": ("kündigt", "kündigen"),
    "stockt": ("stockt", "stocken"),
    "legt": ("legt", "legen"),
    "gehoert": ("gehört", "gehören"),
}

QUALIFIER_WORDS: dict[str, tuple[str, str]] = {
    Pledge.Qualifier.EXACT: ("", ""),
    Pledge.Qualifier.APPROX: ("rund ", "about "),
    Pledge.Qualifier.OVER: ("über ", "over "),
    Pledge.Qualifier.AT_LEAST: ("mindestens ", "at least "),
    Pledge.Qualifier.UP_TO: ("bis zu ", "up to "),
}
# (singular, plural) per power of ten, German and English.
SCALES = (
    (10**12, ("Billion", "Billionen"), ("trillion", "trillion")),
    (10**9, ("Milliarde", "Milliarden"), ("billion", "billion")),
    (10**6, ("Million", "Millionen"), ("million", "million")),
)
MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Sentence templates: {Subj}/{subj} the donor, {Date}/{date} the announcement, {fig} the figure,
# {cat} what it is for (with a leading space, empty for in-kind figures), German verbs by name.
PLEDGE_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        Pledge.Stage.PLEDGED: (
            "{Subj} {hat} der Ukraine {date} {fig}{cat} zugesagt.",
            "{Date} {hat} {subj} der Ukraine {fig}{cat} zugesagt.",
            "{Subj} {will} der Ukraine {fig}{cat} zur Verfügung stellen, wie {date} bekannt wurde.",
        ),
        Pledge.Stage.ALLOCATED: (
            "{Subj} {hat} der Ukraine {date} {fig}{cat} bereitgestellt.",
            "{Date} {hat} {subj} der Ukraine {fig}{cat} zugewiesen.",
        ),
        Pledge.Stage.DELIVERED: (
            "{Subj} {hat} {date} {fig}{cat} an die Ukraine ausgezahlt.",
            "{Date} {hat} {subj} der Ukraine {fig}{cat} überwiesen.",
        ),
        Pledge.Stage.PROPOSED: (
            "{Subj} {erwaegt}, der Ukraine {fig}{cat} bereitzustellen, hieß es {date}.",
        ),
    },
    "en": {
        Pledge.Stage.PLEDGED: (
            "{Subj} pledged {fig} to Ukraine{cat} {date}.",
            "{Date}, {subj} promised Ukraine {fig}{cat}.",
        ),
        Pledge.Stage.ALLOCATED: (
            "{Subj} allocated {fig} to Ukraine{cat} {date}.",
            "{Date}, {subj} released {fig} to Ukraine{cat}.",
        ),
        Pledge.Stage.DELIVERED: (
            "{Subj} delivered {fig} to Ukraine{cat} {date}.",
            "{Date}, {subj} disbursed {fig} to Ukraine{cat}.",
        ),
        Pledge.Stage.PROPOSED: (
            "{Subj} is considering giving Ukraine {fig}{cat}, officials said {date}.",
        ),
    },
}
IN_KIND_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        Pledge.Stage.PLEDGED: (
            "{Subj} {hat} der Ukraine {date} {fig} zugesagt.",
            "{Date} {hat} {subj} der Ukraine die Lieferung von {fig} zugesagt.",
        ),
        Pledge.Stage.ALLOCATED: ("{Subj} {hat} {date} {fig} für die Ukraine bereitgestellt.",),
        Pledge.Stage.DELIVERED: (
            "{Subj} {hat} der Ukraine {date} {fig} geliefert.",
            "{Date} {hat} {subj} der Ukraine {fig} übergeben.",
        ),
        Pledge.Stage.PROPOSED: ("{Subj} {erwaegt}, der Ukraine {fig} zu liefern, hieß es {date}.",),
    },
    "en": {
        Pledge.Stage.PLEDGED: (
            "{Subj} pledged {fig} to Ukraine {date}.",
            "{Date}, {subj} promised to send {fig} to Ukraine.",
        ),
        Pledge.Stage.ALLOCATED: ("{Subj} set aside {fig} for Ukraine {date}.",),
        Pledge.Stage.DELIVERED: (
            "{Subj} delivered {fig} to Ukraine {date}.",
            "{Date}, {subj} handed over {fig} to Ukraine.",
        ),
        Pledge.Stage.PROPOSED: (
            "{Subj} is considering sending {fig} to Ukraine, officials said {date}.",
        ),
    },
}
AGGREGATE_TEMPLATES = {
    "de": (
        "Insgesamt {hat} {subj} der Ukraine seit Kriegsbeginn {fig}{cat} bereitgestellt, "
        "wie {date} bekannt wurde.",
    ),
    "en": (
        "In total, {subj} has provided Ukraine with {fig}{cat} since the full-scale invasion "
        "began, it said {date}.",
    ),
}
PART_TEMPLATES = {
    "de": ("Aus einem zuvor angekündigten Paket {hat} {subj} {date} {fig}{cat} vorgesehen.",),
    "en": ("Of a package announced earlier, {subj} earmarked {fig}{cat} {date}.",),
}
# A later article repeating a pledge: the pledge's further evidence.
RECAP_TEMPLATES = {
    "de": ("Wie bereits berichtet, {hatte} {subj} {date} {fig}{cat} {done}.",),
    "en": ("As reported earlier, {subj} {done} {fig}{cat} {date}.",),
}
RECAP_VERBS: dict[str, dict[str, str]] = {
    "de": {
        Pledge.Stage.PROPOSED: "in Aussicht gestellt",
        Pledge.Stage.PLEDGED: "zugesagt",
        Pledge.Stage.ALLOCATED: "bereitgestellt",
        Pledge.Stage.DELIVERED: "geliefert",
    },
    "en": {
        Pledge.Stage.PROPOSED: "considered",
        Pledge.Stage.PLEDGED: "pledged",
        Pledge.Stage.ALLOCATED: "allocated",
        Pledge.Stage.DELIVERED: "delivered",
    },
}
LEADS = {
    "de": (
        "{Subj} {stockt} die Unterstützung für die Ukraine weiter auf.",
        "Neue Zusagen für die Ukraine: {Subj} {legt} nach.",
    ),
    "en": (
        "{Subj} is stepping up its support for Ukraine.",
        "New commitments for Ukraine: {Subj} adds to its support.",
    ),
}
FILLERS = {
    "de": (
        "Der ukrainische Präsident Wolodymyr Selenskyj dankte den Partnern für ihre Unterstützung.",
        "Die Lage an der Front im Osten des Landes bleibt angespannt.",
        "Die Ankündigung erfolgte am Rande eines Treffens der Ukraine-Kontaktgruppe.",
        "Kritiker bemängeln seit Langem, dass Zusagen nur schleppend umgesetzt werden.",
        "{Subj} {gehoert} zu den wichtigsten Unterstützern der Ukraine.",
        "Ein Sprecher des Verteidigungsministeriums wollte sich zu Einzelheiten nicht äußern.",
        "Kiew hatte zuletzt dringend um mehr Unterstützung gebeten.",
        "Weitere Einzelheiten sollen in den kommenden Wochen bekannt gegeben werden.",
        "Russland setzte unterdessen seine Angriffe auf die ukrainische Energieversorgung fort.",
        "Im Parlament wurde die Entscheidung überwiegend begrüßt.",
    ),
    "en": (
        "Ukrainian President Volodymyr Zelensky thanked the partners for their support.",
        "The situation on the front line in the east of the country remains tense.",
        "The announcement came on the sidelines of a meeting of the Ukraine Defense Contact Group.",
        "Critics have long complained that commitments are slow to materialise.",
        "{Subj} is among Ukraine's most important backers.",
        "A defence ministry spokesperson declined to give further details.",
        "Kyiv had recently made an urgent appeal for more support.",
        "Further details are expected to be announced in the coming weeks.",
        "Russia meanwhile continued its attacks on Ukraine's energy infrastructure.",
        "The decision was broadly welcomed in parliament.",
    ),
}
CLOSINGS = {
    "de": (
        "Die Ukraine verteidigt sich gegen den russischen Angriffskrieg.",
        "Beobachter erwarten weitere Zusagen beim nächsten Treffen der Verbündeten.",
    ),
    "en": (
        "Ukraine is defending itself against Russia's war of aggression.",
        "Observers expect further commitments at the allies' next meeting.",
    ),
}
TITLES = {
    "de": (
        "{Subj} {sagt} der Ukraine weitere {aid} zu",
        "Ukraine-Hilfe: {Subj} {kuendigt} neues Paket an",
        "{Subj} {stockt} {aid} für die Ukraine auf",
    ),
    "en": (
        "{Subj} announces new {aid} for Ukraine",
        "Ukraine aid: {Subj} unveils new package",
        "{Subj} steps up {aid} to Ukraine",
    ),
}
AID_WORDS = {
    "military": ("Militärhilfe", "military aid"),
    "financial": ("Finanzhilfe", "financial aid"),
    "humanitarian": ("humanitäre Hilfe", "humanitarian aid"),
}
PUBLISHERS = {
    "de": ("Tagesblatt Nord", "Rheinischer Morgenkurier", "Berliner Abendecho", "Wochenschau"),
    "en": ("The Continental Post", "Baltic Ledger", "Atlantic Wire", "Eastern Europe Review"),
}
URL_BASE = "https://news.example.org/"

# Pledge kinds, decided per pledge.
NORMAL, IN_KIND, AGGREGATE, PART = range(4)


class CorpusError(Exception):
    """The corpus cannot be generated or purged here; nothing was written."""


@dataclass(frozen=True)
class CorpusStats:
    """Rows written (or deleted, for a purge) and how long it took."""

    articles: int
    sentences: int
    pledges: int
    evidence: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.articles + self.sentences + self.pledges + self.evidence

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class KielItem:
    """One aid item of Kiel's bilateral activities, reduced to what the corpus draws from it."""

    donor_name: str
    day: date | None
    kategori: str
    allocation: bool
    value_eur: float


@cache
def kiel_items() -> tuple[KielItem, ...]:
    """Kiel's items (Release 28), read once: a few thousand rows, a few milliseconds."""
    items = []
    with (DATA_DIRECTORY / ACTIVITIES_FILE).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            kategori, maal = row["kategori"].strip(), row["maal"].strip()
            if kategori not in SUB_CATEGORIES or maal not in ("Allocation", "Commitment"):
                continue
            dato = row["dato"].strip()
            items.append(
                KielItem(
                    donor_name=row["giver"].strip(),
                    day=date.fromisoformat(dato) if dato else None,
                    kategori=kategori,
                    allocation=maal == "Allocation",
                    value_eur=float(row["verdi_eur"] or 0),
                )
            )
    return tuple(items)


def corpus_seed_keys() -> tuple[frozenset[str], frozenset[int]]:
    """The slugs of the seed articles and the ids of the demo pledges, from their fixtures."""
    slugs: set[str] = set()
    pledge_ids: set[int] = set()
    for directory in settings.FIXTURE_DIRS:
        for name, keep in ((SEED_ARTICLES_FIXTURE, slugs), (SEED_PLEDGES_FIXTURE, pledge_ids)):
            path = Path(directory) / name
            if not path.exists():
                continue
            for entry in json.loads(path.read_text(encoding="utf-8")):
                if entry["model"] == "articles.article":
                    keep.add(entry["fields"]["slug"])
                elif entry["model"] == "tracker.pledge" and entry.get("pk") is not None:
                    keep.add(entry["pk"])
    return frozenset(slugs), frozenset(pledge_ids)


def corpus_extra_rows() -> tuple[int, int]:
    """Articles and pledges in the database beyond the seed fixtures (generated or not)."""
    slugs, pledge_ids = corpus_seed_keys()
    return (
        Article.objects.exclude(slug__in=slugs).count(),
        Pledge.objects.exclude(pk__in=pledge_ids).count(),
    )


def corpus_generate(
    *,
    pledges: int,
    articles: int | None = None,
    seed: int = 1,
    append: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CorpusStats:
    """Write ``pledges`` synthetic pledges in ``articles`` articles (default: one per 20).

    Refused (``CorpusError``) when the database holds articles or pledges beyond the seed
    fixtures, unless ``append``; and when the reference donors and categories are missing.
    ``progress`` receives a line about every 5% of the pledges.
    """
    if pledges < 1:
        raise CorpusError("Give at least one pledge.")
    if articles is None:
        articles = max(1, pledges // PLEDGES_PER_ARTICLE)
    if not 1 <= articles <= pledges:
        raise CorpusError(f"Give from 1 to {pledges:,} articles (one pledge at least in each).")
    if not append:
        extra_articles, extra_pledges = corpus_extra_rows()
        if extra_articles or extra_pledges:
            raise CorpusError(
                f"The database already holds {extra_articles:,} articles and "
                f"{extra_pledges:,} pledges beyond the seed data. Nothing was written: "
                "give --append to add to them, or --purge to replace an earlier corpus."
            )
    report = progress or (lambda line: None)
    started = time.perf_counter()
    builder = _Builder(seed=seed, pledges=pledges, articles=articles)
    writer = _writer()
    with writer.bulk_load():
        with transaction.atomic():
            written = builder.run(writer=writer, report=report, started=started)
            _sequences_reset()
            report("Adding up the roll-up of the totals...")
            rollup_rebuild()
            report("Committing (the deferred foreign-key checks run now)...")
            committing = time.perf_counter()
        report(f"Committed in {time.perf_counter() - committing:.1f} s; analyzing the tables...")
        analyzing = time.perf_counter()
        _analyze()
        report(f"Analyzed in {time.perf_counter() - analyzing:.1f} s.")
    return CorpusStats(*written, seconds=time.perf_counter() - started)


def corpus_purge(*, progress: Callable[[str], None] | None = None) -> CorpusStats:
    """Delete the generated articles (slug ``corpus-...``), their sentences and their pledges.

    Plain SQL, not the ORM: a million ``delete()`` signals would each write a history row.
    Refused (``CorpusError``) when a pledge outside the corpus refers to a generated one (as
    ``part_of``) or cites a generated sentence as further evidence: it would lose its reference.
    """
    report = progress or (lambda line: None)
    started = time.perf_counter()
    # SQL below is spliced from the models' quoted table names only; the pattern is a parameter.
    qn = connection.ops.quote_name
    article, sentence = qn(Article._meta.db_table), qn(Sentence._meta.db_table)
    pledge, evidence = qn(Pledge._meta.db_table), qn(Pledge.evidence.through._meta.db_table)
    articles_sql = f"SELECT id FROM {article} WHERE slug LIKE %s"  # noqa: S608
    sentences_sql = f"SELECT id FROM {sentence} WHERE article_id IN ({articles_sql})"  # noqa: S608
    pledges_sql = f"SELECT id FROM {pledge} WHERE sentence_id IN ({sentences_sql})"  # noqa: S608
    like = [SLUG_PREFIX + "%"]
    # Joins from the few pledges outside the corpus, never NOT IN over a million generated ids
    # (which PostgreSQL cannot hash within work_mem and would scan once per row).
    outside = (
        f"JOIN {sentence} s ON s.id = p.sentence_id JOIN {article} a ON a.id = s.article_id "
        "WHERE a.slug NOT LIKE %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {pledge} p JOIN {pledge} w ON w.id = p.part_of_id "  # noqa: S608
            f"JOIN {sentence} ws ON ws.id = w.sentence_id "
            f"JOIN {article} wa ON wa.id = ws.article_id AND wa.slug LIKE %s {outside}",
            like * 2,
        )
        (parts,) = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {evidence} e JOIN {pledge} p ON p.id = e.pledge_id "  # noqa: S608
            f"JOIN {sentence} es ON es.id = e.sentence_id "
            f"JOIN {article} ea ON ea.id = es.article_id AND ea.slug LIKE %s {outside}",
            like * 2,
        )
        (cited,) = cursor.fetchone()
        if parts or cited:
            raise CorpusError(
                f"Nothing deleted: {parts:,} pledges outside the corpus are part of generated "
                f"pledges and {cited:,} cite generated sentences as further evidence. "
                "Edit them first."
            )
        counts = []
        for table, condition in (
            (evidence, f"pledge_id IN ({pledges_sql})"),
            (pledge, f"sentence_id IN ({sentences_sql})"),
            (sentence, f"article_id IN ({articles_sql})"),
            (article, "slug LIKE %s"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", like)  # noqa: S608
            counts.append(cursor.rowcount)
            report(f"Deleted {cursor.rowcount:,} rows of {table}.")
        rollup_rebuild()
    evidence_rows, pledge_rows, sentence_rows, article_rows = counts
    return CorpusStats(
        articles=article_rows,
        sentences=sentence_rows,
        pledges=pledge_rows,
        evidence=evidence_rows,
        seconds=time.perf_counter() - started,
    )


# --- Generating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Donor:
    id: int
    slug: str
    currency: str
    names: tuple[str, str]  # English and German, as the search words hold them
    words: dict[str, dict[str, str]]  # language -> template fields: Subj, subj, German verbs


@dataclass(frozen=True)
class _Source:
    """A Kiel item joined to our rows: who gives, in which top category, from which pool."""

    donor: _Donor
    rank: int  # the donor's place in slug order: articles group a day's pledges by donor
    day: int | None  # ordinal
    top: str
    allocation: bool
    value_eur: float


def _cumulative(weighted: Iterable[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values, weights = zip(*weighted, strict=True)
    return list(values), list(accumulate(weights))


def _round3(value: float) -> int:
    """To three significant digits, as news reports figures: 23,417,160 -> 23,400,000."""
    if value < 1000:
        return max(1, round(value))
    step = 10 ** (math.floor(math.log10(value)) - 2)
    return round(value / step) * step


def _grouped(number: int, language: str) -> str:
    text = f"{number:,}"
    return text.replace(",", ".") if language == "de" else text


def _amount_words(amount: int, language: str) -> str:
    """23400000 -> "23,4 Millionen" / "23.4 million"; below a million, the digits grouped."""
    for scale, german, english in SCALES:
        if amount >= scale:
            count = amount / scale
            text = f"{count:,.0f}" if count >= 1000 else f"{count:.2f}".rstrip("0").rstrip(".")
            if language == "de":
                text = text.replace(",", "_").replace(".", ",").replace("_", ".")
                return f"{text} {german[0] if amount == scale else german[1]}"
            return f"{text} {english[0]}"
    return _grouped(amount, language)


def _date_phrases(day: date, precision: str, language: str) -> tuple[str, str]:
    """The announcement date as it reads inside a sentence and at its start."""
    if language == "de":
        if precision == Pledge.Precision.DAY:
            text = f"{day.day}. {MONTHS_DE[day.month - 1]} {day.year}"
            return f"am {text}", f"Am {text}"
        if precision == Pledge.Precision.MONTH:
            return (
                f"im {MONTHS_DE[day.month - 1]} {day.year}",
                f"Im {MONTHS_DE[day.month - 1]} {day.year}",
            )
        return f"im Jahr {day.year}", f"Im Jahr {day.year}"
    if precision == Pledge.Precision.DAY:
        text = f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
        return f"on {text}", f"On {text}"
    if precision == Pledge.Precision.MONTH:
        return (
            f"in {MONTHS_EN[day.month - 1]} {day.year}",
            f"In {MONTHS_EN[day.month - 1]} {day.year}",
        )
    return f"in {day.year}", f"In {day.year}"


def _donor_words(donor: Donor) -> dict[str, dict[str, str]]:
    german, plural = SUBJECTS_DE.get(donor.slug, (donor.name_de or donor.name, False))
    english = SUBJECTS_EN.get(donor.slug, donor.name)
    words_de = {"Subj": german, "subj": "die" + german[3:] if german.startswith("Die ") else german}
    words_de.update({name: forms[plural] for name, forms in VERBS_DE.items()})
    words_en = {
        "Subj": english,
        "subj": "the" + english[3:] if english.startswith("The ") else english,
    }
    return {"de": words_de, "en": words_en}


@dataclass(slots=True)
class _Spec:
    """What a sentence needs to state a pledge, in either language."""

    kind: int
    donor: _Donor
    category: str
    stage: str
    qualifier: str
    amount: int | None
    currency: str
    quantity: int | None
    item: tuple[str, str, int, int] | None
    announced: date
    precision: str


class _Builder:
    """Draws the pledges, lays out the articles around them and hands rows to a writer."""

    def __init__(self, *, seed: int, pledges: int, articles: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
        self.seed = seed
        self.total_pledges = pledges
        self.total_articles = articles
        self.history = EcbHistory.load()
        self.rates: dict[tuple[str, date], EcbRate | None] = {}
        # Per donor, the last pledge a later one may be part of: (id, amount, EUR, currency).
        self.parents: dict[int, tuple[int, int, Decimal, str]] = {}
        self.timestamp_suffix = "+00" if connection.vendor == "postgresql" else ""
        # Pledge.save() keeps the q search's words in search_text; so must a bulk load.
        self.search_words = any(f.name == "search_text" for f in Pledge._meta.concrete_fields)
        self._lookups_load()
        self.tables = {
            "article": _Table.of(
                Article,
                (
                    "id",
                    "slug",
                    "title",
                    "url",
                    "publisher",
                    "published_on",
                    "language",
                    "body",
                    "source_name",
                ),
            ),
            "sentence": _Table.of(
                Sentence,
                ("id", "article", "position", "start", "end", "text", "kind", "prefix", "suffix"),
            ),
            "pledge": _Table.of(
                Pledge,
                (
                    "id",
                    "donor",
                    "recipient",
                    "amount",
                    "currency",
                    "qualifier",
                    "quantity",
                    "item",
                    "category",
                    "stage",
                    "announced_on",
                    "date_precision",
                    "period",
                    "part_of",
                    "is_aggregate",
                    "notes",
                    "amount_eur",
                    "fx_rate",
                    "fx_date",
                    "fx_provisional",
                    "review_status",
                    "reviewed_by",
                    "reviewed_at",
                    "origin",
                    "suggestion",
                    "created_at",
                    "updated_at",
                    *(("search_text",) if self.search_words else ()),
                    "sentence",
                ),
            ),
            "evidence": _Table.of(Pledge.evidence.through, ("id", "pledge", "sentence")),
        }

    def _lookups_load(self) -> None:
        items = kiel_items()
        donors = kiel_donor_map(names={item.donor_name for item in items})
        ours = sorted(
            {donor.slug: donor for donor in donors.values() if donor}.values(),
            key=lambda donor: donor.slug,
        )
        if not ours:
            raise CorpusError(
                "No donor of the Kiel data is in the database: load the reference data first "
                "(manage.py loaddata reference)."
            )
        donor_info = {
            donor.slug: _Donor(
                id=donor.pk,
                slug=donor.slug,
                currency=DONOR_CURRENCIES.get(donor.slug, "EUR"),
                names=(donor.name, donor.name_de),
                words=_donor_words(donor),
            )
            for donor in ours
        }
        ranks = {donor.slug: rank for rank, donor in enumerate(ours)}
        categories = dict(Category.objects.values_list("slug", "pk"))
        self.category_ids = categories
        self.sub_categories = {}
        for kategori, (top, weighted) in SUB_CATEGORIES.items():
            if top not in categories:
                raise CorpusError(
                    f"The category {top!r} is missing: load the reference data first "
                    "(manage.py loaddata reference)."
                )
            present = [(slug, weight) for slug, weight in weighted if slug in categories]
            self.sub_categories[kategori] = _cumulative(present or [(top, 1)])
        # Kiel books commitments at zero and corrections below it: amounts come from the
        # positive values, of the item itself or else of its kind (military, financial, ...).
        self.values = {
            kategori: [
                item.value_eur for item in items if item.kategori == kategori and item.value_eur > 0
            ]
            for kategori in SUB_CATEGORIES
        }
        self.sources = [
            _Source(
                donor=donor_info[donor.slug],
                rank=ranks[donor.slug],
                day=item.day.toordinal() if item.day else None,
                top=item.kategori,
                allocation=item.allocation,
                value_eur=item.value_eur,
            )
            for item in items
            if (donor := donors[item.donor_name]) is not None
        ]
        self.donor_count = len(ours)

    def rate(self, currency: str, day: date) -> EcbRate | None:
        key = (currency, day)
        if key not in self.rates:
            self.rates[key] = ecb_rate(currency, day, history=self.history)
        return self.rates[key]

    def plan(self) -> list[tuple[int, _Source]]:
        """The pledges' sources and days, sorted by day and donor.

        Sorted so that an article's pledges are close in time (and at scale, one donor's
        package of a day), and a pledge's ``part_of`` parent, drawn from the same donor's
        earlier pledges, is really earlier.
        """
        rng, sources = self.rng, self.sources
        count, donors = len(sources), self.donor_count
        first, span = UNDATED_FIRST.toordinal(), (UNDATED_LAST - UNDATED_FIRST).days + 1
        keys = []
        for index in rng.choices(range(count), k=self.total_pledges):
            source = sources[index]
            day = source.day if source.day is not None else first + rng.randrange(span)
            keys.append((day * donors + source.rank) * count + index)
        keys.sort()
        return [(key // (donors * count), sources[key % count]) for key in keys]

    def article_bounds(self) -> list[int]:
        """Where each article's pledges start and end in the plan, sizes ±40% around the mean."""
        pledges, articles, rng = self.total_pledges, self.total_articles, self.rng
        spacing = pledges / articles
        jitter = int(spacing * 0.4) if spacing >= 5 else 0
        inner = [k * pledges // articles + rng.randint(-jitter, jitter) for k in range(1, articles)]
        return [0, *inner, pledges]

    def run(
        self, *, writer: _Writer, report: Callable[[str], None], started: float
    ) -> tuple[int, int, int, int]:
        tables = self.tables
        ids = {
            name: (table.model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
            for name, table in tables.items()
        }
        self.next_id = ids
        plan = self.plan()
        bounds = self.article_bounds()
        rows: dict[str, list[tuple]] = {name: [] for name in tables}
        written = dict.fromkeys(tables, 0)
        step = max(1, self.total_pledges // PROGRESS_STEPS)
        next_report = step
        carried: list[tuple[int, _Spec]] = []
        last = len(bounds) - 2
        for number in range(len(bounds) - 1):
            chunk = plan[bounds[number] : bounds[number + 1]]
            carried = self.article(chunk, carried, rows, last_article=number == last)
            done = bounds[number + 1]
            if done >= next_report or number == last:
                for name, table in tables.items():
                    writer.write(table, rows[name])
                    written[name] += len(rows[name])
                    rows[name].clear()
                elapsed = time.perf_counter() - started
                total = sum(written.values())
                report(
                    f"{100 * done // self.total_pledges:3d}%  {done:,} of "
                    f"{self.total_pledges:,} pledges, {total:,} rows in {elapsed:.1f} s "
                    f"({total / elapsed:,.0f} rows/s)"
                )
                next_report = (done // step + 1) * step
        return written["article"], written["sentence"], written["pledge"], written["evidence"]

    def article(
        self,
        chunk: Sequence[tuple[int, _Source]],
        carried: list[tuple[int, _Spec]],
        rows: dict[str, list[tuple]],
        *,
        last_article: bool,
    ) -> list[tuple[int, _Spec]]:
        """One article: its row, its sentences, its pledges; returns the pledges to repeat."""
        rng, ids = self.rng, self.next_id
        random_ = rng.random
        language = "de" if random_() * 100 < SHARE_GERMAN else "en"
        article_id = ids["article"]
        ids["article"] += 1
        lead_donor, lead_top = chunk[0][1].donor, chunk[0][1].top
        published = date.fromordinal(chunk[-1][0] + rng.randrange(3))
        # All of an article's pledges were imported together, the morning after it appeared.
        stamp = (
            f"{published + timedelta(days=1)} {8 + article_id % 10:02d}:"
            f"{article_id % 60:02d}:00{self.timestamp_suffix}"
        )
        words = lead_donor.words[language]
        title = rng.choice(TITLES[language]).format(
            **words, aid=AID_WORDS[SUB_CATEGORIES[lead_top][0]][language == "en"]
        )
        slug = f"{SLUG_PREFIX}{article_id:06d}-{slugify(title)}"[:120].rstrip("-")

        parts: list[str] = []
        length = 0
        sentence_rows = rows["sentence"]
        first_row = len(sentence_rows)
        position = 0

        def sentence(text: str) -> int:
            nonlocal length, position
            if parts:
                separator = "\n\n" if random_() * 100 < SHARE_NEW_PARAGRAPH else " "
                parts.append(separator)
                length += len(separator)
            sentence_id = ids["sentence"]
            ids["sentence"] += 1
            position += 1
            parts.append(text)
            sentence_rows.append(
                (sentence_id, article_id, position, length, length + len(text), text, "content")
            )
            length += len(text)
            return sentence_id

        sentence(rng.choice(LEADS[language]).format(**words))
        fillers = FILLERS[language]
        repeat: list[tuple[int, _Spec]] = []
        pledge_rows = rows["pledge"]
        for day, source in chunk:
            pledge_id = ids["pledge"]
            ids["pledge"] += 1
            row, spec, item = self.pledge(pledge_id, day, source, language, stamp)
            text = self.statement(spec, language)
            sentence_id = sentence(text)
            if self.search_words:
                # Pledge.search_words(): donor names, item, notes (none) and the sentence.
                search = " ".join((*source.donor.names, item, "", text))
                pledge_rows.append((*row, search, sentence_id))
            else:
                pledge_rows.append((*row, sentence_id))
            # Repeated in the next article, as further evidence: the last has none after it.
            evidence_roll = random_() * 100
            if (
                spec.kind in (NORMAL, IN_KIND)
                and not last_article
                and evidence_roll < SHARE_EVIDENCE
            ):
                repeat.append((pledge_id, spec))
            if random_() * 100 < SHARE_FILLER:
                sentence(rng.choice(fillers).format(**words))
        evidence_rows = rows["evidence"]
        for pledge_id, spec in carried:
            sentence_id = sentence(self.statement(spec, language, recap=True))
            evidence_rows.append((ids["evidence"], pledge_id, sentence_id))
            ids["evidence"] += 1
        sentence(rng.choice(CLOSINGS[language]))
        body = "".join(parts)
        # The words around each sentence need the whole body: added once it is laid out.
        for index in range(first_row, len(sentence_rows)):
            row = sentence_rows[index]
            sentence_rows[index] = (*row, *sentence_context(body, row[3], row[4]))
        rows["article"].append(
            (
                article_id,
                slug,
                title,
                URL_BASE + slug,
                rng.choice(PUBLISHERS[language]),
                published.isoformat(),
                language,
                body,
                f"{SOURCE_NAME} --seed {self.seed}",
            )
        )
        return repeat

    def pledge(
        self, pledge_id: int, ordinal: int, source: _Source, language: str, stamp: str
    ) -> tuple[tuple, _Spec, str]:
        """One pledge's row (without its sentence), what its sentence must state, its item."""
        rng = self.rng
        random_ = rng.random
        donor = source.donor
        names, cumulative = self.sub_categories[source.top]
        category = names[bisect(cumulative, random_() * cumulative[-1])]
        stage = _stage_draw(source, random_)
        roll = random_() * 100
        items = IN_KIND_ITEMS.get(category)
        parent = self.parents.get(donor.id)
        kind = _kind_of(roll, has_parent=parent is not None, has_items=bool(items))
        # A part is dated to the day: a month or a year would put it before its whole.
        precision = Pledge.Precision.DAY if kind == PART else _pick(PRECISIONS, random_)
        day = _day_at(date.fromordinal(ordinal), precision)

        amount = amount_eur = fx_rate = fx_date = quantity = item = part_of = None
        provisional = False
        currency = item_text = ""
        qualifier: str = Pledge.Qualifier.EXACT
        if kind == IN_KIND and items:
            item = items[int(random_() * len(items))]
            low, high = math.log(item[2]), math.log(item[3])
            quantity = max(1, _round2(math.exp(low + random_() * (high - low))))
            item_text = item[0] if language == "de" else item[1]
        else:
            if kind == PART and parent is not None:
                part_of, parent_amount, parent_eur, currency = parent
                value = float(parent_eur) * (0.1 + 0.6 * random_())
            else:
                value = source.value_eur
                if value <= 0:
                    pool = self.values[source.top]
                    value = pool[int(random_() * len(pool))]
                if kind == AGGREGATE:
                    value *= 10 + 30 * random_()
                currency = donor.currency
                if currency != "EUR" and random_() * 100 < SHARE_EUR_ABROAD:
                    currency = "EUR"
            found = self.rate(currency, day) if currency != "EUR" else None
            if found is None:
                # The ECB has no rate that day: the report is read as giving euros.
                currency = "EUR"
                amount = _round3(value)
                amount_eur, fx_rate = Decimal(amount), Decimal(1)
            else:
                fx_rate, fx_day, provisional = found
                amount = _round3(value * float(fx_rate))
                # Exactly as pledge_convert_to_eur computes it on save().
                amount_eur = (Decimal(amount) / fx_rate).quantize(CENT, ROUND_HALF_EVEN)
                fx_date = fx_day.isoformat()
            if kind == PART and not (amount < parent_amount and amount_eur < parent_eur):
                kind, part_of = NORMAL, None
            if kind == AGGREGATE:
                qualifier = _pick(AGGREGATE_QUALIFIERS, random_)
            elif kind == NORMAL:
                qualifier = _pick(QUALIFIERS, random_)
                self.parents[donor.id] = (pledge_id, amount, amount_eur, currency)
        review = _pick(REVIEWS, random_)
        financial = source.top == "Financial"
        period = str(day.year) if financial and random_() * 100 < SHARE_PERIOD else ""
        row = (
            pledge_id,
            donor.id,
            "Ukraine",
            None if amount is None else str(amount),
            currency,
            qualifier,
            quantity,
            item_text,
            self.category_ids[category],
            stage,
            day.isoformat(),
            precision,
            period,
            part_of,
            kind == AGGREGATE,
            "",
            None if amount_eur is None else str(amount_eur),
            None if fx_rate is None else str(fx_rate),
            fx_date,
            provisional,
            review,
            None,
            stamp if review == Pledge.Review.REVIEWED else None,
            Pledge.Origin.IMPORT,
            None,
            stamp,
            stamp,
        )
        spec = _Spec(
            kind=kind,
            donor=donor,
            category=category,
            stage=stage,
            qualifier=qualifier,
            amount=amount,
            currency=currency,
            quantity=quantity,
            item=item,
            announced=day,
            precision=precision,
        )
        return row, spec, item_text

    def statement(self, spec: _Spec, language: str, *, recap: bool = False) -> str:
        """The sentence that states the pledge: its donor, figure, purpose, stage and date."""
        english = language == "en"
        if spec.quantity is not None and spec.item is not None:
            figure = f"{_grouped(spec.quantity, language)} {spec.item[english]}"
            purpose = ""
        elif spec.amount is None:
            raise CorpusError(f"A pledge of {spec.donor} with neither amount nor quantity.")
        else:
            figure = (
                QUALIFIER_WORDS[spec.qualifier][english]
                + _amount_words(spec.amount, language)
                + " "
                + CURRENCY_WORDS[spec.currency][english]
            )
            purpose = " " + CATEGORY_PHRASES[spec.category][english]
        inside, start = _date_phrases(spec.announced, spec.precision, language)
        templates: tuple[str, ...]
        if recap:
            templates = RECAP_TEMPLATES[language]
        elif spec.kind == AGGREGATE:
            templates = AGGREGATE_TEMPLATES[language]
        elif spec.kind == PART:
            templates = PART_TEMPLATES[language]
        elif spec.kind == IN_KIND:
            templates = IN_KIND_TEMPLATES[language][spec.stage]
        else:
            templates = PLEDGE_TEMPLATES[language][spec.stage]
        template = templates[int(self.rng.random() * len(templates))]
        return template.format(
            **spec.donor.words[language],
            fig=figure,
            cat=purpose,
            date=inside,
            Date=start,
            done=RECAP_VERBS[language][spec.stage],
        )


def _kind_of(roll: float, *, has_parent: bool, has_items: bool) -> int:
    """The kind of pledge a roll of 0-100 draws, where the donor and category allow it."""
    if roll < SHARE_AGGREGATE:
        return AGGREGATE
    if roll < SHARE_AGGREGATE + SHARE_PART_OF and has_parent:
        return PART
    if roll < SHARE_AGGREGATE + SHARE_PART_OF + SHARE_IN_KIND and has_items:
        return IN_KIND
    return NORMAL


def _stage_draw(source: _Source, random_: Callable[[], float]) -> str:
    if random_() * 100 < SHARE_PROPOSED:
        return Pledge.Stage.PROPOSED
    if not source.allocation:
        return Pledge.Stage.PLEDGED
    if random_() * 100 < SHARE_DELIVERED:
        return Pledge.Stage.DELIVERED
    return Pledge.Stage.ALLOCATED


def _day_at(day: date, precision: str) -> date:
    """The day a pledge dated to its month or year is stored at: the first of either."""
    if precision == Pledge.Precision.MONTH:
        return day.replace(day=1)
    if precision == Pledge.Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _pick(weighted: tuple[tuple[str, int], ...], random_: Callable[[], float]) -> str:
    roll = random_() * 100
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def _round2(value: float) -> int:
    """Quantities to two significant digits: 43,871 drones are reported as 44,000."""
    if value < 100:
        return round(value)
    step = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / step) * step


# --- Writing -------------------------------------------------------------------------------


def _column(field: models.Field) -> str:
    if field.column is None:
        raise CorpusError(f"{field.name} has no column of its own.")
    return field.column


@dataclass(frozen=True)
class _Table:
    """A table's columns in the order the builder fills them, and values for the rest."""

    model: type[models.Model]
    name: str
    columns: tuple[str, ...]
    extra: tuple  # defaults of columns the builder does not know (added later to the model)

    @classmethod
    def of(cls, model: type[models.Model], names: tuple[str, ...]) -> _Table:
        opts = model._meta
        concrete = {field.name: field for field in opts.concrete_fields}
        columns = [_column(concrete[name]) for name in names]
        extra = []
        for field in opts.concrete_fields:
            if field.name in names or field.db_default is not models.NOT_PROVIDED:
                continue  # a database default fills a column left out of the insert
            if field.has_default():
                value = field.get_db_prep_save(field.get_default(), connection)
            elif field.null:
                value = None
            else:
                raise CorpusError(
                    f"{model.__name__}.{field.name} has no default: bench/corpus.py "
                    "must learn to fill it."
                )
            columns.append(_column(field))
            extra.append(value)
        return cls(model=model, name=opts.db_table, columns=tuple(columns), extra=tuple(extra))

    def rows(self, rows: list[tuple]) -> Iterable[tuple]:
        if not self.extra:
            return rows
        return (row + self.extra for row in rows)


class _PostgresWriter:
    """COPY FROM STDIN through psycopg 3: one round trip per table and batch."""

    @staticmethod
    def bulk_load() -> AbstractContextManager[None]:
        return nullcontext()

    def write(self, table: _Table, rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(column) for column in table.columns)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {qn(table.name)} ({columns}) FROM STDIN") as copy,
        ):
            write_row = copy.write_row
            for row in table.rows(rows):
                write_row(row)


class _SQLiteWriter:
    """executemany on the DB-API connection, inside the one transaction of the load."""

    # For a bulk load into one transaction: no fsync per page write (a crashed process
    # still cannot corrupt the file, only a crashed machine), and a page cache large enough
    # to keep the indexes being extended in memory.
    PRAGMAS: ClassVar[dict] = {
        "synchronous": "OFF",
        "cache_size": "-262144",
        "temp_store": "MEMORY",
    }

    def bulk_load(self) -> AbstractContextManager[None]:
        return _sqlite_pragmas(self.PRAGMAS)

    def write(self, table: _Table, rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(column) for column in table.columns)
        marks = ", ".join("?" * len(table.columns))
        # The names are the models' own, quoted; the values are parameters.
        connection.ensure_connection()
        connection.connection.executemany(
            f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608
            table.rows(rows),
        )


_Writer = _PostgresWriter | _SQLiteWriter


def _writer() -> _Writer:
    if connection.vendor == "postgresql":
        return _PostgresWriter()
    if connection.vendor == "sqlite":
        return _SQLiteWriter()
    raise CorpusError(f"The corpus is written to PostgreSQL or SQLite, not {connection.vendor}.")


@contextmanager
def _sqlite_pragmas(pragmas: dict[str, str]) -> Iterator[None]:
    """Set connection PRAGMAs for a block and restore them after.

    Left alone inside a transaction (a test's): SQLite refuses to change the safety level there.
    """
    before: dict[str, Any] = {}
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for name, value in pragmas.items():
                cursor.execute(f"PRAGMA {name}")
                before[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {value}")


def _analyze() -> None:
    """Fresh planner statistics, so that benchmarks see the plans a full database gets.

    On PostgreSQL outside a transaction, a VACUUM as well, as autovacuum would run a little
    later: it marks the freshly written pages visible to all, without which an index-only scan
    (the page ids, the roll-up's totals by month) still reads every row from the table.
    """
    # On SQLite a full scan, not a sampled one (analysis_limit): the sampled row counts of a
    # 100,000-pledge table were off by a quarter to a half.
    qn = connection.ops.quote_name
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (
            Article,
            Sentence,
            Pledge,
            Pledge.evidence.through,
            PledgeRollup,
            PledgeSummary,
        ):
            cursor.execute(f"{command} {qn(model._meta.db_table)}")


def _sequences_reset() -> None:
    """After rows with ids of our own, the next id the database hands out follows them."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Article, Sentence, Pledge, Pledge.evidence.through]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
