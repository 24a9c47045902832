"""Events: articles reporting the same happening within a time window, written independently or copied.

1. Title and lead of every article that is not a digest are converted to simplified script and segmented
   (rjieba); stopwords, digits and punctuation are dropped; words in more than `max_document_share` of the
   articles are dropped too (they name no event). Each article becomes a TF-IDF vector (sublinear term
   frequency, title words counted `title_weight` times), L2-normalised.
2. Pairs are compared only inside the time window: the articles sorted by time, each day's articles against
   those of the same day and the following `window_hours` (a sparse matrix product per day), never all pairs;
   each article keeps its MAX_NEIGHBOURS most similar.
3. Average linkage groups them: two groups merge, best first, while the mean cosine similarity over all their
   article pairs (pairs never compared count as 0) is at least `min_similarity` and the merged group spans at
   most `window_hours`. Single-link chaining (A like B, B like C, so A with C) cannot join two developments of
   a long story, and a follow-up days later falls outside the span. Two articles of one outlet at least
   `outlet_apart_hours` apart are never in one group: an outlet does not report one happening twice a day
   apart, such pairs are successive developments or serial items (yesterday's and today's death toll).
An article belongs to at most one event; groups of one article are not events.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opencc
import polars as pl
import rjieba
from scipy import sparse

from etl.events.config import EventParams
from etl.warehouse.keywords import Stopwords, simplified

DAY = 86_400
MAX_NEIGHBOURS = 20  # pairs kept per article, its most similar
MIN_COMMON_DOCUMENTS = 100  # a word is too common to name an event only above this many articles


@dataclass(frozen=True)
class Event:
    members: tuple[int, ...]  # row indexes, earliest first
    representative: int  # the member most similar to the others (its title labels the event)


@lru_cache(maxsize=1)
def _stopwords() -> Stopwords:
    return Stopwords.load()


SEGMENT_CHUNK = 2_000  # texts segmented per rjieba call (joined by newlines, which are tokens of their own)


_NOT_A_TERM = re.compile(r"^[\d\W_]+$")  # digits, punctuation, whitespace only


class _Terms:
    """Column numbers of the terms met so far; each distinct word is judged once: words of two characters or
    more, not only digits or punctuation, not in the stopword registry (etl/registries/stopwords.yaml, shared
    with keyword trends); Latin words case-folded."""

    def __init__(self) -> None:
        self.column_of: dict[str, int] = {}  # term -> column
        self.judged: dict[str, int] = {}  # word -> column, or -1 for a dropped word
        self.stopwords = _stopwords()

    def term(self, word: str) -> str | None:
        word = word.strip()
        if len(word) < 2 or _NOT_A_TERM.match(word):
            return None
        if word.isascii():
            folded = word.casefold()
            return None if folded in self.stopwords.english else folded
        return None if word in self.stopwords.chinese else word

    def columns(self, words: list[str]) -> list[int]:
        out = []
        for word in words:
            if word not in self.judged:
                term = self.term(word)
                self.judged[word] = (
                    -1 if term is None else self.column_of.setdefault(term, len(self.column_of))
                )
            out.append(self.judged[word])
        return out


def _term_entries(texts: list[str], terms: _Terms) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every kept word occurrence. Segmentation runs on chunks of joined texts and the
    word -> column mapping is a polars join, so Python touches each distinct word of a chunk once, not each
    occurrence."""
    rows, columns = [], []
    for start in range(0, len(texts), SEGMENT_CHUNK):
        chunk = texts[start : start + SEGMENT_CHUNK]
        words = pl.Series("word", rjieba.cut("\n".join(t.replace("\n", " ") for t in chunk)), dtype=pl.String)
        separator = words == "\n"
        if int(separator.sum()) != len(chunk) - 1:  # cannot happen with rjieba; never misalign rows
            raise RuntimeError("segmentation did not keep the text separators")
        frame = pl.DataFrame({"word": words, "row": separator.cast(pl.Int64).cum_sum() + start}).filter(
            ~separator
        )
        distinct = frame["word"].unique().to_list()
        mapping = pl.DataFrame(
            {"word": distinct, "column": terms.columns(distinct)}, schema_overrides={"column": pl.Int64}
        )
        kept = frame.join(mapping, on="word").filter(pl.col("column") >= 0)
        rows.append(kept["row"].to_numpy())
        columns.append(kept["column"].to_numpy())
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(columns)


