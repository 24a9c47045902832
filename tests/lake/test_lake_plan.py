"""The one planner (etl.lake.plan) the raw folder sensor and `etl run` share: what is stale, code included."""

from __future__ import annotations

import os
from datetime import date

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
    warehouse.write_bytes(b"")
    built = plan.warehouse_source_now(lake)
    assert plan.warehouse_is_current(str(warehouse), lake, built)
    assert not plan.warehouse_is_current(str(warehouse), lake, None)  # never built
    assert not plan.warehouse_is_current(str(tmp_path / "gone.duckdb"), lake, built)
    other_code = plan.WarehouseSource(built.lake_stamp, "edited")
    assert not plan.warehouse_is_current(str(warehouse), lake, other_code)
    # A partition file rewritten (same bytes, new file): the warehouse did not read this one.
    part = build.partition_file(lake, "articles", "2024-03-01")
    os.replace(_copy(part), part)
    assert not plan.warehouse_is_current(str(warehouse), lake, built)


def _copy(path: str) -> str:
    tmp = path + ".copy"
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        dst.write(src.read())
    return tmp
