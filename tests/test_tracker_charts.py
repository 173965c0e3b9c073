from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from tracker.charts import (
    CATEGORY_COLOURS,
    FONT,
    MAX_BARS,
    WIDTH,
    chart_donor_bars,
    chart_in_kind,
    chart_timeline,
    money_compact,
    nice_ticks,
)

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
IN_KIND = [
    {"slug": "air-defence", "label": "Air defence", "quantity": 15, "pledges": 6},
    {"slug": "drones", "label": "Drones", "quantity": 100000, "pledges": 7},
    {"slug": "ammunition", "label": "Ammunition", "quantity": 42500, "pledges": 12},
]


def svg_of(html: str) -> ET.Element:
    """The chart's SVG as XML: Django's escaping keeps it well-formed."""
    match = re.search(r"<svg class=\"chart-svg\".*?</svg>", html, re.S)
    assert match, "no chart SVG in the output"
    return ET.fromstring(match.group(0))


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
        assert chart.line_points.split()[-1] == f"{last.cx},{last.line_y}"
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
        labelled = [bar for bar in chart.bars if bar.label]
        assert 4 <= len(labelled) <= 20
        assert all(bar.start.month in (1, 7) for bar in labelled) or all(
            bar.start.month == 1 for bar in labelled
        )
        assert not chart.dots

    def test_a_single_month_is_a_bar_not_a_slab(self):
        chart = chart_timeline([(date(2025, 6, 1), Decimal(100))])
        (bar,) = chart.bars
        assert bar.width <= 44
        assert bar.x + bar.width / 2 == pytest.approx(bar.cx, abs=0.1)
        assert chart.total == 100

    def test_labels_are_in_the_active_language(self):
        with translation.override("de"):
            chart = chart_timeline([(date(2025, 3, 1), Decimal("2.5e9"))])
        assert chart.bars[0].label == "Mär"
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
        labelled = [bar for bar in chart.bars if bar.label]
        assert labelled and all(
            bar.label in ("Q1", "Q3") or bar.label.isdigit() for bar in labelled
        )

    def test_years_and_runs_of_years_are_named_by_their_years(self):
        years = chart_timeline([(date(2000, 5, 1), 1), (date(2025, 2, 1), 3)])
        assert (years.title, years.table.head[0]) == ("Pledged per year", "Year")
        assert [bar.key for bar in years.bars[:2]] == ["2000", "2001"]
        assert years.bars[-1].tooltip == "2025: €3 pledged, €4 in total"
        runs = chart_timeline([(date(1990, 1, 1), 1), (date(2099, 12, 1), 3)])
        assert (runs.title, runs.left_title) == ("Pledged per 2 years", "Per 2 years")
        assert runs.bars[0].name == "1990–1991" and runs.bars[0].key == "1990-1991"
        assert runs.bars[-1].name == "2098–2099"
        assert runs.summary.startswith("1990 – 2099 · total")
        assert years.summary.startswith("2000 – 2025 · total")
        assert all(bar.label == "" or bar.label.isdigit() for bar in runs.bars)

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
    def test_bars_by_quantity_with_the_number_of_pledges(self):
        chart = chart_in_kind(IN_KIND)
        assert [(b.slug, b.total, b.value_label, b.note) for b in chart.bars] == [
            ("drones", 100000, "100,000", "7 pledges"),
            ("ammunition", 42500, "42,500", "12 pledges"),
            ("air-defence", 15, "15", "6 pledges"),
        ]
        assert [t.value for t in chart.ticks] == [0, 20000, 40000, 60000, 80000, 100000]
        assert chart.ticks[-1].label == "100,000"
        assert chart.table.foot.cells == ("142,515", "25")

    def test_counts_use_the_locale(self):
        with translation.override("de"):
            chart = chart_in_kind(IN_KIND)
        assert chart.bars[0].value_label == "100.000"

    def test_categories_with_pledges_but_no_quantity_are_listed(self):
        rows = [*IN_KIND, {"slug": "training", "label": "Training", "quantity": None, "pledges": 4}]
        chart = chart_in_kind(rows)
        training = chart.bars[-1]
        assert (training.slug, training.total, training.note) == ("training", 0, "4 pledges")
        assert training.segments[0].width == 0
        assert chart.table.foot.cells == ("142,515", "29")

    def test_small_counts_tick_in_whole_numbers(self):
        chart = chart_in_kind([{"slug": "tanks", "label": "Tanks", "quantity": 3, "pledges": 1}])
        assert [t.value for t in chart.ticks] == [0, 1, 2, 3]

    def test_nothing_to_draw_gives_none(self):
        assert chart_in_kind([]) is None
        assert chart_in_kind([{"slug": "x", "label": "X", "quantity": None, "pledges": 2}]) is None


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

    def test_in_kind_draws_a_bar_per_category_with_pledges(self):
        html = render_to_string("tracker/charts/in_kind.html", {"chart": chart_in_kind(IN_KIND)})
        svg = svg_of(html)
        bars = svg.findall(".//g[@class='in-kind-bar']")
        assert [g.get("data-category") for g in bars] == ["drones", "ammunition", "air-defence"]
        assert bars[0].find("text[@class='name']/tspan").text == " · 7 pledges"
        assert [row[0] for row in table_rows(html)] == ["Drones", "Ammunition", "Air defence"]

    def test_title_can_be_replaced(self):
        html = self.render_donors(chart_title="Germany by category")
        assert '<span class="chart-title">Germany by category</span>' in html
        assert svg_of(html).find("title").text == "Germany by category"
