from __future__ import annotations

import pytest

from etl.dumps.body import Body, extract_body
from etl.dumps.byline import extract_byline, names_in


def byline(html: str, outlet: str) -> str | None:
    return extract_byline(extract_body(html), outlet)


@pytest.mark.parametrize(
    ("html", "outlet", "expected"),
    [
        # DW: header byline with role, closing credit line with names before the agency bracket
        ("<div><i>  林小山（摘编）<br>2020-07-19T07:26:29.205Z</i></div><p>正文。</p>", "dw", "林小山"),
        ("<div><i>null 采访记者: 王大海<br>2020-07-19T07:26:29.205Z</i></div><p>正文。</p>", "dw", "王大海"),
        ("<div><i>Jane  Roe<br>2020-07-19T07:26:29.205Z</i></div><p>Text.</p>", "dw", "Jane Roe"),
        (
            "<div><i><br>2020-07-19T07:26:29.205Z</i></div><p>正文。</p><p>王大海／李小川 (综合报导)</p>",
            "dw",
            "王大海/李小川",
        ),
        ("<div><i><br>2020-07-19T07:26:29.205Z</i></div><p>正文。</p><p>(路透社等)</p>", "dw", None),
        # CNA: dateline author, translator, editor with ROC date code
        (
            "<p>（中央社記者張小明台北4日電）正文。（譯者：李大同／核稿：王小美）1091104</p>",
            "cna",
            "張小明/李大同/王小美",
        ),
        (
            "<p>（中央社駐紐約特派員陳大文紐約4日專電）正文。（編輯：林小華）1091104</p>",
            "cna",
            "陳大文/林小華",
        ),
        # RFA: reporter line with place and roles without colons
        (
            "<p>正文。</p><p>自由亚洲电台记者王小明华盛顿报道 责编：李大同 网编：张三丰</p>",
            "rfa",
            "王小明/李大同/张三丰",
        ),
        (
            "<p>正文。</p><p>记者: 王小明 责编：李大同 陈小红 网编：张三丰</p>",
            "rfa",
            "王小明/李大同/陈小红/张三丰",
        ),
        # Reuters: 编译 then 审校, several names
        (
            "<p>路透北京8月3日 - 正文。(完)</p><p>编译 王小明/李大同；审校 张三丰</p>",
            "reuters",
            "王小明/李大同/张三丰",
        ),
        # Epoch Times: dateline and responsible editor with a trailing #
        (
            "<p>【大纪元2020年10月10日讯】（大纪元记者王小明综合报导）正文。</p><p>责任编辑：李大同#</p>",
            "epochtimes",
            "王小明/李大同",
        ),
        # NYT: upper-case header name replaced by the bio spelling; translators after authors
        (
            "<div><i>JANE ROE,JANE ROE<br>2020-09-09 10:45:24</i></div><p>正文。</p>"
            "<p>Jane McRoe是驻纽约记者。<br/>翻译：王小明、李大同</p>",
            "nyt",
            "Jane McRoe/JANE ROE/王小明/李大同",
        ),
        (
            "<div><i>张小明<br>2020-09-09 10:45:24</i></div><p>正文。</p><p>翻译：纽约时报中文网</p>",
            "nyt",
            "张小明",
        ),
        # contributors and running text are not bylines
        ("<p>正文。</p><p>王小明对此文有贡献。</p>", "dw", None),
        ("<p>他告诉记者：“这不是真的，除了王小明和李大同。”</p>", "voa", None),
        # BBC byline block
        (
            '<div><h1>标题</h1></div><div class="StyledByline"><ul class="Person">'
            '<li class="css-1-Name">约翰·史密斯</li><li class="css-2-Title">BBC记者</li></ul></div>'
            '<time datetime="2020-10-10">1 小时前</time><p>正文。</p>',
            "bbc",
            "约翰·史密斯",
        ),
        # CDT poster handle, FT translator
        ("<p>正文。</p><p>© 小明同学 for 中国数字时代, 2020. |Permalink</p>", "cdt", "小明同学"),
        ("<p>正文。</p><p>译者/和风</p>", "ft", "和风"),
        # FT: authors opening the story, `张三、李四：…`; a country speaking is no author; only on FT
        ("<p>王小明、李大同：正文。</p>", "ft", "王小明/李大同"),
        ("<p>美国：正文。</p>", "ft", None),
        ("<p>王小明、李大同：正文。</p>", "dw", None),
    ],
)
def test_bylines(html, outlet, expected):
    assert byline(html, outlet) == expected


def test_names_in_drops_roles_outlets_and_duplicates_are_kept_for_caller():
    assert names_in("德国之声中文网") == []
    assert names_in("胡力汉 嘉远") == ["胡力汉", "嘉远"]
    assert names_in("Jane Roe, 王小明（综合报道）") == ["Jane Roe", "王小明"]


def test_empty_body_has_no_byline():
    assert extract_byline(Body(), "dw") is None
