"""The settings the harness's tests run with: the benchmark's (bench/settings.py), in
development, as tests/settings.py is the project's (`make bench-test`)."""

from __future__ import annotations

import os

os.environ["DJANGO_DEBUG"] = "1"

from bench.settings import *  # noqa: F403
