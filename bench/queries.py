"""Query benchmark at scale: the cookbook's questions through the DuckDB CLI, warehouse against lake Parquet.

    .venv/bin/python bench/queries.py [--articles 1000000] [--base 100000] [--workdir DIR] [--full-path]
    .venv/bin/python bench/queries.py --lake LAKE_DIR [--warehouse FILE]     # an existing lake

Getting the lake (kept in --workdir and reused by later runs; `--fresh` starts over):
- fast path (default): `etl synth --articles BASE` and `etl run --skip-warehouse` (the real pipeline, through
  Dagster) make a BASE-article lake over one year; it is then GROWN to --articles by copying its partition
  files with article_ids suffixed `~k`, urls and source paths marked, and every date shifted back k*365 days
  (copy k covers the k-th year before) and the new article_id appended to every title (synthetic titles repeat
  far more than real ones). Texts, topics and agencies repeat, so the output labels the lake as grown.
- `--full-path`: `etl synth --articles N` and `etl run --skip-warehouse` for all N (about 10+ minutes per
  million files on a quiet 2-core machine, several times that while others share it).
The warehouse is then built from the lake (etl.warehouse.build.build_warehouse, timed by step).

Each question is asked as a user types it, with the cookbook macros (etl/warehouse/sql/90_macros.sql):
- through `.venv/bin/duckdb -readonly WAREHOUSE` with `.timer on`: the first run in a fresh CLI process
  (cold: the file just opened) and --repeats warm runs; the CLI's own "Run Time (s): real" is the query time;
- the whole process, `duckdb -readonly WAREHOUSE -c "<query>"` start to exit, timed from here (--repeats
  runs);
- the baseline: the same question asked straight of the lake with read_parquet (no warehouse) through the same
  CLI, timed the same way, in the same run. Target: every warehouse query under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.warehouse.build import build_warehouse  # noqa: E402

CLI = ROOT / ".venv" / "bin" / "duckdb"
ETL = ROOT / ".venv" / "bin" / "etl"
TARGET_MS = 300
LAKE_INFO = "bench-lake.json"  # how a lake under --workdir was made, printed with the figures
RUN_TIME = re.compile(r"^Run Time \(s\): real (\d+\.\d+)", re.M)
DAY_US = 86_400 * 1_000_000
YEAR_DAYS = 365


@dataclass(frozen=True)
class Question:
    name: str
    warehouse_sql: str
    lake_sql: str  # {lake} = the lake folder


def questions(topic: str, outlet: str, term: str) -> list[Question]:
    articles = "read_parquet('{lake}/articles/*/*.parquet', hive_partitioning = true)"
    return [
        Question(
            f"topic timeline of one topic ({topic})",
            f"FROM topic_timeline_for('{topic}');",
            f"SELECT pub_date, count(*) AS articles FROM {articles} "
            f"WHERE list_contains(topics, '{topic}') GROUP BY pub_date ORDER BY pub_date;",
        ),
        Question(
            f"agency shares of one outlet by month ({outlet})",
            f"FROM agency_share('{outlet}');",
            f"WITH a AS (SELECT date_trunc('month', pub_date)::DATE AS month, agencies_credited "
            f"FROM {articles} WHERE outlet = '{outlet}'), "
            "m AS (SELECT month, count(*) AS outlet_articles FROM a GROUP BY month), "
            "c AS (SELECT month, agency, count(*) AS articles "
            "FROM (SELECT month, unnest(list_distinct(agencies_credited)) AS agency FROM a) GROUP BY ALL) "
            "SELECT month, agency, articles, outlet_articles, round(articles / outlet_articles, 3) AS share "
            "FROM c JOIN m USING (month) ORDER BY month, articles DESC, agency;",
        ),
        Question(
            "agency shares, every outlet by month",
            "SELECT month, outlet, agency, articles, round(share, 3) AS share FROM agency_share_monthly "
            "ORDER BY month, outlet, articles DESC;",
            f"WITH a AS (SELECT date_trunc('month', pub_date)::DATE AS month, outlet, agencies_credited "
            f"FROM {articles}), "
            "m AS (SELECT month, outlet, count(*) AS outlet_articles FROM a GROUP BY ALL), "
            "c AS (SELECT month, outlet, agency, count(*) AS articles "
            "FROM (SELECT month, outlet, unnest(list_distinct(agencies_credited)) AS agency FROM a) "
            "GROUP BY ALL) "
            "SELECT month, outlet, agency, articles, round(articles / outlet_articles, 3) AS share "
            "FROM c JOIN m USING (month, outlet) ORDER BY month, outlet, articles DESC;",
        ),
        Question(
            f"title search ({term})",
            f"SELECT pub_date, outlet, title FROM search_titles('{term}') LIMIT 20;",
            f"SELECT pub_date, outlet, title FROM {articles} WHERE contains(lower(title), lower('{term}')) "
            "ORDER BY published_at DESC, article_id LIMIT 20;",
        ),
    ]


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def etl(args: list[str], env: dict[str, str]) -> None:
    say(f"etl {' '.join(args)}")
    subprocess.run([str(ETL), *args], env={**os.environ, **env}, check=True)


def pipeline_lake(workdir: Path, articles: int, days: int) -> Path:
    """Raw files from `etl synth`, then the lake through `etl run --skip-warehouse` (Dagster)."""
    run_dir = workdir / f"pipeline-{articles}"
    dagster_home = run_dir / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", dagster_home / "dagster.yaml")
    env = {
        "ETL_RAW_DIR": str(run_dir / "raw"),
        "ETL_LAKE_DIR": str(run_dir / "lake"),
        "ETL_WAREHOUSE": str(run_dir / "unused.duckdb"),
        "DAGSTER_HOME": str(dagster_home),
        "ETL_PARTITION_START": "2000-01-01",
    }
    lake, done = run_dir / "lake", run_dir / "lake-complete"
    if done.exists():
        say(f"reusing the pipeline lake {lake}")
        return lake
    started = time.perf_counter()
    if not (run_dir / "raw").exists():
        etl(["synth", "--articles", str(articles), "--days", str(days), "--start", "2023-01-01"], env)
    etl(["run", "--skip-warehouse", "--no-sample"], env)
    say(f"pipeline lake of {articles:,} articles ready in {time.perf_counter() - started:.0f} s")
    done.touch()
    return lake


def _shift(table: pa.Table, k: int) -> pa.Table:
    """Copy k of a partition: ids/urls/paths marked with k, every date and time k*365 days earlier, and the
    new article_id appended to titles: synthetic titles repeat (a few thousand distinct per 100k articles),
    which would let DuckDB's string dictionaries answer a title search unrealistically fast."""
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if name == "title" and "article_id" in table.column_names:
            ids = pc.binary_join_element_wise(table["article_id"], pa.scalar(f"~{k}"), "")
            column = pc.binary_join_element_wise(column, pa.scalar(" ["), ids, pa.scalar("]"), "")
        elif name in ("article_id", "url", "source_path"):
            column = pc.binary_join_element_wise(column, pa.scalar(f"~{k}"), "")
        elif name == "path":
            column = pc.binary_join_element_wise(pa.scalar(f"grown-{k}/"), column, "")
        elif pa.types.is_timestamp(kind):
            column = pc.subtract(column, pa.scalar(k * YEAR_DAYS * DAY_US, pa.duration("us")))
        elif pa.types.is_date32(kind):
            column = pc.subtract(column.cast(pa.int32()), pa.scalar(k * YEAR_DAYS, pa.int32()))
            column = column.cast(pa.date32())
        columns[name] = column
    return pa.table(columns, schema=table.schema)


