"""When the database does not answer: a plain 503 page on every page, the admin included.

Sessions, logins and every figure live in the database, so without it no page can be served.
Instead of a 500 (or a traceback) the visitor gets a short page in their language that says so,
with ``Retry-After``; nothing it renders touches the database. The connection settings
(``CONN_HEALTH_CHECKS``) drop a dead persistent connection, so the site comes back by itself
with the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 30
# What Django raises, wrapping the driver's errors, when it cannot reach the database or loses
# the connection (refused, reset, timed out, server shutting down), and when the server cancels
# a statement that waited or ran past the timeouts (tracker/settings.py): a stalled database.
DATABASE_DOWN = (OperationalError, InterfaceError)

logger = logging.getLogger(__name__)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page. Rendered without the request's context processors: no session, no user."""
    body = render_to_string("503.html", {"path": request.get_full_path()})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    if request.headers.get("HX-Request") == "true":
        # htmx swaps no error responses: reload the page, which then shows this one.
        response["HX-Refresh"] = "true"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # In development the traceback says more (a missing migration is an OperationalError
        # on SQLite too).
        if settings.DEBUG or not isinstance(exception, DATABASE_DOWN):
            return None
        logger.error(
            "%s %s: the database does not answer: %s", request.method, request.path, exception
        )
        return database_unavailable(request)
