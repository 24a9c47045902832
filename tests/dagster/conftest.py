"""Dagster test fixtures: temp data paths and a temp instance, synthetic sample made by etl.synth."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from etl.defs.resources import PathsResource
from etl.synth import generate


@pytest.fixture(scope="session")
def synth_sample(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("dagster_synth") / "raw"
    generate(raw, articles=120, days=5, start="2024-03-01", seed=11, keep_truth=False)
    return raw


def paths_for(root: Path, raw: Path) -> PathsResource:
    return PathsResource(
        raw_dir=str(raw),
        lake_dir=str(root / "lake"),
        warehouse_path=str(root / "warehouse.duckdb"),
        reports_dir=str(root / "reports"),
    )


@pytest.fixture
def make_paths():
    """paths_for as a fixture: importing conftest from a test is ambiguous when several folders have one."""
    return paths_for


@pytest.fixture
def synth_paths(tmp_path, synth_sample) -> PathsResource:
    raw = tmp_path / "raw"
    shutil.copytree(synth_sample, raw)
    return paths_for(tmp_path, raw)


@pytest.fixture
def instance():
    with dg.instance_for_test() as inst:
        yield inst