def grow_lake(base: Path, out: Path, copies: int) -> None:
    """`copies` date-shifted copies of the base lake (copy 0 on the base's dates), partition by partition."""
    for table in ("articles", "article_versions"):
        files = sorted((base / table).glob("pub_date=*/part-0.parquet"))
        for i, path in enumerate(files):
            data = pq.read_table(path, partitioning=None)
            day = path.parent.name.removeprefix("pub_date=")
            for k in range(copies):
                shifted = _shift(data, k)
                new_day = date.fromisoformat(day) - timedelta(days=k * YEAR_DAYS)
                target = out / table / f"pub_date={new_day}" / "part-0.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(shifted, target)
            if i % 50 == 0:
                say(f"growing {table}: {i}/{len(files)} partitions x {copies}")
    manifest = pq.read_table(base / "manifest" / "manifest.parquet")
    grown = pa.concat_tables([_shift(manifest, k) for k in range(copies)])
    (out / "manifest").mkdir(parents=True, exist_ok=True)
    pq.write_table(grown, out / "manifest" / "manifest.parquet")


def lake_articles(lake: Path) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (lake / "articles").glob("pub_date=*/*.parquet"))


def prepare_lake(args: argparse.Namespace) -> tuple[Path, str]:
    if args.lake:
        lake = Path(args.lake)
        info = lake / LAKE_INFO
        label = json.loads(info.read_text())["label"] if info.exists() else "given lake"
        return lake, label
    workdir = Path(args.workdir)
    kind = "full" if args.full_path else f"grown-from-{args.base}-unique-titles"
    lake = workdir / f"lake-{args.articles}-{kind}"
    if args.fresh and lake.exists():
        shutil.rmtree(lake)
    if not (lake / LAKE_INFO).exists():
        if args.full_path:
            made = pipeline_lake(workdir, args.articles, days=max(45, math.ceil(args.articles / 275)))
            lake.parent.mkdir(parents=True, exist_ok=True)
            if lake.exists():
                shutil.rmtree(lake)
            made.rename(lake)
            label = f"{lake_articles(lake):,} articles, all through the real pipeline (etl synth + etl run)"
        else:
            base = pipeline_lake(workdir, args.base, days=YEAR_DAYS)
            copies = max(1, math.ceil(args.articles / lake_articles(base)))
            started = time.perf_counter()
            grow_lake(base, lake, copies)
            say(f"grew the lake to {copies} copies in {time.perf_counter() - started:.0f} s")
            label = (
                f"{lake_articles(lake):,} articles = GROWN: {copies} date-shifted copies (365 days "
                f"apart, ids suffixed, titles made unique) of a {lake_articles(base):,}-article lake "
                "from the real pipeline"
            )
        (lake / LAKE_INFO).write_text(json.dumps({"label": label}), encoding="utf-8")
    return lake, json.loads((lake / LAKE_INFO).read_text())["label"]


