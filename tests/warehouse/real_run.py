"""A warehouse built by a real run: `etl synth` sample -> raw_files -> lake partitions -> warehouse, through
Dagster's `materialize` with every asset the project defines. Falls back to the hand-built lake only while the
upstream modules do not exist yet (a broken upstream module fails loudly instead)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import handmade_lake
import pyarrow.compute as pc
import pyarrow.parquet as pq

UPSTREAM = ("etl.synth", "etl.defs.ingest.raw_files", "etl.defs.lake.assets")
SYNTH_ARTICLES = 600  # ~650 files over 45 days: enough for bursts and shares, fast enough for the suite
SYNTH_DAYS = 45


def upstream_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in UPSTREAM)


def build(root: Path) -> tuple[Path, str]:
    """-> (warehouse path, "real run" | "hand-built lake")."""
    path, mode, _ = build_with_truth(root)
    return path, mode


def build_with_truth(root: Path, articles: int = SYNTH_ARTICLES, days: int = SYNTH_DAYS):
    """-> (warehouse path, "real run" | "hand-built lake", the sample's SynthSummary or None)."""
    import dagster as dg

    from etl.defs.resources import PathsResource
    from etl.defs.warehouse.assets import warehouse

    paths = PathsResource(
        raw_dir=str(root / "raw"),
        lake_dir=str(root / "lake"),
        warehouse_path=str(root / "warehouse.duckdb"),
        reports_dir=str(root / "reports"),
    )
    instance = dg.DagsterInstance.ephemeral()
    if not upstream_available():
        print("real_run: upstream pipeline not present yet, using the hand-built lake", file=sys.stderr)
        handmade_lake.write_lake(root / "lake", handmade_lake.sample_articles())
        assert dg.materialize([warehouse], resources={"paths": paths}, instance=instance).success
        return Path(paths.warehouse_path), "hand-built lake", None

    from etl.defs.ingest.raw_files import raw_files
    from etl.defs.lake.assets import lake_partitions
    from etl.synth import generate

    sample = generate(root / "raw", articles=articles, days=days)
    assert dg.materialize([raw_files], resources={"paths": paths}, instance=instance).success
    days = pq.read_table(root / "lake" / "manifest" / "manifest.parquet", columns=["pub_date"]).column(0)
    first, last = (d.isoformat() for d in (pc.min(days).as_py(), pc.max(days).as_py()))
    lake_keys = [dg.AssetKey(["lake", "articles"])]
    result = dg.materialize(
        [raw_files, lake_partitions],
        selection=lake_keys,
        resources={"paths": paths},
        instance=instance,
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
    )
    assert result.success
    assert dg.materialize([warehouse], resources={"paths": paths}, instance=instance).success
    return Path(paths.warehouse_path), "real run", sample
