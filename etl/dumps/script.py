"""Writing system of an article: `hans`, `hant`, `mixed` or `en` (RULES.md).

A character counts as traditional when OpenCC t2s changes it, as simplified when s2t changes it and t2s does
not. `mixed` needs a whole run of real text in the other script (e.g. a traditional DW story with a simplified
photo gallery): scattered characters, one paragraph or boilerplate never make a story mixed.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import opencc

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z]+")
# Characters s2t changes that are also ordinary in traditional text (臺/台, 裡/里, 後/后, 乾/干, 隻/只 …).
_SHARED = frozenset("台里后干只系面征云周余准制松冲范谷丑合才回向咸布弦幸志扎注游游杰朴术汇凶舍划克困几借奸")
MIN_OTHER_RUN_HAN = 120  # a block of real text, not a phrase
MIN_OTHER_RUN_BLOCKS = 2
MIN_OTHER_SHARE = 0.3  # of all Han characters in story and captions


_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


_TRAD, _SIMP = 1, 2


@cache
def _script_table() -> np.ndarray:
    """Per BMP code point: _TRAD (traditional-only), _SIMP (simplified-only) or 0; derived from OpenCC."""
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi)]
    joined = "\n".join(chars)  # one character per line: conversions stay character by character
    as_simp = t2s.convert(joined).split("\n")
    as_trad = s2t.convert(joined).split("\n")
    trad = [ord(c) for c, s in zip(chars, as_simp, strict=True) if s != c]
    simp = [
        ord(c)
        for c, s, t in zip(chars, as_simp, as_trad, strict=True)
        if t != c and s == c and c not in _SHARED
    ]
    table = np.zeros(0x10000, dtype=np.uint8)
    table[trad] = _TRAD
    table[simp] = _SIMP
    return table


def _trad_simp(text: str) -> tuple[int, int]:
    """(traditional-only, simplified-only) characters of a text: one table lookup per character in numpy,
    about 4x cheaper than two regex passes with character classes of thousands of members."""
    if not text:
        return 0, 0
    # UTF-16 code units index the BMP table directly; characters above it become surrogate halves,
    # which are neither class, as they were never classified.
    codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    counts = np.bincount(_script_table()[codes], minlength=3)
    return int(counts[_TRAD]), int(counts[_SIMP])


def _counts(text: str) -> tuple[int, int, int]:
    """(traditional-only chars, simplified-only chars, Han chars) of one text."""
    return (*_trad_simp(text), _chars(_HAN, text))


def _chars(pattern: re.Pattern, text: str) -> int:
    """Characters matched by a `[...]+` pattern (runs are cheaper to find than single characters)."""
    return sum(map(len, pattern.findall(text)))


def _lean(trad: int, simp: int) -> str | None:
    if trad == simp == 0:
        return None
    return "hant" if trad > simp else "hans"


def _is_english(joined: str, trad: int, simp: int) -> bool:
    """Latin letters outweigh the Han text. Only more than 4 * (trad + simp) letters can; letters are at most
    the ASCII characters (counted in C), so most texts never count letters."""
    bound = 4 * (trad + simp)
    if len(joined.encode("ascii", "ignore")) <= bound:
        return False
    latin = _chars(_LATIN, joined)
    if latin <= bound:
        return False
    han = _chars(_HAN, joined)
    return (han == 0 and latin > 0) or (latin > 4 * han and han < 200)


def _is_other_block(block: str, other: str) -> tuple[bool, int]:
    """(the block is written in the `other` script, its Han characters)."""
    t, s, h = _counts(block)
    return bool(h) and _lean(t, s) == other and max(t, s) >= 3, h


def _has_other_run(group: list[str], other: str, total_han: int) -> bool:
    """Consecutive blocks of the group in the `other` script that make a real share of the text (a block of
    fewer than 10 Han characters, a heading or a credit, does not break a run)."""
    run_han = run_blocks = 0
    for block in group:
        is_other, han = _is_other_block(block, other)
        if is_other:
            run_han += han
            run_blocks += 1
            if (
                run_han >= MIN_OTHER_RUN_HAN
                and run_blocks >= MIN_OTHER_RUN_BLOCKS
                and run_han >= MIN_OTHER_SHARE * total_han
            ):
                return True
        elif han >= 10:
            run_han = run_blocks = 0
    return False


def _is_mixed(blocks: list[str], captions: list[str], main: str, trad: int, simp: int) -> bool:
    """A run of consecutive blocks (story paragraphs, or captions) in the other script that is a real share of
    the text makes the article mixed; a short gallery under a long story does not."""
    other = "hans" if main == "hant" else "hant"
    cap_trad, cap_simp = _trad_simp("\n".join(captions))
    if (simp + cap_simp if main == "hant" else trad + cap_trad) < MIN_OTHER_RUN_BLOCKS * 3:
        return False  # too few characters of the other script for any block of it
    groups = (blocks, [c for c in captions if c])
    total_han = sum(_chars(_HAN, b) for group in groups for b in group)
    return any(_has_other_run(group, other, total_han) for group in groups)


def detect_script(paragraphs: list[str], captions: list[str] | None = None, title: str = "") -> str:
    blocks = [p for p in paragraphs if p]
    joined = "\n".join(blocks) or title
    trad, simp = _trad_simp(joined)
    if _is_english(joined, trad, simp):
        return "en"
    main = _lean(trad, simp) or "hans"
    return "mixed" if _is_mixed(blocks, captions or [], main, trad, simp) else main
