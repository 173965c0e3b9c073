from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from articles import segment as segment_module
from articles.loading import article_parse
from articles.segment import (
    SENTENCE_LIMIT,
    Kind,
    Segment,
    TooManySentences,
    date_find,
    line_classify,
    segment,
)

# The five seed articles, copied byte for byte into the repository.
SEEDS_DIR = settings.BASE_DIR / "fixtures" / "seeds"
SEED_NAMES = (
    "000_0bc75c6b4569a629.txt",
    "001_6a52a483ac5731b4.txt",
    "002_e44f32bd80eb2370.txt",
    "003_20dd7b780ac15aab.txt",
    "004_c3aff394776cafa8.txt",
)

# Four articles written for the suggestion engine's evaluation.
EVALUATION_DIR = settings.BASE_DIR / "fixtures" / "suggest_eval"
EVALUATION_NAMES = (
    "de_iris_t_paket.txt",
    "de_schweiz_winterhilfe.txt",
    "en_pentagon_roundup.txt",
    "en_uk_norway_package.txt",
)


def seed_text(name: str) -> str:
    path = SEEDS_DIR / name
    if not path.exists():
        pytest.fail(f"seed article {path} is missing")
    return path.read_bytes().decode("utf-8")


def seed_segments(name: str) -> list[Segment]:
    return segment(seed_text(name), "de")


def texts(segments: list[Segment], kind: str | None = None) -> list[str]:
    return [s.text for s in segments if kind is None or s.kind == kind]


class TestOffsets:
    @pytest.mark.parametrize("name", SEED_NAMES)
    def test_every_segment_is_its_slice_of_the_body(self, name):
        body = seed_text(name)
        segments = segment(body, "de")
        assert segments
        for s in segments:
            assert body[s.start : s.end] == s.text
            assert s.text == s.text.strip()
            assert s.end > s.start

    @pytest.mark.parametrize("name", SEED_NAMES)
    def test_segments_are_in_order_and_cover_all_text(self, name):
        body = seed_text(name)
        segments = segment(body, "de")
        previous_end = 0
        for s in segments:
            assert s.start >= previous_end
            assert body[previous_end : s.start].strip() == ""
            previous_end = s.end
        assert body[previous_end:].strip() == ""

    def test_offsets_count_code_points_not_bytes(self):
        body = "Überschrift ohne Punkt\n\nGroßbritannien liefert 15 Systeme. Die Ukraine dankt."
        segments = segment(body, "de")
        assert [(s.start, s.end) for s in segments] == [(0, 22), (24, 58), (59, 77)]

    def test_carriage_returns_stay_outside_the_text(self):
        body = "Titel ohne Punkt\r\n\r\nEin Satz. Noch einer.\r\n"
        segments = segment(body, "de")
        assert texts(segments) == ["Titel ohne Punkt", "Ein Satz.", "Noch einer."]
        assert all(body[s.start : s.end] == s.text for s in segments)

    def test_only_german_and_english(self):
        with pytest.raises(ValueError, match="Unsupported language 'fr'"):
            segment("Bonjour.", "fr")


