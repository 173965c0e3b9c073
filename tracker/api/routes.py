"""The read-only JSON API at ``/api/``, its OpenAPI 3.1 document and its docs page.

Each table address has a JSON twin: ``/pledges/?<query>`` lists what ``/api/pledges?<query>``
returns, and ``/pledges/totals.csv?<query>`` sums what ``/api/totals?<query>`` does; with
``?release=N`` all of them read release N as published. The parameters below are declared
for the OpenAPI document only: the table's own filter (``PledgeFilter``) reads and checks
them, so both say the same about a bad value.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError, Throttled, ValidationError

from tracker.api import schemas
from tracker.api.rate_limit import AddressRateLimit, limit_text
from tracker.data_release import data_licence, data_release
from tracker.filters import SORT_KEYS
from tracker.selectors import api as read
from tracker.selectors.breakdowns import TOTALS_GROUPS
from tracker.selectors.releases import ReleaseNotFound, release_asked

api = NinjaAPI(
    title="Aid Pledge Tracker API",
    version="1",
    description=(
        "Aid pledges to Ukraine, each traced to the sentence of the article that states it. "
        "Read-only; the pledge filters and sorts are the table's (`/pledges/`); money is a "
        "decimal string, dates ISO 8601. `?release=N` reads the pledges and totals of "
        "release N as published (`/releases/`). Anonymous clients are rate-limited per "
        "address (429 with Retry-After)."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0, "tryItOutEnabled": True}),
    # Swagger UI's stylesheet draws its icons as data: images; the site's policy allows images
    # from the site only, so the docs page (and only it) allows those too.
    docs_decorator=csp_update({"img-src": [SELF, "data:"]}),
    throttle=AddressRateLimit(),
)

REFUSED = {400: schemas.Problem, 429: schemas.Problem}
#: What an endpoint that reads a release may answer besides.
RELEASED = {**REFUSED, 404: schemas.Problem}
RELEASE_HELP = "A release's number: its pledges as published (`/releases/`); none for live data"


class FilterQuery(Schema):
    """The table's filters and sort (README, "Table parameters")."""

    donor: list[str] = Field(default=[], description="Donor slug; repeat for several")
    category: str = Field(default="", description="Category slug; a parent includes its children")
    stage: str = Field(default="", description="proposed, pledged, allocated or delivered")
    currency: str = Field(default="", description="ISO 4217 code of the original amount")
    date_from: str = Field(default="", description="Announced on or after, YYYY-MM-DD")
    date_to: str = Field(default="", description="Announced on or before, YYYY-MM-DD")
    amount_eur_min: str = Field(default="", description="EUR value at least")
    amount_eur_max: str = Field(default="", description="EUR value at most")
    article: str = Field(default="", description="Article slug")
    q: str = Field(default="", description="Every word, in donor, item, notes and sentence")
    reviewed: str = Field(default="", description="`on`: reviewed pledges only")
    include_proposed: str = Field(default="", description="`on`: proposals in the totals")
    sort: str = Field(default="", description=f"One of {', '.join(SORT_KEYS)}")
    release: str = Field(default="", description=RELEASE_HELP)


class PledgeQuery(FilterQuery):
    """The table's filters and sort, and the API's paging."""

    limit: str = Field(
        default="", description=f"Records per page, 1 to {read.MAX_LIMIT} ({read.DEFAULT_LIMIT})"
    )
    after: str = Field(default="", description="The id of the last record of the page before")


class TotalsQuery(FilterQuery):
    by: str = Field(
        default="", description=f"Group by one of {', '.join(g for g in TOTALS_GROUPS if g)}"
    )


class ArticleQuery(Schema):
    limit: str = Field(default="", description=f"1 to {read.MAX_LIMIT} ({read.DEFAULT_LIMIT})")
    after: str = Field(default="", description="The id of the last article of the page before")


def root(request: HttpRequest) -> str:
    """The site's absolute root, "https://host", for the links."""
    return request.build_absolute_uri("/")[:-1]


def envelope(request: HttpRequest) -> dict:
    return {"licence": data_licence(), "release": data_release(request)}


@api.exception_handler(read.Refused)
def refused(request: HttpRequest, exc: read.Refused) -> HttpResponse:
    detail = "Nothing returned; fix these parameters."
    return api.create_response(request, {"detail": detail, "errors": exc.problems}, status=400)


