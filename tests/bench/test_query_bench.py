"""bench/queries.py and bench/extractors.py are run by hand; these check that they still run, print their
verdicts, and that the fast path's grown lake is a valid lake (shifted copies, unique ids and titles)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from etl.synth import generate
from etl.warehouse.build import build_warehouse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "warehouse"))
import handmade_lake  # noqa: E402


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("grown")
    rows = handmade_lake.sample_articles(days=20)
    base = handmade_lake.write_lake(root / "base", rows, versions={"dw-000-0": ["旧标题", "新标题"]})
    bench_module("queries").grow_lake(base, root / "lake", copies=3)
    return base, root / "lake"


def test_grown_lake_holds_shifted_copies(grown):
    base, lake = grown
    scan = "read_parquet('{}/articles/*/*.parquet', hive_partitioning = true)"
    con = duckdb.connect()
    n, first, last = con.execute(
        f"SELECT count(*), min(pub_date), max(pub_date) FROM {scan.format(base)}"
    ).fetchone()
    got = con.execute(
        f"SELECT count(*), count(DISTINCT article_id), count(DISTINCT title), min(pub_date), max(pub_date), "
        f"bool_and(contains(title, article_id)) FROM {scan.format(lake)}"
    ).fetchone()
    assert got == (3 * n, 3 * n, 3 * n, first - timedelta(days=2 * 365), last, True)
    assert pq.read_table(lake / "manifest" / "manifest.parquet").num_rows == 3 * (
        pq.read_table(base / "manifest" / "manifest.parquet").num_rows
    )
    result = build_warehouse(lake, lake.parent / "grown.duckdb", handmade_lake.write_registries(lake.parent))
    assert all(c.passed for c in result.checks), [c for c in result.checks if not c.passed]
    assert result.row_counts["articles"] == 3 * n


def test_query_bench_runs_on_a_given_lake(grown):
    _, lake = grown
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "queries.py"), "--lake", str(lake), "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" warehouse ") == 4 and done.stdout.count(" lake ") >= 4
    assert done.stdout.count("meets") == 4 and "search_titles(" in done.stdout


def test_extractors_bench_runs_on_a_small_synthetic_sample(tmp_path):
    generate(tmp_path / "raw", articles=30, days=2, start="2024-03-01", seed=3, keep_truth=False)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "extractors.py"), str(tmp_path / "raw"), "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "trafilatura.extract (defaults)" in done.stdout and "news-warehouse full record" in done.stdout
    assert "/ trafilatura bare text, CPU best =" in done.stdout
