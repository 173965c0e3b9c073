"""The admin refuses an address that holds a NUL character, with a message saying so.

A NUL (``%00``) cannot be part of any text the database stores, and PostgreSQL refuses a query
that carries one ("PostgreSQL text fields cannot contain NUL"): in an admin search, a list
filter or an autocomplete term it turned into a server error. No admin page has a use for it,
so every admin address with one, in its path or its parameters, is answered with a 400 that
names the problem, before any view runs. The public pages name such a value as one they
could not understand (their filter forms refuse it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext

NUL = "\x00"


def holds_nul(request: HttpRequest) -> bool:
    """Whether the request's path, or a parameter's name or value, holds a NUL character."""
    return NUL in request.path or any(
        NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()
    )


class AdminNulRefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # The view is known here, so every page of the admin site is covered, and only those.
        match = request.resolver_match
        if match is None or match.app_name != "admin" or not holds_nul(request):
            return None
        return HttpResponseBadRequest(
            gettext(
                "This address holds a NUL character (%00), which no search, filter or record "
                "can contain. Remove it from the address and try again."
            ),
            content_type="text/plain; charset=utf-8",
        )
