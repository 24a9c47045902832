"""The sketch pass on worker processes finds what the one-process pass finds, row for row: a large archive
takes the process path in the warehouse, tests and the corpus bench the other."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from etl.events.detect import detect
from etl.synth.coverage import article_rows


def _synthetic(n: int, days: int) -> pl.DataFrame:
    rows = list(article_rows(n, days, datetime(2024, 1, 1, tzinfo=UTC), seed=3))
    return pl.DataFrame(rows, infer_schema_length=None).drop("event", "reprint_of")


def test_worker_processes_give_the_same_tables_as_one_process():
    # more rows than one chunk (2,500), so chunks come back from two workers and are put in order
    articles = _synthetic(6_000, 6)
    alone = detect(articles, processes=False)
    spread = detect(articles, processes=True)
    assert alone.reprints.height > 0 and alone.events.height > 0
    for name in ("reprints", "events", "event_articles"):
        assert_frame_equal(getattr(spread, name), getattr(alone, name))
