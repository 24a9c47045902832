from __future__ import annotations

import pytest

from etl.dumps.outlets import clean_title, outlet_for_host, registry


@pytest.mark.parametrize(
    ("host", "code"),
    [
        ("www.dw.com", "dw"),
        ("www.voachinese.com", "voa"),
        ("www.rfi.fr", "rfi"),
        ("cn.reuters.com", "reuters"),
        ("www.bbc.com", "bbc"),
        ("www.bbc.co.uk", "bbc"),
        ("cn.nytimes.com", "nyt"),
        ("cn.ft.com", "ft"),
        ("www.cna.com.tw", "cna"),
        ("www.rfa.org", "rfa"),
        ("www.rti.org.tw", "rti"),
        ("www.zaobao.com", "zaobao"),
        ("www.epochtimes.com", "epochtimes"),
        ("chinadigitaltimes.net", "cdt"),
        ("www.economist.com", "economist"),
        ("WWW.DW.COM.", "dw"),
        ("www.solidot.org", "other"),
        ("notdw.com", "other"),
        ("", "other"),
    ],
)
def test_host_to_outlet(host, code):
    assert outlet_for_host(host).code == code


def test_every_outlet_has_a_display_name():
    assert all(o.name for o in registry().outlets.values())


@pytest.mark.parametrize(
    ("code", "raw", "clean"),
    [
        ("rfi", "香港新闻 – 法国国际广播电台 - RFI", "香港新闻"),
        ("rfi", "一篇评论 - 要闻分析", "一篇评论"),
        ("rfi", "报纸摘要 - 法国报纸摘要 – 法国国际广播电台 - RFI", "报纸摘要"),
        ("rfi", "《焦点》两岸 - 美国 关系", "《焦点》两岸 - 美国 关系"),
        ("rfi", "Pandemic – 某国宣布全面恢复入境检疫", "Pandemic – 某国宣布全面恢复入境检疫"),
        ("rfi", "Pandemic - 某国封城", "Pandemic - 某国封城"),
        ("rfi", "评论：冷和平3.0 - 每周专栏", "评论：冷和平3.0"),
        ("rfi", "一则消息 – 法國國際廣播電臺 - RFI", "一则消息"),
        ("dw", "某国新闻 | DW | 26.10.2020", "某国新闻"),
        ("bbc", "某地新闻 - BBC News 中文", "某地新闻"),
        ("bbc", "BBC News 中文", "BBC News 中文"),
        ("nyt", "某事件 - 紐約時報中文網", "某事件"),
        ("nyt", "某事件 | 纽约时报中文网", "某事件"),
        ("reuters", "市场消息 | 路透", "市场消息"),
        ("reuters", "独家：某公司--CEO", "独家：某公司--CEO"),
        ("cna", "[影] 台北消息", "[影] 台北消息"),
        ("rti", "[國際] 某國消息 - 200722-13", "[國際] 某國消息"),
        ("rfa", "【时事纵横】话题", "【时事纵横】话题"),
        ("economist", "R&amp;D and &quot;growth&quot; ", 'R&D and "growth"'),
        ("dw", "  两行\n\n标题  ", "两行 标题"),
        ("dw", "保留\u00a0不间断空格 - 副题", "保留\u00a0不间断空格 - 副题"),
    ],
)
def test_clean_title(code, raw, clean):
    assert clean_title(raw, registry().outlets[code]) == clean
