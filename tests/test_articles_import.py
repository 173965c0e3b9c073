from __future__ import annotations

import contextlib
import hashlib
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import articles.importing
from articles.admin import UPLOAD_MAX_SIZE
from articles.importing import (
    ArticlesImportError,
    ImportStatus,
    article_slug_make,
    articles_import,
    import_fixture_path,
)
from articles.loading import article_parse, article_parse_text
from articles.models import Article, Sentence
from articles.segment import WINDOW
from tests.factories import PledgeFactory
from tests.test_articles_loading import database_rows
from tests.test_articles_segment import SEED_NAMES, SEEDS_DIR, one_paragraph, seed_text

pytestmark = pytest.mark.django_db

URL = "https://example.org/aid/7"
ENGLISH = (
    "url: https://example.org/aid/1\n"
    "title: Norway pledges more air defence\n"
    "published: 2025-06-04\n"
    "publisher: Example News\n"
    "language: en\n"
    "\n"
    "Norway will send 15 more systems. Mr. Støre announced it on Monday.\n"
)
GERMAN_NO_HEADER = (
    "Neue Hilfe für Kiew\n"
    "\n"
    "Deutschland sagt der Ukraine weitere Hilfe zu. Die Lieferung kommt im Juli, teilte das "
    "Ministerium mit.\n"
)
VERSION_1 = (
    f"url: {URL}\ntitle: Hilfe für Kiew\npublished: 2025-06-04\n\n"
    "Deutschland sagt weitere Hilfe zu. Die Lieferung kommt im Juli. Das Paket ist groß.\n"
)
CITED_TEXT = "Die Lieferung kommt im Juli."


@pytest.fixture(autouse=True)
def fixture_path(tmp_path, settings) -> Path:
    """The import fixture of these tests, never the project's own."""
    path = tmp_path / "fixtures" / "imported_articles.json"
    settings.ARTICLES_IMPORT_FIXTURE = path
    return path


@pytest.fixture
def files(tmp_path):
    directory = tmp_path / "in"
    directory.mkdir()

    def write(name: str, content: str | bytes) -> Path:
        path = directory / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


