"""Reprints: pairs of articles whose body text largely repeats one another (etl/registries/events.yaml).

1. Bodies are folded and cut into character shingles (`text`).
2. rensa computes a MinHash signature per article from the shingle hashes (Rust, one call per chunk of
   CHUNK articles); each signature is cut into `bands` bands, and a band is kept as one 32-bit key, so the
   whole archive is held as n x bands keys (128 bytes an article), never as shingles.
3. Locality-sensitive hashing proposes pairs: articles with an equal key in some band (one sort per band).
   The lowest byte of each signature value is kept too (b-bit MinHash): it estimates a pair's Jaccard
   similarity without the shingles. Only the pairs near or above the threshold have their articles shingled
   again for the exact check.
4. The remaining pairs are verified on their shingle sets: Jaccard >= min_jaccard over the bodies' openings
   (max_chars, what the sketches saw), or the smaller text largely inside the other, in its order, over
   verify_chars (a copy under a new opening paragraph); the opening of one article must appear in the other
   (two stories sharing a long stock paragraph, e.g. a detainee's biography, are not copies), and serial
   items (an outlet's recurring template with other figures) are left out.
The source of a pair is the earlier publication (ties: the smaller article id); the lag is in seconds.
"""

from __future__ import annotations

import array
import bisect
import itertools
import mmap
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import rensa

from etl.events.config import ReprintParams
from etl.events.memory import give_back_freed_memory
from etl.events.text import fold_batch, mix64, shingle_hashes

SEED = 42
# Candidate pairs verified at a time: a batch shingles its rows and sorts their shingle sets side by side, a
# few hundred bytes per shingle of a row; 5,000 pairs (~10,000 rows) at a time took the parent ~0.3 GB above
# what it held, beside the event search (1M synthetic articles, threads as in detect.py).
VERIFY_PAIRS = 1_000
# Articles folded and hashed at a time: their shingles never all sit in memory, and the numpy passes over a
# few hundred bodies' code points stay in the CPU's caches (500 against 4,000: 16-17 against 21-23 us an
# article for `sketch`, CPU, one thread, 30,000 synthetic bodies; the same sketches).
CHUNK = 500
FOLD_ROWS = 500  # bodies folded at a time for verification (fold_batch's UTF-32 copy of them, bounded)
MAX_BUCKET = 64
ESTIMATE_MARGIN = 0.1  # two standard errors of a 96-value estimate near 0.45
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Reprint:
    article: int  # row index of the later article (the reprint)
    source: int  # row index of the earlier one
    similarity: float  # Jaccard similarity of the two shingle sets
    lag_seconds: int


def _signature_matrix(tokens: np.ndarray, offsets: np.ndarray, params: ReprintParams) -> np.ndarray:
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        tokens, offsets.astype(np.uint64), params.num_perm, SEED
    )
    # rensa hands the matrix out only as lists of Python ints (32-bit values); an array.array of them is
    # 1.2 against 6 us an article for np.asarray over the nested lists (the same values).
    flat = array.array("I", itertools.chain.from_iterable(matrix.to_rows()))
    values = np.frombuffer(flat, dtype=np.uint32).astype(np.uint64)
    return values.reshape(len(offsets) - 1, params.num_perm)


