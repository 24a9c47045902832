"""The whole pipeline (`etl run`: manifest, lake partitions and warehouse through Dagster) with the lake on S3
(moto on 127.0.0.1), against the same raw files run with a local lake. Raw files and the DuckDB warehouse stay
local: DuckDB writes only local files, and the raw dumps are on the machine that archives them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.lake import atomic, storage
from etl.lake.build import CODE_KEY, DIGEST_KEY, partition_file, stale_partitions
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest
from etl.settings import PROJECT_ROOT
from etl.synth import generate
from etl.warehouse.tables import TABLES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("etl_run")]

DAYS = ["2024-05-01", "2024-05-02", "2024-05-03"]


@dataclass
class Runs:
    raw: Path
    s3_lake: str
    local_lake: Path
    s3_warehouse: Path
    local_warehouse: Path
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess  # answered from the state the first run recorded
    third: subprocess.CompletedProcess  # that state removed: the full check through Dagster
    objects_after_first: dict[str, str]
    objects_after_third: dict[str, str]
    seconds: dict[str, float]


def etl_run(tmp: Path, name: str, raw: Path, lake: str) -> tuple[subprocess.CompletedProcess, float]:
    home = tmp / f"dagster_home_{name}"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster_home" / "dagster.yaml").read_text())
    env = {
        **os.environ,  # AWS_ENDPOINT_URL and dummy credentials from the s3_endpoint fixture
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(raw),
        "ETL_LAKE_DIR": lake,
        "ETL_WAREHOUSE": str(tmp / f"warehouse_{name}.duckdb"),
        "ETL_REPORTS_DIR": str(tmp / f"reports_{name}"),
    }
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "run", "--no-sample"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done, time.perf_counter() - began


def etags(client, uri: str) -> dict[str, str]:
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/"):
        found |= {
            o["Key"].removeprefix(prefix + "/"): f"{o['ETag']} {o['LastModified']}"
            for o in page.get("Contents", [])
        }
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory, s3_endpoint) -> Runs:
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint)
    tmp = tmp_path_factory.mktemp("s3_pipeline")
    raw = tmp / "raw"
    generate(raw, articles=60, days=len(DAYS), start=DAYS[0], seed=5, keep_truth=False)
    s3_lake = f"s3://news-lake/{uuid.uuid4().hex[:12]}/lake"
    first, t_first = etl_run(tmp, "s3", raw, s3_lake)
    after_first = etags(client, s3_lake)
    time.sleep(1.1)  # a rewrite would show in LastModified (1 s resolution)
    second, t_second = etl_run(tmp, "s3", raw, s3_lake)
    third, t_third = etl_run(tmp, "s3", raw, s3_lake)
    after_third = etags(client, s3_lake)
    _, t_local = etl_run(tmp, "local", raw, str(tmp / "lake"))
    return Runs(
        raw,
        s3_lake,
        tmp / "lake",
        tmp / "warehouse_s3.duckdb",
        tmp / "warehouse_local.duckdb",
        first,
        second,
        third,
        after_first,
        after_third,
        {"s3 first run": t_first, "s3 rerun": t_second, "s3 full check": t_third, "local first run": t_local},
    )


def test_lake_objects_on_s3_match_the_local_lake(runs):
    keys = set(runs.objects_after_first)
    local = {p.relative_to(runs.local_lake).as_posix() for p in runs.local_lake.rglob("*") if p.is_file()}
    local.discard("manifest/.lock")  # a remote lake's lock lives on local disk, under DAGSTER_HOME
    assert "manifest/manifest.parquet" in keys
    for day in DAYS:
        assert f"articles/pub_date={day}/part-0.parquet" in keys
        assert f"article_versions/pub_date={day}/part-0.parquet" in keys
    assert keys == local
    assert not [
        k for k in keys if any(part.startswith((".", "_")) or part.endswith(".tmp") for part in k.split("/"))
    ]
    print({k: f"{v:.1f} s" for k, v in runs.seconds.items()})


def test_footers_and_staleness_read_from_s3(runs):
    manifest = read_manifest(runs.s3_lake)
    assert manifest.height > 60 and manifest.equals(read_manifest(runs.local_lake))
    for day in DAYS:
        footer = atomic.read_footer(partition_file(runs.s3_lake, "articles", day))
        assert footer[CODE_KEY] == lake_code_version() and footer[DIGEST_KEY]
        assert footer == atomic.read_footer(partition_file(runs.local_lake, "articles", day))
    assert stale_partitions(manifest, runs.s3_lake, lake_code_version()) == {}

    # A changed file in day 2 makes exactly day 2 stale.
    ok = pl.col("status") == "ok"
    target = manifest.filter(ok & (pl.col("pub_date") == date.fromisoformat(DAYS[1])))["path"][0]
    changed = manifest.with_columns(
        file_hash=pl.when(pl.col("path") == target).then(pl.lit("0" * 64)).otherwise(pl.col("file_hash"))
    )
    assert list(stale_partitions(changed, runs.s3_lake, lake_code_version())) == [DAYS[1]]


def test_rerun_with_nothing_new_does_nothing(runs):
    for line in ("raw files unchanged", "lake partitions up to date", "warehouse up to date"):
        assert line in runs.second.stderr and line in runs.third.stderr
    for rerun in (runs.second, runs.third):
        assert "succeeded in" not in rerun.stderr  # no Dagster run at all
        assert runs.first.stdout.splitlines()[:4] == rerun.stdout.splitlines()[:4]
    assert runs.objects_after_third == runs.objects_after_first  # no object rewritten


def test_same_warehouse_as_from_a_local_lake(runs):
    s3 = duckdb.connect(str(runs.s3_warehouse), read_only=True)
    local = duckdb.connect(str(runs.local_warehouse), read_only=True)
    try:
        assert s3.execute("SELECT value FROM build_info WHERE key = 'lake_dir'").fetchone()[0] == runs.s3_lake
        for table in TABLES:
            if table == "build_info":
                continue
            query = f'SELECT * FROM "{table}" ORDER BY ALL'
            rows = s3.execute(query).fetchall()
            assert rows == local.execute(query).fetchall(), table
            # the synthetic sample holds no reprints (etl synth writes none yet)
            assert rows or table in ("keyword_trends", "rejects", "reprints"), f"{table} is empty"
        for key in ("files.lake_articles", "files.lake_article_versions", "files.lake_manifest"):
            query = f"SELECT value FROM build_info WHERE key = '{key}'"
            assert s3.execute(query).fetchone() == local.execute(query).fetchone()
    finally:
        s3.close()
        local.close()


def test_storage_lists_the_lake_like_the_local_one(runs):
    for table in ("articles", "article_versions"):
        remote = storage.parquet_files(storage.join(runs.s3_lake, table), "pub_date=*")
        here = storage.parquet_files(runs.local_lake / table, "pub_date=*")
        assert [f.removeprefix(runs.s3_lake) for f in remote] == [
            f.removeprefix(str(runs.local_lake)) for f in here
        ]
