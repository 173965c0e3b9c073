"""When the database does not answer: a plain 503 on every page, and recovery without a restart.

In-process tests make the connection refuse (as psycopg does when nobody listens) and read the
503 page on SQLite and PostgreSQL alike. The end-to-end tests run gunicorn with the production
settings against PostgreSQL through a TCP proxy in a thread: one pulls the proxy away (the
server's open connection dies, new ones are refused) and puts it back on the same port; one
makes the database stall, a table locked by another connection, and gets the 503 in seconds.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError, ProgrammingError, connection

from tests.factories import PledgeFactory

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PAGES = ("/", "/pledges/", "/pledges/export.csv", "/reference/", "/articles/")


def assert_plain_503(status: int, headers: dict[str, str], body: str) -> None:
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "psycopg" not in body


# --- in-process ------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    """From now on, every query fails to connect, as when the database server is gone."""

    def refuse(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.mark.django_db
class TestDatabaseDown:
    @pytest.mark.parametrize(
        "url", [*PAGES, "/pledges/?donor=germany&sort=-amount_eur", "/pledges/1/", "/donors/x/"]
    )
    def test_every_page_is_a_plain_503(self, client, database_down, url):
        response = client.get(url)
        assert_plain_503(response.status_code, response.headers, response.content.decode())
        assert (
            response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
        )
        assert response["Content-Security-Policy"]

    def test_the_admin_too(self, editor_client, database_down):
        for url in ("/admin/", "/admin/tracker/pledge/", "/admin/tracker/pledge/add/"):
            response = editor_client.get(url)
            assert_plain_503(response.status_code, response.headers, response.content.decode())

    def test_in_the_visitors_language(self, client, database_down):
        response = client.get("/pledges/", headers={"Accept-Language": "de"})
        assert response.status_code == 503
        body = response.content.decode()
        assert '<html lang="de">' in body
        assert "Vorübergehend nicht erreichbar" in body
        assert "Erneut versuchen" in body

    def test_htmx_reloads_the_page_to_show_it(self, client, database_down):
        response = client.get(
            "/pledges/?donor=germany", headers={"HX-Request": "true", "HX-Target": "pledge-table"}
        )
        assert response.status_code == 503
        assert response["HX-Refresh"] == "true"
        assert 'href="/pledges/?donor=germany"' in response.content.decode()  # try again

    def test_the_health_check_says_so(self, client, database_down):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response.json() == {"status": "unavailable", "database": "unreachable"}

    def test_pages_work_again_when_it_is_back(self, client, monkeypatch):
        PledgeFactory()

        def lost(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(connection, "ensure_connection", lost)
        assert client.get("/pledges/").status_code == 503
        monkeypatch.undo()
        assert client.get("/pledges/").status_code == 200

    def test_development_shows_the_traceback(self, client, database_down, settings):
        settings.DEBUG = True
        with pytest.raises(OperationalError):
            client.get("/pledges/")

    def test_other_database_errors_stay_errors(self, client, monkeypatch):
        def broken(*args, **kwargs):
            raise ProgrammingError('relation "tracker_pledge" does not exist')

        monkeypatch.setattr(connection, "ensure_connection", broken)
        with pytest.raises(ProgrammingError):
            client.get("/pledges/")


# --- end to end: gunicorn, PostgreSQL, and a proxy between them ----------------------------


class TcpProxy:
    """Forwards a local port to ``target``; ``stop`` closes the port and every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        # SO_REUSEADDR (set by create_server): the same port again right after a stop.
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def postgres_url() -> str:
    """The server the suite's PostgreSQL runs use, or the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


@pytest.fixture
def faults_database():
    """A fresh, migrated PostgreSQL database with a superuser; dropped afterwards."""
    import psycopg

    parts = urlsplit(postgres_url())
    address = (parts.hostname or "127.0.0.1", parts.port or 5432)
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError:
        message = f"PostgreSQL does not answer on {address[0]}:{address[1]}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}: the database-down test needs it")
        pytest.skip(f"{message}: the database-down test needs it")

    name = f"faults_{os.getpid()}_{secrets.token_hex(3)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"url": parts._replace(path=f"/{name}").geturl(), "address": address}
    finally:
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults_settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback
    )
    return env


SETUP = """
import django

django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command

call_command("migrate", verbosity=0, skip_checks=True)
get_user_model().objects.create_superuser("root", "root@example.org", "a-long-root-password")
"""


class Client:
    """Plain HTTP to the server, keeping its cookies (they are Secure: no cookie jar sends them
    over HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        server = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            server.request(method, path, body=body, headers=headers)
            response = server.getresponse()
            content = response.read().decode(errors="replace")
        finally:
            server.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            key, _, rest = value.partition("=")
            self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), content

    def get(self, path: str):
        return self.request("GET", path)

    def log_in(self, username: str, password: str) -> None:
        self.get("/admin/login/")
        token = self.cookies["csrftoken"]
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        status, _, _ = self.request("POST", "/admin/login/?next=/admin/", form)
        assert status == 302, "login failed"
        assert "sessionid" in self.cookies


