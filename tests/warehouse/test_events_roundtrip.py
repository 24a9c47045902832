"""Round trip of events and reprints: an `etl synth` sample with planted events and reprints (etl/synth/
coverage.py) goes through the pipeline as a real run does (raw_files -> lake -> warehouse, real_run.py), and
the warehouse's `reprints`, `events` and `event_articles` are compared with the generator's truth.

Truth pairs: a reprint and the story it copies; two reports of one planted event, and a reprint with its
source when at most the event window apart (a copy reports the same happening). Precision is over the pairs
the warehouse holds, recall over the truth's."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from itertools import combinations

import duckdb
import pytest
import real_run

from etl.dumps import parse
from etl.events import config as events_config

ARTICLES = 1400
DAYS = 45
MIN_SCORE = 0.95


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path, mode, sample = real_run.build_with_truth(tmp_path_factory.mktemp("events_rt"), ARTICLES, DAYS)
    if sample is None:
        pytest.skip(f"no real run ({mode})")
    return path, sample


def _truth_pairs(sample) -> tuple[set, set]:
    firsts = [t for t in sample.truth if t.article_key and t.capture == 0 and t.status == "ok"]
    ids = {
        t.article_key: parse.parse_file(str(sample.out_dir / t.path), full=False).article_id for t in firsts
    }
    published = {}
    for t in sample.truth:  # an article's publication time: its earliest capture's
        if t.article_key and t.status == "ok":
            moment = datetime.fromisoformat(t.published_at.replace("Z", "+00:00")).timestamp()
            published[t.article_key] = min(published.get(t.article_key, moment), moment)
    reprints = {tuple(sorted((ids[t.article_key], ids[t.reprint_of]))) for t in firsts if t.reprint_of}
    groups = defaultdict(list)
    for t in firsts:
        if t.event:
            groups[t.event].append(ids[t.article_key])
    events = {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}
    window = events_config.load().events.window_hours * 3600
    events |= {
        tuple(sorted((ids[t.article_key], ids[t.reprint_of])))
        for t in firsts
        if t.reprint_of and abs(published[t.article_key] - published[t.reprint_of]) <= window
    }
    return reprints, events


def _warehouse_pairs(path) -> tuple[set, set]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        reprints = {
            tuple(sorted(r))
            for r in con.execute("SELECT article_id, source_article_id FROM reprints").fetchall()
        }
        groups = defaultdict(list)
        for event, article in con.execute("SELECT event_id, article_id FROM event_articles").fetchall():
            groups[event].append(article)
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(groups)
    finally:
        con.close()
    events = {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}
    return reprints, events


def _scores(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / len(found), hits / len(truth)


def test_warehouse_finds_the_planted_reprints_and_events(built):
    path, sample = built
    true_reprints, true_events = _truth_pairs(sample)
    found_reprints, found_events = _warehouse_pairs(path)
    assert len(true_reprints) >= 10 and len(true_events) >= 100, "the sample plants too little to judge"
    reprint_precision, reprint_recall = _scores(found_reprints, true_reprints)
    event_precision, event_recall = _scores(found_events, true_events)
    print(
        f"\nreprint pairs: precision {reprint_precision:.3f}, recall {reprint_recall:.3f} "
        f"({len(found_reprints)} found, {len(true_reprints)} planted)\n"
        f"event pairs: precision {event_precision:.3f}, recall {event_recall:.3f} "
        f"({len(found_events)} found, {len(true_events)} planted)"
    )
    assert reprint_precision >= MIN_SCORE, sorted(found_reprints - true_reprints)[:10]
    assert reprint_recall >= MIN_SCORE, sorted(true_reprints - found_reprints)[:10]
    assert event_precision >= MIN_SCORE, sorted(found_events - true_events)[:10]
    assert event_recall >= MIN_SCORE, sorted(true_events - found_events)[:10]
