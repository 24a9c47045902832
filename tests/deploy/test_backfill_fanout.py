"""A lake backfill on the deploy instance (PostgreSQL, queued runs) with ETL_BACKFILL_PARTITIONS_PER_RUN=N,
launched with deploy/backfill.py's GraphQL mutation (the UI's): Dagster's own backfill daemon step turns
30 days into ceil(30/N) runs of at most N days each, every one tagged with the backfill (the tag the deploy's
run limits count), waiting in the queue."""

from __future__ import annotations

import logging
import math
from datetime import date, timedelta

import pytest
from dagster._core.storage.dagster_run import DagsterRunStatus, RunsFilter
from dagster._core.test_utils import create_test_daemon_workspace_context
from dagster._core.workspace.load_target import ModuleTarget
from dagster._daemon.backfill import execute_backfill_iteration
from dagster_graphql.test.utils import execute_dagster_graphql
from deploy_support import deploy_backfill_script

from etl.settings import PROJECT_ROOT

PER_RUN = 7
DAYS = [(date(2024, 3, 1) + timedelta(days=i)).isoformat() for i in range(30)]


@pytest.mark.e2e
def test_lake_backfill_fans_out_to_runs_of_n_partitions(deploy_instance, monkeypatch):
    # Read by the code server the workspace starts (a fresh process, as a code location pod would be).
    monkeypatch.setenv("ETL_BACKFILL_PARTITIONS_PER_RUN", str(PER_RUN))
    monkeypatch.setenv("ETL_EXECUTOR", "k8s")
    instance = deploy_instance
    target = ModuleTarget(
        module_name="etl.definitions",
        attribute=None,
        working_directory=str(PROJECT_ROOT),
        location_name="news-warehouse",
    )
    with create_test_daemon_workspace_context(target, instance) as workspace:
        context = workspace.create_request_context()
        entry = context.get_code_location_entries()["news-warehouse"]
        assert entry.code_location, entry.load_error
        script = deploy_backfill_script()
        answer = execute_dagster_graphql(
            context, script.MUTATION, {"params": script.backfill_params(DAYS[0], DAYS[-1])}
        )
        backfill_id = script.backfill_id({"data": answer.data, "errors": answer.errors})
        for _ in range(3):  # one iteration requests every run; the others must add none
            list(execute_backfill_iteration(workspace, logging.getLogger("backfill-test")))

    runs = instance.get_runs(filters=RunsFilter(tags={"dagster/backfill": backfill_id}))
    assert len(runs) == math.ceil(len(DAYS) / PER_RUN)
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
    assert {r.status for r in runs} == {DagsterRunStatus.QUEUED}
