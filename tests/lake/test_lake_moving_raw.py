"""The raw folder changing under a run (issue 5): files added, edited, deleted or renamed between the manifest
scan and the partition build, or during the scan itself, are handled and reported, never half-counted."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import date

import polars as pl
import pytest

from etl.lake import build, checks, manifest, stage
from etl.lake.manifest import read_manifest, refresh_manifest
from etl.synth import generate

START, END = date(2010, 1, 1), date(2030, 1, 1)
CODE = "test-code"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    raw = tmp_path_factory.mktemp("moving") / "raw"
    generate(raw, articles=60, days=4, start="2024-03-01", seed=3, keep_truth=False)
    return raw


@pytest.fixture
def lake(tmp_path, sample):
    raw = tmp_path / "raw"
    shutil.copytree(sample, raw)
    return raw, tmp_path / "lake"


def build_stale(raw, lake):
    current = read_manifest(lake)
    days = sorted(build.stale_partitions(current, lake, CODE))
    builds = list(build.build_partitions(current, lake, raw, days))
    for b in builds:
        build.write_partition(lake, b, CODE)
    return builds


def lake_paths(lake) -> set[str]:
    files = list((lake / "article_versions").glob("*/*.parquet"))
    return set(pl.read_parquet(files)["source_path"].to_list()) if files else set()


def one_file_per_day(current: pl.DataFrame) -> list[str]:
    ok = current.filter(pl.col("status") == "ok").sort("path")
    return [ok.filter(pl.col("pub_date") == d)["path"][0] for d in sorted(ok["pub_date"].unique())[:3]]


def test_files_moved_between_scan_and_build_are_left_out_reported_and_settled_next_time(lake):
    raw, lake = lake
    refresh_manifest(raw, lake, START, END)
    scanned = read_manifest(lake)
    deleted, edited, renamed = one_file_per_day(scanned)
    (raw / deleted).unlink()
    (raw / edited).write_bytes((raw / edited).read_bytes() + "\n<p>补充一段。</p>\n".encode())
    os.utime(raw / edited, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    (raw / renamed).rename(raw / (renamed[:-3] + "-moved.md"))
    shutil.copy(raw / scanned["path"][-1], raw / "_posts" / "2024-03-02-added-later.md")

    builds = build_stale(raw, lake)
    left_out = {p: r for b in builds for p, r in b.left_out.items()}
    assert left_out == {deleted: build.VANISHED, edited: build.CHANGED, renamed: build.VANISHED}
    built = lake_paths(lake)
    assert not built & set(left_out) and "_posts/2024-03-02-added-later.md" not in built
    # Never half-counted: each day's files = captures written + files left out, for every built day.
    for b in builds:
        assert b.files_read == b.versions.num_rows + len(b.left_out)
    days = [b.day for b in builds]
    assert checks.partitions_accounted(scanned, lake, days, len(left_out)).passed
    # Their days stay stale until the next refresh and build settle them.
    moved_days = {scanned.filter(pl.col("path") == p)["pub_date"][0].isoformat() for p in left_out}
    assert moved_days <= set(build.stale_partitions(scanned, lake, CODE))

    diff = refresh_manifest(raw, lake, START, END)
    assert sorted(diff.removed) == sorted([deleted, renamed]) and diff.changed == [edited]
    assert set(diff.added) == {renamed[:-3] + "-moved.md", "_posts/2024-03-02-added-later.md"}
    assert all(not b.left_out for b in build_stale(raw, lake))
    after = read_manifest(lake)
    assert build.stale_partitions(after, lake, CODE) == {}
    ok = after.filter(pl.col("status") == "ok")
    assert lake_paths(lake) == set(ok["path"].to_list())
    assert checks.every_file_accounted(after, len(manifest.scan_raw(raw))).passed


def test_files_moving_during_the_scan_are_recorded_as_read(lake, monkeypatch):
    raw, lake = lake
    files = sorted(manifest.scan_raw(raw))
    gone, rewritten = files[0], files[1]
    real_scan = manifest.scan_raw

    def scan_then_move(raw_dir):
        found = real_scan(raw_dir)  # the stat walk saw both files as they were
        (raw / gone).unlink()
        (raw / rewritten).write_bytes((raw / rewritten).read_bytes() + b"\n<p>x</p>\n")
        os.utime(raw / rewritten, ns=(1_900_000_000_000_000_000, 1_900_000_000_000_000_000))
        return found

    monkeypatch.setattr(manifest, "scan_raw", scan_then_move)
    diff = refresh_manifest(raw, lake, START, END)
    assert (diff.vanished, diff.drifted) == ([gone], [rewritten])
    current = read_manifest(lake)
    assert gone not in current["path"].to_list()
    row = current.filter(pl.col("path") == rewritten).row(0, named=True)
    data = (raw / rewritten).read_bytes()
    assert (row["file_hash"], row["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    assert row["mtime_ns"] == 1_900_000_000_000_000_000

    monkeypatch.setattr(manifest, "scan_raw", real_scan)
    again = refresh_manifest(raw, lake, START, END)
    assert (again.hashed, again.written) == (0, False)  # the manifest already says what is on disk
    assert checks.every_file_accounted(current, len(real_scan(raw))).passed


def test_a_lost_staging_area_is_noticed_and_staged_again(lake):
    raw, lake = lake
    refresh_manifest(raw, lake, START, END)
    shutil.rmtree(lake / "staging")
    builds = build_stale(raw, lake)
    assert {r for b in builds for r in b.left_out.values()} == {build.NOT_STAGED}
    assert not lake_paths(lake)

    diff = refresh_manifest(raw, lake, START, END)
    assert len(diff.restaged) == read_manifest(lake).height
    assert all(not b.left_out for b in build_stale(raw, lake))
    assert build.stale_partitions(read_manifest(lake), lake, CODE) == {}


def test_a_new_parser_version_stages_every_file_again_and_drops_the_old_staging(lake, monkeypatch):
    raw, lake = lake
    refresh_manifest(raw, lake, START, END)
    old = stage.staging_dir(lake)
    monkeypatch.setattr(stage, "parser_version", lambda: "edited-parser")
    diff = refresh_manifest(raw, lake, START, END)
    assert len(diff.restaged) == read_manifest(lake).height and not diff.added
    assert not os.path.exists(old) and stage.shards(lake)
    assert refresh_manifest(raw, lake, START, END).hashed == 0
