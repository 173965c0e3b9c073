"""The reader: every article and its sentences, each addressable as #s-<position>."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from articles.models import Article


@require_safe
def article_list(request: HttpRequest) -> TemplateResponse:
    """All articles, newest first, with how many of their sentences are cited."""
    articles = Article.objects.annotate(
        n_sentences=Count("sentences", distinct=True),
        n_cited=Count("sentences", filter=Q(sentences__pledges__isnull=False), distinct=True),
    ).order_by("-published_on", "title")
    return TemplateResponse(request, "articles/article_list.html", {"articles": articles})


@require_safe
def article_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """One article, sentence by sentence; cited sentences are highlighted with their pledges."""
    article = get_object_or_404(Article, slug=slug)
    # `pledges` is the reverse name of the pledge's sentence; the reader only counts and
    # lists them, so the ground floor does not import the pledge app.
    sentences = article.sentences.prefetch_related("pledges__donor", "pledges__category")
    paragraphs = article.paragraphs(list(sentences))
    n_cited = sum(1 for paragraph in paragraphs for s in paragraph if s.pledges.all())
    context = {"article": article, "paragraphs": paragraphs, "n_cited": n_cited}
    return TemplateResponse(request, "articles/article_detail.html", context)
