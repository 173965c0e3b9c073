from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory
from tracker.charts import (
    CATEGORY_COLOURS,
    FONT,
    MAX_BARS,
    TOP_DONORS,
    WIDTH,
    chart_donor_bars,
    chart_in_kind,
    chart_timeline,
    item_key,
    money_compact,
    nice_ticks,
)
from tracker.charts.numbers import text_width
from tracker.charts.timeline import WIDTHS

CATEGORIES = [
    ("military", "Military"),
    ("financial", "Financial"),
    ("humanitarian", "Humanitarian"),
]
EMPTY_SENTENCE = "No pledges with a EUR value match these filters."


def donor(slug: str, label: str, **values: str) -> dict:
    return {"slug": slug, "label": label, "values": {k: Decimal(v) for k, v in values.items()}}


DONORS = [
    donor("germany", "Germany", military="28000000000", humanitarian="3200000000"),
    donor("united-kingdom", "United Kingdom", military="6718547978.07"),
    donor("united-states", "United States", military="65e9", financial="46e9", humanitarian="4e9"),
    donor("japan", "Japan", financial="9300000000", humanitarian="1200000000"),
]


def in_kind(slug: str, label: str, item: str, quantity: int | None, pledges: int) -> dict:
    return {"slug": slug, "label": label, "item": item, "quantity": quantity, "pledges": pledges}


IN_KIND = [
    in_kind("air-defence", "Air defence", "Gravehawk systems", 15, 6),
    in_kind("drones", "Drones", "FPV drones", 100000, 4),
    in_kind("drones", "Drones", "FPV-Drones", 20000, 1),
    in_kind("drones", "Drones", "reconnaissance drones", 500, 2),
    in_kind("ammunition", "Ammunition", "155 mm artillery shells", 42500, 12),
    in_kind("ammunition", "Ammunition", "rounds of ammunition", 315_000_000, 3),
]


def svg_of(html: str) -> ET.Element:
    """The chart's SVG as XML (with any SVG nested in it): Django's escaping keeps it
    well-formed."""
    start = re.search(r"<svg class=\"chart-svg[ \"]", html)
    assert start, "no chart SVG in the output"
    depth, position = 0, start.start()
    for tag in re.finditer(r"<svg\b|</svg>", html[position:]):
        depth += 1 if tag.group(0) == "<svg" else -1
        if depth == 0:
            return ET.fromstring(html[position : position + tag.end()])
    raise AssertionError("the chart SVG is not closed")


def labels_at(chart, width: str) -> list[tuple[str, float, float]]:
    """The timeline's labels under the bars shown at a container width: (text, x, y)."""
    return [(lb.text, lb.x, lb.y) for lb in chart.labels if f"at-{width}" in lb.widths.split()]


def table_rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


class TestMoneyCompact:
    @pytest.mark.parametrize(
        ("value", "english", "german"),
        [
            (Decimal("6.4e9"), "€6.4bn", "6,4 Mrd. €"),
            (Decimal("2.93e8"), "€293m", "293 Mio. €"),
            (12000, "€12k", "12.000 €"),
            (950, "€950", "950 €"),
            (0, "€0", "0 €"),
            (Decimal("115000000000"), "€115bn", "115 Mrd. €"),
            (Decimal("6718547978.07"), "€6.7bn", "6,7 Mrd. €"),
            (6.0e9, "€6bn", "6 Mrd. €"),
        ],
    )
    def test_english_and_german(self, value, english, german):
        assert money_compact(value) == english
        with translation.override("de"):
            assert money_compact(value) == german
        assert money_compact(value, language="de") == german
        assert money_compact(value, language="en-gb") == english

    def test_rounding_carries_into_the_next_unit(self):
        assert money_compact(Decimal("999960000")) == "€1bn"
        assert money_compact(Decimal("9960000000")) == "€10bn"
        assert money_compact(Decimal("999999.6"), language="de") == "1 Mio. €"

    def test_languages_without_a_style_read_english(self):
        with translation.override("fr"):
            assert money_compact(Decimal("6.4e9")) == "€6.4bn"

    def test_none_is_empty(self):
        assert money_compact(None) == ""

    def test_template_filter(self):
        template = Template('{% load charts %}{{ v|money_compact }} {{ v|money_compact:"de" }}|')
        assert template.render(Context({"v": Decimal("2.93e8")})) == "€293m 293 Mio. €|"
        assert template.render(Context({"v": "not a number"})) == " |"
        assert template.render(Context({"v": None})) == " |"


