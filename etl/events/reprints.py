"""Reprints: pairs of articles whose body text largely repeats one another (etl/registries/events.yaml).

1. Bodies are folded and cut into character shingles (`text`).
2. rensa computes a MinHash signature per article from the shingle hashes (Rust, one call per chunk of
   CHUNK articles); each signature is cut into `bands` bands, and a band is kept as one 32-bit key, so the
   whole archive is held as n x bands keys (128 bytes an article), never as shingles.
3. Locality-sensitive hashing proposes pairs: articles with an equal key in some band (one sort per band).
   The lowest byte of each signature value is kept too (b-bit MinHash): it estimates a pair's Jaccard
   similarity without the shingles. Only the pairs near or above the threshold have their articles shingled
   again for the exact check.
4. The remaining pairs are verified on their shingle sets (Jaccard >= min_jaccard); the opening of one article
   must appear in the other (two stories sharing a long stock paragraph, e.g. a detainee's biography, are not
   copies), and serial items (an outlet's recurring template with other figures) are left out.
The source of a pair is the earlier publication (ties: the smaller article id); the lag is in seconds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import rensa

from etl.events.config import ReprintParams
from etl.events.text import fold_batch, mix64, shingle_hashes

SEED = 42
VERIFY_PAIRS = 5_000  # candidate pairs verified at a time
CHUNK = 4_000  # articles folded and hashed at a time: their shingles never all sit in memory
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
    return np.asarray(matrix.to_rows(), dtype=np.uint64).reshape(len(offsets) - 1, params.num_perm)


def _band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One 32-bit key per band: the band's values mixed together (a 32-bit collision only adds a candidate
    that the Jaccard estimate then drops)."""
    rows_per_band = signatures.shape[1] // bands
    blocks = signatures[:, : bands * rows_per_band].reshape(len(signatures), bands, rows_per_band)
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for k in range(rows_per_band):
        keys = mix64(keys ^ blocks[:, :, k])
    return (keys >> np.uint64(32)).astype(np.uint32)


@dataclass
class _Shingled:
    """Folded text and shingle hashes of some articles (`rows`, indexes into the inputs)."""

    rows: np.ndarray
    points: np.ndarray
    offsets: np.ndarray
    tokens: np.ndarray
    token_offsets: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, bodies, scripts, params: ReprintParams) -> _Shingled:
        points, offsets = fold_batch([bodies[i] for i in rows], [scripts[i] for i in rows], params.max_chars)
        tokens, token_offsets = shingle_hashes(points, offsets, params.shingle_chars)
        return cls(rows, points, offsets, tokens, token_offsets)


@dataclass
class _Sketches:
    keys: np.ndarray  # (n, bands) uint32: LSH band keys
    low_bytes: np.ndarray  # (n, num_perm) uint8: the lowest byte of each signature value (b-bit MinHash)
    long_enough: np.ndarray  # (n,) bool: bodies long enough to judge


def _sketch_all(bodies, scripts, params: ReprintParams) -> _Sketches:
    """Band keys and 8-bit signatures of every article (224 bytes each), chunk by chunk."""
    n = len(bodies)
    sketches = _Sketches(
        np.zeros((n, params.bands), dtype=np.uint32),
        np.zeros((n, params.num_perm), dtype=np.uint8),
        np.zeros(n, dtype=bool),
    )
    for start in range(0, n, CHUNK):
        chunk = _Shingled.of(np.arange(start, min(n, start + CHUNK)), bodies, scripts, params)
        sketches.long_enough[chunk.rows] = np.diff(chunk.token_offsets) >= params.min_shingles
        if len(chunk.tokens):
            signatures = _signature_matrix(chunk.tokens, chunk.token_offsets, params)
            sketches.keys[chunk.rows] = _band_keys(signatures, params.bands)
            sketches.low_bytes[chunk.rows] = (signatures & np.uint64(0xFF)).astype(np.uint8)
    return sketches


