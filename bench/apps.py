from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark harness as a Django app, for its ``generate_corpus`` command; no models.

    Installed by bench/settings.py only: the product's settings never load it.
    """

    name = "bench"
    verbose_name = "Benchmark harness"
