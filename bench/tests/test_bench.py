from __future__ import annotations

import datetime
import decimal
import importlib
import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

import bench.settings
from bench.middleware import QueryRecorder, params_encode
from bench.replay import copy_csv, params_decode, replayable, sql_for_vendor, statements_replay
from bench.report import main_rows, target_rows
from bench.stats import median, number_format, p95, percentile, table_markdown, table_text
from bench.tasks import export_query, replays_serve
from tracker.models import Pledge

CAPTURE = "bench.middleware.BenchCaptureMiddleware"
WITH_CAPTURE = override_settings(MIDDLEWARE=[CAPTURE, *settings.MIDDLEWARE])
FRAGMENT = {"HX-Request": "true", "HX-Target": "pledge-table"}


@pytest.fixture
def capture_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("BENCH_CAPTURE_SQL", "1")
    monkeypatch.setenv("BENCH_CAPTURE_DIR", str(tmp_path))
    return tmp_path


class TestCaptureMiddleware:
    def test_inert_without_the_environment_variable(self, client, seeded, monkeypatch, tmp_path):
        monkeypatch.delenv("BENCH_CAPTURE_SQL", raising=False)
        monkeypatch.setenv("BENCH_CAPTURE_DIR", str(tmp_path))
        with WITH_CAPTURE:
            response = client.get("/pledges/", headers={"X-Bench-Capture": "table"})
        assert response.status_code == 200
        assert "X-Bench-Queries" not in response
        assert "X-Bench-DB-ms" not in response
        assert list(tmp_path.iterdir()) == []

    def test_not_installed_by_the_project_settings(self):
        import tracker.settings

        assert CAPTURE not in tracker.settings.MIDDLEWARE
        assert "bench" not in tracker.settings.INSTALLED_APPS

    def test_the_bench_settings_install_it_once_when_asked(self, monkeypatch, tmp_path):
        monkeypatch.setenv("BENCH_CAPTURE_SQL", "1")
        monkeypatch.setenv("BENCH_STATIC_ROOT", str(tmp_path))
        active = importlib.reload(bench.settings)
        assert active.MIDDLEWARE.count(CAPTURE) == 1
        assert active.MIDDLEWARE[0] == CAPTURE
        assert str(active.STATIC_ROOT) == str(tmp_path)
        monkeypatch.delenv("BENCH_CAPTURE_SQL")
        assert CAPTURE not in importlib.reload(bench.settings).MIDDLEWARE

    def test_counts_the_queries_of_a_page_and_writes_them(self, client, seeded, capture_dir):
        with WITH_CAPTURE, CaptureQueriesContext(connection) as expected:
            response = client.get(
                "/pledges/?sort=-amount_eur", headers={**FRAGMENT, "X-Bench-Capture": "table"}
            )
        assert response.status_code == 200
        assert int(response["X-Bench-Queries"]) == len(expected) > 0
        assert float(response["X-Bench-DB-ms"]) > 0
        capture = json.loads((capture_dir / "table.json").read_text())
        assert capture["path"] == "/pledges/?sort=-amount_eur"
        assert capture["queries"] == len(expected)
        assert any(
            'FROM "tracker_pledge"' in statement["sql"] for statement in capture["statements"]
        )
        assert all(statement["ms"] >= 0 for statement in capture["statements"])

    def test_without_the_capture_header_writes_nothing(self, client, seeded, capture_dir):
        with WITH_CAPTURE:
            response = client.get("/pledges/")
        assert int(response["X-Bench-Queries"]) > 0
        assert list(capture_dir.iterdir()) == []

    @pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", ".hidden", ""])
    def test_capture_names_are_file_names_only(self, client, seeded, capture_dir, name):
        with WITH_CAPTURE:
            response = client.get("/pledges/", headers={"X-Bench-Capture": name})
        assert response.status_code == 200
        assert list(capture_dir.parent.glob("escape*")) == []
        assert list(capture_dir.iterdir()) == []

    def test_a_streamed_export_still_streams_and_is_captured_at_its_end(
        self, client, seeded, capture_dir
    ):
        with WITH_CAPTURE:
            response = client.get("/pledges/export.csv", headers={"X-Bench-Capture": "export"})
            assert response.streaming
            assert response["X-Bench-Streamed"] == "1"
            assert not (capture_dir / "export.json").exists()  # nothing ran yet
            body = b"".join(response.streaming_content)
            response.close()
        assert body.count(b"\n") >= 9  # the header and the demo pledges
        capture = json.loads((capture_dir / "export.json").read_text())
        assert capture["streamed"] is True
        assert capture["queries"] >= int(response["X-Bench-Queries"])
        assert connection.execute_wrappers == []

    def test_an_abandoned_stream_removes_its_wrapper(self, client, seeded, capture_dir):
        with WITH_CAPTURE:
            response = client.get("/pledges/export.csv")
            next(iter(response.streaming_content))
            response.close()
        assert connection.execute_wrappers == []


