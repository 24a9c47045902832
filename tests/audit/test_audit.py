"""`etl audit` on a clean pipeline run (exit 0) and with one fault injected at each layer (exit 1, the fault
named): raw file added or deleted, lake partition file removed, article duplicated into a second partition,
manifest row dropped, warehouse row deleted; and the audit_reconciles asset check through Dagster."""

from __future__ import annotations

import json
import os
import shutil

import dagster as dg
import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from etl.audit import audit
from etl.audit.report import day_ranges
from etl.cli import main
from etl.defs.audit.checks import audit_reconciles
from etl.defs.partitions import PARTITION_START
from etl.lake.atomic import read_footer, write_parquet_atomic
from etl.lake.manifest import manifest_path, read_manifest


def cli(p, *extra: str) -> int:
    return main(
        ["audit", "--raw", str(p.raw), "--lake", str(p.lake), "--warehouse", str(p.warehouse), *extra]
    )


def audit_of(p, **kw):
    return audit(p.raw, p.lake, p.warehouse, PARTITION_START, **kw)


def failed(report) -> set[str]:
    return {f.check for f in report.failures}


def sample_of(report, check: str) -> str:
    return "\n".join(next(f for f in report.findings if f.check == check).sample)


def partition_file(lake, table: str, day: str):
    """The lake layout of TEAM.md: <lake>/<table>/pub_date=YYYY-MM-DD/part-0.parquet."""
    return lake / table / f"pub_date={day}" / "part-0.parquet"


def days_of(p) -> list[str]:
    return sorted(d.name.removeprefix("pub_date=") for d in (p.lake / "articles").glob("pub_date=*"))


def test_clean_run_audits_clean(pipeline, capsys):
    assert cli(pipeline) == 0
    out = capsys.readouterr().out
    assert "audit clean" in out and "FAIL" not in out
    report = audit_of(pipeline)
    assert report.ok, [f.summary for f in report.failures]
    counts = report.counts
    files = counts["raw folder"]["files"]
    m = counts["manifest"]
    assert (
        files == m["files"] == m["articles"] + m["duplicates"] + m["rejected"] == counts["warehouse"]["files"]
    )
    assert m["duplicates"] > 0 and m["rejected"] > 0  # the sample has re-captures and malformed files
    for figure in ("ok_captures", "articles", "duplicates", "partitions"):
        assert m[figure] == counts["lake"][figure] == counts["warehouse"][figure]
    assert report.per_outlet[-1] == {
        "outlet": "total",
        "files": files,
        "articles": m["articles"],
        "duplicates": m["duplicates"],
        "rejected": m["rejected"],
        "unaccounted": 0,
    }