class TestNiceTicks:
    @pytest.mark.parametrize(
        ("maximum", "ticks"),
        [
            (6.7e9, [0, 2e9, 4e9, 6e9, 8e9]),
            (Decimal("2.93e8"), [0, 1e8, 2e8, 3e8]),
            (12000, [0, 2500, 5000, 7500, 10000, 12500]),
            (950, [0, 200, 400, 600, 800, 1000]),
            (115e9, [0, 25e9, 50e9, 75e9, 100e9, 125e9]),
            (8e9, [0, 2e9, 4e9, 6e9, 8e9]),
            (1, [0, Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.8"), 1]),
        ],
    )
    def test_round_steps_from_zero(self, maximum, ticks):
        assert nice_ticks(maximum) == [Decimal(str(tick)) for tick in ticks]

    @pytest.mark.parametrize(
        "maximum", [1.3 * 10**e * m for e in range(0, 12) for m in range(1, 8)]
    )
    def test_four_to_six_ticks_covering_the_maximum(self, maximum):
        ticks = nice_ticks(maximum)
        step = ticks[1]
        assert 4 <= len(ticks) <= 6
        assert ticks[0] == 0
        assert ticks[-2] < Decimal(str(maximum)) <= ticks[-1]
        assert step.scaleb(-step.adjusted()).normalize() in {1, 2, Decimal("2.5"), 5}

    def test_counts_step_in_whole_numbers(self):
        assert nice_ticks(7, integer=True) == [0, 2, 4, 6, 8]
        assert nice_ticks(3, integer=True) == [0, 1, 2, 3]
        assert nice_ticks(100000, integer=True) == [0, 20000, 40000, 60000, 80000, 100000]

    def test_fewer_intervals_on_request(self):
        assert nice_ticks(6.7e9, max_intervals=3) == [0, Decimal("2.5e9"), 5e9, Decimal("7.5e9")]

    def test_zero_maximum_is_an_error(self):
        with pytest.raises(ValueError):
            nice_ticks(0)


class TestDonorBars:
    def test_one_bar_per_donor_largest_first(self):
        chart = chart_donor_bars(DONORS, categories=CATEGORIES)
        assert [bar.slug for bar in chart.bars] == [
            "united-states",
            "germany",
            "japan",
            "united-kingdom",
        ]
        assert [bar.total for bar in chart.bars] == [
            Decimal("115e9"),
            Decimal("31200000000"),
            Decimal("10500000000"),
            Decimal("6718547978.07"),
        ]
        assert chart.total == Decimal("163418547978.07")
        assert [bar.value_label for bar in chart.bars] == ["€115bn", "€31bn", "€11bn", "€6.7bn"]

    def test_segment_widths_are_proportional_to_values(self):
        chart = chart_donor_bars(DONORS, categories=CATEGORIES)
        scale = chart.plot_right / float(chart.ticks[-1].value)
        us = chart.bars[0]
        assert [(s.slug, s.value) for s in us.segments] == [
            ("military", Decimal("65e9")),
            ("financial", Decimal("46e9")),
            ("humanitarian", Decimal("4e9")),
        ]
        for segment in us.segments:
            assert segment.width == pytest.approx(float(segment.value) * scale, abs=0.11)
        # 65 : 46 : 4, and the segments abut from 0 to the bar's end.
        widths = [s.width for s in us.segments]
        assert widths[0] / widths[1] == pytest.approx(65 / 46, rel=0.005)
        assert us.segments[0].x == 0
        assert us.segments[1].x == us.segments[0].x + us.segments[0].width
        end = us.segments[-1].x + us.segments[-1].width
        assert end == pytest.approx(115e9 * scale, abs=0.1)
        assert us.value_x > end

    def test_axis_ticks_are_nice_and_labelled(self):
        rows = [donor("a", "A", military="6.7e9")]
        chart = chart_donor_bars(rows, categories=CATEGORIES)
        assert [t.value for t in chart.ticks] == [0, 2e9, 4e9, 6e9, 8e9]
        assert [t.label for t in chart.ticks] == ["€0", "€2bn", "€4bn", "€6bn", "€8bn"]
        assert chart.ticks[0].pos == 0
        assert chart.ticks[-1].pos == chart.plot_right
        with translation.override("de"):
            chart = chart_donor_bars(rows, categories=CATEGORIES)
        assert chart.ticks[1].label.endswith(" Mrd. €")

    def test_segments_follow_category_order_with_their_colours(self):
        chart = chart_donor_bars(
            [donor("a", "A", humanitarian="1", military="2")],
            categories=CATEGORIES,
            colours={"humanitarian": "#123456"},
        )
        segments = chart.bars[0].segments
        assert [(s.slug, s.colour) for s in segments] == [
            ("military", CATEGORY_COLOURS["military"]),
            ("humanitarian", "#123456"),
        ]
        assert [item.slug for item in chart.legend] == ["military", "humanitarian"]
        assert segments[0].tooltip == "A, Military: €2"

    def test_amounts_of_unlisted_categories_become_other(self):
        chart = chart_donor_bars(
            [donor("a", "A", military="5", drones="2", loans="1")], categories=CATEGORIES
        )
        assert [(s.slug, s.label, s.value) for s in chart.bars[0].segments] == [
            ("military", "Military", 5),
            ("other", "Other", 3),
        ]
        assert chart.bars[0].total == 8

    def test_donors_without_a_value_have_no_bar(self):
        rows = [*DONORS, donor("estonia", "Estonia"), donor("latvia", "Latvia", military="0")]
        chart = chart_donor_bars(rows, categories=CATEGORIES)
        assert "estonia" not in [bar.slug for bar in chart.bars]
        assert len(chart.bars) == 4

    def test_nothing_to_draw_gives_none(self):
        assert chart_donor_bars([], categories=CATEGORIES) is None
        assert chart_donor_bars([donor("a", "A", military="0")], categories=CATEGORIES) is None

    def test_a_long_name_is_shortened_on_the_chart_only(self):
        name = "European Union institutions, the European Investment Bank and the member states"
        chart = chart_donor_bars([donor("eu", name, military="1e9")], categories=CATEGORIES)
        bar = chart.bars[0]
        assert bar.name.endswith("…")
        assert name.startswith(bar.name[:-1])
        assert bar.label == name
        assert chart.table.rows[0].label == name

    def test_value_labels_fit_in_the_chart(self):
        chart = chart_donor_bars(DONORS, categories=CATEGORIES)
        for bar in chart.bars:
            # A generous average of .65em per character at the largest font.
            assert bar.value_x + len(bar.value_label) * 0.65 * FONT <= WIDTH

    @staticmethod
    def many_donors(count: int) -> list[dict]:
        # Donor i gives i+1 billion in military aid and, every third one, 1 million in
        # humanitarian aid: distinct totals, so the order is known.
        return [
            donor(
                f"d{i:02}",
                f"Donor {i:02}",
                military=f"{i + 1}e9",
                **({"humanitarian": "1e6"} if i % 3 == 0 else {}),
            )
            for i in range(count)
        ]

    def test_many_donors_draw_the_largest_and_one_bar_of_the_others(self):
        chart = chart_donor_bars(self.many_donors(44), categories=CATEGORIES)
        assert len(chart.bars) == TOP_DONORS + 1 == 16
        assert [bar.slug for bar in chart.bars[:3]] == ["d43", "d42", "d41"]
        others = chart.bars[-1]
        assert (others.slug, others.label) == ("others", "Others (29 donors)")
        # Donors 00 to 28: 1 to 29 billion, and ten of them 1 million more.
        assert others.total == Decimal(sum(range(1, 30))) * 10**9 + 10 * 10**6
        assert {s.slug: s.value for s in others.segments} == {
            "military": Decimal(435) * 10**9,
            "humanitarian": Decimal(10) * 10**6,
        }
        drawn = sum(bar.total for bar in chart.bars)
        assert drawn == chart.total == sum(Decimal(i + 1) * 10**9 for i in range(44)) + 15 * 10**6
        assert chart.summary == "44 donors · total €990bn"
        assert "The 15 largest donors are drawn, the others as one bar." in chart.description

    def test_the_data_table_lists_every_donor(self):
        chart = chart_donor_bars(self.many_donors(44), categories=CATEGORIES)
        names = [row.label for row in chart.table.rows]
        assert len(names) == 44
        assert names[0] == "Donor 43" and names[-1] == "Donor 00"
        assert "Others (29 donors)" not in names

    def test_one_donor_more_than_the_top_is_drawn_not_folded(self):
        chart = chart_donor_bars(self.many_donors(16), categories=CATEGORIES)
        assert len(chart.bars) == 16
        assert "others" not in [bar.slug for bar in chart.bars]
        chart = chart_donor_bars(self.many_donors(17), categories=CATEGORIES)
        assert chart.bars[-1].label == "Others (2 donors)"

    def test_the_axis_is_labelled_at_the_top_and_the_foot(self):
        chart = chart_donor_bars(self.many_donors(44), categories=CATEGORIES)
        assert chart.tick_y < chart.plot_top
        assert chart.plot_bottom < chart.bottom_tick_y < chart.height
        html = render_to_string("tracker/charts/donor_bars.html", {"chart": chart})
        svg = svg_of(html)
        labels = [t.text for t in svg.iter("text") if t.get("class") == "tick"]
        assert labels == [tick.label for tick in chart.ticks for _ in range(2)]
        assert len(svg.findall(".//g[@class='bar']")) == 16
        assert len(table_rows(html)) == 44


class TestTimeline:
    MONTHS = (
        (date(2025, 3, 1), Decimal("3000000000")),
        (date(2024, 11, 1), Decimal("1500000000")),
        (date(2025, 1, 17), Decimal("500000000")),
        (date(2025, 1, 1), Decimal("250000000")),
    )

    def test_fills_month_gaps_with_zeros(self):
        chart = chart_timeline(self.MONTHS)
        assert [(bar.start, bar.amount) for bar in chart.bars] == [
            (date(2024, 11, 1), Decimal("1500000000")),
            (date(2024, 12, 1), 0),
            (date(2025, 1, 1), Decimal("750000000")),
            (date(2025, 2, 1), 0),
            (date(2025, 3, 1), Decimal("3000000000")),
        ]
        zero = chart.bars[1]
        assert zero.height == 0
        assert zero.y == chart.plot_bottom

    def test_cumulative_line_ends_at_the_sum(self):
        chart = chart_timeline(self.MONTHS)
        assert chart.total == Decimal("5250000000")
        assert [bar.cumulative for bar in chart.bars] == [
            Decimal("1500000000"),
            Decimal("1500000000"),
            Decimal("2250000000"),
            Decimal("2250000000"),
            Decimal("5250000000"),
        ]
        top = float(chart.right_ticks[-1].value)
        last = chart.bars[-1]
        expected = chart.plot_bottom - (chart.plot_bottom - chart.plot_top) * 5.25e9 / top
        assert last.line_y == pytest.approx(expected, abs=0.1)
        # The line is drawn in the plot's own units: one per bar across, pixels down.
        x, y = chart.line_points.split()[-1].split(",")
        assert float(x) == 4.5
        assert float(y) == pytest.approx(last.line_y - chart.plot_top, abs=0.1)
        assert last.cx == 90  # per cent of the plot: the middle of the fifth of five columns
        assert len(chart.line_points.split()) == 5

    def test_bar_heights_follow_the_left_axis(self):
        chart = chart_timeline(self.MONTHS)
        top = float(chart.left_ticks[-1].value)
        for bar in chart.bars:
            expected = chart.plot_height * float(bar.amount) / top
            assert bar.height == pytest.approx(expected, abs=0.11)

    def test_both_axes_share_gridlines(self):
        chart = chart_timeline(self.MONTHS)
        assert [t.pos for t in chart.left_ticks] == [t.pos for t in chart.right_ticks]
        assert 4 <= len(chart.left_ticks) <= 6
        assert chart.left_ticks[-1].value >= Decimal("3e9")
        assert chart.right_ticks[-1].value >= chart.total
        assert chart.left_ticks[0].value == chart.right_ticks[0].value == 0

    def test_month_labels_thin_out_on_long_ranges(self):
        months = [(date(2020 + i // 12, i % 12 + 1, 1), Decimal(1000)) for i in range(60)]
        chart = chart_timeline(months)
        counts = [len(labels_at(chart, name)) for name, _ in WIDTHS]
        assert 3 <= counts[0] <= counts[1] <= counts[2] <= 60
        assert counts[0] < counts[2]
        first_row = min(y for _, _, y in labels_at(chart, "narrow"))
        narrow = [text for text, _, y in labels_at(chart, "narrow") if y == first_row]
        assert narrow == ["2020", "2022", "2024"]  # every other year on a phone
        assert not chart.dots

    @pytest.mark.parametrize("count", [1, 5, 13, 30, 72])
    def test_labels_under_the_bars_never_touch_at_any_width(self, count):
        months = [(date(2020 + i // 12, i % 12 + 1, 1), Decimal(1000)) for i in range(count)]
        chart = chart_timeline(months)
        for name, plot_px in WIDTHS:
            shown = labels_at(chart, name)
            assert shown, name
            for row in {y for _, _, y in shown}:
                placed = sorted((x, text) for text, x, y in shown if y == row)
                for (x1, a), (x2, b) in itertools.pairwise(placed):
                    gap = (x2 - x1) / 100 * plot_px
                    assert gap >= (text_width(a, 12.15) + text_width(b, 12.15)) / 2, (name, a, b)

    def test_a_single_month_is_a_bar_not_a_slab(self):
        chart = chart_timeline([(date(2025, 6, 1), Decimal(100))])
        (bar,) = chart.bars
        assert bar.width <= 6  # per cent of the plot
        assert bar.x + bar.width / 2 == pytest.approx(bar.cx, abs=0.01) == 50
        assert chart.total == 100

    def test_labels_are_in_the_active_language(self):
        with translation.override("de"):
            chart = chart_timeline([(date(2025, 3, 1), Decimal("2.5e9"))])
        assert [text for text, _, _ in labels_at(chart, "wide")] == ["Mär", "2025"]
        assert chart.left_title == "EUR pro Monat"
        assert chart.right_title == "EUR, laufende Summe"
        assert "März 2025" in chart.bars[0].tooltip
        assert "2,5 Mrd. €" in chart.bars[0].tooltip

    def test_nothing_to_draw_gives_none(self):
        assert chart_timeline([]) is None
        assert chart_timeline([(date(2025, 1, 1), Decimal(0)), (date(2025, 2, 1), None)]) is None

    def test_a_negative_amount_is_an_error(self):
        with pytest.raises(ValueError):
            chart_timeline([(date(2025, 1, 1), Decimal(-5))])


class TestTimelineBuckets:
    """However far apart the dates lie, the timeline has at most MAX_BARS bars: months while
    they fit, then quarters, years and runs of years, aligned on the calendar."""

    @staticmethod
    def monthly(first: date, count: int) -> list[tuple[date, Decimal]]:
        index = first.year * 12 + first.month - 1
        return [
            (date((index + i) // 12, (index + i) % 12 + 1, 1), Decimal(i + 1)) for i in range(count)
        ]

    @pytest.mark.parametrize(
        "months, bar_months, bars",
        [
            ([(date(2022, 1, 1), 1), (date(2027, 12, 1), 1)], 1, 72),  # six years of months
            ([(date(2022, 1, 1), 1), (date(2028, 1, 1), 1)], 3, 25),
            ([(date(2000, 1, 1), 1), (date(2025, 12, 31), 1)], 12, 26),
            ([(date(1990, 1, 1), 1), (date(2099, 12, 31), 1)], 24, 55),  # the window
            ([(date(1, 1, 1), 1), (date(9999, 12, 31), 1)], 2400, 50),  # any date at all
        ],
    )
    def test_the_bars_follow_the_span_and_never_pass_the_limit(self, months, bar_months, bars):
        chart = chart_timeline(months)
        assert chart.bar_months == bar_months
        assert len(chart.bars) == len(chart.table.rows) == bars <= MAX_BARS
        assert len(chart.line_points.split()) == bars
        assert chart.total == 2

    def test_every_amount_is_in_its_quarter(self):
        chart = chart_timeline(self.monthly(date(2021, 11, 1), 75))  # Nov 2021 to Jan 2028
        assert chart.bar_months == 3
        assert [bar.key for bar in chart.bars[:2]] == ["2021-Q4", "2022-Q1"]
        assert [bar.name for bar in chart.bars[:2]] == ["Q4 2021", "Q1 2022"]
        assert chart.bars[0].amount == 1 + 2  # November and December
        assert chart.bars[1].amount == 3 + 4 + 5
        assert chart.bars[-1].key == "2028-Q1" and chart.bars[-1].amount == 75
        assert chart.total == sum(range(1, 76)) == chart.bars[-1].cumulative
        assert chart.title == "Pledged per quarter"
        assert chart.table.head[0] == "Quarter"
        assert chart.summary.startswith("Q4 2021 – Q1 2028 · total")
        assert "Highest quarter: Q4 2027 with €219." in chart.description  # 72 + 73 + 74
        for name, _ in WIDTHS:
            labelled = [text for text, _, _ in labels_at(chart, name)]
            assert labelled and all(
                text in ("Q1", "Q2", "Q3", "Q4") or text.isdigit() for text in labelled
            )

    def test_years_and_runs_of_years_are_named_by_their_years(self):
        years = chart_timeline([(date(2000, 5, 1), 1), (date(2025, 2, 1), 3)])
        assert (years.title, years.table.head[0]) == ("Pledged per year", "Year")
        assert [bar.key for bar in years.bars[:2]] == ["2000", "2001"]
        assert years.bars[-1].tooltip == "2025: €3 pledged, €4 in total"
        runs = chart_timeline([(date(1990, 1, 1), 1), (date(2099, 12, 1), 3)])
        assert (runs.title, runs.left_title) == ("Pledged per 2 years", "EUR per 2 years")
        assert runs.bars[0].name == "1990–1991" and runs.bars[0].key == "1990-1991"
        assert runs.bars[-1].name == "2098–2099"
        assert runs.summary.startswith("1990 – 2099 · total")
        assert years.summary.startswith("2000 – 2025 · total")
        assert all(label.text.isdigit() for label in runs.labels)

    def test_quarters_in_german(self):
        with translation.override("de"):
            chart = chart_timeline(self.monthly(date(2021, 11, 1), 75))
        assert chart.bars[1].name == "1. Quartal 2022"
        assert chart.title == "Zusagen pro Quartal"

    def test_a_chart_over_every_date_renders_small(self):
        chart = chart_timeline([(date(1, 1, 1), Decimal(5)), (date(9999, 12, 31), Decimal(7))])
        html = render_to_string("tracker/charts/timeline.html", {"chart": chart})
        assert len(svg_of(html).findall(".//g[@class='period']")) == 50
        assert len(table_rows(html)) == 50
        assert len(html) < 40_000
        assert "Pledged per 200 years" in html
        assert "1–199" in html and "9800–9999" in html


class TestInKind:
    def test_quantities_per_item_grouped_by_category_most_pledges_first(self):
        chart = chart_in_kind(IN_KIND)
        assert [(g.slug, g.pledges, g.note) for g in chart.groups] == [
            ("ammunition", 15, "15 pledges · 2 items"),
            ("drones", 7, "7 pledges · 2 items"),
            ("air-defence", 6, "6 pledges · 1 item"),
        ]
        drones = chart.groups[1]
        # "FPV drones" and "FPV-Drones" are one item, named by its commonest spelling.
        assert [(i.label, i.quantity, i.pledges) for i in drones.items] == [
            ("FPV drones", 120000, 5),
            ("reconnaissance drones", 500, 2),
        ]
        assert (chart.item_count, chart.pledges) == (5, 28)
        assert chart.summary == "28 in-kind pledges · 5 items"

    def test_each_category_has_its_own_scale(self):
        chart = chart_in_kind(IN_KIND)
        ammunition, drones, air_defence = chart.groups
        # 315 million rounds do not flatten the shells of their own category to nothing
        # elsewhere: each category's largest item fills its bar.
        assert [i.bar for i in ammunition.items] == [100, pytest.approx(0.0, abs=0.1)]
        assert [i.bar for i in drones.items] == [100, pytest.approx(0.4, abs=0.05)]
        assert [i.bar for i in air_defence.items] == [100]

    def test_never_adds_up_different_items(self):
        chart = chart_in_kind(IN_KIND)
        table = chart.table
        assert table.foot is None
        assert table.head == ("Item", "Category", "Quantity", "Pledges")
        quantities = {row.label: row.cells[1] for row in table.rows}
        assert quantities == {
            "rounds of ammunition": "315,000,000",
            "155 mm artillery shells": "42,500",
            "FPV drones": "120,000",
            "reconnaissance drones": "500",
            "Gravehawk systems": "15",
        }
        sums = {"315,042,500", "120,500", "315,163,015"}
        rendered = render_to_string("tracker/charts/in_kind.html", {"chart": chart})
        assert not any(total in rendered for total in sums)

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("155-mm  Shells", "155 mm shells"),
            ("FPV\u2011Drones.", "fpv drones"),
            (" Leopard 2 tanks", "LEOPARD-2 TANKS"),
        ],
    )
    def test_spellings_of_one_item(self, a, b):
        assert item_key(a) == item_key(b)

    def test_other_languages_and_categories_stay_apart(self):
        assert item_key("FPV-Drohnen") != item_key("FPV drones")
        chart = chart_in_kind(
            [
                in_kind("drones", "Drones", "drones", 10, 1),
                in_kind("naval", "Naval", "drones", 3, 1),
            ]
        )
        assert [(g.slug, g.items[0].quantity) for g in chart.groups] == [
            ("drones", 10),
            ("naval", 3),
        ]

    def test_long_lists_show_the_largest_and_the_table_holds_all(self):
        rows = [
            in_kind(f"c{c}", f"Category {c}", f"item {i}", 10 * (i + 1), c + 1)
            for c in range(8)
            for i in range(6)
        ]
        chart = chart_in_kind(rows)
        assert len(chart.groups) == 6 and chart.more_groups == 2
        assert [len(g.items) for g in chart.groups] == [4] * 6
        assert {g.more for g in chart.groups} == {2}
        assert chart.groups[0].items[0].label == "item 5"
        assert len(chart.table.rows) == 48 == chart.item_count

    def test_counts_use_the_locale(self):
        with translation.override("de"):
            chart = chart_in_kind(IN_KIND)
        assert chart.groups[0].items[0].quantity_label == "315.000.000"
        assert chart.summary == "28 Sachleistungszusagen · 5 Gegenstände"

    def test_an_unnamed_item_is_said_so(self):
        chart = chart_in_kind([in_kind("drones", "Drones", "", 4, 1)])
        assert chart.groups[0].items[0].label == "Item not named"

    def test_nothing_to_draw_gives_none(self):
        assert chart_in_kind([]) is None
        assert chart_in_kind([in_kind("x", "X", "tanks", None, 2)]) is None


class TestTemplates:
    def render_donors(self, rows=DONORS, **context) -> str:
        chart = chart_donor_bars(rows, categories=CATEGORIES)
        return render_to_string("tracker/charts/donor_bars.html", {"chart": chart, **context})

    def test_donor_bars_are_an_accessible_responsive_svg(self):
        html = self.render_donors()
        svg = svg_of(html)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == "donor-chart-title donor-chart-desc"
        assert svg.find("title").get("id") == "donor-chart-title"
        assert svg.find("desc").get("id") == "donor-chart-desc"
        assert "United States €115bn" in svg.find("desc").text
        assert svg.get("width") == "100%"
        assert svg.get("viewBox").startswith(f"0 0 {WIDTH} ")
        assert 'id="donor-chart"' in html

    def test_one_g_bar_per_donor_in_order_of_size(self):
        svg = svg_of(self.render_donors())
        bars = svg.findall(".//g[@class='bar']")
        assert [g.get("data-donor") for g in bars] == [
            "united-states",
            "germany",
            "japan",
            "united-kingdom",
        ]
        segments = bars[0].findall("rect[@class='segment']")
        assert [s.get("data-category") for s in segments] == [
            "military",
            "financial",
            "humanitarian",
        ]
        assert segments[0].find("title").text == "United States, Military: €65bn"
        assert bars[0].find("text[@class='value']").text == "€115bn"

    def test_no_other_chart_draws_a_g_bar(self):
        # Browser tests count g.bar as donors in view.
        timeline = chart_timeline(TestTimeline.MONTHS)
        html = render_to_string("tracker/charts/in_kind.html", {"chart": chart_in_kind(IN_KIND)})
        html += render_to_string("tracker/charts/timeline.html", {"chart": timeline})
        assert 'class="bar"' not in html

    def test_hostile_label_is_escaped(self):
        rows = [donor("x", '<script>alert("x")</script>', military="1e9")]
        html = self.render_donors(rows)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        name = svg_of(html).find(".//g[@class='bar']/text[@class='name']")
        assert name.text == '<script>alert("x")</script>'

    def test_data_table_holds_every_donor_with_full_amounts(self):
        html = self.render_donors()
        assert '<details class="chart-data">' in html
        assert "<summary>Data table</summary>" in html
        assert table_rows(html) == [
            [
                "United States",
                "65,000,000,000",
                "46,000,000,000",
                "4,000,000,000",
                "115,000,000,000",
            ],
            ["Germany", "28,000,000,000", "0", "3,200,000,000", "31,200,000,000"],
            ["Japan", "0", "9,300,000,000", "1,200,000,000", "10,500,000,000"],
            ["United Kingdom", "6,718,547,978", "0", "0", "6,718,547,978"],
        ]
        assert "163,418,547,978" in re.search(r"<tfoot>.*</tfoot>", html, re.S).group(0)

    def test_data_table_rounds_to_whole_euros(self):
        rows = [donor("a", "A", military="6718547978.5", financial="0.49")]
        html = self.render_donors(rows)
        assert table_rows(html) == [["A", "6,718,547,979", "0", "6,718,547,979"]]

    def test_empty_data_shows_a_sentence_instead_of_a_chart(self):
        for name in ("donor_bars", "timeline"):
            html = render_to_string(f"tracker/charts/{name}.html", {"chart": None})
            assert EMPTY_SENTENCE in html
            assert "<svg" not in html
        html = render_to_string("tracker/charts/in_kind.html", {"chart": None})
        assert "No in-kind pledges with a quantity match these filters." in html
        assert "<svg" not in html

    def test_coordinates_stay_numbers_in_german(self):
        with translation.override("de"):
            html = self.render_donors()
        svg = svg_of(html)
        assert "6,7 Mrd. €" in html
        for rect in svg.iter("rect"):
            float(rect.get("x"))
            float(rect.get("width"))
        assert "," not in svg.get("viewBox")

    def test_timeline_draws_every_month_and_the_line(self):
        chart = chart_timeline(TestTimeline.MONTHS)
        html = render_to_string("tracker/charts/timeline.html", {"chart": chart})
        svg = svg_of(html)
        months = svg.findall(".//g[@class='period']")
        assert [g.get("data-period") for g in months] == [
            "2024-11",
            "2024-12",
            "2025-01",
            "2025-02",
            "2025-03",
        ]
        assert months[1].find("title").text == "December 2024: €0 pledged, €1.5bn in total"
        assert svg.find(".//polyline[@class='cumulative']").get("points") == chart.line_points
        assert [row[0] for row in table_rows(html)] == [
            "November 2024",
            "December 2024",
            "January 2025",
            "February 2025",
            "March 2025",
        ]
        assert svg.get("aria-labelledby") == "timeline-chart-title timeline-chart-desc"

    def test_in_kind_is_a_table_per_category_with_bars_on_its_own_scale(self):
        html = render_to_string("tracker/charts/in_kind.html", {"chart": chart_in_kind(IN_KIND)})
        groups = re.findall(r'<table class="in-kind-group" data-category="([^"]+)">', html)
        assert groups == ["ammunition", "drones", "air-defence"]
        assert '<span class="in-kind-category">Drones</span>' in html
        widths = re.findall(r'<rect width="([0-9.]+)" height="1"', html)
        assert [float(w) for w in widths] == [100, 0.0, 100, 0.4, 100]
        assert "setting aside case, hyphens and spacing" in html
        assert 'aria-describedby="in-kind-chart-note"' in html
        # the data table: every item with its category
        rows = table_rows(html[html.index('<details class="chart-data">') :])
        assert rows[0] == ["rounds of ammunition", "Ammunition", "315,000,000", "3"]

    def test_title_can_be_replaced(self):
        html = self.render_donors(chart_title="Germany by category")
        assert '<span class="chart-title">Germany by category</span>' in html
        assert svg_of(html).find("title").text == "Germany by category"


class TestTimelineFillsItsCard:
    """The timeline is as wide as its card: no viewBox across, bars in per cent, text in
    pixels; only the line is stretched, in a plot of its own."""

    def render(self, months=TestTimeline.MONTHS) -> tuple[object, ET.Element]:
        chart = chart_timeline(months)
        return chart, svg_of(render_to_string("tracker/charts/timeline.html", {"chart": chart}))

    def test_the_svg_takes_its_container_width(self):
        chart, svg = self.render()
        assert svg.get("width") == "100%"
        assert svg.get("viewBox") is None
        assert svg.get("height") == str(chart.height)
        assert "timeline-svg" in svg.get("class").split()

    def test_bars_and_labels_are_placed_in_per_cent(self):
        chart, svg = self.render()
        rects = [r for r in svg.iter("rect") if r.get("class") in ("hit", "amount")]
        assert len(rects) == 2 * len(chart.bars)
        for rect in rects:
            assert rect.get("x").endswith("%") and rect.get("width").endswith("%")
            float(rect.get("x")[:-1])
        last = rects[-1]
        assert float(last.get("x")[:-1]) + float(last.get("width")[:-1]) <= 100
        labels = [t for t in svg.iter("text") if "period-label" in (t.get("class") or "")]
        assert labels and all(t.get("x").endswith("%") for t in labels)

    def test_the_line_is_stretched_to_the_plot_with_even_strokes(self):
        chart, svg = self.render()
        plot = svg.find("svg[@class='cumulative-plot']")
        assert plot.get("width") == "100%"
        assert plot.get("preserveAspectRatio") == "none"
        assert plot.get("viewBox") == f"0 0 {len(chart.bars)} {chart.plot_height}"
        for line in plot.findall("polyline"):
            assert line.get("vector-effect") == "non-scaling-stroke"

    def test_the_gutters_have_their_css(self):
        css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
        for months in (TestTimeline.MONTHS, [(date(2025, 1, 1), Decimal("123456789012345"))]):
            for language in ("en", "de"):
                with translation.override(language):
                    _, svg = self.render(months)
                for gutter in svg.get("class").split()[2:]:
                    side = "left" if gutter.startswith("gl-") else "right"
                    assert f".timeline-svg.{gutter} {{ padding-{side}: {gutter[3:]}px; }}" in css

    def test_axes_are_titled_with_their_units(self):
        _, svg = self.render()
        titles = [t.text for t in svg.iter("text") if "axis-title" in t.get("class")]
        assert titles == ["EUR per month", "EUR, running total"]

    def test_coordinates_stay_numbers_in_german(self):
        with translation.override("de"):
            _, svg = self.render()
        assert any("Mrd. €" in (t.text or "") for t in svg.iter("text"))
        for rect in svg.iter("rect"):
            float(rect.get("x").rstrip("%"))
            float(rect.get("width").rstrip("%"))
        assert "," not in svg.find("svg").get("viewBox")


@pytest.mark.django_db
class TestOverviewCharts:
    """The overview on 44 donors and in-kind pledges of different things."""

    @pytest.fixture
    def pledges(self, db):
        military = CategoryFactory(slug="military", name="Military")
        ammunition = CategoryFactory(slug="ammunition", name="Ammunition", parent=military)
        vehicles = CategoryFactory(slug="armoured-vehicles", name="Vehicles", parent=military)
        for i in range(44):
            PledgeFactory(
                donor=DonorFactory(slug=f"donor-{i:02}", name=f"Donor {i:02}"),
                category=military,
                amount=Decimal(i + 1) * 10**6,
            )
        in_kind = {"amount": None, "currency": ""}
        PledgeFactory(category=ammunition, quantity=315_000_000, item="155 mm shells", **in_kind)
        PledgeFactory(category=ammunition, quantity=1_000, item="155-mm Shells", **in_kind)
        PledgeFactory(category=vehicles, quantity=40, item="Leopard 2 tanks", **in_kind)
        PledgeFactory(category=vehicles, quantity=129, item="drones", **in_kind)

    def test_at_most_16_donor_bars_and_every_donor_in_the_data_table(self, client, pledges):
        html = client.get("/").content.decode()
        chart = html[html.index('id="donor-chart"') : html.index('id="timeline-chart"')]
        assert chart.count('<g class="bar"') == 16
        # Donors 00 to 28 give 1 to 29 million: €435m.
        assert "Others (29 donors)" in chart
        assert ">€435m</text>" in chart
        table = chart[chart.index('<details class="chart-data">') :]
        assert all(f'<th scope="row">Donor {i:02}</th>' in table for i in range(44))

    def test_no_sum_of_different_items_anywhere(self, client, pledges):
        html = client.get("/").content.decode()
        for language in ("en", "de"):
            html += client.get("/", headers={"accept-language": language}).content.decode()
        assert "315,001,000" in html  # the same item in two spellings, added up
        for total in ("315,001,169", "315.001.169", "315,001,040", "169"):
            assert total not in re.sub(r"<[^>]+>", " ", html).split(), total
        assert "items in all" not in html
        assert "3 kinds of items" in html

    def test_the_timeline_fills_its_card(self, client, pledges):
        html = client.get("/").content.decode()
        svg = svg_of(html[html.index('id="timeline-chart"') :])
        assert svg.get("width") == "100%" and svg.get("viewBox") is None