def run(*paths: Path, fixture: Path | None = None, **options) -> str:
    out = StringIO()
    if fixture:
        options["fixture"] = str(fixture)
    call_command("import_articles", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def state(fixture: Path) -> tuple:
    """Everything an import may change: the rows, the history, the fixture file's bytes."""
    return (
        database_rows(),
        Article.history.count(),
        fixture.read_bytes() if fixture.exists() else None,
    )


def confirm_data(preview, **changes) -> dict:
    """The preview's confirm form as the editor sends it: each article's fields as read, with
    ``changes`` ({"form-0-title": "..."}) made."""
    formset = preview.context["formset"]
    data = {
        "token": preview.context["token"],
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset:
        for name, field in form.fields.items():
            value = form.initial.get(name)
            data[form.add_prefix(name)] = field.prepare_value(value) if value is not None else ""
    return {**data, **changes}


def admin_import(client, data: dict, **changes):
    """Preview ``data`` in the admin's import and confirm it; the confirm's response."""
    preview = client.post(reverse("admin:articles_article_import"), data)
    assert preview.status_code == 200
    assert preview.templates[0].name == "admin/articles/article/import_preview.html", [
        str(m) for m in get_messages(preview.wsgi_request)
    ]
    return client.post(
        reverse("admin:articles_article_import_confirm"), confirm_data(preview, **changes)
    )


def natural_rows() -> tuple[list[tuple], list[tuple]]:
    """The rows without their primary keys, which a fresh load gives anew."""
    return (
        list(
            Article.objects.order_by("slug").values_list(
                "slug", "title", "url", "publisher", "published_on", "language", "body"
            )
        ),
        list(
            Sentence.objects.order_by("article__slug", "position").values_list(
                "article__slug", "position", "start", "end", "text", "kind"
            )
        ),
    )


def records_of(fixture: Path) -> list[dict]:
    return json.loads(fixture.read_text(encoding="utf-8"))


def cite(article: Article, text: str) -> Sentence:
    sentence = article.sentences.get(text=text)
    PledgeFactory(sentence=sentence)
    return sentence


class TestImport:
    def test_english_with_a_header(self, files, fixture_path):
        output = run(files("norway.txt", ENGLISH))
        article = Article.objects.get()
        assert article.url == "https://example.org/aid/1"
        assert (article.title, article.publisher, article.language) == (
            "Norway pledges more air defence",
            "Example News",
            "en",
        )
        assert str(article.published_on) == "2025-06-04"
        assert article.body == (
            "Norway will send 15 more systems. Mr. Støre announced it on Monday.\n"
        )
        digest = hashlib.sha256(b"https://example.org/aid/1").hexdigest()[:8]
        assert article.slug == f"norway-pledges-more-air-defence-{digest}"
        assert [s.text for s in article.sentences.order_by("position")] == [
            "Norway will send 15 more systems.",
            "Mr. Støre announced it on Monday.",
        ]
        assert [(s.prefix, s.suffix) for s in article.sentences.order_by("position")] == [
            ("", " Mr. Støre announced it on"),
            ("will send 15 more systems. ", "\n"),
        ]
        assert output.startswith(
            "Loaded 1 article with 2 sentences: Norway pledges more air defence"
        )
        records = records_of(fixture_path)
        assert [r["model"] for r in records] == ["articles.article", *["articles.sentence"] * 2]
        assert not any("pk" in record for record in records)

    def test_german_without_a_header(self, files):
        run(files("kiew.txt", GERMAN_NO_HEADER))
        article = Article.objects.get()
        assert (article.title, article.url, article.language) == ("Neue Hilfe für Kiew", "", "de")
        assert article.body == GERMAN_NO_HEADER
        digest = hashlib.sha256(GERMAN_NO_HEADER.encode()).hexdigest()[:8]
        assert article.slug == f"neue-hilfe-fuer-kiew-{digest}"
        for sentence in article.sentences.all():
            assert article.body[sentence.start : sentence.end] == sentence.text

    def test_a_seed_file_is_split_as_build_article_fixture_splits_it(self, files):
        path = SEEDS_DIR / SEED_NAMES[0]
        run(path)
        article = Article.objects.get()
        assert article.body == seed_text(SEED_NAMES[0])
        assert [
            (s.start, s.end, s.text, s.kind) for s in article.sentences.order_by("position")
        ] == [(s.start, s.end, s.text, s.kind) for s in article_parse(path).sentences]

    def test_the_fixture_loads_a_fresh_database_onto_the_same_rows(self, files, fixture_path):
        run(files("norway.txt", ENGLISH), files("kiew.txt", GERMAN_NO_HEADER))
        before = natural_rows()
        Article.objects.all().delete()
        call_command("loaddata", str(fixture_path), verbosity=0)
        assert natural_rows() == before

    def test_importing_twice_changes_nothing(self, files, fixture_path):
        paths = (files("norway.txt", ENGLISH), files("kiew.txt", GERMAN_NO_HEADER))
        run(*paths)
        before = state(fixture_path)
        output = run(*paths)
        assert state(fixture_path) == before
        assert output.splitlines() == [
            "Already loaded: Norway pledges more air defence (" + str(paths[0]) + ", as "
            f"{Article.objects.get(url__endswith='/1').slug}).",
            f"Already loaded: Neue Hilfe für Kiew ({paths[1]}, as "
            f"{Article.objects.get(url='').slug}).",
        ]

    def test_a_renamed_copy_without_url_is_already_loaded(self, files, fixture_path):
        run(files("kiew.txt", GERMAN_NO_HEADER))
        before = state(fixture_path)
        output = run(files("kiew-copy.txt", GERMAN_NO_HEADER))
        assert output.startswith("Already loaded: Neue Hilfe für Kiew")
        assert state(fixture_path) == before

    def test_a_seed_loaded_from_articles_json_is_already_loaded(self, seeded, fixture_path):
        before = state(fixture_path)
        output = run(*(SEEDS_DIR / name for name in SEED_NAMES))
        assert output.count("Already loaded: ") == 5
        assert state(fixture_path) == before
        assert not fixture_path.exists()

    def test_imports_append_and_the_file_stays_sorted_and_deterministic(self, files, tmp_path):
        first, second = tmp_path / "one.json", tmp_path / "two.json"
        b, a = files("b.txt", ENGLISH), files("a.txt", GERMAN_NO_HEADER)
        run(b, fixture=first)
        run(a, fixture=first)
        assert [r["fields"]["source_name"] for r in records_of(first) if "slug" in r["fields"]] == [
            "a.txt",
            "b.txt",
        ]
        Article.objects.all().delete()
        run(a, b, fixture=second)
        assert first.read_bytes() == second.read_bytes()
        assert first.read_text(encoding="utf-8").endswith("}\n]\n")

    def test_the_fixture_option_names_a_file_under_fixtures(self):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        assert import_fixture_path("extra") == fixtures / "extra.json"
        assert import_fixture_path("extra.json") == fixtures / "extra.json"
        assert import_fixture_path("/tmp/x/extra.json") == Path("/tmp/x/extra.json")

    def test_history_records_who_imported(self, files, django_user_model):
        user = django_user_model.objects.create_user("someone")
        (outcome,) = articles_import(files=[files("norway.txt", ENGLISH)], user=user)
        assert (outcome.status, outcome.n_sentences) == (ImportStatus.LOADED, 2)
        record = Article.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            user,
            "Imported from norway.txt",
        )


class TestErrors:
    @pytest.fixture(autouse=True)
    def already_imported(self, files):
        """An earlier import, so that the fixture file has bytes to keep."""
        run(files("earlier.txt", ENGLISH))

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (
                b"Die Ukraine erh\xe4lt Hilfe.",
                "bad.txt: not valid UTF-8 (byte 0xe4 at offset 15); save the file as UTF-8.",
            ),
            (
                "Die Ukraine bekommt Hilfe.".encode("utf-16-le"),
                "bad.txt: a NUL byte at offset 1: not UTF-8 text (UTF-16?)",
            ),
            (
                b"title: Hilfe\nauthor: Someone\n\nText.",
                "bad.txt: line 2 of the header block is not one of the fields",
            ),
            (b"title: Hilfe\npublished: 5.6.2025\n\nText.", "bad.txt: published must be"),
            (
                b"title: Hilfe\npublished: 0202-03-02\n\nText.",
                "bad.txt: published: 0202-03-02 is outside the accepted dates, 1990-01-01 to ",
            ),
            (b"url: example dot org\n\nText.", "bad.txt: url 'example dot org' is not a valid"),
            (b"language: fr\n\nText.", "bad.txt: language must be one of de, en, not 'fr'"),
            (b"title: Hilfe\n\n\n  \n", "bad.txt: the article body is empty."),
            (b"", "bad.txt: the article body is empty."),
        ],
        ids=(
            "latin-1",
            "utf-16",
            "unknown-header-key",
            "bad-date",
            "date-outside-the-window",
            "bad-url",
            "bad-language",
            "empty-body-after-header",
            "empty-file",
        ),
    )
    def test_a_bad_file_is_named_and_nothing_is_loaded(self, files, fixture_path, content, message):
        good = files("good.txt", GERMAN_NO_HEADER)
        bad = files("bad.txt", content)
        before = state(fixture_path)
        with pytest.raises(CommandError) as caught:
            run(good, bad)
        assert message in str(caught.value)
        assert str(caught.value).endswith("Nothing was loaded.")
        assert state(fixture_path) == before

    def test_every_bad_file_is_named(self, files, fixture_path):
        with pytest.raises(ArticlesImportError) as caught:
            articles_import(files=[files("a.txt", b"\xff"), files("b.txt", b"")])
        assert [error.split(":")[0] for error in caught.value.errors] == [
            str(files("a.txt", b"\xff")),
            str(files("b.txt", b"")),
        ]

    def test_a_duplicate_url_in_one_call(self, files, fixture_path):
        one = files("one.txt", VERSION_1)
        two = files("two.txt", VERSION_1.replace("groß", "sehr groß"))
        before = state(fixture_path)
        with pytest.raises(CommandError, match=f"two.txt: the url {URL} is also the url of "):
            run(one, two)
        assert state(fixture_path) == before

    def test_the_same_text_twice_in_one_call(self, files, fixture_path):
        before = state(fixture_path)
        with pytest.raises(CommandError, match=r"b\.txt: the same text as .*a\.txt"):
            run(files("a.txt", GERMAN_NO_HEADER), files("b.txt", GERMAN_NO_HEADER))
        assert state(fixture_path) == before

    def test_a_url_for_a_text_loaded_without_one(self, seeded, files, fixture_path):
        seed = seed_text(SEED_NAMES[0])
        before = state(fixture_path)
        with pytest.raises(CommandError, match="already loaded, without a url, as ukraine-"):
            run(files("seed.txt", f"url: https://example.org/seed\n\n{seed}"))
        assert state(fixture_path) == before

    def test_a_fixture_file_that_is_not_a_fixture(self, files, fixture_path):
        fixture_path.write_text('{"not": "a list"}', encoding="utf-8")
        before = state(fixture_path)
        with pytest.raises(
            CommandError, match="not a fixture of articles and sentences \\(not a list\\)"
        ):
            run(files("kiew.txt", GERMAN_NO_HEADER))
        assert state(fixture_path) == before

    def test_a_fixture_file_that_is_not_json(self, files, fixture_path):
        fixture_path.parent.mkdir(parents=True, exist_ok=True)
        fixture_path.write_text('[{"model": "articles.article",, }]', encoding="utf-8")
        before = state(fixture_path)
        with pytest.raises(CommandError) as caught:
            run(files("kiew.txt", GERMAN_NO_HEADER))
        assert str(caught.value) == (
            f"{fixture_path}: not valid JSON (Expecting property name enclosed in double "
            "quotes: line 1 column 31 (char 30)); fix or move it first.\nNothing was loaded."
        )
        assert state(fixture_path) == before

    def test_a_fixture_record_that_is_no_article(self, files, fixture_path):
        run(files("norway.txt", ENGLISH))
        records = records_of(fixture_path)
        records.append({"model": "tracker.pledge", "fields": {"donor": ["atlantis"]}})
        fixture_path.write_text(json.dumps(records), encoding="utf-8")
        before = state(fixture_path)
        with pytest.raises(CommandError) as caught:
            run(files("kiew.txt", GERMAN_NO_HEADER))
        assert str(caught.value).startswith(
            f"{fixture_path}, record {len(records)}: not an article or a sentence with its "
            "article (model 'tracker.pledge'); fix or move the file first."
        )
        assert state(fixture_path) == before

    def test_offsets_that_miss_the_text_name_the_file_and_load_nothing(
        self, files, fixture_path, monkeypatch
    ):
        records = articles.importing.fixture_records

        def shifted(*args, **kwargs):
            made = records(*args, **kwargs)
            made[2]["fields"]["start"] += 1  # the second sentence, one character late
            return made

        monkeypatch.setattr(articles.importing, "fixture_records", shifted)
        kiew = files("kiew.txt", GERMAN_NO_HEADER)
        before = state(fixture_path)
        with pytest.raises(CommandError) as caught:
            run(files("norway.txt", ENGLISH), kiew)
        message = str(caught.value)
        assert message.startswith(f'{kiew}, record 3 (articles.sentence ["neue-hilfe-fuer-kiew-')
        assert "]): Sentence #2 of article neue-hilfe-fuer-kiew-" in message
        assert "its text is not characters" in message
        assert message.endswith("Nothing was loaded.")
        assert state(fixture_path) == before

    def test_no_file_moved_into_place_means_nothing_loaded(self, files, fixture_path, monkeypatch):
        def fail(path, content):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(articles.importing, "file_replace", fail)
        before = state(fixture_path)
        with pytest.raises(CommandError, match=r"Loading failed: .*No space left on device"):
            run(files("kiew.txt", GERMAN_NO_HEADER))
        assert state(fixture_path) == before

    def test_a_failed_commit_puts_the_fixture_file_back(self, files, fixture_path, monkeypatch):
        atomic = transaction.atomic

        @contextlib.contextmanager
        def failing_to_commit():
            with atomic():
                yield
                raise DatabaseError("could not commit")

        def atomic_that_fails_to_commit(*args, **kwargs):
            # Only the import's own transaction fails; loaddata's (using=...) works.
            return atomic(*args, **kwargs) if args or kwargs else failing_to_commit()

        monkeypatch.setattr(transaction, "atomic", atomic_that_fails_to_commit)
        before = state(fixture_path)
        with pytest.raises(ArticlesImportError, match="could not commit"):
            articles_import(files=[files("kiew.txt", GERMAN_NO_HEADER)])
        assert state(fixture_path) == before
        assert sorted(p.name for p in fixture_path.parent.iterdir()) == [fixture_path.name]


