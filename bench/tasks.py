"""Work the harness runs inside Django, one process per database (settings are per process).

    python -m bench.tasks replay-serve --repeat 15 --warmup 2   (capture file paths on stdin,
                                                                 or path<TAB>repeat<TAB>warmup)
    python -m bench.tasks loaddata --out load.json reference articles demo_pledges

The database is the one ``DATABASE_URL`` names, as for manage.py.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # Commands, as manage.py runs them: no statement or lock timeout (tracker/settings.py).
    os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    os.environ.setdefault("DJANGO_DB_LOCK_TIMEOUT", "0")
    import django

    django.setup()


def export_query_rebuild(path: str) -> dict:
    """The export's main query for the filters in ``path``, built as the view builds it.

    Needed when the view sends it past Django's cursor, where no execute wrapper sees it
    (PostgreSQL's COPY on the raw connection).
    """
    from django.http import QueryDict

    from bench.middleware import params_encode
    from tracker.filters import PledgeFilter
    from tracker.models import Pledge

    query = QueryDict(urlsplit(path).query)
    queryset = PledgeFilter(query, queryset=Pledge.objects.for_table()).qs
    try:
        from tracker.selectors.export import export_values

        queryset = export_values(queryset)
    except ImportError:
        pass  # an export that reads model instances reads the table query itself
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return {"sql": sql, "params": params_encode(params), "many": False, "server_side": True}


def export_query(capture: dict) -> tuple[dict, str]:
    """The statement that produced the export's rows, and where it came from."""
    for statement in capture["statements"]:
        if statement.get("during_stream") and statement["sql"].lstrip()[:6].upper() == "SELECT":
            return statement, "captured"
    return export_query_rebuild(capture["path"]), "rebuilt"


def capture_replay(path: Path, *, repeat: int, warmup: int, stream_repeat: int) -> dict:
    """One capture file replayed ``repeat`` times after ``warmup`` untimed runs.

    A streamed capture (the export) is replayed ``stream_repeat`` times after one untimed run,
    and on PostgreSQL its main query is also written by COPY ... TO STDOUT WITH CSV.
    """
    from django.db import connection

    from bench.replay import copy_csv, replayable, statements_replay

    connection.ensure_connection()
    raw, vendor = connection.connection, connection.vendor
    capture = json.loads(path.read_text(encoding="utf-8"))
    statements, skipped = replayable(capture["statements"])
    streamed = capture.get("streamed")
    # A full export is slow at a million rows: one warm-up is enough to fill the caches.
    warm, times = (min(warmup, 1), stream_repeat) if streamed else (warmup, repeat)
    if streamed:
        main, source = export_query(capture)
        if source == "rebuilt":
            statements.append(main)
    runs = [statements_replay(raw, vendor, statements) for _ in range(warm + times)]
    result = {
        "path": capture["path"],
        "statements": len(statements),
        "captured": len(capture["statements"]),
        "captured_db_ms": capture["db_ms"],
        "skipped": skipped,
        "ms": [run["ms"] for run in runs[warm:]],
        "rows": runs[-1]["rows"] if runs else None,
    }
    if streamed:
        result["export_query"] = {"source": source, "sql": main["sql"]}
    if streamed and vendor == "postgresql":
        copies = [copy_csv(raw, main) for _ in range(warm + times)]
        result["copy"] = {
            "ms": [run["ms"] for run in copies[warm:]],
            "rows": copies[-1]["rows"],
            "bytes": copies[-1]["bytes"],
        }
    return result


def replays_serve(lines: Iterable[str], out: TextIO, **counts: int) -> None:
    """Replay each capture file named on a line of ``lines`` as it comes, writing its result
    as one line of JSON: the harness replays a page's SQL between its timed requests, so that
    both are measured at the same moment of a machine whose speed drifts.

    A line is a path, or a path, a repeat count and a warm-up count separated by tabs, which
    then replace ``counts``' for that file.
    """
    for line in lines:
        if not line.strip():
            continue
        path, *numbers = line.strip().split("\t")
        these = dict(counts)
        if numbers:
            these["repeat"], these["warmup"] = (int(number) for number in numbers)
        out.write(json.dumps(capture_replay(Path(path), **these)) + "\n")
        out.flush()


def fixtures_load(labels: list[str]) -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    start = time.perf_counter()
    call_command("loaddata", *labels, verbosity=1, stdout=out)
    seconds = time.perf_counter() - start
    found = re.search(r"Installed (\d+) object", out.getvalue())
    return {"seconds": seconds, "objects": int(found.group(1)) if found else None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("replay-serve")
    serve.add_argument("--repeat", type=int, default=15)
    serve.add_argument("--warmup", type=int, default=2)
    serve.add_argument("--stream-repeat", type=int, default=3)
    load = commands.add_parser("loaddata")
    load.add_argument("labels", nargs="+")
    load.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    django_setup()
    if args.command == "replay-serve":
        counts = {"repeat": args.repeat, "warmup": args.warmup}
        replays_serve(sys.stdin, sys.stdout, stream_repeat=args.stream_repeat, **counts)
        return
    result = fixtures_load(args.labels)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
