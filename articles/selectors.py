"""What the reader's pages show: the list of articles and one article, sentence by sentence."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Sentence

PAGE_SIZE = 50


class ArticleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or publisher")}),
    )


def article_list_page(query: QueryDict) -> dict:
    """Articles, newest first, 50 a page, searched by title and publisher, with how many of
    their sentences are cited."""
    form = ArticleSearchForm(query)
    words = form.cleaned_data["q"] if form.is_valid() else ""
    # The bodies stay in the database: the list shows none. The id keeps pages apart when
    # articles share a date and a title.
    articles = Article.objects.defer("body").order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )
    for word in words.split():
        articles = articles.filter(Q(title__icontains=word) | Q(publisher__icontains=word))
    page = Paginator(articles, PAGE_SIZE).get_page(query.get("page"))
    sentences_counted(page.object_list)
    return {"form": form, "query": words, "page": page, "articles": page.object_list}


def sentences_counted(articles) -> None:
    """Give each article ``n_sentences`` and ``n_cited``, in one query for a page of them:
    counted over every article before paging, they took seconds at 15,000 articles."""
    ids = [article.pk for article in articles]
    if not ids:
        return
    cited = Q(pledges__isnull=False) | Q(supporting_pledges__isnull=False)
    counts = {
        row["article"]: row
        for row in Sentence.objects.filter(article__in=ids)
        .order_by()
        .values("article")
        .annotate(n=Count("pk", distinct=True), n_cited=Count("pk", filter=cited, distinct=True))
    }
    for article in articles:
        row = counts.get(article.pk, {})
        article.n_sentences, article.n_cited = row.get("n", 0), row.get("n_cited", 0)


def article_page(slug: str) -> dict:
    """One article, sentence by sentence; cited sentences carry their pledges."""
    article = get_object_or_404(Article, slug=slug)
    # `pledges` (the sentence a pledge cites) and `supporting_pledges` (its further evidence)
    # are reverse names from the pledge app; the reader only lists them, so the ground floor
    # does not import it.
    sentences = list(
        article.sentences.prefetch_related("pledges__donor", "supporting_pledges__donor")
    )
    for sentence in sentences:
        sentence.cited_by = [*sentence.pledges.all(), *sentence.supporting_pledges.all()]
    paragraphs = article.paragraphs(sentences)
    n_cited = sum(1 for sentence in sentences if sentence.cited_by)
    return {"article": article, "paragraphs": paragraphs, "n_cited": n_cited}
