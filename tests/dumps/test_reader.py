from __future__ import annotations

import pytest
from dumpmaker import dump

from etl.dumps.reader import Rejected, check_size, decode, read_parts


def parts(data: bytes):
    return read_parts(decode(data))


def test_exact_variant_parts():
    body = "<div>21/07/2020 - 02:50</div><p>正文</p>"
    p = parts(dump(title="标题", url="https://www.rfi.fr/cn/x", body=body))
    assert (p.variant, p.feed_ms, p.title, p.url) == (
        "exact",
        1595361137000,
        "标题",
        "https://www.rfi.fr/cn/x",
    )
    assert p.html.startswith("<div>21/07/2020")


def test_jekyll_variant_with_newline_in_front_matter_title():
    front = '---\nlayout: post\ntitle: "第一行\n第二行"\ndate: 2020-07-21T19:52:17.000Z\n---\n'
    p = parts(front.encode() + dump())
    assert p.variant == "jekyll"
    assert p.front_matter["title"] == "第一行\n第二行"
    assert p.front_matter["date"] == "2020-07-21T19:52:17.000Z"
    assert p.title == "示例标题"
    assert "第一段" in p.html


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bom_and_crlf(newline, bom):
    p = parts(bom + dump(newline=newline))
    assert p.feed_ms == 1595361137000 and p.title == "示例标题" and "\r" not in p.html


def test_title_with_brackets_and_raw_newlines():
    p = parts(dump(title="[影] 标题 [更新]\n\n", url="https://www.cna.com.tw/news/1.aspx"))
    assert p.title == "[影] 标题 [更新]\n\n"
    assert p.url == "https://www.cna.com.tw/news/1.aspx"


def test_url_with_parentheses():
    p = parts(dump(url="https://example.org/a_(b)/c"))
    assert p.url == "https://example.org/a_(b)/c"


def test_date_line_without_comment():
    body = "日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<p>正文</p>"
    data = dump(feed_ms=None, url="https://chinadigitaltimes.net/chinese/2020/06/x/", body=body)
    p = parts(data)
    assert p.feed_ms is None and p.date_line == "Sat, 27 Jun 2020 13:30:55 +0000"
    assert p.html == "<p>正文</p>"


def test_other_html_comments_in_body_are_kept():
    p = parts(dump(body="<p>a</p><!--pay wall 1: 0--><p>b</p>"))
    assert "<!--pay wall 1: 0-->" in p.html and p.feed_ms == 1595361137000


def test_front_matter_only_file_uses_title_and_from():
    data = (
        b'---\nlayout: post\ntitle: "T"\ndate: 2020-04-11T10:26:22+01:00\nfrom: https://nei.st/x\n---\n\n'
        b"<article><p>x</p></article>\n"
    )
    p = parts(data)
    assert (p.title, p.url, p.variant) == ("T", "https://nei.st/x", "jekyll")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (b"  \n\n", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        # Bytes in no encoding (GB18030, Big5 and UTF-16 files are decoded: tests/fuzz/test_encodings.py).
        ("<!--1-->\n[标题](https://a.b/c)\n------\n".encode() + bytes(range(0x80, 0x100)) * 20, "not_utf8"),
        (b"\xff\xfe" + b"\x00\xd8" * 50, "not_utf8"),  # a UTF-16 BOM, then lone surrogates
        (b"<!--1595361137000-->\njust some text\n", "no_title_line"),
    ],
)
def test_rejects(data, reason):
    with pytest.raises(Rejected) as err:
        parts(data)
    assert err.value.reason == reason
    assert len(err.value.detail) > 20


def test_truncated_multibyte_tail_is_still_text():
    data = dump() + "尾".encode()[:2]
    assert parts(data).title == "示例标题"


def test_size_cap():
    check_size(10, 10)
    with pytest.raises(Rejected) as err:
        check_size(50_000_001, 20_000_000)
    assert err.value.reason == "too_large" and "50.0 MB" in err.value.detail


def test_a_few_damaged_bytes_are_replaced_not_rejected():
    damaged = dump(body="<p>正文有一个坏字节</p>").replace("坏".encode(), b"\xff", 1)
    p = parts(damaged)
    assert "\ufffd" in p.html and p.title == "示例标题"