def term_matrix(titles: Sequence[str], leads: Sequence[str], params: EventParams) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of title + lead (rows as given)."""
    converter = opencc.OpenCC("t2s")
    n = len(titles)
    terms = _Terms()
    title_rows, title_columns = _term_entries(simplified([t or "" for t in titles], converter), terms)
    lead_texts = simplified([(b or "")[: params.lead_chars] for b in leads], converter)
    lead_rows, lead_columns = _term_entries(lead_texts, terms)
    weights = np.r_[np.full(len(title_rows), float(params.title_weight)), np.ones(len(lead_rows))]
    matrix = sparse.csr_matrix(
        (weights, (np.r_[title_rows, lead_rows], np.r_[title_columns, lead_columns])),
        shape=(n, max(1, len(terms.column_of))),
    )
    matrix.sum_duplicates()
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log(n / np.maximum(document_frequency, 1))
    # The share applies to large archives only: among a few hundred articles, one event's own words reach it.
    idf[document_frequency > max(MIN_COMMON_DOCUMENTS, params.max_document_share * n)] = 0.0
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    matrix.eliminate_zeros()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def similar_pairs(
    matrix: sparse.csr_matrix,
    times: np.ndarray,
    window_seconds: float,
    floor: float,
    half_life_seconds: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, similarity) with i < j, times[j] - times[i] <= window and similarity >= floor. Rows must be
    sorted by time: each day's rows are multiplied with the rows up to `window` after that day's last."""
    days = times // DAY
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    ends = np.r_[starts[1:], len(times)]
    found_i, found_j, found_s = [], [], []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        stop = int(np.searchsorted(times, times[end - 1] + window_seconds, side="right"))
        product = (matrix[start:end] @ matrix[start:stop].T).tocoo()
        i = product.row + start
        j = product.col + start
        similarity = product.data
        if half_life_seconds:
            similarity = similarity * np.exp2(-(times[j] - times[i]) / half_life_seconds)
        keep = (j > i) & (similarity >= floor) & (times[j] - times[i] <= window_seconds)
        found_i.append(i[keep])
        found_j.append(j[keep])
        found_s.append(similarity[keep])
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return _strongest(np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s))


