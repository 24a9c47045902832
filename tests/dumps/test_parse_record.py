from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from dumpmaker import dump

from etl.dumps import body as body_module
from etl.dumps import parse as parse_module
from etl.dumps.parse import parse_bytes, parse_file

NOW = datetime(2025, 1, 1, tzinfo=UTC)
DW_BODY = (
    "<div><i>  林小山（综合报道）<br>2020-07-21T19:05:28.672Z</i></div><img src=a.jpg>"
    '<div><small style="color: #999;">图片说明</small></div>'
    "<p>（德国之声中文网）第一段正文说明了事件。</p><p>第二段。</p><p>王大海/李小川（德新社、路透社）</p>"
    "<p><em>© 2020年德国之声版权声明：本文所有内容受到著作权法保护。</em></p>"
)


def rec(data: bytes, **kw):
    return parse_bytes(data, "x.md", now=NOW, **kw)


def test_full_record():
    r = rec(dump(title="示例 &amp; 标题", url="http://www.dw.com//zh/示例/a-1/", body=DW_BODY))
    assert r.status == "ok" and r.reason is None
    assert (r.outlet, r.title, r.url) == ("dw", "示例 & 标题", "https://www.dw.com/zh/%E7%A4%BA%E4%BE%8B/a-1")
    assert r.feed_published_at == "2020-07-21T19:52:17Z"
    assert r.outlet_published_at == r.published_at == "2020-07-21T19:05:28Z"
    assert r.pub_date == "2020-07-21"
    assert r.body_text.startswith("（德国之声中文网）第一段") and "版权声明" not in r.body_text
    assert r.body_chars == len(r.body_text)
    assert r.byline == "林小山/王大海/李小川"
    assert r.script == "hans" and r.degenerate is None and r.variant == "exact"
    assert len(r.content_hash) == 16 and len(r.article_id) == 16
    json.dumps(r.to_dict(), ensure_ascii=False)


def test_attribution_and_topics_are_called(monkeypatch):
    from etl.dumps.record import TopicHit
    from etl.dumps.topics import Tagging

    class Attribution:
        credited = ("dpa", "Reuters")
        cited = ("AFP", "dpa")
        compiled = True

    seen = {}

    def attribute(body, outlet, title):
        seen["attribute"] = (outlet, title, body.paragraphs[-1])
        return Attribution()

    def tag_topics_many(titles, texts):  # the topic step tags a whole batch at once
        seen["topics"] = [(title, text[:5]) for title, text in zip(titles, texts, strict=True)]
        hits = [TopicHit("eu", 1, True, score=0.7), TopicHit("germany", 2, False, score=0.9)]
        return [Tagging(hits, "germany", True) for _ in titles]

    monkeypatch.setattr(parse_module, "attribute", attribute)
    monkeypatch.setattr(parse_module, "tag_topics_many", tag_topics_many)
    r = rec(dump(body=DW_BODY))
    assert seen["attribute"] == ("dw", "示例标题", "王大海/李小川（德新社、路透社）")
    assert (r.agencies_credited, r.agencies_cited, r.compiled) == (["Reuters", "dpa"], ["AFP"], True)
    assert r.topics == ["eu", "germany"] and len(r.topic_hits) == 2
    assert r.primary_topic == "germany" and r.digest


def test_jekyll_wrapper_opening_with_an_image_is_not_a_gallery_caption():
    # A teaser feed: picture, line break, the lead text (the wrapper <div> is the jekyll variant's own).
    lead = "某地官员今天表示，新的防疫措施将从下周起实施，" * 6
    body = f'<img src="https://example.org/a.jpg" alt="示意图"><br>{lead}'
    fm = {"layout": "post", "title": "示例标题", "date": "2020-07-21T19:52:17.000Z"}
    jekyll, exact = rec(dump(body=body, front_matter=fm)), rec(dump(body=body))
    assert jekyll.body_text == exact.body_text == lead


