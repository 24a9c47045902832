"""Lake vs warehouse: the warehouse's base tables hold exactly the lake's rows (multiset difference both ways
on the identifying columns), its own reconciliation checks still pass, and build_info names the lake it was
built from. The warehouse is read from a private copy opened read-only (so an open `duckdb` session neither
blocks the audit nor is blocked by it); the lake views live in that connection's temp schema.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from etl.audit.lake import LAKE_COPIES, MANIFEST_VIEW, offending
from etl.audit.report import WAREHOUSE, Finding, finding
from etl.lake import storage
from etl.warehouse import checks

# warehouse table -> (what it is built from, the audit's copy of that, columns that must agree row for row)
COMPARED = {
    "articles": ("lake/articles", "audit_articles", LAKE_COPIES["audit_articles"][1]),
    "article_versions": ("lake/article_versions", "audit_versions", LAKE_COPIES["audit_versions"][1]),
    "raw_files": (
        "the manifest",
        MANIFEST_VIEW,
        ["path", "file_hash", "status", "reason", "pub_date", "is_latest"],
    ),
}
REBUILD_WAREHOUSE = "rebuild the warehouse: `etl run` (or materialize the warehouse group in the Dagster UI)"


def _open_private_copy(path: Path) -> duckdb.DuckDBPyConnection:
    """A user's `duckdb` session holding the file read-write blocks even a read-only open, and our open would
    block the user's: read a private copy (builds replace the file atomically, so a copy is one whole build),
    unlinked as soon as it is open."""
    with tempfile.TemporaryDirectory(prefix="audit-warehouse-") as tmp:
        copy = Path(tmp) / path.name
        with path.open("rb") as src, copy.open("wb") as dst:  # one open fd: a concurrent swap can't tear it
            shutil.copyfileobj(src, dst, 1 << 20)
        return duckdb.connect(str(copy), read_only=True)


def connect(warehouse_path: str | Path | None) -> tuple[duckdb.DuckDBPyConnection, Finding | None]:
    """A read-only connection to the warehouse (in-memory when there is none or it cannot be opened), and the
    finding saying why it could not be, if so."""
    con, finding = _connect(warehouse_path)
    con.execute("SET enable_progress_bar = false")
    # The audit reads each lake file once (into its two copies): DuckDB's cache of the files' bytes would only
    # hold them (100,154 synthetic articles: 31 MB) until the audit ends.
    con.execute("SET enable_external_file_cache = false")
    return con, finding


def _connect(warehouse_path: str | Path | None) -> tuple[duckdb.DuckDBPyConnection, Finding | None]:
    if warehouse_path is None:
        return duckdb.connect(), None
    if not Path(warehouse_path).exists():
        return duckdb.connect(), Finding(
            WAREHOUSE,
            "warehouse_exists",
            False,
            f"no warehouse at {warehouse_path}",
            1,
            fix="run `etl run` to build it, or audit with --skip-warehouse",
        )
    try:
        con = _open_private_copy(Path(warehouse_path))
    except duckdb.Error as exc:
        return duckdb.connect(), Finding(
            WAREHOUSE,
            "warehouse_readable",
            False,
            f"cannot open {warehouse_path}: {exc}",
            1,
            fix=REBUILD_WAREHOUSE,
        )
    return con, None


def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM main.build_info").fetchall())
    except duckdb.CatalogException:
        return {}


def warehouse_findings(con: duckdb.DuckDBPyConnection, lake_dir: storage.Location) -> list[Finding]:
    info = build_info(con)
    here = storage.display(lake_dir)
    same = info.get("lake_dir") == here
    # A warning: the rows are compared below, and a moved project folder changes the path but not the data.
    findings = [
        Finding(
            WAREHOUSE,
            "built_from_this_lake",
            same,
            f"build_info: built from {info.get('lake_dir', '(no build_info table)')}"
            + ("" if same else f", not from the audited lake {here}"),
            0 if same else 1,
            fix="" if same else REBUILD_WAREHOUSE,
            severity="warning",
        )
    ]
    for table, (source, lake_rel, cols) in COMPARED.items():
        findings.append(_compare(con, table, source, lake_rel, cols))
    findings.append(_own_checks(con))
    return findings


def _compare(
    con: duckdb.DuckDBPyConnection, table: str, source: str, lake_rel: str, cols: list[str]
) -> Finding:
    keys = ", ".join(cols)
    try:
        (n_wh,) = con.execute(f"SELECT count(*) FROM main.{table}").fetchone()
    except duckdb.CatalogException:
        return Finding(
            WAREHOUSE,
            f"{table}_match_lake",
            False,
            f"the warehouse has no {table} table",
            1,
            fix=REBUILD_WAREHOUSE,
        )
    (n_lake,) = con.execute(f"SELECT count(*) FROM {lake_rel}").fetchone()
    sql = f"""
        SELECT 'only in lake' AS side, *
        FROM (SELECT {keys} FROM {lake_rel} EXCEPT ALL SELECT {keys} FROM main.{table})
        UNION ALL
        SELECT 'only in warehouse', *
        FROM (SELECT {keys} FROM main.{table} EXCEPT ALL SELECT {keys} FROM {lake_rel})
        ORDER BY 2, 1"""
    count, sample = offending(con, sql)
    f = finding(
        WAREHOUSE,
        f"{table}_match_lake",
        count,
        f"warehouse {table} = {source}: {n_wh:,} rows, the same ({keys})",
        f"warehouse {table} has {n_wh:,} rows, {source} {n_lake:,}: {{n}} row(s) differ on ({keys})",
        REBUILD_WAREHOUSE,
    )
    f.sample = sample
    return f


def _own_checks(con: duckdb.DuckDBPyConnection) -> Finding:
    """The build's reconciliation checks (etl/warehouse/checks.py), re-run on the file as it is now."""
    try:
        outcomes = checks.run_checks(con)
    except duckdb.Error as exc:
        return Finding(
            WAREHOUSE,
            "warehouse_checks",
            False,
            f"warehouse checks could not run: {exc}",
            1,
            fix=REBUILD_WAREHOUSE,
        )
    failed = [f"{o.name}: {o.detail}" for o in outcomes if not o.passed]
    return finding(
        WAREHOUSE,
        "warehouse_checks",
        failed,
        f"the warehouse's {len(outcomes)} reconciliation checks pass (aggregates sum back to articles)",
        "{n} warehouse reconciliation check(s) fail",
        REBUILD_WAREHOUSE,
    )


def warehouse_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    try:
        articles, days = con.execute(
            "SELECT count(*), count(DISTINCT pub_date) FROM main.articles"
        ).fetchone()
        versions, duplicates = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT is_latest) FROM main.article_versions"
        ).fetchone()
        files, rejected = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'rejected') FROM main.raw_files"
        ).fetchone()
    except duckdb.CatalogException:
        return {}
    return {
        "files": files,
        "ok_captures": versions,
        "articles": articles,
        "duplicates": duplicates,
        "rejected": rejected,
        "partitions": days,
    }
