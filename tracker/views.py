"""The analyst's pages: the table, the dashboard, pledge and donor pages, the CSV export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from tracker import fx, table
from tracker.filters import PledgeFilter
from tracker.middleware import RETRY_AFTER_SECONDS
from tracker.models import Donor, Pledge, PledgeRollup, PledgeSummary, PledgeSums
from tracker.rows import pledge_rows
from tracker.selectors.breakdowns import (
    TOTALS_GROUPS,
    dashboard_charts,
    donor_breakdowns,
    totals_table,
)
from tracker.selectors.export import csv_table, export_stream
from tracker.selectors.history import pledge_history
from tracker.selectors.kiel import kiel_comparison
from tracker.selectors.totals import Totals, totals_overall
from tracker.statements import values_rows

PAGE_SIZE = 50
#: The date sorts, and whether each puts the newest first; their deep pages start at a month.
DATE_SORTS = {"-announced_on": True, "announced_on": False}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class CountedPaginator(Paginator):
    """Pages of pledges, told their count, that skip rows cheaply.

    The count comes from the totals, computed anyway; given as a function that waits for
    them, it lets the first page, and any page that knows where it starts, be read while they
    are still being added up. A page first reads just the ids of its rows, in order, from the
    pledge table alone (an index scan), then the rows with their donors, categories and
    sentences by id, as ``tracker.rows.PledgeRow`` values: skipping half a million rows with
    every join attached cost seconds.

    In a date sort, given the listed pledges per month (``months``, read beside the totals), a
    deep page does not skip every row before it either. Undated pledges come last in both
    orders, so the list is the months in order, then the undated rows:

    - a page among the dated rows reads from the month that holds its first row on
      (``announced_on`` before the end of that month, newest first; from its first day, oldest
      first) and skips only that month's rows before it;
    - a page among the undated rows reads only them, skipping the undated rows before it;
    - the page where the dates end reads the list backwards from its end, skipping only the
      undated rows after it (PostgreSQL scans the sort's index backwards).

    Without ``months`` (other sorts, or totals added up from the pledges) a page skips its
    rows with OFFSET.
    """

    def __init__(
        self,
        object_list: QuerySet[Pledge],
        per_page: int,
        *,
        count: int | Callable[[], int],
        months: dict[date | None, int] | None = None,
        newest_first: bool = True,
    ) -> None:
        super().__init__(object_list, per_page)
        if callable(count):
            self.count_of = count
        else:
            self.__dict__["count"] = count  # fills the cached property
        self.months = months
        self.newest_first = newest_first

    @cached_property
    def count(self) -> int:
        return self.count_of()

    def validate_number(self, number) -> int:
        # The first page always exists (allow_empty_first_page): its rows are read while a
        # count still being added up (``meanwhile``) comes in.
        if "count" not in self.__dict__ and self.allow_empty_first_page:
            try:
                if int(number) == 1:
                    return 1
            except (TypeError, ValueError):
                pass
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(pledge_rows(self.page_ids(bottom)), number, self)

    def page_ids(self, bottom: int) -> list[int]:
        """The ids of the page that starts at row ``bottom`` of the list, in its order."""
        rows = self.object_list
        if self.months is None or not bottom:
            return ids_between(rows, bottom, bottom + self.per_page)
        top = min(bottom + self.per_page, self.count)
        dated = sorted((month for month in self.months if month), reverse=self.newest_first)
        undated_from = sum(self.months[month] for month in dated)
        if bottom >= undated_from:
            undated = rows.filter(announced_on__isnull=True)
            return ids_between(undated, bottom - undated_from, top - undated_from)
        if top > undated_from:
            backwards = ids_between(rows.reverse(), self.count - top, self.count - bottom)
            return backwards[::-1]
        skipped = 0  # the rows of the months before ``month``
        for month in dated:
            if bottom < skipped + self.months[month]:
                if self.newest_first:
                    following = (month + timedelta(days=31)).replace(day=1)
                    rows = rows.filter(announced_on__lt=following)
                else:
                    rows = rows.filter(announced_on__gte=month)
                return ids_between(rows, bottom - skipped, top - skipped)
            skipped += self.months[month]
        return []  # not reached: the page starts in one of the months


def ids_between(pledges: QuerySet[Pledge], start: int, stop: int) -> list[int]:
    """The ids of ``pledges[start:stop]``, through a statement compiled once per shape of
    filters, sort and slice (``tracker.statements``)."""

    def sliced(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
        return queryset.values_list("pk")[start:stop]

    return [pk for (pk,) in values_rows(pledges, sliced, key=("ids_between", start, stop))]


def table_page(
    pledge_filter: PledgeFilter, number: str | None, *, per_page: int = PAGE_SIZE
) -> tuple[Page, Totals]:
    """Page ``number`` of the filter's pledges, and their totals: one query for the totals,
    two for the page, and for a later page in a date sort one more.

    That one reads the listed pledges per month from the roll-up or the summary (whose
    ``announced_on`` is the month), when they serve the totals: the months tell the paginator
    where the page starts. It runs for every page after the first, however near, so a page
    costs the same number of queries at any size of the data.

    On PostgreSQL the totals are added up on a second connection while the page is read
    (``tracker.meanwhile``): the two take about as long as the slower of them.
    """
    totals_qs = pledge_filter.totals_qs
    include_proposed = pledge_filter.include_proposed_in_totals
    newest_first = DATE_SORTS.get(pledge_filter.sort_key)
    try:
        later = int(number) > 1
    except (TypeError, ValueError):
        later = False  # the paginator shows the first page
    totals = totals_overall(totals_qs, include_proposed=include_proposed)
    count, months = totals.pledges, None
    if later and newest_first is not None and issubclass(totals_qs.model, PledgeSums):
        listed = (
            totals_qs.order_by()
            .values("announced_on")
            .annotate(listed=Sum("pledges"))
            .values_list("announced_on", "listed")
        )
        months = {month: pledges for month, pledges in listed if pledges}
        # The paginator counts what its months hold, read at the same moment as they were.
        count = sum(months.values())
    # The totals already count every listed pledge: no second pass over the rows to page them.
    paginator = CountedPaginator(
        pledge_filter.qs,
        per_page,
        count=count,
        months=months,
        newest_first=bool(newest_first),
    )
    return paginator.get_page(number), totals


def table_filter(
    request: HttpRequest,
    *,
    pledges: QuerySet[Pledge] | None = None,
    rollups: QuerySet[PledgeRollup] | None = None,
) -> PledgeFilter:
    """The filters of a page with the pledge table: over every pledge, with the roll-up and
    the summary, or over the ``pledges`` a page fixes, with their ``rollups`` (the summary
    keeps no donor or category to fix them by).

    Without a single parameter the filter stays unbound, as django-filter's own views leave it
    (``GET or None``): there is nothing to validate, and the rows come in the default sort.
    """
    if pledges is not None:
        return PledgeFilter(request.GET or None, queryset=pledges, rollups=rollups)
    return PledgeFilter(
        request.GET or None,
        queryset=Pledge.objects.for_table(),
        rollups=PledgeRollup.objects.all(),
        summaries=PledgeSummary.objects.all(),
    )


def table_context(
    request: HttpRequest, pledge_filter: PledgeFilter, *, target: str, **fixed: str
) -> dict:
    """What the pledge table needs (``tracker.table``): the fragment renders it alone, a full
    page renders it first as ``table_html`` to place.

    ``target`` is the element the filter chips refresh. ``fixed`` are parameters the page
    itself imposes (the donor of a donor page); the export link carries them with the
    visitor's own.
    """
    page, totals = table_page(pledge_filter, request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query.update(fixed)
    export_url = f"{reverse('pledge-export')}?{export_query.urlencode()}".rstrip("?")
    return table.table_context(
        request, pledge_filter, page, totals, target=target, export_url=export_url
    )


def table_only(request: HtmxHttpRequest) -> bool:
    """Whether htmx asks to refresh exactly the table (boosted and history-restore requests
    carry HX-Request too, and get the whole page)."""
    return request.htmx.target == "pledge-table" and not request.htmx.history_restore_request


def table_response(request: HtmxHttpRequest, context: dict) -> TemplateResponse | None:
    """The table alone, when that is what htmx asks for (``table_only``)."""
    if not table_only(request):
        return None
    return TemplateResponse(request, table.TABLE_TEMPLATE, context, using="jinja2")


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request: HtmxHttpRequest) -> TemplateResponse:
    """Headline totals and charts for the filters, with the matching pledges below."""
    pledge_filter = table_filter(request)
    charts = None
    if not table_only(request):
        charts = dashboard_charts(
            pledge_filter.totals_qs,
            detailed=pledge_filter.detailed_totals_qs,
            include_proposed=pledge_filter.include_proposed_in_totals,
        )
    context = table_context(request, pledge_filter, target="dashboard-body")
    if response := table_response(request, context):
        return response
    context["table_html"] = table.render(table.TABLE_TEMPLATE, context)
    context["filter_state_html"] = table.render(table.FILTER_STATE_TEMPLATE, context)
    context.update(charts)
    filters = request.GET.copy()
    for name in ("page", "sort"):
        filters.pop(name, None)
    context["totals_query"] = filters.urlencode()
    template_name = "tracker/dashboard.html"
    if request.htmx.target == "dashboard-body" and not request.htmx.history_restore_request:
        template_name += "#dashboard-body"
    return TemplateResponse(request, template_name, context)


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def pledge_list(request: HtmxHttpRequest) -> TemplateResponse:
    """Filterable, sortable, paginated pledges with their totals."""
    pledge_filter = table_filter(request)
    context = table_context(request, pledge_filter, target="pledge-table")
    if response := table_response(request, context):
        return response
    context["table_html"] = table.render(table.TABLE_TEMPLATE, context)
    return TemplateResponse(request, "tracker/pledge_list.html", context)


@require_safe
def pledge_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One pledge: every field, its sentence in context, other reports, conversion, parts."""
    pledge = get_object_or_404(Pledge.objects.for_detail(), pk=pk)
    sentence = pledge.sentence
    context = {
        "pledge": pledge,
        "history": pledge_history(pledge),
        "passage": sentence.article.passage(sentence.position, around=2),
        "fx_source": fx.SOURCE,
        "fx_missing": fx.fx_missing_reason(pledge),
    }
    return TemplateResponse(request, "tracker/pledge_detail.html", context)


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def donor_detail(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    """A donor's totals by stage, category and year, a timeline, and its pledges."""
    donor = get_object_or_404(Donor, slug=slug)
    pledges = Pledge.objects.for_table().filter(donor=donor)
    rollups = PledgeRollup.objects.filter(donor=donor)
    pledge_filter = table_filter(request, pledges=pledges, rollups=rollups)
    breakdowns = None if table_only(request) else donor_breakdowns(rollups)
    context = table_context(request, pledge_filter, target="pledge-table", donor=donor.slug)
    if response := table_response(request, context):
        return response
    context["donor"] = donor
    context["table_html"] = table.render(table.TABLE_TEMPLATE, context)
    context["totals_html"] = table.render(table.TOTALS_TEMPLATE, context)
    context.update(breakdowns)
    return TemplateResponse(request, "tracker/donor_detail.html", context)


def export_refused(problems: list[str]) -> HttpResponse:
    """A 400 naming every parameter an export could not understand."""
    text = gettext("Nothing exported; fix these filters:") + "\n"
    text += "".join(f"{problem}\n" for problem in problems)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


@require_safe
def pledge_export(request: HttpRequest) -> HttpResponse:
    """Every pledge matching the table's filters, as CSV, streamed."""
    pledge_filter = PledgeFilter(request.GET, queryset=Pledge.objects.for_table())
    if not pledge_filter.is_valid():
        # An export with a filter silently dropped would hand out rows nobody asked for.
        return export_refused(pledge_filter.error_messages)

    # Once its first line is out a stream cannot turn into an error page: make sure the
    # database answers now (the health check drops a dead persistent connection).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    response = StreamingHttpResponse(
        export_stream(pledge_filter.qs, reader_url=request.build_absolute_uri("/")[:-1]),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.csv"'
    return response


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
    """Our news-based totals per donor beside the Kiel Institute's allocations and commitments."""
    return TemplateResponse(request, "tracker/reference.html", {"comparison": kiel_comparison()})
