"""Speed at scale: the analyst pages, the CSV export and loaddata, over real HTTP.

    .venv/bin/python bench/run.py            (or: make bench)

For each database (SQLite, PostgreSQL) and corpus size the harness builds a dedicated database
(migrate, the seed fixtures, ``generate_corpus``), serves it with gunicorn on 127.0.0.1 exactly
as production would (DEBUG off, collected static files), and times every page from a plain
HTTP client after a warm-up. The SQL capture middleware reports each request's queries and DB
time, and writes its statements, which are replayed on a raw DB-API cursor right after the
page is timed (the machine's speed drifts over a run): the ratio of the two says what Django,
the templates and HTTP add on top of the database.

Environment (all optional):
    BENCH_DATABASES      sqlite,postgres
    BENCH_SIZES          10000,100000,1000000 (unset: SQLite stops at 100000)
    BENCH_REPEAT         15   timed requests per page, after BENCH_WARMUP (3) untimed ones
    BENCH_EXPORT_REPEAT  3    full CSV exports per size, after one untimed
    BENCH_LOADDATA_REPEAT 3   loads of each fixture into a fresh migrated database
    BENCH_POSTGRES_URL   postgres://postgres@127.0.0.1:5432 (the harness creates bench_<size>)
    BENCH_REUSE          1 to keep a database whose pledge count matches the last generation
    BENCH_SEED           1    passed to generate_corpus
    BENCH_ARTICLES       articles for generate_corpus (default: the generator's)
    BENCH_Q              drones   the word of the text-search case
    BENCH_CACHE          off: no cache (bench/settings.py), every request as on a cache miss;
                         otherwise the warm-up fills the cache and the timed requests hit it

Writes bench/results/<timestamp>-<database>.json and bench/results/latest.md.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import importlib.metadata
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psutil
import psycopg
from psycopg import sql

if __package__ in (None, ""):
    # Run as a script (bench/run.py): make the project importable as for manage.py.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import report_markdown, report_text, server_ms
from bench.stats import median, p95

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

DEFAULT_SIZES = "10000,100000,1000000"
SQLITE_DEFAULT_MAX = 100_000  # a million rows on SQLite only when BENCH_SIZES asks for it
PAGE_SIZE = 50  # tracker.selectors.table.PAGE_SIZE; the deep-page cases aim at the middle page
SEED_FIXTURES = ("reference", "articles", "demo_pledges")
ARTICLE_FIXTURE_SIZE = 1000
HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "pledge-table"}
# Pages are fetched as Chrome and Firefox fetch them: compressed when the server compresses.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
GUNICORN_WORKERS = 2
SAMPLE_SECONDS = 0.02


# --- configuration -----------------------------------------------------------------------


def config_load(environ: dict[str, str]) -> dict:
    explicit = environ.get("BENCH_SIZES", "").strip()
    sizes = [int(part.replace("_", "")) for part in (explicit or DEFAULT_SIZES).split(",")]
    databases = [
        name.strip() for name in environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    ]
    unknown = set(databases) - {"sqlite", "postgres"}
    if unknown:
        raise SystemExit(f"BENCH_DATABASES: unknown {', '.join(sorted(unknown))}")
    return {
        "databases": databases,
        "sizes": {
            database: sorted(
                size
                for size in sizes
                if explicit or database == "postgres" or size <= SQLITE_DEFAULT_MAX
            )
            for database in databases
        },
        "repeat": int(environ.get("BENCH_REPEAT", "15")),
        "warmup": int(environ.get("BENCH_WARMUP", "3")),
        "export_repeat": int(environ.get("BENCH_EXPORT_REPEAT", "3")),
        "loaddata_repeat": int(environ.get("BENCH_LOADDATA_REPEAT", "3")),
        "postgres_url": environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        # The harness creates and drops PostgreSQL databases with this prefix, and no others.
        "postgres_prefix": "bench_",
        "reuse": environ.get("BENCH_REUSE", "") == "1",
        "seed": environ.get("BENCH_SEED", "1"),
        "articles": environ.get("BENCH_ARTICLES", ""),
        "q": environ.get("BENCH_Q", "drones"),
        "secret_key": "bench-" + secrets.token_urlsafe(48),
    }


def config_public(config: dict) -> dict:
    """The configuration as a result file records it: results are meant to be shared, so
    never with the secret key or a database password in them."""
    public = {key: value for key, value in config.items() if key != "secret_key"}
    parts = urlsplit(config["postgres_url"])
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        public["postgres_url"] = urlunsplit(parts._replace(netloc=netloc))
    return public


def say(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# --- databases ---------------------------------------------------------------------------


def postgres_url(config: dict, name: str) -> str:
    return urlunsplit(urlsplit(config["postgres_url"])._replace(path="/" + name))


def database_url(config: dict, database: str, name: str) -> str:
    """``name`` is a file stem in bench/data for SQLite, a database name on PostgreSQL."""
    if database == "sqlite":
        return f"sqlite:///{DATA / name}.sqlite3"
    return postgres_url(config, name)


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def postgres_admin(config: dict) -> psycopg.Connection:
    return psycopg.connect(postgres_url(config, "postgres"), autocommit=True)


def database_create(config: dict, database: str, url: str, template: str | None = None) -> None:
    """An empty database at ``url``, dropping what was there (only ever the harness's names)."""
    if database == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        if template:
            shutil.copyfile(sqlite_path(template), path)
        return
    name = urlsplit(url).path.lstrip("/")
    prefix = config["postgres_prefix"]
    if not name.startswith(prefix):
        raise ValueError(f"refusing to recreate a database not named {prefix}*: {name}")
    with postgres_admin(config) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            template_name = urlsplit(template).path.lstrip("/")
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template_name))
        admin.execute(statement)


