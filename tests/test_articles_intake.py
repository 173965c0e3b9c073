from __future__ import annotations

import datetime
import io
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from ipaddress import ip_address
from pathlib import Path

import pytest
import trafilatura
import urllib3
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.urls import reverse

from articles.fetching import FetchError, page_fetch
from articles.models import Article
from articles.sources import PastedText, articles_read, text_read, url_read
from articles.webpage import PAGE_MAX_SIZE, page_parse
from tests.test_articles_import import confirm_data, records_of, run, state

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "fixtures" / "pages"
GERMAN_PAGE = (PAGES / "de-nachrichten.html").read_bytes()
ENGLISH_PAGE = (PAGES / "en-news.html").read_bytes()
FRENCH_PAGE = (PAGES / "fr-actualites.html").read_bytes()
GERMAN_URL = "https://www.morgenblatt.example/politik/2025/06/04/berlin-luftverteidigung-kiew"
ENGLISH_URL = "https://news.harbourcourier.example/world/2025/03/19/norway-air-defence-ukraine"
EMPTY_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><title>Page not found</title></head><body>'
    b'<nav><a href="/">Home</a> <a href="/world">World</a></nav><h1>Page not found</h1>'
    b"<footer><a href='/terms'>Terms</a></footer></body></html>"
)
PUBLIC_ADDRESS = "93.184.215.14"
IMPORT_URL = reverse("admin:articles_article_import")
CONFIRM_URL = reverse("admin:articles_article_import_confirm")


@pytest.fixture(autouse=True)
def fixture_path(tmp_path, settings) -> Path:
    path = tmp_path / "fixtures" / "imported_articles.json"
    settings.ARTICLES_IMPORT_FIXTURE = path
    return path


@pytest.fixture
def editor(db, django_user_model):
    """conftest's editor, without a password: hashing one takes most of a second a test."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test here reaches the network: a host name is never looked up unless a test says
    what it resolves to."""

    def refuse(host, port, *args, **kwargs):
        try:  # an address is its own, as the real look-up gives it
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (str(ip_address(host)), port))]
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@dataclass
class Web:
    """Host names and their addresses, the pages at URLs, and the requests made."""

    addresses: dict[str, str] = field(default_factory=dict)
    responses: dict[str, tuple[int, dict, bytes]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)


@pytest.fixture
def web(monkeypatch) -> Web:
    """The network, as a test sets it out."""
    web = Web()

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in web.addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (web.addresses[host], port))]

    def urlopen(pool, method, target, headers=None, **kwargs):
        web.requests.append((pool.host, target, dict(headers or {})))
        url = f"{pool.scheme}://{headers['Host']}{target}"
        status, response_headers, body = web.responses[url]
        return urllib3.HTTPResponse(
            body=io.BytesIO(body),
            headers=response_headers,
            status=status,
            reason=HTTPStatus(status).phrase,
            preload_content=False,
        )

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", urlopen)
    return web