def _band_pairs(keys: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of eligible rows with an equal key in at least one band: (m, 2) int64, unique."""
    rows = np.flatnonzero(eligible)
    found = []
    for band in range(keys.shape[1]):
        band_keys = keys[rows, band]
        order = np.argsort(band_keys, kind="stable")
        sorted_keys = band_keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(rows)])
        # A bucket of hundreds is boilerplate (a video page's stock caption), not copies of one story.
        twos = starts[sizes == 2]  # most buckets: one pair, taken in one vectorised step
        found.append(np.sort(np.stack([rows[order[twos]], rows[order[twos + 1]]], axis=1), axis=1))
        wanted = (sizes > 2) & (sizes <= MAX_BUCKET)
        for start, size in zip(starts[wanted].tolist(), sizes[wanted].tolist(), strict=True):
            members = np.sort(rows[order[start : start + size]])
            left, right = np.triu_indices(size, k=1)
            found.append(np.stack([members[left], members[right]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def _likely(low_bytes: np.ndarray, pairs: np.ndarray, min_jaccard: float) -> np.ndarray:
    """The pairs whose MinHash estimate of the Jaccard similarity is within ESTIMATE_MARGIN of the threshold.
    Boilerplate-heavy bodies share bands far more often than they are copies; the estimate is a vectorised
    comparison of the 8-bit signatures (equal by chance 1 time in 256, which the estimate corrects for),
    where the exact check needs the shingles again."""
    kept = []
    for start in range(0, len(pairs), 100_000):
        chunk = pairs[start : start + 100_000]
        equal = (low_bytes[chunk[:, 0]] == low_bytes[chunk[:, 1]]).mean(axis=1)
        estimate = (equal - 1 / 256) / (1 - 1 / 256)
        kept.append(chunk[estimate >= min_jaccard - ESTIMATE_MARGIN])
    return np.concatenate(kept) if kept else pairs


def _numbers(text: str) -> Counter:
    return Counter(_NUMBER.findall(text))


class _Pair:
    """What verification needs of the rows: their shingle sets, leads and folded texts, made on demand."""

    def __init__(self, points, offsets, tokens, token_offsets, params: ReprintParams):
        self.points, self.offsets = points, offsets
        self.tokens, self.token_offsets = tokens, token_offsets
        self.params = params
        self._sets: dict[int, np.ndarray] = {}

    def shingles(self, row: int) -> np.ndarray:
        if row not in self._sets:
            self._sets[row] = np.unique(self.tokens[self.token_offsets[row] : self.token_offsets[row + 1]])
        return self._sets[row]

    def jaccard(self, a: int, b: int) -> float:
        set_a, set_b = self.shingles(a), self.shingles(b)
        shared = len(np.intersect1d(set_a, set_b, assume_unique=True))
        return shared / (len(set_a) + len(set_b) - shared)

    def lead_overlap(self, a: int, b: int) -> float:
        """The larger of: the share of a's lead shingles found anywhere in b, and of b's in a."""

        def lead_in(x: int, y: int) -> float:
            start = self.token_offsets[x]
            lead = self.tokens[start : min(start + self.params.lead_shingles, self.token_offsets[x + 1])]
            return float(np.isin(lead, self.shingles(y)).mean()) if len(lead) else 0.0

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
        numbers_a, numbers_b = _numbers(self.text(a)), _numbers(self.text(b))
        if min(sum(numbers_a.values()), sum(numbers_b.values())) < params.serial_min_numbers:
            return False
        shared = sum((numbers_a & numbers_b).values()) / sum((numbers_a | numbers_b).values())
        return shared < params.serial_max_number_jaccard


def _verify(candidates, bodies, scripts, titles, outlets, published, article_ids, params) -> list[Reprint]:
    involved = np.unique(candidates)
    shingled = _Shingled.of(involved, bodies, scripts, params)
    local = np.searchsorted(involved, candidates)  # candidate pairs as indexes into `involved`
    pairs = _Pair(shingled.points, shingled.offsets, shingled.tokens, shingled.token_offsets, params)
    found = []
    for x, y in local.tolist():
        jaccard = pairs.jaccard(x, y)
        if jaccard < params.min_jaccard or pairs.lead_overlap(x, y) < params.min_lead_overlap:
            continue
        a, b = int(involved[x]), int(involved[y])
        if (published[b], article_ids[b]) < (published[a], article_ids[a]):
            a, b, x, y = b, a, y, x
        lag = int(published[b] - published[a])
        if pairs.is_serial(x, y, lag / 3600, outlets[a] == outlets[b], (titles[a], titles[b])):
            continue
        found.append(Reprint(article=b, source=a, similarity=round(jaccard, 4), lag_seconds=lag))
    return found


def find_reprints(
    bodies: Sequence[str | None],
    scripts: Sequence[str | None],
    titles: Sequence[str | None],
    outlets: Sequence[str | None],
    published: np.ndarray,  # epoch seconds, int64
    article_ids: Sequence[str],
    params: ReprintParams,
) -> list[Reprint]:
    """Every reprint pair among the articles (row indexes into the inputs)."""
    sketches = _sketch_all(bodies, scripts, params)
    candidates = _likely(
        sketches.low_bytes, _band_pairs(sketches.keys, sketches.long_enough), params.min_jaccard
    )
    del sketches
    if len(candidates) == 0:
        return []
    found = []
    # Candidates are verified a slice at a time, so that only the slice's articles are shingled at once.
    for start in range(0, len(candidates), VERIFY_PAIRS):
        found.extend(
            _verify(
                candidates[start : start + VERIFY_PAIRS],
                bodies,
                scripts,
                titles,
                outlets,
                published,
                article_ids,
                params,
            )
        )
    return found