class TestReload:
    """A file whose url is loaded, with another text."""

    @pytest.fixture
    def article(self, files) -> Article:
        run(files("v1.txt", VERSION_1))
        return Article.objects.get(url=URL)

    def test_a_change_that_moves_a_cited_sentence_is_refused(self, article, files, fixture_path):
        cite(article, CITED_TEXT)
        before = state(fixture_path)
        changed = VERSION_1.replace("weitere Hilfe", "mehr Hilfe")
        with pytest.raises(CommandError) as caught:
            run(files("v2.txt", changed))
        message = str(caught.value)
        assert f"v2.txt: the url {URL} is already loaded as {article.slug} with a different" in (
            message
        )
        assert "#2 (chars 35–63) “Die Lieferung kommt im Juli.”" in message
        assert state(fixture_path) == before

    def test_a_change_that_splits_a_cited_sentence_otherwise_is_refused(
        self, article, files, fixture_path
    ):
        cite(article, CITED_TEXT)
        before = state(fixture_path)
        # The cited text stays at its offsets, but is no longer a sentence of its own.
        changed = VERSION_1.replace("Hilfe zu. Die", "Hilfe zu; Die")
        assert article_parse_text(changed, source_name="v2.txt").body[35:63] == CITED_TEXT
        with pytest.raises(CommandError, match="another position or other boundaries: #2 "):
            run(files("v2.txt", changed))
        assert state(fixture_path) == before

    def test_a_change_after_the_cited_sentences_reloads(self, article, files, fixture_path):
        cited = cite(article, CITED_TEXT)
        changed = VERSION_1 + "Weitere Pakete sollen folgen.\n"
        output = run(files("v2.txt", changed))
        assert output.startswith("Reloaded 1 article with 4 sentences: Hilfe für Kiew")
        article.refresh_from_db()
        assert article.body.endswith("Weitere Pakete sollen folgen.\n")
        assert Sentence.objects.get(pk=cited.pk).text == CITED_TEXT
        assert article.sentences.count() == 4
        bodies = [r["fields"]["body"] for r in records_of(fixture_path) if "body" in r["fields"]]
        assert bodies == [article.body]
        assert list(article.history.values_list("history_type", flat=True)) == ["~", "+"]

    def test_a_shorter_text_drops_the_sentences_past_its_end(self, article, files):
        cite(article, CITED_TEXT)
        run(files("v2.txt", VERSION_1.replace(" Das Paket ist groß.", "")))
        assert list(article.sentences.order_by("position").values_list("text", flat=True)) == [
            "Deutschland sagt weitere Hilfe zu.",
            CITED_TEXT,
        ]


