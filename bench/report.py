"""The benchmark's tables: the terminal summary and bench/results/latest.md for the README."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.stats import bytes_format, number_format, table_markdown, table_text

MAIN_HEADER = (
    "database",
    "size",
    "case",
    "median ms",
    "p95 ms",
    "server ms",
    "queries",
    "DB ms",
    "raw SQL ms",
    "ratio",
    "bytes",
)


def ms_cell(value: float | None) -> str:
    return number_format(value)


def main_rows(runs: list[dict]) -> list[list[str]]:
    rows = []
    for run in runs:
        for size in run["sizes"]:
            for case in [*size["cases"], size["export"]]:
                statuses = case["statuses"]
                name = case["name"]
                if statuses != [200]:
                    name += f" (HTTP {', '.join(map(str, statuses))})"
                queries = case.get("queries") or case.get("queries_before_stream") or []
                query_cell = "/".join(str(count) for count in queries)
                replay = case.get("replay")
                if case is size["export"] and replay:
                    captured = replay.get("captured", replay["statements"])
                    query_cell = f"{captured}*"
                    if replay["statements"] > captured:
                        query_cell = f"{captured}+1†"
                rows.append(
                    [
                        run["database"],
                        f"{size['size']:,}",
                        name,
                        ms_cell(case["median_ms"]),
                        ms_cell(case["p95_ms"]),
                        ms_cell(case.get("server_median_ms")),
                        query_cell,
                        ms_cell(case.get("db_median_ms")),
                        ms_cell(case.get("raw_sql_ms")),
                        number_format(case.get("ratio"), 1) if case.get("ratio") else "–",
                        bytes_format(case["bytes"]),
                    ]
                )
    return rows


EXPORT_HEADER = (
    "database",
    "size",
    "rows",
    "median s",
    "rows/s HTTP",
    "rows/s raw cursor",
    "rows/s COPY",
    "idle RSS",
    "peak RSS",
    "RSS growth",
    "CSV size",
)


def export_rows(runs: list[dict]) -> list[list[str]]:
    rows = []
    for run in runs:
        for size in run["sizes"]:
            export = size["export"]
            rows.append(
                [
                    run["database"],
                    f"{size['size']:,}",
                    f"{export['rows']:,}"
                    + (
                        f" (of {export['pledges']:,})"
                        if export.get("pledges") not in (None, export["rows"])
                        else ""
                    ),
                    number_format(export["median_ms"] / 1000),
                    number_format(round(export["rows_per_s"])),
                    number_format(round(export["raw_rows_per_s"]))
                    if export.get("raw_rows_per_s")
                    else "–",
                    number_format(round(export["copy_rows_per_s"]))
                    if export.get("copy_rows_per_s")
                    else "–",
                    bytes_format(export["idle_rss"]),
                    bytes_format(export["peak_rss"]),
                    bytes_format(export["rss_growth"]),
                    bytes_format(export["bytes"]),
                ]
            )
    return rows


LOADDATA_HEADER = ("database", "fixtures", "objects", "median s", "objects/s")


def loaddata_rows(runs: list[dict]) -> list[list[str]]:
    return [
        [
            run["database"],
            label,
            number_format(result["objects"]),
            number_format(result["median_s"]),
            number_format(round(result["objects_per_s"])) if result["objects_per_s"] else "–",
        ]
        for run in runs
        for label, result in (run.get("loaddata") or {}).items()
    ]


TRANSFER_HEADER = (
    "database",
    "size",
    "/pledges/ HTML",
    "CSS + JS",
    "first load",
    "fragment",
    "uncompressed HTML",
)


def transfer_rows(runs: list[dict]) -> list[list[str]]:
    rows = []
    for run in runs:
        for size in run["sizes"]:
            transfer = size["transfer"]
            page, fragment, assets = transfer["page"], transfer["fragment"], transfer["assets"]
            encodings = sorted({asset["encoding"] for asset in assets.values()})
            rows.append(
                [
                    run["database"],
                    f"{size['size']:,}",
                    f"{bytes_format(page['bytes'])} ({page['encoding']})",
                    f"{bytes_format(sum(asset['bytes'] for asset in assets.values()))}"
                    f" ({', '.join(encodings)})",
                    bytes_format(transfer["first_load_bytes"]),
                    f"{bytes_format(fragment['bytes'])} ({fragment['encoding']})",
                    f"{bytes_format(page['uncompressed_bytes'])} page,"
                    f" {bytes_format(fragment['uncompressed_bytes'])} fragment",
                ]
            )
    return rows


TARGETS_HEADER = (
    "htmx fragment",
    "largest: server ms",
    "raw SQL ms",
    "ratio (≤ 2)",
    "smallest: server ms",
    "largest / smallest (≤ 3)",
    "queries (≤ 5, equal)",
)

TARGET_MAX_RATIO = 2.0
TARGET_MAX_GROWTH = 3.0
TARGET_MAX_QUERIES = 5
TARGET_MIN_COPY_SHARE = 0.5
TARGET_MAX_RSS_GROWTH = 50 * 2**20
TARGET_MAX_FIRST_LOAD = 100 * 1000


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def server_ms(case: dict) -> float:
    """A case's median time inside Django; the client's wall time in results recorded
    before the server reported its own."""
    return case.get("server_median_ms", case["median_ms"])


def smallest_and_largest(run: dict) -> tuple[dict, dict]:
    """The runs of the smallest and the largest corpus size of one database."""
    sizes = sorted(run["sizes"], key=lambda size: size["size"])
    return sizes[0], sizes[-1]


def target_rows(run: dict) -> list[list[str]]:
    """The fragment targets of one database: its largest size against its smallest."""
    small, large = smallest_and_largest(run)
    by_mix = {case.get("mix"): case for case in small["cases"] if case["htmx"]}
    rows = []
    for case in (case for case in large["cases"] if case["htmx"]):
        before = by_mix.get(case.get("mix"))
        ratio = case.get("ratio")
        spent = server_ms(case)
        growth = spent / server_ms(before) if before is not None else None
        queries = sorted({*case["queries"], *(before["queries"] if before else [])})
        rows.append(
            [
                case["name"].removeprefix("/pledges/ ").removesuffix(" (htmx)"),
                ms_cell(spent),
                ms_cell(case.get("raw_sql_ms")),
                f"{number_format(ratio, 1)} {mark(ratio <= TARGET_MAX_RATIO)}" if ratio else "–",
                ms_cell(server_ms(before)) if before else "–",
                f"{number_format(growth, 1)} {mark(growth <= TARGET_MAX_GROWTH)}"
                if growth
                else "–",
                "/".join(map(str, queries))
                + f" {mark(len(queries) == 1 and queries[0] <= TARGET_MAX_QUERIES)}",
            ]
        )
    return rows


def target_lines(run: dict) -> list[str]:
    """The export and transfer targets of one database, as sentences with their figures."""
    small, large = smallest_and_largest(run)
    export = large["export"]
    lines = []
    if export.get("copy_rows_per_s"):
        share = export["rows_per_s"] / export["copy_rows_per_s"]
        lines.append(
            f"- CSV export at {large['size']:,}: {number_format(round(export['rows_per_s']))}"
            f" rows/s, {number_format(share, 2)} of COPY's"
            f" {number_format(round(export['copy_rows_per_s']))}"
            f" (≥ {TARGET_MIN_COPY_SHARE}) {mark(share >= TARGET_MIN_COPY_SHARE)}"
        )
    peak_growth = export["peak_rss"] - small["export"]["peak_rss"]
    lines.append(
        f"- Export peak RSS: {bytes_format(small['export']['peak_rss'])} at"
        f" {small['size']:,}, {bytes_format(export['peak_rss'])} at {large['size']:,}"
        f" (growth < 50 MB) {mark(peak_growth < TARGET_MAX_RSS_GROWTH)}"
    )
    transfer = large["transfer"]
    first = transfer["first_load_bytes"]
    lines.append(
        f"- First load of /pledges/: {bytes_format(first)} (< 100 kB)"
        f" {mark(first < TARGET_MAX_FIRST_LOAD)}; a fragment"
        f" {bytes_format(transfer['fragment']['bytes'])}"
    )
    return lines


def targets_markdown(runs: list[dict]) -> list[str]:
    """The issue's targets, read off this run, for every database measured at two sizes."""
    lines = []
    for run in runs:
        if len(run["sizes"]) < 2:
            continue
        small, large = smallest_and_largest(run)
        lines += [
            f"## Targets, {run['database']}: {large['size']:,} against {small['size']:,} pledges",
            "",
            table_markdown(TARGETS_HEADER, target_rows(run)),
            "",
            *target_lines(run),
            "",
        ]
    return lines


