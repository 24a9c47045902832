"""The incremental manifest and the archive-wide partition assignment."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from lakedumps import utc, write_dump

from etl.lake import checks, stage
from etl.lake.lock import LockTimeout, file_lock
from etl.lake.manifest import lock_path, read_manifest, refresh_manifest

START, END = date(2020, 1, 1), date(2030, 1, 1)
URL = "https://www.voachinese.com/a/test-story/100001.html"


def refresh(raw, lake, start=START):
    return refresh_manifest(raw, lake, start, END)


def rows(lake) -> dict[str, dict]:
    return {r["path"]: r for r in read_manifest(lake).iter_rows(named=True)}


def test_rescan_hashes_only_new_or_changed_files_and_drops_deleted(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    for i in range(3):
        write_dump(raw, f"a/{i}.md", url=f"{URL}?n={i}", title=f"标题{i}", feed=utc(2024, 3, 1 + i, 8))
    first = refresh(raw, lake)
    assert (len(first.added), first.written, first.files_seen) == (3, True, 3)
    assert first.affected_partitions == ["2024-03-01", "2024-03-02", "2024-03-03"]

    again = refresh(raw, lake)
    assert (again.hashed, again.written, again.affected_partitions) == (0, False, [])

    write_dump(raw, "a/1.md", url=f"{URL}?n=1", title="改过的标题", feed=utc(2024, 3, 2, 8), mtime=1e9)
    (raw / "a/2.md").unlink()
    diff = refresh(raw, lake)
    assert (diff.added, diff.changed, diff.removed) == ([], ["a/1.md"], ["a/2.md"])
    assert diff.affected_partitions == ["2024-03-02", "2024-03-03"]
    assert rows(lake)["a/1.md"]["title"] == "改过的标题"
    assert set(rows(lake)) == {"a/0.md", "a/1.md"}


def test_article_lands_on_its_earliest_capture_and_stays_there(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    write_dump(raw, "late.md", url=URL, title="第二版", feed=utc(2024, 3, 5, 1), mtime=2e9)
    write_dump(raw, "early.md", url=URL, title="第一版", feed=utc(2024, 3, 4, 23), mtime=1e9)
    refresh(raw, lake)
    r = rows(lake)
    assert r["late.md"]["pub_date"] == r["early.md"]["pub_date"] == date(2024, 3, 4)
    assert r["late.md"]["is_latest"] and not r["early.md"]["is_latest"]
    assert r["late.md"]["article_id"] == r["early.md"]["article_id"]

    # A re-capture days later changes which capture is latest, not where the article lives.
    write_dump(raw, "later.md", url=URL, title="第三版", feed=utc(2024, 3, 9, 12), mtime=3e9)
    diff = refresh(raw, lake)
    r = rows(lake)
    assert {row["pub_date"] for row in r.values()} == {date(2024, 3, 4)}
    assert [p for p, row in r.items() if row["is_latest"]] == ["later.md"]
    assert diff.affected_partitions == ["2024-03-04"]


def test_files_before_the_partition_start_are_kept_as_rejects(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    write_dump(raw, "old.md", url=URL, title="旧闻", feed=utc(2019, 12, 31, 10))
    write_dump(raw, "new.md", url=f"{URL}?n=2", title="新闻", feed=utc(2024, 1, 2, 10))
    refresh(raw, lake)
    old = rows(lake)["old.md"]
    assert (old["status"], old["reason"], old["pub_date"]) == ("rejected", "before_partition_start", None)
    assert "2019-12-31" in old["detail"]
    outcome = checks.before_partition_start(read_manifest(lake))
    assert not outcome.passed and outcome.metadata["files"] == 1
    assert checks.every_file_accounted(read_manifest(lake), files_on_disk=2).passed

    # Moving the start earlier brings the article back without re-hashing anything.
    diff = refresh_manifest(raw, lake, date(2019, 1, 1), END)
    assert diff.hashed == 0 and rows(lake)["old.md"]["status"] == "ok"


def test_unreadable_files_are_rejected_with_a_reason_and_counted(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    write_dump(raw, "good.md", url=URL, title="好", feed=utc(2024, 3, 1, 10))
    (raw / "empty.md").write_bytes(b"")
    (raw / "notes.tsv").write_text("not a dump\n")  # not a dump suffix: not listed
    (raw / ".hidden.md").write_text("editor swap file")
    refresh(raw, lake)
    m = read_manifest(lake)
    assert sorted(m["path"]) == ["empty.md", "good.md"]
    assert m.filter(pl.col("path") == "empty.md")["reason"].to_list() == ["empty_file"]
    counts = checks.manifest_counts(m)
    assert counts == {"files_seen": 2, "articles": 1, "duplicate_captures": 0, "rejected": 1}
    assert not checks.every_file_accounted(m, files_on_disk=3).passed  # a file the manifest does not know
    assert not checks.reject_rate(m, 0.05).passed and checks.reject_rate(m, 0.6).passed


def test_lock_excludes_a_second_writer(tmp_path):
    lock = lock_path(tmp_path / "lake")
    acquired = threading.Event()
    release = threading.Event()

    def holder():
        with file_lock(lock):
            acquired.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    acquired.wait(5)
    with pytest.raises(LockTimeout), file_lock(lock, timeout_s=0.2):
        pass
    release.set()
    t.join()
    with file_lock(lock, timeout_s=1):
        pass


def test_max_new_takes_a_big_arrival_in_steps(tmp_path):
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    for i in range(5):
        write_dump(raw, f"{i}.md", url=f"{URL}?n={i}", title=f"标题{i}", feed=utc(2024, 3, 1, i))
    first = refresh_manifest(raw, lake, START, END, max_new=3)
    assert (first.hashed, first.pending, read_manifest(lake).height) == (3, 2, 3)
    second = refresh_manifest(raw, lake, START, END, max_new=3)
    assert (second.hashed, second.pending, read_manifest(lake).height) == (2, 0, 5)


def test_a_refresh_removes_the_staging_temp_files_a_killed_parse_left(tmp_path):
    """A parse killed while writing a staging shard leaves `.<shard>.parquet.<random>.tmp`; shard names come
    from their rows, so no rerun writes that name again: the refresh that completes the staging removes the
    temp files older than its process, and leaves a write that began since (a concurrent run's) alone."""
    raw, lake = tmp_path / "raw", tmp_path / "lake"
    write_dump(raw, "a/0.md", url=f"{URL}?n=0", title="标题0", feed=utc(2024, 3, 1, 8))
    refresh(raw, lake)
    staging = Path(stage.staging_dir(lake))
    dead, live = staging / ".0123abcd.parquet.x1y2z3.tmp", staging / ".4567ef01.parquet.a1b2c3.tmp"
    dead.write_bytes(b"PAR1 half a shard")
    os.utime(dead, (time.time() - 3600, time.time() - 3600))  # written before this process started
    live.write_bytes(b"PAR1 being written")

    write_dump(raw, "a/1.md", url=f"{URL}?n=1", title="标题1", feed=utc(2024, 3, 2, 8))
    assert refresh(raw, lake).added == ["a/1.md"]
    assert not dead.exists()
    assert live.exists()
    assert set(rows(lake)) == {"a/0.md", "a/1.md"}
