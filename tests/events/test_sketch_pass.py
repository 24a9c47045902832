"""The sketch pass's vectorised steps give what their plain definitions give, text by text: folding, shingle
hashes and word counts over synthetic articles and awkward edge cases (empty and missing texts, astral
characters, long rows, line breaks, one word in two cases)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import opencc
import polars as pl
import pyarrow as pa
import pytest
import rjieba

from etl.events import config as events_config
from etl.events.terms import HASH_SEED, count_terms, opening_notices, stopword_series
from etl.events.text import fold_batch, shingle_hashes
from etl.synth.coverage import article_rows

MASK = (1 << 64) - 1
EDGE_TEXTS = [
    None,
    "",
    "短",
    "第一行\n第二行\r\n第三行：COVID疫情与covid疫苗，Covid！",
    "İstanbul 和 Σίσυφος 𠀋𠀋𠀋 😀 的报道，字母 İ 单独成词",
    "報導：美國總統說，" * 80,  # traditional, far longer than any budget
    "ａｂｃ１２３，全角字母与数字" * 3,
    # a stock notice opening the text, attribution words
    "（德國之聲中文網）路透社報導，法新社引述消息人士說，柏林周二宣布新措施。" * 2,
]


@pytest.fixture(scope="module")
def articles() -> pl.DataFrame:
    rows = list(article_rows(400, 3, datetime(2024, 1, 1, tzinfo=UTC), seed=5))
    frame = pl.DataFrame(rows, infer_schema_length=None).select("title", "body_text", "script")
    edges = pl.DataFrame(
        {
            "title": EDGE_TEXTS[::-1],
            "body_text": EDGE_TEXTS,
            "script": ["hans", None, "hant", "hans", "en", "hant", "hans", "hant"],
        }
    )
    return pl.concat([edges, frame, edges])


def _plain_fold(text: str | None, script: str | None, max_chars: int) -> list[int]:
    budget = max_chars + max_chars // 3 + 50
    text = (text or "")[:budget]
    if script != "hans":
        text = opencc.OpenCC("t2s").convert(text)
    out = []
    for char in text:
        if ord(char) >= 0x10000:
            out.append(ord(char))
        elif char.isalnum():
            lower = char.lower()
            out.append(ord(lower) if len(lower) == 1 else ord(char))
    return out[:max_chars]


def _plain_mix64(value: int) -> int:
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def _plain_shingles(points: list[int], k: int) -> list[int]:
    hashes = []
    for start in range(len(points) - k + 1):
        value = 0
        for point in points[start : start + k]:
            value = (value * 0x100000001B3 + point) & MASK
        hashes.append(_plain_mix64(value))
    return hashes


def test_folding_and_shingles_match_their_plain_definition(articles):
    params = events_config.load().reprints
    bodies, scripts = articles["body_text"], articles["script"].to_list()
    points, offsets = fold_batch(bodies.to_arrow(), scripts, params.max_chars)
    hashes, hash_offsets = shingle_hashes(points, offsets, params.shingle_chars)
    for row, (body, script) in enumerate(zip(bodies.to_list(), scripts, strict=True)):
        expected = _plain_fold(body, script, params.max_chars)
        assert points[offsets[row] : offsets[row + 1]].tolist() == expected
        shingles = hashes[hash_offsets[row] : hash_offsets[row + 1]].tolist()
        assert shingles == _plain_shingles(expected, params.shingle_chars)


def _plain_counts(titles, bodies, eligible, params) -> Counter:
    """(row, term) -> tf, word by word: each text simplified and segmented alone."""
    convert = opencc.OpenCC("t2s").convert
    stop = set(stopword_series().to_list()) | {word.lower() for word in params.attribution_words}
    boilerplate = re.compile(opening_notices(params.lead_boilerplate) or "(?!)")
    counts: Counter = Counter()
    for row, (title, body, keep) in enumerate(zip(titles, bodies, eligible, strict=True)):
        if not keep:
            continue
        lead = boilerplate.sub("", (body or "")[: params.lead_chars + 200], count=1)[: params.lead_chars]
        texts = ((title or "", params.title_weight), (lead, 1))
        for text, weight in texts:
            for word in rjieba.cut(convert(text).replace("\n", " ").replace("\r", " ")):
                normal = word.strip().lower()
                if len(normal) < 2 or re.fullmatch(r"[\d\W_]+", normal) or normal in stop:
                    continue
                term = pl.Series([normal]).hash(HASH_SEED)[0]
                counts[(row, term)] += weight
    return counts


def test_word_counts_match_their_plain_definition_across_chunks(articles):
    params = events_config.load().events
    titles, bodies = articles["title"].to_list(), articles["body_text"].to_list()
    eligible = np.arange(len(titles)) % 9 != 4  # some rows are digests
    expected = _plain_counts(titles, bodies, eligible, params)
    for chunk in (len(titles), 150):  # the second pass meets words the first one judged
        got: Counter = Counter()
        for start in range(0, len(titles), chunk):
            counted = count_terms(
                pa.array(titles[start : start + chunk]),
                bodies[start : start + chunk],
                eligible[start : start + chunk],
                params,
            )
            assert counted.sort("row", "term").equals(counted)  # sorted by row and term
            for row, term, tf in counted.iter_rows():
                got[(start + row, term)] += tf
        assert got == expected