def cli_timer_runs(database: str, sql: str, runs: int) -> list[float]:
    """Query seconds as the CLI's `.timer on` reports them, `runs` runs in one new process (first: cold)."""
    script = ".timer on\n" + (sql.rstrip() + "\n") * runs
    done = subprocess.run(
        [str(CLI), "-readonly", database] if database else [str(CLI)],
        input=script,
        capture_output=True,
        text=True,
        timeout=600,
    )
    times = [float(t) for t in RUN_TIME.findall(done.stdout)]
    if done.returncode != 0 or "Error" in done.stderr or len(times) != runs:
        raise RuntimeError(f"query failed: {done.stderr.strip()[:500]}\n{sql}")
    return times


def process_runs(database: str, sql: str, runs: int) -> list[float]:
    """Seconds from starting `duckdb [-readonly DB] -c <sql>` to its exit."""
    command = [str(CLI), "-readonly", database, "-c", sql] if database else [str(CLI), "-c", sql]
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, timeout=600)
        seconds.append(time.perf_counter() - started)
    return seconds


@dataclass
class Timing:
    cold_ms: float
    warm_ms: float  # median of the warm runs
    process_ms: float  # median

    @classmethod
    def measure(cls, database: str, sql: str, repeats: int) -> Timing:
        query = cli_timer_runs(database, sql, repeats + 1)
        process = process_runs(database, sql, repeats)
        return cls(query[0] * 1000, statistics.median(query[1:]) * 1000, statistics.median(process) * 1000)


