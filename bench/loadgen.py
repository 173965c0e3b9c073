"""A bounded HTTP load generator: N connections, each sending GETs back to back for D seconds.

A compact asyncio client on the standard library, not a load-testing package: the generator
shares two cores with the server it measures, so it must cost next to nothing per request,
and none of the candidates fits without a cost. locust brings gevent, ZeroMQ and Flask, and
models users with think times rather than a fixed connection count; wrk, hey and oha are
binaries outside the Python toolchain; httpx and aiohttp are clients, not generators, and
parse far more than a load test needs. This one speaks just enough HTTP/1.1 (keep-alive,
Content-Length, chunked, close-delimited bodies), reads every body to its last byte without
decoding it, and keeps its connection open as a browser does when the server allows it.

An outcome is an error when the status is not 2xx, the response does not arrive complete within
the timeout, or the connection fails. One exception: a request on a kept-alive connection that
the server closed while it was idle is sent again on a new connection, as browsers do; only a
fresh connection's failure counts.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bench.stats import percentile

READ_SIZE = 1 << 16


@dataclass(frozen=True)
class Target:
    """One request of the mix; ``endpoint`` is the line of the report it counts towards."""

    endpoint: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    path: str
    ms: float
    status: int | None
    bytes: int
    error: str | None  # None for a complete 2xx response
    finished: float = 0.0  # seconds from the start of the run to the response's last byte


class ResponseError(Exception):
    """The server answered something that is not a complete HTTP/1.1 response."""


class StaleConnection(Exception):
    """A kept-alive connection was closed by the server before it sent a byte."""


class Connection:
    """One keep-alive HTTP/1.1 connection, opened on first use and again after a close."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: Target) -> tuple[int, int]:
        """The status and the body's size in bytes."""
        try:
            return await self._exchange(target, reused=self.writer is not None)
        except StaleConnection:
            self.close()
            return await self._exchange(target, reused=False)

    async def _exchange(self, target: Target, *, reused: bool) -> tuple[int, int]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.reader, self.writer
        lines = [f"GET {target.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in target.headers]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        try:
            await writer.drain()
            status_line = await reader.readline()
        except ConnectionError:
            if reused:
                raise StaleConnection from None
            raise
        if not status_line:
            if reused:
                raise StaleConnection
            raise ResponseError("connection closed before a response")
        status, headers, keep_alive = await self._head(reader, status_line)
        size, until_close = (
            (0, False) if status in (204, 304) else await self._body(reader, headers)
        )
        if until_close or not keep_alive:
            self.close()
        return status, size

    async def _head(
        self, reader: asyncio.StreamReader, status_line: bytes
    ) -> tuple[int, dict[str, str], bool]:
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
            raise ResponseError(f"not an HTTP status line: {status_line[:80]!r}")
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n"):
            if not line:
                raise ResponseError("connection closed inside the headers")
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        keep_alive = parts[0] == b"HTTP/1.1" and headers.get("connection", "").lower() != "close"
        return int(parts[1]), headers, keep_alive

    async def _body(
        self, reader: asyncio.StreamReader, headers: dict[str, str]
    ) -> tuple[int, bool]:
        """The body's size, and whether it was delimited by the server closing the connection."""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            size = 0
            while True:
                line = await reader.readline()
                if not line.endswith(b"\n"):
                    raise ResponseError("connection closed inside a chunked body")
                length = int(line.split(b";")[0], 16)
                if length == 0:
                    while (trailer := await reader.readline()) not in (b"\r\n", b"\n"):
                        if not trailer:
                            raise ResponseError("connection closed inside the trailers")
                    return size, False
                await reader.readexactly(length + 2)  # the chunk and its CRLF
                size += length
        if "content-length" in headers:
            remaining = length = int(headers["content-length"])
            while remaining:
                remaining -= len(await reader.readexactly(min(remaining, READ_SIZE)))
            return length, False
        size = 0
        while chunk := await reader.read(READ_SIZE):
            size += len(chunk)
        return size, True

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _request(
    connection: Connection, target: Target, timeout: float, origin: float = 0.0
) -> Outcome:
    start = time.perf_counter()
    status, size, error = None, 0, None
    try:
        status, size = await asyncio.wait_for(connection.get(target), timeout)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except TimeoutError:
        connection.close()  # the rest of the response may still arrive: never reuse it
        error = f"timeout after {timeout:g} s"
    except (OSError, EOFError, ValueError, ResponseError) as failure:
        connection.close()
        error = f"{type(failure).__name__}: {failure}".rstrip(": ")
    end = time.perf_counter()
    ms = (end - start) * 1000
    return Outcome(target.endpoint, target.path, ms, status, size, error, end - origin)


async def load_run(
    host: str,
    port: int,
    targets: Sequence[Target],
    *,
    connections: int,
    duration: float,
    timeout: float,
) -> tuple[list[Outcome], float]:
    """Every outcome, and the seconds from the first request to the last response.

    The connections take the targets in turn from one shared cycle, so the mix holds whatever
    the number of connections. No request starts after ``duration``; those under way finish.
    """
    schedule = itertools.cycle(targets)
    outcomes: list[Outcome] = []
    start = time.perf_counter()
    deadline = start + duration

    async def worker() -> None:
        connection = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                outcomes.append(await _request(connection, next(schedule), timeout, start))
        finally:
            connection.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return outcomes, time.perf_counter() - start


async def load_once(host: str, port: int, targets: Iterable[Target], timeout: float) -> list:
    """Each distinct target once, in turn, on one connection: the warm-up."""
    connection = Connection(host, port)
    try:
        return [await _request(connection, target, timeout) for target in dict.fromkeys(targets)]
    finally:
        connection.close()


def load_summary(outcomes: Sequence[Outcome], duration: float, seconds: float) -> dict:
    """Requests, errors, requests per second and p50 / p99 latency, per endpoint and overall.

    Latencies and errors are of every request, including those still under way when the
    ``duration`` ended (which took ``seconds`` in all); a timeout is part of what users waited
    for. Requests per second are the successful responses completed within the duration.
    """
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.endpoint, []).append(outcome)
    rows = {name: _stats(group, duration) for name, group in groups.items()}
    rows["overall"] = _stats(outcomes, duration)
    errors: dict[str, dict] = {}
    for outcome in outcomes:
        if outcome.error:
            seen = errors.setdefault(
                f"{outcome.endpoint}: {outcome.error}", {"count": 0, "path": outcome.path}
            )
            seen["count"] += 1
    return {"duration": duration, "seconds": seconds, "endpoints": rows, "errors": errors}


def _stats(outcomes: Sequence[Outcome], duration: float) -> dict:
    times = [outcome.ms for outcome in outcomes]
    failed = sum(1 for outcome in outcomes if outcome.error)
    within = sum(1 for outcome in outcomes if not outcome.error and outcome.finished <= duration)
    return {
        "requests": len(outcomes),
        "errors": failed,
        "rps": within / duration if duration else 0.0,
        "p50_ms": percentile(times, 0.50) if times else None,
        "p99_ms": percentile(times, 0.99) if times else None,
        "bytes": sum(outcome.bytes for outcome in outcomes),
    }
