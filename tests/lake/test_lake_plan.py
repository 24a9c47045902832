"""The one planner (etl.lake.plan) the raw folder sensor and `etl run` share: what is stale, code included."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import duckdb

import etl.lake.plan as plan
from etl.lake import build
from etl.lake.manifest import read_manifest, refresh_manifest
from etl.synth import generate

START = date(2010, 1, 1)


def test_stale_days_follow_files_and_code(tmp_path, monkeypatch):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    generate(raw, articles=40, days=3, start="2024-03-01", seed=2, keep_truth=False)
    assert not plan.manifest_is_current(raw, lake, START)
    refresh_manifest(raw, lake, START, date(2030, 1, 1))
    assert plan.manifest_is_current(raw, lake, START)
    touched = sorted(raw.rglob("*.md"))[0]
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # same size, another mtime
    assert not plan.manifest_is_current(raw, lake, START)
    refresh_manifest(raw, lake, START, date(2030, 1, 1))
    assert plan.manifest_is_current(raw, lake, START)
    manifest = read_manifest(lake)
    days = plan.days_with_articles(manifest)
    assert days == ["2024-03-01", "2024-03-02", "2024-03-03"]
    assert sorted(plan.stale_days(manifest, lake)) == days  # nothing built yet

    from etl.lake.fingerprint import lake_code_version

    with build.PartitionWriter(lake, lake_code_version()) as writer:
        for b in build.build_partitions(manifest, lake, raw, days):
            writer.submit(b)
    assert plan.stale_days(manifest, lake) == {}
    # Another parser / registry version: every day is stale again (the sensor and `etl run` both see it).
    monkeypatch.setattr(plan, "lake_code_version", lambda: "edited")
    assert sorted(plan.stale_days(manifest, lake)) == days


def write_build_record(warehouse, stamp: str, code: str) -> None:
    """A warehouse file with the build record a build leaves in it (etl/warehouse/build.py's build_info)."""
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE TABLE build_info (key VARCHAR, value VARCHAR)")
        con.executemany(
            "INSERT INTO build_info VALUES (?, ?)",
            [(plan.LAKE_STAMP_KEY, stamp), (plan.CODE_VERSION_KEY, code)],
        )


def test_lake_stamp_and_warehouse_currency(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    generate(raw, articles=40, days=2, start="2024-03-01", seed=2, keep_truth=False)
    refresh_manifest(raw, lake, START, date(2030, 1, 1))
    manifest = read_manifest(lake)
    from etl.lake.fingerprint import lake_code_version

    with build.PartitionWriter(lake, lake_code_version()) as writer:
        for b in build.build_partitions(manifest, lake, raw, plan.days_with_articles(manifest)):
            writer.submit(b)
    warehouse = tmp_path / "warehouse.duckdb"
    now = plan.warehouse_source_now(lake)
    assert not plan.warehouse_is_current(warehouse, lake)  # never built
    write_build_record(warehouse, now.lake_stamp, now.code_version)
    assert plan.warehouse_built_from(warehouse) == now
    assert plan.warehouse_is_current(warehouse, lake)
    write_build_record(warehouse, now.lake_stamp, "edited")  # built by other warehouse code
    assert not plan.warehouse_is_current(warehouse, lake)
    write_build_record(warehouse, now.lake_stamp, now.code_version)
    # A partition file rewritten (same bytes, new file): the warehouse did not read this one.
    part = build.partition_file(lake, "articles", "2024-03-01")
    os.replace(_copy(part), part)
    assert not plan.warehouse_is_current(warehouse, lake)


def test_a_warehouse_held_open_for_writing_counts_as_stale(tmp_path):
    """DuckDB refuses to open a file another process writes, even read-only: the planner cannot read the
    record, so the warehouse is rebuilt (into a new file, free of that session)."""
    lake, warehouse = tmp_path / "lake", tmp_path / "warehouse.duckdb"
    now = plan.warehouse_source_now(lake)
    write_build_record(warehouse, now.lake_stamp, now.code_version)
    assert plan.warehouse_is_current(warehouse, lake)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        assert plan.warehouse_built_from(warehouse) is None
        assert not plan.warehouse_is_current(warehouse, lake)
    finally:
        holder.communicate("", timeout=30)
    assert plan.warehouse_is_current(warehouse, lake)


HOLD_OPEN = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
)


def _copy(path: str) -> str:
    tmp = path + ".copy"
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        dst.write(src.read())
    return tmp
