"""Rebuilding after one lake day was rewritten changes that day's rows and nothing else."""

from __future__ import annotations

from datetime import date

import duckdb
import handmade_lake

from etl.warehouse.build import build_warehouse

DAY = date(2024, 3, 20)
# base and daily tables, pub_date first (rolling/baseline columns of later days legitimately move)
TABLES = {
    name: f"SELECT pub_date, * EXCLUDE (pub_date) FROM {name}"
    for name in (
        "articles",
        "article_versions",
        "article_agencies",
        "article_topics",
        "topic_counts_daily",
        "agency_counts_daily",
    )
} | {
    "timeline_daily": "SELECT pub_date, outlet, articles FROM timeline_daily",
    "topic_timeline": "SELECT pub_date, topic, articles, mentions FROM topic_timeline",
}


def snapshot(path) -> dict[str, set]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            name: {tuple(map(str, row)) for row in con.execute(sql).fetchall()}
            for name, sql in TABLES.items()
        }
    finally:
        con.close()


def by_day(rows: set, day: date, keep: bool) -> set:
    return {r for r in rows if (r[0] == str(day)) == keep}


def test_rewriting_one_day_changes_only_that_day(tmp_path, registries_dir, sample_rows):
    lake = handmade_lake.write_lake(tmp_path / "lake", sample_rows)
    target = tmp_path / "w.duckdb"
    build_warehouse(lake, target, registries_dir)
    before = snapshot(target)

    day_rows = [r for r in sample_rows if r["pub_date"] == DAY]
    changed = [
        dict(r, title="改过的标题", topics=[], topic_hits=[], primary_topic=None) for r in day_rows[:2]
    ] + day_rows[2:]
    changed.append(handmade_lake.article("dw-new", DAY, credited=["reuters"], topics={"covid": (4, True)}))
    handmade_lake.write_partition(lake, DAY, changed)
    build_warehouse(lake, target, registries_dir)
    after = snapshot(target)

    for name in TABLES:
        assert by_day(after[name], DAY, keep=False) == by_day(before[name], DAY, keep=False), name
    for name in ("articles", "article_versions", "article_topics", "timeline_daily", "topic_counts_daily"):
        assert by_day(after[name], DAY, keep=True) != by_day(before[name], DAY, keep=True), name
