"""The benchmark harness: `python bench/run.py` (see bench/run.py)."""

from __future__ import annotations
