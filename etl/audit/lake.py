"""Manifest vs lake: every ok capture once in article_versions, every article once in articles, nothing in the
lake that the manifest does not explain, per-partition counts equal, footers current.

The lake is read through etl.warehouse.sources.register_lake (the views the warehouse build reads, whatever
storage the lake is on); the manifest is registered beside them, and each question is one DuckDB set query.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl

from etl.audit.report import LAKE, RUN_ETL, SAMPLE, Finding, days_finding, finding
from etl.lake import build, checks, storage
from etl.lake.fingerprint import lake_code_version
from etl.lake.storage import Location
from etl.warehouse import sources

MANIFEST_VIEW = "audit_manifest"
MANIFEST_COLUMNS = ["path", "file_hash", "status", "reason", "article_id", "pub_date", "is_latest"]
# audit table -> (lake view of etl.warehouse.sources, the columns the audit compares)
LAKE_COPIES = {
    "audit_articles": (
        "lake_articles",
        ["article_id", "pub_date", "source_path", "content_hash", "captures"],
    ),
    "audit_versions": (
        "lake_article_versions",
        ["article_id", "source_path", "pub_date", "content_hash", "is_latest"],
    ),
}
_COPY_OF = {view: copy for copy, (view, _) in LAKE_COPIES.items()}
REBUILD = (
    "rebuild those partitions: materialize lake/articles for the listed days in the Dagster UI, or delete "
    "their pub_date= folders under the lake's articles/ and article_versions/ and run `etl run`"
)


def register(
    con: duckdb.DuckDBPyConnection, lake_dir: Location, manifest: pl.DataFrame
) -> tuple[dict[str, int], list[str]]:
    """The lake_* views and the manifest on `con` -> (number of files behind each lake view, lake files that
    cannot be read, left out of the views)."""
    unreadable: list[str] = []
    try:
        files = sources.register_lake(con, lake_dir)
        _copy_lake(con)
    except duckdb.Error:  # a truncated or foreign file: find it, and audit the rest
        if storage.is_remote(lake_dir):  # read the object store in place through its fsspec filesystem
            fs, _ = storage.resolve(lake_dir)
            name = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
            if name not in con.list_filesystems():
                con.register_filesystem(fs)
        unreadable = _unreadable_files(con, lake_dir)
        files = _register_readable(con, lake_dir, set(unreadable))
        _copy_lake(con)
    con.register("audit_manifest_arrow", manifest.select(MANIFEST_COLUMNS).to_arrow())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {MANIFEST_VIEW} AS FROM audit_manifest_arrow")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW audit_ok AS "
        f"SELECT path, article_id, pub_date, is_latest FROM {MANIFEST_VIEW} WHERE status = 'ok'"
    )
    return files, unreadable


def _copy_lake(con: duckdb.DuckDBPyConnection) -> None:
    """Read the lake's Parquet files once: every question below is a query over these two tables."""
    for table, (view, columns) in LAKE_COPIES.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(columns)} FROM {view}")


def _unreadable_files(con: duckdb.DuckDBPyConnection, lake_dir: Location) -> list[str]:
    bad = []
    for view, (table, _) in sources.LAKE_TABLES.items():
        columns = ", ".join(LAKE_COPIES[_COPY_OF[view]][1])
        for path in sources.partition_files(lake_dir, table):
            try:
                con.execute(
                    f"SELECT {columns} FROM read_parquet(?, {sources.HIVE_OPTIONS})", [str(path)]
                ).fetchall()
            except duckdb.Error:
                bad.append(str(path))
    return bad


def _register_readable(con: duckdb.DuckDBPyConnection, lake_dir: Location, bad: set[str]) -> dict[str, int]:
    """The lake_* views of etl.warehouse.sources.register_lake over the readable files only."""
    files = {}
    for view, (table, schema) in sources.LAKE_TABLES.items():
        paths = [str(p) for p in sources.partition_files(lake_dir, table) if str(p) not in bad]
        files[view] = len(paths)
        if paths:
            listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM read_parquet([{listed}], "
                f"{sources.HIVE_OPTIONS}, union_by_name = true)"
            )
        else:
            con.register(f"{view}_readable", schema.empty_table())
            con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM {view}_readable")
    return files


def offending(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, list[str]]:
    """(row count, first SAMPLE rows joined into strings) of a query listing offending rows."""
    rows = con.execute(f"SELECT *, count(*) OVER () FROM ({sql}) LIMIT {SAMPLE}").fetchall()
    count = rows[0][-1] if rows else 0
    return count, ["  ".join("-" if v is None else str(v) for v in row[:-1]) for row in rows]


