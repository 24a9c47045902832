"""The code location loads, and its inventory is what the project documents."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg

from etl.definitions import defs
from etl.settings import PROJECT_ROOT


def test_definitions_are_loadable():
    dg.Definitions.validate_loadable(defs)


def test_inventory():
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    mine = {"raw_files", "lake/articles"}  # lake/articles: the partitions of both lake tables
    assert mine <= keys
    downstream = keys - mine
    assert "warehouse/articles" in downstream and "reports/warehouse_report" in downstream
    assert all(k.startswith(("warehouse/", "reports/")) for k in downstream)

    graph = defs.resolve_asset_graph()
    checks = {f"{c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys}
    assert {
        "raw_files:every_file_accounted_for",
        "raw_files:reject_rate_below_threshold",
        "raw_files:files_before_partition_start",
        "lake/articles:every_file_accounted_for",
        "lake/articles:unique_article_id",
        "lake/articles:pub_date_inside_partition",
    } <= checks
    repo = defs.get_repository_def()
    sensors = {"raw_folder_sensor", "warehouse_after_lake_sensor", "dead_run_sensor"}
    assert {s.name for s in repo.sensor_defs} == sensors
    assert {s.name for s in repo.schedule_defs} == {"daily_lake_schedule"}
    jobs = {"raw_files_job", "lake_partitions_job", "daily_lake_job", "warehouse_job"}
    assert jobs <= {j.name for j in repo.get_all_jobs()}

    lake = graph.get(dg.AssetKey(["lake", "articles"]))
    # Partitions are the days with articles, added as they appear: none in a new instance.
    assert isinstance(lake.partitions_def, dg.DynamicPartitionsDefinition)
    assert lake.partitions_def.name == "pub_date"
    assert lake.backfill_policy == dg.BackfillPolicy.single_run()
    assert lake.code_version and graph.get(dg.AssetKey("raw_files")).partitions_def is None
    # Every asset that writes the DuckDB warehouse is serialised by the pool dagster.yaml limits to 1.
    for key in graph.get_all_asset_keys():
        if key.path[0] == "warehouse":
            assert defs.resolve_assets_def(key).op.pool == "duckdb_warehouse"


def test_cli_validates_the_workspace():
    bin_dir = PROJECT_ROOT / ".venv" / "bin"
    done = subprocess.run(
        [str(bin_dir / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_loading_the_code_location_leaves_the_heavy_steps_unimported():
    """Every process that loads the definitions (the daemon's sensors, the UI, each step of a multiprocess
    run) pays for their imports: the warehouse build (events step: rjieba, scipy), the report (matplotlib) and
    the audit are imported by their own steps only (1.5 against 2.6 CPU-s to load the code location)."""
    heavy = ["matplotlib", "rjieba", "scipy", "etl.warehouse.build", "etl.events", "etl.audit", "etl.report"]
    probe = f"import sys, etl.definitions; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