@api.exception_handler(ReleaseNotFound)
def release_missing(request: HttpRequest, exc: ReleaseNotFound) -> HttpResponse:
    """A ``?release=`` that names no release: 404, as on the table and the exports."""
    detail = f"Nothing returned: {exc}"
    errors = [f"release: {exc}"]
    return api.create_response(request, {"detail": detail, "errors": errors}, status=404)


def live_only(request: HttpRequest, what: str) -> None:
    """Refuse ``?release=`` where the answer is the live data's whatever the release: a
    number of release there would claim what it is not."""
    if "release" in request.GET:
        pledges, totals = reverse("api:pledges"), reverse("api:totals")
        raise read.Refused(
            [f"release: {what} are the live data's; {pledges} and {totals} read a release."]
        )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A value of the wrong type (a pledge id that is not a number): 422, each named."""
    errors = [
        f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}."
        for error in exc.errors
    ]
    detail = "Nothing returned; fix these parameters."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # django-ninja adds Retry-After to what this returns.
    detail = f"Too many requests from your address: at most {limit_text()}. Wait, then retry."
    return api.create_response(request, {"detail": detail, "errors": []}, status=429)


@api.get(
    "/pledges",
    response={200: schemas.PledgeList, **RELEASED},
    url_name="pledges",
    tags=["pledges"],
)
def pledges(request: HttpRequest, filters: Query[PledgeQuery]):
    """The pledges the table lists for the same query, `limit` at a time; `next` continues.
    With `release=N`, release N's pledges, each as its CSV row."""
    release = release_asked(request.GET)
    page = read.pledges_page(request.GET, release=release, root=root(request))
    next_url = None
    if page.next_query is not None:
        next_url = f"{root(request)}{reverse('api:pledges')}?{page.next_query}"
    return {
        **envelope(request),
        "count": page.count,
        "limit": page.limit,
        "next": next_url,
        "results": page.records,
    }


@api.get(
    "/pledges/{pledge_id}",
    response={
        200: schemas.PledgeOne,
        404: schemas.Problem,
        422: schemas.Problem,
        429: schemas.Problem,
    },
    url_name="pledge",
    tags=["pledges"],
)
def pledge(
    request: HttpRequest, pledge_id: int, release: str = Query("", description=RELEASE_HELP)
):
    """One pledge with its evidence: the article, the sentence and where it is, our reader
    link and the publisher's page at the quoted words. With `release=N`, the pledge as
    release N published it."""
    published = release_asked(request.GET)
    record = None
    if 1 <= pledge_id <= read.MAX_ID:
        if published is None:
            record = read.pledge_detail(pledge_id, root=root(request))
        else:
            record = read.released_pledge(published, pledge_id, root=root(request))
    if record is not None:
        return {**envelope(request), "result": record}
    if published is None:
        raise HttpError(404, f"There is no pledge {pledge_id}.")
    raise HttpError(404, f"Release {published.number} holds no pledge {pledge_id}.")


@api.get(
    "/donors",
    response={200: schemas.DonorList, **REFUSED},
    url_name="donors",
    tags=["donors and categories"],
)
def donors(request: HttpRequest):
    """Every donor, by name."""
    live_only(request, "the donors")
    return {**envelope(request), "results": read.donor_records(root=root(request))}


@api.get(
    "/categories",
    response={200: schemas.CategoryList, **REFUSED},
    url_name="categories",
    tags=["donors and categories"],
)
def categories(request: HttpRequest):
    """Every category, with its parent."""
    live_only(request, "the categories")
    return {**envelope(request), "results": read.category_records()}


@api.get(
    "/totals",
    response={200: schemas.TotalsList, **RELEASED},
    url_name="totals",
    tags=["pledges"],
)
def totals(request: HttpRequest, filters: Query[TotalsQuery]):
    """The totals of the table's filters, overall or grouped by `by`, as
    `/pledges/totals.csv` gives them; they never count a part or an aggregate twice. With
    `release=N`, release N's totals."""
    by, rows = read.totals_records(request.GET, release=release_asked(request.GET))
    return {**envelope(request), "by": by, "results": rows}


@api.get(
    "/articles",
    response={200: schemas.ArticleList, **REFUSED},
    url_name="articles",
    tags=["articles"],
)
def articles(request: HttpRequest, paging: Query[ArticleQuery]):
    """The source articles in the order they were loaded, `limit` at a time."""
    live_only(request, "the articles")
    records, limit, last = read.article_records(request.GET, root=root(request))
    next_url = None
    if last is not None:
        next_url = f"{root(request)}{reverse('api:articles')}?limit={limit}&after={last}"
    return {**envelope(request), "limit": limit, "next": next_url, "results": records}