# name -> (query listing offending rows, text when none, text when some, fix)
QUERIES = {
    "captures_missing_from_lake": (
        """SELECT o.pub_date, o.path FROM audit_ok AS o
           ANTI JOIN audit_versions AS v ON v.source_path = o.path ORDER BY 1, 2""",
        "every ok capture is in lake/article_versions",
        "{n} ok capture(s) missing from lake/article_versions",
        REBUILD,
    ),
    "lake_rows_without_ok_capture": (
        f"""SELECT v.pub_date, v.source_path,
                   coalesce('rejected: ' || m.reason, 'not in the manifest') AS why
            FROM audit_versions AS v LEFT JOIN {MANIFEST_VIEW} AS m ON m.path = v.source_path
            WHERE m.status IS DISTINCT FROM 'ok' ORDER BY 1, 2""",
        "every lake/article_versions row comes from an ok manifest row",
        "{n} lake/article_versions row(s) whose source file is not an ok manifest row",
        RUN_ETL + "; if it persists, " + REBUILD,
    ),
    "captures_once": (
        """SELECT source_path, count(*) AS times, string_agg(DISTINCT pub_date::VARCHAR, ', ') AS partitions
           FROM audit_versions
           WHERE source_path IN (SELECT source_path FROM audit_versions GROUP BY 1 HAVING count(*) > 1)
           GROUP BY source_path ORDER BY 1""",
        "every capture appears once in lake/article_versions",
        "{n} capture(s) in lake/article_versions more than once",
        REBUILD,
    ),
    "captures_match_manifest": (
        """SELECT v.pub_date, v.source_path, o.pub_date AS manifest_pub_date,
                  v.article_id <> o.article_id AS other_article, v.is_latest <> o.is_latest AS other_latest
           FROM audit_versions AS v JOIN audit_ok AS o ON o.path = v.source_path
           WHERE v.article_id IS DISTINCT FROM o.article_id OR v.pub_date IS DISTINCT FROM o.pub_date
              OR v.is_latest IS DISTINCT FROM o.is_latest
           ORDER BY 1, 2""",
        "each capture's article, partition and latest flag agree with the manifest",
        "{n} capture(s) whose article, partition or latest flag differs from the manifest",
        REBUILD,
    ),
    "articles_once": (
        """SELECT article_id, count(*) AS rows,
                  string_agg(pub_date::VARCHAR, ', ' ORDER BY pub_date) AS partitions
           FROM audit_articles
           WHERE article_id IN (SELECT article_id FROM audit_articles GROUP BY 1 HAVING count(*) > 1)
           GROUP BY article_id ORDER BY 1""",
        "every article appears once in lake/articles",
        "{n} article(s) in lake/articles more than once (duplicated, or in two partitions)",
        REBUILD,
    ),
    "articles_missing_from_lake": (
        """SELECT o.pub_date, o.article_id, o.path FROM audit_ok AS o
           ANTI JOIN audit_articles AS a ON a.article_id = o.article_id
           WHERE o.is_latest ORDER BY 1, 2""",
        "every article of the manifest is in lake/articles",
        "{n} article(s) of the manifest missing from lake/articles",
        REBUILD,
    ),
    "lake_articles_without_ok_capture": (
        """SELECT a.pub_date, a.article_id, a.source_path FROM audit_articles AS a
           ANTI JOIN audit_ok AS o ON o.article_id = a.article_id ORDER BY 1, 2""",
        "every lake/articles row is an article of the manifest",
        "{n} lake/articles row(s) with no ok capture in the manifest",
        RUN_ETL + "; if it persists, " + REBUILD,
    ),
    "articles_match_manifest": (
        """WITH m AS (
               SELECT article_id, any_value(pub_date) AS pub_date, count(*) AS captures,
                      any_value(path) FILTER (WHERE is_latest) AS latest_path
               FROM audit_ok GROUP BY article_id)
           SELECT a.pub_date, a.article_id, m.pub_date AS manifest_pub_date, a.captures,
                  m.captures AS manifest_captures, a.source_path, m.latest_path
           FROM audit_articles AS a JOIN m USING (article_id)
           WHERE a.pub_date IS DISTINCT FROM m.pub_date OR a.captures IS DISTINCT FROM m.captures
              OR a.source_path IS DISTINCT FROM m.latest_path
           ORDER BY 1, 2""",
        "each article's partition, capture count and latest capture agree with the manifest",
        "{n} article(s) whose partition, capture count or latest capture differs from the manifest",
        REBUILD,
    ),
}

