"""A lake backfill on the deploy instance (PostgreSQL, queued runs) with ETL_BACKFILL_PARTITIONS_PER_RUN=N,
launched with deploy/backfill.py's GraphQL mutation (the UI's) against `dagster dev`: Dagster's own backfill
daemon turns 30 days into ceil(30/N) runs of at most N days each, every one tagged with the backfill (the tag
the deploy's run limits count), waiting in the queue (the test's queue launches nothing)."""

from __future__ import annotations

import math
import os
import time
from datetime import date, timedelta

import dagster as dg
import pytest
import yaml
from dagster_server import dagster_server
from deploy_support import deploy_backfill_script

from etl.settings import PROJECT_ROOT

PER_RUN = 7
DAYS = [(date(2024, 3, 1) + timedelta(days=i)).isoformat() for i in range(30)]


def backfill_runs(instance: dg.DagsterInstance, backfill_id: str, want: int) -> list[dg.DagsterRun]:
    deadline = time.monotonic() + 180
    while True:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
        if len(runs) >= want or time.monotonic() > deadline:
            time.sleep(3)  # more daemon iterations: they must add none
            return instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
        time.sleep(1)


@pytest.mark.e2e
def test_lake_backfill_fans_out_to_runs_of_n_partitions(deploy_instance, tmp_path):
    instance = deploy_instance
    instance.add_dynamic_partitions("pub_date", DAYS)  # days with articles (raw_files or the sensor add them)
    home = tmp_path / "dagster_home"
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    config["concurrency"]["runs"]["max_concurrent_runs"] = 0  # runs wait in the queue, none is launched
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        # Read by the code server `dagster dev` starts (a fresh process, as a code location pod would be).
        "ETL_BACKFILL_PARTITIONS_PER_RUN": str(PER_RUN),
        "ETL_EXECUTOR": "k8s",
        # The daemon also ticks the sensors: on empty folders of this test, never on the project's data.
        "ETL_RAW_DIR": str(tmp_path / "raw"),
        "ETL_LAKE_DIR": str(tmp_path / "lake"),
        "ETL_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "ETL_REPORTS_DIR": str(tmp_path / "reports"),
    }
    command = [str(PROJECT_ROOT / ".venv/bin/dagster"), "dev", "-m", "etl.definitions"]
    log = tmp_path / "dagster-dev.log"
    with dagster_server(command, env, log) as port:
        backfill_id = deploy_backfill_script().launch(f"http://127.0.0.1:{port}", DAYS[0], DAYS[-1])
        runs = backfill_runs(instance, backfill_id, math.ceil(len(DAYS) / PER_RUN))

    assert len(runs) == math.ceil(len(DAYS) / PER_RUN), log.read_text()[-3000:]
    ranges = sorted(
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in runs
    )
    covered = []
    for start, end in ranges:
        days = [d for d in DAYS if start <= d <= end]
        assert 1 <= len(days) <= PER_RUN
        covered += days
    assert covered == DAYS  # every day once, no overlap
    # Queued for the daemon, which launches them under the `dagster/backfill` run limit.
    assert {r.status for r in runs} == {dg.DagsterRunStatus.QUEUED}
