"""Materializing raw_files and lake partitions through Dagster: synthetic data and a slice of the corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow.parquet as pq
import pytest

from etl.defs.ingest.raw_files import raw_files
from etl.defs.lake.assets import ARTICLES, lake_partitions
from etl.defs.partitions import PUB_DATE, register_days
from etl.lake import build
from etl.lake.manifest import read_manifest

RANGE = {
    "dagster/asset_partition_range_start": "2024-03-01",
    "dagster/asset_partition_range_end": "2024-03-05",
}
SAMPLE_DAYS = ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"]


def materialize(
    paths, instance, tags=None, partition_key=None, assets=(raw_files, lake_partitions), sel=None
):
    return dg.materialize(
        list(assets),
        instance=instance,
        resources={"paths": paths},
        tags=tags,
        partition_key=partition_key,
        selection=sel,
    )


def check_results(result) -> dict[str, bool]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed
        for e in result.get_asset_check_evaluations()
    }


def lake_rows(lake_dir: str, table: str) -> pl.DataFrame:
    return pl.read_parquet(f"{lake_dir}/{table}")  # hive: pub_date from the folder names


def test_range_backfill_in_one_run_on_synthetic_data(synth_paths, instance):
    assert materialize(synth_paths, instance, assets=[raw_files]).success
    result = materialize(synth_paths, instance, tags=RANGE, assets=[lake_partitions])
    assert result.success
    assert all(check_results(result).values()), check_results(result)
    mats = [e.materialization for e in result.get_asset_materialization_events()]
    assert {m.asset_key for m in mats} == {ARTICLES}  # one asset for both lake tables
    by_day = {m.partition: m for m in mats}
    assert len(by_day) == len(mats)  # one event per day
    assert sorted(by_day) == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"]
    for day, m in by_day.items():
        rows = pq.read_metadata(build.partition_file(synth_paths.lake_dir, "articles", day)).num_rows
        versions = pq.read_metadata(build.partition_file(synth_paths.lake_dir, "article_versions", day))
        assert m.metadata["dagster/row_count"].value == rows > 0
        assert m.metadata["article_versions_rows"].value == versions.num_rows >= rows
        assert "Outlets" in m.metadata["preview"].value
        assert m.metadata["files_read"].value >= rows
    assert instance.get_materialized_partitions(ARTICLES) == set(by_day)


def test_partitions_are_the_days_with_articles(synth_paths, instance):
    """The raw_files run makes each day with articles a partition, and no other day; a day whose articles
    all went away stays a partition and is rebuilt empty (0 rows, folder removed), not failed."""
    assert instance.get_dynamic_partitions(PUB_DATE) == []
    assert materialize(synth_paths, instance, assets=[raw_files]).success
    assert list(instance.get_dynamic_partitions(PUB_DATE)) == SAMPLE_DAYS  # the sample's days, in order
    assert materialize(synth_paths, instance, partition_key="2024-03-05", assets=[lake_partitions]).success

    manifest = read_manifest(synth_paths.lake_dir)
    for path in manifest.filter(pl.col("pub_date").cast(pl.String) == "2024-03-05")["path"]:
        (Path(synth_paths.raw_dir) / path).unlink()
    assert materialize(synth_paths, instance, assets=[raw_files]).success
    result = materialize(synth_paths, instance, partition_key="2024-03-05", assets=[lake_partitions])
    assert result.success
    (m,) = [e.materialization for e in result.get_asset_materialization_events() if e.asset_key == ARTICLES]
    assert m.metadata["dagster/row_count"].value == m.metadata["article_versions_rows"].value == 0
    assert not Path(build.partition_dir(synth_paths.lake_dir, "articles", "2024-03-05")).exists()


def test_rerun_of_a_partition_is_idempotent(synth_paths, instance):
    register_days(instance, SAMPLE_DAYS)  # raw_files and the lake in one run: the days must exist before
    assert materialize(synth_paths, instance, tags=RANGE).success
    before_a = lake_rows(synth_paths.lake_dir, "articles").sort("article_id")
    before_v = lake_rows(synth_paths.lake_dir, "article_versions").sort("source_path")
    result = materialize(synth_paths, instance, partition_key="2024-03-03", assets=[lake_partitions])
    assert result.success and all(check_results(result).values())
    after_a = lake_rows(synth_paths.lake_dir, "articles").sort("article_id")
    assert after_a.equals(before_a)
    assert lake_rows(synth_paths.lake_dir, "article_versions").sort("source_path").equals(before_v)
    assert after_a["article_id"].n_unique() == after_a.height


def test_raw_files_checks_and_metadata(synth_paths, instance):
    result = materialize(synth_paths, instance, assets=[raw_files])
    (mat,) = [e.materialization for e in result.get_asset_materialization_events()]
    manifest = read_manifest(synth_paths.lake_dir)
    assert mat.metadata["dagster/row_count"].value == manifest.height
    assert mat.metadata["files_added"].value == manifest.height
    checks = check_results(result)
    assert checks["raw_files:every_file_accounted_for"] and checks["raw_files:files_before_partition_start"]
    # The sample carries ~1% malformed files: under the default 5% warning threshold.
    assert checks["raw_files:reject_rate_below_threshold"]


@pytest.mark.corpus
def test_slice_of_the_real_corpus(tmp_path, corpus_dir, instance, make_paths):
    # ~300 real files of July-August 2020 copied into tmp at test time (never into the project). A narrow
    # window keeps the range run small: Dagster records a planned event per partition.
    files = sorted(p for p in corpus_dir.rglob("*.md") if "2020-07-" in p.name or "2020-08-" in p.name)[::6][
        :300
    ]
    raw = tmp_path / "raw"
    for p in files:
        dest = raw / p.relative_to(corpus_dir)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
    paths = make_paths(tmp_path, raw)
    assert materialize(paths, instance, assets=[raw_files]).success
    manifest = read_manifest(paths.lake_dir)
    days = sorted({d.isoformat() for d in manifest["pub_date"].drop_nulls()})
    first, last = days[0], days[-1]
    tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
    result = materialize(paths, instance, tags=tags, assets=[lake_partitions])
    assert result.success and all(check_results(result).values()), check_results(result)
    articles = lake_rows(paths.lake_dir, "articles")
    ok = manifest.filter(pl.col("status") == "ok")
    assert articles.height == ok["article_id"].n_unique()
    assert lake_rows(paths.lake_dir, "article_versions").height == ok.height
    assert manifest.height == len(files)


def test_files_moved_after_the_scan_are_reported_and_their_day_stays_stale(synth_paths, instance):
    """Issue 5: a file deleted between the raw_files run and the lake run is left out and reported in the
    run's metadata and checks; the next refresh and build settle the day."""
    assert materialize(synth_paths, instance, assets=[raw_files]).success
    manifest = read_manifest(synth_paths.lake_dir)
    victim = manifest.filter(pl.col("status") == "ok").sort("path")["path"][0]
    day = manifest.filter(pl.col("path") == victim)["pub_date"][0].isoformat()
    (Path(synth_paths.raw_dir) / victim).unlink()

    result = materialize(synth_paths, instance, partition_key=day, assets=[lake_partitions])
    assert result.success
    assert all(check_results(result).values()), check_results(result)  # counted, so the books balance
    (m,) = [e.materialization for e in result.get_asset_materialization_events() if e.asset_key == ARTICLES]
    assert m.metadata["files_left_out"].value == 1
    assert m.metadata["left_out_by_reason"].value == {build.VANISHED: 1}
    assert day in build.stale_partitions(manifest, synth_paths.lake_dir)

    assert materialize(synth_paths, instance, assets=[raw_files]).success
    assert materialize(synth_paths, instance, partition_key=day, assets=[lake_partitions]).success
    after = read_manifest(synth_paths.lake_dir)
    assert victim not in after["path"].to_list()
    assert day not in build.stale_partitions(after, synth_paths.lake_dir)  # the other days were never built
