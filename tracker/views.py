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
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from tracker.middleware import RETRY_AFTER_SECONDS
from tracker.selectors.breakdowns import TOTALS_GROUPS, totals_table
from tracker.selectors.datapackage import datapackage
from tracker.selectors.export import csv_table, export_stream
from tracker.selectors.export_xlsx import CONTENT_TYPE as XLSX_TYPE
from tracker.selectors.export_xlsx import export_xlsx
from tracker.selectors.kiel import reference_page
from tracker.selectors.pages import donor_page, donors_page, overview, pledge_page, table_page
from tracker.selectors.releases import (
    ReleaseNotFound,
    changelog_text,
    latest_release,
    release_by_number,
    release_page,
    release_rows,
    releases_page,
)
from tracker.selectors.table import export_filter


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
    """Filterable, sortable, paginated pledges with their totals; of a release with
    ``?release=N``."""
    template = partial_asked(request, "pledge-table") or "tracker/pledge_list.html"
    try:
        page = table_page(request.GET)
    except ReleaseNotFound as error:
        return release_missing(request, error)
    return TemplateResponse(request, template, page)


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


def release_refused(error: ReleaseNotFound) -> HttpResponse:
    """A 404 for an export of a release that does not exist, saying why."""
    text = gettext("Nothing exported:") + f" {error}\n"
    return HttpResponse(text, status=404, content_type="text/plain; charset=utf-8")


#: ``?bom=``: a byte-order mark for Excel with 1, none with 0 or nothing.
BOM_VALUES = {"": False, "0": False, "1": True}


@require_safe
def pledge_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every pledge matching the table's filters, as CSV, streamed; of a release with
    ``?release=N``."""
    try:
        pledge_filter = export_filter(request.GET)
    except ReleaseNotFound as error:
        return release_refused(error)
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
    try:
        pledge_filter = export_filter(request.GET)
    except ReleaseNotFound as error:
        return release_refused(error)
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
    try:
        pledge_filter = export_filter(request.GET, totals=True)
    except ReleaseNotFound as error:
        return release_refused(error)
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


def site_root(request: HttpRequest) -> str:
    """The site's absolute address without the final slash: "https://host"."""
    return request.build_absolute_uri("/")[:-1]


def release_missing(request: HttpRequest, error: ReleaseNotFound) -> TemplateResponse:
    """A 404 page for a release that does not exist, saying why."""
    context = {"message": str(error)}
    return TemplateResponse(request, "tracker/release_missing.html", context, status=404)


@require_safe
def release_list(request: HttpRequest) -> TemplateResponse:
    """Every release: its date, what changed, its files and how to cite it."""
    page = releases_page(site_url=site_root(request))
    return TemplateResponse(request, "tracker/release_list.html", page)


@require_safe
def release_detail(request: HttpRequest, number: str) -> TemplateResponse:
    """One release, with its whole changelog: the address its citation gives."""
    try:
        release = release_by_number(number)
    except ReleaseNotFound as error:
        return release_missing(request, error)
    page = release_page(release, site_url=site_root(request))
    return TemplateResponse(request, "tracker/release_list.html", page)


@require_safe
def release_file(
    request: HttpRequest, number: str, name: str
) -> HttpResponse | StreamingHttpResponse:
    """A release's CSV, data package or changelog, read from what it stored."""
    try:
        release = release_by_number(number)
    except ReleaseNotFound as error:
        return release_missing(request, error)
    if name == "pledges.csv":
        response = StreamingHttpResponse(
            export_stream(release_rows(release), reader_url=site_root(request)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"aid-pledges-release-{release.number}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if name == "datapackage.json":
        package = datapackage(release, site_url=site_root(request))
        return JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    if name == "changelog":
        previous = release.number - 1 or None
        text = changelog_text(release.changes, number=release.number, previous=previous)
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    message = gettext("A release has these files: pledges.csv, datapackage.json, changelog.")
    return release_missing(request, ReleaseNotFound(message))


@require_safe
def release_latest(request: HttpRequest, name: str = "") -> HttpResponse:
    """The latest release, or one of its files: a redirect to its numbered address."""
    release = latest_release()
    if release is None:
        return release_missing(request, ReleaseNotFound(gettext("No release yet.")))
    if not name:
        return redirect("release-detail", release.number)
    return redirect("release-file", release.number, name)
