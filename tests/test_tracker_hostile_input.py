"""Hostile and malformed requests never cause a server error, on any public page or export.

Hypothesis throws generated query strings (wrong types, huge and negative numbers, impossible
dates, unknown slugs, SQL and HTML fragments, very long strings, control characters, broken
percent escapes, repeated and unknown parameters) at every page that reads the filters, and
generated ids and slugs at every page that takes one in its path. Every answer must be a 200
that names an invalid value, a 400 or a 404; no HTML answer may carry a script it was sent.
The run counts its requests and fails below ``MIN_REQUESTS``.
"""

from __future__ import annotations

import datetime
import logging
import string
from collections import Counter
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.http import QueryDict
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tracker.filters import PledgeFilter
from tracker.models import Pledge

pytestmark = pytest.mark.django_db

MIN_REQUESTS = 2_000

PARAMETERS = (
    "q",
    "donor",
    "category",
    "stage",
    "currency",
    "date_from",
    "date_to",
    "amount_eur_min",
    "amount_eur_max",
    "article",
    "reviewed",
    "include_proposed",
    "sort",
    "page",
    "by",
)
UNKNOWN_PARAMETERS = ("", "x", "q[]", "Q", "page ", "__proto__", "donor%00", "%ZZ", "ü", "a" * 300)

#: Strings that would run if a page echoed them unescaped. None of them is ever part of a page.
SCRIPTS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "</textarea><script>alert(1)</script>",
)
HOSTILE = (
    *SCRIPTS,
    "javascript:alert(1)",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE tracker_pledge; --",
    "%' UNION SELECT NULL, NULL --",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t=1+1",
    "\x1b[31m",
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "\x7f\x85",
    "%",
    "_",
    "\\",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "1e-400",
    "0x10",
    "1_000",
    "１２",  # noqa: RUF001 - fullwidth digits on purpose
    "٣",
    "-0",
    "-1",
    "0",
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "9" * 400,
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2025-02-29",
    "2025-13-01",
    "2025-00-10",
    "-2025-01-01",
    "2025-01-01T00:00",
    "1.1.2025",
)
#: Valid values, so that hostile ones also meet filters that do run.
VALID = {
    "donor": ("germany", "united-kingdom", "nato-allies"),
    "category": ("military", "air-defence", "financial"),
    "stage": tuple(Pledge.Stage.values),
    "currency": ("EUR", "gbp"),
    "date_from": ("2024-01-01",),
    "date_to": ("2025-12-31",),
    "amount_eur_min": ("0", "1000000"),
    "amount_eur_max": ("99999999999", "1.5"),
    "article": ("hilfe",),
    "reviewed": ("on",),
    "include_proposed": ("on", "true"),
    "sort": ("amount_eur", "-amount_eur", "donor", "-donor", "announced_on"),
    "page": ("1", "2"),
    "by": ("donor", "category", "stage", "year", "month", "subcategory"),
    "q": ("Drohnen", "air defence"),
}
#: Percent escapes that decode to no valid UTF-8 or to nothing at all: a lone surrogate
#: (%ED%A0%80), an overlong slash, a truncated sequence, bytes that never start a character.
RAW_ESCAPES = (
    "%00",
    "%ED%A0%80",
    "%ED%BF%BF",
    "%C0%AF",
    "%E2%82",
    "%FF%FE",
    "%80",
    "%",
    "%%",
    "%zz",
    "%2",
)

text = st.text(max_size=40)
long_text = st.builds(lambda c, n: c * n, st.sampled_from("xé𝄞<%\x00"), st.integers(201, 20_000))
numbers = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)
dates = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(-1, 100_000),
    st.integers(-1, 14),
    st.integers(-1, 40),
)
values = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    long_text,
    numbers,
    dates,
    st.builds("{}{}{}".format, text, st.sampled_from(HOSTILE), text),
)


def _encoded(value: str, how: str) -> str:
    if how == "quoted":
        return quote(value, safe="")
    # Left raw where a careless client would: "&", "=", "#", "+" and spaces break the query.
    return quote(value, safe=string.punctuation + " ")


encoded_values = st.one_of(
    st.builds(_encoded, values, st.sampled_from(("quoted", "raw"))),
    st.builds("{}{}".format, values.map(quote), st.sampled_from(RAW_ESCAPES)),
    st.sampled_from(RAW_ESCAPES),
)


