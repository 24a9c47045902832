"""Whatever the bytes, parse_bytes returns a record and never raises."""

from __future__ import annotations

from datetime import UTC, datetime

from dumpmaker import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.dumps.parse import parse_bytes

NOW = datetime(2025, 1, 1, tzinfo=UTC)
FRAGMENTS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<i>", "</i>", "<br>", "<!--", "-->", "<table>", "<td>", "&amp;",
     "&#", "文字", "（路透社）", "\u2028", "<video>", '<time datetime="2020-01-01">', "]", "[", "(", ")",
     "\n", "\r\n"]
)  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    rec = parse_bytes(data, "fuzz.md", now=NOW)
    assert rec.status in ("ok", "rejected")
    assert rec.reason != "parser_error", rec.detail
    if rec.status == "rejected":
        assert rec.reason and rec.detail


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(FRAGMENTS, max_size=60).map("".join), st.text(max_size=40))
def test_random_bodies_and_titles_parse(body, title):
    rec = parse_bytes(dump(title=title or "标题", body=body), "fuzz.md", now=NOW)
    assert rec.reason != "parser_error", rec.detail
    if rec.status == "ok":
        assert rec.body_chars == len(rec.body_text)
        assert rec.published_at == "2020-07-21T19:52:17Z" or rec.outlet_published_at
