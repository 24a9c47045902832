"""Fixtures: registries and a small lake written by hand (handmade_lake.py), and a warehouse built on them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import handmade_lake
import pytest
import real_run

from etl.warehouse.build import BuildResult, build_warehouse


@pytest.fixture(scope="session")
def registries_dir(tmp_path_factory) -> Path:
    return handmade_lake.write_registries(tmp_path_factory.mktemp("registries"))


@pytest.fixture(scope="session")
def sample_rows() -> list[dict]:
    return handmade_lake.sample_articles()


@pytest.fixture(scope="session")
def built(tmp_path_factory, registries_dir, sample_rows) -> BuildResult:
    root = tmp_path_factory.mktemp("built")
    lake = handmade_lake.write_lake(root / "lake", sample_rows, versions={"dw-000-0": ["旧标题", "新标题"]})
    return build_warehouse(lake, root / "warehouse.duckdb", registries_dir)


@pytest.fixture
def con(built):
    connection = duckdb.connect(str(built.path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Path:
    """A warehouse from a real run (synthetic sample through the Dagster assets), see real_run.py."""
    path, _ = real_run.build(tmp_path_factory.mktemp("real"))
    return path
