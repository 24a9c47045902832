"""How runs execute where the code is deployed: the executor and the lake's backfill policy, from settings.

On one machine nothing here changes Dagster's defaults (every step of a run in its own process, a backfill
of any range as one run). On Kubernetes (deploy/) `ETL_EXECUTOR=k8s` runs each step in its own pod and
`ETL_BACKFILL_PARTITIONS_PER_RUN=N` fans a lake backfill out to runs of N daily partitions each.
"""

from __future__ import annotations

import dagster as dg

from etl.settings import Settings


def executor_name() -> str:
    return Settings.from_env().executor  # validated there: one of settings.EXECUTORS


def partitions_per_run() -> int:
    return Settings.from_env().backfill_partitions_per_run  # validated there: 0 or more


def lake_backfill_policy() -> dg.BackfillPolicy:
    """One run for any range (0, the default), else runs of at most N partitions each."""
    n = partitions_per_run()
    return dg.BackfillPolicy.single_run() if n == 0 else dg.BackfillPolicy.multi_run(max_partitions_per_run=n)


@dg.definitions
def deployment() -> dg.Definitions:
    if executor_name() == "multiprocess":
        return dg.Definitions()  # Dagster's default executor, as on one machine
    # Imported only when chosen: dagster-k8s is the `deploy` extra, not needed on one machine.
    from dagster_k8s import k8s_job_executor

    return dg.Definitions(executor=k8s_job_executor)
