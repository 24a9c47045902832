"""Reprints: pairs of articles whose body text largely repeats one another (etl/registries/events.yaml).

1. Bodies are folded and cut into character shingles (`text`).
2. rensa computes a MinHash signature per article from the shingle hashes (Rust, one call per batch).
3. Locality-sensitive hashing proposes pairs: rensa's one-shot LSH flags the articles sharing a band with any
   other (a linear pass); only those are banded again here to list their pairs (most articles have no partner,
   so the pairs come from a small share of the rows).
4. Each proposed pair is verified on its shingle sets (Jaccard >= min_jaccard); the opening of one article
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
from etl.events.text import fold_batch, shingle_hashes

SEED = 42
MAX_BUCKET = 64
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Reprint:
    article: int  # row index of the later article (the reprint)
    source: int  # row index of the earlier one
    similarity: float  # Jaccard similarity of the two shingle sets
    lag_seconds: int


def _signatures(tokens: np.ndarray, offsets: np.ndarray, params: ReprintParams):
    return rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        tokens, offsets.astype(np.uint64), params.num_perm, SEED
    )


def _flagged_rows(tokens: np.ndarray, offsets: np.ndarray, params: ReprintParams) -> np.ndarray:
    """Rows that share at least one LSH band with another row."""
    matrix = _signatures(tokens, offsets, params)
    lsh = rensa.RMinHashLSH(params.min_jaccard, params.num_perm, params.bands)
    flags = np.asarray(lsh.query_duplicate_flags_matrix_one_shot(matrix), dtype=bool)
    return np.flatnonzero(flags & (np.diff(offsets) >= params.min_shingles))


def _subset(tokens: np.ndarray, offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.diff(offsets)[rows]
    sub_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=sub_offsets[1:])
    index = np.repeat(offsets[:-1][rows] - sub_offsets[:-1], lengths) + np.arange(int(sub_offsets[-1]))
    return tokens[index], sub_offsets


def _band_pairs(signatures: np.ndarray, bands: int) -> np.ndarray:
    """Pairs (i < j) of rows equal on all rows of at least one band: (n, 2) int64, unique."""
    n, num_perm = signatures.shape
    rows_per_band = num_perm // bands
    found = []
    for band in range(bands):
        block = signatures[:, band * rows_per_band : (band + 1) * rows_per_band]
        row_bytes = np.dtype((np.void, block.dtype.itemsize * rows_per_band))
        keys = np.ascontiguousarray(block).view(row_bytes)[:, 0]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, n])
        # A bucket of hundreds is boilerplate (a video page's stock caption), not copies of one story.
        wanted = (sizes > 1) & (sizes <= MAX_BUCKET)
        for start, size in zip(starts[wanted], sizes[wanted], strict=True):
            members = np.sort(order[start : start + size])
            left, right = np.triu_indices(size, k=1)
            found.append(np.stack([members[left], members[right]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


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

    def is_serial(self, a: int, b: int, lag_hours: float, outlets) -> bool:
        """An outlet's recurring template: same outlet, apart in time, and the figures differ."""
        params = self.params
        if outlets[a] != outlets[b] or lag_hours < params.serial_min_lag_hours:
            return False
        numbers_a, numbers_b = _numbers(self.text(a)), _numbers(self.text(b))
        if min(sum(numbers_a.values()), sum(numbers_b.values())) < params.serial_min_numbers:
            return False
        shared = sum((numbers_a & numbers_b).values()) / sum((numbers_a | numbers_b).values())
        return shared < params.serial_max_number_jaccard


def find_reprints(
    bodies: Sequence[str | None],
    scripts: Sequence[str | None],
    outlets: Sequence[str | None],
    published: np.ndarray,  # epoch seconds, int64
    article_ids: Sequence[str],
    params: ReprintParams,
) -> list[Reprint]:
    """Every reprint pair among the articles (row indexes into the inputs)."""
    points, offsets = fold_batch(bodies, scripts, params.max_chars)
    tokens, token_offsets = shingle_hashes(points, offsets, params.shingle_chars)
    if len(tokens) == 0:
        return []
    rows = _flagged_rows(tokens, token_offsets, params)
    if len(rows) < 2:
        return []
    sub_tokens, sub_offsets = _subset(tokens, token_offsets, rows)
    signatures = np.asarray(_signatures(sub_tokens, sub_offsets, params).to_rows(), dtype=np.uint64)
    candidates = rows[_band_pairs(signatures, params.bands)]
    pairs = _Pair(points, offsets, tokens, token_offsets, params)
    found = []
    for a, b in candidates.tolist():
        jaccard = pairs.jaccard(a, b)
        if jaccard < params.min_jaccard or pairs.lead_overlap(a, b) < params.min_lead_overlap:
            continue
        if (published[b], article_ids[b]) < (published[a], article_ids[a]):
            a, b = b, a
        lag = int(published[b] - published[a])
        if pairs.is_serial(a, b, lag / 3600, outlets):
            continue
        found.append(Reprint(article=b, source=a, similarity=round(jaccard, 4), lag_seconds=lag))
    return found
