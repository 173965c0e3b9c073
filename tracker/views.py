"""The analyst's pages: the table, the dashboard, pledge and donor pages, the exports."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from tracker.filters import PledgeFilter
from tracker.middleware import RETRY_AFTER_SECONDS
from tracker.models import Pledge, PledgeRollup, PledgeSummary
from tracker.selectors.breakdowns import TOTALS_GROUPS, totals_table
from tracker.selectors.export import csv_table, export_stream
from tracker.selectors.export_xlsx import CONTENT_TYPE as XLSX_TYPE
from tracker.selectors.export_xlsx import export_xlsx
from tracker.selectors.kiel import reference_page
from tracker.selectors.pages import donor_page, donors_page, overview, pledge_page, table_page


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


#: The parts of pages that htmx refreshes alone, by element id (``HX-Target``): each is a
#: ``{% partialdef %}`` of the same name.
PARTIALS = {
    "pledge-table": "tracker/pledge_list.html#pledge-table",
    "dashboard-body": "tracker/dashboard.html#dashboard-body",
}


def partial_asked(request: HtmxHttpRequest, *names: str) -> str | None:
    """The partial htmx asks to refresh, if it is one of the page's ``names`` (boosted and
    history-restore requests carry HX-Request too, and get the whole page)."""
    target = request.htmx.target
    if request.htmx.history_restore_request or target not in names:
        return None
    return PARTIALS[target]


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request: HtmxHttpRequest) -> TemplateResponse:
    """Headline totals and charts for the filters, with the matching pledges below."""
    partial = partial_asked(request, "dashboard-body", "pledge-table")
    return TemplateResponse(request, partial or "tracker/dashboard.html", overview(request.GET))


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def pledge_list(request: HtmxHttpRequest) -> TemplateResponse:
    """Filterable, sortable, paginated pledges with their totals."""
    template = partial_asked(request, "pledge-table") or "tracker/pledge_list.html"
    return TemplateResponse(request, template, table_page(request.GET))


@require_safe
def pledge_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One pledge: every field, its sentence in context, other reports, conversion, parts."""
    return TemplateResponse(request, "tracker/pledge_detail.html", pledge_page(pk))


@require_safe
def donor_list(request: HttpRequest) -> TemplateResponse:
    """Every donor with its EUR total, number of pledges and latest announcement, sortable."""
    return TemplateResponse(request, "tracker/donor_list.html", donors_page(request.GET))


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def donor_detail(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """A donor's totals by stage, category and year, a timeline, and its pledges."""
    partial = partial_asked(request, "pledge-table")
    page = donor_page(slug, request.GET)
    return TemplateResponse(request, partial or "tracker/donor_detail.html", page)


def export_refused(problems: list[str]) -> HttpResponse:
    """A 400 naming every parameter an export could not understand."""
    text = gettext("Nothing exported; fix these filters:") + "\n"
    text += "".join(f"{problem}\n" for problem in problems)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


#: ``?bom=``: a byte-order mark for Excel with 1, none with 0 or nothing.
BOM_VALUES = {"": False, "0": False, "1": True}


@require_safe
def pledge_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every pledge matching the table's filters, as CSV, streamed."""
    pledge_filter = PledgeFilter(request.GET, queryset=Pledge.objects.for_table())
    problems = list(pledge_filter.error_messages)
    bom = request.GET.get("bom", "")
    if bom not in BOM_VALUES:
        problems.append(gettext("bom: 1 (a byte-order mark, for Excel), 0 or nothing."))
    if problems:
        # An export with a filter silently dropped would hand out rows nobody asked for.
        return export_refused(problems)

    # Once its first line is out a stream cannot turn into an error page: make sure the
    # database answers now (the health check drops a dead persistent connection).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    response = StreamingHttpResponse(
        export_stream(
            pledge_filter.qs,
            reader_url=request.build_absolute_uri("/")[:-1],
            bom=BOM_VALUES[bom],
        ),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.csv"'
    return response


@require_safe
def pledge_export_xlsx(request: HttpRequest) -> HttpResponse | FileResponse:
    """The CSV export's pledges and columns as an XLSX workbook, up to a number of rows."""
    pledge_filter = PledgeFilter(request.GET, queryset=Pledge.objects.for_table())
    if not pledge_filter.is_valid():
        return export_refused(pledge_filter.error_messages)
    limit = settings.PLEDGE_XLSX_MAX_ROWS
    # Counted no further than one past the limit, so a whole table costs no full count.
    if pledge_filter.qs[: limit + 1].count() > limit:
        csv_url = request.build_absolute_uri(reverse("pledge-export"))
        query = request.GET.urlencode()
        text = gettext(
            "Nothing exported: these filters match more than %(limit)s pledges, the most an "
            "XLSX file holds here. Narrow the filters, or download the CSV, which has no limit:"
        ) % {"limit": number_format(limit, force_grouping=True)}
        text += f"\n{csv_url}{'?' if query else ''}{query}\n"
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")

    workbook = export_xlsx(pledge_filter.qs, reader_url=request.build_absolute_uri("/")[:-1])
    name = f"pledges-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=XLSX_TYPE)


@require_safe
def pledge_totals_export(request: HttpRequest) -> HttpResponse:
    """The totals of the table's filters as CSV, overall or grouped (``?by=donor`` ...)."""
    pledge_filter = PledgeFilter(
        request.GET,
        queryset=Pledge.objects.all(),
        rollups=PledgeRollup.objects.all(),
        summaries=PledgeSummary.objects.all(),
    )
    by = request.GET.get("by", "")
    problems = list(pledge_filter.error_messages)
    if by not in TOTALS_GROUPS:
        choices = ", ".join(name for name in TOTALS_GROUPS if name)
        problems.append(gettext("by: one of %(choices)s, or nothing.") % {"choices": choices})
    if problems:
        return export_refused(problems)
    header, rows = totals_table(
        pledge_filter.totals_qs,
        by=by,
        detailed=pledge_filter.detailed_totals_qs,
        include_proposed=pledge_filter.include_proposed_in_totals,
    )
    response = HttpResponse(csv_table(header, rows), content_type="text/csv; charset=utf-8")
    name = f"pledge-totals-{by or 'all'}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
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
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def reference(request: HttpRequest) -> TemplateResponse:
    """Our pledges per donor beside the Kiel Institute's allocations and commitments."""
    return TemplateResponse(request, "tracker/reference.html", reference_page(request.GET))