class TestSeedSegmentation:
    @pytest.mark.parametrize(
        ("name", "content", "furniture"),
        [
            (SEED_NAMES[0], 15, 9),
            (SEED_NAMES[1], 12, 9),
            (SEED_NAMES[2], 13, 1),
            (SEED_NAMES[3], 21, 22),
            (SEED_NAMES[4], 50, 10),
        ],
    )
    def test_counts(self, name, content, furniture):
        segments = seed_segments(name)
        assert sum(s.is_content for s in segments) == content
        assert sum(not s.is_content for s in segments) == furniture

    def test_a_day_and_month_split_by_a_blank_line_are_one_sentence(self):
        body = seed_text(SEED_NAMES[0])
        segments = segment(body, "de")
        joined = [s for s in segments if s.text.startswith("Dies wurde am 5.")]
        assert len(joined) == 1
        sentence = joined[0]
        assert sentence.text == (
            "Dies wurde am 5.\n\nNovember offiziell vom ukrainischen Verteidigungsminister "
            "Denys Shmyhal über seinen Telegram-Kanal bekannt gegeben."
        )
        assert sentence.start == body.index("Dies wurde am 5.")
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.kind == Kind.CONTENT
        assert not any(s.text.startswith("November offiziell") for s in segments)

    def test_language_menu_headline_and_dateline_are_page_furniture(self):
        segments = seed_segments(SEED_NAMES[0])
        assert [(s.text, s.kind) for s in segments[:8]] == [
            ("• En", Kind.MENU),
            ("• Es", Kind.MENU),
            ("• De", Kind.MENU),
            ("• Fr", Kind.MENU),
            ("• It", Kind.MENU),
            ("• Ук", Kind.MENU),
            (
                "Ukraine erlangt neuen strategischen Partnerschaftsstatus in internationalen "
                "Militärallianzen",
                Kind.HEADLINE,
            ),
            ("Chas Pravdy - 05 November 2025 13:09", Kind.DATELINE),
        ]
        assert segments[8].kind == Kind.CONTENT
        assert (segments[-1].text, segments[-1].kind) == ("Informationsquelle", Kind.BOILERPLATE)

    def test_page_navigation_date_and_paywall(self):
        kinds = {s.text: s.kind for s in seed_segments(SEED_NAMES[1])}
        assert kinds["top of page"] == Kind.MENU
        assert kinds["bottom of page"] == Kind.MENU
        assert kinds["This Article Is Available In"] == Kind.MENU
        languages = [text for text in kinds if text.startswith("ENGLISH")]
        assert [" ".join(text.split()) for text in languages] == [
            "ENGLISH - GERMAN - FRENCH - ITALIAN - SPANISH"
        ]
        assert kinds[languages[0]] == Kind.MENU
        assert kinds["• Sep 3, 2025"] == Kind.DATELINE
        assert kinds["• 2 min read"] == Kind.DATELINE
        assert kinds["Want to read more?"] == Kind.BOILERPLATE
        assert kinds["Subscribe to nukemee.com to keep reading this exclusive post."] == (
            Kind.BOILERPLATE
        )
        assert kinds["Die Sicherheitszusagen für die Ukraine verstehen."] == Kind.CONTENT

    def test_wire_dateline_is_split_off_the_first_sentence(self):
        segments = seed_segments(SEED_NAMES[3])
        assert (segments[0].text, segments[0].kind) == (
            "BRÜSSEL / LONDON (IT BOLTWISE) –",
            Kind.DATELINE,
        )
        assert segments[1].text.startswith("Inmitten der anhaltenden Spannungen")
        assert segments[1].kind == Kind.CONTENT

    def test_everything_under_the_article_is_boilerplate(self):
        segments = seed_segments(SEED_NAMES[3])
        last_content = max(i for i, s in enumerate(segments) if s.is_content)
        assert segments[last_content].text.startswith("Die Bereitschaft, in neue Technologien")
        trailer = segments[last_content + 1 :]
        assert len(trailer) == 21
        assert {s.kind for s in trailer} == {Kind.BOILERPLATE}
        assert trailer[0].text == "- Die besten Bücher rund um KI & Robotik!"
        assert "Stellenangebote" in texts(trailer)
        assert "Es werden alle Kommentare moderiert!" in texts(trailer)

    def test_breadcrumb_byline_and_subheads(self):
        segments = seed_segments(SEED_NAMES[4])
        assert segments[0].kind == Kind.MENU
        assert segments[0].text.startswith("Home » Die Lage im Überblick")
        assert (segments[2].text, segments[2].kind) == ("Von", Kind.DATELINE)
        assert texts(segments, Kind.HEADLINE) == [
            "Die Lage im Überblick: Kiew und Moskau schmieden an ihren Allianzen",
            "Kriegsmarinen beider Staaten sollen enger kooperieren",
            "Russland und Iran vor Ausbau ihrer militärischen Zusammenarbeit",
            "Ukraine forciert eigenen Rüstungssektor",
            "Grünen-Appell an Scholz für Ukraine-Hilfe",
            "Probleme im Südosten der Front verschärfen sich",
            "Ex-US-General: “Trump will nicht als Verlierer gesehen werden”",
        ]
        assert (segments[-1].text, segments[-1].kind) == ("VERWANDTE BEITRÄGE", Kind.BOILERPLATE)

    @pytest.mark.parametrize(
        ("name", "sentence"),
        [
            (SEED_NAMES[2], "Im Jahr 2024 haben die NATO-Alliierten insgesamt etwa 50 Milliarden"),
            (SEED_NAMES[3], "Großbritannien hat angekündigt, 100.000 Drohnen zu liefern"),
            (SEED_NAMES[4], "Ziel sei es, im laufenden Jahr 3.000 Raketen und 30.000"),
            (SEED_NAMES[4], "Sie appellierte an Scholz: “Lassen Sie uns jetzt die drei Milliarden"),
            (SEED_NAMES[1], "NATO Secretary General Mark Rutte stands beside"),
        ],
    )
    def test_pledge_sentences_stay_whole_content(self, name, sentence):
        found = [s for s in seed_segments(name) if s.text.startswith(sentence)]
        assert len(found) == 1
        assert found[0].kind == Kind.CONTENT
        assert found[0].text[-1] in ".!?”"

    @pytest.mark.parametrize("name", SEED_NAMES)
    def test_content_sentences_end_like_sentences(self, name):
        for s in seed_segments(name):
            if s.is_content:
                assert s.text.rstrip('”“"»«)')[-1] in ".!?", s.text