def _band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One 32-bit key per band: the band's values mixed together (a 32-bit collision only adds a candidate
    that the Jaccard estimate then drops)."""
    rows_per_band = signatures.shape[1] // bands
    blocks = signatures[:, : bands * rows_per_band].reshape(len(signatures), bands, rows_per_band)
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for k in range(rows_per_band):
        keys = mix64(keys ^ blocks[:, :, k])
    return (keys >> np.uint64(32)).astype(np.uint32)


class _FoldedRows:
    """The folded text of the rows involved in candidate pairs, filled from the bodies as they are read and
    kept in place of them: one row of `verify_chars` code points each (16-bit while every code point fits,
    which in news text is nearly always), 1.6 KB a row at 800 against ~1.7 KB for the body as a Python string
    and ~1.8 KB as UTF-8. At a million synthetic articles the 132,044 rows of 111,812 candidate pairs held
    0.13 GB at 500 code points a row (~0.21 GB at 800), where the bodies fetched at once took the parent from
    1.15 to 1.41 GB (Arrow result and Python strings) and their strings stayed beside every verification
    batch."""

    def __init__(self, rows: np.ndarray, max_chars: int) -> None:
        self.rows = rows  # sorted, distinct
        self.points = np.zeros((len(rows), max_chars), dtype=np.uint16)
        self.lengths = np.zeros(len(rows), dtype=np.int64)
        self.filled = np.zeros(len(rows), dtype=bool)

    def add(self, rows: np.ndarray, bodies, scripts: Sequence[str | None], params: ReprintParams) -> None:
        """Fold the bodies of some of the rows (any order), FOLD_ROWS at a time."""
        for start in range(0, len(rows), FOLD_ROWS):
            some = rows[start : start + FOLD_ROWS]
            points, offsets = fold_batch(
                bodies[start : start + FOLD_ROWS], [scripts[i] for i in some.tolist()], self.points.shape[1]
            )
            if len(points) and int(points.max()) > np.iinfo(self.points.dtype).max:
                self.points = self.points.astype(np.uint32)  # a code point beyond the BMP: rare
            at = np.searchsorted(self.rows, some)
            lengths = np.diff(offsets)
            inside = np.arange(self.points.shape[1]) < lengths[:, None]
            block = np.zeros((len(some), self.points.shape[1]), dtype=self.points.dtype)
            block[inside] = points
            self.points[at], self.lengths[at] = block, lengths
            self.filled[at] = True

    def shingled(self, local: np.ndarray, params: ReprintParams) -> tuple[np.ndarray, ...]:
        """(points, offsets, shingle hashes, their offsets) of rows `local` (indexes into `rows`), as
        fold_batch and shingle_hashes give them."""
        lengths = self.lengths[local]
        points = self.points[local][np.arange(self.points.shape[1]) < lengths[:, None]]
        offsets = np.zeros(len(local) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return (points, offsets, *shingle_hashes(points, offsets, params.shingle_chars))


class _Spill:
    """Arrays in an unlinked temporary file mapped into memory (a shared mapping): ordinary numpy arrays,
    whose pages `leave_memory` drops from the process (the mapping keeps what was written: a page touched
    again comes back from the page cache, or from the file if the kernel wrote it out; a spill to disk, the
    page cache being the kernel's and reclaimable). Dropping them takes milliseconds."""

    def __init__(self, size: int, prefix: str) -> None:
        with tempfile.TemporaryFile(prefix=prefix) as file:  # gone once unmapped
            file.truncate(max(size, 1))
            self.mapping = mmap.mmap(file.fileno(), max(size, 1))
        self.used = 0

    def array(self, shape: tuple[int, int], dtype) -> np.ndarray:
        """The next shape-sized array of the file (zeros)."""
        count = shape[0] * shape[1]
        out = np.frombuffer(self.mapping, dtype, count, offset=self.used).reshape(shape)
        self.used += out.nbytes
        return out

    def leave_memory(self) -> None:
        if hasattr(mmap, "MADV_DONTNEED"):
            self.mapping.madvise(mmap.MADV_DONTNEED)


# Archives from this many articles keep their sketches in a temporary file (Sketches). 224 bytes an article:
# 22 MB at 100,000.
DISK_MIN_ROWS = 100_000


class Sketches:
    """Band keys and 8-bit signatures of every article (224 bytes each), filled a chunk of bodies at a time:
    the archive is never held as text or shingles.

    A large archive's sketches live in a temporary file mapped into memory (`on_disk`; by default from
    DISK_MIN_ROWS articles): the arrays are ordinary numpy arrays over the mapping, and after each chunk is
    stored the mapping's pages are dropped from the process (their contents stay in the file and the page
    cache, which the kernel can write out), so the sketches do not sit in the process's memory through the
    pass over the bodies; candidate_pairs reads them back. At a million synthetic articles the pass's peak
    (parent and helper) went from 1.57 to 1.36 GB (the parent's from 1.23 to 1.01), the same candidates."""

    def __init__(self, n: int, params: ReprintParams, on_disk: bool | None = None) -> None:
        self.params = params
        self._spill = None
        shapes = ((n, params.bands), (n, params.num_perm))
        if (n >= DISK_MIN_ROWS if on_disk is None else on_disk) and n:
            self._spill = _Spill(n * (params.bands * 4 + params.num_perm), "etl-sketches-")
            self.keys = self._spill.array(shapes[0], np.uint32)
            self.low_bytes = self._spill.array(shapes[1], np.uint8)
        else:
            self.keys = np.zeros(shapes[0], dtype=np.uint32)  # LSH band keys
            self.low_bytes = np.zeros(shapes[1], dtype=np.uint8)  # lowest byte of each value (b-bit)
        self.long_enough = np.zeros(n, dtype=bool)  # bodies long enough to judge

    def store(self, start: int, sketched: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """Keep `sketch`'s output for rows start .. start + its length - 1."""
        keys, low_bytes, long_enough = sketched
        rows = slice(start, start + len(long_enough))
        self.keys[rows], self.low_bytes[rows], self.long_enough[rows] = keys, low_bytes, long_enough
        self.leave_memory()

    def leave_memory(self) -> None:
        if self._spill is not None:
            self._spill.leave_memory()


def sketch(
    bodies, scripts: Sequence[str | None], params: ReprintParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(band keys, 8-bit signatures, long enough to judge) of each body: what Sketches keeps of an article.
    A pure function of the bodies (strings, or an Arrow string array as the sketch pass reads them), so that
    worker processes can sketch chunks side by side."""
    n = len(bodies)
    keys = np.zeros((n, params.bands), dtype=np.uint32)
    low_bytes = np.zeros((n, params.num_perm), dtype=np.uint8)
    long_enough = np.zeros(n, dtype=bool)
    for offset in range(0, n, CHUNK):
        part = slice(offset, offset + CHUNK)
        points, offsets = fold_batch(bodies[part], scripts[part], params.max_chars)
        tokens, token_offsets = shingle_hashes(points, offsets, params.shingle_chars)
        long_enough[part] = np.diff(token_offsets) >= params.min_shingles
        if len(tokens):
            signatures = _signature_matrix(tokens, token_offsets, params)
            keys[part] = _band_keys(signatures, params.bands)
            low_bytes[part] = (signatures & np.uint64(0xFF)).astype(np.uint8)
    return keys, low_bytes, long_enough


# Pairs whose 8-bit signatures are compared at a time: each side a (pairs, num_perm / 8) uint64 copy, small
# enough to stay in cache through the few passes of _equal_bytes (at a million synthetic articles 16,384
# took 7.6 CPU-s where 200,000 took 10.0).
ESTIMATE_PAIRS = 16_384
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)


def _equal_bytes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal bytes of each row of two (m, w) uint64 arrays (both overwritten): per word, the high bit of each
    byte of ((x & 0x7f..) + 0x7f..) | x is set where the byte of x = a ^ b is not zero (no carry crosses a
    byte), and the set bits are counted. Eight bytes a step instead of one."""
    x = np.bitwise_xor(a, b, out=a)
    high = np.bitwise_and(x, _LOW7, out=b)
    high += _LOW7
    high |= x
    high &= _HIGH
    # Summed by a float32 product with ones (exact for counts this small; numpy's integer sum along a short
    # axis took six times as long).
    differing = np.bitwise_count(high).astype(np.float32) @ np.ones(a.shape[1], dtype=np.float32)
    return a.shape[1] * 8 - differing.astype(np.int64)


def _estimated_pairs(
    members: np.ndarray, signatures: np.ndarray, sizes: np.ndarray, num_perm: int, floor: float
) -> np.ndarray:
    """The pairs inside each bucket whose b-bit MinHash estimate of the Jaccard similarity reaches `floor`
    (equal 8-bit values by chance 1 time in 256, which the estimate corrects for): (m, 2) rows of `members`.
    `members` are sorted by bucket, buckets of `sizes`, `signatures` their 8-bit signatures as uint64 words
    in the same order. Without a Python loop over buckets: the k-th step pairs each member with the one k
    places after it in its bucket, so both sides are read near each other, not scattered over the archive."""
    in_bucket = np.arange(len(members)) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # 0 .. size-1
    remaining = np.repeat(sizes, sizes) - in_bucket - 1  # members after this one in its bucket
    left = np.arange(len(members))
    padding = signatures.shape[1] * 8 - num_perm  # zero bytes, equal in every pair (_signature_words)
    found = []
    step = 1
    while True:
        alive = remaining >= step
        left, remaining = left[alive], remaining[alive]
        if not len(left):
            break
        for start in range(0, len(left), ESTIMATE_PAIRS):
            first = left[start : start + ESTIMATE_PAIRS]
            equal = (_equal_bytes(signatures[first], signatures[first + step]) - padding) / num_perm
            estimate = (equal - 1 / 256) / (1 - 1 / 256)
            kept = first[estimate >= floor]
            found.append(np.stack([members[kept], members[kept + step]], axis=1))
        step += 1
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def _signature_words(low_bytes: np.ndarray) -> np.ndarray:
    """The 8-bit signatures as uint64 words (a view when num_perm is a multiple of 8, else zero-padded: equal
    padding adds the same count to every pair, which _estimated_pairs takes off)."""
    pad = -low_bytes.shape[1] % 8
    if pad:
        low_bytes = np.pad(low_bytes, ((0, 0), (0, pad)))
    return np.ascontiguousarray(low_bytes).view(np.uint64)


def candidate_pairs(sketches: Sketches) -> np.ndarray:
    """Pairs (i < j) of rows long enough to judge that share a band key, and whose MinHash estimate of the
    Jaccard similarity is within ESTIMATE_MARGIN of the threshold: (m, 2) int64, unique.

    Work is bounded per band: a bucket of more than MAX_BUCKET articles is boilerplate (a video page's stock
    caption, a template), not copies of one story, and is skipped; a bucket's pairs are rejected on the
    8-bit estimate as soon as the band proposes them, so a band never holds more than its likely pairs.
    At a million synthetic articles the bands propose 45 million pairs (look-alike templates) for 112,000
    candidates: the estimate compares eight bytes a step over signatures gathered once per band in bucket
    order (7.1-7.6 CPU-s against 16.2-18.0 comparing a byte a step over signatures gathered per pair)."""
    rows = np.flatnonzero(sketches.long_enough)
    floor = sketches.params.min_jaccard - ESTIMATE_MARGIN
    num_perm = sketches.low_bytes.shape[1]
    words = _signature_words(sketches.low_bytes)
    n = np.int64(len(sketches.long_enough))
    found = []
    for band in range(sketches.keys.shape[1]):
        # Sorted by (key, row) as one uint64 (a plain sort of a million values takes half an argsort's time).
        keyed = np.sort(
            (sketches.keys[rows, band].astype(np.uint64) << np.uint64(32)) | rows.astype(np.uint64)
        )
        sorted_keys = keyed >> np.uint64(32)
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(rows)])
        wanted = (sizes >= 2) & (sizes <= MAX_BUCKET)
        # the members of wanted buckets, bucket by bucket
        members = (keyed & np.uint64(0xFFFFFFFF)).astype(np.int64)[np.repeat(wanted, sizes)]
        pairs = np.sort(_estimated_pairs(members, words[members], sizes[wanted], num_perm, floor), axis=1)
        found.append(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


@dataclass(frozen=True)
class _RowSets:
    """Row r's shingle hashes sorted in sets[r, : lengths], _PAD after them; a shingle repeated in a row stays
    there as often as it occurs (`repeats` counts the extra copies), so a row takes one sort, not two."""

    sets: np.ndarray
    sizes: np.ndarray  # distinct shingles of each row
    repeats: np.ndarray

    def shingles(self, row: int) -> np.ndarray:
        """Row `row`'s shingles, sorted (repeats included: a sorted array for searchsorted)."""
        return self.sets[row, : self.sizes[row] + self.repeats[row]]

    def shared(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The number of distinct shingles rows a[k] and b[k] share: the pairs' rows sorted side by side,
        equal neighbours counted, and each row's own repeats taken off (a shingle m times in one row and n
        times in the other makes m + n - 1 equal neighbours, m - 1 and n - 1 of them repeats)."""
        both = np.concatenate([self.sets[a], self.sets[b]], axis=1)
        both.sort(axis=1)
        equal = np.count_nonzero((both[:, 1:] == both[:, :-1]) & (both[:, 1:] != _PAD), axis=1)
        return equal - self.repeats[a] - self.repeats[b]


def _row_sets(tokens: np.ndarray, token_offsets: np.ndarray) -> _RowSets:
    lengths = np.diff(token_offsets)
    sets = np.full((len(lengths), max(1, int(lengths.max(initial=0)))), _PAD, dtype=np.uint64)
    # Filled through a mask of each row's first `length` slots (row-major, as the tokens are): two int64 index
    # arrays the size of the tokens, and their temporaries, were most of a verification batch's memory.
    sets[np.arange(sets.shape[1]) < lengths[:, None]] = tokens
    sets.sort(axis=1)
    repeats = np.count_nonzero((sets[:, 1:] == sets[:, :-1]) & (sets[:, 1:] != _PAD), axis=1)
    return _RowSets(sets, lengths - repeats, repeats)


def _numbers(text: str) -> Counter:
    return Counter(_NUMBER.findall(text))


# Fills the rows of _Pair.sets past each row's distinct shingles. A shingle hash equal to it (one chance in
# 2**64 per shingle) would be left out of its set.
_PAD = np.uint64(0xFFFFFFFFFFFFFFFF)


def _opening_tokens(tokens: np.ndarray, token_offsets: np.ndarray, count: int) -> tuple[np.ndarray, ...]:
    """The first `count` shingle hashes of each row: (tokens, offsets), as shingle_hashes gives them."""
    row_lengths = np.diff(token_offsets)
    position = np.arange(len(tokens)) - np.repeat(token_offsets[:-1], row_lengths)  # within its row
    lengths = np.minimum(row_lengths, count)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return tokens[position < count], offsets


class _Pair:
    """What verification needs of the rows: their shingle sets, leads and folded texts.

    The sets of all rows are made at once as one (rows, longest) array, each row sorted (_RowSets: one sort
    along rows, which numpy vectorises); the shingles shared by a batch of pairs then come from one sort of
    the pairs' two rows side by side, shared shingles being equal neighbours. At a million synthetic articles
    (111,812 candidate pairs, loaded machine) verification took 14.0-16.4 CPU-s against 23.1 with one
    np.unique per row and one np.intersect1d per pair (same output); a row's repeats counted rather than
    replaced by _PAD and sorted away, the second sort of each row went (100,000 synthetic articles: 0.51-0.56
    against 0.61-0.73 CPU-s for verification, the same pairs).

    Two windows: the Jaccard similarity is taken over each body's opening (`max_chars`, what the sketches
    saw), the containment over the whole verified text (`verify_chars`), where a copy under a new opening
    paragraph still holds most of its source."""

    def __init__(self, points, offsets, tokens, token_offsets, params: ReprintParams):
        self.points, self.offsets = points, offsets
        self.tokens, self.token_offsets = tokens, token_offsets
        self.params = params
        self.whole = _row_sets(tokens, token_offsets)
        self.sizes = self.whole.sizes
        self.opening = self.whole
        if params.verify_chars > params.max_chars:
            count = params.max_chars - params.shingle_chars + 1
            self.opening = _row_sets(*_opening_tokens(tokens, token_offsets, count))

    def jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The Jaccard similarity of the openings' shingle sets of each pair (a[k], b[k])."""
        shared = self.opening.shared(a, b)
        return shared / (self.opening.sizes[a] + self.opening.sizes[b] - shared)

    def contained(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether the smaller text of each pair (a[k], b[k]) is largely inside the other, in its own order:
        at least min_containment of its shingle set is in the other's, the set holds containment_min_shingles
        or more (a short text that is mostly an outlet's stock footer would be inside every article carrying
        the footer), and at least containment_min_order of its shared shingles come in the other's order (a
        copy keeps its source's sequence; two reports sharing a quote and stock phrases have them in orders
        of their own)."""
        smaller = np.minimum(self.sizes[a], self.sizes[b])
        shared = self.whole.shared(a, b)
        enough = (smaller >= self.params.containment_min_shingles) & (
            shared >= self.params.min_containment * np.maximum(smaller, 1)
        )
        for k in np.flatnonzero(enough).tolist():
            x, y = (a[k], b[k]) if self.sizes[a[k]] <= self.sizes[b[k]] else (b[k], a[k])
            enough[k] = self._in_order(x, y) >= self.params.containment_min_order
        return enough

    def _in_order(self, x: int, y: int) -> float:
        """The share of x's shingles found in y that lie in one sequence ascending through y (the longest
        increasing subsequence of their positions in y, each at its first occurrence)."""
        inner = self.tokens[self.token_offsets[x] : self.token_offsets[x + 1]]
        outer = self.tokens[self.token_offsets[y] : self.token_offsets[y + 1]]
        by_hash = np.argsort(outer, kind="stable")
        ordered = outer[by_hash]
        at = np.minimum(np.searchsorted(ordered, inner), len(ordered) - 1)
        positions = by_hash[at[ordered[at] == inner]].tolist()
        tails: list[int] = []
        for position in positions:
            slot = bisect.bisect_left(tails, position)
            tails[slot : slot + 1] = [position]
        return len(tails) / max(len(positions), 1)

    def lead_overlap(self, a: int, b: int) -> float:
        """The larger of: the share of a's lead shingles found anywhere in b, and of b's in a."""

        def lead_in(x: int, y: int) -> float:
            start = self.token_offsets[x]
            lead = self.tokens[start : min(start + self.params.lead_shingles, self.token_offsets[x + 1])]
            if not len(lead):
                return 0.0
            found = self.whole.shingles(y)
            if not len(found):
                return 0.0
            at = np.minimum(np.searchsorted(found, lead), len(found) - 1)
            return np.count_nonzero(found[at] == lead) / len(lead)

        return max(lead_in(a, b), lead_in(b, a))

    def text(self, row: int) -> str:
        chunk = self.points[self.offsets[row] : self.offsets[row + 1]]
        return chunk.astype("<u4").tobytes().decode("utf-32-le", "replace")

    def is_serial(self, a: int, b: int, lag_hours: float, same_outlet: bool, titles: tuple) -> bool:
        """An outlet's recurring template: same outlet, apart in time, and the figures differ (in the titles,
        e.g. a monthly list's count and date, or in the texts)."""
        params = self.params
        if not same_outlet or lag_hours < params.serial_min_lag_hours:
            return False
        figures_a, figures_b = _NUMBER.findall(titles[0] or ""), _NUMBER.findall(titles[1] or "")
        if figures_a and figures_b and sorted(figures_a) != sorted(figures_b):
            return True
        numbers_a, numbers_b = (
            _numbers(self.text(a)[: params.max_chars]),
            _numbers(self.text(b)[: params.max_chars]),
        )
        if min(sum(numbers_a.values()), sum(numbers_b.values())) < params.serial_min_numbers:
            return False
        shared = sum((numbers_a & numbers_b).values()) / sum((numbers_a | numbers_b).values())
        return shared < params.serial_max_number_jaccard


