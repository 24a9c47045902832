"""The lake is a plain hive dataset: every common engine opens a table folder with its default call and gets
the same rows, pub_date (from the folder names) included."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from etl.lake import build, schema
from etl.lake.manifest import read_manifest, refresh_manifest
from etl.synth import generate


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("engines")
    raw, lake = root / "raw", root / "lake"
    generate(raw, articles=120, days=5, start="2024-03-01", seed=11, keep_truth=False)
    refresh_manifest(raw, lake, date(2010, 1, 1), date(2030, 1, 1))
    manifest = read_manifest(lake)
    for b in build.build_partitions(manifest, lake, raw, sorted(build.stale_partitions(manifest, lake))):
        build.write_partition(lake, b, "engines-test")
    return lake


def _pairs(article_ids, pub_dates) -> list[tuple[str, str]]:
    """(article_id, pub_date as YYYY-MM-DD), sorted: engines type pub_date differently (date, string,
    category)."""
    return sorted((str(a), str(d)[:10]) for a, d in zip(article_ids, pub_dates, strict=True))


def _expected(lake, table: str) -> list[tuple[str, str]]:
    """What the manifest settled: each ok capture (article_versions) or article (articles) and its day."""
    ok = read_manifest(lake).filter(pl.col("status") == "ok")
    if table == "articles":
        ok = ok.filter(pl.col("is_latest"))
    return _pairs(ok["article_id"], ok["pub_date"])


def _default_reads(folder: str) -> dict[str, pa.Table | pd.DataFrame | pl.DataFrame]:
    """The table folder as each engine reads it with its default call (no options)."""
    glob = f"{folder}/**/*.parquet"
    return {
        "pyarrow.parquet.read_table": pq.read_table(folder),
        "pyarrow.dataset(hive)": ds.dataset(folder, partitioning="hive").to_table(),
        "pandas.read_parquet": pd.read_parquet(folder),
        "polars.read_parquet": pl.read_parquet(folder),
        "polars.scan_parquet": pl.scan_parquet(folder).collect(),
        "duckdb read_parquet": duckdb.sql(f"SELECT * FROM read_parquet('{glob}')").to_arrow_table(),
        "duckdb hive_partitioning": duckdb.sql(
            f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)"
        ).to_arrow_table(),
    }


def _column(frame, name: str) -> list:
    if isinstance(frame, pa.Table):
        return frame[name].to_pylist()
    return list(frame[name])


def _names(frame) -> list[str]:
    return frame.column_names if isinstance(frame, pa.Table) else [str(c) for c in frame.columns]


@pytest.mark.parametrize("table", ["articles", "article_versions"])
def test_every_engine_reads_the_same_rows_with_pub_date(lake, table):
    expected = _expected(lake, table)
    assert len(expected) > 100
    for engine, frame in _default_reads(str(lake / table)).items():
        assert _pairs(_column(frame, "article_id"), _column(frame, "pub_date")) == expected, engine
        assert sorted(_names(frame)) == sorted(schema.TABLES[table].names), engine


def test_partition_files_do_not_store_pub_date(lake):
    files = sorted((lake / "articles").glob("pub_date=*/*.parquet"))
    assert files
    for f in files:
        assert schema.PARTITION_COLUMN not in pq.read_schema(f).names
