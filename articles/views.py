"""The reader: every article and its sentences, each addressable as #s-<position>."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from articles.selectors import article_list_page, article_page


@require_safe
def article_list(request: HttpRequest) -> TemplateResponse:
    """Articles, newest first, 50 a page, searched by title and publisher."""
    return TemplateResponse(request, "articles/article_list.html", article_list_page(request.GET))


@require_safe
def article_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """One article, sentence by sentence; cited sentences are highlighted with their pledges."""
    return TemplateResponse(request, "articles/article_detail.html", article_page(slug))