def _verify(
    candidates, folded: _FoldedRows, titles, outlets, published, article_ids, params
) -> list[Reprint]:
    """The reprints among candidate pairs of rows, whose texts `folded` holds."""
    involved = np.unique(candidates)
    local = np.searchsorted(involved, candidates)  # candidate pairs as indexes into `involved`
    pairs = _Pair(*folded.shingled(np.searchsorted(folded.rows, involved), params), params)
    similarity = pairs.jaccard(local[:, 0], local[:, 1])
    close = similarity >= params.min_jaccard
    if params.min_containment is not None:
        rest = np.flatnonzero(~close)
        close[rest] = pairs.contained(local[rest, 0], local[rest, 1])
    found = []
    for (x, y), jaccard in zip(local[close].tolist(), similarity[close].tolist(), strict=True):
        if pairs.lead_overlap(x, y) < params.min_lead_overlap:
            continue
        a, b = int(involved[x]), int(involved[y])
        if (published[b], article_ids[b]) < (published[a], article_ids[a]):
            a, b, x, y = b, a, y, x
        lag = int(published[b] - published[a])
        if pairs.is_serial(x, y, lag / 3600, outlets[a] == outlets[b], (titles[a], titles[b])):
            continue
        found.append(Reprint(article=b, source=a, similarity=round(jaccard, 4), lag_seconds=lag))
    return found


