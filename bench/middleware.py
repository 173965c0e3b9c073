"""Benchmark-only: record the SQL of each request, so `bench/` can replay it on a raw cursor.

Inert unless ``BENCH_CAPTURE_SQL`` is set in the environment: the middleware then refuses to
load (``MiddlewareNotUsed``), so a settings file that lists it by mistake costs nothing. When
active it adds ``X-Bench-Server-ms`` (the request's time inside Django), ``X-Bench-Queries``
and ``X-Bench-DB-ms`` to every response and, when the request names a capture file in
``X-Bench-Capture``, writes the request's statements (SQL, params, milliseconds) as JSON to
``$BENCH_CAPTURE_DIR/<name>.json``.

A streamed response (the CSV export) runs its main query after the headers are sent: its
headers count only the statements before the first byte (``X-Bench-Streamed: 1`` says so), and
the capture file, written when the stream ends, holds them all. Statements sent past Django's
cursor (a COPY on the raw psycopg connection) cannot be seen here.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import cast

from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

ENABLE_VARIABLE = "BENCH_CAPTURE_SQL"
DIRECTORY_VARIABLE = "BENCH_CAPTURE_DIR"
# The header names a file, never a path: nothing outside the capture directory is written.
CAPTURE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")


def param_encode(value: object) -> object:
    """A JSON value for one SQL parameter, tagged when JSON would lose its type."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return {"type": "decimal", "value": str(value)}
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime.datetime):
        return {"type": "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"type": "date", "value": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"type": "time", "value": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"type": "timedelta", "value": value.total_seconds()}
    if isinstance(value, uuid.UUID):
        return {"type": "uuid", "value": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"type": "bytes", "value": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, list | tuple):
        return {"type": "list", "value": [param_encode(item) for item in value]}
    # Adapter objects (psycopg's Jsonb, ...): kept for reading; the replay skips the statement.
    return {"type": "unknown", "value": repr(value)}


def params_encode(params: Sequence[object] | Mapping[str, object] | None) -> object:
    if params is None:
        return None
    if isinstance(params, dict):
        return {"type": "mapping", "value": {k: param_encode(v) for k, v in params.items()}}
    return [param_encode(value) for value in params]


class QueryRecorder:
    """An ``execute_wrapper``: every statement with its params, whether it ran, and its time."""

    def __init__(self, *, params: bool = True) -> None:
        self.statements: list[dict] = []
        self.streaming = False  # set once the response body is being produced
        # Encoding the parameters is work production never does: only for a capture file.
        self.params = params

    def __call__(self, execute: Callable, sql: str, params, many: bool, context: dict):
        # A named (server-side) cursor is how the export streams on PostgreSQL; the replay
        # uses one too, so that it fetches the rows the same way.
        server_side = bool(getattr(context["cursor"].cursor, "name", None))
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(
                {
                    "sql": sql,
                    "params": None if many or not self.params else params_encode(params),
                    "many": many,
                    "server_side": server_side,
                    "during_stream": self.streaming,
                    "ms": (time.perf_counter() - start) * 1000,
                }
            )

    @property
    def total_ms(self) -> float:
        return sum(statement["ms"] for statement in self.statements)


class BenchCaptureMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not os.environ.get(ENABLE_VARIABLE):
            raise MiddlewareNotUsed(f"{ENABLE_VARIABLE} is not set")
        self.get_response = get_response
        directory = os.environ.get(DIRECTORY_VARIABLE)
        self.directory = Path(directory) if directory else None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        target = self.capture_path(request)
        recorder = QueryRecorder(params=target is not None)
        start = time.perf_counter()
        with connection.execute_wrapper(recorder):
            response = self.get_response(request)
        # The server's own time for the request: every middleware, the view, the template,
        # compression; not the HTTP parsing and socket work of gunicorn and the client.
        response["X-Bench-Server-ms"] = f"{(time.perf_counter() - start) * 1000:.3f}"
        response["X-Bench-Queries"] = str(len(recorder.statements))
        response["X-Bench-DB-ms"] = f"{recorder.total_ms:.3f}"
        # Under gunicorn's sync workers a stream is a plain iterator, never an async one.
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            response["X-Bench-Streamed"] = "1"
            response.streaming_content = self.stream(
                cast(Iterator[bytes], response.streaming_content),
                recorder,
                target,
                request.get_full_path(),
            )
        elif target is not None:
            capture_write(target, request.get_full_path(), recorder)
        return response

    def capture_path(self, request: HttpRequest) -> Path | None:
        name = request.headers.get("X-Bench-Capture", "")
        if self.directory is None or not CAPTURE_NAME.match(name):
            return None
        return self.directory / f"{name.removesuffix('.json')}.json"

    def stream(
        self, content: Iterator[bytes], recorder: QueryRecorder, target: Path | None, path: str
    ) -> Iterator[bytes]:
        # The wrapper must be installed while the body is produced, which is after this
        # middleware has returned; the WSGI server closes the generator even when the client
        # goes away, so the ``with`` always removes it again.
        recorder.streaming = True
        with connection.execute_wrapper(recorder):
            yield from content
        if target is not None:
            capture_write(target, path, recorder, streamed=True)


def capture_write(
    target: Path, path: str, recorder: QueryRecorder, *, streamed: bool = False
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    capture = {
        "path": path,
        "streamed": streamed,
        "queries": len(recorder.statements),
        "db_ms": recorder.total_ms,
        "vendor": connection.vendor,
        "statements": recorder.statements,
    }
    # Write then rename, so a reader never sees half a file.
    partial = target.with_suffix(".json.tmp")
    partial.write_text(json.dumps(capture, indent=1), encoding="utf-8")
    partial.replace(target)