class TestParams:
    def test_round_trip(self):
        params = [
            None,
            True,
            3,
            1.5,
            "drones",
            decimal.Decimal("6600000000.00"),
            datetime.date(2023, 1, 1),
            datetime.datetime(2023, 1, 1, 12, 30, tzinfo=datetime.UTC),
            [1, 2],
        ]
        encoded = json.loads(json.dumps(params_encode(params)))
        assert params_decode(encoded) == (*params[:-1], [1, 2])

    def test_an_adapter_object_is_not_replayed(self):
        statements: list[dict] = [
            {"sql": "SELECT %s", "params": params_encode([object()]), "many": False},
            {"sql": "SELECT 1", "params": None, "many": False},
        ]
        keep, skipped = replayable(statements)
        assert keep == statements[1:]
        assert len(skipped) == 1

    def test_sqlite_placeholders(self):
        sql = "SELECT 1 WHERE a = %s AND b LIKE '%%x'"
        assert sql_for_vendor("sqlite", sql, (1,)) == "SELECT 1 WHERE a = ? AND b LIKE '%x'"
        assert sql_for_vendor("postgresql", sql, (1,)) == sql


class TestReplay:
    def test_runs_the_captured_statements_on_a_raw_cursor(self, client, seeded, capture_dir):
        with WITH_CAPTURE:
            client.get(
                "/pledges/?category=military&date_from=2020-01-01", headers={"X-Bench-Capture": "t"}
            )
        capture = json.loads((capture_dir / "t.json").read_text())
        statements, skipped = replayable(capture["statements"])
        assert skipped == []
        connection.ensure_connection()
        result = statements_replay(connection.connection, connection.vendor, statements)
        assert result["ms"] > 0
        # The page lists the demo pledges: the replay fetched at least those rows.
        assert result["rows"] >= 8

    def test_served_replays_answer_each_capture_as_it_is_named(self, client, seeded, capture_dir):
        with WITH_CAPTURE:
            for name, path in (("list", "/pledges/"), ("donor", "/pledges/?donor=germany")):
                client.get(path, headers={"X-Bench-Capture": name})
        out = io.StringIO()
        names = [f"{capture_dir / 'list.json'}\n", "\n", f"{capture_dir / 'donor.json'}\n"]
        replays_serve(iter(names), out, repeat=3, warmup=1, stream_repeat=1)
        results = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [result["path"] for result in results] == ["/pledges/", "/pledges/?donor=germany"]
        for result in results:
            assert len(result["ms"]) == 3
            assert result["statements"] == result["captured"] > 0
            assert result["skipped"] == []

    def test_a_line_may_name_its_own_counts(self, client, seeded, capture_dir):
        # The harness replays a page once after each timed request: warm-up alone, then one.
        with WITH_CAPTURE:
            client.get("/pledges/", headers={"X-Bench-Capture": "list"})
        out = io.StringIO()
        path = capture_dir / "list.json"
        lines = [f"{path}\t0\t2\n", f"{path}\t1\t0\n", f"{path}\n"]
        replays_serve(iter(lines), out, repeat=3, warmup=1, stream_repeat=1)
        warmed, once, default = (json.loads(line) for line in out.getvalue().splitlines())
        assert warmed["ms"] == []
        assert len(once["ms"]) == 1 and once["rows"] >= 8
        assert len(default["ms"]) == 3

    def test_the_export_query_is_rebuilt_when_the_view_bypassed_the_cursor(self, seeded):
        # As on PostgreSQL, where the view's COPY runs on the raw connection.
        statement, source = export_query({"statements": [], "path": "/pledges/export.csv"})
        assert source == "rebuilt"
        connection.ensure_connection()
        result = statements_replay(connection.connection, connection.vendor, [statement])
        assert result["rows"] == Pledge.objects.count() > 0

    def test_the_export_query_is_the_one_run_during_the_stream(self):
        before = {"sql": "SELECT 1", "params": None, "during_stream": False}
        during = {"sql": "SELECT * FROM tracker_pledge", "params": [], "during_stream": True}
        capture = {"statements": [before, during], "path": "/pledges/export.csv"}
        assert export_query(capture) == (during, "captured")

    def test_copy_writes_the_export_query_as_csv(self, seeded):
        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL's")
        statement, _ = export_query(
            {"statements": [], "path": "/pledges/export.csv?category=military"}
        )
        connection.ensure_connection()
        result = copy_csv(connection.connection, statement)
        military = Pledge.objects.filter(category__slug="military") | Pledge.objects.filter(
            category__parent__slug="military"
        )
        assert result["rows"] == military.count() > 0
        assert result["bytes"] > 0

    def test_a_wrong_statement_fails_loudly(self, db):
        connection.ensure_connection()
        bad = [{"sql": "SELECT * FROM no_such_table", "params": None, "many": False}]
        with pytest.raises(Exception, match="no_such_table"):
            statements_replay(connection.connection, connection.vendor, bad)

    def test_the_recorder_times_every_statement(self, db):
        recorder = QueryRecorder()
        with connection.execute_wrapper(recorder), connection.cursor() as cursor:
            cursor.execute("SELECT %s", [2])
            cursor.execute("SELECT 1")
        assert [statement["params"] for statement in recorder.statements] == [[2], None]
        assert recorder.total_ms == sum(statement["ms"] for statement in recorder.statements)


