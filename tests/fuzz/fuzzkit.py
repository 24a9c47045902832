"""Inputs, mutations and invariants shared by the fuzz tests (tests/fuzz/test_*.py) and the campaign runner.

Seeds are real dumps read from ../shared/corpus at run time (never copied) and synthetic dumps from
etl.synth. Each mutation takes (seed bytes, rng) and returns the mutated bytes, or None when it does not apply
to that seed (a truncation inside front matter needs a file with front matter).
"""

from __future__ import annotations

import os
import random
import re
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.dumps.parse import parse_bytes
from etl.dumps.reader import DEFAULT_MAX_BYTES, is_dump_name
from etl.dumps.record import ArticleRecord
from etl.synth import layouts

# Every reason a rejected record may carry (README, etl/dumps/reader.py and parse.py); parser_error is a bug.
REJECT_REASONS = frozenset(
    {
        "empty_file",
        "binary",
        "not_utf8",
        "no_title_line",
        "no_publication_time",
        "too_large",
        "too_complex",
        "implausible_date",
        "bad_url",
        "unreadable",
    }
)
# Notes an ok record may carry.
OK_REASONS = frozenset({None, "truncated_html", "legacy_encoding"})
# Bounds on one file, for any input (the caps in reader.py keep the worst case inside them): CPU seconds
# (process time: the machine is shared, so wall time is only checked against a loose hang guard) and the
# tracemalloc peak of Python allocations while parsing (measured in a separate, traced parse).
MAX_CPU_S = 2.0
MAX_WALL_S = 20.0
MAX_PEAK_BYTES = 256 * 1024 * 1024
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The real dumps (FORMAT.md and MANIFEST.tsv at the top are documentation, not dumps)."""
    return sorted(
        p for p in corpus_dir.rglob("*") if p.parent != corpus_dir and p.is_file() and is_dump_name(p.name)
    )


def synth_dumps(count: int, seed: int) -> list[bytes]:
    """Synthetic dumps in the real layout, both variants, with etl.synth's outlet renderers."""
    rng = random.Random(seed)
    renderers = [layouts.dw, layouts.voa, layouts.rfi, layouts.reuters, layouts.nyt, layouts.bbc, layouts.cna]
    out = []
    for serial in range(count):
        moment = datetime(2020, 7, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(10**7))
        r = rng.choice(renderers)(rng, serial, moment)
        ms = int(moment.timestamp() * 1000)
        head = f"<!--{ms}-->\n[{r.written_title}]({r.url})\n------\n\n"
        if serial % 3 == 0:  # the jekyll variant
            front = f'---\nlayout: post\ntitle: "{r.title}"\ndate: {moment.isoformat()}\nfrom: {r.url}\n---\n'
            out.append((front + head + f"<div>\n{r.html}\n</div>\n").encode())
        else:
            out.append((head + r.html + "\n").encode())
    return out


# --- mutations -------------------------------------------------------------------------------------------

Mutation = Callable[[bytes, random.Random], bytes | None]


def _cut_in(data: bytes, start: int, end: int, rng: random.Random) -> bytes | None:
    return data[: rng.randrange(start, end)] if end > start else None


def _span(data: bytes, pattern: bytes) -> tuple[int, int] | None:
    m = re.search(pattern, data[:20000], re.S)
    return m.span() if m else None


def _cut_at_match(pattern: bytes) -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> bytes | None:
        spans = [m.span() for m in re.finditer(pattern, data)]
        if not spans:
            return None
        start, end = rng.choice(spans)
        return _cut_in(data, start + 1, end, rng)

    return mutate


def cut_front_matter(data: bytes, rng: random.Random) -> bytes | None:
    span = _span(data, rb"\A---\n.*?\n---\n")
    return _cut_in(data, 1, span[1], rng) if span else None


def cut_comment(data: bytes, rng: random.Random) -> bytes | None:
    span = _span(data, rb"<!--\d+-->")
    return _cut_in(data, span[0] + 1, span[1], rng) if span else None


def cut_title_line(data: bytes, rng: random.Random) -> bytes | None:
    span = _span(data, rb"(?m)^\[[^\n]*\]\([^\n]*\)")
    return _cut_in(data, span[0] + 1, span[1], rng) if span else None


def cut_after_separator(data: bytes, rng: random.Random) -> bytes | None:
    at = data.find(b"\n------")
    return data[: at + 7] if at >= 0 else None


