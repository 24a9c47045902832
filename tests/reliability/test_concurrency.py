"""Concurrent writers, real processes: the sensors' runs and an overlapping backfill at once, and two
`etl run` at once, each while a DuckDB CLI session holds the warehouse open. Every run succeeds, nothing
reports a lock error, and the end state is the clean sequential run's (row counts and checksums of every
table)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pipeline_procs as procs
import pytest
import state_checksums as sc
from cli_session import CliSession

pytestmark = pytest.mark.e2e

SENSOR_LOOP = str(Path(__file__).with_name("sensor_loop.py"))
DAGSTER = str(Path(procs.ETL).with_name("dagster"))
LOCK_ERROR = re.compile(
    r"Could not set lock|database is locked|Conflicting lock|LockTimeout|lock on file", re.IGNORECASE
)


def lock_errors(site: procs.Site, logs: list[str]) -> list[str]:
    """Lock errors anywhere: process logs, and every Dagster event (failed checks, step failures)."""
    found = [
        line for name in logs for line in procs.read_log(site, name).splitlines() if LOCK_ERROR.search(line)
    ]
    with procs.dagster_instance(site) as instance:
        for run in instance.get_runs():
            for entry in instance.all_logs(run.run_id):
                data = entry.dagster_event.event_specific_data if entry.dagster_event else ""
                text = f"{entry.user_message} {data}"
                if LOCK_ERROR.search(text):
                    found.append(f"run {run.run_id[:8]}: {text[:300]}")
    return found


def run_statuses(site: procs.Site) -> dict[str, int]:
    with procs.dagster_instance(site) as instance:
        statuses: dict[str, int] = {}
        for run in instance.get_runs():
            statuses[run.status.value] = statuses.get(run.status.value, 0) + 1
    return statuses


def test_sensor_runs_and_overlapping_backfill_with_a_cli_session_open(site, reference, ledger):
    stop = site.root / "backfill-done"
    with procs.dagster_instance(site) as instance:
        # The instance exists, as under a running daemon (creating one races: dead_runs.open_instance), and
        # the archive's days are partitions (the sensor would have added them as their files arrived).
        instance.add_dynamic_partitions("pub_date", [f"2024-03-0{d}" for d in range(1, 9)])
    with CliSession(site.warehouse, site.root) as cli:
        sensors = procs.start(site, sys.executable, SENSOR_LOOP, str(stop), log_name="sensors")
        # A backfill over days the sensor also requests, launched the way a user would, as its own process.
        backfill = procs.start(
            site,
            DAGSTER,
            "asset",
            "materialize",
            "-m",
            "etl.definitions",
            "--select",
            "lake/articles",
            "--partition-range",
            "2024-03-03...2024-03-08",  # the archive covers 2024-03-01 … 2024-03-08 (conftest)
            log_name="backfill",
        )
        procs.finish(backfill, site, "backfill")
        warehouse = procs.start(
            site, DAGSTER, "job", "execute", "-m", "etl.definitions", "-j", "warehouse_job", log_name="wh"
        )
        procs.finish(warehouse, site, "wh")
        stop.write_text("")
        procs.finish(sensors, site, "sensors")
    assert cli.sessions >= 1 and cli.queries > 10
    assert cli.errors() == []
    assert lock_errors(site, ["sensors", "backfill", "wh"]) == []
    assert set(run_statuses(site)) == {"SUCCESS"}, run_statuses(site)
    state = sc.pipeline_state(site.lake, site.warehouse)
    lost = ledger("sensor+backfill", 0, 0, state, reference["state"])
    assert state == reference["state"], sc.differences(state, reference["state"])
    assert lost == 0


def test_two_etl_runs_at_once_with_a_cli_session_open(site, reference, ledger):
    with CliSession(site.warehouse, site.root) as cli:
        first = procs.start(site, log_name="first")
        second = procs.start(site, log_name="second")
        procs.finish(first, site, "first")
        procs.finish(second, site, "second")
    assert cli.sessions >= 1
    assert cli.errors() == []
    assert lock_errors(site, ["first", "second"]) == []
    assert set(run_statuses(site)) == {"SUCCESS"}, run_statuses(site)
    state = sc.pipeline_state(site.lake, site.warehouse)
    lost = ledger("two etl runs", 0, 0, state, reference["state"])
    assert state == reference["state"], sc.differences(state, reference["state"])
    assert lost == 0
