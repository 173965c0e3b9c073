"""The analyst's pages: the pledge table, its CSV export and the health check."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from tracker.filters import PledgeFilter
from tracker.models import Pledge
from tracker.services.export import csv_lines
from tracker.services.totals import totals_overall

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def pledge_list(request: HtmxHttpRequest) -> TemplateResponse:
    """Filterable, sortable, paginated pledges with totals per currency."""
    pledge_filter = PledgeFilter(request.GET, queryset=Pledge.objects.for_table())
    page = Paginator(pledge_filter.qs, per_page=PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": pledge_filter,
        "page": page,
        "totals": totals_overall(pledge_filter.qs),
        "sort": pledge_filter.sort_key,
    }
    template_name = "tracker/pledge_list.html"
    if request.htmx.target == "pledge-table" and not request.htmx.history_restore_request:
        template_name += "#pledge-table"
    return TemplateResponse(request, template_name, context)


@require_safe
def pledge_export(request: HttpRequest) -> HttpResponse:
    """Every pledge matching the table's filters, as CSV, streamed."""
    pledge_filter = PledgeFilter(request.GET, queryset=Pledge.objects.for_table())
    if not pledge_filter.is_valid():
        # An export with a filter silently dropped would hand out rows nobody asked for.
        return HttpResponse(
            "Nothing exported; fix these filters:\n"
            + "\n".join(pledge_filter.error_messages)
            + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    reader_url = request.build_absolute_uri("/")[:-1]

    def sentence_link(pledge: Pledge) -> str:
        return reader_url + pledge.sentence.get_absolute_url()

    response = StreamingHttpResponse(
        csv_lines(pledge_filter.qs, sentence_link=sentence_link),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.csv"'
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def reference(request: HttpRequest) -> TemplateResponse:
    """Our news-based totals per donor beside the Kiel Institute's allocations and commitments."""
    from tracker.services.kiel import kiel_comparison

    return TemplateResponse(request, "tracker/reference.html", {"comparison": kiel_comparison()})
