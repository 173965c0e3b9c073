"""The reader: every article and its sentences, each addressable as #s-<position>."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from articles.models import Article


@require_safe
def article_list(request: HttpRequest) -> TemplateResponse:
    """All articles, newest first, with how many of their sentences are cited."""
    cited = Q(sentences__pledges__isnull=False) | Q(sentences__supporting_pledges__isnull=False)
    articles = Article.objects.annotate(
        n_sentences=Count("sentences", distinct=True),
        n_cited=Count("sentences", filter=cited, distinct=True),
    ).order_by(F("published_on").desc(nulls_last=True), "title")
    return TemplateResponse(request, "articles/article_list.html", {"articles": articles})


@require_safe
def article_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """One article, sentence by sentence; cited sentences are highlighted with their pledges."""
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
    context = {"article": article, "paragraphs": paragraphs, "n_cited": n_cited}
    return TemplateResponse(request, "articles/article_detail.html", context)
