"""Build the DuckDB warehouse: a pure function of the lake and the registries.

Every build writes a NEW file beside the target (`<warehouse>.building-<pid>`), runs the SQL files of
etl/warehouse/sql/ in order (with keyword trends, computed in Python, before 08_keywords.sql), CHECKPOINTs,
closes and `os.replace`s it onto the target. Hence:
- a `duckdb data/warehouse.duckdb` session left open (read-write, the CLI default) never blocks a build: it
  keeps the old file's inode and sees the new build when it reopens;
- a crash mid-build leaves the previous warehouse whole (the next build deletes the leftover temp file);
- rebuilding after one lake day changed changes only that day's rows (derived rolling columns aside).

The stale-WAL hazard: a CLI session that wrote to the old file leaves `<warehouse>.wal` at the target's path.
DuckDB replays a WAL found beside a database on open, and files in the default (v1.0) storage format replay a
foreign WAL without noticing, e.g. an old session's `DROP TABLE` lands in the new warehouse. So files are
created with storage_compatibility_version v1.5.0, whose WALs carry the database identity (a foreign WAL is
refused, never replayed), and a WAL found at the target's path is moved aside to
`<warehouse>.wal.orphaned-<UTC time>` before the new file takes its place. User tables belong in a separate
attached file (README.md).

Builds are serialised by an OS file lock (`<warehouse>.lock`) as well as the Dagster pool, so two processes
outside Dagster cannot race.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import duckdb

from etl.lake import storage
from etl.lake.atomic import publish
from etl.lake.lock import file_lock
from etl.warehouse import checks, preview, registries, sources
from etl.warehouse.tables import TABLES
from etl.warehouse.version import WAREHOUSE_VERSION as WAREHOUSE_VERSION  # re-exported
from etl.warehouse.version import code_version

SQL_DIR = Path(__file__).resolve().parent / "sql"
# The CLI 1.5.6 reads this format, and its WALs name the database they belong to.
STORAGE_VERSION = "v1.5.0"


def sql_files() -> list[Path]:
    return sorted(SQL_DIR.glob("[0-9][0-9]_*.sql"))


# WAREHOUSE_VERSION lives in etl/warehouse/version.py (bump it there); re-exported here.


@dataclass
class BuildResult:
    path: Path
    code_version: str
    seconds: float
    row_counts: dict[str, int]
    checks: list[checks.CheckOutcome]
    preview_md: str
    lake_files: dict[str, int]
    columns: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)
    orphaned_wal: Path | None = None
    top_primary_topics: dict[str, int] = field(default_factory=dict)  # the latest week's, most first
    largest_events_week: list[dict] = field(default_factory=list)  # the latest week's, most articles first
    # What the events step took from its cache (etl/events/cache.py): articles, articles_sketched, ...
    events_cache: dict = field(default_factory=dict)


def _log(message: str) -> None:
    print(f"[warehouse] {message}", file=sys.stderr, flush=True)


def _remove_leftovers(target: Path) -> None:
    """Temp files of builds that died (we hold the lock, so no live build owns one)."""
    for leftover in target.parent.glob(f"{target.name}.building-*"):
        _log(f"removing leftover of an interrupted build: {leftover}")
        leftover.unlink(missing_ok=True)


# Files run once per batch of consecutive whole days (variables first_day, last_day; at most
# ARTICLES_PER_INSERT articles a batch unless one day holds more) instead of once: an insert's buffers grow
# with its rows. Measured on 20,000 synthetic articles, the build alone: peak RSS 492-506 MB against
# 582-592 MB with one insert of every article (-15%), build time within the noise; at 100,000 articles the
# commits that introduced it measured 1.57 GB with one insert, 0.84 GB with batches.
RUN_PER_DAY_BATCH = {"01_articles.sql"}
ARTICLES_PER_INSERT = 10_000


def _day_batches(con: duckdb.DuckDBPyConnection) -> list[tuple[object, object]]:
    """(first day, last day) of consecutive days holding at most ARTICLES_PER_INSERT articles together."""
    batches: list[tuple[object, object]] = []
    first = last = None
    in_batch = 0
    per_day = con.execute("SELECT pub_date, count(*) FROM lake_articles GROUP BY ALL ORDER BY 1").fetchall()
    for day, n in per_day:
        if first is not None and in_batch + n > ARTICLES_PER_INSERT:
            batches.append((first, last))
            first, in_batch = None, 0
        first = day if first is None else first
        last, in_batch = day, in_batch + n
    if first is not None:
        batches.append((first, last))
    return batches


def _run_sql(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    sql = path.read_text(encoding="utf-8")
    if path.name not in RUN_PER_DAY_BATCH:
        con.execute(sql)
        return
    con.execute("BEGIN")
    for first, last in _day_batches(con) or [(None, None)]:  # no days: one run creates the empty tables
        con.execute("SET VARIABLE first_day = CAST(? AS DATE)", [first])
        con.execute("SET VARIABLE last_day = CAST(? AS DATE)", [last])
        con.execute(sql)
    con.execute("COMMIT")


def _register_keyword_trends(con: duckdb.DuckDBPyConnection, registries_dir: Path) -> None:
    """keyword_trends_input, computed in Python from the `articles` and `coverage` tables."""
    docs, window_end = sources.keyword_docs(con)
    con.register("keyword_trends_input", sources.keyword_trends(docs, window_end, registries_dir))


def events_cache_dir(warehouse_path: str | Path) -> Path:
    """Where the events step keeps its cache: a folder beside the warehouse file, named after it
    (data/warehouse.events-cache for data/warehouse.duckdb), so ETL_WAREHOUSE places both."""
    target = Path(warehouse_path)
    return target.with_name(f"{target.stem}.events-cache")


def events_cache_summary(stats: dict) -> str:
    """'articles sketched: 1,000 of 1,001,000; reprint candidates checked: 120 of 111,932' (and why entries
    were not used, if any were not)."""
    text = (
        f"articles sketched: {stats['articles_sketched']:,} of {stats['articles']:,}; "
        f"reprint candidates checked: {stats['pairs_verified']:,} of {stats['candidate_pairs']:,}"
    )
    return text + ("; " + "; ".join(stats["notes"]) if stats.get("notes") else "")


def _register_events(
    con: duckdb.DuckDBPyConnection,
    registries_dir: Path,
    cache_dir: Path | None = None,
    cache_stats: dict | None = None,
) -> None:
    """reprints_input, events_input, event_articles_input (etl/events), computed from `articles` (through
    the events cache in `cache_dir`, whose use is reported into `cache_stats`), and agency_self_outlets
    (agency -> the outlet whose every story it supplies, from agencies.yaml)."""
    found = sources.detected_events(con, cache_dir)
    if cache_stats is not None:
        cache_stats.update(found.cache_stats)
    if found.cache_stats:
        _log(f"reprints and events: {events_cache_summary(found.cache_stats)} (cache {cache_dir})")
    for name, table in sources.input_tables(found).items():
        con.register(name, table)
    con.register("agency_self_outlets", sources.agency_self_outlets(registries_dir))


Step = Callable[[duckdb.DuckDBPyConnection], None]


def build_steps(
    registries_dir: Path, events_cache: Path | None = None, events_stats: dict | None = None
) -> list[tuple[str, Step]]:
    """(name, step) in the order they run: the SQL files by name, and keyword trends (the one step in Python)
    right before 08_keywords.sql, which stores them; reprints and events right before 09_events.sql."""
    steps: list[tuple[str, Step]] = []
    events = partial(
        _register_events, registries_dir=registries_dir, cache_dir=events_cache, cache_stats=events_stats
    )
    for path in sql_files():
        if path.name == "08_keywords.sql":
            steps.append(("keyword trends", partial(_register_keyword_trends, registries_dir=registries_dir)))
        if path.name == "09_events.sql":
            steps.append(("reprints and events", events))
        steps.append((path.name, partial(_run_sql, path=path)))
    return steps


def _fill(
    con: duckdb.DuckDBPyConnection,
    lake_dir: Path,
    registries_dir: Path,
    steps: dict,
    events_cache: Path | None = None,
    events_stats: dict | None = None,
) -> dict[str, int]:
    started = time.perf_counter()
    lake_files = sources.register_lake(con, lake_dir)
    sources.register_registries(con, registries_dir)
    steps["inputs (lake views, registries)"] = time.perf_counter() - started
    for name, step in build_steps(registries_dir, events_cache, events_stats):
        started = time.perf_counter()
        try:
            step(con)
        except duckdb.Error as exc:
            raise RuntimeError(f"{name}: {exc}") from exc
        steps[name] = time.perf_counter() - started
        _log(f"{name} {steps[name]:.2f}s")
    return lake_files


def _write_build_info(con: duckdb.DuckDBPyConnection, info: dict[str, str]) -> None:
    con.execute("CREATE TABLE build_info (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))


def _publish(tmp: Path, target: Path) -> Path | None:
    """Move a stale WAL aside, then atomically replace the target. Returns where the WAL went, if any."""
    wal = target.with_name(target.name + ".wal")
    orphaned = None
    if wal.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        orphaned = wal.with_name(f"{wal.name}.orphaned-{stamp}")
        os.replace(wal, orphaned)
        _log(
            f"{wal} held changes a session made to the previous warehouse; moved to {orphaned} so they "
            "are never replayed into the new one (keep your own tables in a separate attached file)"
        )
    publish(tmp, target, durable=True)
    return orphaned


def build_warehouse(
    lake_dir: str | Path,
    warehouse_path: str | Path,
    registries_dir: str | Path = registries.REGISTRIES_DIR,
    memory_limit: str | None = None,
    build_info: dict[str, str] | None = None,
    events_cache: bool = True,
) -> BuildResult:
    """memory_limit: DuckDB's, for the build (e.g. "500MB"; None = DuckDB's default of 80% of the RAM).
    build_info: more keys for the file's build_info table (the lake stamp the planner compares).
    events_cache: keep the events step's cache beside the warehouse (events_cache_dir) and use it, so that
    a build after a day of new articles sketches only those (False: detect over every body, keep nothing)."""
    target, registries_dir = Path(warehouse_path), Path(registries_dir)  # lake_dir may be a URI (s3://)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    version = code_version(registries_dir)
    with file_lock(target.with_name(target.name + ".lock")):
        _remove_leftovers(target)
        tmp = target.with_name(f"{target.name}.building-{os.getpid()}")
        steps: dict[str, float] = {}
        events_stats: dict = {}
        cache_dir = events_cache_dir(target) if events_cache else None
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_VERSION})
        con.execute("SET enable_progress_bar = false")  # it would draw into Dagster's captured logs
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        try:
            lake_files = _fill(con, lake_dir, registries_dir, steps, cache_dir, events_stats)
            _write_build_info(
                con,
                {
                    "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "lake_dir": storage.display(lake_dir),
                    "registries_dir": str(registries_dir.resolve()),
                    "code_version": version,
                    "duckdb_version": duckdb.__version__,
                    "storage_version": STORAGE_VERSION,
                    **{f"files.{k}": str(v) for k, v in lake_files.items()},
                    **(build_info or {}),
                },
            )
            row_counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
            columns: dict[str, list[tuple[str, str]]] = {}
            for table, column, dtype in con.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
            ).fetchall():
                columns.setdefault(table, []).append((column, dtype))
            outcomes = checks.run_checks(con)
            preview_md = preview.preview_markdown(con)
            top_primary = preview.top_primary_topics(con)
            largest_events = preview.largest_events_week(con)
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
            raise
        con.close()
        orphaned = _publish(tmp, target)
    seconds = time.perf_counter() - started
    _log(f"built {target} in {seconds:.2f}s: {row_counts.get('articles', 0)} articles")
    return BuildResult(
        target,
        version,
        seconds,
        row_counts,
        outcomes,
        preview_md,
        lake_files,
        columns,
        steps,
        orphaned,
        top_primary,
        largest_events,
        events_stats,
    )
