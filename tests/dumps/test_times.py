from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from etl.dumps.times import OutletTime, from_epoch_ms, iso, outlet_time, parse_any, plausible

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("html", "tz", "expected"),
    [
        ("<div><i><br>2020-07-19T07:26:29.205Z</i></div><p>x</p>", UTC, "2020-07-19T07:26:29Z"),
        ("<div>\n<div><i>  某人（摘编）<br>2020-06-29T14:58:06.315Z</i></div>", UTC, "2020-06-29T14:58:06Z"),
        ("<div><i>Wed, 22 Jul 2020 23:43:16 GMT</i></div>", UTC, "2020-07-22T23:43:16Z"),
        ("<div><i>2020-10-13T09:43:42Z</i></div>", UTC, "2020-10-13T09:43:42Z"),
        ("<div><i>2020-10-13T09:43:42</i></div>", UTC, "2020-10-13T09:43:42Z"),
        ("<div><i>SOME WRITER<br>2020-09-09 10:45:24</i></div>", SHANGHAI, "2020-09-09T02:45:24Z"),
        (
            '<address>作者</address><time pudate="2022-03-01 08:00:00">3月1日</time>',
            SHANGHAI,
            "2022-03-01T00:00:00Z",
        ),
        ("<div>21/07/2020 - 02:50</div><img src=x>", PARIS, "2020-07-21T00:50:00Z"),  # summer time
        ("<div>26/10/2020 - 02:50</div>", PARIS, "2020-10-26T01:50:00Z"),  # after 25 Oct 2020
        (
            '<aside><time dateTime="2020-08-06T10:12:18Z">Aug 6th 2020</time></aside>',
            UTC,
            "2020-08-06T10:12:18Z",
        ),
    ],
)
def test_outlet_times(html, tz, expected):
    found = outlet_time(html, tz)
    assert iso(found.at) == expected and found.date is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<time datetime="2020-10-10">13 分钟前</time><time datetime="2020-10-11">最近更新</time>',
            "2020-10-10",
        ),
        ("<div><i>2020年 7月 12日</i></div>", "2020-07-12"),
    ],
)
def test_date_only_outlet_dates(html, expected):
    found = outlet_time(html)
    assert found.at is None and found.date == date.fromisoformat(expected)


def test_no_markup_and_far_markup():
    assert outlet_time("<p>正文里提到 2020-01-01T00:00:00Z 不算</p>").at is None
    assert outlet_time("<p>x</p>" * 300 + "<div><i>2020-10-13T09:43:42Z</i></div>").at is None
    assert outlet_time("").at is None


def test_fallback_formats_and_bounds():
    assert iso(parse_any("Sat, 27 Jun 2020 13:30:55 +0000")) == "2020-06-27T13:30:55Z"
    assert iso(parse_any("2019-09-19T06:37:44+01:00")) == "2019-09-19T05:37:44Z"
    assert iso(parse_any("2021-01-18T11:54:05.000Z")) == "2021-01-18T11:54:05Z"
    assert iso(from_epoch_ms(1595361137999)) == "2020-07-21T19:52:17Z"
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert plausible(datetime(1990, 1, 1, tzinfo=UTC), now)
    assert not plausible(datetime(1989, 12, 31, tzinfo=UTC), now)
    assert not plausible(datetime(2024, 1, 2, 1, tzinfo=UTC), now)


def test_pudate_epoch_and_midnight_stamps():
    assert iso(outlet_time('<time pudate="1641609924">x</time>', SHANGHAI).at) == "2022-01-08T02:45:24Z"
    midnight = outlet_time('<aside><time dateTime="2020-12-05T00:00:00Z">Dec 5th 2020</time></aside>')
    assert midnight.at is None and midnight.date == date(2020, 12, 5)


def test_header_with_inline_tags_and_epoch_seconds():
    html = "<div><i><b>某记者</b><br><span>2020-07-19T07:26:29.205Z</span></i></div>"
    assert iso(outlet_time(html).at) == "2020-07-19T07:26:29Z"
    assert iso(from_epoch_ms(1595361137)) == iso(from_epoch_ms(1595361137000)) == "2020-07-21T19:52:17Z"


def test_time_tags_in_embeds_or_deep_in_the_body_are_not_the_outlet_time():
    embed = (
        '<div><blockquote class="instagram-media"><p>某人 (@someone) on '
        '<time style="font-size:14px;" datetime="2020-07-24T04:06:59+00:00">Jul 24</time></p></blockquote>'
    )
    assert outlet_time(embed) == OutletTime()
    own_after_embed = embed + '<p>x</p><time datetime="2020-08-05" class="date">8月5日</time>'
    assert outlet_time(own_after_embed).date == date(2020, 8, 5)
    deep = "<p>" + "正文" * 1000 + '</p><time datetime="2020-07-24T04:06:59+00:00">Jul 24</time>'
    assert outlet_time(deep) == OutletTime()
