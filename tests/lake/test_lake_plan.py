"""`etl run`'s shortcut: the recorded state holds only while raw files, manifest, lake, code, warehouse do."""

from __future__ import annotations

import os
import shutil
from datetime import date

from etl.lake import build, plan
from etl.lake.manifest import read_manifest, refresh_manifest
from etl.synth import generate

START, END = date(2010, 1, 1), date(2030, 1, 1)
CODE = {"lake_code": "a", "parser": "b", "warehouse_code": "c"}


def test_run_state_changes_with_any_input(tmp_path):
    raw, lake, wh = tmp_path / "raw", tmp_path / "lake", tmp_path / "warehouse.duckdb"
    generate(raw, articles=30, days=3, start="2024-03-01", seed=9, keep_truth=False)
    assert plan.run_state(raw, lake, str(wh), START, CODE) is None  # no manifest yet
    refresh_manifest(raw, lake, START, END)
    manifest = read_manifest(lake)
    for b in build.build_partitions(manifest, lake, raw, sorted(build.stale_partitions(manifest, lake))):
        build.write_partition(lake, b, "x")
    wh.write_bytes(b"warehouse")
    state = plan.run_state(raw, lake, str(wh), START, CODE)
    plan.record_state(str(tmp_path), state)
    assert plan.recorded_state(str(tmp_path)) == state == plan.run_state(raw, lake, str(wh), START, CODE)

    assert plan.run_state(raw, lake, str(wh), START, {**CODE, "parser": "edited"}) != state
    assert plan.run_state(raw, lake, None, START, CODE) != state  # --skip-warehouse is another state
    os.utime(wh, ns=(1, 1))
    assert plan.run_state(raw, lake, str(wh), START, CODE) != state
    wh.write_bytes(b"warehouse")
    state = plan.run_state(raw, lake, str(wh), START, CODE)
    day = build.built_partitions(lake)[0]
    shutil.copy(build.partition_file(lake, "articles", day), tmp_path / "copy")
    os.replace(tmp_path / "copy", build.partition_file(lake, "articles", day))  # a rebuilt partition
    assert plan.run_state(raw, lake, str(wh), START, CODE) != state
    state = plan.run_state(raw, lake, str(wh), START, CODE)
    first = sorted(raw.rglob("*.md"))[0]
    first.write_bytes(first.read_bytes() + b"\n")
    assert plan.run_state(raw, lake, str(wh), START, CODE) is None  # the manifest is behind the raw folder

    plan.record_state(str(tmp_path), None)
    assert plan.recorded_state(str(tmp_path)) is None
