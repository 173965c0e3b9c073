"""When a suggested pledge was announced and for which period, read from its words.

``article_date_find`` reads the date of an article whose publication date is unknown from its
date line or URL; ``date_stated`` reads the day or month a clause states ("am Mittwoch",
"Feb. 28", "im Februar") against the article's date; ``period_stated`` reads the period a
figure covers ("bis 2027", "annual", "für die Jahre 2024 bis 2027").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from articles.date_window import date_in_window
from articles.loading import url_date
from articles.segment import MONTH_PATTERN, MONTHS, date_find
from tracker.suggest import gazetteer

# A wire dateline opening the lead: "KYIV, Nov. 5, 2025 (Reuters) -", "Kiew, 5. November 2025
# (dpa) -".
_WIRE_DATELINE_RE = re.compile(
    r"^\W*[A-ZÄÖÜ][^\W\d_][^,()\n]{0,40},\s*(?P<date>[^()\n]{3,30}?)\s*\([^()\n]{1,40}\)\s*[-–—:]"
    # "Berlin, 14.11.2025 –", "Tallinn, 12 June 2025 –": a place and a full date with its
    # year, without an agency.
    r"|^\W*[A-ZÄÖÜ][^\W\d_][^,()\n]{0,40},\s*(?P<plain>\d{1,2}\.\d{1,2}\.\d{4}"
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?\s+\d{4}|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})\s*[-–—:]"
)
# A line that gives a release or a meeting its date: "Medienmitteilung vom 25. März 2026",
# "Parlamentskorrespondenz Nr. 287 vom 19.03.2026", "Press release of 4 March 2026".
_ISSUED_ON_RE = re.compile(
    # "Held in the Council Chamber, City Hall, on Monday 12 January 2026 at 18:30".
    r"^\W*[^\W\d_][\w .,'’/-]{0,60}?\s(?:vom|from|of|dated|on|am)\s+(?P<date>[\w .,]{6,40}?)"
    r"(?:,?\s+(?:at|um)\s+\d{1,2}[:.]\d{2}(?:\s*uhr)?)?\W*$",
    re.IGNORECASE,
)
# A line that ends with a full date: "Magdeburg, den 15. Oktober 2025", "21. Wahlperiode –
# 02.12.2025".
_DATED_LINE_RE = re.compile(
    r"^\W*\w[^\n]{0,60}?(?:,\s*(?:den\s+)?|\s[-–—]\s+)(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?\s+\d{4}|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})\W*$"
)
# A full date that a line sets off by a weekday before it or by dots and bars around it:
# "Dienstag, 25. November 2025, 14.00 Uhr, Grossratsgebäude Aarau", "Posted by u/name ·
# 19 Oct 2025 · 148 comments".
_SET_OFF_DATE_RE = re.compile(
    r"(?:^\W*(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday),?\s+|[·|•]\s*|^\W*"
    # "Published November 21, 2025 · Updated 7:15 pm ET", "Veröffentlicht am 3. März 2026".
    r"|^\W*(?:published|posted|updated|veröffentlicht|aktualisiert)(?:\s+(?:on|am))?\s+)"
    r"(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?\s+\d{4}|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})"
    # ... or a byline's date and time: "12.02.2026 – 17:32 Uhr".
    r"(?=\s*(?:[·|•,]|$|[-–—]?\s*\d{1,2}[:.]\d{2}(?:\s*uhr)?\W*$))",
    re.IGNORECASE,
)
# A date line is near the top of a page; a date far down is in a list of related articles.
_DATELINE_REACH = 12
_WEEKDAYS = {
    **dict.fromkeys(("montag", "monday"), 0),
    **dict.fromkeys(("dienstag", "tuesday"), 1),
    **dict.fromkeys(("mittwoch", "wednesday"), 2),
    **dict.fromkeys(("donnerstag", "thursday"), 3),
    **dict.fromkeys(("freitag", "friday"), 4),
    **dict.fromkeys(("samstag", "sonnabend", "saturday"), 5),
    **dict.fromkeys(("sonntag", "sunday"), 6),
}
_DATELINE_DASH_RE = re.compile(r"\s+[–—-]\s")
# "am Dienstagabend", "Mittwochmorgen": the day.
_WEEKDAY_RE = re.compile(
    r"\b(" + "|".join(_WEEKDAYS) + r")(?:abend|morgen|nachmittag|vormittag|mittag|nacht)?\b",
    re.IGNORECASE,
)
_RELATIVE_DAY_RE = re.compile(r"\b(heute|today|vorgestern|gestern|yesterday)\b", re.IGNORECASE)
_LAST_WEEK_OR_MONTH_RE = re.compile(
    r"\b(?:last|past|previous|vergangene[nm]?|letzte[nm]?|vorige[nm]?)\s+(?P<unit>week|month|woche"
    r"|monat)\b",
    re.IGNORECASE,
)
_RELATIVE_DAYS = {"heute": 0, "today": 0, "gestern": 1, "yesterday": 1, "vorgestern": 2}
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(?:(?P<day>\d{{1,2}})\.?\s+(?P<month>{MONTH_PATTERN})\b"
    # Not "im Jänner 25 weitere Aggregate": a month and a day are "on Jan. 25", "Jan 25,".
    rf"|(?<!\bim )(?<!\bin )(?P<month2>{MONTH_PATTERN})\.?\s+"
    rf"(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_SINCE_BEFORE_RE = re.compile(r"\b(?:since|seit)\s+(?:dem\s+)?$", re.IGNORECASE)
_SINCE_EARLIER_RE = re.compile(r"\b(?:since|seit)\b[^,;.]*$", re.IGNORECASE)
# A month something is due in is no day it was announced: "is due in December", "are
# expected in January", "soll im März eintreffen" is read by the stage, not here.
_DUE_BEFORE_RE = re.compile(
    r"\b(?:due|expected|scheduled|planned|fällig|erwartet|geplant|vorgesehen)\s+$", re.IGNORECASE
)
# A month without a day, after a preposition: "im Februar", "in February".
_MONTH_ONLY_RE = re.compile(
    # Not a day after it ("in May 20"; but "im Oktober 20 Mio. EUR"), a year may follow ("in
    # May 2024").
    rf"\b(?:im\s+(?P<month>{MONTH_PATTERN})\b\.?|in\s+(?P<month_en>{MONTH_PATTERN})\b\.?"
    rf"(?!\s*\d{{1,2}}\b))(?:\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
# A part of a month: "Ende April", "Mitte Januar", "early March", "at the end of May".
_MONTH_PART_RE = re.compile(
    # Not a deadline: "bis Ende Januar", "by the end of May".
    rf"(?<!bis )(?<!by )(?<!until )(?<!zum )(?<!vor )"
    rf"\b(?:anfang|mitte|ende|early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
    rf"[-\s]+(?P<month>{MONTH_PATTERN})\b\.?(?!\s*\d{{1,2}}\b)(?:\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
# A past year as the time something was done: "im Jahr 2024", "des Jahres 2025".
_IN_YEAR_RE = re.compile(r"\b(?:im jahr|des jahres)\s+(?P<year>20\d\d)\b(?![/-]\d)", re.IGNORECASE)
# Words of what is still to come, the future tense and others: "Die restlichen acht folgen im
# Februar", "are due to be shipped in March", "scheduled to be handed over in July".
_TO_COME_RE = re.compile(
    rf"\b(?:{gazetteer.MODAL_RE.pattern}|to be|folg(?:en|t)|follows?|expected|erwartet|due"
    r"|scheduled|should|sending|planned|geplant|en route|unterwegs|arrive|eintreffen)\b",
    re.IGNORECASE,
)
_LAST_YEAR_AFTER_RE = re.compile(
    r"\s+(?:last year|des vergangenen jahres|des letzten jahres|vergangenen jahres"
    r"|letzten jahres|des vorjahres)\b",
    re.IGNORECASE,
)
# A season of the year before: "im vergangenen Herbst", "last autumn".
_SEASON_RE = re.compile(
    r"\b(?:vergangenen|letzten|last|previous)\s+(?:herbst|frühjahr|frühling|sommer|winter"
    r"|autumn|fall|spring|summer)\b",
    re.IGNORECASE,
)
# The year before, said as such: "im vergangenen Jahr zugesagt", "pledged last year" (not
# "seit dem vergangenen Jahr", a period).
_LAST_YEAR_RE = re.compile(
    r"(?<!seit )(?<!seit dem )(?<!since )\b(?:im vergangenen jahr|vergangenes jahr|letztes jahr"
    r"|im letzten jahr|im vorjahr|last year|the previous year)\b",
    re.IGNORECASE,
)
_PROMISED_RE = re.compile(
    r"\b(?:zugesagt|versprochen|angekündigt|promised|pledged|committed|announced)\b", re.IGNORECASE
)
# A season or the opening words of a clause with a past year: "schon im Sommer 2025
# zugesagt", "In 2023, the package was disbursed".
_SEASON_OF_YEAR_RE = re.compile(
    r"\b(?:im|in(?: the)?)\s+(?:herbst|frühjahr|frühling|sommer|winter|autumn|fall|spring"
    r"|summer)(?:\s+of)?\s+(?P<year>20\d\d)\b|^\W*in\s+(?P<opening>20\d\d),",
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
_YEAR_RE = re.compile(r"(?<![\d.,])(20\d\d)(?![\d.,]\d)")
_NOT_PERIOD_BEFORE_RE = re.compile(
    rf"(?:\b(?:seit|since|vor|before|nach|after|von|from|bis|until|through|by|ende|end of)|"
    rf"{MONTH_PATTERN})\s+$",
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


def article_date_find(sentences: Iterable[Any], *, url: str = "") -> datetime.date | None:
    """The date of an article whose publication date is unknown: the first full date of a date
    line near its top ("06 November 2025 13:09", "Stand: 19.03.2024 14:02 Uhr", "KYIV, Nov. 5,
    2025 (Reuters) -", "Medienmitteilung vom 25. März 2026", "Magdeburg, den 15. Oktober 2025"),
    else the date in its URL
    ("/2024/03/19/"), else None. A dateline
    without a year ("KYIV, Nov 5 (Reuters)") gives no date. Only for reading the article's own
    dates; the stored ``published_on`` stays as the editor gave it."""
    for number, sentence in enumerate(sentences):
        if number >= _DATELINE_REACH:
            break
        kind = getattr(sentence, "kind", "content")
        text = ""
        if kind == "dateline":
            text = sentence.text
        elif kind == "headline":
            issued = (
                _ISSUED_ON_RE.match(sentence.text)
                or _DATED_LINE_RE.match(sentence.text)
                or _SET_OFF_DATE_RE.search(sentence.text)
            )
            text = issued.group("date") if issued else ""
        elif kind == "content":
            wire = _WIRE_DATELINE_RE.match(sentence.text)
            text = (wire.group("date") or wire.group("plain")) if wire else ""
        found = date_find(text) if text else None
        if found and date_in_window(found):
            return found
    return url_date(url)


def date_stated(
    clause: str, *, article_date: datetime.date | None
) -> tuple[datetime.date, str] | None:
    """The day (or month) of the announcement the clause states, with its precision.

    A date ("am 9. September", "Feb. 28", "5 March 2025"), "heute"/"gestern", a weekday (the
    last such day on or before the article's), or a month ("im Februar"); None when the clause
    states none. A weekday in a future statement ("will arrive on Friday") is still read as
    the last such day: the clause is about the statement made, and an editor corrects the rare
    forward reference.
    """
    explicit = next(
        # "since February 24, 2022" starts a period; it is no day of an announcement.
        (
            m
            for m in _DAY_MONTH_RE.finditer(clause)
            if not _SINCE_BEFORE_RE.search(clause, 0, m.start())
            # "since the beginning of Russia's full-scale invasion on February 24, 2022"
            and not _SINCE_EARLIER_RE.search(clause, max(0, m.start() - 70), m.start())
        ),
        None,
    )
    if explicit:
        day = int(explicit.group("day") or explicit.group("day2"))
        month = MONTHS[(explicit.group("month") or explicit.group("month2")).lower()]
        found = _date_make(explicit.group("year"), month, day, article_date=article_date)
        # "Tallinn, 12 June 2025 – The Riigikogu on Wednesday approved": the dateline's day
        # is when it was written; a weekday after it is when it was done.
        dateline = _DATELINE_DASH_RE.match(clause, explicit.end())
        relative = (
            _relative_date(clause[explicit.end() :], article_date=found)
            if dateline and found
            else None
        )
        if relative:
            return relative
        if found and (article_date is None or found <= article_date):
            return found, "day"
    if article_date is None:
        return None
    relative = _relative_date(clause, article_date=article_date)
    if relative:
        return relative
    return _month_date(clause, article_date=article_date) or _year_date(
        clause, article_date=article_date
    )


def _month_date(clause: str, *, article_date: datetime.date) -> tuple[datetime.date, str] | None:
    """The month ``clause`` says something was done in ("im Februar", "Ende April", "in
    October last year"), or None."""
    month_only = next(
        # "seit Beginn des Krieges im Februar 2022" starts a period too.
        (
            m
            for m in _MONTH_ONLY_RE.finditer(clause)
            if not _SINCE_EARLIER_RE.search(clause, max(0, m.start() - 60), m.start())
            and not _DUE_BEFORE_RE.search(clause, max(0, m.start() - 20), m.start())
        ),
        None,
    )
    month_only = month_only or next(
        # "seit Anfang August ... geliefert": since then, no month of saying.
        (
            m
            for m in _MONTH_PART_RE.finditer(clause)
            if not _SINCE_EARLIER_RE.search(clause, max(0, m.start() - 60), m.start())
        ),
        None,
    )
    if month_only:
        # A month later in the article's year is a plan ("soll im Dezember geliefert werden"),
        # or last year's when the clause says it is done ("delivered in December", "Im Juli
        # bewilligte", "In September, the FCDO signed").
        named = month_only.group("month") or month_only.groupdict().get("month_en") or ""
        month = MONTHS[named.lower()]
        said_year = month_only.group("year")
        year = int(said_year or article_date.year)
        if _LAST_YEAR_AFTER_RE.match(clause, month_only.end()):
            year -= 1  # "in October last year"
        elif not said_year and _to_come(clause) and not _done_in(clause):
            return None  # "will im Jänner 25 weitere Aggregate schicken": when it is to happen
        elif not said_year and (year, month) > (article_date.year, article_date.month):
            year -= 1
        if (year, month) <= (article_date.year, article_date.month):
            return datetime.date(year, month, 1), "month"
    return None


def _year_date(clause: str, *, article_date: datetime.date) -> tuple[datetime.date, str] | None:
    """The year ``clause`` says something was done in ("im vergangenen Herbst", "im Jahr
    2024"), or None."""
    season = _SEASON_RE.search(clause)
    # "die sie im vergangenen Jahr zugesagt hatte": the year of a promise. (What was done
    # "im vergangenen Jahr" is a year's total, of the day it is reported.)
    if season or (_LAST_YEAR_RE.search(clause) and _PROMISED_RE.search(clause)):
        return datetime.date(article_date.year - 1, 1, 1), "year"
    of_year = _SEASON_OF_YEAR_RE.search(clause)
    if of_year:
        year = int(of_year.group("year") or of_year.group("opening"))
        if year < article_date.year or (year == article_date.year and of_year.group("year")):
            return datetime.date(year, 1, 1), "year"
    in_year = _IN_YEAR_RE.search(clause)
    if in_year and int(in_year.group("year")) < article_date.year and not _to_come(clause):
        # "habe der Bund im Jahr 2024 … eingezahlt", "Die Beiträge des Jahres 2025".
        return datetime.date(int(in_year.group("year")), 1, 1), "year"
    return None


def _to_come(clause: str) -> bool:
    """Whether ``clause`` speaks of what will be, not of what was."""
    return bool(_TO_COME_RE.search(clause))


def _relative_date(clause: str, *, article_date: datetime.date) -> tuple[datetime.date, str] | None:
    """ "gestern", "last month", "am Mittwoch" against the article's date."""
    relative = _RELATIVE_DAY_RE.search(clause)
    if relative:
        days = _RELATIVE_DAYS[relative.group(1).lower()]
        return article_date - datetime.timedelta(days=days), "day"
    recent = _LAST_WEEK_OR_MONTH_RE.search(clause)
    if recent:
        # "last month", "in der vergangenen Woche": known to the month it fell in.
        if recent.group("unit").lower() in ("month", "monat"):
            earlier = article_date.replace(day=1) - datetime.timedelta(days=1)
        else:
            earlier = article_date - datetime.timedelta(days=7)
        return earlier.replace(day=1), "month"
    weekday = _WEEKDAY_RE.search(clause)
    if weekday:
        # The last such weekday on or before the day the article appeared.
        delta = (article_date.weekday() - _WEEKDAYS[weekday.group(1).lower()]) % 7
        return article_date - datetime.timedelta(days=delta), "day"
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


def period_stated(clause: str, *, article_date: datetime.date | None) -> tuple[str, str]:
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
