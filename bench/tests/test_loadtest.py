from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from django.core.management import call_command
from django.db import connection

from bench.loadgen import Outcome, Target, load_once, load_run, load_summary
from bench.loadtest import ENDPOINTS, load_mix, loadtest_config, summary_rows

HOST = "127.0.0.1"


def run_async(coroutine):
    """asyncio.run in a thread of its own: the browser tests leave Playwright's event loop
    running in the main thread, where asyncio.run refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Handler(BaseHTTPRequestHandler):
    """Each path answers one way a server can answer."""

    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers

    def do_GET(self):
        if self.path == "/ok":
            self.reply(200, b"fine", {"Content-Length": "4"})
        elif self.path == "/chunked":
            self.reply(200, b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", self.CHUNKED)
        elif self.path == "/until-close":
            self.reply(200, b"x" * 100_000, {"Connection": "close"})
            self.close_connection = True
        elif self.path == "/fail":
            self.reply(500, b"broken", {"Content-Length": "6"})
        elif self.path == "/slow":
            time.sleep(1)
            self.reply(200, b"late", {"Content-Length": "4"})
        elif self.path == "/cut-short":  # a stream that dies halfway, as a crashed worker's
            self.reply(200, b"5\r\nhello\r\n", self.CHUNKED)
            self.close_connection = True
        elif self.path == "/ok-then-hang-up":  # as a keep-alive timeout: no header says so
            self.reply(200, b"fine", {"Content-Length": "4"})
            self.close_connection = True
        elif self.path == "/hang-up":
            self.close_connection = True

    CHUNKED: ClassVar[dict] = {"Transfer-Encoding": "chunked"}

    def reply(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_port():
    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def once(port, *paths, timeout=5.0):
    targets = [Target(path.strip("/"), path) for path in paths]
    return run_async(load_once(HOST, port, targets, timeout))


class TestClient:
    def test_reads_every_kind_of_body(self, stub_port):
        outcomes = once(stub_port, "/ok", "/chunked", "/until-close")
        assert [(o.status, o.bytes, o.error) for o in outcomes] == [
            (200, 4, None),
            (200, 11, None),
            (200, 100_000, None),
        ]

    def test_a_500_is_an_error(self, stub_port):
        (outcome,) = once(stub_port, "/fail")
        assert (outcome.status, outcome.error) == (500, "HTTP 500")

    def test_a_timeout_is_an_error(self, stub_port):
        (outcome,) = once(stub_port, "/slow", timeout=0.2)
        assert outcome.error == "timeout after 0.2 s"
        assert outcome.status is None

    def test_a_body_cut_short_is_an_error(self, stub_port):
        (outcome,) = once(stub_port, "/cut-short")
        assert outcome.error == "ResponseError: connection closed inside a chunked body"

    def test_no_response_is_an_error(self, stub_port):
        (outcome,) = once(stub_port, "/hang-up")
        assert outcome.error == "ResponseError: connection closed before a response"

    def test_a_refused_connection_is_an_error(self):
        with ThreadingHTTPServer((HOST, 0), Handler) as closed:
            port = closed.server_address[1]
        (outcome,) = once(port, "/ok")
        assert outcome.error.startswith(("ConnectionRefusedError", "OSError"))

    def test_a_kept_alive_connection_closed_while_idle_is_opened_again(self, stub_port):
        outcomes = once(stub_port, "/ok-then-hang-up", "/ok")
        assert [(o.status, o.error) for o in outcomes] == [(200, None), (200, None)]

    def test_only_once(self, stub_port):
        # The retry is on a new connection; when that one fails too, it is an error.
        outcomes = once(stub_port, "/ok", "/hang-up")
        assert [o.error for o in outcomes] == [
            None,
            "ResponseError: connection closed before a response",
        ]


class TestRun:
    def test_keeps_n_connections_busy_for_the_duration(self, stub_port):
        targets = [Target("ok", "/ok"), Target("chunked", "/chunked"), Target("fail", "/fail")]
        outcomes, seconds = run_async(
            load_run(HOST, stub_port, targets, connections=3, duration=0.5, timeout=5)
        )
        assert 0.5 <= seconds < 2
        counts = Counter(outcome.endpoint for outcome in outcomes)
        assert set(counts) == {"ok", "chunked", "fail"}
        # One shared cycle: the mix holds whatever the number of connections.
        assert max(counts.values()) - min(counts.values()) <= 3
        summary = load_summary(outcomes, 0.5, seconds)
        assert summary["endpoints"]["fail"]["errors"] == counts["fail"] > 0
        assert summary["endpoints"]["ok"]["errors"] == 0
        assert summary["endpoints"]["overall"]["errors"] == counts["fail"]
        assert summary["errors"] == {"fail: HTTP 500": {"count": counts["fail"], "path": "/fail"}}

    def test_against_the_app(self, live_server, transactional_db):
        call_command("loaddata", "reference", "articles", "demo_pledges", verbosity=0)
        port = int(live_server.url.rsplit(":", 1)[1])
        mix = load_mix()
        warmup = run_async(load_once(HOST, port, mix, 30))
        assert [outcome for outcome in warmup if outcome.error or not outcome.bytes] == []
        assert {outcome.endpoint for outcome in warmup} == set(ENDPOINTS)
        # The live server shares the test's in-memory SQLite connection between its threads,
        # which must not query it at the same time: one connection there, four on PostgreSQL.
        connections = 4 if connection.vendor == "postgresql" else 1
        outcomes, seconds = run_async(
            load_run(HOST, port, mix, connections=connections, duration=2, timeout=30)
        )
        summary = load_summary(outcomes, 2, seconds)
        assert summary["errors"] == {}
        assert summary["endpoints"]["overall"]["rps"] > 0


class TestSummary:
    def outcome(self, endpoint, ms, error=None, finished=1.0):
        return Outcome(endpoint, "/", ms, 200 if not error else 500, 10, error, finished)

    def test_percentiles_rates_and_errors(self):
        outcomes = [self.outcome("table", ms) for ms in range(1, 101)]
        outcomes.append(self.outcome("export", 5000.0, error="HTTP 500"))
        outcomes.append(self.outcome("export", 100.0, finished=12.0))  # after the duration
        summary = load_summary(outcomes, 10.0, 12.0)
        table = summary["endpoints"]["table"]
        assert table["requests"] == 100
        assert table["p50_ms"] == pytest.approx(50.5)
        assert table["p99_ms"] == pytest.approx(99.01)
        assert table["rps"] == pytest.approx(10.0)
        export = summary["endpoints"]["export"]
        assert (export["requests"], export["errors"], export["rps"]) == (2, 1, 0.0)
        assert export["p99_ms"] == pytest.approx(5000 - 0.01 * 4900)
        overall = summary["endpoints"]["overall"]
        assert (overall["requests"], overall["errors"]) == (102, 1)
        assert overall["rps"] == pytest.approx(10.0)
        assert summary["errors"] == {"export: HTTP 500": {"count": 1, "path": "/"}}
        assert summary_rows({"endpoints": summary["endpoints"]})[-1] == [
            "overall",
            "102",
            "1",
            "10.0",
            "51.5",
            "100",
        ]


class TestMix:
    def test_one_cycle_of_a_hundred_with_the_full_export_first(self):
        mix = load_mix()
        assert len(mix) == 100
        assert mix[0].path == "/pledges/export.csv"
        counts = Counter(target.endpoint for target in mix)
        assert counts == {
            "table fragment": 42,
            "table page": 24,
            "dashboard": 18,
            "CSV export, filtered": 15,
            "CSV export, every row": 1,
        }
        fragments = [target for target in mix if target.endpoint == "table fragment"]
        assert all(("HX-Target", "pledge-table") in target.headers for target in fragments)
        assert load_mix() == mix

    def test_postgres_from_database_url_in_databases_of_its_own(self):
        config = loadtest_config({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tracker"})
        assert config["databases"] == ["postgres"]
        assert config["postgres_url"] == "postgres://postgres@127.0.0.1:5432"
        assert config["postgres_prefix"] == "tracker_loadtest_"
        assert (config["connections"], config["duration"], config["sizes"]) == (
            32,
            30.0,
            ["demo", "100000"],
        )

    def test_sqlite_by_default_and_bad_sizes_refused(self):
        assert loadtest_config({})["databases"] == ["sqlite"]
        with pytest.raises(SystemExit, match="LOADTEST_SIZES"):
            loadtest_config({"LOADTEST_SIZES": "demo,lots"})


class TestCommand:
    @pytest.fixture
    def offline(self, monkeypatch, tmp_path, stub_port):
        """The command without gunicorn: each dataset is the stub server under load."""
        import bench.loadtest as loadtest

        def dataset_run(config, database, size, static_root):
            targets = [Target("table page", path) for path in config["paths"]]
            outcomes, seconds = run_async(
                load_run(HOST, stub_port, targets, connections=2, duration=0.3, timeout=5)
            )
            summary = load_summary(outcomes, 0.3, seconds)
            cpu = {"busy": 50.0, "server": 20.0, "client": 1.0, "postgres": 0.0, "others": 29.0}
            errors = summary["endpoints"]["overall"]["errors"]
            return {"dataset": size, "pledges": 8, "cpu_percent": cpu, "warmup_errors": []} | {
                **summary,
                "errors_total": errors,
            }

        monkeypatch.setattr(loadtest, "dataset_run", dataset_run)
        monkeypatch.setattr(loadtest, "static_collect", lambda config, root: None)
        monkeypatch.setattr(
            loadtest,
            "machine_info",
            lambda config: {"git_commit": "0" * 40, "cpu_count": 2, "cpu_model": "CPU"},
        )
        monkeypatch.setattr(loadtest, "RESULTS", tmp_path)
        monkeypatch.setattr(loadtest, "DATA", tmp_path)
        monkeypatch.setenv("LOADTEST_SIZES", "demo")
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.delenv("LOADTEST_DATABASES", raising=False)
        return loadtest, tmp_path

    def run(self, offline, monkeypatch, paths):
        loadtest, results = offline
        real = loadtest.loadtest_config
        monkeypatch.setattr(loadtest, "loadtest_config", lambda env: real(env) | {"paths": paths})
        return loadtest.main(), results

    def test_fails_when_any_request_fails(self, offline, monkeypatch, capsys):
        status, results = self.run(offline, monkeypatch, ["/ok", "/fail"])
        output = capsys.readouterr().out
        assert status == 1
        assert "FAILED:" in output
        assert "error x" in output and "table page: HTTP 500 (e.g. /fail)" in output
        assert len(list(results.glob("loadtest-*-sqlite.json"))) == 1

    def test_passes_with_zero_errors(self, offline, monkeypatch, capsys):
        status, results = self.run(offline, monkeypatch, ["/ok", "/chunked"])
        output = capsys.readouterr().out
        assert status == 0
        assert output.rstrip().endswith("zero errors")
        assert "| overall |" in (results / "loadtest-latest.md").read_text()
