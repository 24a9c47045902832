"""Freed memory handed back to the system between the steps of detection.

glibc's malloc keeps freed blocks for reuse, and after a large block is freed it raises its threshold for
using fresh mappings (up to 32 MB), so the many mid-sized temporaries of detection (a verification batch's
shingles, a day's sparse product) come from its heap and stay in the process's RSS once freed: at a million
synthetic articles ~0.3 GB after the reprint checks, held while the events are grouped. malloc_trim(0)
returns the free pages; elsewhere than glibc it is not called (nothing to do or no such call). Measured at
a million synthetic articles (the phases after the sketch pass, threads as in detect.py): the parent's peak
1.85 GB without it, 1.43-1.48 GB with it (after the candidates and the matrix, after each verification batch,
every TRIM_EVERY_DAYS days of products, after both searches); each call takes milliseconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_freed_memory() -> None:
    trim = _trim()
    if trim is not None:
        trim(0)
