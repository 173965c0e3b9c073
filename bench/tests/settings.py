"""The settings the harness's tests run with: the benchmark's (bench/settings.py), in
development, as tests/settings.py is the project's (`make bench-test`)."""

from __future__ import annotations

import os

os.environ["DJANGO_DEBUG"] = "1"

from bench.settings import *  # noqa: F403

# The project's tests' cache (tests/settings.py): these tests share their fixtures, which
# empty it before every test.
from tests.settings import CACHES  # noqa: F401
