"""The API's rate limit: so many requests per address per period for anonymous clients.

A fixed window counted in Django's cache (the default alias, which every worker shares): the
first request of an address in a window adds its counter, each request increments it, and past
the limit the API answers 429 with ``Retry-After``, the seconds to the window's end. A fixed
window lets a client make up to twice the limit across a window's edge: simple, and enough to
stop a runaway script. Signed-in users (editors) are not limited.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from tracker.login_throttle import client_address

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def rate_parse(text: str) -> tuple[int, int] | None:
    """``"120/minute"`` as (120, 60): requests and seconds; None for "" (no limit)."""
    if not text:
        return None
    count, _, period = text.partition("/")
    if not (count.isascii() and count.isdigit()) or int(count) < 1 or period not in PERIODS:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT {text!r}: write <number>/<{', '.join(PERIODS)}>, as 120/minute."
        )
    return int(count), PERIODS[period]


def rate_limit() -> tuple[int, int] | None:
    return rate_parse(settings.API_RATE_LIMIT)


def limit_text() -> str:
    """The limit in words: "120 a minute"."""
    limit = rate_limit()
    if limit is None:
        return "no limit"
    count, seconds = limit
    period = next(name for name, length in PERIODS.items() if length == seconds)
    return f"{count} a {period}"


class AddressRateLimit(BaseThrottle):
    """Counts each anonymous address's requests in the current window."""

    def allow_request(self, request: HttpRequest) -> bool:
        limit = rate_limit()
        user = getattr(request, "user", None)
        if limit is None or (user is not None and user.is_authenticated):
            return True
        count, seconds = limit
        window = int(time.time() // seconds)
        key = f"api-rate:{seconds}:{window}:{client_address(request)}"
        # add() only creates the counter; incr() is atomic on Redis, and the database cache's
        # read-then-write can at worst let a request or two more through.
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between the two calls: this request opens it again
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        return used <= count

    def wait(self) -> float | None:
        """Seconds to the end of the current window, at least 1."""
        limit = rate_limit()
        if limit is None:
            return None
        seconds = limit[1]
        return max(1, math.ceil(seconds - time.time() % seconds))
