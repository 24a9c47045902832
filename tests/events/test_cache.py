"""The events cache (etl/events/cache.py): an update through it gives the tables of a detection from scratch,
and a cache that is stale, damaged or partial only costs time.

Synthetic articles (etl/synth's stories, planted events and reprints) over a few days: the cache is filled on
the archive without its last day, then the whole archive is detected through it, as a build after a day of
new articles does."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from etl.events import cache as events_cache
from etl.events import config as events_config
from etl.events import detect as detect_module
from etl.events.cache import EventsCache
from etl.events.detect import detect_source
from etl.events.source import FrameSource
from etl.synth.coverage import article_rows

TABLES = ("reprints", "events", "event_articles")


@pytest.fixture(scope="module")
def archive() -> pl.DataFrame:
    rows = list(article_rows(3_000, 6, datetime(2024, 1, 1, tzinfo=UTC), seed=3))
    return pl.DataFrame(rows, infer_schema_length=None).drop("event", "reprint_of")


@pytest.fixture(scope="module")
def from_scratch(archive):
    return detect_source(FrameSource(archive), processes=False)


def _without_last_day(articles: pl.DataFrame) -> pl.DataFrame:
    last = articles["published_at"].max().date()
    return articles.filter(pl.col("published_at").dt.date() < last)


def _detect(articles, folder, cfg=None, processes=False):
    return detect_source(FrameSource(articles), cfg, processes=processes, cache=EventsCache(folder))


def _assert_same_tables(found, expected) -> None:
    assert expected.reprints.height > 0 and expected.events.height > 0
    for name in TABLES:
        assert_frame_equal(getattr(found, name), getattr(expected, name))


def _cached_ids(folder) -> set[str]:
    return {i for path in folder.glob("day=*.parquet") for i in pq.read_table(path)["article_id"].to_pylist()}


@pytest.mark.parametrize("processes", [False, True])
def test_a_day_of_new_articles_gives_the_tables_of_a_full_detection(
    archive, from_scratch, tmp_path, monkeypatch, processes
):
    # Small segments and chunks, so that an update has segments with and without new articles, and
    # chunks go to the helper process and come back in order.
    monkeypatch.setattr(detect_module, "SEGMENT_ROWS", 700)
    monkeypatch.setattr(detect_module, "CHUNK_ROWS", 300)
    earlier = _without_last_day(archive)
    filled = _detect(earlier, tmp_path, processes=processes)
    assert filled.cache_stats["articles_sketched"] == earlier.height
    assert len(list(tmp_path.glob("day=*.parquet"))) == 5

    updated = _detect(archive, tmp_path, processes=processes)
    _assert_same_tables(updated, from_scratch)
    stats = updated.cache_stats
    assert stats["articles_sketched"] == archive.height - earlier.height
    assert stats["day_files_written"] == 1  # the new day's file; the others are left as they are
    assert 0 < stats["pairs_verified"] < stats["candidate_pairs"]  # pairs of old articles come from the cache
    assert _cached_ids(tmp_path) == set(archive["article_id"])

    again = _detect(archive, tmp_path, processes=processes)
    _assert_same_tables(again, from_scratch)
    assert again.cache_stats["articles_sketched"] == 0 and again.cache_stats["pairs_verified"] == 0


def test_a_changed_article_is_sketched_again_and_a_deleted_one_leaves_the_cache(archive, tmp_path):
    _detect(archive, tmp_path)
    changed_id, deleted_id = archive["article_id"][10], archive["article_id"][20]
    edited = archive.with_columns(
        pl.when(pl.col("article_id") == changed_id)
        .then(pl.col("body_text").str.slice(0, 200) + "另有消息称，当地时间周三晚间又发生了新的情况。")
        .otherwise(pl.col("body_text"))
        .alias("body_text")
    ).filter(pl.col("article_id") != deleted_id)

    found = _detect(edited, tmp_path)
    _assert_same_tables(found, detect_source(FrameSource(edited), processes=False))
    assert found.cache_stats["articles_sketched"] == 1  # the changed article only
    assert found.cache_stats["day_files_written"] >= 1
    cached = _cached_ids(tmp_path)
    assert deleted_id not in cached and changed_id in cached and len(cached) == edited.height


def test_a_title_change_alone_is_sketched_again(archive, tmp_path):
    _detect(archive, tmp_path)
    retitled = archive.with_columns(
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("全新的标题"))
        .otherwise(pl.col("title"))
        .alias("title")
    )
    found = _detect(retitled, tmp_path)
    assert found.cache_stats["articles_sketched"] == 1
    _assert_same_tables(found, detect_source(FrameSource(retitled), processes=False))


def test_a_corrupted_file_is_ignored_with_a_log_line(archive, from_scratch, tmp_path, caplog):
    _detect(archive, tmp_path)
    damaged = sorted(tmp_path.glob("day=*.parquet"))[2]
    damaged.write_bytes(b"not parquet at all")
    day = damaged.name.removeprefix("day=").removesuffix(".parquet")
    on_that_day = archive.filter(pl.col("published_at").dt.strftime("%Y-%m-%d") == day).height
    with caplog.at_level(logging.WARNING, logger="etl.events.cache"):
        found = _detect(archive, tmp_path)
    _assert_same_tables(found, from_scratch)
    assert any(damaged.name in r.getMessage() and "unreadable" in r.getMessage() for r in caplog.records)
    assert found.cache_stats["articles_sketched"] == on_that_day
    assert pq.read_table(damaged).num_rows == on_that_day  # written again, whole


def test_a_file_whose_entries_do_not_read_starts_the_pass_again_without_it(archive, from_scratch, tmp_path):
    _detect(archive, tmp_path)
    damaged = sorted(tmp_path.glob("day=*.parquet"))[1]
    # Fingerprints and version read, the entries do not (no sketch columns): found only mid-pass.
    table = pq.read_table(damaged)
    broken = table.select(["article_id", "fp0", "fp1"]).replace_schema_metadata(table.schema.metadata)
    pq.write_table(broken, damaged)
    found = _detect(archive, tmp_path)
    _assert_same_tables(found, from_scratch)
    assert any(damaged.name in note for note in found.cache_stats["notes"])
    assert found.cache_stats["articles_sketched"] == table.num_rows


def test_an_events_yaml_change_invalidates_the_cache(archive, tmp_path):
    _detect(archive, tmp_path)
    changed = tmp_path / "events.yaml"
    text = events_config.EVENTS_YAML.read_text(encoding="utf-8")
    assert "  lead_chars: 300\n" in text
    changed.write_text(text.replace("  lead_chars: 300\n", "  lead_chars: 200\n"), encoding="utf-8")
    cfg = events_config.load(changed)
    reused = _detect(archive, tmp_path, cfg)  # the folder filled with the project's events.yaml
    assert reused.cache_stats["articles_sketched"] == archive.height
    assert any("another code or config version" in note for note in reused.cache_stats["notes"])
    _assert_same_tables(reused, detect_source(FrameSource(archive), cfg, processes=False))


def test_the_version_covers_the_config_and_the_sketch_code(monkeypatch):
    cfg = events_config.load()
    base = events_cache.cache_version(cfg)
    assert events_cache.cache_version(cfg) == base
    other = events_config.Config(cfg.reprints, cfg.events, (*cfg.digest_titles, "^快讯"))
    assert events_cache.cache_version(other) != base
    monkeypatch.setattr(events_cache, "CODE_FILES", ("text.py", "reprints.py", "terms.py", "parallel.py"))
    assert events_cache.cache_version(cfg) != base  # the files hashed are the version


def test_entries_round_trip():
    import numpy as np

    schema = events_cache.entry_schema(bands=4, num_perm=8)
    keys = np.arange(12, dtype=np.uint32).reshape(3, 4) * 1_000_003
    low = np.arange(24, dtype=np.uint8).reshape(3, 8)
    counted = pl.DataFrame(
        {"row": [0, 0, 2], "term": [5, 2**63 + 7, 9], "tf": [1, 3, 70_000]},
        schema={"row": pl.Int32, "term": pl.UInt64, "tf": pl.Int64},
    )
    prints = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.uint64)
    table = events_cache.entries_table(
        schema, pl.Series(["a", "b", "c"]), prints, (keys, low, np.array([True, False, True])), counted
    )
    assert isinstance(table, pa.Table) and table.schema == schema
    back = events_cache.unpack(table.slice(1), bands=4, num_perm=8)  # a slice: offsets honoured
    assert (back.keys == keys[1:]).all() and (back.low_bytes == low[1:]).all()
    assert back.long_enough.tolist() == [False, True]
    assert back.row.tolist() == [1] and back.term.tolist() == [9] and back.tf.tolist() == [70_000]


def test_a_day_no_longer_in_the_archive_has_its_file_deleted(archive, tmp_path):
    _detect(archive, tmp_path)
    first = archive["published_at"].min().date()
    later = archive.filter(pl.col("published_at").dt.date() > first)
    found = _detect(later, tmp_path)
    assert found.cache_stats["day_files_deleted"] == 1 and found.cache_stats["articles_sketched"] == 0
    assert not (tmp_path / f"day={first}.parquet").exists()
    assert _cached_ids(tmp_path) == set(later["article_id"])
    _assert_same_tables(found, detect_source(FrameSource(later), processes=False))


def test_rows_in_another_order_than_the_cache_files(archive, tmp_path):
    # A source not in day order: each segment's entries come from many day files, out of the files' order.
    _detect(_without_last_day(archive), tmp_path)
    shuffled = archive.sample(fraction=1.0, shuffle=True, seed=7)
    found = _detect(shuffled, tmp_path)
    assert found.cache_stats["articles_sketched"] == archive.height - _without_last_day(archive).height
    _assert_same_tables(found, detect_source(FrameSource(shuffled), processes=False))