class TestSplitting:
    def test_english_abbreviations(self):
        body = "Mr. Smith met the U.S. president on Monday. He said aid would continue."
        assert texts(segment(body, "en")) == [
            "Mr. Smith met the U.S. president on Monday.",
            "He said aid would continue.",
        ]

    def test_german_abbreviations_and_ordinals(self):
        body = (
            "Das Gesetz Nr. 5 gilt ab dem 1. Januar. Das 17. Hilfspaket umfasst z. B. Munition. "
            "Es geht um ca. 5 Mio. Euro."
        )
        assert texts(segment(body, "de")) == [
            "Das Gesetz Nr. 5 gilt ab dem 1. Januar.",
            "Das 17. Hilfspaket umfasst z. B. Munition.",
            "Es geht um ca. 5 Mio. Euro.",
        ]

    def test_a_currency_abbreviation_before_its_number_keeps_the_sentence(self):
        body = (
            "Regierungsrat spricht Fr. 1,2 Mio. für die Ukraine\n\n"
            "Der Regierungsrat hat einen Beitrag von Fr. 1,2 Mio. bewilligt. Davon gehen Fr. "
            "500'000 an das Rote Kreuz."
        )
        segments = segment(body, "de")
        assert [(s.kind, s.text) for s in segments] == [
            (Kind.HEADLINE, "Regierungsrat spricht Fr. 1,2 Mio. für die Ukraine"),
            (Kind.CONTENT, "Der Regierungsrat hat einen Beitrag von Fr. 1,2 Mio. bewilligt."),
            (Kind.CONTENT, "Davon gehen Fr. 500'000 an das Rote Kreuz."),
        ]

    def test_a_date_split_across_blank_lines_is_joined_without_moving_offsets(self):
        body = "Ein Satz.\n\nDas war am 24.\n\n\nFebruar 2022 in Kiew.\n"
        segments = segment(body, "de")
        assert texts(segments) == ["Ein Satz.", "Das war am 24.\n\n\nFebruar 2022 in Kiew."]
        assert (segments[1].start, segments[1].end) == (11, 49)

    def test_a_number_ending_a_sentence_is_not_joined_with_the_next(self):
        body = "Die Zahl stieg auf 12.\n\nNeue Zahlen folgen."
        assert texts(segment(body, "de")) == ["Die Zahl stieg auf 12.", "Neue Zahlen folgen."]

    def test_a_split_the_splitter_got_wrong_inside_a_line_is_joined(self):
        body = "Das Treffen fand am 12. und 13. Juni statt. Es war gut."
        assert texts(segment(body, "de")) == [
            "Das Treffen fand am 12. und 13. Juni statt.",
            "Es war gut.",
        ]

    def test_a_reference_mark_after_a_stop_ends_the_sentence(self):
        body = (
            "Zunächst waren 4 Milliarden Euro vorgesehen.[2] Mit dem Haushaltsgesetz stieg der "
            "Ansatz auf 8,3 Milliarden Euro.[3][4]\n\nDazu gehört ein weiteres System.[11]"
        )
        segments = segment(body, "de")
        assert texts(segments) == [
            "Zunächst waren 4 Milliarden Euro vorgesehen.[2]",
            "Mit dem Haushaltsgesetz stieg der Ansatz auf 8,3 Milliarden Euro.[3][4]",
            "Dazu gehört ein weiteres System.[11]",
        ]
        assert {s.kind for s in segments} == {"content"}

    def test_a_closing_quote_stays_with_its_sentence(self):
        body = 'Der Minister sagte: "Wir liefern." Dann ging er.'
        assert texts(segment(body, "de")) == ['Der Minister sagte: "Wir liefern."', "Dann ging er."]

    def test_a_long_line_without_a_full_stop_is_not_a_headline(self):
        body = "Die Ukraine erhält " + "weitere Hilfe und " * 15 + "neue Zusagen"
        assert [s.kind for s in segment(body, "de")] == [Kind.CONTENT]