def test_header_only_mode_skips_the_body():
    full = rec(dump(body=DW_BODY))
    cheap = rec(dump(body=DW_BODY), full=False)
    for name in ("status", "article_id", "url", "outlet", "title", "feed_published_at", "outlet_published_at",
                 "published_at", "pub_date", "content_hash", "variant"):  # fmt: skip
        assert getattr(cheap, name) == getattr(full, name), name
    assert cheap.body_text is None and cheap.byline is None and cheap.script is None


def test_content_hash_matches_across_variants_and_footers():
    exact = rec(dump(body="<p>正文</p>"))
    jekyll = rec(dump(body="<p>正文</p>", front_matter={"title": "示例标题"}))
    footer = rec(
        dump(body='<p>正文</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.top">x</a></div>')
    )
    other = rec(dump(body="<p>另一篇</p>"))
    assert exact.content_hash == jekyll.content_hash == footer.content_hash != other.content_hash
    assert jekyll.variant == "jekyll"


def test_published_at_fallback_chain():
    outlet = rec(
        dump(
            url="https://www.voachinese.com/a/1.html", body="<div><i>Wed, 22 Jul 2020 23:43:16 GMT</i></div>"
        )
    )
    assert outlet.published_at == "2020-07-22T23:43:16Z"
    feed = rec(dump(url="https://www.zaobao.com/a", body="<p>x</p>"))
    assert (
        feed.published_at == feed.feed_published_at == "2020-07-21T19:52:17Z"
        and feed.outlet_published_at is None
    )
    front = rec(dump(feed_ms=None, front_matter={"date": "2021-01-18T11:54:05.000Z"}))
    assert front.published_at == "2021-01-18T11:54:05Z" and front.feed_published_at is None
    line = rec(dump(feed_ms=None, body="日期：Sat, 27 Jun 2020 13:30:55 +0000\n<p>x</p>"))
    assert line.published_at == "2020-06-27T13:30:55Z" and line.pub_date == "2020-06-27"
    bbc = rec(
        dump(
            url="https://www.bbc.com/zhongwen/simp/world-1",
            body='<time datetime="2020-10-10">1 小时前</time>',
        )
    )
    assert bbc.outlet_published_date == "2020-10-10" and bbc.published_at == "2020-07-21T19:52:17Z"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (b"\x00\x01\x02\x03binary", "binary"),
        # Bytes in no encoding (GB18030 and Big5 files are decoded: tests/fuzz/test_encodings.py).
        (
            "<!--1595361137000-->\n[标题](https://a.b/c)\n------\n".encode() + bytes(range(0x80, 0x100)) * 20,
            "not_utf8",
        ),
        (b"<!--1595361137000-->\nno title here\n", "no_title_line"),
        (dump(feed_ms=None), "no_publication_time"),
        (dump(feed_ms=4102444800000), "implausible_date"),  # 2100
        (dump(feed_ms=315532800000), "implausible_date"),  # 1980
        (dump(url="https://www.dw.com/a", body="<div><i>2099-01-01T00:00:00Z</i></div>"), "implausible_date"),
        (dump(title="   "), "no_title_line"),
    ],
)
def test_rejections_have_reason_and_detail(data, reason):
    r = rec(data)
    assert (r.status, r.reason) == ("rejected", reason)
    assert r.detail and len(r.detail) > 20
    assert r.pub_date is None and r.published_at is None


def test_unexpected_exception_becomes_parser_error(monkeypatch):
    def boom(html):
        raise ValueError("synthetic failure")

    monkeypatch.setattr(parse_module, "extract_body", boom)
    r = rec(dump())
    assert (r.status, r.reason) == ("rejected", "parser_error")
    assert "ValueError" in r.detail and "synthetic failure" in r.detail