@st.composite
def queries(draw) -> str:
    """A query string of up to 8 parameters, known or not, valid or not, some repeated."""
    pairs = []
    for _ in range(draw(st.integers(0, 8))):
        name = draw(st.sampled_from(PARAMETERS) | st.sampled_from(UNKNOWN_PARAMETERS))
        if name in VALID and draw(st.booleans()):
            value = quote(draw(st.sampled_from(VALID[name])))
        else:
            value = draw(encoded_values)
        pairs.append(name if draw(st.integers(0, 9)) == 0 else f"{name}={value}")
    separator = draw(st.sampled_from(("&", "&", "&", ";", "&&")))
    return separator.join(pairs)


HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}
HTMX_DASHBOARD = {"HX-Request": "true", "HX-Target": "dashboard-body"}
#: What every generated query is sent to: the fragments htmx asks for and the exports.
FILTERED = (
    ("/", HTMX_DASHBOARD),
    ("/", HTMX_TABLE),
    ("/pledges/", HTMX_TABLE),
    ("/donors/united-kingdom/", HTMX_TABLE),
    ("/pledges/export.csv", {}),
    ("/pledges/totals.csv", {}),
)
#: The whole pages, with the filter form echoing the values: one per query, drawn with it.
FULL_PAGES = (
    ("/", {}),
    ("/pledges/", {}),
    ("/pledges/", {"HX-Request": "true", "HX-Target": "<x>", "HX-History-Restore-Request": "true"}),
    ("/donors/germany/", {}),
)

#: Pages without filters: they must shrug off any query.
OTHER_PAGES = ("/articles/", "/articles/hilfe/", "/reference/", "/healthz", "/admin/login/")

ids = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(("0", "00001", "9" * 30, "1e3", "1.0", "٣", "１", "%31", "1%00", "1/../2")),  # noqa: RUF001
    encoded_values,
)
slugs = st.one_of(
    st.sampled_from(("germany", "GERMANY", "no-such-donor", "ü", "%C3%BC", "%ED%A0%80", "..", "-")),
    st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=200),
    encoded_values,
)
paths = st.one_of(
    st.builds("/pledges/{}/".format, ids),
    st.builds("/donors/{}/".format, slugs),
    st.builds("/articles/{}/".format, slugs),
    st.builds("/static/{}".format, encoded_values),
    st.builds("/{}".format, encoded_values),
)
#: What a browser says about its languages, sent with the path requests.
languages = st.one_of(
    st.sampled_from(
        ("de", "de-DE,de;q=0.9,en;q=0.8", "*", "xx", "de;q=NaN", ",,,;;;", "en-" * 400)
    ),
    st.text(st.characters(codec="latin-1"), max_size=60),
)


def _allowed(response, path: str) -> None:
    assert response.status_code < 500, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("text/html"):
        page = body.decode()
        for script in SCRIPTS:
            assert script not in page, (path, script)


class Requests:
    """Counts what is sent, by kind, so the run can show it sent enough."""

    def __init__(self, client) -> None:
        self.client = client
        self.sent: Counter[str] = Counter()

    def get(self, path: str, kind: str, headers: dict | None = None):
        self.sent[kind] += 1
        response = self.client.get(path, headers=headers)
        _allowed(response, path)
        return response


@pytest.fixture
def pledges(db):
    """A few pledges of every kind: small, so that thousands of requests take seconds.

    (The seed data has sixty donors; every full page would render sixty checkboxes.)
    """
    military = CategoryFactory(slug="military", name="Military")
    air_defence = CategoryFactory(slug="air-defence", name="Air defence", parent=military)
    financial = CategoryFactory(slug="financial", name="Financial")
    germany, uk, allies = (
        DonorFactory(slug=slug, name=name)
        for slug, name in (
            ("germany", "Germany"),
            ("united-kingdom", "United Kingdom"),
            ("nato-allies", "NATO allies"),
        )
    )
    article = ArticleFactory(slug="hilfe")
    rows = (
        (germany, air_defence, "pledged", Decimal("1000000"), "EUR", None, (2025, 1, 5)),
        (uk, military, "delivered", Decimal("350000000"), "GBP", None, (2024, 3, 1)),
        (allies, financial, "proposed", Decimal("5.50"), "USD", None, None),
        (germany, air_defence, "allocated", None, "", 100, (2025, 6, 30)),
        (uk, financial, "pledged", Decimal("7"), "UAH", None, (2023, 2, 1)),
    )
    for position, (donor, category, stage, amount, currency, quantity, day) in enumerate(rows):
        PledgeFactory(
            donor=donor,
            category=category,
            stage=stage,
            amount=amount,
            currency=currency,
            quantity=quantity,
            item="drones" if quantity else "",
            announced_on=datetime.date(*day) if day else None,
            sentence=SentenceFactory(article=article, position=position + 1),
        )


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Thousands of 400s and 404s are expected here; server errors are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


