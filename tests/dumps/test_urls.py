from __future__ import annotations

import pytest

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
