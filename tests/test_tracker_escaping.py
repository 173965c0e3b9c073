"""Names, titles, texts and notes holding HTML, script or template syntax render as text.

``tests/fixtures/hostile.json`` fills every field a page shows with markup that would run if
it were not escaped: donors, categories, an article with its sentences, three pledges, Kiel
figures. Every analyst page, its fragments and the admin (lists, forms, inlines, the review
queue, history, suggestions, the import preview) must show it as text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command

from articles.models import Article, Sentence, bidi_isolated
from tests.factories import DonorFactory, PledgeFactory
from tracker.admin import suggestions_open
from tracker.models import Category, Donor, Pledge

pytestmark = pytest.mark.django_db

HOSTILE_FIXTURE = Path(__file__).parent / "fixtures" / "hostile.json"
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
)
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    "&#x27;&gt;&lt;svg onload=alert(1)&gt;",
)
TEMPLATE_SYNTAX = "{{ 7|add:7 }} {% debug %}"
HTMX_TABLE = {"HX-Request": "true", "HX-Target": "pledge-table"}
HTMX_DASHBOARD = {"HX-Request": "true", "HX-Target": "dashboard-body"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _Markup(HTMLParser):
    """What a browser would run in a page: scripts, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.script_urls: list[tuple[str, str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = not dict(attrs).get("src")
            if self._in_script:
                self.inline_scripts.append("")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            # Browsers ignore whitespace and control characters before the scheme.
            scheme = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "data:text")):
                self.script_urls.append((tag, name, value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_scripts[-1] += data


def assert_shown_as_text(response, *, expect_escaped: bool = True) -> str:
    """The page runs nothing it was given, and shows the hostile text (escaped) instead."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for payload in PAYLOADS:
        assert payload not in page, payload
    markup = _Markup()
    markup.feed(page)
    assert markup.handlers == []
    assert markup.script_urls == []
    assert not [script for script in markup.inline_scripts if "alert(" in script]
    if expect_escaped:
        # Not a page that left the hostile records out: it shows them, as text.
        assert any(escaped in page for escaped in ESCAPED), "no hostile text on the page"
    return page


@pytest.fixture
def hostile(db):
    call_command("loaddata", str(HOSTILE_FIXTURE), verbosity=0)
    # History records: loaddata saves raw, which writes none; a change reason is shown too.
    for model in (Pledge, Donor, Article):
        for instance in model.objects.all():
            instance._change_reason = "<script>alert(1)</script> edited"
            instance.save()


ANALYST_PAGES = (
    "/",
    "/pledges/",
    "/pledges/9001/",
    "/pledges/9002/",
    "/pledges/9003/",
    "/donors/hostile-donor/",
    "/articles/",
    "/articles/hostile-article/",
    "/reference/",
    # every filter as a chip, and a search for the markup itself
    "/pledges/?donor=hostile-donor&category=hostile-category&article=hostile-article"
    "&q=%3Cscript%3Ealert(1)%3C/script%3E&stage=pledged&currency=eur",
    "/?category=hostile-subcategory&article=hostile-article&q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    "/donors/hostile-donor/?category=hostile-category&date_from=%3Cscript%3E",
)


class TestAnalystPages:
    @pytest.mark.parametrize("language", ["en", "de"])
    @pytest.mark.parametrize("path", ANALYST_PAGES)
    def test_page_shows_markup_as_text(self, client, hostile, path, language):
        page = assert_shown_as_text(client.get(path, headers={"Accept-Language": language}))
        if path.startswith(("/articles/hostile", "/pledges/9")):
            assert "{{ 7|add:7 }}" in page
        if language == "de" and path.startswith(("/pledges/", "/donors/")):
            assert "{{ 7|add:7 }} {% debug %} Spender" in page  # the German donor name

    @pytest.mark.parametrize(
        "path, headers",
        [
            ("/pledges/?donor=hostile-donor", HTMX_TABLE),
            ("/?donor=hostile-donor&article=hostile-article", HTMX_DASHBOARD),
            ("/?category=hostile-category", HTMX_TABLE),
            ("/donors/hostile-donor/?q=Donor&category=hostile-category", HTMX_TABLE),
        ],
    )
    def test_fragment_shows_markup_as_text(self, client, hostile, path, headers):
        assert_shown_as_text(client.get(path, headers=headers))

    def test_charts_name_donors_and_categories_as_text(self, client, hostile):
        page = assert_shown_as_text(client.get("/?include_proposed=on"))
        svg = page[page.index("<svg class=") : page.rindex("</svg>")]
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Donor" in svg
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Category" in svg

    def test_chips_name_the_filters_as_text(self, client, hostile):
        page = assert_shown_as_text(client.get(ANALYST_PAGES[9]))
        chips = page[page.index('class="chips"') : page.index("</div>", page.index('"chips"'))]
        assert "Remove filter Donor: &lt;script&gt;alert(1)&lt;/script&gt; Donor" in chips
        assert "“&lt;script&gt;alert(1)&lt;/script&gt;”" in chips

    def test_script_url_of_an_article_is_no_link(self, client, hostile):
        # Validation refuses it (see the broken fixtures); a row written past validation
        # must still not become a link.
        Article.objects.filter(slug="hostile-article").update(url=" JavaScript:alert(1)")
        page = assert_shown_as_text(client.get("/articles/hostile-article/"))
        assert "JavaScript:alert(1)" in page  # shown, as text

    def test_not_found_page_shows_nothing_of_the_path(self, client, hostile):
        response = client.get("/pledges/%3Cscript%3Ealert(1)%3C/script%3E/")
        assert response.status_code == 404
        assert b"<script>alert(1)" not in response.content


def _admin_pages() -> list[str]:
    article = Article.objects.get(slug="hostile-article")
    sentence = Sentence.objects.get(article=article, position=2)
    donor = Donor.objects.get(slug="hostile-donor")
    category = Category.objects.get(slug="hostile-subcategory")
    history = Pledge.history.filter(id=9001).first()
    [suggestion_url, *_] = [url for found in suggestions_open(article).values() for _, url in found]
    return [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/history/",
        "/admin/articles/sentence/",
        "/admin/articles/sentence/?q=%3Cscript%3E",
        f"/admin/articles/sentence/{sentence.pk}/change/",
        "/admin/tracker/donor/",
        f"/admin/tracker/donor/{donor.pk}/change/",
        f"/admin/tracker/donor/{donor.pk}/history/",
        f"/admin/tracker/donor/{donor.pk}/delete/",
        "/admin/tracker/category/",
        f"/admin/tracker/category/{category.pk}/change/",
        "/admin/tracker/pledge/",
        f"/admin/tracker/pledge/?donor__id__exact={donor.pk}&q=%3Cscript%3E",
        "/admin/tracker/pledge/9001/change/",
        "/admin/tracker/pledge/9002/change/",
        "/admin/tracker/pledge/9003/change/",
        "/admin/tracker/pledge/9001/history/",
        f"/admin/tracker/pledge/9001/history/{history.history_id}/",
        "/admin/tracker/pledge/9001/delete/",
        f"/admin/tracker/pledge/add/?sentence={sentence.pk}",
        suggestion_url,
        "/admin/tracker/pledgereviewqueue/",
        "/admin/tracker/kielactivity/",
    ]


class TestAdmin:
    def test_every_admin_page_shows_markup_as_text(self, admin_client, admin_user, hostile):
        # "Recent actions" on the index name the objects.
        LogEntry.objects.log_actions(
            user_id=admin_user.pk,
            queryset=Donor.objects.filter(slug__startswith="hostile"),
            action_flag=CHANGE,
            change_message="<script>alert(1)</script>",
        )
        for path in _admin_pages():
            if path == "/admin/tracker/kielactivity/" and admin_client.get(path).status_code == 404:
                continue  # not registered in the admin
            try:
                assert_shown_as_text(admin_client.get(path))
            except AssertionError as error:
                raise AssertionError(f"{path}: {error}") from error

    def test_suggestions_are_labelled_as_text(self, admin_client, hostile):
        article = Article.objects.get(slug="hostile-article")
        page = assert_shown_as_text(
            admin_client.get(f"/admin/articles/article/{article.pk}/change/")
        )
        assert 'class="suggestion"' in page

    def test_import_preview_shows_markup_as_text(self, admin_client, hostile):
        from django.core.files.uploadedfile import SimpleUploadedFile

        rows = (
            "donor,recipient,amount,currency,qualifier,item,category,stage,sentence,notes\r\n"
            'hostile-donor,"<script>alert(1)</script>",12,EUR,exact,'
            '"""><img src=x onerror=alert(1)>",hostile-category,pledged,hostile-article#2,'
            '"<script>alert(1)</script>"\r\n'
        )
        upload = SimpleUploadedFile("pledges.csv", rows.encode(), content_type="text/csv")
        response = admin_client.post(
            "/admin/tracker/pledge/import/",
            {"import_file": upload, "format": "0", "resource": "0"},
        )
        page = assert_shown_as_text(response)
        assert "Confirm import" in page or "confirm" in page.lower()


class TestDirectionControls:
    """A right-to-left override in a name ends with the name (see the browser test too)."""

    RLO, PDF, FSI, PDI, LRI = "\u202e", "\u202c", "\u2068", "\u2069", "\u2066"

    def test_text_without_controls_is_left_as_it_is(self):
        assert bidi_isolated("Vereinigtes Königreich שלום zero\u200bwidth") == (
            "Vereinigtes Königreich שלום zero\u200bwidth"
        )

    def test_text_with_controls_is_isolated(self):
        assert bidi_isolated(f"Evil {self.RLO}RLO") == f"{self.FSI}Evil {self.RLO}RLO{self.PDI}"
        assert (
            bidi_isolated(f"{self.RLO}x{self.PDF}") == f"{self.FSI}{self.RLO}x{self.PDF}{self.PDI}"
        )

    def test_a_stray_isolate_end_cannot_close_the_isolation_early(self):
        assert bidi_isolated(f"{self.PDI}{self.RLO}x") == f"{self.FSI}{self.RLO}x{self.PDI}"

    def test_an_isolate_left_open_is_closed_before_the_isolation(self):
        assert bidi_isolated(f"{self.LRI}x") == f"{self.FSI}{self.LRI}x{self.PDI}{self.PDI}"

    def test_the_figure_after_a_name_stays_outside_its_override(self):
        donor = DonorFactory(name=f"Evil {self.RLO}RLO")
        pledge = PledgeFactory(donor=donor, amount=Decimal("2000000"), item=f"x{self.RLO}")
        name = f"{self.FSI}Evil {self.RLO}RLO{self.PDI}"
        assert str(pledge) == f"{name}: 2,000,000 EUR · {self.FSI}x{self.RLO}{self.PDI}"
        assert donor.local_name == str(donor) == f"{self.FSI}Evil {self.RLO}RLO{self.PDI}"
