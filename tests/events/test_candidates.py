"""Reprint candidates: the vectorised LSH search proposes exactly the pairs its definition names (a shared
band key in a bucket of at most MAX_BUCKET articles, a b-bit estimate within the margin of the threshold),
checked against a plain double loop over every pair."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from etl.events.config import ReprintParams
from etl.events.reprints import ESTIMATE_MARGIN, MAX_BUCKET, Sketches, candidate_pairs


def _by_definition(sketches: Sketches) -> set[tuple[int, int]]:
    floor = sketches.params.min_jaccard - ESTIMATE_MARGIN
    rows = np.flatnonzero(sketches.long_enough).tolist()
    found = set()
    for band in range(sketches.keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for row in rows:
            buckets.setdefault(int(sketches.keys[row, band]), []).append(row)
        for members in buckets.values():
            if len(members) > MAX_BUCKET:
                continue
            for a, b in itertools.combinations(members, 2):
                equal = np.count_nonzero(sketches.low_bytes[a] == sketches.low_bytes[b])
                estimate = (equal / sketches.low_bytes.shape[1] - 1 / 256) / (1 - 1 / 256)
                if estimate >= floor:
                    found.add((min(a, b), max(a, b)))
    return found


@pytest.mark.parametrize("num_perm", [96, 36])  # 36: signatures that fill no whole 8-byte word
def test_candidates_are_the_pairs_of_the_definition(num_perm):
    rng = np.random.default_rng(5)
    n, bands = 400, 12
    sketches = Sketches(n, ReprintParams(num_perm=num_perm, bands=bands))
    sketches.keys[:] = rng.integers(0, 60, size=(n, bands))  # small key range: crowded buckets
    sketches.keys[:90, 0] = 7  # one bucket larger than MAX_BUCKET: skipped in that band
    sketches.low_bytes[:] = rng.integers(0, 256, size=(n, num_perm))
    for copy in range(1, n, 3):  # near-copies of their neighbour, some above the floor, some below
        same = rng.random(num_perm) < rng.uniform(0.2, 0.9)
        sketches.low_bytes[copy, same] = sketches.low_bytes[copy - 1, same]
        shared = rng.random(bands) < 0.3
        sketches.keys[copy, shared] = sketches.keys[copy - 1, shared]
    sketches.long_enough[:] = rng.random(n) > 0.1
    expected = _by_definition(sketches)
    found = {tuple(pair) for pair in candidate_pairs(sketches).tolist()}
    assert len(expected) > 50
    assert found == expected


def test_sketches_kept_in_a_file_give_the_same_candidates_as_in_memory():
    rng = np.random.default_rng(9)
    n, params = 3_000, ReprintParams()
    in_memory, on_disk = Sketches(n, params, on_disk=False), Sketches(n, params, on_disk=True)
    for start in range(0, n, 700):  # stored a chunk at a time, as the pass does
        rows = min(700, n - start)
        keys = rng.integers(0, 400, size=(rows, params.bands)).astype(np.uint32)
        low_bytes = rng.integers(0, 256, size=(rows, params.num_perm)).astype(np.uint8)
        low_bytes[1::2] = low_bytes[::2][: rows // 2]  # near-copies: some pairs pass the estimate
        long_enough = rng.random(rows) > 0.1
        in_memory.store(start, (keys, low_bytes, long_enough))
        on_disk.store(start, (keys, low_bytes, long_enough))
    assert np.array_equal(on_disk.keys, in_memory.keys)
    assert np.array_equal(on_disk.low_bytes, in_memory.low_bytes)
    expected = candidate_pairs(in_memory)
    assert len(expected) > 50
    assert np.array_equal(candidate_pairs(on_disk), expected)
