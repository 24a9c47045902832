"""Where detection reads its articles from: the short columns of every article at once, the bodies a chunk at
a time, and again only for the few articles whose pairs need checking.

A million bodies (their first 800 characters, ~2.4 KB of UTF-8 each) would alone exceed the memory budget of
the step, so no source hands them all out at once. Rows are numbered in the source's own order; detection
never needs them sorted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import numpy as np
import polars as pl
import pyarrow as pa

# What detection reads of each article besides its body.
META_COLUMNS = ("article_id", "outlet", "title", "published_at", "script", "digest", "primary_topic")
META_SCHEMA = {
    "article_id": pl.String,
    "outlet": pl.String,
    "title": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
    "script": pl.String,
    "digest": pl.Boolean,
    "primary_topic": pl.String,
}
# Bodies held at once. 2,500 rather than 10,000 (`bench/events.py --articles 100000`, quiet machine): peak RSS
# 0.83 against 0.94 GB (each chunk's texts, segmentations and shingles sit on two threads at once), 15.7 s
# wall / 21.7 CPU-s against 17.2 / 24.5, the same pairs found.
CHUNK_ROWS = 2_500
BODY_BATCH_ROWS = 2_500  # bodies handed out at a time by ArticleSource.bodies
BODY_HASH_SEED = 20_251_208  # FrameSource.body_digests (polars' hash; its version is in the cache's)


class ArticleSource(Protocol):
    def meta(self) -> pl.DataFrame:
        """META_COLUMNS of every article, row i being article i."""
        ...

    def body_chunks(self, rows: int) -> Iterator[tuple[int, pa.Array]]:
        """(first row, bodies as an Arrow string array) of consecutive rows, `rows` at a time, in row order,
        covering every row. Arrow, not Python strings: the chunks go to worker processes as they are."""
        ...

    def bodies(self, rows: np.ndarray) -> Iterator[tuple[np.ndarray, pa.Array]]:
        """The bodies of these rows (distinct), a batch at a time, batches in any order: (the batch's rows,
        their bodies as an Arrow string array). Batches, not all at once: reprint checks fold them as they
        come (etl/events/reprints.py)."""
        ...

    def body_array(self, rows: np.ndarray) -> pa.Array:
        """The bodies of these rows (ascending), in that order, as body_chunks hands them out: what a pass
        with a cache reads of the few articles the cache lacks (etl/events/cache.py)."""
        ...

    def body_digests(self) -> np.ndarray:
        """uint64, one a row: a 64-bit hash of each body as body_chunks hands it out (the source's own hash
        function), what tells a cache whether an article's text changed."""
        ...


def _with_meta_columns(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [
        pl.lit(None, dtype).alias(name) for name, dtype in META_SCHEMA.items() if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    return frame.select(
        pl.col(name).cast(dtype) if name != "published_at" else pl.col(name).dt.cast_time_unit("us")
        for name, dtype in META_SCHEMA.items()
    ).with_columns(pl.col("digest").fill_null(False))


class FrameSource:
    """Articles already in a DataFrame (tests, the quality bench): columns META_COLUMNS and body_text."""

    def __init__(self, articles: pl.DataFrame) -> None:
        self.articles = articles
        self._bodies = (
            articles["body_text"] if "body_text" in articles.columns else pl.Series([None] * articles.height)
        )

    def meta(self) -> pl.DataFrame:
        return _with_meta_columns(self.articles)

    def body_chunks(self, rows: int) -> Iterator[tuple[int, pa.Array]]:
        for start in range(0, self.articles.height, rows):
            yield start, self._bodies.slice(start, rows).cast(pl.String).to_arrow()

    def bodies(self, rows: np.ndarray) -> Iterator[tuple[np.ndarray, pa.Array]]:
        rows = np.asarray(rows, dtype=np.int64)
        for start in range(0, len(rows), BODY_BATCH_ROWS):
            some = rows[start : start + BODY_BATCH_ROWS]
            yield some, self._bodies.gather(some).cast(pl.String).to_arrow()

    def body_array(self, rows: np.ndarray) -> pa.Array:
        return self._bodies.gather(np.asarray(rows, dtype=np.int64)).cast(pl.String).to_arrow()

    def body_digests(self) -> np.ndarray:
        return self._bodies.cast(pl.String).hash(BODY_HASH_SEED).to_numpy()
