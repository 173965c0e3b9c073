"""Login throttling with django-axes: the pieces the settings name.

After a few wrong passwords for one account from one address, logins to that account from
that address are refused for a while (AXES_* in tracker/settings.py). Here: the backend that
checks each login, the address a login comes from, and the page a locked-out login gets.
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check, for the logins that come with a request (the admin's login form).

    ``authenticate()`` called from code without a request (the test client's ``login()``, a
    shell) has no address to count against; axes would refuse it with an error, so it is let
    through to the password check of the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from: the peer's, or behind a proxy (DJANGO_CLIENT_IP_HEADER)
    the last one in the header the proxy sets, which is the address it saw: any before it came
    from the client and prove nothing. A header that holds no address counts as absent."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.CLIENT_IP_HEADER, "")
        try:
            return str(ipaddress.ip_address(forwarded.rsplit(",", 1)[-1].strip()))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429, and a page that says what happened, for how long, and whom to ask."""
    cool_off = settings.AXES_COOLOFF_TIME  # a timedelta
    context = {
        **admin.site.each_context(request),
        "title": _("Login locked"),
        "username": (credentials or {}).get("username", ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(cool_off.total_seconds() / 60),
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(round(cool_off.total_seconds()))
    return response
