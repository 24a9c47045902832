"""Reprints and events of a set of articles, as tables for the warehouse (polars DataFrames).

Input columns: article_id, outlet, title, body_text, published_at (UTC datetime), script, digest,
primary_topic. The reprint and event finders run on two threads: both spend most of their time in code that
releases the GIL (numpy, rensa, scipy, rjieba), so on two cores they overlap.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from etl.events import config as events_config
from etl.events.digests import is_digest
from etl.events.events import Event, find_events
from etl.events.reprints import Reprint, find_reprints

REPRINTS_SCHEMA = {
    "article_id": pl.String,
    "source_article_id": pl.String,
    "outlet": pl.String,
    "source_outlet": pl.String,
    "similarity": pl.Float64,
    "lag_seconds": pl.Int64,
    "same_outlet": pl.Boolean,
}
EVENTS_SCHEMA = {
    "event_id": pl.String,
    "label": pl.String,
    "first_published_at": pl.Datetime("us", "UTC"),
    "first_outlet": pl.String,
    "last_published_at": pl.Datetime("us", "UTC"),
    "articles": pl.Int64,
    "outlets": pl.Int64,
    "main_topic": pl.String,
}
EVENT_ARTICLES_SCHEMA = {
    "event_id": pl.String,
    "article_id": pl.String,
    "outlet": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
    "lag_seconds": pl.Int64,
    "is_first": pl.Boolean,
}


@dataclass
class Detected:
    reprints: pl.DataFrame
    events: pl.DataFrame
    event_articles: pl.DataFrame


def event_id(first_article_id: str) -> str:
    """Named after its first report, so an event keeps its id when later articles join it."""
    return f"ev-{first_article_id}"


def _column(articles: pl.DataFrame, name: str, default=None) -> list:
    return articles[name].to_list() if name in articles.columns else [default] * articles.height


def _reprints_table(found: list[Reprint], ids, outlets) -> pl.DataFrame:
    rows = {
        "article_id": [ids[r.article] for r in found],
        "source_article_id": [ids[r.source] for r in found],
        "outlet": [outlets[r.article] for r in found],
        "source_outlet": [outlets[r.source] for r in found],
        "similarity": [r.similarity for r in found],
        "lag_seconds": [r.lag_seconds for r in found],
        "same_outlet": [outlets[r.article] == outlets[r.source] for r in found],
    }
    return pl.DataFrame(rows, schema=REPRINTS_SCHEMA).sort("source_article_id", "article_id")


def _main_topic(members: tuple[int, ...], topics: list) -> str | None:
    counts = Counter(topics[m] for m in members if topics[m])
    if not counts:
        return None
    best = max(counts.values())
    return next(topics[m] for m in members if topics[m] and counts[topics[m]] == best)  # earliest wins ties


def _event_tables(found: list[Event], ids, outlets, titles, topics, published_us) -> tuple[pl.DataFrame, ...]:
    events: dict[str, list] = {name: [] for name in EVENTS_SCHEMA}
    members: dict[str, list] = {name: [] for name in EVENT_ARTICLES_SCHEMA}
    for event in found:
        first = event.members[0]
        name = event_id(ids[first])
        events["event_id"].append(name)
        events["label"].append(titles[event.representative])
        events["first_published_at"].append(published_us[first])
        events["first_outlet"].append(outlets[first])
        events["last_published_at"].append(max(published_us[m] for m in event.members))
        events["articles"].append(len(event.members))
        events["outlets"].append(len({outlets[m] for m in event.members}))
        events["main_topic"].append(_main_topic(event.members, topics))
        for m in event.members:
            members["event_id"].append(name)
            members["article_id"].append(ids[m])
            members["outlet"].append(outlets[m])
            members["published_at"].append(published_us[m])
            members["lag_seconds"].append((published_us[m] - published_us[first]) // 1_000_000)
            members["is_first"].append(m == first)
    events_df = pl.DataFrame(
        events, schema={**EVENTS_SCHEMA, "first_published_at": pl.Int64, "last_published_at": pl.Int64}
    )
    members_df = pl.DataFrame(members, schema={**EVENT_ARTICLES_SCHEMA, "published_at": pl.Int64})
    as_time = pl.Datetime("us", "UTC")
    events_df = events_df.with_columns(pl.col("first_published_at", "last_published_at").cast(as_time))
    members_df = members_df.with_columns(pl.col("published_at").cast(as_time))
    return events_df, members_df


def detect(articles: pl.DataFrame, cfg: events_config.Config | None = None) -> Detected:
    cfg = cfg or events_config.load()
    ids = articles["article_id"].to_list()
    outlets = _column(articles, "outlet")
    titles = _column(articles, "title")
    bodies = _column(articles, "body_text")
    scripts = _column(articles, "script")
    topics = _column(articles, "primary_topic")
    published_us = articles["published_at"].dt.cast_time_unit("us").dt.epoch("us").to_numpy()
    published = published_us // 1_000_000
    excluded = is_digest(titles, _column(articles, "digest", False), cfg.digest_titles)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reprints = pool.submit(find_reprints, bodies, scripts, titles, outlets, published, ids, cfg.reprints)
        events = pool.submit(find_events, titles, bodies, outlets, published, excluded, cfg.events)
        found_reprints, found_events = reprints.result(), events.result()
    published_list = published_us.tolist()
    events_df, members_df = _event_tables(found_events, ids, outlets, titles, topics, published_list)
    return Detected(_reprints_table(found_reprints, ids, outlets), events_df, members_df)
