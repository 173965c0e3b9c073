"""The project's settings, as the benchmark serves them.

Two differences, both from the environment the harness sets: static files are collected into
a scratch folder (``BENCH_STATIC_ROOT``), so a run never touches the project's ``staticfiles/``,
and with ``BENCH_CAPTURE_SQL`` set the SQL capture middleware runs first, so that it sees every
query of the request, including those of other middleware.
"""

from __future__ import annotations

import os

from tracker.settings import *  # noqa: F403
from tracker.settings import MIDDLEWARE

CAPTURE_MIDDLEWARE = "tracker.bench_middleware.BenchCaptureMiddleware"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# tracker/settings.py may already add it under the same condition; never twice.
if os.environ.get("BENCH_CAPTURE_SQL") and CAPTURE_MIDDLEWARE not in MIDDLEWARE:
    MIDDLEWARE = [CAPTURE_MIDDLEWARE, *MIDDLEWARE]