class TestLineClassify:
    @pytest.mark.parametrize(
        ("line", "kind"),
        [
            ("• En", Kind.MENU),
            ("EN | DE | FR", Kind.MENU),
            ("Startseite » Politik » Ukraine", Kind.MENU),
            ("Berlin, 5. November 2025", Kind.DATELINE),
            ("Veröffentlicht am 04.06.2025, 13:09 Uhr", Kind.DATELINE),
            ("By Jane Doe", Kind.DATELINE),
            ("Quelle: Reuters", Kind.BOILERPLATE),
            ("Redakteur (m/w/d) für Politik", Kind.BOILERPLATE),
            ("Quellen zufolge liefert Deutschland weitere Panzer.", None),
            ("Von der Leyen kündigte neue Hilfen an.", None),
            ("Am 5. November 2025 sagte Deutschland 500 Millionen Euro zu.", None),
        ],
    )
    def test_lines(self, line, kind):
        assert line_classify(line) == kind


class TestDateFind:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Chas Pravdy - 05 November 2025 13:09", datetime.date(2025, 11, 5)),
            ("• Sep 3, 2025", datetime.date(2025, 9, 3)),
            ("am 24. Februar 2022", datetime.date(2022, 2, 24)),
            ("Stand: 04.06.2025", datetime.date(2025, 6, 4)),
            ("published 2025-06-04", datetime.date(2025, 6, 4)),
            ("am 31.02.2025 und am 1. März 2025", datetime.date(2025, 3, 1)),
            ("am 5. November", None),
        ],
    )
    def test_dates(self, text, expected):
        assert date_find(text) == expected