def test_parse_many_equals_parse_bytes_file_by_file(monkeypatch):
    """A batch gives each file the record parse_bytes gives it; a step failing on one file rejects that file
    only (the others still go through every later step)."""
    files = [
        (dump(body=DW_BODY), "a.md"),
        (b"", "empty.md"),
        (dump(title="第二篇", body="<p>一段正文，提到路透社报道。</p>"), "b.md"),
        (dump(title="会失败", body="<p>这一篇的署名步骤出错</p>"), "c.md"),
        (dump(feed_ms=None), "undated.md"),
        (dump(title="最后一篇", body="<p>美国和中国的贸易谈判。</p>"), "d.md"),
    ]
    one_by_one = [parse_bytes(data, path, now=NOW).to_dict() for data, path in files]
    assert [r.to_dict() for r in parse_module.parse_many(files, now=NOW)] == one_by_one
    assert [r.to_dict() for r in parse_module.parse_many(files, full=False, now=NOW)] == [
        parse_bytes(data, path, full=False, now=NOW).to_dict() for data, path in files
    ]

    real = parse_module.extract_byline

    def fails_on_c(body, outlet):
        if body.paragraphs == ["这一篇的署名步骤出错"]:
            raise KeyError("byline step")
        return real(body, outlet)

    monkeypatch.setattr(parse_module, "extract_byline", fails_on_c)
    batch = parse_module.parse_many(files, now=NOW)
    assert (batch[3].status, batch[3].reason) == ("rejected", "parser_error")
    assert "KeyError" in batch[3].detail
    assert [r.to_dict() for i, r in enumerate(batch) if i != 3] == one_by_one[:3] + one_by_one[4:]


def test_too_large_file_is_never_read(tmp_path, monkeypatch):
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1000 * 1000)  # sparse: 50 MB on paper
    opened = []

    def recording_open(*args, **kwargs):
        opened.append(args)
        return open(*args, **kwargs)

    monkeypatch.setattr(parse_module, "open", recording_open, raising=False)
    r = parse_file(big)
    assert (r.status, r.reason) == ("rejected", "too_large")
    assert opened == []  # rejected from its size alone (bench/guards.py times it)
    assert rec(dump(), max_bytes=100).reason == "too_large"


def test_deeply_nested_html_is_bounded(monkeypatch):
    # Beyond reader.MAX_BLOCKS no bs4 tree is built (seconds and gigabytes): rejected with a reason, at once
    # (bench/guards.py times it).
    body = "<p>开头。</p>" + "<div>" * 100_000 + "深处" + "</div>" * 100_000
    trees = []
    with monkeypatch.context() as patch:
        patch.setattr(body_module, "parse_html", lambda html: trees.append(len(html)))
        r = rec(dump(body=body))
    assert (r.status, r.reason) == ("rejected", "too_complex")
    assert trees == []
    deep = rec(dump(body="<p>开头。</p>" + "<div>" * 5_000 + "深处" + "</div>" * 5_000))
    assert deep.status == "ok" and "开头。" in deep.body_text


def test_parse_file_reads_paths_with_spaces_and_fullwidth_names(tmp_path):
    path = tmp_path / "2020-07-21-标题 （全角）\n.md"
    path.write_bytes(dump())
    r = parse_file(path, now=NOW)
    assert r.status == "ok" and r.path == os.fspath(path)
    missing = parse_file(tmp_path / "missing.md")
    assert (missing.status, missing.reason) == ("rejected", "unreadable")


def test_truncated_capture_is_kept_and_flagged():
    cut = rec(dump(body='<p>第一段完整。</p><p>第二段被截<img src="https://exa'))
    assert (cut.status, cut.reason, cut.degenerate) == ("ok", "truncated_html", None)
    assert "re-fetch" in cut.detail and cut.body_text.startswith("第一段完整。")
    jekyll = rec(dump(body="<p>正文</p>", front_matter={"title": "t"}).replace(b"\n</div>", b""))
    assert jekyll.reason == "truncated_html"
    whole = rec(dump(body="<p>正文</p>", front_matter={"title": "t"}))
    assert whole.reason is None and whole.degenerate is None
    assert rec(dump(body='<p>第二段被截<img src="https://exa'), full=False).reason == "truncated_html"
