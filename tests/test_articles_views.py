from __future__ import annotations

import datetime
import re

import pytest

from articles.models import Article, Sentence
from tests.factories import ArticleFactory
from tracker.models import Pledge

pytestmark = pytest.mark.django_db

UK_ARTICLE = "die-lage-im-ueberblick-kiew-und-moskau-schmieden-an-ihren-allianzen"


class TestReader:
    def test_every_sentence_is_addressable(self, client, seeded):
        article = Article.objects.get(slug=UK_ARTICLE)
        content = client.get(f"/articles/{UK_ARTICLE}/").content.decode()
        ids = re.findall(r'<span id="s-(\d+)" class="sentence', content)
        assert [int(i) for i in ids] == list(range(1, article.sentences.count() + 1))

    def test_cited_and_evidence_sentences_are_highlighted_with_their_pledges(self, client, seeded):
        content = client.get(f"/articles/{UK_ARTICLE}/").content.decode()
        cited = set(re.findall(r'<span id="s-(\d+)" class="sentence cited', content))
        # 10: 6.6bn and its "davon" part; 17: Gravehawk; 41 and 42: the debated 3bn.
        assert cited == {"10", "17", "41", "42"}
        german_proposal = Pledge.objects.get(donor__slug="germany")
        assert f'href="/pledges/{german_proposal.pk}/"' in content

    def test_page_furniture_is_marked(self, client, seeded):
        content = client.get(f"/articles/{UK_ARTICLE}/").content.decode()
        headline = Sentence.objects.get(
            article__slug=UK_ARTICLE, text="Ukraine forciert eigenen Rüstungssektor"
        )
        assert f'<span id="s-{headline.position}" class="sentence furniture">' in content

    def test_query_count_is_pinned(self, client, seeded, django_assert_num_queries):
        # article, sentences, pledges + donors, supporting pledges + donors
        with django_assert_num_queries(6):
            client.get(f"/articles/{UK_ARTICLE}/")

    def test_unknown_article_is_404(self, client):
        assert client.get("/articles/no-such-article/").status_code == 404


class TestArticleList:
    def test_dated_articles_first_then_undated(self, client, seeded):
        response = client.get("/articles/")
        dates = [a.published_on for a in response.context_data["articles"]]
        assert dates[:2] == sorted(dates[:2], reverse=True) and None not in dates[:2]
        assert dates[2:] == [None, None, None]

    def test_counts_cited_sentences(self, client, seeded):
        articles = {a.slug: a for a in client.get("/articles/").context_data["articles"]}
        assert articles[UK_ARTICLE].n_cited == 4
        assert articles[UK_ARTICLE].n_sentences == 60


def test_not_found_page_is_in_the_site_style(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is no page at this address." in response.content


class TestArticlePages:
    """Fifty articles a page, newest first, searchable by title and publisher."""

    @pytest.fixture
    def many(self):
        for number in range(120):
            ArticleFactory(
                slug=f"aid-{number:03d}",
                title=f"Aid report {number:03d}",
                publisher="Kyiv Post" if number % 2 else "Der Spiegel",
                published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
            )

    def test_fifty_a_page_newest_first(self, client, many):
        first = client.get("/articles/")
        titles = [article.title for article in first.context_data["articles"]]
        assert titles == [f"Aid report {number:03d}" for number in range(119, 69, -1)]
        third = client.get("/articles/?page=3").context_data["articles"]
        assert [article.title for article in third][-1] == "Aid report 000"
        assert len(third) == 20
        content = first.content.decode()
        assert "120 articles · showing 1–50" in content
        assert 'href="?page=2" rel="next"' in content

    def test_search_by_title_or_publisher_keeps_to_its_pages(self, client, many):
        response = client.get("/articles/?q=spiegel")
        articles = response.context_data["page"].paginator.count
        assert articles == 60
        assert 'href="?q=spiegel&amp;page=2" rel="next"' in response.content.decode()
        # The typed page keeps the search too.
        assert '<input type="hidden" name="q" value="spiegel">' in response.content.decode()
        page = client.get("/articles/?q=spiegel&page=2").context_data["articles"]
        assert {article.publisher for article in page} == {"Der Spiegel"}
        both = client.get("/articles/?q=report+kyiv+017").context_data["articles"]
        assert [article.title for article in both] == ["Aid report 017"]

    def test_no_match_says_so(self, client, many):
        response = client.get("/articles/?q=nothing-like-this")
        assert response.status_code == 200
        assert "No article matches “nothing-like-this”." in response.content.decode()

    @pytest.mark.parametrize("page", ["0", "-1", "999", "abc", "1e9", "9" * 30, "%00", ""])
    def test_any_page_number_gives_a_page(self, client, many, page):
        response = client.get(f"/articles/?page={page}")
        assert response.status_code == 200
        assert len(response.context_data["articles"]) in (50, 20)

    @pytest.mark.parametrize("query", ["a%00b", "x" * 201])
    def test_a_search_that_cannot_be_read_is_named_not_an_error(self, client, many, query):
        response = client.get(f"/articles/?q={query}")
        assert response.status_code == 200
        assert response.context_data["form"].errors
        assert response.context_data["page"].paginator.count == 120

    def test_query_count_does_not_grow_with_the_articles(
        self, client, seeded, django_assert_num_queries
    ):
        # The page's count, its articles, their sentences counted.
        with django_assert_num_queries(3):
            client.get("/articles/")
        ArticleFactory.create_batch(120)
        with django_assert_num_queries(3):
            client.get("/articles/?page=2&q=article")
