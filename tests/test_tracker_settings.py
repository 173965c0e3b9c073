"""The product's settings and its test run load none of the benchmark harness: its corpus
generator, SQL capture middleware and their tests live in bench/, installed by the benchmark's
own settings (bench/settings.py) and tested by `make bench-test`."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import get_commands


class TestBenchmarkCodeStaysOut:
    def test_no_harness_app_or_middleware(self):
        assert "bench" not in settings.INSTALLED_APPS
        assert [name for name in settings.MIDDLEWARE if "bench" in name] == []

    def test_no_generate_corpus_command(self):
        assert "generate_corpus" not in get_commands()

    def test_the_test_run_imports_no_harness_module(self):
        # Every test module of the run is imported (collected) before the first test runs.
        harness = [name for name in sys.modules if name == "bench" or name.startswith("bench.")]
        assert harness == []