def test_json_report(pipeline, capsys):
    assert cli(pipeline, "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["counts"]["lake"]["articles"] > 0
    assert {f["layer"] for f in doc["findings"]} == {
        "raw folder vs manifest",
        "manifest",
        "manifest vs lake",
        "lake vs warehouse",
    }


def test_raw_file_added_after_the_run(pipeline, capsys):
    source = sorted(pipeline.raw.rglob("*.md"))[0]
    added = source.with_name("added-later.md")
    shutil.copy(source, added)
    assert cli(pipeline, "--skip-warehouse") == 1
    out = capsys.readouterr().out
    assert "1 file(s) on disk not in the manifest" in out and "added-later.md" in out and "etl run" in out
    assert failed(audit_of(pipeline)) >= {"raw_files_not_in_manifest", "files_accounted_for"}


def test_raw_file_deleted(pipeline):
    gone = sorted(pipeline.raw.rglob("*.md"))[3]
    gone.unlink()
    report = audit_of(pipeline)
    assert "manifest_files_missing_on_disk" in failed(report)
    assert gone.name in sample_of(report, "manifest_files_missing_on_disk")
    assert "raw_files_not_in_manifest" not in failed(report)


def test_edit_keeping_size_and_mtime_needs_verify_hashes(pipeline):
    ok = read_manifest(pipeline.lake).filter(pl.col("status") == "ok")["path"][0]
    target = pipeline.raw / ok
    st = target.stat()
    data = bytearray(target.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    target.write_bytes(bytes(data))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert audit_of(pipeline).ok  # invisible to the stat comparison
    report = audit_of(pipeline, verify_hashes=True)
    assert failed(report) == {"raw_content_changed"}
    assert ok in sample_of(report, "raw_content_changed")


def test_lake_partition_file_removed(pipeline):
    day = days_of(pipeline)[1]
    partition_file(pipeline.lake, "article_versions", day).unlink()
    report = audit_of(pipeline)
    assert {"captures_missing_from_lake", "partition_counts_agree", "article_versions_match_lake"} <= failed(
        report
    )
    assert day in sample_of(report, "partition_counts_agree")
    assert day in sample_of(report, "captures_missing_from_lake")


def test_article_duplicated_into_a_second_partition(pipeline):
    first, second = days_of(pipeline)[:2]
    source = partition_file(pipeline.lake, "articles", first)
    target = partition_file(pipeline.lake, "articles", second)
    row = pq.read_table(source).slice(0, 1)
    article_id = row.column("article_id")[0].as_py()
    footer = read_footer(target)
    merged = pl.concat([pl.from_arrow(pq.read_table(target)), pl.from_arrow(row)]).to_arrow()
    write_parquet_atomic(merged.cast(pq.read_schema(target).remove_metadata()), target, footer)
    report = audit_of(pipeline)
    assert {"articles_once", "partition_counts_agree"} <= failed(report)
    assert f"{article_id}  2  {first}, {second}" in sample_of(report, "articles_once")


def test_manifest_row_dropped(pipeline):
    manifest = read_manifest(pipeline.lake)
    dropped = manifest.filter(pl.col("status") == "ok")["path"][0]
    path = manifest_path(pipeline.lake)
    write_parquet_atomic(manifest.filter(pl.col("path") != dropped).to_arrow(), path, read_footer(path))
    report = audit_of(pipeline)
    assert {"raw_files_not_in_manifest", "lake_rows_without_ok_capture", "raw_files_match_lake"} <= failed(
        report
    )
    assert dropped in sample_of(report, "raw_files_not_in_manifest")
    assert f"{dropped}  not in the manifest" in sample_of(report, "lake_rows_without_ok_capture")


def test_warehouse_row_deleted(pipeline, capsys):
    con = duckdb.connect(str(pipeline.warehouse))
    (article_id,) = con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 1").fetchone()
    con.execute("DELETE FROM articles WHERE article_id = ?", [article_id])
    con.close()
    assert cli(pipeline) == 1
    out = capsys.readouterr().out
    assert "row(s) differ" in out and f"only in lake  {article_id}" in out
    report = audit_of(pipeline)
    assert {"articles_match_lake", "warehouse_checks"} <= failed(report)
    assert failed(report) <= {"articles_match_lake", "warehouse_checks"}


def test_no_warehouse_is_a_mismatch_unless_skipped(pipeline, capsys):
    pipeline.warehouse.unlink()
    assert cli(pipeline) == 1
    assert "no warehouse at" in capsys.readouterr().out
    assert cli(pipeline, "--skip-warehouse") == 0


def test_missing_raw_folder_is_bad_input(pipeline, capsys):
    assert main(["audit", "--raw", str(pipeline.root / "nowhere"), "--lake", str(pipeline.lake)]) == 2
    assert "no raw folder" in capsys.readouterr().err


def test_asset_check_passes_after_the_build_and_fails_on_a_fault(built_pipeline, pipeline):
    assert built_pipeline.check_passed is True  # evaluated by Dagster in the run that built the warehouse
    sorted(pipeline.raw.rglob("*.md"))[0].unlink()
    result = audit_reconciles(dg.build_asset_check_context(resources={"paths": pipeline.paths}))
    assert result.passed is False and result.severity == dg.AssetCheckSeverity.ERROR
    assert "manifest_files_missing_on_disk" in result.description
    meta = result.metadata
    assert meta["raw_folder/files"].value + 1 == meta["manifest/files"].value
    assert meta["failures"].value[0]["check"] == "manifest_files_missing_on_disk"


@pytest.mark.parametrize("table", ["articles", "article_versions"])
def test_lake_partition_folder_removed_names_the_day(pipeline, table):
    day = days_of(pipeline)[0]
    shutil.rmtree(partition_file(pipeline.lake, table, day).parent)
    report = audit_of(
        pipeline,
    )
    assert day in sample_of(report, "partition_counts_agree")


def test_warehouse_built_from_another_lake_path_is_a_warning(pipeline):
    con = duckdb.connect(str(pipeline.warehouse))
    con.execute("UPDATE build_info SET value = '/elsewhere/lake' WHERE key = 'lake_dir'")
    con.close()
    report = audit_of(pipeline)
    assert report.ok  # the rows still match the audited lake row for row
    (built_from,) = [f for f in report.findings if f.check == "built_from_this_lake"]
    assert (
        not built_from.passed and built_from.severity == "warning" and "/elsewhere/lake" in built_from.summary
    )


def test_partitions_are_listed_as_runs_of_days():
    days = ["2024-03-02", "2024-02-28", "2024-03-01", "2024-02-29", "2024-03-09"]
    assert day_ranges(days) == ["2024-02-28 … 2024-03-02 (4 days)", "2024-03-09"]


def test_the_check_runs_in_every_warehouse_build_job():
    from etl.definitions import defs

    graph = defs.resolve_asset_graph()
    key = dg.AssetCheckKey(dg.AssetKey(["warehouse", "articles"]), "audit_reconciles")
    assert key in graph.asset_check_keys
    assert "warehouse__articles_audit_reconciles" in defs.resolve_job_def("warehouse_job").graph.node_names()


def test_truncated_lake_file_is_named_and_the_rest_still_audited(pipeline):
    day = days_of(pipeline)[0]
    broken = partition_file(pipeline.lake, "articles", day)
    with open(broken, "r+b") as fh:
        fh.truncate(200)
    report = audit_of(pipeline)
    assert str(broken) in sample_of(report, "lake_files_readable")
    assert {"lake_files_readable", "articles_missing_from_lake", "partition_counts_agree"} <= failed(report)
    assert report.counts["lake"]["ok_captures"] == report.counts["manifest"]["ok_captures"]  # versions intact


def test_unreadable_manifest_is_a_mismatch_not_a_crash(pipeline, capsys):
    with open(manifest_path(pipeline.lake), "r+b") as fh:
        fh.truncate(100)
    assert cli(pipeline) == 1
    assert "cannot read the manifest" in capsys.readouterr().out


def test_an_audit_that_cannot_run_fails_the_check_not_the_run(pipeline, monkeypatch):
    import etl.audit  # the check imports etl.audit.audit when it runs

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(etl.audit, "audit", broken)
    result = audit_reconciles(dg.build_asset_check_context(resources={"paths": pipeline.paths}))
    assert result.passed is False and "disk on fire" in result.description


def test_a_corrupt_warehouse_is_a_mismatch(pipeline, capsys):
    pipeline.warehouse.write_bytes(b"not a duckdb file" * 100)
    assert cli(pipeline) == 1
    assert "cannot open" in capsys.readouterr().out


def test_a_high_reject_rate_is_a_warning_with_the_reasons(pipeline):
    report = audit_of(pipeline, reject_rate_warn=0.0)
    (rate,) = [f for f in report.findings if f.check == "reject_rate"]
    assert report.ok and not rate.passed and rate.severity == "warning"
    assert rate.count == report.counts["manifest"]["rejected"] > 0 and ": " in rate.sample[0]
    assert next(
        f for f in audit_of(pipeline, reject_rate_warn=1.0).findings if f.check == "reject_rate"
    ).passed
