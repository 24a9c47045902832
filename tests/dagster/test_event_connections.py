"""`etl run`'s kept-open event log connections store exactly the events Dagster's own connections store."""

import os
import sqlite3.dbapi2
import uuid
from collections import Counter

import dagster as dg
import pytest

from etl.defs.automation.event_connections import kept_event_connections

DAYS = dg.DailyPartitionsDefinition(start_date="2024-03-01", end_date="2024-03-08")
A, B = dg.AssetKey(["lake", "a"]), dg.AssetKey(["lake", "b"])


@dg.multi_asset(
    specs=[dg.AssetSpec(A, skippable=True), dg.AssetSpec(B, skippable=True)],
    partitions_def=DAYS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    check_specs=[dg.AssetCheckSpec("fine", asset=A)],
)
def days(context: dg.AssetExecutionContext):
    for day in context.partition_keys:
        for key in (A, B):
            yield dg.AssetMaterialization(asset_key=key, partition=day, metadata={"rows": len(day)})
    yield dg.AssetCheckResult(asset_key=A, check_name="fine", passed=True)


JOB = dg.Definitions(assets=[days], jobs=[dg.define_asset_job("days_job", selection=[A, B])]).resolve_job_def(
    "days_job"
)


def run_days(instance: dg.DagsterInstance) -> list[str]:
    keys = DAYS.get_partition_keys()
    result = JOB.execute_in_process(
        instance=instance,
        tags={"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]},
    )
    assert result.success
    return [e.dagster_event_type.value for e in instance.all_logs(result.run_id) if e.dagster_event_type]


def stored(instance: dg.DagsterInstance) -> dict[str, list[str]]:
    """Materialized partitions per asset, as the UI's asset pages read them (the cross-run index)."""
    return {
        key.to_user_string(): sorted(
            r.partition_key for r in instance.fetch_materializations(key, limit=100).records
        )
        for key in (A, B)
    }


@pytest.fixture
def connects(monkeypatch) -> Counter:
    """How often each SQLite database file is opened."""
    opened: Counter = Counter()
    real = sqlite3.dbapi2.connect  # what SQLAlchemy's pysqlite dialect calls

    def counting(database, *args, **kwargs):
        opened[str(database)] += 1
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3.dbapi2, "connect", counting)
    return opened


def event_log_opens(connects: Counter) -> int:
    """Opens of the event log's databases: the cross-run index and the runs' shards (history/runs/*.db)."""
    return sum(n for db, n in connects.items() if "/history/runs/" in db)


def test_same_events_far_fewer_connections(connects):
    with dg.instance_for_test() as plain:
        connects.clear()
        plain_events = run_days(plain)
        plain_opens = event_log_opens(connects)
    with dg.instance_for_test() as kept, kept_event_connections(kept):
        connects.clear()
        kept_events = run_days(kept)
        kept_stored = stored(kept)
        kept_opens = event_log_opens(connects)

    assert Counter(kept_events) == Counter(plain_events)
    assert Counter(kept_events)["ASSET_MATERIALIZATION"] == 2 * 7
    assert kept_stored["lake/a"] == kept_stored["lake/b"] == DAYS.get_partition_keys()
    assert plain_opens > 40  # Dagster alone: a connection per event
    assert kept_opens < 10  # kept: a few per database file (the index, the run's shard), not one per event


def test_restores_dagsters_connections(connects):
    with dg.instance_for_test() as instance:
        with kept_event_connections(instance):
            run_days(instance)
        assert "_connect" not in vars(instance.event_log_storage)
        connects.clear()
        run_days(instance)  # works on Dagster's own connections again
        assert event_log_opens(connects) > 40


def test_prepared_run_files(tmp_path):
    used, unused = str(uuid.uuid4()), str(uuid.uuid4())
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        storage = instance.event_log_storage
        with kept_event_connections(instance, prepare_runs=[used, unused]):
            keys = DAYS.get_partition_keys()
            result = JOB.execute_in_process(
                instance=instance,
                run_id=used,
                tags={
                    "dagster/asset_partition_range_start": keys[0],
                    "dagster/asset_partition_range_end": keys[-1],
                },
            )
            assert result.success and result.run_id == used
        assert os.path.exists(storage.path_for_shard(used))
        assert not any(p.name.startswith(unused) for p in tmp_path.rglob("*"))  # removed with its -wal/-shm
        types = Counter(e.dagster_event_type.value for e in instance.all_logs(used) if e.dagster_event_type)
        assert types["ASSET_MATERIALIZATION"] == 2 * 7 and types[dg.DagsterEventType.RUN_SUCCESS.value] == 1
