"""Load: the analyst pages under 32 concurrent connections for 30 s, with zero errors.

    .venv/bin/python bench/loadtest.py          (or: make loadtest)

For each database and dataset, gunicorn serves the app on 127.0.0.1 as production would (DEBUG
off, collected static files, 2 workers) and bench/loadgen.py keeps N connections busy for D
seconds with a fixed mix of requests, after one untimed pass over every request of the mix.
It prints requests per second and p50 / p99 latency per endpoint and overall, writes
bench/results/loadtest-<timestamp>-<database>.json and bench/results/loadtest-latest.md,
and exits 1 when any request failed: a status other than 2xx, a timeout or a connection error.

Gunicorn runs 2 sync workers, as ``make bench`` does. Its documentation gives them to
applications bound by CPU behind a buffering proxy such as nginx; the generator reads every
response at once, as that proxy would. The app is bound by CPU: 2 gthread workers of 4
threads served about as many requests per CPU second as 2 sync workers (within 8%, on SQLite
and PostgreSQL, at 8 and 100,000 pledges). But a gthread worker keeps every connection it
accepts, and when 32 clients connect at once one worker takes most of them (30 of 32 in a
trial), so a client's latency depends on the worker it happened to reach. A sync worker takes
one connection per request, so requests are served in the order they come. The cost: a full
CSV export holds one of the two workers while it runs (seconds at 100k pledges), which shows
in p99. ``LOADTEST_THREADS=4`` runs gthread workers instead.

The mix, per 100 requests (bench/loadtest.py: ``load_mix``):
    42  the table fragment (``HX-Request``, ``HX-Target: pledge-table``), 6 filter sets
    24  the whole table page, the same 6 filter sets
    18  the dashboard, unfiltered and with 2 filter sets
    15  CSV exports of 3 filter sets (169, 1,462 and 3,845 rows at 100k pledges)
     1  the CSV export of every pledge (100,008 rows at 100k: 57 MB of CSV, 4 MB gzipped as
        browsers ask for it): the first request of the run, then one in a hundred, so that a
        30 s run holds a few of them, not hundreds

Environment (all optional):
    LOADTEST_DATABASES    sqlite; postgres when DATABASE_URL names a PostgreSQL database;
                          or both: sqlite,postgres
    LOADTEST_SIZES        demo,100000  (demo: make data's fixtures and Kiel's data; a number:
                          the seed fixtures and generate_corpus --pledges N, as make bench)
    LOADTEST_DURATION     30   seconds of load per dataset
    LOADTEST_CONNECTIONS  32
    LOADTEST_THREADS      1    sync workers; more: gthread workers with this many threads
    LOADTEST_TIMEOUT      120  seconds for a whole response, the full export included, before
                          it counts as failed (on a busy machine that export took 53 s)
    LOADTEST_REUSE        1    keep a generated corpus between runs (0: build it again)
    DATABASE_URL          postgres://HOST/NAME: the PostgreSQL server to use; the load test
                          creates its own NAME_loadtest_<dataset> databases there and never
                          touches NAME (without it: BENCH_POSTGRES_URL, databases bench_<dataset>,
                          so that the generated corpus is make bench's)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import Target, load_once, load_run, load_summary
from bench.run import (
    DATA,
    GUNICORN_WORKERS,
    RESULTS,
    ROOT,
    SEED_FIXTURES,
    config_load,
    config_public,
    database_create,
    database_drop,
    database_prepare,
    database_url,
    django_env,
    gunicorn_serving,
    machine_info,
    manage,
    pledge_count,
    postgres_admin,
    raise_exit,
    say,
    static_collect,
)
from bench.stats import number_format, table_markdown, table_text

HOST = "127.0.0.1"
BROWSER = (("Accept", "text/html"), ("Accept-Encoding", "gzip, deflate, br"))
HTMX = (*BROWSER, ("HX-Request", "true"), ("HX-Target", "pledge-table"))
DOWNLOAD = (("Accept", "text/csv"), ("Accept-Encoding", "gzip, deflate, br"))
TABLE_FILTERS = (
    "",
    "donor=united-states",
    "category=military&date_from=2024-01-01&date_to=2024-12-31",
    "q=drones",
    "donor=germany&donor=united-kingdom&sort=-amount_eur",
    "stage=delivered&page=3",
)
DASHBOARD_FILTERS = ("", "donor=germany", "category=financial&date_from=2023-01-01")
EXPORT_FILTERS = (
    "donor=germany&date_from=2024-01-01&date_to=2024-06-30",
    "category=drones&stage=delivered",
    "q=drones&donor=united-kingdom",
)
ENDPOINTS = (
    "table fragment",
    "table page",
    "dashboard",
    "CSV export, filtered",
    "CSV export, every row",
)


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def load_mix() -> list[Target]:
    """One cycle of 100 requests, the full export first, the rest shuffled the same each run."""
    mix = []
    for query in TABLE_FILTERS:
        mix += [Target("table fragment", with_query("/pledges/", query), HTMX)] * 7
        mix += [Target("table page", with_query("/pledges/", query), BROWSER)] * 4
    for query in DASHBOARD_FILTERS:
        mix += [Target("dashboard", with_query("/", query), BROWSER)] * 6
    for query in EXPORT_FILTERS:
        path = with_query("/pledges/export.csv", query)
        mix += [Target("CSV export, filtered", path, DOWNLOAD)] * 5
    random.Random(1).shuffle(mix)  # noqa: S311 - the same order on every run
    return [Target("CSV export, every row", "/pledges/export.csv", DOWNLOAD), *mix]


# --- configuration and datasets ----------------------------------------------------------


def loadtest_config(environ: dict[str, str]) -> dict:
    configured = environ.get("DATABASE_URL", "")
    on_postgres = urlsplit(configured).scheme in ("postgres", "postgresql")
    config = config_load(environ)
    databases = environ.get("LOADTEST_DATABASES", "postgres" if on_postgres else "sqlite")
    config["databases"] = [name.strip() for name in databases.split(",") if name.strip()]
    unknown = set(config["databases"]) - {"sqlite", "postgres"}
    if unknown:
        raise SystemExit(f"LOADTEST_DATABASES: unknown {', '.join(sorted(unknown))}")
    if on_postgres:
        parts = urlsplit(configured)
        config["postgres_url"] = urlunsplit(parts._replace(path=""))
        config["postgres_prefix"] = f"{parts.path.lstrip('/')}_loadtest_"
    config.update(
        sizes=[
            size.strip()
            for size in environ.get("LOADTEST_SIZES", "demo,100000").replace("_", "").split(",")
            if size.strip()
        ],
        duration=float(environ.get("LOADTEST_DURATION", "30")),
        connections=int(environ.get("LOADTEST_CONNECTIONS", "32")),
        threads=int(environ.get("LOADTEST_THREADS", "1")),
        timeout=float(environ.get("LOADTEST_TIMEOUT", "120")),
        reuse=environ.get("LOADTEST_REUSE", "1") != "0",
    )
    for size in config["sizes"]:
        if size != "demo" and not size.isdigit():
            raise SystemExit(f"LOADTEST_SIZES: {size!r} is neither demo nor a number of pledges")
    return config


def demo_prepare(config: dict, database: str) -> dict:
    """A database as `make data` leaves it, built afresh: it takes seconds."""
    name = f"{config['postgres_prefix']}demo" if database == "postgres" else "loadtest-demo"
    url = database_url(config, database, name)
    say(f"{database} demo: migrate, {' '.join(SEED_FIXTURES)}, load_kiel, populate_history")
    database_create(config, database, url)
    manage(config, url, "migrate", "--noinput")
    manage(config, url, "loaddata", *SEED_FIXTURES)
    manage(config, url, "load_kiel")
    manage(config, url, "populate_history", "--auto")
    return {"url": url, "pledges": pledge_count(database, url), "drop": True}


def dataset_prepare(config: dict, database: str, size: str) -> dict:
    if size == "demo":
        return demo_prepare(config, database)
    prepared = database_prepare(config, database, int(size))
    return {**prepared, "drop": not config["reuse"]}


# --- one dataset, one database -----------------------------------------------------------


def cpu_sample(server_pid: int, database_name: str | None) -> dict:
    """CPU seconds so far: the machine's busy time, gunicorn's, the load generator's, and
    that of each PostgreSQL backend connected to ``database_name``."""
    machine = psutil.cpu_times()
    server = psutil.Process(server_pid)
    backends = {}
    if database_name:
        # A backend's title names its database: "postgres: 15/main: postgres NAME 127.0.0.1(…)".
        for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
            title = " ".join(process.info["cmdline"] or ())
            if process.info["name"] == "postgres" and f" {database_name} " in title:
                backends[process.pid] = sum(process.info["cpu_times"][:2])
    return {
        "at": time.monotonic(),
        "busy": machine.user + machine.nice + machine.system + machine.irq + machine.softirq,
        "server": sum(
            sum(process.cpu_times()[:2]) for process in [server, *server.children(recursive=True)]
        ),
        "client": sum(psutil.Process().cpu_times()[:2]),
        "backends": backends,
    }


class ConnectionsWatch:
    """The app's connections to its PostgreSQL database during the load, read from
    ``pg_stat_activity`` every half second on a connection of the watch's own: ``most`` is
    the largest count seen (one per gunicorn worker is the design). Client backends only:
    a query PostgreSQL runs in parallel (the full export's joins) adds worker processes of
    its own for a while, which are no connections of the app's."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.most = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def __enter__(self) -> ConnectionsWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join()

    def watch(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.stopping.wait(0.5):
                [(count,)] = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                    " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    (self.name,),
                ).fetchall()
                self.most = max(self.most, count)


def cpu_shares(before: dict, after: dict) -> dict:
    """Percent of the machine (every core) each used between the samples; the rest is idle.

    ``others`` is everything else: on this machine, other engineers' work. A PostgreSQL
    backend that ended between the samples is missed (Django keeps its connections open).
    """
    capacity = (after["at"] - before["at"]) * (os.cpu_count() or 1) / 100
    shares = {key: (after[key] - before[key]) / capacity for key in ("busy", "server", "client")}
    shares["postgres"] = (
        sum(used - before["backends"].get(pid, 0.0) for pid, used in after["backends"].items())
        / capacity
    )
    mine = shares["server"] + shares["client"] + shares["postgres"]
    shares["others"] = max(shares["busy"] - mine, 0.0)
    return shares


def dataset_run(config: dict, database: str, size: str, static_root: Path) -> dict:
    prepared = dataset_prepare(config, database, size)
    url = prepared["url"]
    mix = load_mix()
    env = django_env(config, url, BENCH_STATIC_ROOT=str(static_root))
    log = DATA / f"gunicorn-loadtest-{database}-{size}.log"
    log.unlink(missing_ok=True)
    watch = None
    try:
        with gunicorn_serving(env, log, threads=config["threads"], capture=False) as server:
            port = server["port"]
            warmup = asyncio.run(load_once(HOST, port, mix, config["timeout"]))
            say(
                f"{database} {size}: {prepared['pledges']:,} pledges, {config['connections']}"
                f" connections for {config['duration']:g} s"
            )
            name = urlsplit(url).path.lstrip("/") if database == "postgres" else None
            before = cpu_sample(server["pid"], name)
            with contextlib.ExitStack() as stack:
                watch = stack.enter_context(ConnectionsWatch(url, name)) if name else None
                outcomes, seconds = asyncio.run(
                    load_run(
                        HOST,
                        port,
                        mix,
                        connections=config["connections"],
                        duration=config["duration"],
                        timeout=config["timeout"],
                    )
                )
            cpu = cpu_shares(before, cpu_sample(server["pid"], name))
    finally:
        if prepared["drop"]:
            database_drop(config, database, url)
    summary = load_summary(outcomes, config["duration"], seconds)
    warmup_errors = [
        {"path": outcome.path, "error": outcome.error} for outcome in warmup if outcome.error
    ]
    return {
        "dataset": size,
        "pledges": prepared["pledges"],
        "cpu_percent": cpu,
        "database_connections": watch.most if watch else None,
        "warmup_errors": warmup_errors,
        **summary,
        "errors_total": summary["endpoints"]["overall"]["errors"] + len(warmup_errors),
        "log": str(log.relative_to(ROOT)),
    }


# --- reports -----------------------------------------------------------------------------

HEADER = ("endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms")


def summary_rows(result: dict) -> list[list[str]]:
    rows = []
    endpoints = result["endpoints"]
    for name in [*ENDPOINTS, "overall"]:
        if name not in endpoints:
            continue
        row = endpoints[name]
        rows.append(
            [
                name,
                f"{row['requests']:,}",
                f"{row['errors']:,}",
                number_format(row["rps"]),
                number_format(row["p50_ms"]),
                number_format(row["p99_ms"]),
            ]
        )
    return rows


def dataset_title(database: str, result: dict, config: dict) -> str:
    dataset = "demo data" if result["dataset"] == "demo" else f"{int(result['dataset']):,}"
    return (
        f"{database}, {dataset} ({result['pledges']:,} pledges): {config['connections']}"
        f" connections for {config['duration']:g} s (the last response after"
        f" {result['seconds']:.1f} s)"
    )


def cpu_line(cpu: dict) -> str:
    postgres = f", PostgreSQL {cpu['postgres']:.0f}%" if cpu.get("postgres") else ""
    return (
        f"CPU, all cores: {cpu['busy']:.0f}% busy; gunicorn {cpu['server']:.0f}%{postgres},"
        f" load generator {cpu['client']:.0f}%, other processes {cpu['others']:.0f}%"
    )


def report_text(database: str, result: dict, config: dict) -> str:
    lines = [
        dataset_title(database, result, config),
        cpu_line(result["cpu_percent"]),
        table_text(HEADER, summary_rows(result)),
    ]
    if result.get("database_connections") is not None:
        lines.insert(
            2,
            f"PostgreSQL connections of the app, most at once (pg_stat_activity):"
            f" {result['database_connections']}",
        )
    for error in result["warmup_errors"]:
        lines.append(f"  warm-up error: {error['path']}: {error['error']}")
    for kind, seen in result["errors"].items():
        lines.append(f"  error x{seen['count']}: {kind} (e.g. {seen['path']})")
    return "\n".join(lines)


def latest_markdown() -> str:
    """The newest result of each database in bench/results: the README's table."""
    newest: dict[str, Path] = {}
    for path in sorted(RESULTS.glob("loadtest-*-*.json")):
        newest[path.stem.rsplit("-", 1)[1]] = path
    rows, notes = [], []
    for database, path in sorted(newest.items(), key=lambda item: item[0] != "sqlite"):
        run = json.loads(path.read_text(encoding="utf-8"))
        machine, config = run["machine"], run["config"]
        notes.append(
            f"{database}: {run['started'][:16].replace('T', ' ')} UTC, commit"
            f" `{(machine['git_commit'] or '')[:12]}`, {machine['cpu_count']} ×"
            f" {machine['cpu_model']}, {machine['gunicorn']}, {config['connections']}"
            f" connections for {config['duration']:g} s per dataset."
        )
        for result in run["datasets"]:
            pledges = f"{result['pledges']:,}"
            rows += [[database, pledges, *row] for row in summary_rows(result)]
            notes.append(f"{database}, {pledges} pledges: {cpu_line(result['cpu_percent'])}.")
    header = ("database", "pledges", *HEADER)
    return "\n".join(
        ["# Load test results", "", table_markdown(header, rows), "", *(f"- {n}" for n in notes)]
    )


def main() -> int:
    config = loadtest_config(dict(os.environ))
    signal.signal(signal.SIGTERM, raise_exit)
    signal.signal(signal.SIGHUP, raise_exit)
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if "postgres" in config["databases"]:
        try:
            postgres_admin(config).close()
        except psycopg.OperationalError as error:
            raise SystemExit(f"PostgreSQL is not reachable ({error})") from error
    machine = machine_info(config)
    machine["gunicorn"] = (
        f"gunicorn {GUNICORN_WORKERS} gthread workers × {config['threads']} threads"
        if config["threads"] > 1
        else f"gunicorn {GUNICORN_WORKERS} sync workers"
    )
    public_config = config_public(config)
    public_config["mix"] = [vars(target) for target in load_mix()]
    failed = 0
    texts = []
    static_root = Path(tempfile.mkdtemp(prefix="loadtest-static-"))
    try:
        static_collect(config, static_root)
        for database in config["databases"]:
            run = {
                "database": database,
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": machine,
                "config": public_config,
                "datasets": [],
            }
            for size in config["sizes"]:
                result = dataset_run(config, database, size, static_root)
                run["datasets"].append(result)
                failed += result["errors_total"]
                texts.append(report_text(database, result, config))
                overall = result["endpoints"]["overall"]
                say(
                    f"  {overall['requests']:,} requests, {result['errors_total']:,} errors,"
                    f" {overall['rps']:.1f} requests/s"
                )
            path = RESULTS / f"loadtest-{stamp}-{database}.json"
            path.write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
            say(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    except KeyboardInterrupt:
        say("interrupted; gunicorn stopped")
        return 130
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    (RESULTS / "loadtest-latest.md").write_text(latest_markdown(), encoding="utf-8")
    print("\n\n".join(texts))
    if failed:
        print(f"\nFAILED: {failed:,} requests failed (see the errors above and the gunicorn logs)")
        return 1
    print("\nzero errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