def cut_mid_utf8(data: bytes, rng: random.Random) -> bytes | None:
    leads = [i for i in range(len(data)) if data[i] >= 0xE0][:5000]
    return data[: rng.choice(leads) + rng.randint(1, 2)] if leads else None


cut_mid_tag = _cut_at_match(rb"<[a-zA-Z/][^<>]*>")
cut_mid_attribute = _cut_at_match(rb'\s[a-zA-Z-]+="[^"<>]*"')
cut_mid_comment = _cut_at_match(rb"<!--.*?-->")


def cut_mid_entity(data: bytes, rng: random.Random) -> bytes | None:
    spans = [m.span() for m in re.finditer(rb"&#?[a-zA-Z0-9]+;", data)]
    if not spans:  # plant one in the body and cut inside it
        at = data.find(b"<p>")
        if at < 0:
            return None
        data = data[: at + 3] + b"&#x4E2D;&amp;&nbsp;" + data[at + 3 :]
        spans = [(at + 3, at + 11)]
    start, end = rng.choice(spans)
    return _cut_in(data, start + 1, end, rng)


def cut_anywhere(data: bytes, rng: random.Random) -> bytes | None:
    return data[: rng.randrange(len(data) + 1)]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def drop_lines(data: bytes, rng: random.Random) -> bytes | None:
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def repeat_lines(data: bytes, rng: random.Random) -> bytes | None:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.randint(1, 3)
    return b"\n".join(lines)


def _reencode(codec: str, bom: bytes = b"") -> Mutation:
    def mutate(data: bytes, rng: random.Random) -> bytes | None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return bom + text.encode(codec, errors="replace")

    return mutate