def pick_arguments(warehouse: Path) -> tuple[str, str, str]:
    """The busiest topic, the outlet crediting agencies most, and a frequent 2-character title word."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        topic = con.execute(
            "SELECT topic FROM topic_lifecycle ORDER BY total_articles DESC LIMIT 1"
        ).fetchone()
        outlet = con.execute(
            "SELECT outlet FROM agency_counts_daily WHERE role = 'credited' "
            "GROUP BY outlet ORDER BY sum(articles) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return (topic[0] if topic else "covid"), (outlet[0] if outlet else "dw"), "北约"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles in the lake (default 1M)")
    parser.add_argument(
        "--base",
        type=int,
        default=100_000,
        help="fast path: articles through the real pipeline before growing",
    )
    parser.add_argument("--full-path", action="store_true", help="all --articles through the real pipeline")
    parser.add_argument(
        "--workdir", default="/tmp/news-warehouse-bench", help="where lakes and warehouses go"
    )
    parser.add_argument("--lake", help="use this lake instead of making one")
    parser.add_argument("--warehouse", help="use (or build) this warehouse file")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the warehouse even if it exists")
    parser.add_argument("--fresh", action="store_true", help="remake the lake")
    parser.add_argument("--repeats", type=int, default=5, help="warm runs and whole-process runs per query")
    args = parser.parse_args(argv)
    if not CLI.exists():
        print(f"bench: no DuckDB CLI at {CLI} (pip install duckdb-cli)", file=sys.stderr)
        return 2

    lake, label = prepare_lake(args)
    warehouse = Path(args.warehouse) if args.warehouse else lake.parent / f"{lake.name}.duckdb"
    build_note = "existing file (pass --rebuild to time a build)"
    if args.rebuild or not warehouse.exists():
        result = build_warehouse(lake, warehouse)
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.step_seconds.items())
        build_note = f"built in {result.seconds:.1f} s ({steps})"
    topic, outlet, term = pick_arguments(warehouse)

    print(f"lake: {lake}\n  {label}")
    print(f"warehouse: {warehouse} ({warehouse.stat().st_size / 1e6:.0f} MB), {build_note}")
    print(f"CLI: {CLI}; query ms = the CLI's .timer 'real'; process ms = `duckdb -c` start to exit")
    print(f"{args.repeats} warm runs and {args.repeats} process runs each; medians shown\n")
    head = f"{'question':<44} {'':<10} {'cold ms':>8} {'warm ms':>8} {'process ms':>10}"
    print(head + f" {'warm speedup':>12}")
    verdicts = []
    for question in questions(topic, outlet, term):
        ours = Timing.measure(str(warehouse), question.warehouse_sql, args.repeats)
        base = Timing.measure("", question.lake_sql.format(lake=lake), args.repeats)
        speedup = base.warm_ms / max(ours.warm_ms, 1.0)
        for who, t in (("warehouse", ours), ("lake", base)):
            name = question.name if who == "warehouse" else ""
            tail = f" {speedup:11.0f}x" if who == "warehouse" else ""
            print(f"{name:<44} {who:<10} {t.cold_ms:8.0f} {t.warm_ms:8.0f} {t.process_ms:10.0f}{tail}")
        verdicts.append((question.name, max(ours.cold_ms, ours.warm_ms)))
    print("\nwarehouse queries (the CLI's query time, cold and warm) against the 300 ms target:")
    for name, ms in verdicts:
        print(f"  {name:<44} {'meets' if ms < TARGET_MS else 'MISSES'} ({ms:.0f} ms at worst)")
    print("\nwarehouse SQL as typed:")
    for question in questions(topic, outlet, term):
        print(f"  {question.warehouse_sql}")
    return 0 if all(ms < TARGET_MS for _, ms in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