PARTITION_COUNTS = """
WITH m AS (SELECT pub_date, count(*) AS ok_files, count(*) FILTER (WHERE is_latest) AS articles
           FROM audit_ok GROUP BY pub_date),
     v AS (SELECT pub_date, count(*) AS lake_versions FROM audit_versions GROUP BY pub_date),
     a AS (SELECT pub_date, count(*) AS lake_articles FROM audit_articles GROUP BY pub_date)
SELECT strftime(pub_date, '%Y-%m-%d') AS pub_date, coalesce(ok_files, 0) AS ok_files,
       coalesce(lake_versions, 0) AS lake_versions, coalesce(articles, 0) AS articles,
       coalesce(lake_articles, 0) AS lake_articles
FROM m FULL JOIN v USING (pub_date) FULL JOIN a USING (pub_date)
WHERE coalesce(ok_files, 0) <> coalesce(lake_versions, 0)
   OR coalesce(articles, 0) <> coalesce(lake_articles, 0)
ORDER BY pub_date
"""


def lake_findings(
    con: duckdb.DuckDBPyConnection, lake_dir: Location, manifest: pl.DataFrame, unreadable: list[str]
) -> tuple[list[Finding], list[dict]]:
    """-> (findings, partitions whose counts disagree)."""
    findings = [
        finding(
            LAKE,
            "lake_files_readable",
            unreadable,
            "every lake Parquet file can be read",
            "{n} lake file(s) cannot be read (truncated or not Parquet); their rows count as missing",
            "delete the listed files' pub_date= folders (articles/ and article_versions/) and run `etl run`",
        )
    ]
    for name, (sql, ok_text, bad_text, fix) in QUERIES.items():
        count, sample = offending(con, sql)
        findings.append(finding(LAKE, name, count, ok_text, bad_text, fix))
        findings[-1].sample = sample
    cursor = con.execute(PARTITION_COUNTS)
    names = [d[0] for d in cursor.description]
    partitions = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    findings.append(
        days_finding(
            LAKE,
            "partition_counts_agree",
            [p["pub_date"] for p in partitions],
            "per partition: ok files = article_versions rows, articles = lake/articles rows",
            "{n} partition(s) whose row counts differ from the manifest",
            REBUILD,
        )
    )
    findings += _guarded("partitions_current", lambda: _footer_findings(lake_dir, manifest))
    findings += _guarded("pub_date_inside_partition", lambda: [_inside_finding(lake_dir)])
    return findings, partitions


def _guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """Checks reused from etl.lake read every partition file themselves: an unreadable file (reported by
    lake_files_readable) must not stop the audit, whatever pyarrow, polars or fsspec raise for it."""
    try:
        return run()
    except Exception as exc:
        return [Finding(LAKE, check, False, f"{check} could not run: {exc}", 1, fix=REBUILD)]


def _inside_finding(lake_dir: Location) -> Finding:
    inside = checks.pub_dates_inside_partitions(lake_dir)
    outside = inside.metadata.get("outside", {})
    return Finding(
        LAKE,
        "pub_date_inside_partition",
        inside.passed,
        inside.description,
        sum(outside.values()),
        [f"{k}: {v:,} rows" for k, v in list(outside.items())[:SAMPLE]],
        "" if inside.passed else REBUILD,
    )


def _footer_findings(lake_dir: Location, manifest: pl.DataFrame) -> list[Finding]:
    """Partitions whose footer digest is not the manifest's file set (an error), or that older parser or
    registry code built (a warning: the rows are accounted for, their content is out of date)."""
    stale = build.stale_partitions(manifest, lake_dir)
    old_code = sorted(set(build.stale_partitions(manifest, lake_dir, lake_code_version())) - set(stale))
    return [
        days_finding(
            LAKE,
            "partitions_current",
            sorted(stale),
            "every partition's footer digest matches the manifest's file set",
            "{n} partition(s) stale: built from another file set than the manifest lists",
            RUN_ETL,
        ),
        days_finding(
            LAKE,
            "partitions_current_code",
            old_code,
            "every partition was built by the current parser and registries",
            "{n} partition(s) built by older parser or registry code",
            RUN_ETL,
            severity="warning",
        ),
    ]


def lake_counts(con: duckdb.DuckDBPyConnection, files: dict[str, int]) -> dict[str, int]:
    versions, duplicates = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT is_latest) FROM audit_versions"
    ).fetchone()
    articles, days = con.execute("SELECT count(*), count(DISTINCT pub_date) FROM audit_articles").fetchone()
    return {
        "parquet_files": files.get("lake_articles", 0) + files.get("lake_article_versions", 0),
        "ok_captures": versions,
        "articles": articles,
        "duplicates": duplicates,
        "partitions": days,
    }