def one_paragraph(size: int) -> str:
    """The seed articles' sentences, over and over, on one line of ``size`` characters."""
    sentences = [
        " ".join(s.text.split())  # a sentence may hold a line break ("am 5.\n\nNovember")
        for name in SEED_NAMES
        for s in segment(seed_text(name), "de")
        if s.kind == Kind.CONTENT
    ]
    unit = " ".join(sentences) + " "
    return (unit * (size // len(unit) + 1))[:size]


class TestLongParagraphs:
    def test_pysbd_reads_a_long_paragraph_in_bounded_windows(self, pysbd_reads):
        text = one_paragraph(60_000)
        assert "\n" not in text
        pysbd_reads.clear()  # what building the text read
        segments = segment(text, "de")
        assert max(pysbd_reads) <= segment_module.WINDOW
        # Each window moves on by at least three fifths of itself: linear work.
        assert len(text) <= sum(pysbd_reads) <= 5 / 3 * len(text) + segment_module.WINDOW
        assert len(segments) > 300

    def test_the_work_grows_with_the_length(self, pysbd_reads):
        shorter, longer = one_paragraph(30_000), one_paragraph(90_000)
        pysbd_reads.clear()
        segment(shorter, "de")
        read = sum(pysbd_reads)
        pysbd_reads.clear()
        segment(longer, "de")
        assert sum(pysbd_reads) <= 3.3 * read

    def test_offsets_stay_exact(self):
        text = "Einleitung.\n\n" + one_paragraph(40_000) + "\n\nSchluss."
        segments = segment(text, "de")
        previous_end = 0
        for s in segments:
            assert text[s.start : s.end] == s.text == s.text.strip()
            assert text[previous_end : s.start].strip() == ""
            previous_end = s.end
        assert text[previous_end:].strip() == ""

    @pytest.mark.parametrize("name", [*SEED_NAMES, *EVALUATION_NAMES])
    def test_windows_find_the_sentences_a_whole_reading_finds(self, monkeypatch, name):
        path = SEEDS_DIR / name if name in SEED_NAMES else EVALUATION_DIR / name
        parsed = article_parse(path)
        paragraph = " ".join(s.text for s in parsed.sentences if s.kind == Kind.CONTENT)
        monkeypatch.setattr(segment_module, "WINDOW", 10**9)
        monkeypatch.setattr(segment_module, "WINDOW_STOPS", 10**9)
        whole = segment(paragraph, parsed.language)
        monkeypatch.setattr(segment_module, "WINDOW", 400)
        monkeypatch.setattr(segment_module, "WINDOW_STOPS", 20)
        assert segment(paragraph, parsed.language) == whole
        assert len(whole) > 10

    def test_a_sentence_longer_than_a_window_stays_whole(self, pysbd_reads):
        sentence = "Die Lieferung umfasst " + ", ".join(f"Teil {n} der Hilfe" for n in range(400))
        text = f"Vorher. {sentence}. Nachher."
        assert len(sentence) > 3 * segment_module.WINDOW
        assert texts(segment(text, "de")) == ["Vorher.", sentence + ".", "Nachher."]
        assert max(pysbd_reads) <= segment_module.WINDOW

    def test_a_text_without_spaces_is_one_sentence(self, pysbd_reads):
        assert texts(segment("x" * 50_000, "de")) == ["x" * 50_000]
        assert sum(pysbd_reads) < 2 * segment_module.WINDOW


class TestSentenceLimit:
    def test_more_sentences_than_an_article_has_are_refused_early(self, pysbd_reads):
        text = "Ja. " * 500_000  # 2 MB
        with pytest.raises(TooManySentences, match=r"more than 2,000 sentences"):
            segment(text, "de")
        # Refused once the limit is passed, long before the end of the text.
        assert sum(pysbd_reads) < 50_000

    def test_the_limit_counts_lines_too(self):
        with pytest.raises(TooManySentences):
            segment("Ja.\n" * (SENTENCE_LIMIT + 1), "de")

    def test_up_to_the_limit_is_an_article(self):
        assert len(segment("Ja. " * SENTENCE_LIMIT, "de")) == SENTENCE_LIMIT