#: What each test must send at least; together, MIN_REQUESTS or more.
FLOORS = {"filters": 1_500, "paths": 450, "language switch": 50}
assert sum(FLOORS.values()) >= MIN_REQUESTS


def _sent_enough(requests: Requests, kind: str) -> None:
    print(f"{requests.sent[kind]} {kind} requests")
    assert requests.sent[kind] >= FLOORS[kind], requests.sent


@settings(max_examples=220)
@given(query=queries(), full_page=st.sampled_from(FULL_PAGES))
@example(query="q=%00", full_page=FULL_PAGES[0]).via("PostgreSQL refuses NUL in text")
@example(query="donor=%00&category=a%00b&article=%00&currency=%00", full_page=FULL_PAGES[1])
@example(query="page=" + "9" * 400, full_page=FULL_PAGES[1])
@example(query="page=-1&page=0", full_page=FULL_PAGES[3])
@example(query="date_from=0000-01-01&date_to=99999-12-31", full_page=FULL_PAGES[0])
@example(query="amount_eur_min=1e309&amount_eur_max=NaN", full_page=FULL_PAGES[0])
@example(query="q=%ED%A0%80&donor=%C0%AF", full_page=FULL_PAGES[2])
@example(
    query="sort=%3Cscript%3E&by=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", full_page=FULL_PAGES[1]
)
def _filters_answer(requests: Requests, query: str, full_page: tuple[str, dict]) -> None:
    expected = PledgeFilter(QueryDict(query), queryset=Pledge.objects.none())
    problems = bool(expected.errors)
    bad_by = QueryDict(query).get("by", "") not in ("", *VALID["by"])
    for path, headers in (*FILTERED, full_page):
        response = requests.get(f"{path}?{query}", "filters", headers)
        if path.endswith(".csv"):
            # An export refuses what it cannot understand instead of exporting other rows.
            refused = problems or (bad_by and path.endswith("totals.csv"))
            assert response.status_code == (400 if refused else 200), (path, query)
            continue
        assert response.status_code == 200, (path, query)
        # Every value that was not understood is named above the table.
        assert (b'class="notice error"' in response.content) == problems, (path, query)


def test_filter_pages_answer_any_query(client, pledges):
    requests = Requests(client)
    _filters_answer(requests)
    _sent_enough(requests, "filters")


@settings(max_examples=100)
@given(path=paths, query=queries(), language=languages)
@example(path="/pledges/" + "9" * 30 + "/", query="", language="de")
@example(path=f"/pledges/{2**63}/", query="", language="de")
@example(path="/donors/%C3%BC/", query="", language="de")
@example(path="/articles/%ED%A0%80/", query="page=%00", language="de")
@example(path="/admin/login/", query="next=javascript:alert(1)", language="de")
def _paths_answer(requests: Requests, path: str, query: str, language: str) -> None:
    requests.client.cookies["django_language"] = language
    headers = {"Accept-Language": language}
    response = requests.get(f"{path}?{query}", "paths", headers)
    assert response.status_code in (200, 301, 302, 404), path
    pledge = Pledge.objects.order_by("pk").first()
    for page in (*OTHER_PAGES, f"/pledges/{pledge.pk}/"):
        requests.get(f"{page}?{query}", "paths", headers)


def test_unknown_ids_and_slugs_are_not_found(client, pledges):
    requests = Requests(client)
    _paths_answer(requests)
    _sent_enough(requests, "paths")


@settings(max_examples=60)
@given(language=values, next_url=values, method=st.sampled_from(("get", "post")))
@example(language="de", next_url="javascript:alert(1)", method="post")
@example(language="de", next_url="//evil.example/", method="post")
def _language_switch_answers(requests: Requests, language: str, next_url: str, method: str):
    requests.sent["language switch"] += 1
    data = {"language": language, "next": next_url}
    response = getattr(requests.client, method)("/i18n/setlang/", data)
    _allowed(response, "/i18n/setlang/")
    location = response.get("Location", "")
    assert not location.startswith(("javascript:", "//", "http")), location


def test_language_switch_takes_any_value(client, pledges):
    requests = Requests(client)
    _language_switch_answers(requests)
    _sent_enough(requests, "language switch")