def _insert(data: bytes, rng: random.Random, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


UNBALANCED = [
    b"<div>", b"</div>", b"<p>", b"</p>", b"</i>", b"<i>", b"<table><tr><td>", b"</small>", b"<a href=",
    b"<!--", b"-->", b"<script>", b"</body></html>", b"<br/>", b"<time datetime='x'>", b"<", b">",
    b"<![CDATA[", b"<?x",
]  # fmt: skip


def unbalanced_tags(data: bytes, rng: random.Random) -> bytes | None:
    for _ in range(rng.randint(1, 20)):
        data = _insert_char_boundary(data, rng, rng.choice(UNBALANCED))
    return data


def deep_nesting(data: bytes, rng: random.Random) -> bytes | None:
    tag = rng.choice([b"div", b"b", b"span", b"p", b"table", b"a"])
    depth = rng.choice([1_000, 10_000, 19_000, 100_000])
    closed = rng.random() < 0.5
    block = (b"<" + tag + b">") * depth + "深处".encode() + ((b"</" + tag + b">") * depth if closed else b"")
    return _insert_in_body(data, block)


def _insert_in_body(data: bytes, piece: bytes) -> bytes:
    at = data.find(b"\n------")
    at = len(data) if at < 0 else at + 8
    return data[:at] + piece + data[at:]


def huge_body(data: bytes, rng: random.Random) -> bytes | None:
    size = rng.choice([DEFAULT_MAX_BYTES - 100_000, DEFAULT_MAX_BYTES + 1, 50_000_000])
    unit = rng.choice(["文字。".encode(), b"word ", "一行\n".encode(), b'<img src="data:AAAA'])
    return _insert_in_body(data, b"<p>" + unit * (size // len(unit)) + b"</p>")


def nul_bytes(data: bytes, rng: random.Random) -> bytes | None:
    for _ in range(rng.randint(1, 5)):
        data = _insert(data, rng, b"\x00" * rng.randint(1, 3))
    return data


ODD_UNICODE = [
    "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\ufeff", "\u200b", "\x85", "\ufffd", "&#xD800;", "&#55296;", "\\ud800", "&#x0;", "&#1114112;",
    "&#x110000;", "\U0001f600", "\u0301",
]  # fmt: skip


def odd_unicode(data: bytes, rng: random.Random) -> bytes | None:
    for _ in range(rng.randint(1, 10)):
        data = _insert_char_boundary(data, rng, rng.choice(ODD_UNICODE).encode())
    if rng.random() < 0.2:  # a raw (CESU) surrogate: not valid UTF-8
        data = _insert_char_boundary(data, rng, b"\xed\xa0\x80")
    return data


def _insert_char_boundary(data: bytes, rng: random.Random, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    while 0 < at < len(data) and 0x80 <= data[at] < 0xC0:  # not inside a UTF-8 sequence
        at -= 1
    return data[:at] + piece + data[at:]


def bom_in_middle(data: bytes, rng: random.Random) -> bytes | None:
    return _insert_char_boundary(data, rng, b"\xef\xbb\xbf")


def crlf(data: bytes, rng: random.Random) -> bytes | None:
    return data.replace(b"\n", b"\r\n")


def cr_only(data: bytes, rng: random.Random) -> bytes | None:
    return data.replace(b"\n", b"\r")


def flip_bytes(data: bytes, rng: random.Random) -> bytes | None:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def splice_random(data: bytes, rng: random.Random) -> bytes | None:
    return _insert(data, rng, rng.randbytes(rng.randint(1, 64)))


MUTATIONS: dict[str, Mutation] = {
    "cut_front_matter": cut_front_matter,
    "cut_comment": cut_comment,
    "cut_title_line": cut_title_line,
    "cut_mid_tag": cut_mid_tag,
    "cut_mid_attribute": cut_mid_attribute,
    "cut_mid_entity": cut_mid_entity,
    "cut_mid_comment": cut_mid_comment,
    "cut_mid_utf8": cut_mid_utf8,
    "cut_after_separator": cut_after_separator,
    "cut_anywhere": cut_anywhere,
    "drop_lines": drop_lines,
    "repeat_lines": repeat_lines,
    "gbk": _reencode("gbk"),
    "gb18030": _reencode("gb18030"),
    "big5": _reencode("cp950"),
    "utf16le_bom": _reencode("utf-16-le", b"\xff\xfe"),
    "utf16be_bom": _reencode("utf-16-be", b"\xfe\xff"),
    "utf16le": _reencode("utf-16-le"),
    "utf16be": _reencode("utf-16-be"),
    "unbalanced_tags": unbalanced_tags,
    "deep_nesting": deep_nesting,
    "huge_body": huge_body,
    "nul_bytes": nul_bytes,
    "odd_unicode": odd_unicode,
    "bom_in_middle": bom_in_middle,
    "crlf": crlf,
    "cr_only": cr_only,
    "flip_bytes": flip_bytes,
    "splice_random": splice_random,
}
# Mutations whose inputs are large (MBs): the campaign runs them at a lower rate.
HEAVY = frozenset({"deep_nesting", "huge_body"})


# --- invariants ------------------------------------------------------------------------------------------


def violations(rec: ArticleRecord) -> list[str]:
    """What is wrong with a record by the contract (empty when it holds)."""
    out = []
    if rec.status not in ("ok", "rejected"):
        out.append(f"status {rec.status!r}")
    if rec.status == "rejected":
        if rec.reason not in REJECT_REASONS:
            out.append(f"reject reason {rec.reason!r}: {rec.detail}")
        if not rec.detail or len(rec.detail) < 20:
            out.append(f"reject without a readable detail: {rec.detail!r}")
    elif rec.status == "ok":
        if rec.reason not in OK_REASONS:
            out.append(f"ok record with reason {rec.reason!r}")
        if rec.reason and not rec.detail:
            out.append(f"ok record noted {rec.reason} without a detail")
        if not (rec.article_id and rec.url and rec.title and rec.published_at and rec.pub_date):
            out.append("ok record without id, url, title or publication time")
    return out


def timed_parse(data: bytes, *, full: bool) -> tuple[ArticleRecord, float, float]:
    """parse_bytes with (record, CPU seconds, wall seconds)."""
    cpu, wall = time.process_time(), time.perf_counter()
    rec = parse_bytes(data, "fuzz.md", full=full, now=NOW)
    return rec, time.process_time() - cpu, time.perf_counter() - wall


def peak_memory(data: bytes, *, full: bool) -> int:
    """tracemalloc peak of one parse, in bytes (a separate run: tracing makes parsing ~3x slower)."""
    tracemalloc.start()
    try:
        parse_bytes(data, "fuzz.md", full=full, now=NOW)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bound_violations(cpu: float, wall: float, peak: int) -> list[str]:
    out = []
    if cpu > MAX_CPU_S:
        out.append(f"{cpu:.2f} s CPU > {MAX_CPU_S} s")
    if wall > MAX_WALL_S:
        out.append(f"{wall:.2f} s wall > {MAX_WALL_S} s")
    if peak > MAX_PEAK_BYTES:
        out.append(f"peak {peak / 1e6:.0f} MB > {MAX_PEAK_BYTES / 1e6:.0f} MB")
    return out


def default_corpus_dir() -> Path:
    return Path(os.environ.get("NEWS_CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus"))
