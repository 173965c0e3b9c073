from __future__ import annotations

import re

import pytest

from articles.models import Article, Sentence
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


def test_article_list_query_count(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/articles/")
