"""The inputs of the SQL files, prepared on a build connection and never stored in the warehouse.

- `lake_articles`, `lake_article_versions`, `lake_manifest`: views over the lake's Parquet files (typed empty
  tables when the lake has none yet, so a first build still creates every table).
- `registry_outlets`, `registry_agencies`, `registry_topics`: the registries as Arrow tables.
- `keyword_trends_input`: rising terms computed in Python (etl/warehouse/keywords.py) from the `articles`
  and `coverage` tables, registered right before 08_keywords.sql runs (etl/warehouse/build.py).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from etl.events.cache import EventsCache
from etl.events.detect import Detected, detect_source
from etl.events.source import BODY_BATCH_ROWS
from etl.lake import storage
from etl.lake.schema import ARTICLE_VERSIONS, ARTICLES, MANIFEST
from etl.lake.storage import Location
from etl.warehouse import keywords, registries

LAKE_TABLES = {
    "lake_articles": ("articles", ARTICLES),
    "lake_article_versions": ("article_versions", ARTICLE_VERSIONS),
}


# The lake is hive-partitioned: pub_date comes from the folder names (the files do not hold it), typed here
# rather than left to DuckDB's guess.
HIVE_OPTIONS = "hive_partitioning = true, hive_types = {'pub_date': DATE}"


def partition_files(lake_dir: Location, table: str) -> list[str]:
    """The partition files of one lake table (local paths or URIs); temp files and folders being removed
    start with a dot and are left out."""
    return storage.parquet_files(storage.join(lake_dir, table), "pub_date=*")


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def register_lake(con: duckdb.DuckDBPyConnection, lake_dir: Location) -> dict[str, int]:
    """Create the lake_* views; returns the number of files behind each.

    A lake on an object store is first copied to a local temp folder that lives as long as `con`: the build's
    SQL scans the lake views many times, and each scan of remote files costs round trips per file (a 45-day
    sample made ~19,000 requests, against one GET per file for the copy). No DuckDB extension is needed."""
    if storage.is_remote(lake_dir):
        copy = Path(tempfile.mkdtemp(prefix="etl-lake-"))
        weakref.finalize(con, shutil.rmtree, copy, True)
        storage.download_tree(lake_dir, copy)
        lake_dir = copy
    files = {}
    for view, (table, schema) in LAKE_TABLES.items():
        paths = partition_files(lake_dir, table)
        files[view] = len(paths)
        if paths:
            listed = _sql_list([*paths, _schema_file(con, schema)])
            con.execute(
                f"CREATE TEMP VIEW {view} AS SELECT * FROM read_parquet({listed}, "
                f"{HIVE_OPTIONS}, union_by_name = true)"
            )
        else:
            con.register(f"{view}_empty", schema.empty_table())
            con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM {view}_empty")
    manifest = storage.join(lake_dir, "manifest", "manifest.parquet")
    present = storage.exists(manifest)
    files["lake_manifest"] = int(present)
    if present:
        con.execute(f"CREATE TEMP VIEW lake_manifest AS SELECT * FROM read_parquet({_sql_list([manifest])})")
    else:
        con.register("lake_manifest_empty", MANIFEST.empty_table())
        con.execute("CREATE TEMP VIEW lake_manifest AS SELECT * FROM lake_manifest_empty")
    return files


def _schema_file(con: duckdb.DuckDBPyConnection, schema: pa.Schema) -> str:
    """An empty Parquet file of the current lake schema, read with the lake's files (lives as long as `con`).

    With union_by_name it gives the view every column and struct field of the schema even when every partition
    was written by older code: a warehouse built before the lake rebuild a schema change starts (new columns
    such as primary_topic, or new topic_hits fields, are then NULL) instead of failing on a missing column."""
    folder = Path(tempfile.mkdtemp(prefix="etl-lake-schema-"))
    weakref.finalize(con, shutil.rmtree, folder, True)
    # A hive path like the lake's, holding no rows; pub_date comes from the folder name, as for the lake.
    path = folder / "pub_date=1970-01-01" / "part-0.parquet"
    path.parent.mkdir()
    # A writer closed with no rows, not write_table(schema.empty_table()): empty_table imports pandas (0.2 s).
    pq.ParquetWriter(path, schema.remove(schema.get_field_index("pub_date"))).close()
    return str(path)


def register_registries(con: duckdb.DuckDBPyConnection, registries_dir: Path) -> None:
    for table in registries.DIMENSIONS:
        con.register(f"registry_{table}", registries.dimension_table(table, registries_dir))


def keyword_docs(con: duckdb.DuckDBPyConnection) -> tuple[list[keywords.Doc], date | None]:
    """Titles and lead paragraphs (first line of the body, up to 300 characters) of `articles`, and the end of
    the recent window (coverage.edge_day): what keyword_trends reads, once `articles` and `coverage` exist."""
    edge = con.execute("SELECT edge_day FROM coverage").fetchone()
    rows = con.execute(
        "SELECT pub_date, outlet, coalesce(title, ''), "
        "left(split_part(coalesce(body_text, ''), chr(10), 1), 300) FROM articles"
    ).fetchall()
    docs = [keywords.Doc(pub_date=r[0], outlet=r[1], title=r[2], lead=r[3]) for r in rows]
    return docs, edge[0] if edge else None


def keyword_trends(docs: list[keywords.Doc], window_end: date | None, registries_dir: Path) -> pa.Table:
    """-> the `keyword_trends_input` table (pure Python, no connection)."""
    terms = registries.taxonomy_terms(registries_dir)
    stopwords = keywords.Stopwords.load(registries_dir / "stopwords.yaml")
    return keywords.keyword_trends(docs, terms, window_end=window_end, stopwords=stopwords)


# Of each body, what reprint and event detection read: the first 500 folded characters (reprints, with margin)
# and the 300-character lead (events). Fetching whole bodies would hold the archive's text in memory.
EVENT_BODY_CHARS = 800


class WarehouseArticles:
    """The `articles` table as detection's ArticleSource (etl/events/source.py): the short columns at once,
    the bodies (their first EVENT_BODY_CHARS characters) streamed a batch at a time, and the few bodies that
    reprint checks need fetched by row. Rows are the table's scan order (insertion order, which DuckDB keeps):
    no query sorts the bodies, which would hold them all in DuckDB's memory."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.rowids = np.zeros(0, dtype=np.int64)

    def meta(self) -> pl.DataFrame:
        frame = self.con.execute(
            "SELECT rowid AS row_id, article_id, outlet, title, "
            "timezone('UTC', published_at) AS published_at, script, coalesce(digest, false) AS digest, "
            "primary_topic FROM articles"
        ).pl()
        self.rowids = frame["row_id"].to_numpy().astype(np.int64)
        return frame.drop("row_id").with_columns(
            pl.col("published_at").dt.cast_time_unit("us").dt.replace_time_zone("UTC")
        )

    def body_chunks(self, rows: int) -> Iterator[tuple[int, pa.Array]]:
        reader = self.con.execute(
            "SELECT rowid, left(body_text, ?) FROM articles", [EVENT_BODY_CHARS]
        ).to_arrow_reader(rows)
        start = 0
        for batch in reader:
            rowids = batch.column(0).to_numpy()
            if not np.array_equal(rowids, self.rowids[start : start + len(rowids)]):
                raise RuntimeError(
                    "articles scanned in another order than their rows: detection cannot go on"
                )
            yield start, batch.column(1)
            start += len(rowids)

    def bodies(self, rows: np.ndarray) -> Iterator[tuple[np.ndarray, pa.Array]]:
        """One query for all of them (a query scans the table, whatever few rows it returns: fourteen of
        10,000 rows each took 2.9 CPU-s against 0.7 for one, the 132,044 bodies of a million synthetic
        articles' reprint candidates), its result streamed BODY_BATCH_ROWS at a time as Arrow, in DuckDB's
        order: no Python string per body, and never all the bodies at once (they took the parent from 1.15
        to 1.41 GB)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        wanted = self.rowids[rows]
        by_rowid = np.argsort(wanted, kind="stable")
        reader = self.con.execute(
            "SELECT rowid, left(body_text, ?) FROM articles WHERE rowid IN (SELECT unnest(?))",
            [EVENT_BODY_CHARS, wanted],
        ).to_arrow_reader(BODY_BATCH_ROWS)
        handed = 0
        for batch in reader:
            got = batch.column(0).to_numpy()
            at = by_rowid[np.minimum(np.searchsorted(wanted, got, sorter=by_rowid), len(wanted) - 1)]
            if not np.array_equal(wanted[at], got):
                raise RuntimeError("a body not asked for came from `articles`")
            handed += len(got)
            yield rows[at], batch.column(1)
        if handed != len(rows):
            raise RuntimeError("a body asked for is missing from `articles`")

    def body_array(self, rows: np.ndarray) -> pa.Array:
        """The bodies of these rows as one Arrow array, in the order given (those a cached pass sketches)."""
        wanted = self.rowids[np.asarray(rows, dtype=np.int64)]
        found = self.con.execute(
            "SELECT rowid, left(body_text, ?) FROM articles WHERE rowid IN (SELECT unnest(?))",
            [EVENT_BODY_CHARS, wanted],
        ).arrow()
        if isinstance(found, pa.RecordBatchReader):
            found = found.read_all()
        got = found.column(0).to_numpy()
        by_rowid = np.argsort(got, kind="stable")
        at = by_rowid[np.searchsorted(got, wanted, sorter=by_rowid)] if len(got) else np.zeros(0, np.int64)
        if len(wanted) and not np.array_equal(got[at], wanted):
            raise RuntimeError("a body asked for is missing from `articles`")
        return found.column(1).take(pa.array(at)).combine_chunks()

    def body_digests(self) -> np.ndarray:
        """DuckDB's 64-bit hash of each body as the step reads it (its first EVENT_BODY_CHARS characters), in
        row order. The scan decompresses every body (1M synthetic articles: ~4 CPU-s, the hash +0.3; MD5
        would add ~5); only the hashes reach Python."""
        found = self.con.execute(
            "SELECT rowid, hash(left(body_text, ?)) FROM articles", [EVENT_BODY_CHARS]
        ).arrow()
        if isinstance(found, pa.RecordBatchReader):
            found = found.read_all()
        got = found.column(0).to_numpy()
        by_rowid = np.argsort(got, kind="stable")
        at = by_rowid[np.minimum(np.searchsorted(got, self.rowids, sorter=by_rowid), max(len(got) - 1, 0))]
        if len(got) != len(self.rowids) or not np.array_equal(got[at], self.rowids):
            raise RuntimeError("articles changed while the events step read them")
        return found.column(1).to_numpy().astype(np.uint64)[at]


# DuckDB's memory limit while the events step streams the bodies: every page of `articles` it reads would
# otherwise stay cached up to the build's limit (80% of the RAM by default), all of it counted in the
# process's RSS. The step's own queries need far less: 64 MB holds (the short columns of a million articles
# are handed over as Arrow, outside the limit); at 300,000 synthetic articles the step's peak RSS was
# 1.06 GB against 1.26 GB with 256 MB.
EVENTS_MEMORY_LIMIT = "64MB"


def detected_events(con: duckdb.DuckDBPyConnection, cache_dir: Path | None = None) -> Detected:
    """Reprints and events of `articles`; with `cache_dir`, through the events cache kept there
    (etl/events/cache.py: only new or changed articles are sketched, only unseen candidate pairs checked)."""
    previous = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute("SET memory_limit = ?", [EVENTS_MEMORY_LIMIT])
    try:
        cache = EventsCache(cache_dir) if cache_dir is not None else None
        return detect_source(WarehouseArticles(con), cache=cache)
    finally:
        con.execute("SET memory_limit = ?", [previous])


def input_tables(found: Detected) -> dict[str, pa.Table]:
    """The inputs of 09_events.sql (reprints, events, event_articles)."""
    return {
        "reprints_input": found.reprints.to_arrow(),
        "events_input": found.events.to_arrow(),
        "event_articles_input": found.event_articles.to_arrow(),
    }


def event_tables(con: duckdb.DuckDBPyConnection, cache_dir: Path | None = None) -> dict[str, pa.Table]:
    """The inputs of 09_events.sql (reprints, events, event_articles), detected from `articles`."""
    return input_tables(detected_events(con, cache_dir))


def agency_self_outlets(registries_dir: Path) -> pa.Table:
    """(agency, outlet) for agencies that are an outlet's only supplier (`self_outlet` in agencies.yaml)."""
    entries = registries.load_entries(registries_dir / "agencies.yaml", "agencies")
    pairs = [(code, str(e["self_outlet"])) for code, e in entries.items() if e.get("self_outlet")]
    return pa.table(
        {"agency": [a for a, _ in pairs], "outlet": [o for _, o in pairs]},
        schema=pa.schema([("agency", pa.string()), ("outlet", pa.string())]),
    )
