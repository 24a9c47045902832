"""Reprints and events of a set of articles, as tables for the warehouse (polars DataFrames).

Input columns: article_id, outlet, title, body_text, published_at (UTC datetime), script, digest,
primary_topic. The pass over the bodies runs on worker processes (etl/events/parallel.py); the reprint and
event finders then run on two threads.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl
import pyarrow as pa

from etl.events import config as events_config
from etl.events.cache import CachedRun, CacheUnreadable, EventsCache, entries_table, unpack
from etl.events.digests import digest_rows
from etl.events.events import Event, TermCounts, find_events
from etl.events.memory import give_back_freed_memory
from etl.events.parallel import in_order, sketch_chunk, sketch_executor
from etl.events.reprints import Reprint, Sketches, candidate_pairs, verify_candidates
from etl.events.source import CHUNK_ROWS, ArticleSource, FrameSource

log = logging.getLogger(__name__)

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
    # With a cache (etl/events/cache.py): articles, articles_sketched, candidate_pairs, pairs_verified, ...
    cache_stats: dict = field(default_factory=dict)


def event_id(first_article_id):
    """Named after its first report, so an event keeps its id when later articles join it (a string, or a
    polars Series of them)."""
    return "ev-" + first_article_id


def _reprints_table(found: list[Reprint], ids: pl.Series, outlets: pl.Series) -> pl.DataFrame:
    article = pl.Series([r.article for r in found], dtype=pl.Int64)
    source = pl.Series([r.source for r in found], dtype=pl.Int64)
    rows = {
        "article_id": ids.gather(article),
        "source_article_id": ids.gather(source),
        "outlet": outlets.gather(article),
        "source_outlet": outlets.gather(source),
        "similarity": [r.similarity for r in found],
        "lag_seconds": [r.lag_seconds for r in found],
    }
    frame = pl.DataFrame(rows, schema={k: REPRINTS_SCHEMA[k] for k in rows})
    same = (pl.col("outlet") == pl.col("source_outlet")).fill_null(
        pl.col("outlet").is_null() & pl.col("source_outlet").is_null()
    )
    return (
        frame.with_columns(same.alias("same_outlet"))
        .select(list(REPRINTS_SCHEMA))
        .sort("source_article_id", "article_id")
    )


def _main_topics(members: pl.DataFrame) -> pl.Series:
    """The most frequent primary topic of each event (`members`: event, position, primary_topic), ties to
    the topic met first; None where no member has one."""
    counted = (
        members.filter(pl.col("primary_topic").is_not_null() & (pl.col("primary_topic") != ""))
        .group_by("event", "primary_topic")
        .agg(pl.len().alias("count"), pl.col("position").min().alias("first"))
        .sort("event", "count", "first", descending=[False, True, False])
        .unique("event", keep="first", maintain_order=True)
    )
    events = pl.DataFrame({"event": np.arange(int(members["event"].max()) + 1 if members.height else 0)})
    return events.join(counted, on="event", how="left").sort("event")["primary_topic"]


def _event_tables(
    found: list[Event], meta: pl.DataFrame, published_us: np.ndarray
) -> tuple[pl.DataFrame, ...]:
    """Only the rows of events are read back from `meta` (a million titles are never Python strings); the
    members are handled as columns, not a Python loop per member (at a million synthetic articles, 232,089
    members of 66,361 events: 0.1 against 1.0-2.1 CPU-s, the same tables)."""
    sizes = np.fromiter((len(event.members) for event in found), dtype=np.int64, count=len(found))
    rows = np.fromiter((m for event in found for m in event.members), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    event_of = np.repeat(np.arange(len(found)), sizes)
    published = published_us[rows].astype(np.int64)
    first_published = published[starts]
    picked = meta.select("article_id", "outlet", "primary_topic")[rows]
    names = event_id(picked["article_id"].gather(starts)).alias("event_id")
    members_df = pl.DataFrame(
        {
            "event_id": names.gather(event_of),
            "article_id": picked["article_id"],
            "outlet": picked["outlet"],
            "published_at": published,
            "lag_seconds": (published - first_published[event_of]) // 1_000_000,
            "is_first": np.arange(len(rows)) == starts[event_of],
        },
        schema={**EVENT_ARTICLES_SCHEMA, "published_at": pl.Int64},
    )
    grouped = picked.with_columns(
        pl.Series("event", event_of), pl.Series("position", np.arange(len(rows)) - starts[event_of])
    )
    outlets = grouped.group_by("event").agg(pl.col("outlet").n_unique()).sort("event")["outlet"]
    representatives = np.fromiter((event.representative for event in found), dtype=np.int64, count=len(found))
    events_df = pl.DataFrame(
        {
            "event_id": names,
            "label": meta["title"].gather(representatives),
            "first_published_at": first_published,
            "first_outlet": picked["outlet"].gather(starts),
            "last_published_at": np.maximum.reduceat(published, starts) if len(found) else published,
            "articles": sizes,
            "outlets": outlets.cast(pl.Int64) if len(found) else pl.Series([], dtype=pl.Int64),
            "main_topic": _main_topics(grouped) if len(found) else pl.Series([], dtype=pl.String),
        },
        schema={**EVENTS_SCHEMA, "first_published_at": pl.Int64, "last_published_at": pl.Int64},
    )
    as_time = pl.Datetime("us", "UTC")
    events_df = events_df.with_columns(pl.col("first_published_at", "last_published_at").cast(as_time))
    members_df = members_df.with_columns(pl.col("published_at").cast(as_time))
    return events_df, members_df


def detect(
    articles: pl.DataFrame, cfg: events_config.Config | None = None, processes: bool | None = None
) -> Detected:
    """Reprints and events of the articles of a DataFrame (columns: source.META_COLUMNS and body_text)."""
    return detect_source(FrameSource(articles), cfg, processes)


def _sketch_pass(
    source: ArticleSource, meta: pl.DataFrame, excluded: np.ndarray, cfg, processes: bool | None
) -> tuple:
    """One read of the bodies, a chunk at a time, each chunk sketched and its words counted by a helper
    process or by the parent, side by side (etl/events/parallel.py); results are kept in row order."""
    n = meta.height
    sketches = Sketches(n, cfg.reprints)
    terms = TermCounts(n, cfg.events)
    scripts, titles = meta["script"], meta["title"]
    eligible = ~excluded

    def tasks():
        for start, bodies in source.body_chunks(CHUNK_ROWS):
            rows = len(bodies)
            yield (
                (start, rows),
                sketch_chunk,
                bodies,
                titles.slice(start, rows).to_arrow(),
                scripts.slice(start, rows).to_list(),
                eligible[start : start + rows],
                cfg,
            )

    with sketch_executor(n, processes) as pool:
        for (start, rows), (sketched, counted) in in_order(pool, tasks()):
            sketches.store(start, sketched)
            terms.store(start, rows, counted, int(np.count_nonzero(eligible[start : start + rows])))
    from etl.events.terms import forget_words  # here: rjieba and OpenCC load only when a pass runs

    forget_words()
    return sketches, terms


# Rows a cached pass handles at a time when few articles are missing from the cache: their entries are read
# and stored together (a day file is read whole when its first row comes, dropped when its last has passed).
# 10,000 rather than 50,000 (1M synthetic articles, an update): each segment's entries, their numpy copies and
# the counts' columns are ~50 MB, not ~0.25 GB, held beside the sketches and counts of the archive.
SEGMENT_ROWS = 10_000
# Above this share of articles missing from the cache, every body is streamed (one scan, as without a cache)
# and only the missing ones are sketched; below it, the missing bodies are fetched by row.
STREAM_SHARE = 0.2


def _segments(source: ArticleSource, missing: np.ndarray, n: int):
    """(start, end, the missing rows in start .. end - 1, their bodies as an Arrow array or None), covering
    rows 0 .. n - 1 in order, at most CHUNK_ROWS missing rows a segment."""
    if len(missing) >= STREAM_SHARE * n:
        for start, bodies in source.body_chunks(CHUNK_ROWS):
            end = start + len(bodies)
            low, high = np.searchsorted(missing, [start, end])
            rows = missing[low:high]
            yield (
                start,
                end,
                rows,
                bodies if len(rows) == len(bodies) else bodies.take(pa.array(rows - start)),
            )
        return
    start = 0
    while start < n:
        end = min(n, start + SEGMENT_ROWS)
        low, high = np.searchsorted(missing, [start, end])
        if high - low > CHUNK_ROWS:
            high = low + CHUNK_ROWS
            end = int(missing[high])
        rows = missing[low:high]
        yield start, end, rows, source.body_array(rows) if len(rows) else None
        start = end


def _cached_sketch_pass(
    source: ArticleSource,
    meta: pl.DataFrame,
    excluded: np.ndarray,
    cfg,
    processes: bool | None,
    run: CachedRun,
) -> tuple:
    """_sketch_pass with a cache: only the articles the cache lacks are read and sketched, the others' entries
    come from it; both are stored in row order, so the sketches and term counts (and the columns the terms
    get) are those of a pass over every body. The entries of the days that changed are written back."""
    from etl.events.terms import COUNTED_SCHEMA, forget_words

    n = meta.height
    sketches = Sketches(n, cfg.reprints)
    terms = TermCounts(n, cfg.events)
    scripts, titles = meta["script"], meta["title"]
    eligible = ~excluded
    trailing: list[tuple] = []

    def tasks():
        held = []  # segments without missing rows, handled with the next sketched one (results come in order)
        for start, end, rows, bodies in _segments(source, run.missing, n):
            if not len(rows):
                held.append((start, end, rows))
                continue
            yield (
                (held, (start, end, rows)),
                sketch_chunk,
                bodies,
                titles.gather(rows).to_arrow(),
                scripts.gather(rows).to_list(),
                eligible[rows],
                cfg,
            )
            held = []
        trailing.extend(held)

    def store(start: int, end: int, rows: np.ndarray, result: tuple | None) -> None:
        hit_rows = start + np.flatnonzero(run.hit_file[start:end] >= 0)
        cached = run.entries(hit_rows)
        old = unpack(cached, cfg.reprints.bands, cfg.reprints.num_perm)
        sketches.keys[hit_rows], sketches.low_bytes[hit_rows] = old.keys, old.low_bytes
        sketches.long_enough[hit_rows] = old.long_enough
        row_parts, term_parts, tf_parts = [hit_rows[old.row] - start], [old.term], [old.tf]
        run.keep(hit_rows, cached)
        if result is not None:
            sketched, counted = result
            sketches.keys[rows], sketches.low_bytes[rows], sketches.long_enough[rows] = sketched
            row_parts.append(rows[counted["row"].to_numpy()] - start)
            term_parts.append(counted["term"].to_numpy())
            tf_parts.append(counted["tf"].to_numpy())
            fresh = entries_table(
                run.schema, run.article_ids.gather(rows), run.prints[rows], sketched, counted
            )
            run.keep(rows, fresh)
        # Each row's terms come from one side, ascending as count_terms gives them: a stable sort by row
        # puts the segment in count_terms' order.
        row = np.concatenate(row_parts)
        order = np.argsort(row, kind="stable")
        merged = pl.DataFrame(
            {
                "row": row[order].astype(np.int32),
                "term": np.concatenate(term_parts)[order].astype(np.uint64),
                "tf": np.concatenate(tf_parts)[order].astype(np.int64),
            },
            schema=COUNTED_SCHEMA,
        )
        terms.store(start, end - start, merged, int(np.count_nonzero(eligible[start:end])))
        sketches.leave_memory()  # written above by row, not through Sketches.store: drop the spilled pages
        run.passed(end)

    with sketch_executor(len(run.missing), processes) as pool:
        for (held, (start, end, rows)), result in in_order(pool, tasks()):
            for segment in held:
                store(*segment, None)
            store(start, end, rows, result)
    for segment in trailing:
        store(*segment, None)
    run.finish()
    forget_words()
    give_back_freed_memory()
    return sketches, terms


def _reprints_with_cache(run: CachedRun | None, candidates: np.ndarray, verify) -> list[Reprint]:
    """verify(candidates) for the candidate pairs no earlier build checked; the others' outcomes come from
    the cache (a check depends only on the pair's two articles, which their fingerprints cover)."""
    if run is None:
        return verify(candidates)
    checked = run.checked_pairs(candidates)
    fresh = ~checked.known
    reused = np.flatnonzero(checked.known & ~np.isnan(checked.similarity))
    found = verify(candidates[fresh])
    run.stats.candidate_pairs, run.stats.pairs_verified = len(candidates), int(fresh.sum())
    reprints = found + [
        Reprint(
            article=int(candidates[k, 0] + candidates[k, 1] - checked.source[k]),
            source=int(checked.source[k]),
            similarity=float(checked.similarity[k]),
            lag_seconds=int(checked.lag_seconds[k]),
        )
        for k in reused.tolist()
    ]
    at = {
        (int(a), int(b)): k
        for k, (a, b) in zip(np.flatnonzero(fresh).tolist(), candidates[fresh].tolist(), strict=True)
    }
    for reprint in found:
        k = at[(min(reprint.article, reprint.source), max(reprint.article, reprint.source))]
        checked.similarity[k], checked.source[k] = reprint.similarity, reprint.source
        checked.lag_seconds[k] = reprint.lag_seconds
    checked.known[fresh] = True
    run.write_pairs(candidates, checked)
    return reprints


def detect_source(
    source: ArticleSource,
    cfg: events_config.Config | None = None,
    processes: bool | None = None,
    cache: EventsCache | None = None,
) -> Detected:
    """Reprints and events of every article of `source`: one pass over the bodies makes the sketches (224
    bytes an article) and the term counts; reprint candidates are then checked on their bodies, read again,
    while the events are grouped. `processes`: sketch on worker processes (None: when the archive is large
    enough to pay for them, parallel.PROCESS_MIN_ARTICLES). With a `cache` (etl/events/cache.py), only the
    articles it lacks are read and sketched and only the candidate pairs it has not seen are checked; the
    tables are the same as without it."""
    cfg = cfg or events_config.load()
    meta = source.meta()
    published_us = meta["published_at"].dt.epoch("us").to_numpy()
    published = published_us // 1_000_000
    titles = meta["title"]
    excluded = digest_rows(titles, meta["digest"], cfg.digest_titles)
    run = None
    if cache is None:
        sketches, terms = _sketch_pass(source, meta, excluded, cfg, processes)
    else:
        digests, ignored = source.body_digests(), frozenset()
        while True:
            run = cache.start(meta, ~excluded, digests, cfg, ignored)
            try:
                sketches, terms = _cached_sketch_pass(source, meta, excluded, cfg, processes, run)
                break
            except CacheUnreadable as exc:  # a file whose entries did not read: again, without it
                log.warning(
                    "events cache: %s unreadable (%s); the pass starts again without it", exc.path, exc
                )
                ignored |= {exc.path.name}
        run.stats.notes.extend(f"{name} unreadable; ignored" for name in sorted(ignored))
    # What each finder kept of the articles is turned into what it searches before the searches start, and
    # freed: the sketches once they proposed their candidate pairs, the term counts once they filled the
    # TF-IDF matrix (at a million articles, 0.22 and 0.3 GB that would otherwise sit beside both searches).
    candidates = candidate_pairs(sketches)
    del sketches
    matrix = terms.matrix()
    del terms
    give_back_freed_memory()
    outlet_codes = meta["outlet"].fill_null("").cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
    by_time = meta.with_row_index("row").sort("published_at", "article_id")["row"].to_numpy()
    order = by_time[~excluded[by_time]]

    def verify(pairs: np.ndarray) -> list[Reprint]:
        return verify_candidates(
            pairs,
            cfg.reprints,
            source.bodies,
            meta["script"],
            titles,
            meta["outlet"],
            published,
            meta["article_id"],
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        found_reprints = pool.submit(_reprints_with_cache, run, candidates, verify)
        found_events = pool.submit(find_events, matrix, order, published, outlet_codes, cfg.events)
        found_reprints, found_events = found_reprints.result(), found_events.result()
    give_back_freed_memory()
    events_df, members_df = _event_tables(found_events, meta, published_us)
    return Detected(
        _reprints_table(found_reprints, meta["article_id"], meta["outlet"]),
        events_df,
        members_df,
        run.stats.as_dict() if run is not None else {},
    )