NOTES = """\
- median and p95 ms are client wall times over HTTP to gunicorn on 127.0.0.1, DEBUG off,
  {repeat} timed requests after {warmup} warm-up requests; p95 by linear interpolation.
  Gunicorn: {gunicorn}.
- server ms: the median time of the same requests inside Django (X-Bench-Server-ms: every
  middleware, the view, the templates, compression), without gunicorn's and the client's
  HTTP work.
- queries: SQL statements per request (X-Bench-Queries); DB ms: their total time inside the
  server (X-Bench-DB-ms, execute only: rows fetched later are not in it).
- raw SQL ms: the same statements with the same parameters replayed on a raw DB-API cursor,
  every row fetched (median), right after the page's own requests; ratio = server ms / raw
  SQL ms.
- Export: every row, streamed, uncompressed; `*`: the statements of the whole stream (its
  headers can only count those before the first byte); `+1†`: a statement sent past Django's
  cursor (PostgreSQL's COPY), which the capture cannot see: its raw baseline is the query the
  view builds for the same filters. RSS: gunicorn worker resident memory, sampled every 20 ms;
  growth: peak over the worker's RSS just before the export.
- Pages are requested with `Accept-Encoding: gzip, deflate, br, zstd`, as Chrome and Firefox
  ask for them; bytes are bytes on the wire.
  First load: the HTML of /pledges/ with the CSS and JS it references.
"""


