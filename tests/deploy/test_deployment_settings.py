"""etl/defs/deployment.py: the executor and the lake backfill policy come from the environment, with no
code edit; the code location loads with the Kubernetes settings on, and keeps Dagster's defaults without."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dagster as dg
import pytest

from etl.defs import deployment
from etl.settings import PROJECT_ROOT

# Loads the code location in a fresh process (settings are read at import) and reports what a run gets.
PROBE = """
import json
from dagster._core.system_config.objects import ResolvedRunConfig
from etl.definitions import defs
from etl.defs.lake.assets import ARTICLES

jobs = {j.name: j for j in defs.get_repository_def().get_all_jobs()}
lake = defs.resolve_asset_graph().get(ARTICLES)
job = jobs["lake_partitions_job"]
ResolvedRunConfig.build(job, {})  # a run needs no extra run config for the executor
print(json.dumps({
    "executors": {name: j.executor_def.name for name, j in jobs.items()},
    "max_partitions_per_run": lake.backfill_policy.max_partitions_per_run,
    "policy_type": lake.backfill_policy.policy_type.value,
}))
"""


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ETL_EXECUTOR", "ETL_BACKFILL"))}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_defaults_are_dagsters_on_one_machine():
    """The code location as this test process loaded it, without the Kubernetes settings."""
    if os.environ.get("ETL_EXECUTOR") or os.environ.get("ETL_BACKFILL_PARTITIONS_PER_RUN"):
        pytest.skip("the test process runs with deployment settings of its own")
    from etl.definitions import defs
    from etl.defs.lake.assets import ARTICLES

    jobs = defs.get_repository_def().get_all_jobs()
    assert jobs and {j.executor_def.name for j in jobs} == {"multi_or_in_process_executor"}
    assert defs.resolve_asset_graph().get(ARTICLES).backfill_policy == dg.BackfillPolicy.single_run()


def test_kubernetes_settings_switch_executor_and_backfill_policy():
    got = probe(ETL_EXECUTOR="k8s", ETL_BACKFILL_PARTITIONS_PER_RUN="7")
    # Every job of the code location, the asset jobs behind UI materializations and backfills included.
    assert got["executors"] and set(got["executors"].values()) == {"k8s"}, got["executors"]
    # ... and lake backfills fan out to runs of N days.
    assert got["policy_type"] == "MULTI_RUN" and got["max_partitions_per_run"] == 7


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("ETL_EXECUTOR", "celery", "ETL_EXECUTOR='celery': expected one of multiprocess, k8s"),
        (
            "ETL_BACKFILL_PARTITIONS_PER_RUN",
            "ten",
            "ETL_BACKFILL_PARTITIONS_PER_RUN='ten': Input should be a valid integer",
        ),
        (
            "ETL_BACKFILL_PARTITIONS_PER_RUN",
            "-1",
            "ETL_BACKFILL_PARTITIONS_PER_RUN='-1': use 0 (one run) or a positive count",
        ),
    ],
)
def test_bad_settings_fail_with_a_clear_message(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        deployment.executor_name() if env == "ETL_EXECUTOR" else deployment.lake_backfill_policy()


def test_policy_values(monkeypatch):
    monkeypatch.setenv("ETL_BACKFILL_PARTITIONS_PER_RUN", "0")
    assert deployment.lake_backfill_policy() == dg.BackfillPolicy.single_run()
    monkeypatch.setenv("ETL_BACKFILL_PARTITIONS_PER_RUN", " 31 ")
    assert deployment.lake_backfill_policy() == dg.BackfillPolicy.multi_run(max_partitions_per_run=31)
    monkeypatch.delenv("ETL_EXECUTOR", raising=False)
    assert deployment.executor_name() == "multiprocess"