def _strongest(i: np.ndarray, j: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Only the pairs among each article's MAX_NEIGHBOURS most similar: a burst of look-alike articles (a
    template, a day dominated by one story) cannot make the grouping quadratic."""
    both_i, both_j, both_s = np.r_[i, j], np.r_[j, i], np.r_[s, s]
    order = np.lexsort((-both_s, both_i))
    both_i, both_j, both_s = both_i[order], both_j[order], both_s[order]
    first_of_row = np.r_[0, np.flatnonzero(both_i[1:] != both_i[:-1]) + 1]
    rank = np.arange(len(both_i)) - np.repeat(first_of_row, np.diff(np.r_[first_of_row, len(both_i)]))
    keep = rank < MAX_NEIGHBOURS
    low, high = np.minimum(both_i, both_j)[keep], np.maximum(both_i, both_j)[keep]
    pairs, index = np.unique(np.stack([low, high], axis=1), axis=0, return_index=True)
    return pairs[:, 0], pairs[:, 1], both_s[keep][index]


def _merge_outlet_spans(left: dict, right: dict) -> dict:
    merged = dict(left)
    for outlet, (first, last) in right.items():
        if outlet in merged:
            first, last = min(first, merged[outlet][0]), max(last, merged[outlet][1])
        merged[outlet] = (first, last)
    return merged


def average_linkage(
    n: int,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    times: np.ndarray,
    min_similarity: float,
    window_seconds: float,
    outlets: Sequence[str | None] | None = None,
    outlet_apart_seconds: float | None = None,
) -> list[list[int]]:
    """Groups of rows (each sorted) of at least two, by greedy average linkage under a time-span limit; with
    `outlets`, a group never holds two articles of one outlet `outlet_apart_seconds` or more apart."""
    members: dict[int, list[int]] = {}
    span: dict[int, tuple[int, int]] = {}
    by_outlet: dict[int, dict] = {}  # group -> outlet -> (first, last) publication time
    links: dict[int, dict[int, float]] = {}
    for i, j, s in zip(*(p.tolist() for p in pairs), strict=True):
        for a, b in ((i, j), (j, i)):
            links.setdefault(a, {})[b] = links.get(a, {}).get(b, 0.0) + s
    for row in links:
        members[row] = [row]
        span[row] = (int(times[row]), int(times[row]))
        by_outlet[row] = {outlets[row] if outlets else None: span[row]}
    heap = [(-s, a, b, 1, 1) for a, neighbours in links.items() for b, s in neighbours.items() if a < b]
    heapq.heapify(heap)
    while heap:
        negative_average, a, b, size_a, size_b = heapq.heappop(heap)
        if -negative_average < min_similarity:
            break
        if a not in members or b not in members or len(members[a]) != size_a or len(members[b]) != size_b:
            continue  # stale: a side has merged since this entry was pushed
        first, last = min(span[a][0], span[b][0]), max(span[a][1], span[b][1])
        if last - first > window_seconds:
            continue
        merged_outlets = _merge_outlet_spans(by_outlet[a], by_outlet[b])
        if (
            outlets
            and outlet_apart_seconds
            and any(t1 - t0 >= outlet_apart_seconds for t0, t1 in merged_outlets.values())
        ):
            continue
        by_outlet[a] = merged_outlets
        del by_outlet[b]
        # b joins a: a's links become the sums over both; the neighbours' links to b move to a.
        members[a].extend(members.pop(b))
        span[a] = (first, last)
        del span[b]
        links_b = links.pop(b)
        links_a = links[a]
        links_a.pop(b, None)
        links_b.pop(a, None)
        for c, s in links_b.items():
            links_a[c] = links_a.get(c, 0.0) + s
            links[c][a] = links[c].get(a, 0.0) + links[c].pop(b)
        size = len(members[a])
        for c, s in links_a.items():
            average = s / (size * len(members[c]))
            if average >= min_similarity:
                low, high = (a, c) if a < c else (c, a)
                heapq.heappush(heap, (-average, low, high, len(members[low]), len(members[high])))
    return [sorted(group) for group in members.values() if len(group) > 1]


def apart_in_one_outlet(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    outlets: Sequence[str | None],
    times: np.ndarray,
    min_lag_seconds: float,
) -> np.ndarray:
    """True for pairs of one outlet published at least `min_lag_seconds` apart: an outlet does not report one
    happening twice a day apart; such pairs are successive developments or serial items (a daily toll)."""
    i, j = pairs[0], pairs[1]
    same = np.fromiter(
        (outlets[a] == outlets[b] for a, b in zip(i.tolist(), j.tolist(), strict=True)),
        dtype=bool,
        count=len(i),
    )
    return same & (np.abs(times[j] - times[i]) >= min_lag_seconds)


def find_events(
    titles: Sequence[str | None],
    bodies: Sequence[str | None],
    outlets: Sequence[str | None],
    published: np.ndarray,  # epoch seconds, int64
    excluded: np.ndarray,  # bool: digests and articles that join no event
    params: EventParams,
) -> list[Event]:
    """The events among the articles (row indexes into the inputs), earliest first."""
    window = params.window_hours * 3600
    eligible = np.flatnonzero(~excluded)
    eligible = eligible[np.argsort(published[eligible], kind="stable")]
    if len(eligible) < 2:
        return []
    times = published[eligible].astype(np.int64)
    matrix = term_matrix([titles[i] for i in eligible], [bodies[i] for i in eligible], params)
    # Pairs down to half the threshold feed the group averages; weaker ones count as 0.
    half_life = params.half_life_hours * 3600 if params.half_life_hours else None
    pairs = similar_pairs(matrix, times, window, params.min_similarity / 2, half_life)
    group_outlets = [outlets[i] for i in eligible]
    apart = params.outlet_apart_hours * 3600
    pairs = tuple(p[~apart_in_one_outlet(pairs, group_outlets, times, apart)] for p in pairs)
    groups = average_linkage(len(eligible), pairs, times, params.min_similarity, window, group_outlets, apart)
    events = []
    for group in groups:
        rows = np.asarray(group)
        block = matrix[rows]
        closeness = np.asarray((block @ block.T).sum(axis=1)).ravel()
        # The member most similar to the others; ties (a two-article event is always one) go to the first
        # report. Rounded, so that float noise in the last digits never decides.
        best = min(range(len(rows)), key=lambda k: (-round(float(closeness[k]), 9), times[rows[k]], rows[k]))
        representative = int(eligible[rows[best]])
        ordered = tuple(int(eligible[r]) for r in sorted(group, key=lambda r: (times[r], r)))
        events.append(Event(members=ordered, representative=representative))
    events.sort(key=lambda e: (published[e.members[0]], e.members[0]))
    return events