def html(body: bytes) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/html")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestPages:
    def test_a_german_page(self):
        article = page_parse(GERMAN_PAGE, source_name="de-nachrichten.html")
        assert article.title == "Berlin sagt Kiew weitere Luftverteidigung zu"
        assert article.publisher == "Morgenblatt Online"
        assert article.language == "de"
        assert article.published_on == datetime.date(2025, 6, 4)
        assert article.url == GERMAN_URL
        assert article.source_name == "de-nachrichten.html"
        # Menus, related links and the footer are left out.
        for furniture in ("Wirtschaft", "Mehr zum Thema", "Impressum", "Newsletter"):
            assert furniture not in article.body
        assert "Der Wert des Pakets liege bei rund 500 Millionen Euro." in article.body

    def test_the_body_is_the_extracted_text_and_the_sentences_are_cut_from_it(self):
        article = page_parse(GERMAN_PAGE, source_name="de-nachrichten.html")
        extracted = trafilatura.bare_extraction(
            GERMAN_PAGE, with_metadata=True, include_comments=False
        )
        assert article.body == extracted.text
        assert len(article.sentences) == 10
        for sentence in article.sentences:
            assert article.body[sentence.start : sentence.end] == sentence.text
        assert article.sentences[4].text == "Der Wert des Pakets liege bei rund 500 Millionen Euro."

    def test_an_english_page_dated_by_its_url(self):
        article = page_parse(ENGLISH_PAGE, source_name="en-news.html")
        assert article.title == "Norway pledges new air defence package for Ukraine"
        assert article.publisher == "The Harbour Courier"
        assert article.language == "en"  # from lang="en-GB"
        assert article.published_on == datetime.date(2025, 3, 19)
        assert article.url == ENGLISH_URL
        for furniture in ("We use cookies", "Read more", "Baltic leaders", "All rights reserved"):
            assert furniture not in article.body

    def test_a_page_without_a_declared_language_is_read(self):
        page = GERMAN_PAGE.replace(b'<html lang="de">', b"<html>")
        assert page_parse(page, source_name="p.html").language == "de"

    def test_a_date_line_when_neither_markup_nor_url_has_a_date(self):
        undated = ENGLISH_PAGE.replace(b"/2025/03/19/", b"/")
        assert page_parse(undated, source_name="p.html").published_on is None
        dateline = undated.replace(
            b'<div class="meta">By Sam Example, Defence Correspondent</div>',
            b"<p>Harbour Courier - 19 March 2025 10:15</p>",
        )
        article = page_parse(dateline, source_name="p.html")
        assert article.published_on == datetime.date(2025, 3, 19)
        assert article.sentences[1].text == "Harbour Courier - 19 March 2025 10:15"

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (FRENCH_PAGE, "the page is in French (fr); only German and English articles"),
            (
                FRENCH_PAGE.replace(b'<html lang="fr">', b"<html>"),
                "the text reads as neither German nor English",
            ),
            (EMPTY_PAGE, "no article text found on the page (5 words)"),
            (b"", "no article text found on the page (0 words)"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a web page (binary content)"),
            (b"<p>" + b"a " * (PAGE_MAX_SIZE // 2) + b"</p>", "5.0\xa0MB, larger than 5.0\xa0MB"),
        ],
    )
    def test_a_page_that_is_no_article(self, content, message):
        with pytest.raises(ValueError, match="^" + re.escape(message)):
            page_parse(content, source_name="p.html")

    def test_a_page_that_is_a_url_is_not_fetched(self):
        # htmldate would fetch a string that looks like a URL; no_network fails any look-up.
        with pytest.raises(ValueError, match="no article text found"):
            page_parse(b"https://example.org/article", source_name="p.html")


class TestPastedText:
    def test_stored_as_pasted_with_the_line_ends_a_browser_changed(self):
        article = text_read(
            PastedText(
                text="Kiew erhält Hilfe.\r\n\r\nDeutschland liefert 20 Panzer. Das sagte Berlin.",
                title="  Hilfe   für Kiew ",
                publisher="Beispiel",
                published_on=datetime.date(2025, 6, 4),
            )
        )
        assert article.body == (
            "Kiew erhält Hilfe.\n\nDeutschland liefert 20 Panzer. Das sagte Berlin."
        )
        assert (article.title, article.publisher, article.language) == (
            "Hilfe für Kiew",
            "Beispiel",
            "de",
        )
        assert article.published_on == datetime.date(2025, 6, 4)
        assert [s.text for s in article.sentences][-1] == "Das sagte Berlin."

    @pytest.mark.parametrize(
        ("pasted", "message"),
        [
            (PastedText(text="Text.", title=" "), "give the article's title."),
            (PastedText(text=" \n", title="T"), "the article body is empty."),
            (PastedText(text="A\x00B", title="T"), "a NUL character: not text."),
            (
                PastedText(text="Text.", title="T", url="file:///etc/passwd"),
                "the url 'file:///etc/passwd' is not an http or https address.",
            ),
            (PastedText(text="x" * (2 * 1024 * 1024 + 1), title="T"), "larger than 2.0\xa0MB."),
        ],
    )
    def test_bad_pasted_text(self, pasted, message):
        with pytest.raises(ValueError) as error:
            text_read(pasted)
        assert str(error.value) == message


class TestFetch:
    def test_a_page_is_fetched_from_the_address_that_was_checked(self, web):
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        web.responses[ENGLISH_URL] = html(ENGLISH_PAGE)
        article = url_read(ENGLISH_URL)
        assert article.title == "Norway pledges new air defence package for Ukraine"
        assert article.url == ENGLISH_URL
        assert article.source_name == ENGLISH_URL
        [(address, target, headers)] = web.requests
        assert address == PUBLIC_ADDRESS
        assert target == "/world/2025/03/19/norway-air-defence-ukraine"
        assert headers["Host"] == "news.harbourcourier.example"

    def test_over_a_real_connection(self, monkeypatch):
        """urllib3 as it is, against a server on this machine that stands in for a public one."""
        seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append((self.path, self.headers["Host"]))
                if self.path == "/old":
                    self.send_response(301)
                    self.send_header("Location", "/world/norway?ref=1")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(ENGLISH_PAGE)))
                self.end_headers()
                self.wfile.write(ENGLISH_PAGE)

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        monkeypatch.setattr("articles.fetching.public_address", lambda host, port: "127.0.0.1")
        try:
            page = page_fetch(f"http://news.harbourcourier.example:{server.server_port}/old")
        finally:
            server.shutdown()
            server.server_close()
        host = f"news.harbourcourier.example:{server.server_port}"
        assert seen == [("/old", host), ("/world/norway?ref=1", host)]
        assert page.url == f"http://{host}/world/norway?ref=1"
        assert page.content == ENGLISH_PAGE

    def test_a_redirect_is_followed_and_the_last_address_kept(self, web):
        web.addresses["harbourcourier.example"] = PUBLIC_ADDRESS
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        web.responses["https://harbourcourier.example/s/42"] = (301, {"Location": ENGLISH_URL}, b"")
        web.responses[ENGLISH_URL] = html(ENGLISH_PAGE.replace(b"canonical", b"x"))
        assert url_read("https://harbourcourier.example/s/42").url == ENGLISH_URL

    def test_the_canonical_url_of_the_same_site_is_the_article(self, web):
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        shared = ENGLISH_URL.replace("/2025/03/19/", "/") + "?utm_source=feed"
        web.responses[shared] = html(ENGLISH_PAGE)
        assert url_read(shared).url == ENGLISH_URL
        # A page whose canonical link names another site keeps the address it was fetched from.
        web.addresses["mirror.example"] = PUBLIC_ADDRESS
        web.responses["https://mirror.example/copy"] = html(ENGLISH_PAGE)
        assert url_read("https://mirror.example/copy").url == "https://mirror.example/copy"

    @pytest.mark.parametrize(
        "address",
        ["127.0.0.1", "10.0.0.5", "192.168.1.20", "169.254.169.254", "::1", "::ffff:10.0.0.1"],
    )
    def test_a_private_address_is_refused_before_any_request(self, web, address):
        web.addresses["intranet.example"] = address
        with pytest.raises(FetchError, match=r"is a private or local address"):
            url_read("http://intranet.example/admin")
        assert web.requests == []

    def test_a_redirect_to_a_private_address_is_refused(self, web):
        web.addresses["news.example"] = PUBLIC_ADDRESS
        web.addresses["metadata.internal"] = "169.254.169.254"
        web.responses["https://news.example/a"] = (
            302,
            {"Location": "http://metadata.internal/latest/"},
            b"",
        )
        with pytest.raises(FetchError, match=r"metadata.internal is a private or local address"):
            url_read("https://news.example/a")
        assert len(web.requests) == 1

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "ftp://example.org/a.html", "gopher://x", "example.org/a"]
    )
    def test_only_http_and_https(self, web, url):
        with pytest.raises(FetchError, match=r"^only http and https addresses can be fetched\.$"):
            url_read(url)
        assert web.requests == []

    def test_without_network_the_editor_is_told(self):
        with pytest.raises(FetchError) as error:
            url_read(ENGLISH_URL)
        assert str(error.value) == (
            "the host news.harbourcourier.example could not be found: the server has no "
            "network, or there is no such host. Save the page in your browser and import the "
            ".html file instead."
        )

    @pytest.mark.parametrize(
        ("response", "message"),
        [
            ((404, {"Content-Type": "text/html"}, b"gone"), "the server answered 404 Not Found."),
            (
                (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"),
                "not a web page (application/pdf).",
            ),
            (
                (200, {"Content-Type": "text/html", "Content-Length": str(PAGE_MAX_SIZE + 1)}, b""),
                "the page is larger than 5.0\xa0MB.",
            ),
            (html(b" " * (PAGE_MAX_SIZE + 1)), "the page is larger than 5.0\xa0MB."),
            ((301, {}, b""), "the server answered 301 without a target."),
        ],
    )
    def test_an_answer_that_is_no_page(self, web, response, message):
        web.addresses["news.example"] = PUBLIC_ADDRESS
        web.responses["https://news.example/a"] = response
        with pytest.raises(FetchError) as error:
            url_read("https://news.example/a")
        assert str(error.value) == message

    @pytest.mark.parametrize(
        ("failure", "message"),
        [
            (
                urllib3.exceptions.ReadTimeoutError(None, "/", "read timed out"),
                "no answer within 10 seconds.",
            ),
            (
                urllib3.exceptions.NewConnectionError(None, "[Errno 111] Connection refused"),
                "the server could not be reached (it refused the connection or is down).",
            ),
            (
                urllib3.exceptions.SSLError("certificate verify failed"),
                "the secure connection failed (the site's certificate is not valid for it).",
            ),
        ],
    )
    def test_a_server_that_does_not_answer(self, web, monkeypatch, failure, message):
        web.addresses["slow.example"] = PUBLIC_ADDRESS

        def fail(*args, **kwargs):
            raise failure

        monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", fail)
        with pytest.raises(FetchError) as error:
            url_read("https://slow.example/a")
        assert str(error.value) == message

    def test_endless_redirects(self, web):
        web.addresses["loop.example"] = PUBLIC_ADDRESS
        web.responses["https://loop.example/a"] = (302, {"Location": "/a"}, b"")
        with pytest.raises(FetchError, match=r"^more than 5 redirects\.$"):
            url_read("https://loop.example/a")

    def test_each_url_is_named_with_its_problem(self, web):
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        web.responses[ENGLISH_URL] = html(ENGLISH_PAGE)
        parsed, errors = articles_read(
            urls=[ENGLISH_URL, "http://localhost/", "https://x.example/"]
        )
        assert [name for name, _ in parsed] == [ENGLISH_URL]
        assert errors[0].startswith("http://localhost/: the host localhost could not be found")
        assert errors[1].startswith("https://x.example/: the host x.example could not be found")


class TestAdmin:
    def test_the_form_takes_files_web_addresses_and_pasted_text(self, editor_client):
        response = editor_client.get(IMPORT_URL)
        assert response.status_code == 200
        for control in ('type="file" name="files"', 'name="urls"', 'name="text"', 'name="title"'):
            assert control in response.text
        assert 'accept=".txt,.html,.htm"' in response.text

    def test_a_saved_page_is_previewed_corrected_and_confirmed(
        self, editor_client, editor, fixture_path
    ):
        preview = editor_client.post(
            IMPORT_URL, {"files": [upload("de-nachrichten.html", GERMAN_PAGE)]}
        )
        assert preview.status_code == 200
        text = preview.text
        assert 'value="Berlin sagt Kiew weitere Luftverteidigung zu"' in text
        assert 'value="Morgenblatt Online"' in text
        assert '<option value="de" selected>German</option>' in text
        assert 'value="2025-06-04"' in text
        assert GERMAN_URL in text
        assert "10 sentences" in text
        assert "Die Bundesregierung will der Ukraine in diesem Jahr" in text
        assert "New article." in text
        # Nothing is saved before the editor confirms.
        assert state(fixture_path) == (([], []), 0, None)

        response = editor_client.post(
            CONFIRM_URL,
            confirm_data(preview, **{"form-0-title": "Berlin: mehr Flugabwehr für Kiew"}),
        )
        article = Article.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("admin:articles_article_change", args=[article.pk])
        assert messages_of(response) == [
            "Loaded 1 article with 10 sentences: Berlin: mehr Flugabwehr für Kiew "
            f"(de-nachrichten.html, as {article.slug})."
        ]
        assert article.title == "Berlin: mehr Flugabwehr für Kiew"
        assert article.body == page_parse(GERMAN_PAGE, source_name="x").body
        assert (article.url, article.publisher, article.language) == (
            GERMAN_URL,
            "Morgenblatt Online",
            "de",
        )
        for sentence in article.sentences.all():
            assert article.body[sentence.start : sentence.end] == sentence.text
        [record] = [r for r in records_of(fixture_path) if r["model"] == "articles.article"]
        assert record["fields"]["title"] == "Berlin: mehr Flugabwehr für Kiew"
        assert article.history.get().history_user == editor
        # The preview is used up.
        again = editor_client.post(CONFIRM_URL, confirm_data(preview))
        assert again.url == IMPORT_URL
        assert Article.objects.count() == 1

    def test_the_date_can_be_emptied_and_the_language_changed(self, editor_client):
        preview = editor_client.post(IMPORT_URL, {"files": [upload("en.html", ENGLISH_PAGE)]})
        changes = {"form-0-published_on": "", "form-0-publisher": "Courier"}
        editor_client.post(CONFIRM_URL, confirm_data(preview, **changes))
        article = Article.objects.get()
        assert (article.published_on, article.publisher) == (None, "Courier")

    def test_a_wrong_correction_shows_the_preview_again(self, editor_client, fixture_path):
        preview = editor_client.post(IMPORT_URL, {"files": [upload("en.html", ENGLISH_PAGE)]})
        response = editor_client.post(
            CONFIRM_URL,
            confirm_data(preview, **{"form-0-published_on": "0202-01-01", "form-0-title": ""}),
        )
        assert response.status_code == 200
        assert response.templates[0].name == "admin/articles/article/import_preview.html"
        assert "This field is required." in response.text
        assert "Please correct the errors below." in response.text
        assert state(fixture_path) == (([], []), 0, None)

    def test_a_stale_preview_is_refused(self, editor_client, fixture_path):
        preview = editor_client.post(IMPORT_URL, {"files": [upload("en.html", ENGLISH_PAGE)]})
        editor_client.post(IMPORT_URL, {"files": [upload("de.html", GERMAN_PAGE)]})
        response = editor_client.post(CONFIRM_URL, confirm_data(preview))
        assert response.url == IMPORT_URL
        assert messages_of(response) == ["This preview is out of date; read the articles again."]
        tampered = confirm_data(preview, **{"form-TOTAL_FORMS": "3"})
        assert editor_client.post(CONFIRM_URL, tampered).url == IMPORT_URL
        assert state(fixture_path) == (([], []), 0, None)

    def test_pasted_text(self, editor_client):
        data = {
            "text": "Norway will send 15 more systems.\r\nThe minister said so on Monday.",
            "title": "Norway sends more",
            "publisher": "Example News",
            "language": "en",
            "published_on": "2025-06-04",
            "url": "https://example.org/norway",
        }
        preview = editor_client.post(IMPORT_URL, data)
        assert "pasted text “Norway sends more”" in preview.text
        assert "2 sentences" in preview.text
        editor_client.post(CONFIRM_URL, confirm_data(preview))
        article = Article.objects.get()
        assert article.body == "Norway will send 15 more systems.\nThe minister said so on Monday."
        assert (article.title, article.url, article.published_on) == (
            "Norway sends more",
            "https://example.org/norway",
            datetime.date(2025, 6, 4),
        )

    @pytest.mark.parametrize(
        ("data", "field", "error"),
        [
            ({"text": "Some text."}, "title", "Give the pasted article's title."),
            ({"title": "A title"}, "text", "Paste the article's text, or leave its fields empty."),
            ({"urls": "file:///etc/passwd"}, "urls", "file:///etc/passwd: not an http or https"),
            ({"urls": "\n".join(f"https://e.org/{n}" for n in range(11))}, "urls", "11 addresses"),
            ({"text": "T.", "title": "T", "published_on": "1900-01-01"}, "published_on", ""),
        ],
    )
    def test_the_form_refuses(self, editor_client, data, field, error):
        response = editor_client.post(IMPORT_URL, data)
        assert response.status_code == 200
        assert error in response.context["form"].errors[field][0]

    def test_web_addresses(self, editor_client, web):
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        web.responses[ENGLISH_URL] = html(ENGLISH_PAGE)
        preview = editor_client.post(IMPORT_URL, {"urls": f"{ENGLISH_URL}\n\n{ENGLISH_URL}\n"})
        assert preview.context["rows"][0]["name"] == ENGLISH_URL
        assert len(preview.context["rows"]) == 1
        editor_client.post(CONFIRM_URL, confirm_data(preview))
        assert Article.objects.get().url == ENGLISH_URL

    def test_without_network_each_address_is_named_and_nothing_is_read(
        self, editor_client, fixture_path
    ):
        response = editor_client.post(
            IMPORT_URL,
            {"urls": f"{ENGLISH_URL}\nhttp://10.0.0.1/", "files": [upload("d.html", GERMAN_PAGE)]},
        )
        assert response.status_code == 200
        assert response.templates[0].name == "admin/articles/article/import.html"
        messages = messages_of(response)
        assert messages[0].startswith(
            f"{ENGLISH_URL}: the host news.harbourcourier.example could not be found"
        )
        assert messages[1] == (
            "http://10.0.0.1/: 10.0.0.1 is a private or local address (10.0.0.1); only public "
            "web pages can be fetched."
        )
        assert messages[2] == "Nothing was loaded."
        # The addresses stay in the form, to be corrected.
        assert "http://10.0.0.1/</textarea>" in response.text
        assert state(fixture_path) == (([], []), 0, None)

    def test_hostile_files_are_each_named_and_nothing_is_read(self, editor_client, fixture_path):
        response = editor_client.post(
            IMPORT_URL,
            {
                "files": [
                    upload("good.html", GERMAN_PAGE),
                    upload("fr.html", FRENCH_PAGE),
                    upload("404.html", EMPTY_PAGE),
                    upload("image.html", b"\x89PNG\r\n\x1a\n\x00\x00"),
                ]
            },
        )
        assert messages_of(response) == [
            "fr.html: the page is in French (fr); only German and English articles can be loaded.",
            "404.html: no article text found on the page (5 words); save the article's own "
            "page, not an index, search or error page.",
            "image.html: not a web page (binary content); save the page as HTML.",
            "Nothing was loaded.",
        ]
        assert state(fixture_path) == (([], []), 0, None)

    def test_the_same_page_twice(self, editor_client, fixture_path):
        response = editor_client.post(
            IMPORT_URL,
            {"files": [upload("good.html", GERMAN_PAGE), upload("copy.html", GERMAN_PAGE)]},
        )
        assert messages_of(response) == [
            f"copy.html: the url {GERMAN_URL} is also the url of good.html; import one of them.",
            "Nothing was loaded.",
        ]
        assert state(fixture_path) == (([], []), 0, None)

    def test_a_huge_page_is_refused_by_the_form(self, editor_client):
        response = editor_client.post(
            IMPORT_URL, {"files": [upload("big.html", b" " * (PAGE_MAX_SIZE + 1))]}
        )
        assert (
            "big.html: 5.0\xa0MB, larger than 5.0\xa0MB."
            in response.context["form"].errors["files"][0]
        )

    def test_a_page_loaded_before_is_already_loaded(self, editor_client, fixture_path):
        run(PAGES / "de-nachrichten.html")
        before = state(fixture_path)
        preview = editor_client.post(IMPORT_URL, {"files": [upload("d.html", GERMAN_PAGE)]})
        assert "Already loaded as <code>berlin-sagt-kiew-weitere-luftverteidigung-zu-" in (
            preview.text
        )
        editor_client.post(CONFIRM_URL, confirm_data(preview))
        assert state(fixture_path) == before

    def test_confirming_needs_the_import_permission(self, client, django_user_model):
        user = django_user_model.objects.create_user("viewer", is_staff=True)
        client.force_login(user)
        assert client.post(CONFIRM_URL, {}).status_code == 403
        assert client.get(CONFIRM_URL).status_code == 405


class TestCommand:
    def test_saved_pages_with_a_dry_run(self, fixture_path):
        before = state(fixture_path)
        out = run(PAGES / "de-nachrichten.html", PAGES / "en-news.html", dry_run=True)
        assert out.startswith(
            f"{PAGES / 'de-nachrichten.html'} (new)\n"
            "  title:     Berlin sagt Kiew weitere Luftverteidigung zu\n"
            "  publisher: Morgenblatt Online\n"
            "  language:  de\n"
            "  published: 2025-06-04\n"
            f"  url:       {GERMAN_URL}\n"
            "  sentences: 10\n"
            "  text:      Berlin sagt Kiew weitere Luftverteidigung zu Die Bundesregierung will"
        )
        assert "  published: 2025-03-19\n" in out
        assert out.endswith("Dry run: nothing was loaded.\n")
        assert state(fixture_path) == before

    def test_saved_pages_are_loaded(self):
        out = run(PAGES / "de-nachrichten.html")
        assert out.startswith(
            "Loaded 1 article with 10 sentences: Berlin sagt Kiew weitere Luftverteidigung zu"
        )
        assert Article.objects.get().body == page_parse(GERMAN_PAGE, source_name="x").body

    def test_text_from_a_file_and_from_stdin(self, tmp_path, monkeypatch):
        text = tmp_path / "body.txt"
        text.write_text("Norway will send 15 more systems. The minister said so.", "utf-8")
        run(text=str(text), title="Norway sends more", published="2025-06-04", language="en")
        article = Article.objects.get()
        assert (article.title, article.published_on, len(article.sentences.all())) == (
            "Norway sends more",
            datetime.date(2025, 6, 4),
            2,
        )
        stdin = io.TextIOWrapper(io.BytesIO("Kiew erhält 20 Panzer.".encode()), "utf-8")
        monkeypatch.setattr(sys, "stdin", stdin)
        run(text="-", title="Panzer für Kiew", source_url="https://example.org/panzer")
        assert (
            Article.objects.get(url="https://example.org/panzer").body == "Kiew erhält 20 Panzer."
        )

    def test_a_web_address(self, web):
        web.addresses["news.harbourcourier.example"] = PUBLIC_ADDRESS
        web.responses[ENGLISH_URL] = html(ENGLISH_PAGE)
        out = run(url=[ENGLISH_URL])
        assert out.startswith("Loaded 1 article with 8 sentences: Norway pledges new air defence")
        assert Article.objects.get().url == ENGLISH_URL

    def test_a_private_address_loads_nothing(self, web, fixture_path):
        web.addresses["intranet.example"] = "10.1.2.3"
        before = state(fixture_path)
        with pytest.raises(CommandError) as error:
            run(PAGES / "de-nachrichten.html", url=["http://intranet.example/"])
        assert str(error.value) == (
            "http://intranet.example/: intranet.example is a private or local address "
            "(10.1.2.3); only public web pages can be fetched.\nNothing was loaded."
        )
        assert state(fixture_path) == before

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({}, "Give files, --url or --text."),
            ({"title": "T"}, "--title goes with --text."),
            ({"text": "/nonexistent.txt", "title": "T"}, "/nonexistent.txt: cannot be read"),
            ({"text": "-", "title": "T", "published": "2025-13-01"}, "--published: published"),
        ],
    )
    def test_wrong_options(self, options, message, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Text."), "utf-8"))
        with pytest.raises(CommandError, match="^" + re.escape(message)):
            run(**options)
