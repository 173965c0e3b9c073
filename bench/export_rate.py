"""The CSV export's rate on SQLite against sqlite3's own reading of the pledges.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:////tmp/export100k.sqlite3 \\
        DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=testserver \\
        DJANGO_SECRET_KEY=... .venv/bin/python bench/export_rate.py --repeat 5

Prints rows per second of wall-clock and of CPU time, best of ``--repeat`` runs, for:
Python's sqlite3 reading ``SELECT * FROM tracker_pledge`` to the end; sqlite3 reading the
joined SELECT the export compiles (its columns as Django reads them, unformatted); the whole
export through the test client (``/pledges/export.csv``, the streamed body drained); and the
ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best_rates(run: Callable[[], int], repeat: int) -> tuple[float, float]:
    """Rows per second of wall-clock time and of this process's CPU time, best of ``repeat``:
    on a shared machine the second moves less."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        rows = run()
        wall.append(rows / (time.perf_counter() - started))
        cpu.append(rows / (time.process_time() - used))
    return max(wall), max(cpu)


def drain(path: str, sql: str, params: tuple = ()) -> int:
    rows = 0
    with sqlite3.connect(path) as raw:
        cursor = raw.execute(sql, params)
        while block := cursor.fetchmany(1000):
            rows += len(block)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client

    from tracker.models import Pledge
    from tracker.selectors.export import export_values

    if connection.vendor != "sqlite":
        sys.exit("Point DATABASE_URL at an SQLite file built by generate_corpus.")
    path = connection.settings_dict["NAME"]
    count = Pledge.objects.count()
    joined, params = export_values(Pledge.objects.for_table()).query.sql_with_params()
    # Django writes placeholders as %s; sqlite3 reads ?.
    joined = re.sub(r"(?<!%)%s", "?", joined).replace("%%", "%")

    def export() -> int:
        response = Client().get("/pledges/export.csv")
        if response.status_code != 200:
            raise SystemExit(f"the export answered {response.status_code}")
        streamed = cast(StreamingHttpResponse, response).streaming_content
        lines = sum(block.count(b"\n") for block in cast(Iterator[bytes], streamed))
        if lines < count + 1:
            raise SystemExit(f"the export wrote {lines} lines for {count} pledges")
        return count

    rates = {
        "sqlite3, SELECT * FROM tracker_pledge": best_rates(
            lambda: drain(path, "SELECT * FROM tracker_pledge"), repeat
        ),
        "sqlite3, the export's joined SELECT": best_rates(
            lambda: drain(path, joined, params), repeat
        ),
        "/pledges/export.csv, test client": best_rates(export, repeat),
    }
    print(f"{count:,} pledges, best of {repeat}, rows/s of wall-clock time and of CPU time")
    for label, (wall, cpu) in rates.items():
        print(f"{label:<40} {wall:>10,.0f} {cpu:>10,.0f}")
    (table, table_cpu), (query, query_cpu), (exported, exported_cpu) = rates.values()
    print(f"export / SELECT *: {exported / table:.2f} wall, {exported_cpu / table_cpu:.2f} CPU")
    print(
        f"export / joined SELECT: {exported / query:.2f} wall, {exported_cpu / query_cpu:.2f} CPU"
    )


if __name__ == "__main__":
    main()