def database_drop(config: dict, database: str, url: str) -> None:
    if database == "sqlite":
        sqlite_path(url).unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    with postgres_admin(config) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_rows(database: str, url: str, query: str) -> list[tuple] | None:
    """The rows of a read-only query, or None when the database or its tables do not exist."""
    if database == "sqlite":
        path = sqlite_path(url)
        if not path.exists():
            return None
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                return db.execute(query).fetchall()
        except sqlite3.OperationalError:
            return None
    try:
        with psycopg.connect(url) as db:
            return db.execute(query).fetchall()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None


def database_row(database: str, url: str, query: str) -> tuple:
    """The first row of a query that has one, in a corpus that exists."""
    rows = database_rows(database, url, query)
    if not rows:
        raise RuntimeError(f"{database}: no row for {query!r}")
    return rows[0]


def pledge_count(database: str, url: str) -> int | None:
    rows = database_rows(database, url, "SELECT COUNT(*) FROM tracker_pledge")
    return rows[0][0] if rows else None


# --- subprocesses ------------------------------------------------------------------------


def django_env(config: dict, url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BENCH_CAPTURE")}
    env.update(
        # Its scratch STATIC_ROOT and the capture middleware: see bench/settings.py.
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=config["secret_key"],
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback: production settings otherwise redirect to HTTPS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(extra)
    return env


def command_run(args: list[str], env: dict[str, str], *, quiet: bool = True) -> None:
    """Run a command from the project folder; its output is shown only when it fails.
    ``args`` are the harness's own commands, never a shell line."""
    if not quiet:
        subprocess.run(args, cwd=ROOT, env=env, check=True)  # noqa: S603
        return
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise subprocess.CalledProcessError(done.returncode, args)


def manage(config: dict, url: str, *args: str, quiet: bool = True) -> None:
    command_run([PYTHON, "manage.py", *args], django_env(config, url), quiet=quiet)


@contextlib.contextmanager
def replays_serving(config: dict, url: str) -> Iterator:
    """A ``bench.tasks replay-serve`` process for the database at ``url``; yields the function
    that replays one capture file in it and returns its result."""
    command = [PYTHON, "-m", "bench.tasks", "replay-serve"]
    command += ["--repeat", str(config["repeat"]), "--warmup", str(config["warmup"])]
    command += ["--stream-repeat", str(config["export_repeat"])]
    process = subprocess.Popen(  # noqa: S603 - the harness's own command, no shell
        command,
        cwd=ROOT,
        env=django_env(config, url),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    stdin, stdout = process.stdin, process.stdout
    if stdin is None or stdout is None:  # both are pipes, as asked above
        raise RuntimeError("the replay process has no pipes")

    def replay_now(capture: Path, *, repeat: int | None = None, warmup: int | None = None) -> dict:
        counts = "" if repeat is None else f"\t{repeat}\t{warmup or 0}"
        stdin.write(f"{capture}{counts}\n")
        stdin.flush()
        # Results are lines of JSON; anything else a library prints is passed over.
        while line := stdout.readline():
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"the replay process ended (exit {process.wait()}) at {capture}")

    try:
        yield replay_now
    finally:
        stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def task(config: dict, url: str, *args: str) -> dict:
    """A bench.tasks command in its own process; its JSON result."""
    with tempfile.TemporaryDirectory(prefix="bench-task-") as scratch:
        out = Path(scratch) / "out.json"
        command_run(
            [PYTHON, "-m", "bench.tasks", *args, "--out", str(out)], django_env(config, url)
        )
        return json.loads(out.read_text(encoding="utf-8"))


def corpus_generate(config: dict, url: str, pledges: int, articles: str = "") -> float:
    args = ["generate_corpus", "--pledges", str(pledges), "--seed", config["seed"]]
    if articles:
        args += ["--articles", articles]
    start = time.perf_counter()
    manage(config, url, *args, quiet=False)
    return time.perf_counter() - start


def database_prepare(config: dict, database: str, size: int) -> dict:
    """The database for one size: migrated, seeded, with the synthetic corpus."""
    name = f"{config['postgres_prefix']}{size}" if database == "postgres" else f"bench-{size}"
    url = database_url(config, database, name)
    marker = DATA / f"{name}.json"
    if config["reuse"] and marker.exists():
        made = json.loads(marker.read_text(encoding="utf-8"))
        if made.get("size") == size and pledge_count(database, url) == made.get("pledges"):
            say(f"{database} {size:,}: reusing {made['pledges']:,} pledges")
            manage(config, url, "migrate", "--noinput")  # a newer migration still applies
            return {**made, "url": url, "reused": True}
    say(f"{database} {size:,}: creating the database")
    database_create(config, database, url)
    manage(config, url, "migrate", "--noinput")
    manage(config, url, "loaddata", *SEED_FIXTURES)
    say(f"{database} {size:,}: generate_corpus --pledges {size}")
    seconds = corpus_generate(config, url, size, config["articles"])
    if database == "postgres":
        # The table as autovacuum leaves it a while after the bulk load (statistics, and the
        # visibility map that index-only scans need), so that the measurements do not depend
        # on when autovacuum happens to run.
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM (ANALYZE)")
    made = {
        "size": size,
        "pledges": pledge_count(database, url),
        "seed": config["seed"],
        "generate_seconds": seconds,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    DATA.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(made, indent=1), encoding="utf-8")
    return {**made, "url": url, "reused": False}


def corpus_facts(database: str, url: str, config: dict) -> dict:
    """Real ids and slugs for the detail pages: the middle pledge and its article."""
    count = pledge_count(database, url) or 0
    # The numbers spliced in below are integers this database has just returned.
    pledge_id = database_row(
        database,
        url,
        f"SELECT id FROM tracker_pledge ORDER BY id LIMIT 1 OFFSET {int(count) // 2}",  # noqa: S608
    )[0]
    article = database_row(
        database,
        url,
        "SELECT a.slug, (SELECT COUNT(*) FROM articles_sentence WHERE article_id = a.id)"  # noqa: S608
        " FROM tracker_pledge p JOIN articles_sentence s ON s.id = p.sentence_id"
        f" JOIN articles_article a ON a.id = s.article_id WHERE p.id = {int(pledge_id)}",
    )
    articles = database_row(database, url, "SELECT COUNT(*) FROM articles_article")[0]
    deep_page = max(1, math.ceil(count / PAGE_SIZE) // 2)
    # The row a Next link to the deep page starts after: the last of the page before it.
    deep_after = database_row(
        database,
        url,
        "SELECT id FROM tracker_pledge ORDER BY announced_on DESC NULLS LAST, id DESC"  # noqa: S608
        f" LIMIT 1 OFFSET {max(0, (deep_page - 1) * PAGE_SIZE - 1)}",
    )[0]
    return {
        "pledges": count,
        "articles": articles,
        "pledge_id": pledge_id,
        "article_slug": article[0],
        "article_sentences": article[1],
        "donor": "united-states",
        "q": config["q"],
        "deep_page": deep_page,
        "deep_after": deep_after,
    }


# --- gunicorn ----------------------------------------------------------------------------


def port_free() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_connection(port: int) -> http.client.HTTPConnection:
    # Sync workers close the connection after each response; http.client reconnects by
    # itself on the next request, so one object serves the whole run.
    return http.client.HTTPConnection("127.0.0.1", port, timeout=1800)


def health_wait(
    port: int, process: subprocess.Popen, log: Path, seconds: float = 60, *, capture: bool = True
) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_tail(log)}")
        connection = http_connection(port)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                if capture and response.getheader("X-Bench-Queries") is None:
                    raise RuntimeError(
                        "gunicorn answers without X-Bench-Queries: the SQL capture middleware"
                        " is not installed (see bench/settings.py)"
                    )
                return
        except OSError:
            pass
        finally:
            connection.close()
        if time.monotonic() > deadline:
            raise RuntimeError(f"/healthz did not answer 200 within {seconds} s:\n{log_tail(log)}")
        time.sleep(0.2)


def log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def process_stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers, by their ids, even halfway through a Ctrl+C."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            workers = psutil.Process(process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            workers = []
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # psutil checks that a pid is still the process it was, so no stranger is hit.
        _, alive = psutil.wait_procs(workers, timeout=5)
        for worker in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def gunicorn_serving(
    env: dict[str, str], log: Path, *, threads: int = 1, capture: bool = True
) -> Iterator[dict]:
    """Gunicorn with GUNICORN_WORKERS workers: sync ones, or gthread ones with ``threads``.

    ``capture``: insist that the SQL capture middleware answers (see bench/settings.py).
    """
    port = port_free()
    command = [
        GUNICORN,
        "tracker.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        # A million-row export takes longer than the default 30 s worker timeout.
        "--timeout",
        "1800",
        "--graceful-timeout",
        "5",
        # The default control socket is one path per user: several servers at once (the
        # harness and a load test, or two worktrees) would take it from one another.
        "--no-control-socket",
    ]
    with log.open("ab") as output:
        # Its own session: a Ctrl+C in the terminal reaches the harness, which then stops
        # gunicorn in order, instead of racing it.
        process = subprocess.Popen(  # noqa: S603 - the harness's own command, no shell
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        health_wait(port, process, log, capture=capture)
        yield {"port": port, "pid": process.pid, "command": command}
    finally:
        process_stop(process)


def workers_of(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


# --- HTTP --------------------------------------------------------------------------------


def http_get(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None
) -> dict:
    start = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    return {
        "ms": (time.perf_counter() - start) * 1000,
        "status": response.status,
        "headers": {name.lower(): value for name, value in response.getheaders()},
        "body": body,
        "bytes": len(body),
    }


def http_export(connection: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> dict:
    """Read a CSV response as it streams, counting bytes and lines.

    Lines, not records: a quoted cell with a line break counts twice, which the harness
    checks against the number of pledges. Counting bytes costs the client next to nothing,
    where parsing the CSV would compete with the server for the same CPUs.
    """
    start = time.perf_counter()
    lines = size = 0
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first_byte_ms = (time.perf_counter() - start) * 1000
        while chunk := response.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    return {
        "ms": (time.perf_counter() - start) * 1000,
        "first_byte_ms": first_byte_ms,
        "status": response.status,
        "headers": {name.lower(): value for name, value in response.getheaders()},
        "bytes": size,
        "lines": lines,
    }


def page_cases(facts: dict) -> list[dict]:
    # (mix, its label at this size, query): the mix names the same case at every size.
    mixes = (
        ("no filter", "no filter", ""),
        ("donor", "donor", f"donor={facts['donor']}"),
        (
            "category + dates",
            "category + dates",
            "category=military&date_from=2023-01-01&date_to=2023-12-31",
        ),
        ("q", f"q={facts['q']}", f"q={quote(facts['q'])}"),
        ("sort", "sort -amount_eur", "sort=-amount_eur"),
        ("deep page", f"page {facts['deep_page']}", f"page={facts['deep_page']}"),
        (
            "deep page, Next",
            f"page {facts['deep_page']} by its Next link",
            f"page={facts['deep_page']}&after={facts['deep_after']}",
        ),
    )
    cases: list[dict[str, Any]] = []
    for mix, label, query in mixes:
        path = "/pledges/" + (f"?{query}" if query else "")
        cases.append({"name": f"/pledges/ {label}", "mix": mix, "path": path, "htmx": False})
        cases.append({"name": f"/pledges/ {label} (htmx)", "mix": mix, "path": path, "htmx": True})
    cases += [
        {"name": "/ dashboard", "path": "/", "htmx": False},
        {"name": "donor page", "path": f"/donors/{facts['donor']}/", "htmx": False},
        {"name": "pledge page", "path": f"/pledges/{facts['pledge_id']}/", "htmx": False},
        {"name": "article reader", "path": f"/articles/{facts['article_slug']}/", "htmx": False},
    ]
    for number, case in enumerate(cases):
        slug = re.sub(r"[^a-z0-9]+", "-", case["name"].lower()).strip("-")
        case["capture"] = f"{number:02d}-{slug}"  # the capture file's name, unique per case
    return cases


def case_measure(
    connection: http.client.HTTPConnection,
    case: dict,
    config: dict,
    replay_now: Callable[..., dict],
    captures: Path,
) -> dict:
    """The page timed ``repeat`` times after ``warmup`` untimed requests, and its SQL on a raw
    cursor (``replay``) once right after each timed request: the two figures of a ratio come
    from the same second of a machine whose speed moves from one minute to the next."""
    headers = {**BROWSER_HEADERS, **(HTMX_HEADERS if case["htmx"] else {})}
    for _ in range(config["warmup"]):
        http_get(connection, case["path"], headers)
    # The statements are written by one extra request, so that writing the file is never
    # part of a timed one.
    captured = http_get(connection, case["path"], {**headers, "X-Bench-Capture": case["capture"]})
    capture = captures / f"{case['capture']}.json"
    replay = replay_now(capture, repeat=0, warmup=config["warmup"])
    runs = []
    for _ in range(config["repeat"]):
        runs.append(http_get(connection, case["path"], headers))
        once = replay_now(capture, repeat=1, warmup=0)
        replay["ms"] += once["ms"]
        replay["rows"] = once["rows"]
    wall = [run["ms"] for run in runs]
    server = [float(run["headers"]["x-bench-server-ms"]) for run in runs]
    database = [float(run["headers"]["x-bench-db-ms"]) for run in runs]
    return {
        **case,
        "statuses": sorted({run["status"] for run in [*runs, captured]}),
        "ms": wall,
        "db_ms": database,
        # A set: a page whose query count changes between identical requests is a finding.
        "queries": sorted({int(run["headers"]["x-bench-queries"]) for run in runs}),
        "bytes": runs[-1]["bytes"],
        "encoding": runs[-1]["headers"].get("content-encoding", "identity"),
        "content_type": runs[-1]["headers"].get("content-type"),
        "median_ms": median(wall),
        "p95_ms": p95(wall),
        "server_ms": server,
        "server_median_ms": median(server),
        "db_median_ms": median(database),
        "replay": replay,
    }


def rss_sample(pid: int, stop: threading.Event, peaks: dict[int, int]) -> None:
    """Every ~20 ms, the highest RSS each gunicorn worker has reached."""
    workers: list[psutil.Process] = []
    refreshed = 0.0
    while not stop.is_set():
        if time.monotonic() - refreshed > 0.5:
            with contextlib.suppress(psutil.NoSuchProcess):
                workers = workers_of(pid)
            refreshed = time.monotonic()
        for worker in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                rss = worker.memory_info().rss
                peaks[worker.pid] = max(peaks.get(worker.pid, 0), rss)
        stop.wait(SAMPLE_SECONDS)


def export_measure(
    connection: http.client.HTTPConnection, server: dict, config: dict, capture: str, pledges: int
) -> dict:
    runs = []
    for number in range(1 + config["export_repeat"]):
        idle = {worker.pid: worker.memory_info().rss for worker in workers_of(server["pid"])}
        peaks: dict[int, int] = {}
        stop = threading.Event()
        sampler = threading.Thread(target=rss_sample, args=(server["pid"], stop, peaks))
        sampler.start()
        try:
            run = http_export(connection, "/pledges/export.csv", {"X-Bench-Capture": capture})
        finally:
            stop.set()
            sampler.join()
        growth = max((peaks[pid] - idle.get(pid, peaks[pid]) for pid in peaks), default=0)
        run.update(
            idle_rss=max(idle.values(), default=0),
            peak_rss=max(peaks.values(), default=0),
            rss_growth=growth,
            rows=max(run["lines"] - 1, 0),  # the header line
        )
        if number:  # the first export only warms the caches
            runs.append(run)
    timed = [run["ms"] for run in runs]
    rows = runs[-1]["rows"]
    return {
        "name": "/pledges/export.csv",
        "path": "/pledges/export.csv",
        "capture": capture,
        "statuses": sorted({run["status"] for run in runs}),
        "ms": timed,
        "median_ms": median(timed),
        "p95_ms": p95(timed),
        "first_byte_ms": median([run["first_byte_ms"] for run in runs]),
        "queries_before_stream": sorted({int(run["headers"]["x-bench-queries"]) for run in runs}),
        "bytes": runs[-1]["bytes"],
        "rows": rows,
        "pledges": pledges,  # what "every row" should be; differs when a cell holds a newline
        "rows_per_s": rows / (median(timed) / 1000),
        "idle_rss": runs[0]["idle_rss"],
        "peak_rss": max(run["peak_rss"] for run in runs),
        "rss_growth": max(run["rss_growth"] for run in runs),
    }


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        href, src = found.get("href"), found.get("src")
        if tag == "link" and (found.get("rel") or "").lower() == "stylesheet" and href:
            self.paths.append(href)
        if tag == "script" and src:
            self.paths.append(src)


def transfer_measure(connection: http.client.HTTPConnection) -> dict:
    """What a first visit to /pledges/ downloads, compressed as a browser would accept it."""

    def sized(response: dict, plain: bytes) -> dict:
        return {
            "bytes": response["bytes"],
            "encoding": response["headers"].get("content-encoding", "identity"),
            "uncompressed_bytes": len(plain),
            # What gzip -6 makes of it, whatever the server sent: the figure for a server
            # or proxy that compresses.
            "gzip6_bytes": len(gzip.compress(plain, compresslevel=6)),
        }

    page = http_get(connection, "/pledges/", BROWSER_HEADERS)
    plain_page = http_get(connection, "/pledges/")["body"]
    parser = _Assets()
    parser.feed(plain_page.decode("utf-8", errors="replace"))
    assets = {}
    for path in parser.paths:
        if not path.startswith("/"):
            continue  # no CDN in this project; anything else is not ours to time
        compressed = http_get(connection, path, BROWSER_HEADERS)
        assets[path] = sized(compressed, http_get(connection, path)["body"])
    fragment = http_get(connection, "/pledges/", {**BROWSER_HEADERS, **HTMX_HEADERS})
    plain_fragment = http_get(connection, "/pledges/", HTMX_HEADERS)["body"]
    result = {
        "page": sized(page, plain_page),
        "assets": assets,
        "fragment": sized(fragment, plain_fragment),
    }
    result["first_load_bytes"] = result["page"]["bytes"] + sum(
        asset["bytes"] for asset in assets.values()
    )
    return result


# --- one size, one database --------------------------------------------------------------


def size_run(config: dict, database: str, size: int, static_root: Path) -> dict:
    prepared = database_prepare(config, database, size)
    url = prepared["url"]
    facts = corpus_facts(database, url, config)
    cases = page_cases(facts)
    with tempfile.TemporaryDirectory(prefix="bench-capture-") as captures:
        env = django_env(
            config,
            url,
            BENCH_STATIC_ROOT=str(static_root),
            BENCH_CAPTURE_SQL="1",
            BENCH_CAPTURE_DIR=captures,
        )
        log = DATA / f"gunicorn-{database}-{size}.log"
        log.unlink(missing_ok=True)
        say(f"{database} {size:,}: serving {facts['pledges']:,} pledges with gunicorn")
        replay = {}
        with gunicorn_serving(env, log) as server, replays_serving(config, url) as replay_now:
            connection = http_connection(server["port"])
            measured = []
            for case in cases:
                measured.append(case_measure(connection, case, config, replay_now, Path(captures)))
                replay[case["capture"]] = measured[-1].pop("replay")
                say(
                    f"  {case['name']:<36} {measured[-1]['median_ms']:9.1f} ms"
                    f"  {measured[-1]['queries']} queries"
                    f"  (raw SQL {median(replay[case['capture']]['ms']):.1f} ms)"
                )
            transfer = transfer_measure(connection)
            say(f"{database} {size:,}: exporting every row as CSV")
            export = export_measure(
                connection, server, config, f"{len(cases):02d}-export", facts["pledges"]
            )
            say(f"  {export['rows']:,} rows at {export['rows_per_s']:,.0f} rows/s")
            connection.close()
            say(f"{database} {size:,}: the export's SQL on a raw cursor, and COPY")
            replay[export["capture"]] = replay_now(Path(captures) / f"{export['capture']}.json")
    for case in [*measured, export]:
        baseline = replay.get(case["capture"])
        case["replay"] = baseline
        if baseline and baseline["ms"]:
            case["raw_sql_ms"] = median(baseline["ms"])
            # The server's time, as the target reads: HTTP on the loopback is the same
            # fraction of a millisecond for any page, and no part of what Django adds.
            spent = server_ms(case)
            case["ratio"] = spent / case["raw_sql_ms"] if case["raw_sql_ms"] else None
    baseline = export.get("replay") or {}
    # The stream's own DB time (execute only) is in the capture, not in the headers; a COPY
    # on the raw connection is not in either.
    if (baseline.get("export_query") or {}).get("source") == "captured":
        export["db_median_ms"] = baseline.get("captured_db_ms")
    if baseline.get("ms"):
        export["raw_rows_per_s"] = export["rows"] / (median(baseline["ms"]) / 1000)
    if baseline.get("copy"):
        copy = baseline["copy"]
        export["copy_rows_per_s"] = copy["rows"] / (median(copy["ms"]) / 1000)
    return {
        "size": size,
        "prepared": {key: value for key, value in prepared.items() if key != "url"},
        "facts": facts,
        "cases": measured,
        "export": export,
        "transfer": transfer,
    }


def articles_fixture(config: dict) -> Path:
    """A fixture of 1,000 synthetic articles, built once with the corpus generator.

    Kept in bench/data/ between runs; delete it to rebuild it after the generator changes.
    """
    fixture = DATA / f"articles-{ARTICLE_FIXTURE_SIZE}-seed{config['seed']}.json"
    if fixture.exists():
        return fixture
    say(f"building {fixture.relative_to(ROOT)} with generate_corpus")
    url = database_url(config, "sqlite", "corpus-articles")
    database_create(config, "sqlite", url)
    try:
        manage(config, url, "migrate", "--noinput")
        manage(config, url, "loaddata", "reference")
        # The generator's own density (20 pledges an article) gives articles of a usual length.
        corpus_generate(config, url, 20 * ARTICLE_FIXTURE_SIZE, str(ARTICLE_FIXTURE_SIZE))
        partial = fixture.with_suffix(".json.tmp")
        manage(
            config,
            url,
            "dumpdata",
            "articles.Article",
            "articles.Sentence",
            "--natural-foreign",
            "--natural-primary",
            "--output",
            str(partial),
        )
        partial.replace(fixture)
    finally:
        database_drop(config, "sqlite", url)
    return fixture


def loaddata_run(config: dict, database: str) -> dict:
    """loaddata of the seed fixtures and of 1,000 articles, each into a fresh migrated database."""
    fixture = articles_fixture(config)
    names = ("bench_loaddata_template", "bench_loaddata")
    if database == "sqlite":
        names = ("bench-loaddata-template", "bench-loaddata")
    template, target = (database_url(config, database, name) for name in names)
    say(f"{database}: migrating a template database for loaddata")
    database_create(config, database, template)
    results = {}
    try:
        manage(config, template, "migrate", "--noinput")
        for label, fixtures in (
            ("seed fixtures", list(SEED_FIXTURES)),
            (f"{ARTICLE_FIXTURE_SIZE} articles", [str(fixture)]),
        ):
            runs = []
            for _ in range(config["loaddata_repeat"]):
                database_create(config, database, target, template=template)
                runs.append(task(config, target, "loaddata", *fixtures))
            seconds = [run["seconds"] for run in runs]
            objects = runs[-1]["objects"]
            results[label] = {
                "fixtures": [Path(name).name for name in fixtures],
                "seconds": seconds,
                "median_s": median(seconds),
                "objects": objects,
                "objects_per_s": objects / median(seconds) if objects else None,
            }
            say(f"  loaddata {label}: {median(seconds):.2f} s, {objects} objects")
    finally:
        database_drop(config, database, target)
        database_drop(config, database, template)
    return results


# --- machine and reports -----------------------------------------------------------------


def machine_info(config: dict) -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    postgres_version = None
    if "postgres" in config["databases"]:
        with contextlib.suppress(psycopg.Error), postgres_admin(config) as admin:
            row = admin.execute("SHOW server_version").fetchone()
            postgres_version = row[0] if row else None
    git = {"GIT_OPTIONAL_LOCKS": "0", **os.environ}  # read-only: never refresh the index
    # git from the PATH, as the developer who runs the harness has it.
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"],  # noqa: S607
        cwd=ROOT,
        env=git,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--"],  # noqa: S607
        cwd=ROOT,
        env=git,
        capture_output=True,
    ).returncode
    packages = {
        name: importlib.metadata.version(name)
        for name in ("django", "gunicorn", "psycopg", "whitenoise")
    }
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "ram_bytes": psutil.virtual_memory().total,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version,
        "git_commit": commit or None,
        "git_dirty": dirty == 1,
        "packages": packages,
        "gunicorn": f"{GUNICORN_WORKERS} sync workers, 1 thread each",
    }


def static_collect(config: dict, static_root: Path) -> None:
    """The hashed, compressed static files that DEBUG off serves, in a scratch folder."""
    say("collectstatic into a scratch STATIC_ROOT")
    # collectstatic reads no database; any URL satisfies the settings.
    unused = database_url(config, "sqlite", "unused")
    command_run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        django_env(config, unused, BENCH_STATIC_ROOT=str(static_root)),
    )


def result_write(run: dict, stamp: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stamp}-{run['database']}.json"
    path.write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
    return path


def raise_exit(signum: int, frame: object) -> None:
    say(f"{signal.Signals(signum).name}: stopping gunicorn and leaving")
    raise SystemExit(128 + signum)


def main() -> int:
    config = config_load(dict(os.environ))
    # SIGTERM and SIGHUP unwind like Ctrl+C does, so every `finally` stops its gunicorn.
    signal.signal(signal.SIGTERM, raise_exit)
    signal.signal(signal.SIGHUP, raise_exit)
    DATA.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if "postgres" in config["databases"]:
        try:
            postgres_admin(config).close()
        except psycopg.OperationalError as error:
            raise SystemExit(
                f"PostgreSQL is not reachable at BENCH_POSTGRES_URL ({error}); start it, or"
                " run with BENCH_DATABASES=sqlite."
            ) from error
    machine = machine_info(config)
    public_config = config_public(config)
    runs = []
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    try:
        static_collect(config, static_root)
        for database in config["databases"]:
            run = {
                "database": database,
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": machine,
                "config": public_config,
                "loaddata": loaddata_run(config, database),
                "sizes": [],
            }
            runs.append(run)
            for size in config["sizes"][database]:
                run["sizes"].append(size_run(config, database, size, static_root))
                result_write(run, stamp)  # a long run keeps what it measured so far
            run["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
            say(f"wrote {result_write(run, stamp).relative_to(ROOT)}")
    except KeyboardInterrupt:
        say("interrupted; gunicorn stopped")
        return 130
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print()
    print(report_text(runs))
    latest = RESULTS / "latest.md"
    latest.write_text(report_markdown(runs, machine, config), encoding="utf-8")
    say(f"wrote {latest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
