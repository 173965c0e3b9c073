from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.loading import (
    ArticleFileError,
    article_parse,
    article_parse_text,
    fixture_records,
    slug_make,
    slugs_assign,
)
from articles.models import Article, Sentence
from articles.segment import Kind
from tests.test_articles_segment import SEED_NAMES, SEEDS_DIR, seed_text

HEADER_ARTICLE = (
    "url: https://example.org/aid/1\n"
    "title: Norway pledges more air defence\n"
    "published: unknown\n"
    "publisher: Example News\n"
    "language: en\n"
    "\n"
    "Norway will send 15 more systems. Mr. Støre announced it on Monday.\n"
)
SLUG_000 = "ukraine-erlangt-neuen-strategischen-partnerschaftsstatus-in-internationalen"


def seed_paths() -> list[Path]:
    for name in SEED_NAMES:
        seed_text(name)  # fails the test with a clear message when a seed is missing
    return [SEEDS_DIR / name for name in SEED_NAMES]


def build(output: Path, *paths: Path) -> str:
    call_command("build_article_fixture", *map(str, paths), output=str(output), verbosity=0)
    return output.read_text(encoding="utf-8")


def database_rows() -> tuple[list[tuple], list[tuple]]:
    article_fields = [f.name for f in Article._meta.fields if not f.name.endswith("_at")]
    sentence_fields = [f.attname for f in Sentence._meta.fields]
    return (
        list(Article.objects.order_by("pk").values_list(*article_fields)),
        list(Sentence.objects.order_by("pk").values_list(*sentence_fields)),
    )


class TestSeedMetadata:
    @pytest.mark.parametrize(
        ("name", "title", "publisher", "published_on"),
        [
            (
                SEED_NAMES[0],
                "Ukraine erlangt neuen strategischen Partnerschaftsstatus in internationalen "
                "Militärallianzen",
                "Chas Pravdy",
                datetime.date(2025, 11, 5),
            ),
            (
                SEED_NAMES[1],
                "Eine neue Ära für die Ukraine: Der Vorstoß für Sicherheitsgarantien Ukraine",
                "nukemee.com",
                datetime.date(2025, 9, 3),
            ),
            (
                SEED_NAMES[2],
                "NATO-Alliierten verpflichten sich zu milliardenschwerer militärischer "
                "Unterstützung für die Ukraine",
                "",
                None,
            ),
            (
                SEED_NAMES[3],
                "NATO und Verbündete verstärken Unterstützung für die Ukraine",
                "IT BOLTWISE",
                None,
            ),
            (
                SEED_NAMES[4],
                "Die Lage im Überblick: Kiew und Moskau schmieden an ihren Allianzen",
                "",
                None,
            ),
        ],
    )
    def test_title_publisher_and_date_come_from_the_page(
        self, name, title, publisher, published_on
    ):
        article = article_parse(SEEDS_DIR / name)
        assert (article.title, article.publisher, article.published_on) == (
            title,
            publisher,
            published_on,
        )
        assert article.language == "de"
        assert article.url == ""
        assert article.source_name == name

    @pytest.mark.parametrize("name", SEED_NAMES)
    def test_a_file_without_header_is_the_body_byte_for_byte(self, name):
        article = article_parse(SEEDS_DIR / name)
        assert article.body.encode("utf-8") == (SEEDS_DIR / name).read_bytes()


