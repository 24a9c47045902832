"""deploy/dagster.yaml's instance on a real PostgreSQL: the pipeline materializes, and runs, events, asset
records and the warehouse pool's slots are in the database (no SQLite file beside the config)."""

from __future__ import annotations

import dagster as dg
import pytest

from etl.defs.ingest.raw_files import raw_files
from etl.defs.lake.assets import ARTICLES, lake_partitions
from etl.defs.resources import PathsResource
from etl.defs.warehouse.assets import warehouse
from etl.synth import generate

DAYS = {
    "dagster/asset_partition_range_start": "2024-05-01",
    "dagster/asset_partition_range_end": "2024-05-02",
}


@pytest.mark.e2e
def test_pipeline_runs_on_the_deploy_postgres_storage(tmp_path, postgres, deploy_db, deploy_instance):
    raw = tmp_path / "raw"
    generate(raw, articles=30, days=2, start="2024-05-01", seed=5, keep_truth=False)
    paths = PathsResource(
        raw_dir=str(raw),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "warehouse.duckdb"),
        reports_dir=str(tmp_path / "reports"),
    )
    instance = deploy_instance
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
    assert instance.get_concurrency_config().pool_config.default_pool_limit == 1

    def materialize(assets, tags=None):
        result = dg.materialize(assets, instance=instance, resources={"paths": paths}, tags=tags)
        assert result.success
        return result

    materialize([raw_files])
    lake = materialize([lake_partitions], tags=DAYS)
    assert {m.partition for m in lake.asset_materializations_for_node("lake_partitions")} >= {"2024-05-01"}
    materialize([warehouse])

    assert instance.get_materialized_partitions(ARTICLES) == {"2024-05-01", "2024-05-02"}
    assert instance.get_latest_materialization_event(dg.AssetKey(["warehouse", "articles"])) is not None
    # The warehouse op took its slot in pool duckdb_warehouse, limited to 1 by the config's default.
    info = instance.event_log_storage.get_concurrency_info("duckdb_warehouse")
    assert info.slot_count == 1 and not info.claimed_slots

    with postgres.connect(deploy_db) as conn, conn.cursor() as cur:
        cur.execute("SELECT status, count(*) FROM runs GROUP BY status")
        assert dict(cur.fetchall()) == {"SUCCESS": 3}
        cur.execute("SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
        assert cur.fetchone()[0] >= 4
