"""Words of title and lead, counted per article for the event finder (etl/events/events.py): a pure function
of a chunk of texts, run on worker processes (etl/events/parallel.py), so this module imports no more than
the counting needs (no scipy, no DuckDB).

Title and lead (`lead_chars` characters of the body, stock notices of `lead_boilerplate` cut out first) are
converted to simplified script and segmented (rjieba); words of one character, of digits or punctuation only,
stopwords (etl/registries/stopwords.yaml, shared with keyword trends) and the events' `attribution_words`
are dropped; each word becomes a 64-bit hash (Latin words lower-cased), and title words count `title_weight`
times.

A chunk's titles and leads are one text for one OpenCC call and one rjieba call (title, lead, next title...
joined by newlines, which are tokens of their own; jieba segments the runs between such characters apart, so
joining changes no word). Words are hashed in polars; each distinct word is judged once per process
(_Vocabulary, by its hash), and the words are counted by numpy sorts: no Python code runs per word.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import opencc
import polars as pl
import rjieba

from etl.events.config import EventParams
from etl.warehouse.keywords import Stopwords

_NOT_A_TERM = r"^[\d\W_]+$"  # digits, punctuation, whitespace only
HASH_SEED = 20240506
SEPARATOR = "\n"  # between the texts of a chunk: jieba makes it a word of its own
# Words judged and remembered per process (17 bytes each); past the bound the vocabulary starts afresh.
MAX_WORDS = 2_000_000
COUNTED_SCHEMA = {"row": pl.Int32, "term": pl.UInt64, "tf": pl.Int64}
# Characters of the body read past the lead when stock notices are cut out, so that the lead stays whole (the
# longest notice of etl/registries/events.yaml, NYT's three sentences, is ~120 characters).
BOILERPLATE_MARGIN = 200


@lru_cache(maxsize=1)
def stopword_series() -> pl.Series:
    """Stopwords of etl/registries/stopwords.yaml (shared with keyword trends): Chinese as written, English
    case-folded (words are lower-cased before the look-up; lower-casing leaves Chinese as it is)."""
    words = Stopwords.load()
    return pl.Series("stop", sorted(words.chinese | words.english), dtype=pl.String)


@lru_cache(maxsize=4)
def _attribution_terms(words: tuple[str, ...]) -> np.ndarray:
    """The terms (hashes of the normal forms) of the events' attribution words."""
    return judge(list(words))[1]


def judge(words) -> tuple[np.ndarray, np.ndarray]:
    """(kept, term) of each word: kept when two characters or more, not only digits or punctuation, not a
    stopword; the term is a 64-bit hash of the word stripped of surrounding whitespace and lower-cased."""
    normal = pl.col("word").str.strip_chars().str.to_lowercase()
    judged = (
        pl.Series("word", words, dtype=pl.String)
        .to_frame()
        .with_columns(normal.alias("normal"))
        .select(
            (
                (pl.col("normal").str.len_chars() >= 2)
                & ~pl.col("normal").str.contains(_NOT_A_TERM)
                & ~pl.col("normal").is_in(stopword_series().implode())
            ).alias("kept"),
            pl.col("normal").hash(HASH_SEED).alias("term"),
        )
    )
    return judged["kept"].to_numpy(), judged["term"].to_numpy()