class TestHeader:
    def test_header_fields_and_body(self, tmp_path):
        path = tmp_path / "norway.txt"
        path.write_text(HEADER_ARTICLE, encoding="utf-8")
        article = article_parse(path)
        assert article.url == "https://example.org/aid/1"
        assert article.title == "Norway pledges more air defence"
        assert article.published_on is None
        assert article.publisher == "Example News"
        assert article.language == "en"
        assert article.source_name == "norway.txt"
        assert article.body == (
            "Norway will send 15 more systems. Mr. Støre announced it on Monday.\n"
        )
        assert [s.text for s in article.sentences] == [
            "Norway will send 15 more systems.",
            "Mr. Støre announced it on Monday.",
        ]

    def test_a_published_date_and_what_is_not_given(self):
        article = article_parse_text(
            "title: Neue Hilfe\r\npublished: 2025-06-04\r\n\r\n\r\nDeutschland hilft.\r\n",
            source_name="a.txt",
        )
        assert article.published_on == datetime.date(2025, 6, 4)
        assert article.body == "\r\nDeutschland hilft.\r\n"
        assert (article.url, article.publisher, article.language) == ("", "", "de")

    def test_a_date_in_the_page_does_not_override_published_unknown(self):
        article = article_parse_text(
            "published: unknown\n\nChas Pravdy - 05 November 2025 13:09\n\nDie Ukraine dankt.",
            source_name="a.txt",
        )
        assert article.published_on is None
        assert article.publisher == "Chas Pravdy"

    def test_a_date_line_outside_the_window_is_no_publication_date(self):
        article = article_parse_text(
            "Chas Pravdy - 05 November 0202 13:09\n\nDie Ukraine dankt.", source_name="a.txt"
        )
        assert article.published_on is None

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("published: 5 Nov 2025\n\nText.", "published must be YYYY-MM-DD or unknown"),
            ("published: 2025-02-30\n\nText.", "published must be YYYY-MM-DD or unknown"),
            ("published: 0202-03-02\n\nText.", "published: 0202-03-02 is outside the accepted"),
            ("published: 9999-12-31\n\nText.", "published: 9999-12-31 is outside the accepted"),
            ("published: 1989-12-31\n\nText.", "published: 1989-12-31 is outside the accepted"),
            ("title: A\nauthor: B\n\nText.", "line 2 of the header block"),
            ("title: A\ntitle: B\n\nText.", "'title' appears twice"),
            ("language: fr\n\nTexte.", "language must be one of de, en, not 'fr'"),
            ("url: not a url\n\nText.", "is not a valid URL"),
            ("title: A\npublished: unknown\n", "the header block is not followed"),
            ("title: A\n\n \n\t\n", "the article body is empty"),
        ],
    )
    def test_a_bad_header_names_the_file(self, tmp_path, text, message):
        path = tmp_path / "bad.txt"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ArticleFileError, match=message) as caught:
            article_parse(path)
        assert str(caught.value).startswith(f"{path}: ")

    def test_a_byte_order_mark_does_not_hide_the_header(self, tmp_path):
        path = tmp_path / "bom.txt"
        path.write_bytes(b"\xef\xbb\xbf" + HEADER_ARTICLE.encode("utf-8"))
        article = article_parse(path)
        assert article.title == "Norway pledges more air defence"
        assert article.body.startswith("Norway will send")

    def test_a_colon_in_the_first_line_is_not_a_header(self):
        article = article_parse_text("Kiew: Die Lage bleibt angespannt.\n", source_name="a.txt")
        assert article.body == "Kiew: Die Lage bleibt angespannt.\n"


class TestTitle:
    def test_from_a_breadcrumb_when_the_page_has_no_headline(self):
        article = article_parse_text(
            "Home » Politik » Neue Hilfe für Kiew\n\nDeutschland hilft der Ukraine.",
            source_name="a.txt",
        )
        assert article.title == "Neue Hilfe für Kiew"

    def test_from_the_first_sentence_when_nothing_else_names_it(self):
        article = article_parse_text(
            "Deutschland hilft der Ukraine. Die Hilfe kommt bald.", source_name="a.txt"
        )
        assert article.title == "Deutschland hilft der Ukraine."


class TestLanguage:
    def test_english_is_detected(self):
        article = article_parse_text(
            "Germany has pledged more air defence systems to Ukraine. "
            "The package is worth 500 million euros, the ministry said.",
            source_name="en.txt",
        )
        assert article.language == "en"

    def test_german_is_detected(self):
        article = article_parse_text(
            "Deutschland hat der Ukraine weitere Systeme zugesagt. Das Paket ist 500 Millionen "
            "Euro wert.",
            source_name="de.txt",
        )
        assert article.language == "de"


