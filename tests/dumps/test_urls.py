from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.dumps.urls import article_id, canonical_url, host_of

SLUG = "%E8%A5%BF%E8%97%8F"  # 西藏


@pytest.mark.parametrize(
    "spelling",
    [
        f"https://www.rfi.fr/cn/{SLUG}-20200708",
        f"http://www.rfi.fr//cn/{SLUG}-20200708",
        f"http://www.rfi.fr//cn/{SLUG.lower()}-20200708/",
        "https://www.rfi.fr/cn/西藏-20200708",
        f"https://WWW.RFI.FR:443/cn/{SLUG}-20200708#comments",
        f"https://www.rfi.fr/cn/%20{SLUG}%C2%A0-20200708",
        f"https://www.rfi.fr/cn/{SLUG[:9]}%20{SLUG[9:]}-20200708",
    ],
)
def test_spellings_of_one_article_share_an_id(spelling):
    canonical = f"https://www.rfi.fr/cn/{SLUG}-20200708"
    assert canonical_url(spelling) == canonical
    assert article_id(canonical_url(spelling)) == article_id(canonical)


def test_view_params_dropped_identifying_params_kept():
    assert canonical_url("http://cn.ft.com/story/001088448?full=y") == "https://cn.ft.com/story/001088448"
    assert (
        canonical_url("https://cn.ft.com/story/001088448?full=y&archive")
        == "https://cn.ft.com/story/001088448"
    )
    assert canonical_url("https://www.solidot.org/story?sid=65000&utm_source=rss") == (
        "https://www.solidot.org/story?sid=65000"
    )
    assert (
        canonical_url("https://www.youtube.com/watch?v=abc#new_tab") == "https://www.youtube.com/watch?v=abc"
    )
    assert canonical_url("https://x.org/a?b=2&a=1") == canonical_url("https://x.org/a?a=1&b=2")


def test_distinct_articles_stay_distinct():
    a = article_id(canonical_url("https://www.dw.com/zh/x/a-1"))
    b = article_id(canonical_url("https://www.dw.com/zh/x/a-2"))
    c = article_id(canonical_url("https://www.solidot.org/story?sid=1"))
    d = article_id(canonical_url("https://www.solidot.org/story?sid=2"))
    assert len({a, b, c, d}) == 4
    assert len(a) == 16 and int(a, 16) >= 0


def test_entities_and_host():
    assert canonical_url("https://x.org/a?p=1&amp;q=2") == "https://x.org/a?p=1&q=2"
    assert host_of("http://www.bbc.co.uk/zhongwen/simp/x.shtml") == "www.bbc.co.uk"
    assert host_of("not a url") == ""


def test_www_prefix_does_not_change_the_article():
    assert article_id(canonical_url("https://www.dw.com/zh/x/a-1")) == article_id(
        canonical_url("http://dw.com/zh/x/a-1")
    )
    assert canonical_url("http://dw.com/zh/x/a-1") == "https://dw.com/zh/x/a-1"


PLAIN_LOOKING = [
    "https://www.dw.com/zh/标题/a-54321",
    "http://WWW.VOANEWS.COM/a/story-123.html",
    "https://cn.nytimes.com/world/20200101/story/",
    "https://www.rfi.fr/cn/",
    "https://www.rfi.fr",
    "https://www.rfi.fr/",
    "https://www.rfi.fr//cn/a",
    "https://www.rfi.fr/cn//a/",
    "https://www.rfi.fr./cn/a",
    "https://www.rfi.fr:443/cn/a",
    "https://user@www.rfi.fr/cn/a",
    "https://www.rfi.fr/cn/a?full=y",
    "https://www.rfi.fr/cn/a#top",
    "https://www.rfi.fr/cn/a&amp;b",
    "https://www.rfi.fr/cn/%E8%A5%BF",
    "  https://www.rfi.fr/cn/a-(1)  ",
    "HTTPS://www.rfi.fr/cn/a",
    "https://localhost/cn/a",
    "https://www.rfi.fr/cn/a;b=c,d:e@f!g$h'i*j+k~l",
    "https://xn--fiqs8s.example/a",
]


@pytest.mark.parametrize("raw", PLAIN_LOOKING)
def test_plain_url_shortcut_agrees_with_the_full_normalisation(raw):
    from etl.dumps import urls

    assert canonical_url(raw) == urls._canonical_url(raw)
    assert host_of(raw) == _host_without_shortcut(raw)


def _host_without_shortcut(raw: str) -> str:
    from etl.dumps import urls

    shortcut, urls._PLAIN_URL = urls._PLAIN_URL, re.compile(r"(?!)")
    try:
        return host_of(raw)
    finally:
        urls._PLAIN_URL = shortcut


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="htps:/.wWcomAZ09-_~%&?#@!$'()*+,;=\u897f ", min_size=0, max_size=40).map(
        lambda tail: "https://" + tail
    )
)
def test_plain_url_shortcut_agrees_on_generated_urls(raw):
    from etl.dumps import urls

    assert canonical_url(raw) == urls._canonical_url(raw)
    assert host_of(raw) == _host_without_shortcut(raw)


def test_plain_url_shortcut_agrees_on_every_corpus_url(shared_dir):
    from etl.dumps import urls
    from etl.dumps.reader import Rejected, decode, read_parts

    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"no corpus at {corpus}")
    checked = 0
    for path in sorted(corpus.rglob("*.md")):
        try:
            raw = read_parts(decode(path.read_bytes())).url
        except Rejected:
            continue
        assert canonical_url(raw) == urls._canonical_url(raw), raw
        assert host_of(raw) == _host_without_shortcut(raw), raw
        checked += 1
    assert checked > 10_000
