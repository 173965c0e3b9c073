"""What each analyst page shows: one function per page, called by its view, returning the
page's template context."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import get_object_or_404

from tracker import fx
from tracker.filters import query_without
from tracker.models import Donor, Pledge, PledgeRollup
from tracker.selectors.breakdowns import dashboard_charts, donor_breakdowns
from tracker.selectors.history import pledge_history
from tracker.selectors.table import pledge_table


def overview(query: QueryDict, *, charts: bool = True) -> dict:
    """The overview (``/``): headline totals and charts of the filtered pledges, and their
    table. Without ``charts`` only what the table needs (htmx refreshing the table alone)."""
    table = pledge_table(query)
    context = {
        "table": table,
        "target": "dashboard-body",
        "totals": table.totals,
        "totals_query": query_without(query, "sort").urlencode(),
    }
    if charts:
        context |= dashboard_charts(
            table.filter.totals_qs,
            detailed=table.filter.detailed_totals_qs,
            include_proposed=table.filter.include_proposed_in_totals,
        )
    return context


def donor_page(slug: str, query: QueryDict, *, breakdowns: bool = True) -> dict:
    """A donor's page: totals by stage, category and year, a timeline, and its pledges."""
    donor = get_object_or_404(Donor, slug=slug)
    context = {"donor": donor, "table": pledge_table(query, donor=donor), "target": "pledge-table"}
    if breakdowns:
        context |= donor_breakdowns(PledgeRollup.objects.filter(donor=donor))
    return context


def pledge_page(pk: int) -> dict:
    """One pledge: every field, its sentence in context, its history and conversion."""
    pledge = get_object_or_404(Pledge.objects.for_detail(), pk=pk)
    sentence = pledge.sentence
    return {
        "pledge": pledge,
        "history": pledge_history(pledge),
        "passage": sentence.article.passage(sentence.position, around=2),
        "fx_source": fx.SOURCE,
        "fx_missing": fx.fx_missing_reason(pledge),
    }