class TestSlug:
    def test_umlauts_are_spelt_out(self):
        assert slug_make("Über die Größe: Äpfel für Öl") == "ueber-die-groesse-aepfel-fuer-oel"

    def test_a_long_title_is_cut_at_a_word_boundary(self):
        title = "Die Ukraine erhält weitere Unterstützung " * 5
        slug = slug_make(title)
        assert len(slug) <= 80
        assert slug == ("die-ukraine-erhaelt-weitere-unterstuetzung-die-ukraine-erhaelt-weitere")

    def test_a_title_without_latin_letters_still_gets_a_slug(self):
        assert slug_make("Україна") == "article"

    def test_collisions_are_numbered_without_taking_another_titles_slug(self):
        assert slugs_assign(["NATO", "Nato", "NATO 2", "Nato"]) == [
            "nato",
            "nato-3",
            "nato-2",
            "nato-4",
        ]

    def test_seed_slugs(self):
        slugs = [
            record["fields"]["slug"]
            for record in fixture_records([article_parse(path) for path in seed_paths()])
            if record["model"] == "articles.article"
        ]
        assert slugs == [
            SLUG_000,
            "eine-neue-aera-fuer-die-ukraine-der-vorstoss-fuer-sicherheitsgarantien-ukraine",
            "nato-alliierten-verpflichten-sich-zu-milliardenschwerer-militaerischer",
            "nato-und-verbuendete-verstaerken-unterstuetzung-fuer-die-ukraine",
            "die-lage-im-ueberblick-kiew-und-moskau-schmieden-an-ihren-allianzen",
        ]


