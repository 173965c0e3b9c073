"""Hostile and malformed query values never cause a server error, on the page or the export."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db

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
    "sort",
    "page",
)
VALUES = (
    "\x00",
    "a\x00b",
    "x" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "9" * 400,
    "-1",
    "NaN",
    "inf",
    "2025-02-30",
    "%",
    "\u202e",
    "１２",
)


@pytest.mark.parametrize("parameter", PARAMETERS)
@pytest.mark.parametrize("value", VALUES)
def test_never_a_server_error(client, parameter, value):
    PledgeFactory(notes="<b>bold</b>")
    query = f"?{parameter}={quote(value)}"
    page = client.get("/pledges/" + query)
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content
    export = client.get("/pledges/export.csv" + query)
    assert export.status_code in (200, 400)
    if export.status_code == 200:
        assert b"".join(export.streaming_content).startswith(b"id,donor,")