class _Vocabulary:
    """Each word judged once per process, not once per chunk (a chunk's distinct words mostly recur in the
    next): the judgement (kept, term) of every word met, by a 64-bit hash of the word, in sorted arrays (17
    bytes a word, no Python object). Two words of one hash would share a judgement: at 2**64 hashes, not
    met in a lifetime of archives."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        self.hashes = np.zeros(0, dtype=np.uint64)  # sorted
        self.kept = np.zeros(0, dtype=bool)
        self.terms = np.zeros(0, dtype=np.uint64)

    def judged(self, hashes: np.ndarray, words: Callable[[np.ndarray], pl.Series]) -> tuple[np.ndarray, ...]:
        """(kept, term) of each of `hashes` (sorted, distinct); `words(i)`: the words of hashes[i], called
        for the hashes not met before."""
        if len(self.hashes) > MAX_WORDS:
            self._start()
        at = np.searchsorted(self.hashes, hashes)
        met = at < len(self.hashes)
        met[met] = self.hashes[at[met]] == hashes[met]
        kept = np.empty(len(hashes), dtype=bool)
        terms = np.empty(len(hashes), dtype=np.uint64)
        kept[met], terms[met] = self.kept[at[met]], self.terms[at[met]]
        fresh = np.flatnonzero(~met)
        if len(fresh):
            kept[fresh], terms[fresh] = judge(words(fresh))
            self.hashes = np.insert(self.hashes, at[fresh], hashes[fresh])
            self.kept = np.insert(self.kept, at[fresh], kept[fresh])
            self.terms = np.insert(self.terms, at[fresh], terms[fresh])
        return kept, terms


_VOCABULARY = _Vocabulary()


def forget_words() -> None:
    """Drop the words judged so far (up to MAX_WORDS * 17 bytes): the parent, which counts chunks too, calls
    it when the pass over the bodies ends, before the searches take their memory."""
    with _VOCABULARY.lock:
        _VOCABULARY._start()


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4)
def opening_notices(patterns: tuple[str, ...]) -> str | None:
    """One regular expression for the stock notices opening a body: any of `patterns`, one or several in a
    row (a dateline, then a byline), at the very start. Anchored, it gives up at the first character of a
    body that opens otherwise: 1.5 against 3.8 ms for 2,500 synthetic bodies unanchored."""
    if not patterns:
        return None
    return r"^\s*(?:(?:" + "|".join(patterns) + r")\s*)+"


def _leads(bodies, lead_chars: int, boilerplate: tuple[str, ...] = ()) -> pl.Series:
    """The first `lead_chars` characters of each body, after the stock notices opening it (`boilerplate`:
    regular expressions on the text as written, traditional or simplified) are cut out."""
    body = pl.Series(bodies, dtype=pl.String).fill_null("")
    pattern = opening_notices(tuple(boilerplate))
    if pattern is None:
        return body.str.slice(0, lead_chars)
    opening = body.str.slice(0, lead_chars + BOILERPLATE_MARGIN)
    return opening.str.replace(pattern, "").str.slice(0, lead_chars)


def _chunk_text(
    titles, bodies, eligible: np.ndarray, lead_chars: int, boilerplate: tuple[str, ...] = ()
) -> str:
    """Title, lead, next title, ... of the chunk joined by SEPARATOR; rows not eligible as empty texts.
    Line breaks inside a text become spaces (a space is a word jieba emits alone, and no term)."""
    keep = pl.Series(np.asarray(eligible, dtype=bool))
    title = pl.Series(titles, dtype=pl.String).fill_null("")
    lead = _leads(bodies, lead_chars, boilerplate)
    frame = pl.DataFrame({"keep": keep, "title": title, "lead": lead})
    texts = [
        pl.when("keep").then(pl.col(c).str.replace_all(r"[\r\n]", " ")).otherwise(pl.lit(""))
        for c in ("title", "lead")
    ]
    return frame.select(pl.concat_str(texts, separator=SEPARATOR).str.join(SEPARATOR)).item()


def _words(text: str, n: int) -> pl.DataFrame:
    """(word, text) of the words of a chunk's joined text that can be terms, `text` numbering the chunk's
    texts (2 * row for a title, 2 * row + 1 for a lead), and `hash`, a 64-bit hash of the word."""
    words = pl.Series("word", rjieba.cut(text), dtype=pl.String)
    separators = words == SEPARATOR
    if int(separators.sum()) != 2 * n - 1:  # cannot happen with rjieba; never misalign rows
        raise RuntimeError("segmentation did not keep the text separators")
    # Words of one character are never terms (but İ, which lower-cases to two): left out first.
    return (
        pl.DataFrame({"word": words, "text": separators.cum_sum()})
        .filter((pl.col("word").str.len_chars() >= 2) | (pl.col("word") == "\u0130"))
        .with_columns(pl.col("word").hash(HASH_SEED).alias("hash"))
    )


def _distinct(hashes: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the distinct hashes, sorted; the index of each one's first token; each token's distinct hash), from
    one sort of the hashes (polars' arg_sort: a fraction of numpy's)."""
    order = hashes.arg_sort().to_numpy()
    ordered = hashes.to_numpy()[order]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    which = np.empty(len(ordered), dtype=np.int64)
    which[order] = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    return ordered[first], order[first], which


