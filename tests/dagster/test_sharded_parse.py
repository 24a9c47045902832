"""The sharded re-parse (`sharded_parse_job`): its parse steps fan out over processes with the multiprocess
executor, the manifest refresh that ends it parses nothing again, and a sharded parse builds the same lake as
a single one, row for row, on a synthetic sample and on a few hundred real corpus files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow.parquet as pq
import pytest

from etl.commands import run as run_command
from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.partitions import partition_bounds
from etl.dumps import parse
from etl.dumps.record import ArticleRecord
from etl.lake import build, plan, stage, storage
from etl.lake.atomic import read_footer
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest, refresh_manifest, scan_raw
from etl.lake.schema import TABLES
from etl.synth import generate

pytestmark = [pytest.mark.xdist_group("sharded_parse")]


def paths_config(root: Path, raw: Path, name: str) -> dict:
    return {
        "raw_dir": str(raw),
        "lake_dir": str(root / name / "lake"),
        "warehouse_path": str(root / name / "warehouse.duckdb"),
        "reports_dir": str(root / name / "reports"),
    }


def sharded_parse(instance, paths: dict, shards: int, executor: str) -> dg.ExecuteJobResult:
    return dg.execute_job(
        dg.reconstructable(run_command.sharded_parse_job),
        instance=instance,
        run_config={
            "execution": {"config": {executor: {}}},
            "ops": {"plan_parse_shards": {"config": {"shards": shards}}},
            "resources": {"paths": {"config": paths}},
        },
    )


def single_parse(raw: Path, lake: Path) -> None:
    """What raw_files_job does: one refresh that parses every file itself."""
    refresh_manifest(raw, lake, *partition_bounds())


def build_lake(raw: Path, lake: Path) -> None:
    """Every day of the manifest, as lake_partitions_job builds them."""
    manifest = read_manifest(lake)
    with build.PartitionWriter(lake, lake_code_version()) as writer:
        for day in build.build_partitions(manifest, lake, raw, plan.days_with_articles(manifest)):
            writer.submit(day)


def partition_files(lake: Path, table: str) -> list[Path]:
    return [Path(f).relative_to(lake) for f in storage.parquet_files(lake / table, "pub_date=*")]


def assert_same_lake(one: Path, other: Path) -> None:
    """Every lake table, row for row and footer for footer, and the manifest."""
    assert read_manifest(one).equals(read_manifest(other))
    for table in TABLES:
        files = partition_files(one, table)
        assert files, f"no {table} partitions"
        assert files == partition_files(other, table)
        for rel in files:
            assert pq.read_table(one / rel).equals(pq.read_table(other / rel)), rel
            assert read_footer(str(one / rel)) == read_footer(str(other / rel)), rel


def parse_step_pids(instance, run_id: str) -> dict[str, int]:
    starts = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START)
    return {e.step_key: e.dagster_event.pid for e in starts if e.step_key.startswith("parse_shard[")}


def test_three_shards_run_as_three_processes_and_build_the_same_lake(tmp_path):
    raw = tmp_path / "raw"
    generate(raw, articles=150, days=6, start="2024-03-01", seed=7, keep_truth=False)
    sharded, single = paths_config(tmp_path, raw, "sharded"), tmp_path / "single" / "lake"
    with dg.instance_for_test() as instance:
        result = sharded_parse(instance, sharded, shards=3, executor="multiprocess")
        assert result.success
        stats = instance.get_run_step_stats(result.run_id)
        parse_steps = [s for s in stats if s.step_key.startswith("parse_shard[")]
        assert sorted(s.step_key for s in parse_steps) == [f"parse_shard[shard_{i}]" for i in range(3)]
        assert {s.status.value for s in stats} == {"SUCCESS"}
        pids = parse_step_pids(instance, result.run_id)
        assert len(set(pids.values())) == 3, pids  # a process each

        # The refresh that ends the job took every file from the shards' staging: nothing parsed twice.
        record = instance.fetch_materializations(RAW_FILES, limit=1).records[0]
        metadata = record.asset_materialization.metadata
        assert metadata["files_from_shards"].value == len(scan_raw(raw)) == metadata["files_added"].value
        assert metadata["parse_cpu_seconds"].value == 0

    lake = Path(sharded["lake_dir"])
    build_lake(raw, lake)
    single_parse(raw, single)
    build_lake(raw, single)
    assert_same_lake(lake, single)


def test_nothing_to_parse_makes_no_shard_and_changes_nothing(tmp_path):
    raw = tmp_path / "raw"
    generate(raw, articles=40, days=2, start="2024-03-01", seed=8, keep_truth=False)
    paths = paths_config(tmp_path, raw, "lake")
    single_parse(raw, Path(paths["lake_dir"]))
    before = read_manifest(paths["lake_dir"])
    with dg.instance_for_test() as instance:
        result = sharded_parse(instance, paths, shards=3, executor="in_process")
        assert result.success
        assert parse_step_pids(instance, result.run_id) == {}
    assert read_manifest(paths["lake_dir"]).equals(before)


def test_a_sharded_reparse_after_a_parser_change_matches_a_single_one(tmp_path, monkeypatch):
    """A new parser version: every manifest row and lake row must come from the new parse, whether the files
    were parsed by the shards or by the refresh itself."""
    raw = tmp_path / "raw"
    generate(raw, articles=90, days=3, start="2024-03-01", seed=9, keep_truth=False)
    sharded, single = paths_config(tmp_path, raw, "sharded"), tmp_path / "single" / "lake"
    for lake in (Path(sharded["lake_dir"]), single):
        single_parse(raw, lake)
        build_lake(raw, lake)

    real = parse.parse_many
    monkeypatch.setattr(parse, "parse_many", lambda files, **kw: [retitled(r) for r in real(files, **kw)])
    monkeypatch.setattr(stage, "parser_version", lambda: "new-parser")
    monkeypatch.setenv("ETL_WORKERS", "1")  # parse in this process, where the patches hold
    with dg.instance_for_test() as instance:
        result = sharded_parse(instance, sharded, shards=3, executor="in_process")
        assert result.success and len(parse_step_pids(instance, result.run_id)) == 3
        record = instance.fetch_materializations(RAW_FILES, limit=1).records[0]
        assert record.asset_materialization.metadata["files_from_shards"].value == len(scan_raw(raw))
    single_parse(raw, single)
    for lake in (Path(sharded["lake_dir"]), single):
        build_lake(raw, lake)
    ok = read_manifest(single).filter(pl.col("parse_status") == "ok")
    assert ok.height and ok["title"].str.starts_with("[new] ").all()
    assert_same_lake(Path(sharded["lake_dir"]), single)


def retitled(record: ArticleRecord) -> ArticleRecord:
    """What a parser change might do: another title for every article."""
    return dataclasses.replace(record, title=f"[new] {record.title}") if record.status == "ok" else record


@pytest.mark.corpus
def test_sharded_and_single_parse_of_real_files_give_the_same_lake(corpus_dir, tmp_path):
    raw = tmp_path / "raw"  # 300 real dumps, linked (never copied)
    picked = sorted(scan_raw(corpus_dir))[::40][:300]
    for rel in picked:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).symlink_to(corpus_dir / rel)
    sharded, single = paths_config(tmp_path, raw, "sharded"), tmp_path / "single" / "lake"
    with dg.instance_for_test() as instance:
        assert sharded_parse(instance, sharded, shards=4, executor="in_process").success
    build_lake(raw, Path(sharded["lake_dir"]))
    single_parse(raw, single)
    build_lake(raw, single)
    assert read_manifest(single).height == len(picked)
    assert_same_lake(Path(sharded["lake_dir"]), single)
