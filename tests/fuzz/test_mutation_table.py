"""Every mutation kind on real and synthetic seeds: the contract holds, each file within the time and memory
bounds (fuzzkit.MAX_CPU_S, MAX_PEAK_BYTES), and the outcome is the one the damage calls for."""

from __future__ import annotations

import random

import pytest
from fuzzkit import HEAVY, MAX_CPU_S, MAX_PEAK_BYTES, MUTATIONS, peak_memory, timed_parse, violations

from etl.dumps.reader import DEFAULT_MAX_BYTES

LIGHT = sorted(name for name in MUTATIONS if name not in HEAVY)


def _run(data: bytes, full: bool = True):
    rec, cpu, _ = timed_parse(data, full=full)
    assert not violations(rec), violations(rec)
    assert rec.reason != "parser_error", rec.detail
    assert cpu < MAX_CPU_S, f"{cpu:.2f} s CPU"
    return rec


@pytest.mark.parametrize("name", LIGHT)
def test_light_mutations_on_real_dumps(name, real_dumps):
    rng = random.Random(name)
    applied = 0
    for seed in real_dumps:
        data = MUTATIONS[name](seed, rng)
        if data is not None:
            applied += 1
            _run(data, full=rng.random() < 0.7)
    assert applied or name == "cut_front_matter"


@pytest.mark.parametrize("name", LIGHT)
def test_light_mutations_on_synthetic_dumps(name, synthetic_dumps):
    rng = random.Random(name)
    for seed in synthetic_dumps:
        data = MUTATIONS[name](seed, rng)
        if data is not None:
            _run(data)


@pytest.mark.parametrize("name", ["cut_mid_tag", "cut_mid_attribute", "cut_mid_comment"])
def test_a_body_cut_inside_markup_is_kept_and_flagged(name, synthetic_dumps):
    rng = random.Random(1)
    for seed in synthetic_dumps:
        data = MUTATIONS[name](seed, rng)
        cut_in_body = data is not None and data.find(b"\n------") + 10 < len(data)
        if cut_in_body and b"\n------" in data:
            rec = _run(data)
            if rec.status == "ok":
                assert rec.reason == "truncated_html" and "cut off" in rec.detail


def test_cut_right_after_separator_is_a_title_only_article(synthetic_dumps):
    for seed in synthetic_dumps:
        rec = _run(MUTATIONS["cut_after_separator"](seed, random.Random(0)))
        assert rec.status == "ok" and not rec.body_text


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"])
def test_crlf_and_cr_only_parse_as_lf(line_end, real_dumps):
    for seed in real_dumps[:10]:
        want = _run(seed)
        got = _run(seed.replace(b"\n", line_end))
        assert (got.status, got.title, got.body_text, got.published_at) == (
            want.status,
            want.title,
            want.body_text,
            want.published_at,
        )


@pytest.mark.parametrize(
    "piece", [b"\x00", b"\x00" * 3, b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e"], ids=["nul", "nuls", "ctl"]
)
def test_nul_and_control_bytes_in_the_head_are_binary(piece, synthetic_dumps):
    for seed in synthetic_dumps[:5]:
        rec = _run(seed[:40] + piece + seed[40:])
        assert (rec.status, rec.reason) == ("rejected", "binary")


def test_a_nul_far_in_the_body_does_not_break_the_parse(real_dumps):
    seed = max(real_dumps, key=len)
    rec = _run(seed + b"<p>\x00tail</p>")
    assert rec.status == "ok" or rec.reason == "binary"


# --- heavy inputs: deep nesting and multi-megabyte bodies, with the memory bound -------------------------


def _heavy(data: bytes):
    rec = _run(data)
    peak = peak_memory(data, full=True)
    assert peak < MAX_PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    return rec, peak


@pytest.mark.parametrize("tag", ["div", "b", "span", "table"])
@pytest.mark.parametrize("closed", [True, False])
def test_100000_deep_tags_are_rejected_fast(tag, closed, synthetic_dumps):
    body = f"<{tag}>" * 100_000 + "深处" + (f"</{tag}>" * 100_000 if closed else "")
    data = synthetic_dumps[0].replace(b"\n------\n", b"\n------\n" + body.encode(), 1)
    rec, peak = _heavy(data)
    assert (rec.status, rec.reason) == ("rejected", "too_complex") and "40,000 limit" in rec.detail
    assert peak < 64 * 1024 * 1024


def test_deep_tags_under_the_budget_still_parse(synthetic_dumps):
    body = "<p>开头。</p>" + "<div>" * 5_000 + "深处" + "</div>" * 5_000
    data = synthetic_dumps[1].replace(b"\n------\n", b"\n------\n" + body.encode(), 1)
    rec, _ = _heavy(data)
    assert rec.status == "ok" and "深处" in rec.body_text


@pytest.mark.parametrize(
    ("head", "unit", "tail"),
    [("<p>", "文字。", "</p>"), ("<p>", "word ", "</p>"), ('<p>x</p><img src="data:', "AAAA", '">')],
    ids=["cjk", "ascii", "attribute"],
)
def test_a_body_just_under_the_size_cap(head, unit, tail, synthetic_dumps):
    seed = synthetic_dumps[2]
    fill = unit.encode() * ((DEFAULT_MAX_BYTES - len(seed) - 40) // len(unit.encode()))
    data = seed.replace(b"\n------\n", f"\n------\n{head}".encode() + fill + tail.encode(), 1)
    assert len(data) <= DEFAULT_MAX_BYTES
    if unit == "文字。":  # the memory bound on one of them (tracing triples the time)
        rec, _ = _heavy(data)
    else:
        rec = _run(data)
    assert rec.status == "ok"


@pytest.mark.parametrize("size", [DEFAULT_MAX_BYTES + 1, 50_000_000])
def test_over_the_size_cap_is_rejected_before_parsing(size, tmp_path):
    from etl.dumps.parse import parse_file

    data = b"<!--1595361137000-->\n[t](https://www.dw.com/a)\n------\n<p>" + b"x" * size
    rec = _run(data)
    assert (rec.status, rec.reason) == ("rejected", "too_large") and "above the 4 MB limit" in rec.detail
    path = tmp_path / "big.md"
    path.write_bytes(data)
    rec = parse_file(path)
    assert (rec.status, rec.reason) == ("rejected", "too_large")


@pytest.mark.parametrize("line_break", ["\n", "<br>", "\u2028", "<p>x</p>"])
def test_200000_lines_or_blocks_are_rejected_fast(line_break, synthetic_dumps):
    body = ("一行" + line_break) * 200_000  # under the size cap, over the block budget
    data = synthetic_dumps[3].replace(b"\n------\n", b"\n------\n" + body.encode(), 1)
    rec, _ = _heavy(data)
    assert (rec.status, rec.reason) == ("rejected", "too_complex")
