"""What each analyst page shows: one function per page, called by its view, returning the
page's template context.

The table, the overview, the donor list and the donor pages keep their rendered parts under
the data's version (``{% cachedpart %}`` in their templates,
tracker/templatetags/cached_parts.py): their contexts compute the figures ``lazily``, so that
a page whose parts are all cached reads nothing else.
"""

from __future__ import annotations

from functools import partial

from django.http import QueryDict
from django.shortcuts import get_object_or_404

from articles.text_fragments import text_fragment_url
from tracker import fx
from tracker.cache import lazily
from tracker.filters import query_without
from tracker.models import Donor, Pledge, PledgeRollup
from tracker.selectors.breakdowns import dashboard_charts, donor_breakdowns
from tracker.selectors.donors import donor_list
from tracker.selectors.history import pledge_history, review_state
from tracker.selectors.kiel import kiel_donor_panel
from tracker.selectors.releases import release_asked
from tracker.selectors.table import PledgeTable, pledge_table


def table_page(query: QueryDict) -> dict:
    """The table (``/pledges/``): the filtered pledges, a page of them, their totals; those
    of a release, as published, with ``?release=N`` (``ReleaseNotFound`` if there is none)."""
    release = release_asked(query)
    return {
        "table": lazily(partial(pledge_table, query, release=release)),
        "target": "pledge-table",
        "release": release,
        "live_query": query_without(query, "release").urlencode() if release else "",
    }


def overview(query: QueryDict) -> dict:
    """The overview (``/``): headline totals and charts of the filtered pledges, and their
    table."""
    table = lazily(partial(pledge_table, query))
    return {
        "table": table,
        "target": "dashboard-body",
        "totals_query": query_without(query, "sort").urlencode(),
        "charts": lazily(partial(overview_charts, table)),
    }


def overview_charts(table: PledgeTable) -> dict:
    filters = table.filter
    return dashboard_charts(
        filters.totals_qs,
        detailed=filters.detailed_totals_qs,
        pledges=filters.qs.order_by(),
        include_proposed=filters.include_proposed_in_totals,
    )


def donor_page(slug: str, query: QueryDict) -> dict:
    """A donor's page: totals by stage, category and year, a timeline, and its pledges."""
    donor = get_object_or_404(Donor, slug=slug)
    return {
        "donor": donor,
        "table": lazily(partial(pledge_table, query, donor=donor)),
        "target": "pledge-table",
        "breakdowns": lazily(partial(donor_breakdowns, PledgeRollup.objects.filter(donor=donor))),
        "kiel": lazily(partial(kiel_donor_panel, donor)),
    }


def donors_page(query: QueryDict) -> dict:
    """The donors (``/donors/``): each with its totals, sorted as asked."""
    return {"donors": lazily(partial(donor_list, sort=query.get("sort")))}


def pledge_page(pk: int) -> dict:
    """One pledge: every field, its sentence in context, its history and conversion."""
    pledge = get_object_or_404(Pledge.objects.for_detail(), pk=pk)
    sentence = pledge.sentence
    history = pledge_history(pledge)
    return {
        "pledge": pledge,
        "history": history,
        "review": review_state(pledge, history),
        # The newest version in the history, which the list below begins with; a pledge
        # loaded without history has only its own time stamp.
        "last_changed": history[0].when if history else pledge.updated_at,
        "passage": sentence.article.passage(sentence.position, around=2),
        # The publisher's page scrolled to the sentence's words, beside our reader's anchor.
        "source_link": text_fragment_url(sentence.article.url, sentence.text),
        "fx_source": fx.SOURCE,
        "fx_missing": fx.fx_missing_reason(pledge),
    }
