"""Events: articles reporting the same happening within a time window, written independently or copied.

1. Title and lead of every article that is not a digest are converted to simplified script and segmented
   (rjieba); stopwords, digits and punctuation are dropped; words in more than `max_document_share` of the
   articles are dropped too (they name no event). Each article becomes a TF-IDF vector (sublinear term
   frequency, title words counted `title_weight` times), L2-normalised.
2. Pairs are compared only inside the time window: the articles sorted by time, each day's articles against
   those of the same day and the following `window_hours` (a sparse matrix product per day), never all pairs;
   each product keeps each row's MAX_NEIGHBOURS most similar, then each article its MAX_NEIGHBOURS overall.
   Words are counted a chunk of articles at a time (TermCounts): the archive is never held as text.
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
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from etl.events.config import EventParams
from etl.events.memory import give_back_freed_memory

DAY = 86_400
MAX_NEIGHBOURS = 20  # pairs kept per article, its most similar
LINKAGE_PAIRS = 50_000  # pairs of whole components linked at a time (average_linkage)
TRIM_EVERY_DAYS = 30  # days of products between two give_back_freed_memory calls
MIN_COMMON_DOCUMENTS = 100  # a word is too common to name an event only above this many articles


@dataclass(frozen=True)
class Event:
    members: tuple[int, ...]  # row indexes, earliest first
    representative: int  # the member most similar to the others (its title labels the event)


class TermCounts:
    """Term counts of title and lead of every article, collected a chunk of articles at a time (title words
    count `title_weight` times). Terms get column numbers as they are first met (a hash -> column table, 12
    bytes a term), and each chunk is kept as compact arrays (int32 column, uint16 count), zstd-compressed
    (_Packed): at a million articles the archive's words are never held as Python strings."""

    def __init__(self, n: int, params: EventParams) -> None:
        self.n, self.params = n, params
        self.terms = np.zeros(0, dtype=np.uint64)  # every term met, sorted
        self.columns = np.zeros(0, dtype=np.int32)  # the column of each of `terms`
        self.width = 0  # columns given out
        self.chunks: list[tuple[int, _Packed, _Packed, _Packed]] = []  # start, row counts, cols, tf
        self.documents = 0  # articles counted (digests are left out)

    def add(
        self, start: int, titles: list[str | None], bodies: list[str | None], eligible: np.ndarray
    ) -> None:
        """Rows start .. start + len(titles) - 1; rows not `eligible` get no terms."""
        from etl.events.terms import count_terms  # here: a large archive counts on workers (no rjieba)

        counted = count_terms(titles, bodies, eligible, self.params)
        self.store(start, len(titles), counted, int(np.count_nonzero(eligible)))

    def store(self, start: int, rows: int, counted: pl.DataFrame, documents: int) -> None:
        """Keep `count_terms`' output for rows start .. start + rows - 1, of which `documents` were eligible:
        each term gets its column (in the order terms are first met), and the chunk is kept as compact
        arrays."""
        self.documents += documents
        columns = self._columns(counted["term"].to_numpy())
        per_row = np.bincount(counted["row"].to_numpy(), minlength=rows).astype(np.int32)
        tf = np.minimum(counted["tf"].to_numpy(), 65_535).astype(np.uint16)
        self.chunks.append((start, _Packed(per_row), _Packed(columns), _Packed(tf)))

    def _columns(self, terms: np.ndarray) -> np.ndarray:
        """The column of each term; terms not met before get the next columns, in the order they first
        occur. The vocabulary is a sorted array (looked up by binary search, grown by one merge a chunk):
        a hash join against it cost every chunk the whole vocabulary, millions of terms at a million
        articles."""
        distinct, first_at, inverse = np.unique(terms, return_index=True, return_inverse=True)
        at = np.searchsorted(self.terms, distinct)
        known = at < len(self.terms)
        known[known] = self.terms[at[known]] == distinct[known]
        columns = np.empty(len(distinct), dtype=np.int32)
        columns[known] = self.columns[at[known]]
        fresh = np.flatnonzero(~known)  # sorted, as `distinct` is
        numbered = fresh[np.argsort(first_at[fresh], kind="stable")]  # in order of first occurrence
        columns[numbered] = np.arange(self.width, self.width + len(fresh), dtype=np.int32)
        self.width += len(fresh)
        if len(fresh):  # one pass inserting the new terms where they sort
            self.terms = np.insert(self.terms, at[fresh], distinct[fresh])
            self.columns = np.insert(self.columns, at[fresh], columns[fresh])
        return columns[inverse.ravel()]

    def matrix(self) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows (sublinear tf), one per article. Terms of one article only cannot link
        two articles and terms in more than `max_document_share` of the articles name no event: both are
        dropped. The chunks are freed as the matrix is filled."""
        columns = self.width
        self.terms = self.columns = None
        frequency = np.zeros(max(1, columns), dtype=np.int64)
        for _, _, cols, _ in self.chunks:
            frequency += np.bincount(cols.array(), minlength=len(frequency))
        n = max(1, self.documents)
        idf = np.log(n / np.maximum(frequency, 1)).astype(np.float32)
        # The share applies to large archives only: among a few hundred articles, one event's own words
        # reach it.
        idf[frequency > max(MIN_COMMON_DOCUMENTS, self.params.max_document_share * n)] = 0.0
        # Terms of one article count in its norm but can link it to nothing: they are not stored.
        linking = frequency >= 2
        # An article counts a term once, so a column's entries are its frequency: the entries kept are counted
        # without reading the chunks again.
        kept_total = int(frequency[(idf > 0) & linking].sum())
        indices = np.empty(kept_total, dtype=np.int32)
        data = np.empty(kept_total, dtype=np.float32)
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        norms = np.ones(self.n, dtype=np.float32)
        filled = 0
        while self.chunks:
            start, *packed = self.chunks.pop(0)
            per_row, cols, tf = (part.array() for part in packed)
            weight = (1.0 + np.log(tf.astype(np.float32))) * idf[cols]
            row_of = np.repeat(np.arange(len(per_row)), per_row)
            squares = np.bincount(row_of, weights=weight.astype(np.float64) ** 2, minlength=len(per_row))
            chunk_norms = np.sqrt(squares).astype(np.float32)
            chunk_norms[chunk_norms == 0] = 1.0
            norms[start : start + len(per_row)] = chunk_norms
            kept = (weight > 0) & linking[cols]
            count = int(kept.sum())
            indices[filled : filled + count] = cols[kept]
            data[filled : filled + count] = weight[kept] / chunk_norms[row_of[kept]]
            indptr[start + 1 : start + 1 + len(per_row)] = np.bincount(row_of[kept], minlength=len(per_row))
            filled += count
        np.cumsum(indptr, out=indptr)
        return sparse.csr_matrix((data, indices, indptr), shape=(self.n, max(1, columns)))


class _Packed:
    """A 1-D numpy array kept zstd-compressed (level 1, pyarrow's codec). The term counts of a million
    synthetic articles (52.1 million entries, 317 MB as int32 columns and uint16 counts) are held through the
    pass over the bodies, where the step's peak was: compressed they take ~110 MB (column numbers ~2.2x,
    counts ~6.7x; ~0.12 CPU-s to compress and ~0.04 to expand per 100,000 articles), and the pass's peak
    (parent and helper, the searches run apart) went from 1.75 to 1.57 GB."""

    __slots__ = ("data", "dtype", "size")

    def __init__(self, values: np.ndarray) -> None:
        import pyarrow as pa

        self.dtype, self.size = values.dtype, len(values)
        # As bytes: the Arrow buffer compress returns keeps the capacity of the worst case (more than the
        # input), so holding it would save nothing.
        codec = pa.Codec("zstd", compression_level=1)
        self.data = codec.compress(np.ascontiguousarray(values), asbytes=True)

    def array(self) -> np.ndarray:
        import pyarrow as pa

        if self.size == 0:
            return np.zeros(0, dtype=self.dtype)
        raw = pa.Codec("zstd").decompress(self.data, decompressed_size=self.size * self.dtype.itemsize)
        return np.frombuffer(raw, dtype=self.dtype)


def similar_pairs(
    matrix: sparse.csr_matrix,
    times: np.ndarray,
    window_seconds: float,
    floor: float,
    half_life_seconds: float | None = None,
    order: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, similarity) with i < j, times[j] - times[i] <= window and similarity >= floor, i and j being
    positions in `order` (the matrix rows to compare, sorted by time; all rows when None) and `times` their
    times. Each day's rows are multiplied with the rows up to `window` after that day's last (one sparse
    product per day, never all pairs), and each product keeps each row's MAX_NEIGHBOURS most similar, so a
    burst of look-alike articles cannot fill memory."""
    rows = np.arange(matrix.shape[0]) if order is None else order
    days = times // DAY
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    ends = np.r_[starts[1:], len(times)]
    found_i, found_j, found_s = [], [], []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        stop = int(np.searchsorted(times, times[end - 1] + window_seconds, side="right"))
        window = matrix[rows[start:stop]]
        product = window[: end - start] @ window.T
        # The product's entries are mostly below the floor (one shared word of middling weight): cut on the
        # values before any row index is made for them (a decay only lowers a value, so the cut holds with a
        # half-life too). 1M synthetic articles: similar_pairs 14.4 against 20.7 CPU-s, the same pairs.
        above = np.flatnonzero(product.data >= floor)
        i = np.searchsorted(product.indptr, above, side="right") - 1 + start
        j = product.indices[above].astype(np.int64) + start
        similarity = product.data[above]
        del product
        if half_life_seconds:  # kept in float32: the strongest pairs are then ordered by one packed sort
            similarity = (similarity * np.exp2(-(times[j] - times[i]) / half_life_seconds)).astype(np.float32)
        keep = (j > i) & (similarity >= floor) & (times[j] - times[i] <= window_seconds)
        i, j, similarity = _top_per_row(i[keep], j[keep], similarity[keep])
        found_i.append(i)
        found_j.append(j)
        found_s.append(similarity)
        if len(found_i) % TRIM_EVERY_DAYS == 0:
            give_back_freed_memory()  # the days' products
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return _strongest(np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s))


