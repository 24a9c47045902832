"""Words of title and lead, counted per article for the event finder (etl/events/events.py): a pure function
of a chunk of texts, run on worker processes (etl/events/parallel.py), so this module imports no more than
the counting needs (no scipy, no DuckDB).

Title and lead (`lead_chars` characters of the body) are converted to simplified script and segmented
(rjieba); words of one character, of digits or punctuation only, and stopwords (etl/registries/
stopwords.yaml, shared with keyword trends) are dropped; each word becomes a 64-bit hash (Latin words
lower-cased), and title words count `title_weight` times.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import opencc
import polars as pl
import rjieba

from etl.events.config import EventParams
from etl.warehouse.keywords import Stopwords, simplified


@lru_cache(maxsize=1)
def _stopword_series() -> pl.Series:
    """Stopwords of etl/registries/stopwords.yaml (shared with keyword trends): Chinese as written, English
    case-folded (words are lower-cased before the look-up; lower-casing leaves Chinese as it is)."""
    words = Stopwords.load()
    return pl.Series("stop", sorted(words.chinese | words.english), dtype=pl.String)


SEGMENT_CHUNK = 2_000  # texts segmented per rjieba call (joined by newlines, which are tokens of their own)
_NOT_A_TERM = r"^[\d\W_]+$"  # digits, punctuation, whitespace only
HASH_SEED = 20240506


def _judged(words: pl.Series) -> pl.DataFrame:
    """(word, term) of the distinct words kept, each judged once: two characters or more, not only digits
    or punctuation, not a stopword; the term is a 64-bit hash of the word, Latin words lower-cased."""
    word = pl.col("word").str.strip_chars().str.to_lowercase()
    return (
        words.to_frame("word")
        .with_columns(word.alias("normal"))
        .filter(
            (pl.col("normal").str.len_chars() >= 2)
            & ~pl.col("normal").str.contains(_NOT_A_TERM)
            & ~pl.col("normal").is_in(_stopword_series().implode())
        )
        .select("word", pl.col("normal").hash(HASH_SEED).alias("term"))
    )


def _term_hashes(texts: list[str], start: int) -> pl.DataFrame:
    """(row, term) of every kept word occurrence, the term as a 64-bit hash of the word: words of two
    characters or more, not only digits or punctuation, not stopwords; Latin words lower-cased. Segmentation
    runs on chunks of joined texts and the judging is vectorised in polars: Python never touches a word."""
    frames = []
    for offset in range(0, len(texts), SEGMENT_CHUNK):
        chunk = texts[offset : offset + SEGMENT_CHUNK]
        words = pl.Series("word", rjieba.cut("\n".join(t.replace("\n", " ") for t in chunk)), dtype=pl.String)
        separator = words == "\n"
        if int(separator.sum()) != len(chunk) - 1:  # cannot happen with rjieba; never misalign rows
            raise RuntimeError("segmentation did not keep the text separators")
        frame = pl.DataFrame(
            {"word": words, "row": (separator.cast(pl.Int32).cum_sum() + start + offset).cast(pl.Int32)}
        ).filter(~separator)
        frames.append(frame.join(_judged(frame["word"].unique()), on="word").select("row", "term"))
    if not frames:
        return pl.DataFrame(schema={"row": pl.Int32, "term": pl.UInt64})
    return pl.concat(frames)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def count_terms(
    titles: list[str | None], bodies: list[str | None], eligible: np.ndarray, params: EventParams
) -> pl.DataFrame:
    """(row, term, tf) of the title and lead of each article, rows counted from 0, sorted by row: tf counts
    title words `title_weight` times; rows not `eligible` (digests) get no terms. A pure function of its
    texts, so that worker processes can count chunks side by side."""
    keep = [bool(e) for e in eligible]
    converter = _converter()
    title_texts = simplified([(t or "") if k else "" for t, k in zip(titles, keep, strict=True)], converter)
    lead_texts = simplified(
        [(b or "")[: params.lead_chars] if k else "" for b, k in zip(bodies, keep, strict=True)], converter
    )
    entries = pl.concat(
        [
            _term_hashes(title_texts, 0).with_columns(pl.lit(params.title_weight, pl.UInt16).alias("w")),
            _term_hashes(lead_texts, 0).with_columns(pl.lit(1, pl.UInt16).alias("w")),
        ]
    )
    # Sorted by term too: columns are numbered in the order terms are met, and the products' float sums
    # follow the columns, so an arbitrary order would make runs differ in the last bits.
    return entries.group_by("row", "term").agg(pl.col("w").sum().alias("tf")).sort("row", "term")
