"""Text folding and character shingles for near-duplicate detection, vectorised over a batch of texts.

A body is folded to what two copies of one story share whatever an outlet did to it: traditional characters to
simplified (OpenCC t2s, only for articles whose script is not already simplified: the conversion is the
slowest step and the identity on simplified text), letters lower-cased, and everything that is not a letter or
a digit (whitespace, punctuation, full-width or not) dropped, so re-wrapped lines, other quotes and spacing do
not count as differences. Folding and hashing run as numpy passes over the whole batch: no Python string is
made per shingle.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from etl.dumps.normalize import to_simplified

_BASE = np.uint64(0x100000001B3)  # FNV 64-bit prime: spreads code points over the word
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64 finaliser constants
_MIX2 = np.uint64(0x94D049BB133111EB)
_BMP = 0x10000


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Code point -> its lower-case form, or 0 for characters dropped (not a letter or digit), over the BMP.
    Characters beyond the BMP (rare CJK extensions) are kept as they are."""
    table = np.zeros(_BMP, dtype=np.uint32)
    for code in range(_BMP):
        char = chr(code)
        if char.isalnum():
            lower = char.lower()
            table[code] = ord(lower) if len(lower) == 1 else code
    return table


def _raw_prefixes(texts: Sequence[str | None], scripts: Sequence[str | None], max_chars: int) -> list[str]:
    # Folding only drops characters (in news text about one in six: punctuation and spaces); a third more
    # raw text than the budget nearly always folds to max_chars, and a body that does not is short anyway.
    budget = max_chars + max_chars // 3 + 50
    out = []
    for text, script in zip(texts, scripts, strict=True):
        text = (text or "")[:budget]
        out.append(text if script == "hans" else to_simplified(text))
    return out


def fold_batch(
    texts: Sequence[str | None], scripts: Sequence[str | None], max_chars: int
) -> tuple[np.ndarray, np.ndarray]:
    """Folded code points of each text, at most `max_chars` each: (flat uint32 array, row offsets)."""
    raw = _raw_prefixes(texts, scripts, max_chars)
    lengths = np.fromiter((len(t) for t in raw), dtype=np.int64, count=len(raw))
    points = np.frombuffer("".join(raw).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = np.where(points < _BMP, _fold_table()[np.minimum(points, _BMP - 1)], points)
    keep = folded != 0
    row = np.repeat(np.arange(len(raw), dtype=np.int32), lengths)
    kept_before = np.cumsum(keep, dtype=np.int32) - keep  # kept characters before each position, whole batch
    row_start = np.zeros(len(raw), dtype=np.int64)
    np.cumsum(lengths[:-1], out=row_start[1:])
    first_kept_of_row = kept_before[row_start[lengths > 0]]
    row_base = np.zeros(len(raw), dtype=np.int64)
    row_base[lengths > 0] = first_kept_of_row
    keep &= (kept_before - row_base[row]) < max_chars
    kept_rows = row[keep]
    offsets = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept_rows, minlength=len(raw)), out=offsets[1:])
    return folded[keep], offsets


def fold(text: str | None, script: str | None = None, max_chars: int = 1_000_000) -> str:
    """One text folded (for tests and inspection): `fold_batch` of a single text, as a string."""
    points, _ = fold_batch([text], [script], max_chars)
    return points.astype("<u4").tobytes().decode("utf-32-le")


def mix64(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * _MIX1
        values = values ^ (values >> np.uint64(27))
        values = values * _MIX2
        return values ^ (values >> np.uint64(31))


def shingle_hashes(points: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every k-character shingle of each row of `fold_batch`'s output: (flat hashes, row
    offsets). A row shorter than k gives no shingle."""
    lengths = np.diff(offsets)
    per_row = np.maximum(lengths - k + 1, 0)
    out_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(per_row, out=out_offsets[1:])
    total = int(out_offsets[-1])
    if total == 0:
        return np.zeros(0, dtype=np.uint64), out_offsets
    wide = points.astype(np.uint64)
    windows = len(wide) - k + 1
    rolled = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            rolled = rolled * _BASE + wide[j : j + windows]
    # Keep the windows lying inside one row: row i's shingles start at offsets[i] .. offsets[i]+per_row[i]-1.
    row_of_shingle = np.repeat(np.arange(len(lengths)), per_row)
    positions = offsets[:-1][row_of_shingle] + (np.arange(total) - out_offsets[:-1][row_of_shingle])
    return mix64(rolled[positions]), out_offsets