class TestAdminUpload:
    url = reverse("admin:articles_article_import")

    @staticmethod
    def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
        if isinstance(content, str):
            content = content.encode("utf-8")
        return SimpleUploadedFile(name, content, content_type="text/plain")

    def test_the_article_list_has_an_import_button(self, editor_client):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
        assert response.status_code == 200
        assert f'<a href="{self.url}" class="addlink">Import articles</a>' in response.text

    def test_the_form(self, editor_client):
        response = editor_client.get(self.url)
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.text
        assert 'type="file" name="files"' in response.text
        assert "multiple" in response.text
        assert "csrfmiddlewaretoken" in response.text

    def test_an_editor_uploads_files(self, editor_client, editor, fixture_path):
        files = [self.upload("norway.txt", ENGLISH), self.upload("k.txt", GERMAN_NO_HEADER)]
        preview = editor_client.post(self.url, {"files": files})
        assert "Norway pledges more air defence" in preview.text
        assert "Neue Hilfe für Kiew" in preview.text
        assert not Article.objects.exists()
        response = editor_client.post(
            reverse("admin:articles_article_import_confirm"), confirm_data(preview), follow=True
        )
        assert response.redirect_chain == [(reverse("admin:articles_article_changelist"), 302)]
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages[0].startswith(
            "Loaded 1 article with 2 sentences: Norway pledges more air defence (norway.txt, as "
        )
        assert messages[1].startswith("Loaded 1 article with 3 sentences: Neue Hilfe für Kiew")
        assert "Loaded 1 article with 2 sentences: Norway pledges more air defence" in (
            response.text
        )
        assert Article.objects.count() == 2
        assert {r["fields"].get("source_name") for r in records_of(fixture_path)} >= {
            "norway.txt",
            "k.txt",
        }
        assert set(Article.history.values_list("history_user", flat=True)) == {editor.pk}

    def test_uploading_again_says_already_loaded(self, editor_client, fixture_path):
        admin_import(editor_client, {"files": [self.upload("norway.txt", ENGLISH)]})
        before = state(fixture_path)
        preview = editor_client.post(self.url, {"files": [self.upload("norway.txt", ENGLISH)]})
        assert "Already loaded as <code>norway-pledges-more-air-defence-" in preview.text
        response = editor_client.post(
            reverse("admin:articles_article_import_confirm"), confirm_data(preview), follow=True
        )
        assert "Already loaded: Norway pledges more air defence" in response.text
        assert state(fixture_path) == before

    def test_a_broken_fixture_file_is_named_and_nothing_loads(self, editor_client, fixture_path):
        fixture_path.parent.mkdir(parents=True, exist_ok=True)
        fixture_path.write_text("[{", encoding="utf-8")
        before = state(fixture_path)
        response = editor_client.post(self.url, {"files": [self.upload("k.txt", GERMAN_NO_HEADER)]})
        assert response.status_code == 200
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == [
            f"{fixture_path}: not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 3 (char 2)); fix or move it first.",
            "Nothing was loaded.",
        ]
        assert state(fixture_path) == before

    def test_a_bad_file_shows_the_error_and_loads_nothing(self, editor_client, fixture_path):
        before = state(fixture_path)
        response = editor_client.post(
            self.url,
            {
                "files": [
                    self.upload("good.txt", GERMAN_NO_HEADER),
                    self.upload("bad.txt", b"Die Ukraine erh\xe4lt Hilfe."),
                ]
            },
        )
        assert response.status_code == 200
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == [
            "bad.txt: not valid UTF-8 (byte 0xe4 at offset 15); save the file as UTF-8.",
            "Nothing was loaded.",
        ]
        assert "bad.txt: not valid UTF-8 (byte 0xe4 at offset 15)" in response.text
        assert state(fixture_path) == before

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (("notes.docx", b"PK\x03\x04"), "notes.docx: not a .txt or .html file"),
            (("big.txt", b"a" * (2 * 1024 * 1024 + 1)), "big.txt: 2.0\xa0MB, larger than 2.0"),
        ],
    )
    def test_a_file_the_form_refuses(self, editor_client, fixture_path, upload, message):
        before = state(fixture_path)
        response = editor_client.post(self.url, {"files": [self.upload(*upload)]})
        assert response.status_code == 200
        assert message in response.context["form"].errors["files"][0]
        assert state(fixture_path) == before

    def test_no_file(self, editor_client):
        response = editor_client.post(self.url, {})
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "__all__": ["Give files, web addresses or a pasted text."]
        }
        assert "Give files, web addresses or a pasted text." in response.text

    def test_anonymous_is_sent_to_the_login(self, client, fixture_path):
        for response in (
            client.get(self.url),
            client.post(self.url, {"files": [self.upload("norway.txt", ENGLISH)]}),
        ):
            assert response.status_code == 302
            assert response.url.startswith(reverse("admin:login") + "?next=")
        assert state(fixture_path) == (([], []), 0, None)

    def test_staff_without_the_add_permission_is_refused(self, editor_client, editor):
        editor.groups.first().permissions.remove(
            Permission.objects.get(codename="add_article", content_type__app_label="articles")
        )
        assert editor_client.get(self.url).status_code == 403
        response = editor_client.get(reverse("admin:articles_article_changelist"))
        assert "Import articles" not in response.text

    def test_a_post_without_the_csrf_token_is_refused(self, editor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(editor)
        response = client.post(self.url, {"files": [self.upload("norway.txt", ENGLISH)]})
        assert response.status_code == 403
        assert not Article.objects.exists()

    def test_editors_may_import_articles(self, editor):
        assert editor.has_perm("articles.add_article")


class TestSlug:
    def test_the_slug_carries_a_digest_of_the_identity(self):
        with_url = article_parse_text(ENGLISH, source_name="a.txt")
        digest = hashlib.sha256(with_url.url.encode()).hexdigest()[:8]
        assert article_slug_make(article=with_url) == f"norway-pledges-more-air-defence-{digest}"
        # The same url with another text is the same article: the same slug.
        changed = article_parse_text(ENGLISH + "One more.\n", source_name="b.txt")
        assert article_slug_make(article=changed) == article_slug_make(article=with_url)

    def test_without_url_another_text_is_another_article(self):
        one = article_parse_text(GERMAN_NO_HEADER, source_name="a.txt")
        other = article_parse_text(GERMAN_NO_HEADER + "Noch ein Satz.", source_name="a.txt")
        assert article_slug_make(article=one) != article_slug_make(article=other)

    def test_a_long_title_stays_within_80_characters(self):
        article = article_parse_text(
            "title: " + "Sehr lange Überschrift " * 10 + "\n\nText.", source_name="a.txt"
        )
        slug = article_slug_make(article=article)
        assert len(slug) <= 80
        assert re.fullmatch(r"(sehr-lange-ueberschrift-)+[0-9a-f]{8}", slug)


class TestLongArticles:
    """A file of 2 MB, the upload limit, in one paragraph: loaded, or refused by name, at once."""

    url = reverse("admin:articles_article_import")
    HEADER = "title: Lange Liste\npublished: 2025-06-04\nurl: https://example.org/long\n\n"

    def upload(self, name: str, paragraph: str) -> SimpleUploadedFile:
        """The header and as much of ``paragraph`` as makes 2 MB (within a character)."""
        content = (self.HEADER + paragraph).encode("utf-8")[:UPLOAD_MAX_SIZE]
        content = content.decode("utf-8", "ignore").encode("utf-8")
        assert UPLOAD_MAX_SIZE - 4 < len(content) <= UPLOAD_MAX_SIZE
        return SimpleUploadedFile(name, content, content_type="text/plain")

    def test_a_paragraph_of_2_mb_loads(self, editor_client, fixture_path, pysbd_reads):
        sentence = (
            "Die Lieferung umfasst "
            + ", ".join(f"Teil {n} der Hilfe aus dem Lager" for n in range(300))
            + ". "
        )
        size = UPLOAD_MAX_SIZE - len(self.HEADER)
        paragraph = (sentence * (size // len(sentence) + 1))[: size - 1] + "."
        response = admin_import(editor_client, {"files": [self.upload("liste.txt", paragraph)]})
        article = Article.objects.get(url="https://example.org/long")
        assert response.url == reverse("admin:articles_article_change", args=[article.pk])
        count = size // len(sentence) + 1
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages[0].startswith(f"Loaded 1 article with {count} sentences: Lange Liste")
        assert article.sentences.count() == count
        for sentence in article.sentences.all():
            assert article.body[sentence.start : sentence.end] == sentence.text
        assert max(pysbd_reads) <= WINDOW

    def test_a_paragraph_of_too_many_sentences_is_refused(
        self, editor_client, fixture_path, pysbd_reads
    ):
        before = state(fixture_path)
        paragraph = one_paragraph(UPLOAD_MAX_SIZE - len(self.HEADER))
        response = editor_client.post(self.url, {"files": [self.upload("dicht.txt", paragraph)]})
        assert response.status_code == 200
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == [
            "dicht.txt: more than 2,000 sentences, more than one article holds; split the text "
            "into several files.",
            "Nothing was loaded.",
        ]
        assert state(fixture_path) == before
        # Refused once the limit was passed, not after reading all of it.
        assert sum(pysbd_reads) < UPLOAD_MAX_SIZE / 2

    def test_loading_reads_the_body_once_not_once_per_sentence(self, files):
        body = " ".join(f"Satz {n} sagt Hilfe zu." for n in range(200))
        with CaptureQueriesContext(connection) as queries:
            run(files("saetze.txt", f"url: {URL}\ntitle: Sätze\n\n{body}\n"))
        assert Sentence.objects.count() == 200
        # The check that a sentence is its span reads only the span (SUBSTR).
        reading_the_body = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith("SELECT")
            and '"articles_article"."body"' in query["sql"]
            and "SUBSTR" not in query["sql"].upper()
        ]
        assert len(reading_the_body) <= 5, reading_the_body[:3]
