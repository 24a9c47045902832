"""The warehouse keeps the events step's cache beside its file: materializing the warehouse again after a day
of new articles sketches only that day's articles, says so in the events asset's metadata, and gives the
tables a build without the cache gives."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import handmade_lake
import polars as pl
from polars.testing import assert_frame_equal

from etl.synth.coverage import article_rows
from etl.warehouse.build import build_warehouse, events_cache_dir

DAYS = 6
ARTICLES = 1_200


def _lake_rows() -> list[dict]:
    rows = []
    for row in article_rows(ARTICLES, DAYS, datetime(2024, 3, 1, tzinfo=UTC), seed=5):
        at = row["published_at"]
        lake = handmade_lake.article(
            row["article_id"], at.date(), outlet=row["outlet"], title=row["title"], body=row["body_text"]
        )
        stamps = {"published_at": at, "feed_published_at": at, "outlet_published_at": at}
        rows.append({**lake, **stamps, "script": row["script"], "digest": row["digest"]})
    return rows


def _materialize(tmp_path, lake) -> dict:
    _, metadata = handmade_lake.materialize_warehouse(tmp_path, lake)
    return metadata["warehouse/events"]


def _tables(path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "reprints": con.execute("FROM reprints ORDER BY article_id, source_article_id").pl(),
            "events": con.execute("FROM events ORDER BY event_id").pl(),
            "event_articles": con.execute("FROM event_articles ORDER BY event_id, article_id").pl(),
        }
    finally:
        con.close()


def test_a_second_materialization_after_a_new_day_uses_the_cache(tmp_path):
    rows = _lake_rows()
    last = max(r["pub_date"] for r in rows)
    earlier = [r for r in rows if r["pub_date"] < last]
    new_day = len(rows) - len(earlier)
    assert 0 < new_day < len(rows)

    first = _materialize(tmp_path, handmade_lake.write_lake(tmp_path / "lake_before", earlier))
    assert first["articles_sketched"].value == len(earlier)
    assert events_cache_dir(tmp_path / "warehouse.duckdb").is_dir()

    second = _materialize(tmp_path, handmade_lake.write_lake(tmp_path / "lake_after", rows))
    assert second["articles_sketched"].value == new_day
    assert f"articles sketched: {new_day:,} of {len(rows):,}" in second["events_cache"].value

    reference = build_warehouse(tmp_path / "lake_after", tmp_path / "scratch.duckdb", events_cache=False)
    assert not events_cache_dir(reference.path).exists() and reference.events_cache == {}
    expected, got = _tables(reference.path), _tables(tmp_path / "warehouse.duckdb")
    assert expected["events"].height > 0 and expected["reprints"].height > 0
    for name, table in expected.items():
        assert_frame_equal(got[name], table)
