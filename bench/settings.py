"""The project's settings, as the benchmark serves them.

The harness's own code is installed here and nowhere else: the ``bench`` app, whose
``generate_corpus`` command builds the corpora (``manage.py generate_corpus`` exists only with
``DJANGO_SETTINGS_MODULE=bench.settings``), and, with ``BENCH_CAPTURE_SQL`` set, the SQL
capture middleware (bench/middleware.py), first, so that it sees every query of the request,
including those of other middleware. Static files are collected into a scratch folder
(``BENCH_STATIC_ROOT``), so a run never touches the project's ``staticfiles/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from tracker.settings import *  # noqa: F403
from tracker.settings import INSTALLED_APPS, MIDDLEWARE

CAPTURE_MIDDLEWARE = "bench.middleware.BenchCaptureMiddleware"

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

if os.environ.get("BENCH_CAPTURE_SQL"):
    MIDDLEWARE = [CAPTURE_MIDDLEWARE, *MIDDLEWARE]

# BENCH_CACHE=off measures every page as on a cache miss: nothing is kept between requests.
if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
