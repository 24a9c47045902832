"""Over ALL of the real corpus: every file accounted for, each article in exactly one partition."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from etl.lake import build, checks
from etl.lake.manifest import read_manifest, refresh_manifest, scan_raw

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group("lake_corpus")]


def test_whole_corpus_into_the_lake(corpus_dir, tmp_path):
    lake = tmp_path / "lake"
    diff = refresh_manifest(corpus_dir, lake, date(2010, 1, 1), date.today())
    manifest = read_manifest(lake)
    on_disk = scan_raw(corpus_dir)
    assert diff.files_seen == manifest.height == len(on_disk) >= 12_220
    assert checks.every_file_accounted(manifest, len(on_disk)).passed

    days = sorted(build.stale_partitions(manifest, lake))
    builds = list(build.build_partitions(manifest, lake, corpus_dir, days))
    for b in builds:
        build.write_partition(lake, b, "corpus-test")
    assert sum(len(b.left_out) for b in builds) == 0  # the corpus is read-only: nothing moved

    articles = pl.read_parquet(lake / "articles")  # hive: pub_date from the folder names
    versions = pl.read_parquet(lake / "article_versions")
    counts = checks.manifest_counts(manifest)
    # Every file: an article row, a duplicate capture, or a reject (the full parse, at manifest time).
    assert versions.height + counts["rejected"] == manifest.height
    assert articles.height == versions["article_id"].n_unique()
    # Each article in exactly one partition, and in the one the manifest settled for it.
    assert articles["article_id"].n_unique() == articles.height
    assert (
        versions.group_by("article_id")
        .agg(pl.col("pub_date").n_unique())
        .filter(pl.col("pub_date") > 1)
        .height
        == 0
    )
    settled = manifest.filter(pl.col("status") == "ok").select("article_id", "pub_date").unique()
    assert settled["article_id"].n_unique() == settled.height
    assert (
        articles.select("article_id", "pub_date")
        .join(settled, on="article_id", suffix="_m")
        .filter(pl.col("pub_date") != pl.col("pub_date_m"))
        .height
        == 0
    )
    assert checks.unique_article_ids(lake).passed and checks.pub_dates_inside_partitions(lake).passed
    assert checks.partitions_accounted(manifest, lake, days, 0).passed