def verify_candidates(
    candidates: np.ndarray,  # candidate_pairs' output
    params: ReprintParams,
    fetch_bodies: Callable[[np.ndarray], Iterable[tuple[np.ndarray, object]]],
    scripts: Sequence[str | None],
    titles: Sequence[str | None],
    outlets: Sequence[str | None],
    published: np.ndarray,  # epoch seconds, int64
    article_ids: Sequence[str],
) -> list[Reprint]:
    """The reprints among candidate pairs: their bodies read again (`fetch_bodies(rows)`: (rows, bodies)
    batches covering the rows, in any order, as ArticleSource.bodies), folded as they come, and the pairs
    checked VERIFY_PAIRS at a time."""
    everyone = np.unique(candidates)
    folded = _FoldedRows(everyone, params.verify_chars)
    for rows, bodies in fetch_bodies(everyone):  # one read of all of them: a read scans the table
        folded.add(np.asarray(rows, dtype=np.int64), bodies, scripts, params)
    if not folded.filled.all():
        raise RuntimeError("a body asked for was not read")
    found = []
    for start in range(0, len(candidates), VERIFY_PAIRS):
        part = candidates[start : start + VERIFY_PAIRS]
        found.extend(_verify(part, folded, titles, outlets, published, article_ids, params))
        give_back_freed_memory()  # the batch's shingles, while the events are grouped beside
    return found