class TestStatistics:
    def test_median(self):
        assert median([3, 1, 2]) == 2
        assert median([4, 1, 3, 2]) == 2.5

    def test_p95_interpolates_between_the_closest_ranks(self):
        values = list(range(1, 21))  # 1..20
        assert p95(values) == pytest.approx(19.05)
        assert percentile(values, 0) == 1
        assert percentile(values, 1) == 20
        assert p95([7]) == 7

    def test_no_values(self):
        with pytest.raises(ValueError):
            median([])
        with pytest.raises(ValueError):
            p95([])

    def test_numbers(self):
        assert number_format(1234567) == "1,234,567"
        assert number_format(3.14159) == "3.14"
        assert number_format(31.4159) == "31.4"
        assert number_format(314.159) == "314"
        assert number_format(None) == "–"


class TestTables:
    HEADER = ("database", "case", "median ms")
    ROWS = (["sqlite", "/pledges/", "12.5"], ["postgres", "a | b", "1,250"])

    def test_text_aligns_text_left_and_figures_right(self):
        assert table_text(self.HEADER, self.ROWS).splitlines() == [
            "database  case       median ms",
            "--------  ---------  ---------",
            "sqlite    /pledges/       12.5",
            "postgres  a | b          1,250",
        ]

    def test_markdown(self):
        assert table_markdown(self.HEADER, self.ROWS).splitlines() == [
            "| database | case | median ms |",
            "|---|---|---:|",
            "| sqlite | /pledges/ | 12.5 |",
            "| postgres | a \\| b | 1,250 |",
        ]

    def test_result_rows(self):
        case = {
            "name": "/pledges/",
            "statuses": [200],
            "queries": [6],
            "median_ms": 51.5,
            "p95_ms": 52.3,
            "server_median_ms": 50.1,
            "db_median_ms": 0.78,
            "raw_sql_ms": 2.33,
            "ratio": 22.1,
            "bytes": 9803,
        }
        export = {
            **case,
            "name": "/pledges/export.csv",
            "statuses": [500],
            "queries": None,
            "queries_before_stream": [0],
            "replay": {"statements": 1, "captured": 0},
        }
        runs = [
            {"database": "sqlite", "sizes": [{"size": 2000, "cases": [case], "export": export}]}
        ]
        assert main_rows(runs) == [
            [
                "sqlite",
                "2,000",
                "/pledges/",
                "51.5",
                "52.3",
                "50.1",
                "6",
                "0.78",
                "2.33",
                "22.1",
                "9.8 kB",
            ],
            [
                "sqlite",
                "2,000",
                "/pledges/export.csv (HTTP 500)",
                "51.5",
                "52.3",
                "50.1",
                "0+1†",
                "0.78",
                "2.33",
                "22.1",
                "9.8 kB",
            ],
        ]

    def test_targets_compare_each_mix_with_itself_at_the_smallest_size(self):
        def fragment(mix: str, label: str, server: float, raw: float, queries: int) -> dict:
            return {
                "name": f"/pledges/ {label} (htmx)",
                "mix": mix,
                "htmx": True,
                "median_ms": server + 1,
                "server_median_ms": server,
                "raw_sql_ms": raw,
                "ratio": server / raw,
                "queries": [queries],
            }

        small = [
            fragment("deep page", "page 100", 8.0, 3.0, 3),
            fragment("donor", "donor", 6.0, 2.0, 4),
        ]
        large = [
            fragment("deep page", "page 10000", 20.0, 12.0, 3),
            fragment("donor", "donor", 9.2, 4.0, 5),
            {**fragment("no filter", "no filter", 5, 1, 3), "htmx": False},
        ]
        run = {"sizes": [{"size": 1000, "cases": large}, {"size": 10, "cases": small}]}
        assert target_rows(run) == [
            ["page 10000", "20.0", "12.0", "1.7 ✓", "8.00", "2.5 ✓", "3 ✓"],
            ["donor", "9.20", "4.00", "2.3 ✗", "6.00", "1.5 ✓", "4/5 ✗"],
        ]


def test_result_files_record_no_secret_and_no_database_password():
    from bench.run import config_load, config_public

    config = config_load({"BENCH_POSTGRES_URL": "postgres://bench:s3cret@db.example:5432"})
    public = config_public(config)
    assert "secret_key" in config and "secret_key" not in public
    assert public["postgres_url"] == "postgres://bench:***@db.example:5432"
    assert "s3cret" not in json.dumps(public, default=str)
