"""One small pipeline run through Dagster (synthetic sample -> manifest -> lake -> warehouse + audit check),
and a fresh copy of it per test for injecting faults."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from etl.defs.resources import PathsResource
from etl.synth import generate


@dataclass
class Pipeline:
    root: Path
    paths: PathsResource
    check_passed: bool | None = None  # audit_reconciles as evaluated in the run that built the warehouse

    @property
    def raw(self) -> Path:
        return Path(self.paths.raw_dir)

    @property
    def lake(self) -> Path:
        return Path(self.paths.lake_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.paths.warehouse_path)


def paths_under(root: Path) -> PathsResource:
    return PathsResource(
        raw_dir=str(root / "raw"),
        lake_dir=str(root / "lake"),
        warehouse_path=str(root / "warehouse.duckdb"),
        reports_dir=str(root / "reports"),
    )


@pytest.fixture(scope="session")
def built_pipeline(tmp_path_factory) -> Pipeline:
    from etl.defs.audit.checks import audit_reconciles
    from etl.defs.ingest.raw_files import raw_files
    from etl.defs.lake.assets import LAKE_KEYS, lake_partitions
    from etl.defs.warehouse.assets import warehouse

    root = tmp_path_factory.mktemp("audit_pipeline")
    generate(root / "raw", articles=80, days=4, start="2024-03-01", seed=5, keep_truth=False)
    pipeline = Pipeline(root, paths_under(root))
    resources = {"paths": pipeline.paths}
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize([raw_files], resources=resources, instance=instance).success
    days = pq.read_table(pipeline.lake / "manifest" / "manifest.parquet", columns=["pub_date"]).column(0)
    first, last = (d.isoformat() for d in (pc.min(days).as_py(), pc.max(days).as_py()))
    lake = dg.materialize(
        [raw_files, lake_partitions],
        selection=LAKE_KEYS,
        resources=resources,
        instance=instance,
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
    )
    assert lake.success
    result = dg.materialize([warehouse, audit_reconciles], resources=resources, instance=instance)
    assert result.success
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "audit_reconciles"]
    pipeline.check_passed = evaluation.passed
    return pipeline


@pytest.fixture
def pipeline(built_pipeline, tmp_path) -> Pipeline:
    """A copy of the built pipeline (mtimes kept), its warehouse saying it was built from the copied lake."""
    root = tmp_path / "copy"
    shutil.copytree(built_pipeline.root, root)
    copy = Pipeline(root, paths_under(root))
    con = duckdb.connect(str(copy.warehouse))
    con.execute("UPDATE build_info SET value = ? WHERE key = 'lake_dir'", [str(copy.lake.resolve())])
    con.close()
    return copy
