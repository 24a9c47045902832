"""Hypothesis over the parser's whole input space: random bytes, generated dumps, and mutated seeds.

Deterministic for CI (derandomize, no example database) and bounded (max_examples); the long runs are the
campaign's (python -m tests.fuzz.campaign).
"""

from __future__ import annotations

import pytest
from fuzzkit import MUTATIONS, ODD_UNICODE, timed_parse, violations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CI = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
LIGHT_MUTATIONS = sorted(name for name in MUTATIONS if name not in ("deep_nesting", "huge_body"))

PIECES = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<i>", "</i>", "<br>", "<!--", "-->", "<time datetime='2020-07-01'>",
     "&amp;", "&#x4E2D;", "&#", "&", "文字", "（路透社）", "據中央社報導", "\n", "\r\n", "\r", "[", "]", "(",
     ")", "<!--1595361137000-->", "------", "---", "日期：", "<img src=x>", "<video>", "<a href='y'>",
     *ODD_UNICODE]
)  # fmt: skip


def _check(data: bytes) -> None:
    for full in (True, False):
        rec, cpu, _ = timed_parse(data, full=full)
        assert not violations(rec), (violations(rec), data[:300])
        assert rec.reason != "parser_error", rec.detail
        assert cpu < 2.0


@settings(CI, max_examples=300)
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    _check(data)


@settings(CI, max_examples=200)
@given(
    st.sampled_from(["", "---\nlayout: post\ntitle: t\nfrom: https://www.dw.com/zh/x/a-1\n---\n"]),
    st.sampled_from(["<!--1595361137000-->\n", "", "<!--99999999999999999-->\n", "<!---1-->\n"]),
    st.lists(PIECES, max_size=8).map("".join),
    st.sampled_from(["https://www.dw.com/zh/x/a-1", "http://www.rfi.fr//cn/x", "x", "https://", "//a.b"]),
    st.lists(PIECES, max_size=60).map("".join),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_generated_dumps(front, comment, title, url, body, codec):
    text = f"{front}{comment}[{title}]({url})\n------\n\n{body}\n"
    _check(text.encode(codec, errors="surrogatepass" if codec.startswith("utf-8") else "replace"))


def _mutate(seeds: list[bytes], data) -> bytes:
    seed = seeds[data.draw(st.integers(0, len(seeds) - 1), label="seed")]
    rng = data.draw(st.randoms(use_true_random=False), label="rng")
    for name in data.draw(st.lists(st.sampled_from(LIGHT_MUTATIONS), min_size=1, max_size=3), label="kinds"):
        seed = MUTATIONS[name](seed, rng) or seed
    return seed


@settings(CI, max_examples=200)
@given(st.data())
def test_mutated_real_dumps(real_dumps, data):
    _check(_mutate(real_dumps, data))


@settings(CI, max_examples=150)
@given(st.data())
def test_mutated_synthetic_dumps(synthetic_dumps, data):
    _check(_mutate(synthetic_dumps, data))


@pytest.mark.parametrize("char", ODD_UNICODE)
def test_odd_unicode_in_title_and_body(char):
    text = (
        f"<!--1595361137000-->\n[标题{char}结束](https://www.dw.com/zh/x/a-1)\n------\n\n<p>文{char}字</p>\n"
    )
    rec, _, _ = timed_parse(text.encode("utf-8", "surrogatepass"), full=True)
    assert not violations(rec)
    assert rec.status == "ok"
