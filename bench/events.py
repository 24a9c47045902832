"""Reprints and events (issue 12): quality against the hand labels, and speed at scale.

    .venv/bin/python bench/events.py                       # quality on the real corpus (../shared/corpus)
    .venv/bin/python bench/events.py --sample-out FILE     # also: unlabelled predicted pairs to read
    .venv/bin/python bench/events.py --articles 1000000    # speed: synthetic articles, time and peak RSS
    .venv/bin/python bench/events.py --articles 1000000 --update-days 1   # the same through the events cache

Quality: every corpus file is parsed (`etl.dumps.parse.parse_file`), captures of one article are merged as the
lake does (earliest publication time, latest capture's content), and `etl.events.detect` runs on all of them.
The labels (bench/event_labels/pairs.jsonl) are pairs chosen by similarity, so they over-represent hard cases:
- reprint recall = labelled `reprint` pairs found / labelled `reprint` pairs;
  reprint precision = predicted reprint pairs labelled `reprint` / predicted pairs that carry a label;
- event recall = positives in one event / positives, where positives are `same_event` pairs and `reprint`
  pairs published at most the event window apart; event precision = predicted pairs (both articles in one
  event) that are positives / predicted pairs that carry a label.
Predicted pairs no one labelled are counted and a seeded random sample is written with `--sample-out`, to be
judged by reading (bench/event_labels/sampled.jsonl holds such judgements; they are reported separately).

Speed: synthetic articles (etl.synth's stories and plan, etl/synth/coverage.py: ~20% in planted events of 2-6
outlets, ~2% reprinted hours later; 1,000 articles a day) are written to a Parquet file first; a child process
then runs the warehouse's events step on it (etl/warehouse/sources.py `event_tables`: bodies streamed from a
DuckDB `articles` table, cut to the 800 characters the step reads) and times it, reporting wall
and CPU time (the child's and its worker processes'), the peak RSS of the child and its workers together
(sampled every 20 ms; the child's own ru_maxrss beside it), and pair precision and recall against the
planted truth. Targets: < 60 s and < 1.5 GB at 1,000,000 articles on 2 cores.

With `--update-days K`, the step runs through the events cache (etl/events/cache.py) twice, as two builds
would: first over the archive without its last K days (a fresh cache is filled: the first build's cost with
the cache written), then over the whole archive (the update: only the new days' articles are sketched, only
unseen reprint candidates checked). Both are timed; the cache's size on disk is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.events import config as events_config  # noqa: E402

EVENT_BODY_CHARS = 800  # what the warehouse step reads of each body (etl/warehouse/sources.py)

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
LABEL_DIR = ROOT / "bench" / "event_labels"
LABELS = LABEL_DIR / "pairs.jsonl"  # the tuning set: the parameters were chosen on it
SAMPLED = LABEL_DIR / "sampled.jsonl"  # predicted pairs read afterwards; tuned on as well
# Predicted event pairs of the rules at c2c989d drawn at random (seed 3303) and read: a tuning set too.
SAMPLED4 = LABEL_DIR / "sampled4.jsonl"
# Never tuned on: predicted pairs drawn at random and read, and pairs picked by similarity the way
# pairs.jsonl's were (bench/event_labels/pick_pairs.py); reported apart.
HOLDOUT_SAMPLED = LABEL_DIR / "holdout" / "sampled2.jsonl"
HOLDOUT_LABELS = LABEL_DIR / "holdout" / "pairs2.jsonl"
# Predicted event pairs drawn at random among those the rules of commit b05221d (time decay, stock notices,
# attribution words) predict and the earlier rules did not: sampled2 covers the earlier predictions, this
# the added ones (README "Measured against hand labels" weighs the two).
HOLDOUT_SAMPLED3 = LABEL_DIR / "holdout" / "sampled3.jsonl"
# Pairs picked by similarity with a `relation` field (pick_pairs.py, seeds 3101 and 3202): pairs3 is tuned on,
# pairs4 is a holdout.
TUNING_PAIRS3 = LABEL_DIR / "pairs3.jsonl"
HOLDOUT_PAIRS4 = LABEL_DIR / "holdout" / "pairs4.jsonl"
# Reprint pairs the containment rule (and wider trials of it) added, every one read (reprint precision only;
# left out of ALL_LABELS: its event-side labels were given with the reprint question in mind).
HOLDOUT_SAMPLED5 = LABEL_DIR / "holdout" / "sampled5.jsonl"
# A second reader, blind, of uniform draws of predicted event pairs (sampled4's 120 and the freeze draw's,
# seed 5550): reported apart, and left out of ALL_LABELS so that each pair keeps one label there.
SECOND_READER = LABEL_DIR / "holdout" / "readings_lab4.jsonl"
ALL_LABELS = (
    LABELS,
    SAMPLED,
    SAMPLED4,
    TUNING_PAIRS3,
    HOLDOUT_LABELS,
    HOLDOUT_SAMPLED,
    HOLDOUT_SAMPLED3,
    HOLDOUT_PAIRS4,
)
TARGET_REPRINT_PRECISION = 0.95
TARGET_EVENT_PRECISION = 0.90
TARGET_EVENT_RECALL = 0.70


# ---------------------------------------------------------------- quality


def _parse(path: str) -> dict | None:
    from etl.dumps.parse import parse_file

    record = parse_file(path)
    if record.status != "ok":
        return None
    keep = ("article_id", "outlet", "title", "body_text", "published_at", "script", "digest", "primary_topic")
    return {name: getattr(record, name) for name in keep} | {"path": path}


def corpus_articles(corpus: Path, workers: int = 2) -> pl.DataFrame:
    """One row per article of the corpus: earliest publication time, the last capture's content."""
    paths = sorted(
        line.split("\t", 1)[0]
        for line in (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    )
    with ProcessPoolExecutor(workers) as pool:
        records = [r for r in pool.map(_parse, [str(corpus / p) for p in paths], chunksize=200) if r]
    by_id: dict[str, dict] = {}
    for record in records:
        earlier = by_id.get(record["article_id"])
        if earlier:
            record["published_at"] = min(record["published_at"], earlier["published_at"])
        by_id[record["article_id"]] = record
    frame = pl.DataFrame(list(by_id.values()))
    return frame.with_columns(
        pl.col("published_at").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC", time_unit="us")
    )


def _pairs_within(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    pairs = set()
    for members in groups.values():
        members = sorted(members)
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def _read_labels(path: Path, kind: str | None = None) -> dict[tuple[str, str], str]:
    """(article, article) sorted -> label, of a label file (absent: none); with `kind`, of its rows of that
    kind only (`reprint` or `event`; a row without a kind is an event row)."""
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {
        tuple(sorted(row["pair"].split(":"))): row["label"]
        for row in rows
        if kind is None or row.get("kind", "event") == kind
    }


def _pair_scores(labels: dict, reprint_pairs: set, event_pairs: set, event_positive) -> dict:
    """Precision on the predicted pairs that carry a label, recall on the labelled positives."""
    reprint_labelled = [p for p in reprint_pairs if p in labels]
    event_labelled = [p for p in event_pairs if p in labels]
    positives = [p for p, label in labels.items() if event_positive(p, label)]
    return {
        "reprint_precision": _ratio(
            sum(labels[p] == "reprint" for p in reprint_labelled), len(reprint_labelled)
        ),
        "reprint_recall": _ratio(
            sum(p in reprint_pairs for p, label in labels.items() if label == "reprint"),
            sum(label == "reprint" for label in labels.values()),
        ),
        "reprint_pairs_labelled": len(reprint_labelled),
        "event_precision": _ratio(
            sum(event_positive(p, labels[p]) for p in event_labelled), len(event_labelled)
        ),
        "event_recall": _ratio(sum(p in event_pairs for p in positives), len(positives)),
        "event_pairs_labelled": len(event_labelled),
        "event_positives": len(positives),
    }


def quality(
    corpus: Path,
    sample_out: Path | None,
    sample_size: int,
    sample_seed: int = 12,
    articles=None,
    freeze_out: Path | None = None,
    freeze_size: int = 100,
    draw_seed: int = 5550,
) -> dict:
    started = time.perf_counter()
    articles = corpus_articles(corpus) if articles is None else articles
    parsed = time.perf_counter() - started
    from etl.events.detect import detect

    started = time.perf_counter()
    # The bodies as the warehouse step reads them (their first EVENT_BODY_CHARS characters): the reprint
    # check compares everything it has.
    found = detect(articles.with_columns(pl.col("body_text").str.slice(0, EVENT_BODY_CHARS)))
    detected = time.perf_counter() - started
    window = events_config.load().events.window_hours * 3600
    published = dict(zip(articles["article_id"], articles["published_at"].dt.epoch("s"), strict=True))

    reprint_pairs = {
        tuple(sorted(p)) for p in found.reprints.select("article_id", "source_article_id").iter_rows()
    }
    groups = defaultdict(list)
    for event, article in found.event_articles.select("event_id", "article_id").iter_rows():
        groups[event].append(article)
    event_pairs = _pairs_within(groups)

    def event_positive(pair, label) -> bool:
        lag = abs(published[pair[0]] - published[pair[1]])
        return label == "same_event" or (label == "reprint" and lag <= window)

    result = {
        "articles": articles.height,
        "parse_seconds": round(parsed, 1),
        "detect_seconds": round(detected, 1),
        "reprint_pairs": len(reprint_pairs),
        "events": found.events.height,
        "articles_in_events": found.event_articles.height,
        "event_pairs": len(event_pairs),
    }
    # tuning: pairs.jsonl (picked by similarity) and sampled.jsonl (predicted pairs read afterwards)
    result |= _pair_scores(_read_labels(LABELS), reprint_pairs, event_pairs, event_positive)
    result |= _sampled_judgements(SAMPLED, "sampled", reprint_pairs, event_pairs)
    result |= _sampled_judgements(SAMPLED4, "sampled4", reprint_pairs, event_pairs)
    pairs3 = _pair_scores(_read_labels(TUNING_PAIRS3), reprint_pairs, event_pairs, event_positive)
    result |= {f"pairs3_{key}": value for key, value in pairs3.items()} if pairs3["event_positives"] else {}
    # holdout, never tuned on
    holdout = _pair_scores(_read_labels(HOLDOUT_LABELS), reprint_pairs, event_pairs, event_positive)
    result |= {f"holdout_{key}": value for key, value in holdout.items()}
    result |= _sampled_judgements(HOLDOUT_SAMPLED, "holdout_sampled", reprint_pairs, event_pairs)
    result |= _sampled_judgements(HOLDOUT_SAMPLED3, "holdout_sampled3", reprint_pairs, event_pairs)
    result |= _sampled_judgements(SECOND_READER, "holdout_second_reader", reprint_pairs, event_pairs)
    sampled5 = _sampled_judgements(HOLDOUT_SAMPLED5, "holdout_sampled5", reprint_pairs, set())
    result |= {key: value for key, value in sampled5.items() if "_reprint_" in key}
    pairs4 = _pair_scores(_read_labels(HOLDOUT_PAIRS4), reprint_pairs, event_pairs, event_positive)
    result |= (
        {f"holdout_pairs4_{key}": value for key, value in pairs4.items()} if pairs4["event_positives"] else {}
    )
    result |= _pooled_figures(event_pairs, event_positive)
    known = _known_labels()
    result |= _random_pair_estimate(event_pairs, known, event_positive, draw_seed)
    if freeze_out:
        drawn = random.Random(draw_seed).sample(sorted(event_pairs), min(freeze_size, len(event_pairs)))
        _write_freeze_sample(freeze_out, drawn, articles, known)
    if sample_out:
        labelled = set(known)
        _write_sample(
            sample_out, sample_size, articles, reprint_pairs - labelled, event_pairs - labelled, sample_seed
        )
    return result


def _pooled_figures(event_pairs: set, event_positive) -> dict:
    """The two figures the bar of issue 12 is read on: the event precision of the uniform draws of predicted
    pairs never tuned on (sampled2, sampled3, and the second reader's freeze-draw pairs, those of its pairs
    that are not sampled4's), and the event recall of every set picked by similarity (tuning and holdout
    together, and the holdouts pairs2 and pairs4 alone)."""
    if not all(path.exists() for path in (HOLDOUT_SAMPLED, HOLDOUT_SAMPLED3, SECOND_READER, SAMPLED4)):
        return {}
    sampled4 = set(_read_labels(SAMPLED4, "event"))
    freeze = {
        pair: label for pair, label in _read_labels(SECOND_READER, "event").items() if pair not in sampled4
    }
    uniform = [_read_labels(HOLDOUT_SAMPLED, "event"), _read_labels(HOLDOUT_SAMPLED3, "event"), freeze]
    judged = [event_positive(p, label) for rows in uniform for p, label in rows.items() if p in event_pairs]
    frozen = [event_positive(p, label) for p, label in freeze.items() if p in event_pairs]
    picked = {}
    for path in (LABELS, TUNING_PAIRS3, HOLDOUT_LABELS, HOLDOUT_PAIRS4):
        picked |= {
            (path, *p): p in event_pairs
            for p, label in _read_labels(path).items()
            if event_positive(p, label)
        }
    held_out = [found for (path, *_), found in picked.items() if path in (HOLDOUT_LABELS, HOLDOUT_PAIRS4)]
    return {
        "holdout_freeze_draw_event_pairs": len(frozen),
        "holdout_freeze_draw_event_precision": _ratio(sum(frozen), len(frozen)),
        "holdout_uniform_pooled_event_pairs": len(judged),
        "holdout_uniform_pooled_event_precision": _ratio(sum(judged), len(judged)),
        "picked_pooled_event_positives": len(picked),
        "picked_pooled_event_recall": _ratio(sum(picked.values()), len(picked)),
        "holdout_picked_pooled_event_positives": len(held_out),
        "holdout_picked_pooled_event_recall": _ratio(sum(held_out), len(held_out)),
    }


def _known_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """Every labelled pair of every label file: pair -> (label, file name); a later file's label wins."""
    known = {}
    for path in ALL_LABELS:
        known |= {pair: (label, path.name) for pair, label in _read_labels(path).items()}
    return known


def _random_pair_estimate(event_pairs: set, known: dict, event_positive, seed: int, size: int = 400) -> dict:
    """The precision a reader meets: a seeded uniform draw of all predicted event pairs, each pair that
    carries a label (any file) judged by it; the share of the draw labelled says how far to trust it (the
    pairs picked by similarity over-represent near-misses, the sampled files the rules of their day)."""
    drawn = random.Random(seed).sample(sorted(event_pairs), min(size, len(event_pairs)))
    judged = [event_positive(pair, known[pair][0]) for pair in drawn if pair in known]
    return {
        "random_draw_pairs": len(drawn),
        "random_draw_labelled": len(judged),
        "random_draw_precision": _ratio(sum(judged), len(judged)),
    }


def _write_freeze_sample(path: Path, pairs: list, articles: pl.DataFrame, known: dict) -> None:
    """Drawn predicted event pairs for blind reading, in pick_pairs.py's format (paths relative to the corpus,
    outlets, times, titles, openings), with `label` and `label_file` where a label file already judges the
    pair."""
    info = {row["article_id"]: row for row in articles.iter_rows(named=True)}
    corpus = str(DEFAULT_CORPUS.resolve()) + "/"

    def side(i: str) -> dict:
        r = info[i]
        return {
            "article_id": i, "path": str(Path(r["path"]).resolve()).replace(corpus, ""),
            "outlet": r["outlet"], "published_at": str(r["published_at"]), "title": r["title"],
            "digest": bool(r["digest"]), "text": (r["body_text"] or "")[:700],
        }  # fmt: skip

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for a, b in pairs:
            row = {"pair": f"{a}:{b}", "candidate_kind": "predicted_event", "a": side(a), "b": side(b)}
            if (a, b) in known:
                row |= {"label": known[(a, b)][0], "label_file": known[(a, b)][1]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _sampled_judgements(path: Path, prefix: str, reprint_pairs: set, event_pairs: set) -> dict:
    """Precision on the predicted pairs that no labeller saw, judged afterwards by reading a sample. Only the
    judged pairs still predicted count (a rule change may drop some)."""
    if not path.exists():
        return {}
    out = {}
    for kind, predicted, good in (
        ("reprint", reprint_pairs, {"reprint"}),
        ("event", event_pairs, {"same_event", "reprint"}),
    ):
        judged = [label for pair, label in _read_labels(path, kind).items() if pair in predicted]
        out[f"{prefix}_{kind}_pairs"] = len(judged)
        out[f"{prefix}_{kind}_precision"] = _ratio(sum(label in good for label in judged), len(judged))
    return out


def _write_sample(
    path: Path, size: int, articles: pl.DataFrame, reprints: set, events: set, seed: int = 12
) -> None:
    info = {row["article_id"]: row for row in articles.iter_rows(named=True)}
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for kind, pairs in (("reprint", reprints), ("event", events)):
            for a, b in rng.sample(sorted(pairs), min(size, len(pairs))):
                sides = {
                    side: {
                        "article_id": i,
                        "path": info[i]["path"],
                        "outlet": info[i]["outlet"],
                        "published_at": str(info[i]["published_at"]),
                        "title": info[i]["title"],
                        "text": (info[i]["body_text"] or "")[:600],
                    }
                    for side, i in (("a", a), ("b", b))
                }
                out.write(json.dumps({"kind": kind, "pair": f"{a}:{b}", **sides}, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- speed

ARTICLES_PER_DAY = 1000
SYNTH_START = datetime(2024, 1, 1, tzinfo=UTC)


SYNTH_SCHEMA = {
    "article_id": pl.String, "outlet": pl.String, "title": pl.String, "body_text": pl.String,
    "published_at": pl.Datetime("us", "UTC"), "script": pl.String, "digest": pl.Boolean,
    "primary_topic": pl.String, "event": pl.String, "reprint_of": pl.String,
}  # fmt: skip
SYNTH_BATCH = 50_000  # rows generated and written at a time (a million rows as dicts would need ~5 GB)


def synthetic_batches(n: int, seed: int = 1, body_chars: int | None = None) -> Iterator[pl.DataFrame]:
    """n articles over n / 1,000 days from etl.synth's stories and plan (etl/synth/coverage.py: ~20% in
    planted events of 2-6 outlets, ~2% reprinted by another outlet hours later), with their truth columns
    `event` and `reprint_of` (the same generator and truth as `etl synth`'s files), SYNTH_BATCH at a time;
    bodies cut to `body_chars` when given."""
    from etl.synth.coverage import article_rows

    days = max(1, n // ARTICLES_PER_DAY)
    rows = article_rows(n, days, SYNTH_START, seed)
    while batch := list(itertools.islice(rows, SYNTH_BATCH)):
        frame = pl.DataFrame(batch, schema=SYNTH_SCHEMA)
        if body_chars is not None:
            frame = frame.with_columns(pl.col("body_text").str.slice(0, body_chars))
        yield frame


def synthetic_articles(n: int, seed: int = 1) -> pl.DataFrame:
    """`synthetic_batches` in one DataFrame (small samples: tests)."""
    return pl.concat(synthetic_batches(n, seed)) if n else pl.DataFrame(schema=SYNTH_SCHEMA)


def truth_scores(articles: pl.DataFrame, found) -> dict:
    """Pair precision and recall against the planted truth: reprint pairs (a reprint and its source), event
    pairs (two reports of one planted event, or a reprint and its source at most the event window apart)."""
    window = events_config.load().events.window_hours * 3600
    published = dict(zip(articles["article_id"], articles["published_at"].dt.epoch("s"), strict=True))
    true_reprints = {
        tuple(sorted(p))
        for p in articles.filter(pl.col("reprint_of").is_not_null())
        .select("article_id", "reprint_of")
        .iter_rows()
    }
    groups: dict[str, list[str]] = defaultdict(list)
    for article, event in (
        articles.filter(pl.col("event").is_not_null()).select("article_id", "event").iter_rows()
    ):
        groups[event].append(article)
    true_events = _pairs_within(groups) | {
        p for p in true_reprints if abs(published[p[0]] - published[p[1]]) <= window
    }
    found_reprints = {
        tuple(sorted(p)) for p in found.reprints.select("article_id", "source_article_id").iter_rows()
    }
    found_groups: dict[str, list[str]] = defaultdict(list)
    for event, article in found.event_articles.select("event_id", "article_id").iter_rows():
        found_groups[event].append(article)
    found_events = _pairs_within(found_groups)
    return {
        "truth_reprint_pairs": len(true_reprints),
        "reprint_precision": round(_ratio(len(found_reprints & true_reprints), len(found_reprints)), 4),
        "reprint_recall": round(_ratio(len(found_reprints & true_reprints), len(true_reprints)), 4),
        "truth_event_pairs": len(true_events),
        "event_precision": round(_ratio(len(found_events & true_events), len(found_events)), 4),
        "event_recall": round(_ratio(len(found_events & true_events), len(true_events)), 4),
    }


def speed(n: int, seed: int, work: Path, tables: Path | None = None) -> dict:
    """Synthetic articles into a DuckDB `articles` table shaped like the warehouse's (bodies cut to what the
    step reads), then a child process times the warehouse's events step on it: detect_source over
    WarehouseArticles, the bodies streamed from DuckDB as in a build."""
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"events-{n}-{seed}.parquet"
    database = work / f"events-{n}-{seed}.duckdb"
    if not data.exists():
        started = time.perf_counter()
        partial = data.with_name(data.name + ".partial")
        with pq.ParquetWriter(partial, pl.DataFrame(schema=SYNTH_SCHEMA).to_arrow().schema) as writer:
            for batch in synthetic_batches(n, seed, EVENT_BODY_CHARS):
                writer.write_table(batch.to_arrow())
        partial.rename(data)
        print(
            f"generated {n:,} synthetic articles in {time.perf_counter() - started:.0f} s: {data}",
            file=sys.stderr,
        )
        database.unlink(missing_ok=True)
    if not database.exists():
        with duckdb.connect(str(database)) as con:
            con.execute(
                "CREATE TABLE articles AS SELECT article_id, outlet, title, body_text, published_at, script, "
                "digest, primary_topic FROM read_parquet(?) ORDER BY published_at, article_id",
                [str(data)],
            )
    return _timed_child(database, data, tables=tables)


def _timed_child(database: Path, truth: Path | None, cache: Path | None = None, tables: Path | None = None):
    command = [sys.executable, __file__, "--time-detect", str(database)]
    command += ["--truth", str(truth)] if truth else []
    command += ["--cache", str(cache)] if cache else []
    command += ["--tables-out", str(tables)] if tables else []
    child = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(child.stdout)


def update_speed(n: int, seed: int, work: Path, days: int, tables: Path | None) -> dict:
    """The step through a fresh events cache: filled on the archive without its last `days` days (the
    first build, cache written), then run over the whole archive (the update)."""
    database = work / f"events-{n}-{seed}.duckdb"
    data = work / f"events-{n}-{seed}.parquet"
    if not database.exists():
        raise SystemExit(f"{database} missing: run --articles {n} without --update-days once first")
    before = work / f"events-{n}-{seed}-without-last-{days}.duckdb"
    if not before.exists():
        partial = before.with_name(before.name + ".partial")
        partial.unlink(missing_ok=True)
        with duckdb.connect(str(partial)) as con:
            quoted = str(database).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS archive (READ_ONLY)")
            con.execute(
                "CREATE TABLE articles AS SELECT * FROM archive.articles WHERE published_at::DATE "
                "<= (SELECT max(published_at::DATE) FROM archive.articles) - ? "
                "ORDER BY published_at, article_id",
                [days],
            )
        partial.rename(before)
    cache = work / f"events-{n}-{seed}.events-cache"
    if cache.exists():
        shutil.rmtree(cache)
    first = _timed_child(before, None, cache)
    update = _timed_child(database, data, cache, tables)
    size = sum(p.stat().st_size for p in cache.iterdir())
    return {
        "first_build_with_cache_write": first,
        "update": update,
        "cache_mb_on_disk": round(size / 1024**2, 1),
        "cache_files": len(list(cache.iterdir())),
    }


class TreeMemory:
    """Peak RSS of this process and its children together (the events step's worker processes), sampled
    every `interval` seconds on a thread: ru_maxrss alone is one process's peak, and the workers' peaks do
    not happen at the same moment as the parent's."""

    def __init__(self, interval: float = 0.02) -> None:
        import psutil

        self.root, self.interval, self.peak = psutil.Process(), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for process in [self.root, *self.root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker that just exited
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timing_the_pass(into: dict) -> None:
    """Time detection's pass over the bodies (wall; CPU of the parent and of its helper, which exits and is
    reaped when the pass ends) into `into`: the part of the step that etl/events/parallel.py spreads (with a
    cache: the pass over the articles it lacks, their entries read beside)."""
    from etl.events import detect

    def timing(sketch_pass):
        def timed(*args, **kwargs):
            wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
            result = sketch_pass(*args, **kwargs)
            into["pass_wall_seconds"] = round(time.perf_counter() - wall, 2)
            into["pass_cpu_seconds"] = round(time.process_time() - cpu + _children_cpu() - children, 2)
            return result

        return timed

    detect._sketch_pass = timing(detect._sketch_pass)
    detect._cached_sketch_pass = timing(detect._cached_sketch_pass)


def time_detect(database: Path, truth: Path | None, cache: Path | None = None, tables: Path | None = None):
    from etl.warehouse.sources import detected_events

    sketch_pass: dict = {}
    _timing_the_pass(sketch_pass)
    con = duckdb.connect(str(database), read_only=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with TreeMemory() as memory:
        wall, cpu = time.perf_counter(), time.process_time()
        found = detected_events(con, cache)  # the warehouse's step, DuckDB memory limit included
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the step's workers, exited and reaped
    worker_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    if tables:
        tables.mkdir(parents=True, exist_ok=True)
        for name in ("reprints", "events", "event_articles"):
            getattr(found, name).write_parquet(tables / f"{name}.parquet")
    result = {
        "articles": articles,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu + worker_cpu, 2),  # the parent's and its workers'
        "worker_cpu_seconds": round(worker_cpu, 2),
        **sketch_pass,  # the pass over the bodies alone: pass_wall_seconds, pass_cpu_seconds
        "peak_rss_gb": round(memory.peak / 1024**3, 3),  # parent and workers together, sampled
        "parent_peak_rss_gb": round(peak_kb / 1024 / 1024, 3),  # ru_maxrss of the parent alone
        "worker_peak_rss_gb": round(after.ru_maxrss / 1024 / 1024, 3),  # the largest worker's
        "reprints": found.reprints.height,
        "events": found.events.height,
        "articles_in_events": found.event_articles.height,
        **({"cache": found.cache_stats} if cache else {}),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if truth:
        truth_frame = pl.read_parquet(truth, columns=["article_id", "published_at", "event", "reprint_of"])
        result |= truth_scores(truth_frame, found)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample-out", type=Path)
    parser.add_argument("--sample-size", type=int, default=40)
    parser.add_argument("--sample-seed", type=int, default=12)
    parser.add_argument(
        "--freeze-out", type=Path, help="write a uniform draw of predicted event pairs to read"
    )
    parser.add_argument("--freeze-size", type=int, default=100)
    parser.add_argument("--draw-seed", type=int, default=5550, help="seed of the random-pair estimate's draw")
    parser.add_argument("--articles", type=int, help="speed run on this many synthetic articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--time-detect", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--truth", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tables-out", type=Path, help="with --articles: write the step's three tables here")
    parser.add_argument(
        "--update-days",
        type=int,
        help="with --articles: time a cache filled without the last days, then the update",
    )
    args = parser.parse_args()
    if args.time_detect:
        print(json.dumps(time_detect(args.time_detect, args.truth, args.cache, args.tables_out)))
        return 0
    if args.articles and args.update_days:
        result = update_speed(args.articles, args.seed, args.work, args.update_days, args.tables_out)
        print(json.dumps(result, indent=2))
        update = result["update"]
        ok = update["wall_seconds"] < 60 and update["peak_rss_gb"] < 1.5
        print(
            f"the update at {update['articles']:,} articles (< 60 s, < 1.5 GB): {'met' if ok else 'missed'}"
        )
        return 0
    if args.articles:
        result = speed(args.articles, args.seed, args.work, args.tables_out)
        result["cpu_us_per_article"] = round(result["cpu_seconds"] / result["articles"] * 1e6)
        print(json.dumps(result, indent=2))
        if result["articles"] >= 1_000_000:
            ok = result["wall_seconds"] < 60 and result["peak_rss_gb"] < 1.5
            print(f"targets at 1,000,000 articles (< 60 s, < 1.5 GB): {'met' if ok else 'missed'}")
        else:
            print("targets at 1,000,000 articles: < 60 s, < 1.5 GB (run --articles 1000000 to judge)")
        return 0
    result = quality(
        args.corpus,
        args.sample_out,
        args.sample_size,
        args.sample_seed,
        freeze_out=args.freeze_out,
        freeze_size=args.freeze_size,
        draw_seed=args.draw_seed,
    )
    print(json.dumps(result, indent=2))
    met = (
        result["reprint_precision"] >= TARGET_REPRINT_PRECISION
        and result["event_precision"] >= TARGET_EVENT_PRECISION
        and result["event_recall"] >= TARGET_EVENT_RECALL
    )
    verdict = "met" if met else "missed"
    print(f"targets (reprint precision >= 0.95, event precision >= 0.90, recall >= 0.70): {verdict}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    sys.exit(main())
