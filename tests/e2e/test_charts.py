"""The overview's charts in the browser: 44 donors, and the timeline across its card."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory

# serialized_rollback, as the other browser tests: it brings back what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def many_donors_server(live_server):
    military = CategoryFactory(slug="military", name="Military")
    for i in range(44):
        PledgeFactory(
            donor=DonorFactory(slug=f"donor-{i:02}", name=f"Donor {i:02}"),
            category=military,
            amount=Decimal(i + 1) * 10**6,
            announced_on=datetime.date(2022 + i // 12, i % 12 + 1, 5),
        )
    return live_server


def overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    """The pairs of boxes that overlap by more than a pixel."""
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    ]


LABEL_BOXES = """() => [...document.querySelectorAll('#timeline-chart .period-label')]
    .map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0)
    .map(r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}))"""


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (1366, 768), (390, 844)])
def test_donor_chart_and_timeline_fit_the_overview(many_donors_server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{many_donors_server.url}/")
        assert 1 <= page.locator("#donor-chart g.bar").count() <= 16
        assert page.locator("#donor-chart g.bar").last.get_attribute("data-donor") == "others"
        # The data table, one click away, lists every donor.
        page.locator("#donor-chart summary").click()
        assert page.locator("#donor-chart .chart-data tbody tr").count() == 44

        svg = page.locator("#timeline-chart svg.timeline-svg").bounding_box()
        card = page.locator(".chart-panel:has(#timeline-chart)")
        inside = card.evaluate(
            "e => { const s = getComputedStyle(e);"
            " return e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
        )
        # As wide as the card's content at every width; on a desktop, 90% of the card at least.
        assert svg["width"] >= inside - 1, (svg, inside)
        if width >= 1366:
            assert svg["width"] >= 0.9 * card.bounding_box()["width"]
        # Text keeps its size in pixels: a tick label is 10 to 16 px high at any width.
        tick = page.locator("#timeline-chart .tick.left").first.bounding_box()
        assert 10 <= tick["height"] <= 18, tick
        labels = page.evaluate(LABEL_BOXES)
        assert len(labels) >= 3
        assert overlapping(labels) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
