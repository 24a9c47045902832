"""`etl run` end to end on a small sample: everything through a Dagster instance, then a second run that
finds nothing to do and changes nothing."""

from __future__ import annotations

import os
import subprocess

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


def test_etl_run_twice(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster_home" / "dagster.yaml").read_text())
    generate(tmp_path / "raw", articles=80, days=4, start="2024-03-01", seed=3, keep_truth=False)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(tmp_path / "raw"),
        "ETL_LAKE_DIR": str(tmp_path / "lake"),
        "ETL_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "ETL_REPORTS_DIR": str(tmp_path / "reports"),
    }
    first = etl_run(env)
    assert "building lake partitions 2024-03-01 … 2024-03-04" in first.stderr
    assert "rebuilding the warehouse" in first.stderr
    assert "files seen" in first.stdout and "duckdb" in first.stdout
    assert (tmp_path / "warehouse.duckdb").exists()
    before = snapshot(tmp_path / "lake") | {"wh": (tmp_path / "warehouse.duckdb").stat().st_mtime_ns}

    second = etl_run(env)
    assert "nothing changed since the last `etl run`" in second.stderr  # told without loading Dagster
    assert "Dagster instance" not in second.stderr
    assert snapshot(tmp_path / "lake") | {"wh": (tmp_path / "warehouse.duckdb").stat().st_mtime_ns} == before
    assert first.stdout.splitlines()[:4] == second.stdout.splitlines()[:4]

    (home / "etl_run_state.json").unlink()  # without the shortcut, Dagster's view agrees: nothing to run
    third = etl_run(env)
    for line in ("raw files unchanged", "lake partitions up to date", "warehouse up to date"):
        assert line in third.stderr
    assert "succeeded in" not in third.stderr  # no Dagster run at all
    assert snapshot(tmp_path / "lake") | {"wh": (tmp_path / "warehouse.duckdb").stat().st_mtime_ns} == before
