"""Replay the SQL a request ran (as captured by bench/middleware.py) on a raw cursor.

The baseline for "how much does Django add": the same statements, with the same parameters,
through the DB-API connection Django opened (so SQLite has Django's SQL functions registered
and psycopg its adapters), with every row fetched, and nothing else: no ORM, no templates.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

FETCH_SIZE = 2000  # the export's iterator(chunk_size=2000): fetch the way the view does

# Django's SQLite cursor turns "format" placeholders into qmarks below the execute wrappers,
# so captures hold "%s"; this is its conversion (django/db/backends/sqlite3/base.py).
FORMAT_QMARK = re.compile(r"(?<!%)%s")


class Unreplayable(ValueError):
    """A parameter the capture could only describe (an adapter object), not reproduce."""


def param_decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind, data = value["type"], value["value"]
    if kind == "decimal":
        return decimal.Decimal(data)
    if kind == "datetime":
        return datetime.datetime.fromisoformat(data)
    if kind == "date":
        return datetime.date.fromisoformat(data)
    if kind == "time":
        return datetime.time.fromisoformat(data)
    if kind == "timedelta":
        return datetime.timedelta(seconds=data)
    if kind == "uuid":
        return uuid.UUID(data)
    if kind == "bytes":
        return base64.b64decode(data)
    if kind == "list":
        return [param_decode(item) for item in data]
    raise Unreplayable(f"cannot rebuild parameter {data}")


def params_decode(params: Any) -> Any:
    if params is None:
        return None
    if isinstance(params, dict) and params.get("type") == "mapping":
        return {key: param_decode(value) for key, value in params["value"].items()}
    return tuple(param_decode(value) for value in params)


def sql_for_vendor(vendor: str, sql: str, params: Any) -> str:
    if vendor == "sqlite" and params is not None and not isinstance(params, dict):
        return FORMAT_QMARK.sub("?", sql).replace("%%", "%")
    return sql


def _server_side_cursor(raw_connection: Any, name: str) -> Any:
    # Django's own named-cursor class (client-side binding inside DECLARE), held over commits
    # in autocommit mode exactly as Django opens it for QuerySet.iterator().
    from django.db.backends.postgresql.base import ServerSideCursor

    # django-stubs describe the class without psycopg's constructor it inherits.
    return ServerSideCursor(  # type: ignore[call-arg]
        raw_connection, name=name, scrollable=False, withhold=raw_connection.autocommit
    )


def statement_run(raw_connection: Any, vendor: str, statement: dict, number: int) -> int:
    """Run one captured statement and fetch all its rows; the number of rows."""
    if statement.get("many"):
        raise Unreplayable("executemany is not replayed")
    params = params_decode(statement["params"])
    sql = sql_for_vendor(vendor, statement["sql"], params)
    if statement.get("server_side") and vendor == "postgresql":
        cursor = _server_side_cursor(raw_connection, f"bench_replay_{number}")
    else:
        cursor = raw_connection.cursor()
    try:
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, params)
        rows = 0
        if cursor.description is not None:
            while chunk := cursor.fetchmany(FETCH_SIZE):
                rows += len(chunk)
        return rows
    finally:
        cursor.close()


def replayable(statements: Iterable[dict]) -> tuple[list[dict], list[str]]:
    """The statements that can be replayed, and why the others cannot."""
    keep, skipped = [], []
    for statement in statements:
        try:
            if statement.get("many"):
                raise Unreplayable("executemany is not replayed")
            params_decode(statement["params"])
        except Unreplayable as reason:
            skipped.append(f"{reason}: {statement['sql'][:80]}")
            continue
        keep.append(statement)
    return keep, skipped


def statements_replay(raw_connection: Any, vendor: str, statements: list[dict]) -> dict:
    """Run the statements in order once; wall time in ms and rows fetched."""
    start = time.perf_counter()
    rows = sum(
        statement_run(raw_connection, vendor, statement, number)
        for number, statement in enumerate(statements)
    )
    return {"ms": (time.perf_counter() - start) * 1000, "rows": rows}


def copy_csv(raw_connection: Any, statement: dict) -> dict:
    """PostgreSQL writes the statement's rows as CSV itself: the floor for any CSV export."""
    params = params_decode(statement["params"])
    start = time.perf_counter()
    with raw_connection.cursor() as cursor:
        # COPY takes no bind parameters; Django's psycopg cursor binds on the client, so
        # mogrify gives the same literal statement the server would run.
        query = cursor.mogrify(statement["sql"], params) if params else statement["sql"]
        size = 0
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV HEADER") as copy:
            for block in copy:
                size += len(block)
        rows = cursor.rowcount
    return {"ms": (time.perf_counter() - start) * 1000, "rows": rows, "bytes": size}
