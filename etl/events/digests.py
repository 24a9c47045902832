"""Digests and roundups (简报, 早报, 新闻联播, weekly reviews, press reviews) join no event: one item among
many is not coverage of that event. The record's own `digest` flag (set by the topic tagger) decides; a title
rule (`digest_titles` in etl/registries/events.yaml) catches the digests it leaves unflagged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import opencc
import polars as pl

from etl.warehouse.keywords import simplified

CHUNK = 50_000  # titles converted at a time


def digest_rows(titles: pl.Series, flags: pl.Series, patterns: Sequence[str]) -> np.ndarray:
    """Rows that are digests (the record's flag, or a title matching one of `patterns`) over a whole archive:
    the titles simplified a chunk at a time (OpenCC over joined text) and matched by one regular expression
    in polars, so no Python loop runs per title."""
    rule = "|".join(f"(?:{p})" for p in patterns)
    converter = opencc.OpenCC("t2s")
    found = []
    for start in range(0, len(titles), CHUNK):
        part = titles.slice(start, CHUNK).fill_null("").to_list()
        converted = pl.Series(simplified(part, converter), dtype=pl.String)
        found.append(converted.str.contains(rule).to_numpy() if rule else np.zeros(len(part), dtype=bool))
    matched = np.concatenate(found) if found else np.zeros(0, dtype=bool)
    return matched | flags.fill_null(False).to_numpy().astype(bool)
