"""Run the whole audit: raw folder -> manifest -> lake -> warehouse, each layer against the one before."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from etl.audit import lake, manifest, raw, warehouse
from etl.audit.report import MANIFEST, RUN_ETL, AuditReport, Finding
from etl.lake import schema, storage
from etl.settings import Settings


def audit(
    raw_dir: str | Path,
    lake_dir: storage.Location,
    warehouse_path: str | Path | None,
    partition_start: date,
    *,
    verify_hashes: bool = False,
    reject_rate_warn: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditReport:
    """Reconcile every layer; `warehouse_path=None` stops at the lake. A reject rate above `reject_rate_warn`
    (default ETL_REJECT_RATE_WARN) is a warning."""
    say = progress or (lambda _msg: None)
    report = AuditReport(str(raw_dir), str(lake_dir), None if warehouse_path is None else str(warehouse_path))
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The raw folder's stat walk runs beside the lake and warehouse questions (DuckDB queries, which
        # release the GIL): on two cores they overlap. Findings are still added layer by layer, in order.
        say(f"scanning {raw_dir}")
        scan = pool.submit(_timed, raw.files_on_disk, raw_dir)
        rows = _manifest(lake_dir, report)
        later = _Layers()
        try:
            _lake_and_warehouse(lake_dir, warehouse_path, rows, later, say)
        finally:
            disk, scan_seconds = scan.result()
    clock = time.perf_counter()
    report.add(*raw.raw_findings(disk, rows, raw_dir, verify_hashes, say))
    report.counts["raw folder"] = {"files": disk.height}
    report.seconds["raw"] = round(scan_seconds + time.perf_counter() - clock, 3)

    clock = time.perf_counter()
    warn_above = Settings.from_env().reject_rate_warn if reject_rate_warn is None else reject_rate_warn
    report.add(*manifest.manifest_findings(rows, disk.height, partition_start, warn_above))
    report.per_outlet = manifest.per_outlet(rows)
    report.counts["manifest"] = manifest.manifest_counts(rows)
    report.seconds["manifest"] = round(time.perf_counter() - clock, 3)

    report.add(*later.findings)
    report.counts.update(later.counts)
    report.seconds.update(later.seconds)
    report.partitions, report.built_from = later.partitions, later.built_from
    return report


@dataclass
class _Layers:
    """What the lake and warehouse layers found, kept until the raw and manifest findings are in."""

    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    partitions: list[dict] = field(default_factory=list)
    built_from: dict[str, str] = field(default_factory=dict)


def _timed(fn, *args):
    began = time.perf_counter()
    return fn(*args), time.perf_counter() - began


def _lake_and_warehouse(
    lake_dir: storage.Location,
    warehouse_path: str | Path | None,
    rows: pl.DataFrame,
    out: _Layers,
    say: Callable[[str], None],
) -> None:
    say("reconciling the lake with the manifest")
    clock = time.perf_counter()
    con, unopened = warehouse.connect(warehouse_path)
    try:
        files, unreadable = lake.register(con, lake_dir, rows)
        found, out.partitions = lake.lake_findings(con, lake_dir, rows, unreadable)
        out.findings += found
        out.counts["lake"] = lake.lake_counts(con, files)
        out.seconds["lake"] = round(time.perf_counter() - clock, 3)
        if warehouse_path is None:
            return
        if unopened is not None:
            out.findings.append(unopened)
            return
        clock = time.perf_counter()
        say(f"reconciling the warehouse {warehouse_path} with the lake")
        out.built_from = warehouse.build_info(con)
        out.findings += warehouse.warehouse_findings(con, lake_dir)
        out.counts["warehouse"] = warehouse.warehouse_counts(con)
        out.seconds["warehouse"] = round(time.perf_counter() - clock, 3)
    finally:
        con.close()


# The manifest columns the audit reads: not url, title and mtime, half of the manifest's memory (100,154
# synthetic articles: 23 of 45 MB, and the audit's peak RSS 0.05 GB lower).
AUDITED_COLUMNS = [c for c in schema.MANIFEST.names if c not in ("url", "title", "mtime")]


def _manifest(lake_dir: storage.Location, report: AuditReport) -> pl.DataFrame:
    """The manifest's rows; an absent or unreadable manifest is a finding and audits as empty."""
    location = storage.join(lake_dir, "manifest", "manifest.parquet")
    problem = None
    if not storage.exists(location):
        problem = f"no manifest at {location}"
    else:
        try:
            return storage.read_polars(location, AUDITED_COLUMNS)
        except Exception as exc:  # pyarrow, polars and fsspec each raise their own types
            problem = f"cannot read the manifest {location}: {exc}"
    fix = RUN_ETL if problem.startswith("no manifest") else f"delete {location}, then {RUN_ETL}"
    report.add(Finding(MANIFEST, "manifest_readable", False, problem, 1, fix=fix))
    return pl.from_arrow(schema.MANIFEST.empty_table()).select(AUDITED_COLUMNS)