@pytest.fixture
def server(faults_database, tmp_path):
    """gunicorn (one sync worker) with the production settings, its database behind a proxy."""
    direct = production_env(faults_database["url"])
    done = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=direct, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    proxy = TcpProxy(faults_database["address"])
    proxy.start()
    parts = urlsplit(faults_database["url"])
    credentials = parts.netloc.rpartition("@")[0]
    proxied = parts._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}".lstrip("@"))
    env = {**direct, "DATABASE_URL": proxied.geturl()}

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [GUNICORN, "tracker.wsgi", "--bind", f"fd://{listener.fileno()}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
    listener.close()  # gunicorn holds its own copy
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError):
                if Client(port).get("/healthz")[0] == 200:
                    break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield {"port": port, "proxy": proxy, "process": process, "log": log}
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        proxy.stop()


def test_database_down_then_back_without_a_restart(server):
    client = Client(server["port"])
    client.log_in("root", "a-long-root-password")
    pages = (*PAGES, "/admin/", "/admin/tracker/pledge/")

    def all_answer() -> None:
        assert client.get("/healthz")[0] == 200
        for path in pages:
            status, _, body = client.get(path)
            assert status == 200, f"{path}: {status}\n{body[:500]}"

    all_answer()

    server["proxy"].stop()  # the worker's open connection dies; new ones are refused
    # The export first: a stream must not start before the database has answered.
    for path in ("/pledges/export.csv", *pages):
        status, headers, body = client.get(path)
        assert_plain_503(status, headers, body)
    status, headers, body = client.get("/healthz")
    assert (status, headers["Retry-After"]) == (503, "30")
    assert re.search(r'"database": "unreachable"', body)

    server["proxy"].start()  # same port
    all_answer()
    assert server["process"].poll() is None  # the same server, never restarted
    assert "Traceback" not in server["log"].read_text()


# --- a database that stalls: timeouts on every connection ------------------------------------

SETTINGS = ROOT / "tracker" / "settings.py"


def postgres_options(monkeypatch, url: str, **env: str) -> dict:
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("DJANGO_DB_STATEMENT_TIMEOUT", "DJANGO_DB_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))["DATABASES"]["default"]["OPTIONS"]


def test_postgresql_connections_are_bounded(monkeypatch):
    options = postgres_options(monkeypatch, "postgres://aid@db:5432/aid")
    assert options == {
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        "options": "-c statement_timeout=10s -c lock_timeout=5s",
    }


def test_the_timeouts_are_configurable(monkeypatch):
    options = postgres_options(
        monkeypatch,
        "postgres://aid@db:5432/aid?tcp_user_timeout=20000&options=-c%20search_path%3Daid",
        DJANGO_DB_STATEMENT_TIMEOUT="30",
        DJANGO_DB_LOCK_TIMEOUT="0",
    )
    assert options["tcp_user_timeout"] == 20000
    assert options["options"] == "-c statement_timeout=30s -c lock_timeout=0s -c search_path=aid"


def settings_seen_by(code: list[str], url: str) -> dict:
    """The connection options a process started as ``code`` reads from the settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="1", DATABASE_URL=url, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


PRINT_OPTIONS = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def test_commands_run_without_the_statement_and_lock_timeouts():
    """Commands rightly run long (loaddata, rollup rebuilds, the benchmark's corpus); the web's
    server, which loads the settings through tracker.wsgi, keeps them."""
    url = "postgres://aid@db:5432/aid"
    command = settings_seen_by(["manage.py", "shell", "--no-imports", "-c", PRINT_OPTIONS], url)
    assert command["options"] == "-c statement_timeout=0s -c lock_timeout=0s"
    assert command["tcp_user_timeout"] == 10_000  # a host that vanishes is still noticed
    web = settings_seen_by(["-c", f"import tracker.wsgi; {PRINT_OPTIONS}"], url)
    assert web["options"] == "-c statement_timeout=10s -c lock_timeout=5s"


def test_a_stalled_database_gives_a_prompt_503(server, faults_database):
    """A request that reads a table another connection holds locked: without a timeout it waits
    for as long as the lock is held (gunicorn kills the worker at 30 s); with it, a 503."""
    import psycopg

    client = Client(server["port"])
    assert client.get("/pledges/")[0] == 200  # the worker's connection is open and kept
    with psycopg.connect(faults_database["url"]) as holder:
        holder.execute("LOCK TABLE tracker_pledge IN ACCESS EXCLUSIVE MODE")
        # The page asked for before is kept rendered (tracker/cache.py): it reads no pledge.
        assert client.get("/pledges/")[0] == 200
        started = time.monotonic()
        status, headers, body = client.get("/pledges/?sort=donor")
        waited = time.monotonic() - started
        assert_plain_503(status, headers, body)
        assert 4 < waited < 9, waited  # the lock timeout, 5 s
        holder.rollback()  # the lock is released
    assert client.get("/pledges/")[0] == 200  # the same connection goes on
    log = server["log"].read_text()
    assert "canceling statement due to lock timeout" in log
    assert "Traceback" not in log