class TestBuildCommand:
    def test_the_fixture_holds_the_seed_bodies_byte_for_byte(self, tmp_path):
        records = json.loads(build(tmp_path / "articles.json", *seed_paths()))
        bodies = {
            r["fields"]["source_name"]: r["fields"]["body"]
            for r in records
            if r["model"] == "articles.article"
        }
        assert sorted(bodies) == list(SEED_NAMES)
        for name, body in bodies.items():
            assert body.encode("utf-8") == (SEEDS_DIR / name).read_bytes()

    def test_every_sentence_in_the_fixture_is_its_slice_of_the_body(self, tmp_path):
        records = json.loads(build(tmp_path / "articles.json", *seed_paths()))
        bodies = {
            r["fields"]["slug"]: r["fields"]["body"] for r in records if "body" in r["fields"]
        }
        positions: dict[str, list[int]] = {}
        for record in records:
            if record["model"] == "articles.sentence":
                fields = record["fields"]
                body = bodies[fields["article"][0]]
                assert body[fields["start"] : fields["end"]] == fields["text"]
                positions.setdefault(fields["article"][0], []).append(fields["position"])
        assert sum(map(len, positions.values())) == 162
        for numbers in positions.values():
            assert numbers == list(range(1, len(numbers) + 1))

    def test_records_use_natural_keys_and_no_timestamps(self, tmp_path):
        records = json.loads(build(tmp_path / "articles.json", *seed_paths()))
        assert records[0] == {
            "model": "articles.article",
            "fields": {
                "slug": SLUG_000,
                "title": "Ukraine erlangt neuen strategischen Partnerschaftsstatus in "
                "internationalen Militärallianzen",
                "url": "",
                "publisher": "Chas Pravdy",
                "published_on": "2025-11-05",
                "language": "de",
                "body": seed_text(SEED_NAMES[0]),
                "source_name": SEED_NAMES[0],
            },
        }
        assert records[1] == {
            "model": "articles.sentence",
            "fields": {
                "article": [SLUG_000],
                "position": 1,
                "start": 0,
                "end": 4,
                "text": "• En",
                "kind": "menu",
            },
        }
        assert not any("pk" in record for record in records)

    def test_rebuilding_gives_the_same_bytes_whatever_the_file_order(self, tmp_path):
        first = build(tmp_path / "first.json", *seed_paths())
        second = build(tmp_path / "second.json", *reversed(seed_paths()))
        assert first == second
        assert first.endswith("}\n]\n")
        assert "\\u00" not in first  # ensure_ascii=False: umlauts are written as they are

    def test_the_committed_fixture_is_up_to_date(self, tmp_path):
        committed = Path(settings.BASE_DIR) / "fixtures" / "articles.json"
        assert build(tmp_path / "articles.json", *seed_paths()) == committed.read_text(
            encoding="utf-8"
        )

    def test_same_title_gets_a_numbered_slug(self, tmp_path):
        for name in ("b.txt", "a.txt"):
            (tmp_path / name).write_text("title: Hilfe\n\nDeutschland hilft.\n", encoding="utf-8")
        records = json.loads(build(tmp_path / "out.json", tmp_path / "b.txt", tmp_path / "a.txt"))
        articles = [r["fields"] for r in records if r["model"] == "articles.article"]
        assert [(a["source_name"], a["slug"]) for a in articles] == [
            ("a.txt", "hilfe"),
            ("b.txt", "hilfe-2"),
        ]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "the article body is empty"),
            (b"\n \n\t\n", "the article body is empty"),
            (b"Die Ukraine erh\xe4lt Hilfe.", "not valid UTF-8 (byte 0xe4 at offset 15)"),
        ],
    )
    def test_a_bad_file_is_named_and_nothing_is_written(self, tmp_path, content, message):
        good = tmp_path / "good.txt"
        good.write_text("Deutschland hilft.\n", encoding="utf-8")
        bad = tmp_path / "bad.txt"
        bad.write_bytes(content)
        output = tmp_path / "articles.json"
        output.write_text("old fixture", encoding="utf-8")
        with pytest.raises(CommandError, match=re.escape(message)) as caught:
            build(output, good, bad)
        assert str(bad) in str(caught.value)
        assert output.read_text(encoding="utf-8") == "old fixture"
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "articles.json",
            "bad.txt",
            "good.txt",
        ]

    def test_a_missing_file_is_named(self, tmp_path):
        missing = tmp_path / "missing.txt"
        with pytest.raises(CommandError, match=r"missing\.txt: cannot be read"):
            build(tmp_path / "articles.json", missing)
        assert not (tmp_path / "articles.json").exists()

    def test_two_files_with_one_url_are_refused(self, tmp_path):
        for name in ("a.txt", "b.txt"):
            (tmp_path / name).write_text(
                f"url: https://example.org/x\ntitle: {name}\n\nText.\n", encoding="utf-8"
            )
        with pytest.raises(CommandError, match=r"b\.txt: the url https://example\.org/x is also"):
            build(tmp_path / "articles.json", tmp_path / "a.txt", tmp_path / "b.txt")


@pytest.mark.django_db
class TestLoaddata:
    def test_loading_twice_changes_nothing(self, tmp_path):
        fixture = tmp_path / "articles.json"
        build(fixture, *seed_paths())
        call_command("loaddata", str(fixture), verbosity=0)
        articles, sentences = database_rows()
        assert len(articles) == 5
        assert len(sentences) == 162
        call_command("loaddata", str(fixture), verbosity=0)
        assert database_rows() == (articles, sentences)

    def test_the_committed_fixture_loads_by_name(self):
        call_command("loaddata", "articles", verbosity=0)
        article = Article.objects.get(source_name=SEED_NAMES[0])
        assert article.body == seed_text(SEED_NAMES[0])
        sentence = Sentence.objects.get_by_natural_key(article.slug, 11)
        assert sentence.text.startswith("Dies wurde am 5.\n\nNovember offiziell")
        assert article.body[sentence.start : sentence.end] == sentence.text
        assert Sentence.objects.filter(article=article).content().count() == 15
        assert Sentence.objects.filter(article=article, kind=Kind.MENU).count() == 6