def _tally(text_of: np.ndarray, ranks: np.ndarray, terms: np.ndarray, title_weight: int) -> pl.DataFrame:
    """(row, term, tf) of word occurrences, sorted by row and term: `text_of` numbers each occurrence's text,
    `ranks` its term in `terms` (sorted, distinct). One sort of (row, term rank, lead or title) orders the
    occurrences, and each (row, term) run is summed."""
    text_of = text_of.astype(np.int64)
    keys = ((text_of >> 1) * len(terms) + ranks) * 2 + (text_of & 1)
    keys.sort()
    pairs = keys >> 1  # row * len(terms) + term rank
    starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]]) if len(pairs) else np.zeros(0, np.int64)
    weight = np.where(keys & 1, 1, title_weight).astype(np.int64)
    width = max(1, len(terms))
    return pl.DataFrame(
        {
            "row": (pairs[starts] // width).astype(np.int32),
            "term": terms[pairs[starts] % width],
            "tf": np.add.reduceat(weight, starts) if len(starts) else np.zeros(0, dtype=np.int64),
        },
        schema=COUNTED_SCHEMA,
    )


def count_terms(titles, bodies, eligible: np.ndarray, params: EventParams) -> pl.DataFrame:
    """(row, term, tf) of the title and lead of each article, rows counted from 0, sorted by row and term:
    tf counts title words `title_weight` times; rows not `eligible` (digests) get no terms. `titles` and
    `bodies`: strings (None for none), Arrow string arrays or polars Series. A pure function of its texts,
    so that worker processes can count chunks side by side."""
    # One OpenCC and one rjieba call a chunk, each distinct word judged once a process, counts by numpy
    # sorts: 52-54 against 70-72 us an article with polars' join, group_by and sort per chunk (CPU, one
    # thread, 50,000 synthetic articles in chunks of 2,500, two paired runs; the same counts on them and on
    # the corpus). rjieba itself is ~28 of them.
    n = len(eligible)
    if n == 0:
        return pl.DataFrame(schema=COUNTED_SCHEMA)
    text = _chunk_text(titles, bodies, eligible, params.lead_chars, params.lead_boilerplate)
    words = _words(_converter().convert(text), n)
    hashes, first, which = _distinct(words["hash"])
    with _VOCABULARY.lock:
        kept, terms = _VOCABULARY.judged(hashes, lambda i: words["word"].gather(first[i]))
    if params.attribution_words:  # the events' own stopwords, beside the shared ones
        kept = kept & ~np.isin(terms, _attribution_terms(tuple(params.attribution_words)))
    # Words of one normal form (COVID, covid) are one term: the distinct words' terms are ranked.
    kept_terms, kept_ranks = np.unique(terms[kept], return_inverse=True)
    ranks = np.full(len(kept), -1, dtype=np.int64)
    ranks[kept] = kept_ranks.ravel()
    token_ranks = ranks[which]
    counted = token_ranks >= 0
    return _tally(words["text"].to_numpy()[counted], token_ranks[counted], kept_terms, params.title_weight)
