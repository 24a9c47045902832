"""The Dagster side: one multi_asset per warehouse table, its checks, metadata and code versions."""

from __future__ import annotations

from collections import Counter

import handmade_lake

from etl.defs.warehouse.assets import warehouse
from etl.warehouse import build, checks
from etl.warehouse.tables import TABLES


def test_specs_follow_the_contract():
    keys = {k.to_user_string() for k in warehouse.keys}
    assert keys == {f"warehouse/{t}" for t in TABLES}
    assert set(warehouse.code_versions_by_key.values()) == {build.code_version()}
    assert warehouse.op.pool == "duckdb_warehouse"
    deps = {d.to_user_string() for k in warehouse.keys for d in warehouse.asset_deps[k]}
    assert deps == {"lake/articles", "raw_files"}


def test_materialization_reports_row_counts_checks_and_preview(tmp_path, sample_rows):
    handmade_lake.write_lake(tmp_path / "lake", sample_rows)
    result, events = handmade_lake.materialize_warehouse(tmp_path, tmp_path / "lake")
    assert events["warehouse/articles"]["dagster/row_count"].value == len(sample_rows)
    assert "top topics" in events["warehouse/articles"]["preview"].value
    assert "primary_articles" in events["warehouse/articles"]["preview"].value
    edge = max(r["pub_date"] for r in sample_rows)  # no stray late captures in the sample
    week = Counter(
        r["primary_topic"] for r in sample_rows if r["primary_topic"] and (edge - r["pub_date"]).days < 7
    )
    for table in ("warehouse/articles", "warehouse/topic_counts_daily"):
        shown = events[table]["top_primary_topics_week"].value
        assert shown == dict(sorted(week.items(), key=lambda kv: (-kv[1], kv[0]))) and shown
    assert "Agency shares by outlet" in events["warehouse/agency_share_monthly"]["preview"].value
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(checks.CHECKS) and all(e.passed for e in evaluations)
