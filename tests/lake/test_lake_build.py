"""Partition builds on a small synthetic sample: contents, idempotence, empty days, full-parse rejects."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from etl.dumps import parse
from etl.dumps.record import ArticleRecord, TopicHit
from etl.lake import build, checks, stage
from etl.lake.manifest import read_manifest, refresh_manifest
from etl.synth import generate

START, END = date(2010, 1, 1), date(2030, 1, 1)
CODE = "test-code"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    raw = tmp_path_factory.mktemp("synth") / "raw"
    generate(raw, articles=160, days=6, start="2024-03-01", seed=7, keep_truth=False)
    return raw


@pytest.fixture
def lake(tmp_path, sample):
    raw = tmp_path / "raw"
    shutil.copytree(sample, raw)
    lake = tmp_path / "lake"
    refresh_manifest(raw, lake, START, END)
    return raw, lake


def build_all(raw, lake, code=CODE):
    manifest = read_manifest(lake)
    stale = build.stale_partitions(manifest, lake, code)
    builds = list(build.build_partitions(manifest, lake, raw, sorted(stale)))
    for b in builds:
        build.write_partition(lake, b, code)
    return builds


def read_table(lake, table):
    return pl.read_parquet(lake / table)  # a hive dataset: pub_date from the folder names


def test_build_writes_one_row_per_article_and_every_capture(lake):
    raw, lake = lake
    manifest = read_manifest(lake)
    builds = build_all(raw, lake)
    assert len(builds) == manifest["pub_date"].drop_nulls().n_unique() >= 6
    articles, versions = read_table(lake, "articles"), read_table(lake, "article_versions")
    counts = checks.manifest_counts(manifest)
    assert articles.height == counts["articles"]
    assert versions.height == counts["articles"] + counts["duplicate_captures"]
    assert articles["article_id"].n_unique() == articles.height
    assert (articles["captures"] > 1).sum() > 0  # the sample has re-captures
    # The article row carries the latest capture's content and the earliest publication time.
    latest = versions.filter(pl.col("is_latest")).select("article_id", "source_path", "title")
    joined = articles.join(latest, on="article_id", suffix="_v")
    assert (joined["source_path"] == joined["source_path_v"]).all()
    assert (joined["title"] == joined["title_v"]).all()
    # One latest-capture rule: the build marks the capture the manifest marked.
    marked = manifest.filter(pl.col("status") == "ok").select("path", "is_latest")
    both = versions.join(marked, left_on="source_path", right_on="path", suffix="_m")
    assert both.height == versions.height and (both["is_latest"] == both["is_latest_m"]).all()
    earliest = versions.group_by("article_id").agg(pl.col("published_at").min().alias("first"))
    assert (
        (articles.join(earliest, on="article_id").select(pl.col("published_at") == pl.col("first")))
        .to_series()
        .all()
    )
    assert checks.unique_article_ids(lake).passed
    assert checks.pub_dates_inside_partitions(lake).passed
    days = sorted(b.day for b in builds)
    assert checks.partitions_accounted(manifest, lake, days, 0).passed
    assert build.stale_partitions(manifest, lake, CODE) == {}


def test_rebuild_replaces_a_partition_exactly(lake):
    raw, lake = lake
    build_all(raw, lake)
    day = "2024-03-03"
    path = Path(build.partition_file(lake, "articles", day))
    before = pq.read_table(path)
    manifest = read_manifest(lake)
    (b,) = build.build_partitions(manifest, lake, raw, [day])
    build.write_partition(lake, b, CODE)
    assert pq.read_table(path).equals(before)
    assert sorted(p.name for p in path.parent.iterdir()) == ["part-0.parquet"]  # no temp files left
    assert checks.unique_article_ids(lake).passed


def test_code_version_change_makes_every_partition_stale(lake):
    raw, lake = lake
    build_all(raw, lake)
    manifest = read_manifest(lake)
    assert build.stale_partitions(manifest, lake, CODE) == {}
    assert set(build.stale_partitions(manifest, lake, "edited-registry")) == set(build.built_partitions(lake))
    assert build.stale_partitions(manifest, lake) == {}  # the file sets alone are unchanged


def test_a_day_whose_files_are_gone_loses_its_folder(lake):
    raw, lake = lake
    build_all(raw, lake)
    day = date(2024, 3, 2)
    for rel in read_manifest(lake).filter(pl.col("pub_date") == day)["path"]:
        (raw / rel).unlink()
    diff = refresh_manifest(raw, lake, START, END)
    assert "2024-03-02" in diff.affected_partitions
    manifest = read_manifest(lake)
    stale = build.stale_partitions(manifest, lake, CODE)
    assert list(stale) == ["2024-03-02"]
    build_all(raw, lake)
    assert not Path(build.partition_dir(lake, "articles", "2024-03-02")).exists()
    assert not Path(build.partition_dir(lake, "article_versions", "2024-03-02")).exists()
    assert build.stale_partitions(manifest, lake, CODE) == {}
    assert checks.every_file_accounted(manifest, len(list(raw.rglob("*.*")))).passed


def test_full_parse_rejects_are_in_the_manifest_from_the_scan(tmp_path, sample, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(sample, raw)
    lake = tmp_path / "lake"
    refresh_manifest(raw, lake, START, END)
    victim = read_manifest(lake).filter(pl.col("is_latest") & (pl.col("pub_date") == date(2024, 3, 4)))
    victim = victim["path"][0]
    real = parse.parse_many

    def flaky(files, **kw):
        files = list(files)
        reject = ArticleRecord(path=victim, status="rejected", reason="body_unreadable", detail="test")
        records = real(files, **kw)
        return [reject if path == victim else rec for (_, path), rec in zip(files, records, strict=True)]

    monkeypatch.setattr(parse, "parse_many", flaky)
    (raw / victim).write_bytes((raw / victim).read_bytes() + b"\n")  # changed: parsed again
    refresh_manifest(raw, lake, START, END)
    manifest = read_manifest(lake)
    row = manifest.filter(pl.col("path") == victim).row(0, named=True)
    assert (row["status"], row["reason"], row["pub_date"]) == ("rejected", "body_unreadable", None)
    builds = build_all(raw, lake)
    assert all(not b.left_out for b in builds)
    versions = read_table(lake, "article_versions")
    assert victim not in versions["source_path"].to_list()
    assert checks.partitions_accounted(manifest, lake, [b.day for b in builds], 0).passed
    assert checks.every_file_accounted(manifest, manifest.height).passed
    assert build.stale_partitions(manifest, lake, CODE) == {}


def test_checks_catch_a_corrupted_lake(lake):
    raw, lake = lake
    build_all(raw, lake)
    src = build.partition_file(lake, "articles", "2024-03-01")
    dst = build.partition_file(lake, "articles", "2024-03-05")
    shutil.copy(src, dst)  # the same articles now sit in a second partition too
    assert not checks.unique_article_ids(lake).passed
    bad = checks.pub_dates_inside_partitions(lake)
    assert not bad.passed and "articles/2024-03-05" in bad.metadata["outside"]


def test_build_checks_catch_faults_in_the_days_built_and_duplicates_anywhere(lake):
    raw, lake = lake
    build_all(raw, lake)
    manifest = read_manifest(lake)
    days = sorted(build.built_partitions(lake))
    assert all(o.passed for o in checks.build_checks(manifest, lake, days, 0).values())
    # A capture of 03-01 misplaced into 03-05's article_versions (03-05 loses one of its own).
    src = pl.read_parquet(build.partition_file(lake, "article_versions", "2024-03-01"))
    dst = pl.read_parquet(build.partition_file(lake, "article_versions", "2024-03-05"))
    pl.concat([dst.head(dst.height - 1), src.head(1)]).write_parquet(
        build.partition_file(lake, "article_versions", "2024-03-05")
    )
    # 03-02's articles copied into 03-04: duplicated ids, rows outside their partition.
    shutil.copy(
        build.partition_file(lake, "articles", "2024-03-02"),
        build.partition_file(lake, "articles", "2024-03-04"),
    )

    built = checks.build_checks(manifest, lake, ["2024-03-04", "2024-03-05"], 0)
    assert not built["unique_article_id"].passed
    inside = built["pub_date_inside_partition"]
    assert not inside.passed
    assert inside.metadata["outside"] == {
        "articles/2024-03-04": pl.read_parquet(build.partition_file(lake, "articles", "2024-03-04")).height,
        "article_versions/2024-03-05": 1,
    }
    assert not built["every_file_accounted_for"].passed  # 03-04's articles are not 03-04's captures
    # A build of other days reads only those days' rows, but the whole lake's article ids.
    other = checks.build_checks(manifest, lake, ["2024-03-01", "2024-03-03"], 0)
    assert other["pub_date_inside_partition"].passed and other["every_file_accounted_for"].passed
    assert not other["unique_article_id"].passed
    # The same faults as the single checks over the whole lake see them.
    whole = checks.pub_dates_inside_partitions(lake)
    assert whole.metadata["outside"] == inside.metadata["outside"]


def test_partition_writer_writes_every_build_and_raises_a_failed_write(lake, monkeypatch):
    raw, lake = lake
    manifest = read_manifest(lake)
    days = sorted(build.stale_partitions(manifest, lake, CODE))
    builds = list(build.build_partitions(manifest, lake, raw, days))
    with build.PartitionWriter(lake, CODE, pending=2) as writer:
        for b in builds:
            writer.submit(b)
    assert build.stale_partitions(manifest, lake, CODE) == {}

    real = build.write_partition

    def failing(lake_dir, b, code):
        if b.day == days[1]:
            raise OSError("disk full")
        real(lake_dir, b, code)

    monkeypatch.setattr(build, "write_partition", failing)
    with pytest.raises(OSError, match="disk full"), build.PartitionWriter(lake, "other-code") as writer:
        for b in builds:
            writer.submit(b)
    assert days[1] in build.stale_partitions(manifest, lake, "other-code")


def test_a_file_staged_in_two_shards_is_built_once(lake):
    """A file staged again with the same bytes (edited, then restored) has a row in two shards; a build takes
    it from one, even when it reads both shards for other files."""
    raw, lake = lake
    first, second = stage.shards(lake)[:2]
    again = pl.concat([pl.read_parquet(second), pl.read_parquet(first).head(1)])
    Path(second).unlink()
    again.write_parquet(Path(second).with_name("f" * 24 + ".parquet"))  # listed after `first`
    twice = again["path"][-1]
    build_all(raw, lake)
    versions = read_table(lake, "article_versions")
    assert versions.filter(pl.col("source_path") == twice).height == 1
    assert checks.partitions_accounted(read_manifest(lake), lake, build.built_partitions(lake), 0).passed


def test_a_rebuild_removes_temp_files_a_killed_write_left(lake):
    raw, lake = lake
    build_all(raw, lake)
    folder = Path(build.partition_dir(lake, "articles", "2024-03-02"))
    dead, live = folder / ".part-0.parquet.dead1234.tmp", folder / ".part-0.parquet.live1234.tmp"
    dead.write_bytes(b"PAR1 half a file")
    live.write_bytes(b"PAR1 being written")
    os.utime(dead, (1_000_000_000, 1_000_000_000))  # before this process started
    build_all(raw, lake, code="another-code")
    assert not dead.exists() and live.exists()


def _tagged(record: ArticleRecord) -> ArticleRecord:
    """The record with topic fields set from its path, so two captures of one article differ."""
    if record.status != "ok":
        return record
    n = int(hashlib.sha256(record.path.encode()).hexdigest()[:6], 16)
    if n % 5 == 0:  # no topic at all
        return dataclasses.replace(record, topics=[], topic_hits=[], primary_topic=None, digest=False)
    hits = [
        TopicHit("covid19", mentions=n % 7, in_title=n % 2 == 0, in_lead=True, share=0.25, score=0.5),
        TopicHit("us_china", mentions=3, in_title=False, in_lead=n % 3 == 0, share=(n % 8) / 8, score=0.875),
    ]
    return dataclasses.replace(
        record,
        topics=[h.topic for h in hits],
        topic_hits=hits,
        primary_topic=hits[n % 2].topic,
        digest=n % 4 == 1,
    )


def test_the_lake_carries_the_latest_captures_topic_scores_primary_and_digest(tmp_path, sample, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(sample, raw)
    lake = tmp_path / "lake"
    real = parse.parse_many
    monkeypatch.setattr(parse, "parse_many", lambda files, **kw: [_tagged(r) for r in real(files, **kw)])
    monkeypatch.setenv("ETL_WORKERS", "1")  # parse in this process, where the patch holds
    refresh_manifest(raw, lake, START, END)
    build_all(raw, lake)
    manifest = read_manifest(lake).filter(pl.col("is_latest"))
    latest = {row["article_id"]: row["path"] for row in manifest.iter_rows(named=True)}
    expected = {
        aid: _tagged(ArticleRecord(path=path, status="ok", article_id=aid)) for aid, path in latest.items()
    }
    articles = read_table(lake, "articles")
    assert articles.height == len(expected) and (articles["captures"] > 1).any()
    for row in articles.iter_rows(named=True):
        want = expected[row["article_id"]]
        assert row["topics"] == want.topics
        assert row["topic_hits"] == [dataclasses.asdict(h) for h in want.topic_hits]
        assert (row["primary_topic"], row["digest"]) == (want.primary_topic, want.digest)
    assert articles["digest"].sum() > 0 and articles["primary_topic"].null_count() > 0
