"""Settle, once for the whole archive, which partition each article belongs to and which capture is latest.

An article's partition is the UTC date of the EARLIEST published_at among its usable captures, so a later
re-capture (usually with a later or equal time) never moves it. The latest capture is the one with the
greatest (feed_published_at, file mtime, path). Derived columns are recomputed from the cached parse
columns on every refresh, so the result never depends on the order files arrived in.
"""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl

BEFORE_START = "before_partition_start"
AFTER_END = "after_partition_end"
NO_TIME = "no_publication_time"


def derive(manifest: pl.DataFrame, partition_start: date, partition_end: date) -> pl.DataFrame:
    """Fill status, reason, detail, pub_date and is_latest from the parse_* columns."""
    usable = (
        (pl.col("parse_status") == "ok")
        & pl.col("published_at").is_not_null()
        & pl.col("article_id").is_not_null()
    )
    article_date = (
        pl.when(usable).then(pl.col("published_at")).otherwise(None).min().over("article_id").dt.date()
    )
    df = manifest.with_columns(_usable=usable, _article_date=article_date)
    reason = (
        pl.when(pl.col("parse_status") != "ok")
        .then(pl.col("parse_reason"))
        .when(pl.col("published_at").is_null() | pl.col("article_id").is_null())
        .then(pl.lit(NO_TIME))
        .when(pl.col("_article_date") < partition_start)
        .then(pl.lit(BEFORE_START))
        .when(pl.col("_article_date") > partition_end)
        .then(pl.lit(AFTER_END))
        .otherwise(None)
    )
    df = df.with_columns(reason=reason)
    detail = (
        pl.when(pl.col("parse_status") != "ok")
        .then(pl.col("parse_detail"))
        .when(pl.col("reason") == NO_TIME)
        .then(
            pl.lit("no publication time or URL could be read from the header; the article has no partition")
        )
        .when(pl.col("reason") == BEFORE_START)
        .then(
            pl.format(
                "article published {}, before the first partition {} (set ETL_PARTITION_START earlier)",
                pl.col("_article_date"),
                pl.lit(partition_start.isoformat()),
            )
        )
        .when(pl.col("reason") == AFTER_END)
        .then(
            pl.format(
                "article published {}, after the last partition {} (a clock or time-zone error in the dump?)",
                pl.col("_article_date"),
                pl.lit(partition_end.isoformat()),
            )
        )
        .otherwise(None)
    )
    ok = pl.col("reason").is_null()
    df = df.with_columns(
        status=pl.when(ok).then(pl.lit("ok")).otherwise(pl.lit("rejected")),
        detail=detail,
        pub_date=pl.when(ok).then(pl.col("_article_date")).otherwise(None),
    )
    df = mark_latest(df, among=ok)
    return df.select(manifest.columns).sort("path")


# The latest capture of an article is its capture with the greatest (feed_published_at, mtime_ns, path); a
# capture without a feed time comes before any with one. The manifest marks it among the ok captures, and a
# partition build among the captures it actually built (etl/lake/build.py), with this one rule.
CAPTURE_ORDER = ["feed_published_at", "mtime_ns", "path"]


def mark_latest(captures: pl.DataFrame, among: pl.Expr | None = None) -> pl.DataFrame:
    """`captures` with `is_latest`: true for each article's latest capture among the rows where `among` holds
    (all rows by default), sorted by CAPTURE_ORDER."""
    among = pl.lit(True) if among is None else among
    ranked = captures.sort(CAPTURE_ORDER, nulls_last=False).with_row_index("_rank")
    latest_rank = pl.when(among).then(pl.col("_rank")).otherwise(None).max().over("article_id")
    return ranked.with_columns(is_latest=among & (pl.col("_rank") == latest_rank)).drop("_rank")


def partition_digests(manifest: pl.DataFrame) -> dict[str, str]:
    """Digest of each partition's file set (path, hash, mtime of its ok captures); keys are 'YYYY-MM-DD'."""
    ok = manifest.filter(pl.col("status") == "ok")
    return files_digests(ok.select("pub_date", "path", "file_hash", "mtime_ns"))


def files_digests(files: pl.DataFrame) -> dict[str, str]:
    """sha256 over `path\\0hash\\0mtime_ns\\n` lines sorted by path, per pub_date (16 hex characters)."""
    lines = (
        files.sort("path")
        .group_by("pub_date", maintain_order=True)
        .agg(pl.format("{}\0{}\0{}\n", "path", "file_hash", "mtime_ns").str.join("").alias("lines"))
    )
    return {
        day.isoformat(): hashlib.sha256(text.encode()).hexdigest()[:16]
        for day, text in lines.select("pub_date", "lines").iter_rows()
    }


EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()[:16]