def _compact_columns(block: sparse.csr_matrix) -> sparse.csr_matrix:
    """The block with only the columns it uses, in their order: a product with its transpose then costs
    its own size, not the archive's vocabulary (a million articles hold millions of terms, and every
    transpose allocated one slot per term). The order of the terms in each row is kept, so the products'
    sums are added in the same order and give the same floats."""
    used, remapped = np.unique(block.indices, return_inverse=True)
    return sparse.csr_matrix(
        (block.data, remapped.astype(np.int32), block.indptr), shape=(block.shape[0], max(1, len(used)))
    )


def _top_per_row(i: np.ndarray, j: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs among the MAX_NEIGHBOURS most similar of each i (ties: the earlier j)."""
    if len(i) == 0:
        return i, j, s
    order = np.lexsort((j, -s, i))
    i, j, s = i[order], j[order], s[order]
    first_of_row = np.r_[0, np.flatnonzero(i[1:] != i[:-1]) + 1]
    rank = np.arange(len(i)) - np.repeat(first_of_row, np.diff(np.r_[first_of_row, len(i)]))
    keep = rank < MAX_NEIGHBOURS
    return i[keep], j[keep], s[keep]


def _strongest(i: np.ndarray, j: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Only the pairs among each article's MAX_NEIGHBOURS most similar: a burst of look-alike articles (a
    template, a day dominated by one story) cannot make the grouping quadratic."""
    # Positions and ranks in 32 bits, each temporary dropped as soon as it is used: at a million synthetic
    # articles (1.36 million pairs) this took 263 MB at its peak (traced) with 64-bit positions.
    narrow = np.int32 if len(i) == 0 or max(int(i.max()), int(j.max())) < 2**31 else np.int64
    both_i, both_j = np.r_[i, j].astype(narrow, copy=False), np.r_[j, i].astype(narrow, copy=False)
    both_s = np.r_[s, s]
    order = _by_row_most_similar_first(both_i, both_s)
    both_i, both_j, both_s = both_i[order], both_j[order], both_s[order]
    del order
    first_of_row = np.r_[0, np.flatnonzero(both_i[1:] != both_i[:-1]) + 1].astype(narrow)
    rank = np.arange(len(both_i), dtype=narrow)
    rank -= np.repeat(first_of_row, np.diff(np.r_[first_of_row, len(both_i)]))
    keep = rank < MAX_NEIGHBOURS
    del rank, first_of_row
    low, high = np.minimum(both_i, both_j)[keep], np.maximum(both_i, both_j)[keep]
    del both_i, both_j
    # Each pair once, sorted by (low, high): one int64 code a pair (np.unique over rows sorts a structured
    # copy, several times the memory at a million articles).
    width = np.int64(max(int(high.max()) + 1, 1)) if len(high) else np.int64(1)
    codes, index = np.unique(low.astype(np.int64) * width + high, return_index=True)
    return codes // width, codes % width, both_s[keep][index]


def _by_row_most_similar_first(rows: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """np.lexsort((-similarity, rows)): by row, then by falling similarity, ties in input order. For float32
    similarities above 0 (whose bit patterns sort as the values do) one stable argsort of (row << 32 | the
    inverted bits) gives the same order: 0.30 against 1.12 s for the 2.6 million entries of a million
    synthetic articles."""
    packable = (
        similarity.dtype == np.float32
        and len(rows) > 0
        and rows.min() >= 0
        and rows.max() < 2**31
        and similarity.min() > 0
    )
    if not packable:  # float64 or non-positive similarities: never find_events' (decayed ones stay float32)
        return np.lexsort((-similarity, rows))
    keys = rows.astype(np.uint64)  # built in place: one 64-bit array beside the rows
    keys <<= np.uint64(32)
    keys |= np.invert(similarity.view(np.uint32))  # 0xFFFFFFFF - bits, in 32 bits
    return np.argsort(keys, kind="stable")


def _merge_outlet_spans(left: dict, right: dict) -> dict:
    merged = dict(left)
    for outlet, (first, last) in right.items():
        if outlet in merged:
            first, last = min(first, merged[outlet][0]), max(last, merged[outlet][1])
        merged[outlet] = (first, last)
    return merged


def _within_strong_components(
    n: int, pairs: tuple[np.ndarray, np.ndarray, np.ndarray], min_similarity: float
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """Only the pairs that can matter to average linkage, and the size and label of each pair's component:
    two groups merge only when some pair between them reaches `min_similarity`, so every group lies inside one
    connected component of those strong pairs, and weaker pairs count only between articles of one such
    component. Dropping the others changes no group and keeps the linkage's heap to the articles that can
    form events."""
    i, j, s = pairs
    strong = s >= min_similarity
    if not strong.any():
        return (i[:0], j[:0], s[:0]), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(int(strong.sum())), (i[strong], j[strong])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    has_strong = np.zeros(n, dtype=bool)
    has_strong[i[strong]] = has_strong[j[strong]] = True
    keep = has_strong[i] & (label[i] == label[j])
    sizes = np.bincount(label[has_strong], minlength=int(label.max()) + 1)
    return (i[keep], j[keep], s[keep]), sizes[label[i[keep]]], label[i[keep]]


def average_linkage(
    n: int,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    times: np.ndarray,
    min_similarity: float,
    window_seconds: float,
    outlets: np.ndarray | None = None,  # outlet codes of the rows
    outlet_apart_seconds: float | None = None,
) -> list[list[int]]:
    """Groups of rows (each sorted) of at least two, by greedy average linkage under a time-span limit; with
    `outlets`, a group never holds two articles of one outlet `outlet_apart_seconds` or more apart."""
    pairs, component_size, component = _within_strong_components(n, pairs, min_similarity)
    # A component of two articles is one strong pair: a group when the span and outlet rules allow it,
    # decided at once; only larger components need the heap.
    lone_i, lone_j = pairs[0][component_size == 2], pairs[1][component_size == 2]
    allowed = np.abs(times[lone_j] - times[lone_i]) <= window_seconds
    if outlets is not None and outlet_apart_seconds:
        allowed &= ~(
            (outlets[lone_i] == outlets[lone_j])
            & (np.abs(times[lone_j] - times[lone_i]) >= outlet_apart_seconds)
        )
    pairs_of_two = [
        sorted((a, b)) for a, b in zip(lone_i[allowed].tolist(), lone_j[allowed].tolist(), strict=True)
    ]
    # Groups never cross a strong component, so the heap runs over LINKAGE_PAIRS pairs' worth of whole
    # components at a time: the same merges, and the Python structures (links, heap entries, ~700 bytes a
    # pair) of a batch only, not of the whole archive's (1M synthetic articles: 337,664 pairs, 0.24 GB).
    larger = component_size > 2
    by_component = np.argsort(component[larger], kind="stable")
    pairs = tuple(p[larger][by_component] for p in pairs)
    labels = component[larger][by_component]
    groups = pairs_of_two
    start = 0
    while start < len(labels):
        stop = min(start + LINKAGE_PAIRS, len(labels))
        stop = int(np.searchsorted(labels, labels[stop - 1], side="right"))  # the last component whole
        batch = tuple(p[start:stop] for p in pairs)
        groups += _linked(batch, times, min_similarity, window_seconds, outlets, outlet_apart_seconds)
        start = stop
    return groups


def _linked(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    times: np.ndarray,
    min_similarity: float,
    window_seconds: float,
    outlets: np.ndarray | None,
    outlet_apart_seconds: float | None,
) -> list[list[int]]:
    """average_linkage's heap over the pairs of some whole components."""
    linkage = _Linkage(times, window_seconds, outlets, outlet_apart_seconds)
    heap = linkage.link(pairs)
    current, allowed, merge = linkage.current, linkage.allowed, linkage.merge  # bound once: the loop is hot
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        negative_average, a, b, size_a, size_b = pop(heap)
        if -negative_average < min_similarity:
            break
        if not current(a, b, size_a, size_b):
            continue
        outlet_spans = allowed(a, b)
        if outlet_spans is not None:
            for entry in merge(a, b, outlet_spans, min_similarity):
                push(heap, entry)
    return [sorted(group) for group in linkage.members.values() if len(group) > 1]


class _Linkage:
    """The groups of average linkage as they merge: members, time span, each outlet's first and last
    publication, and per pair of groups the sum of their article pairs' similarities."""

    def __init__(
        self,
        times: np.ndarray,
        window_seconds: float,
        outlets: np.ndarray | None,
        outlet_apart_seconds: float | None,
    ) -> None:
        self.times, self.window_seconds = times, window_seconds
        self.outlets = outlets if outlet_apart_seconds else None
        self.outlet_apart_seconds = outlet_apart_seconds
        self.members: dict[int, list[int]] = {}
        self.span: dict[int, tuple[int, int]] = {}
        self.by_outlet: dict[int, dict] = {}  # group -> outlet -> (first, last) publication time
        self.links: dict[int, dict[int, float]] = {}  # group -> group -> sum of their pairs' similarities

    def link(self, pairs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[tuple]:
        """Every row of the pairs a group of its own; the heap of their pairs."""
        for i, j, s in zip(*(p.tolist() for p in pairs), strict=True):
            for a, b in ((i, j), (j, i)):
                near = self.links.setdefault(a, {})
                near[b] = near.get(b, 0.0) + s
        for row in self.links:
            self.members[row] = [row]
            self.span[row] = (int(self.times[row]), int(self.times[row]))
            outlet = int(self.outlets[row]) if self.outlets is not None else None
            self.by_outlet[row] = {outlet: self.span[row]}
        heap = [(-s, a, b, 1, 1) for a, near in self.links.items() for b, s in near.items() if a < b]
        heapq.heapify(heap)
        return heap

    def current(self, a: int, b: int, size_a: int, size_b: int) -> bool:
        """False for a stale heap entry: a side has merged since it was pushed."""
        members = self.members
        return a in members and b in members and len(members[a]) == size_a and len(members[b]) == size_b

    def allowed(self, a: int, b: int) -> dict | None:
        """The merged group's outlet spans (outlet -> first and last publication) when the merge is allowed:
        it spans at most the window, and no outlet's articles in it lie `outlet_apart_seconds` or more apart;
        None when not."""
        first, last = min(self.span[a][0], self.span[b][0]), max(self.span[a][1], self.span[b][1])
        if last - first > self.window_seconds:
            return None
        merged = _merge_outlet_spans(self.by_outlet[a], self.by_outlet[b])
        if self.outlets is not None and any(
            t1 - t0 >= self.outlet_apart_seconds for t0, t1 in merged.values()
        ):
            return None
        return merged

    def merge(self, a: int, b: int, outlet_spans: dict, min_similarity: float) -> list[tuple]:
        """b joins a (`outlet_spans`: the merged group's, from `allowed`): a's links become the sums over
        both, the neighbours' links to b move to a; the heap entries of a's links that still reach
        `min_similarity`."""
        self.by_outlet[a] = outlet_spans
        del self.by_outlet[b]
        self.members[a].extend(self.members.pop(b))
        span_b = self.span.pop(b)
        self.span[a] = (min(self.span[a][0], span_b[0]), max(self.span[a][1], span_b[1]))
        links_b = self.links.pop(b)
        links_a = self.links[a]
        links_a.pop(b, None)
        links_b.pop(a, None)
        for c, s in links_b.items():
            links_a[c] = links_a.get(c, 0.0) + s
            self.links[c][a] = self.links[c].get(a, 0.0) + self.links[c].pop(b)
        size = len(self.members[a])
        entries = []
        for c, s in links_a.items():
            average = s / (size * len(self.members[c]))
            if average >= min_similarity:
                low, high = (a, c) if a < c else (c, a)
                entries.append((-average, low, high, len(self.members[low]), len(self.members[high])))
        return entries


def apart_in_one_outlet(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    outlets: np.ndarray,  # outlet codes (ints) of the positions
    times: np.ndarray,
    min_lag_seconds: float,
) -> np.ndarray:
    """True for pairs of one outlet published at least `min_lag_seconds` apart: an outlet does not report one
    happening twice a day apart; such pairs are successive developments or serial items (a daily toll)."""
    i, j = pairs[0], pairs[1]
    return (outlets[i] == outlets[j]) & (np.abs(times[j] - times[i]) >= min_lag_seconds)


def find_events(
    matrix: sparse.csr_matrix,
    order: np.ndarray,  # the rows that may join events (not digests), sorted by publication (then id)
    published: np.ndarray,  # epoch seconds of every row, int64
    outlets: np.ndarray,  # outlet code of every row (ints)
    params: EventParams,
) -> list[Event]:
    """The events among the articles (`matrix`: TermCounts' rows), earliest first."""
    window = params.window_hours * 3600
    if len(order) < 2:
        return []
    times = published[order].astype(np.int64)
    # Pairs down to half the threshold feed the group averages; weaker ones count as 0.
    half_life = params.half_life_hours * 3600 if params.half_life_hours else None
    pairs = similar_pairs(matrix, times, window, params.min_similarity / 2, half_life, order)
    group_outlets = outlets[order]
    apart = params.outlet_apart_hours * 3600
    pairs = tuple(p[~apart_in_one_outlet(pairs, group_outlets, times, apart)] for p in pairs)
    groups = average_linkage(len(order), pairs, times, params.min_similarity, window, group_outlets, apart)
    groups = sorted((sorted(group, key=lambda r: (times[r], r)) for group in groups), key=lambda g: g[0])
    representatives = _representatives(matrix, order, groups)
    # positions follow publication time, then article id: events come earliest first
    return [
        Event(members=tuple(int(order[r]) for r in group), representative=int(order[best]))
        for group, best in zip(groups, representatives, strict=True)
    ]


def _representatives(matrix: sparse.csr_matrix, order: np.ndarray, groups: list[list[int]]) -> list[int]:
    """Of each group (positions in `order`, earliest first), the member most similar to the others: the
    largest sum of its cosine similarities to the other members; ties (a two-article event is always one)
    go to the first report. Sums are taken in float64 and rounded to 6 digits, so float noise never decides
    (the similarity of a row with itself, ~1 give or take 1e-7 in float32, used to be counted and decided
    two-article events). EVENTS_AT_ONCE events at a time: each event's terms summed (a sparse product),
    then each member's row against its event's sum, less its own square."""
    return [
        best
        for start in range(0, len(groups), EVENTS_AT_ONCE)
        for best in _representatives_of(matrix, order, groups[start : start + EVENTS_AT_ONCE])
    ]


# Events whose labels are chosen at once: each member's row is multiplied with its event's summed terms, a
# copy the size of (members x terms of the event); all 66,000 events of a million articles at once took
# ~0.5 GB.
EVENTS_AT_ONCE = 5_000


def _representatives_of(matrix: sparse.csr_matrix, order: np.ndarray, groups: list[list[int]]) -> list[int]:
    if not groups:
        return []
    sizes = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    positions = np.fromiter((r for g in groups for r in g), dtype=np.int64, count=int(sizes.sum()))
    event_of = np.repeat(np.arange(len(groups)), sizes)
    members = _compact_columns(matrix[order[positions]]).astype(np.float64)
    indicator = sparse.csr_matrix(
        (np.ones(len(positions)), (event_of, np.arange(len(positions)))), shape=(len(groups), len(positions))
    )
    event_sums = indicator @ members
    with_itself = np.asarray(members.multiply(event_sums[event_of]).sum(axis=1)).ravel()
    itself = np.asarray(members.multiply(members).sum(axis=1)).ravel()
    closeness = (with_itself - itself).round(6)
    first = np.cumsum(sizes) - sizes
    # Per event, the largest rounded closeness, then the earliest member: sort by (event, -closeness, rank).
    rank = np.arange(len(positions)) - np.repeat(first, sizes)
    best = np.lexsort((rank, -closeness, event_of))[first]
    return positions[best].tolist()
