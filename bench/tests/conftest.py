"""The fixtures of the project's tests (tests/conftest.py), and a check that the harness's
code is installed: these tests run with the benchmark's settings (`make bench-test`)."""

from __future__ import annotations

import pytest
from django.apps import apps

from tests.conftest import *  # noqa: F403

if not apps.is_installed("bench"):
    raise pytest.UsageError(
        "bench/tests run with the benchmark's settings: make bench-test "
        "(pytest bench/tests --ds=bench.tests.settings)"
    )
