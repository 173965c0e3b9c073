"""The query plans behind the table and the export, for the README.

    .venv/bin/python bench/explain.py --size 1000000
    .venv/bin/python bench/explain.py --size 100000 --query "sort=-amount_eur"
    .venv/bin/python bench/explain.py --size 10000 --database sqlite

Runs the table fragment (``/pledges/?<query>`` with the htmx headers) and the CSV export in
process against the database bench/run.py built for that size (``bench_<size>`` on the
server of ``BENCH_POSTGRES_URL``, or bench/data/bench-<size>.sqlite3), records their SQL with
the capture middleware's recorder and prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every
statement that reads the pledges (``EXPLAIN QUERY PLAN`` on SQLite).

On PostgreSQL the export writes its CSV with COPY on the raw connection, out of the
recorder's sight: its plan is that of the query the view builds for the same filters.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import config_load, database_url, pledge_count

HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "pledge-table"}


def statements_of(path: str, headers: dict[str, str], *, stream: bool = False) -> list[dict]:
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client

    from bench.middleware import QueryRecorder

    recorder = QueryRecorder()
    with connection.execute_wrapper(recorder):
        response = Client().get(path, headers=headers)
        if stream and isinstance(response, StreamingHttpResponse):
            # The header line, then the first rows: enough to have run the export's query.
            recorder.streaming = True
            chunks = iter(response.streaming_content)
            for _ in range(2):
                next(chunks, None)
        response.close()
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return recorder.statements


def plan_print(statement: dict, title: str) -> None:
    from django.db import connection

    from bench.replay import params_decode

    params = params_decode(statement["params"])
    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) "
        with connection.cursor() as cursor:
            shown = cursor.cursor.mogrify(statement["sql"], params)
    else:
        prefix = "EXPLAIN QUERY PLAN "
        shown = f"{statement['sql']}\n-- params: {params}"
    print(f"\n=== {title}\n{shown}\n")
    with connection.cursor() as cursor:
        cursor.execute(prefix + statement["sql"], params)
        for row in cursor.fetchall():
            print("  " + " | ".join(str(cell) for cell in row))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="a size bench/run.py built")
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--query", default="", help='the filters, e.g. "donor=united-states"')
    args = parser.parse_args(argv)

    config = config_load(dict(os.environ))
    name = f"bench_{args.size}" if args.database == "postgres" else f"bench-{args.size}"
    url = database_url(config, args.database, name)
    if not pledge_count(args.database, url):
        raise SystemExit(
            f"No benchmark database for {args.size:,} pledges ({url}); build it with "
            f"BENCH_SIZES={args.size} BENCH_DATABASES={args.database} BENCH_REUSE=1 "
            "bench/run.py (it is kept afterwards)."
        )
    # In-process requests through the test client: DEBUG serves templates without the
    # collected static manifest, and the test client's host is allowed.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=url,
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    from django.db import connection

    from bench.tasks import export_query

    query = f"?{args.query}" if args.query else ""
    print(f"{connection.vendor} {url.rsplit('/', 1)[-1]}: {pledge_count(args.database, url):,}")
    table = statements_of(f"/pledges/{query}", HTMX_HEADERS)
    reads = [statement for statement in table if "tracker_pledge" in statement["sql"]]
    for number, statement in enumerate(reads, start=1):
        plan_print(statement, f"table /pledges/{query} (htmx), statement {number} of {len(reads)}")
    export = statements_of(f"/pledges/export.csv{query}", {}, stream=True)
    statement, source = export_query({"statements": export, "path": f"/pledges/export.csv{query}"})
    how = "as run" if source == "captured" else "as the view builds it, inside its COPY"
    plan_print(statement, f"export /pledges/export.csv{query}: the rows query, {how}")


if __name__ == "__main__":
    main()
