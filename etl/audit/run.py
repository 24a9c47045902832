"""Run the whole audit: raw folder -> manifest -> lake -> warehouse, each layer against the one before."""

from __future__ import annotations

import time
from collections.abc import Callable
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
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = round(now - clock, 3)
        clock = now

    say(f"scanning {raw_dir}")
    disk = raw.files_on_disk(raw_dir)
    rows = _manifest(lake_dir, report)
    report.add(*raw.raw_findings(disk, rows, raw_dir, verify_hashes, say))
    report.counts["raw folder"] = {"files": disk.height}
    lap("raw")

    warn_above = Settings.from_env().reject_rate_warn if reject_rate_warn is None else reject_rate_warn
    report.add(*manifest.manifest_findings(rows, disk.height, partition_start, warn_above))
    report.per_outlet = manifest.per_outlet(rows)
    report.counts["manifest"] = manifest.manifest_counts(rows)
    lap("manifest")

    say("reconciling the lake with the manifest")
    con, unopened = warehouse.connect(warehouse_path)
    try:
        files, unreadable = lake.register(con, lake_dir, rows)
        found, report.partitions = lake.lake_findings(con, lake_dir, rows, unreadable)
        report.add(*found)
        report.counts["lake"] = lake.lake_counts(con, files)
        lap("lake")
        if warehouse_path is None:
            return report
        if unopened is not None:
            report.add(unopened)
            return report
        say(f"reconciling the warehouse {warehouse_path} with the lake")
        report.built_from = warehouse.build_info(con)
        report.add(*warehouse.warehouse_findings(con, lake_dir))
        report.counts["warehouse"] = warehouse.warehouse_counts(con)
        lap("warehouse")
    finally:
        con.close()
    return report


def _manifest(lake_dir: storage.Location, report: AuditReport) -> pl.DataFrame:
    """The manifest's rows; an absent or unreadable manifest is a finding and audits as empty."""
    location = storage.join(lake_dir, "manifest", "manifest.parquet")
    problem = None
    if not storage.exists(location):
        problem = f"no manifest at {location}"
    else:
        try:
            return storage.read_polars(location)
        except Exception as exc:  # pyarrow, polars and fsspec each raise their own types
            problem = f"cannot read the manifest {location}: {exc}"
    fix = RUN_ETL if problem.startswith("no manifest") else f"delete {location}, then {RUN_ETL}"
    report.add(Finding(MANIFEST, "manifest_readable", False, problem, 1, fix=fix))
    return pl.from_arrow(schema.MANIFEST.empty_table())