def report_markdown(runs: list[dict], machine: dict, config: dict) -> str:
    ram = machine["ram_bytes"] / 2**30
    lines = [
        "# Benchmark results",
        "",
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit "
        f"`{(machine['git_commit'] or '?')[:12]}`"
        + (" (with local changes)" if machine["git_dirty"] else "")
        + "."
        f" {machine['cpu_count']} × {machine['cpu_model'] or 'CPU'}, {ram:.0f} GiB RAM,"
        f" Python {machine['python']}, SQLite {machine['sqlite']}"
        + (f", PostgreSQL {machine['postgresql']}" if machine["postgresql"] else "")
        + ".",
        "",
        table_markdown(MAIN_HEADER, main_rows(runs)),
        "",
        *targets_markdown(runs),
        "## CSV export",
        "",
        table_markdown(EXPORT_HEADER, export_rows(runs)),
        "",
        "## loaddata",
        "",
        table_markdown(LOADDATA_HEADER, loaddata_rows(runs)),
        "",
        "## Transfer, first load of /pledges/",
        "",
        table_markdown(TRANSFER_HEADER, transfer_rows(runs)),
        "",
        NOTES.format(
            gunicorn=machine["gunicorn"], repeat=config["repeat"], warmup=config["warmup"]
        ),
    ]
    return "\n".join(lines)


def report_text(runs: list[dict]) -> str:
    return "\n\n".join(
        [
            table_text(MAIN_HEADER, main_rows(runs)),
            *(
                table_text(TARGETS_HEADER, target_rows(run)) + "\n" + "\n".join(target_lines(run))
                for run in runs
                if len(run["sizes"]) > 1
            ),
            table_text(EXPORT_HEADER, export_rows(runs)),
            table_text(LOADDATA_HEADER, loaddata_rows(runs)),
            table_text(TRANSFER_HEADER, transfer_rows(runs)),
        ]
    )
