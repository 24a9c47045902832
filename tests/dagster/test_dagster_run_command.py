"""`etl run` end to end on a small sample: runs of the code location's jobs through a Dagster instance
(no daemon), then a second run that finds nothing to do and changes nothing, then an edit that rebuilds
its day alone."""

from __future__ import annotations

import os
import shutil
import subprocess

import dagster as dg
import pytest

from etl.settings import PROJECT_ROOT
from etl.synth import generate

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("etl_run")]


def etl_run(env) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(PROJECT_ROOT / ".venv/bin/etl"), "run"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def snapshot(root) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_etl_run_twice(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster_home" / "dagster.yaml").read_text())
    raw = tmp_path / "raw"
    generate(raw, articles=80, days=4, start="2024-03-01", seed=3, keep_truth=False)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(raw),
        "ETL_LAKE_DIR": str(tmp_path / "lake"),
        "ETL_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "ETL_REPORTS_DIR": str(tmp_path / "reports"),
    }
    first = etl_run(env)
    assert "building 4 stale lake partition(s) of 2024-03-01 … 2024-03-04" in first.stderr
    assert "rebuilding the warehouse" in first.stderr
    assert "files seen" in first.stdout and "duckdb" in first.stdout
    assert (tmp_path / "warehouse.duckdb").exists()
    monkeypatch.setenv("DAGSTER_HOME", str(home))  # dagster.yaml reads it
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert sorted(r.job_name for r in runs) == ["lake_partitions_job", "raw_files_job", "warehouse_job"]
        assert {r.status for r in runs} == {dg.DagsterRunStatus.SUCCESS}  # recorded like any other run
        assert list(instance.get_dynamic_partitions("pub_date")) == [f"2024-03-0{d}" for d in range(1, 5)]
    before = snapshot(tmp_path / "lake") | {"wh": (tmp_path / "warehouse.duckdb").stat().st_mtime_ns}

    second = etl_run(env)
    for line in ("raw files unchanged", "lake partitions up to date", "warehouse up to date"):
        assert line in second.stderr
    assert "succeeded in" not in second.stderr  # no Dagster run at all
    # Decided by the planner before Dagster loads: the warehouse's currency from its own build record.
    assert "Dagster instance" not in second.stderr
    assert snapshot(tmp_path / "lake") | {"wh": (tmp_path / "warehouse.duckdb").stat().st_mtime_ns} == before
    assert first.stdout.splitlines()[:4] == second.stdout.splitlines()[:4]

    # A new capture of one file: its day alone is rebuilt (the range run skips the days up to date).
    victim = sorted(raw.rglob("*.md"))[0]
    shutil.copy2(victim, victim.with_name("zz-recapture.md"))
    third = etl_run(env)
    assert "building 1 stale lake partition(s)" in third.stderr
    rebuilt = {p for p, m in snapshot(tmp_path / "lake").items() if before.get(p) != m and "pub_date=" in p}
    assert len({p.split("pub_date=")[1][:10] for p in rebuilt}) == 1, rebuilt
