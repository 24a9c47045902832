"""The record path's bs4 tree builder builds the very soup stock bs4 builds (every field of every node), and
reuses its parser safely."""

import pytest
from bs4 import BeautifulSoup
from bs4.element import PageElement, Tag

from etl.dumps import body as body_module
from etl.dumps.body import extract_body, parse_html

SNIPPETS = [
    "",
    "<p>一段<b>粗体</b>文字</p><p>第二段</p>",
    '<div class=" story-image  image"><img src="a.jpg"><small>图片说明</small></div>',
    '<div {x}="1" class="a b">奇怪的属性</div>',
    '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>正文',
    '<html xmlns:foo="urn:x"><foo:bar foo:a="1">命名空间</foo:bar></html>',
    '<p xml:lang="zh">语言属性</p><a b c=d>链接</a>',
    "<ruby>漢<rp>(</rp><rt>han</rt><rp>)</rp></ruby><script>var x = '<p>';</script><style>p{}</style>",
    "<!-- 注释 --><![CDATA[x]]><?pi x?><p>后文",
    "<<<>>>&&&",
    "<div><p>未闭合<div>嵌套</span></p>",
    "<table><tr><td>表格</td></tr></table><br><hr>",
    "<p>前<b>中</b>后<i>斜</i>尾</p>\n  \n<div> </div><pre>  保留\n  空白 </pre><textarea> a </textarea>",
    '<head><meta charset="gbk"><title>标题</title></head><body><template><p>模板</p></template>正文</body>',
    "<ul><li>一<li>二</ul><p>段<p>落</p></div></div></p>",
]


def _nodes(soup):
    """Every node of a soup in document order (the soup first)."""
    out, stack = [], [soup]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(getattr(node, "contents", None) or []))
    return out


def _signature(soup):
    """Every field of every node, in the order bs4 stores them; links to other nodes by document position."""
    nodes = _nodes(soup)
    position = {id(n): i for i, n in enumerate(nodes)}

    def value(v):
        if isinstance(v, PageElement):
            return ("node", position.get(id(v), "outside"))
        if isinstance(v, list):
            return (type(v).__name__, [value(x) for x in v])
        if isinstance(v, dict):
            return (type(v).__name__, [(type(k).__name__, k, value(x)) for k, x in v.items()])
        if isinstance(v, (set, frozenset)):
            return (type(v).__name__, sorted(map(repr, v)))
        return (type(v).__name__, repr(v))

    soup_only = {"builder", "markup"}  # the builder differs by design; markup is dropped after the parse
    return [
        (
            type(node).__name__,
            None if isinstance(node, Tag) else str(node),
            [(k, value(v)) for k, v in vars(node).items() if not (node is soup and k in soup_only)],
        )
        for node in nodes
    ]


@pytest.mark.parametrize("html", SNIPPETS)
def test_same_soup_as_stock_bs4(html):
    stock = BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    ours = parse_html(html)
    assert _signature(ours) == _signature(stock)
    assert ours.decode() == stock.decode()


def test_reused_parser_starts_each_document_clean():
    first = parse_html("<p>第一篇<div>未闭合")
    second = parse_html("<p>第二篇</p>")
    assert "第一篇" in first.get_text()
    assert second.get_text() == "第二篇"


def test_failed_feed_does_not_leak_into_the_next_document(monkeypatch):
    calls = {"n": 0}
    original = body_module._RecordTreeBuilder.data

    def fail_once(self, data):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom mid-document")
        return original(self, data)

    monkeypatch.setattr(body_module._RecordTreeBuilder, "data", fail_once)
    # lxml binds the target's callbacks when it makes a parser: start from a builder made after the patch
    monkeypatch.setattr(body_module._builders, "builder", None, raising=False)
    with pytest.raises(RuntimeError):
        parse_html("<p>中断的文档<p>还有一段")
    monkeypatch.setattr(body_module._RecordTreeBuilder, "data", original)
    assert extract_body("<p>下一篇</p>").paragraphs == ["下一篇"]


def test_one_builder_per_thread():
    import threading

    seen = []

    def parse():
        parse_html("<p>线程</p>")
        seen.append(body_module._builders.builder)

    threads = [threading.Thread(target=parse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parse_html("<p>主线程</p>")
    seen.append(body_module._builders.builder)
    assert len({id(builder) for builder in seen}) == 3  # the list keeps them alive: ids are unique


def test_document_interrupted_before_close_does_not_leak(monkeypatch):
    parse_html("<p>热身</p>")  # this thread's builder exists
    builder = body_module._builders.builder
    real = builder.parser_for(None)

    class StoppedBeforeClose:
        def feed(self, data):
            real.feed(data)

        def close(self):
            raise KeyboardInterrupt  # e.g. Ctrl-C between lxml's feed and close

    monkeypatch.setattr(builder, "parser_for", lambda encoding: StoppedBeforeClose())
    with pytest.raises(KeyboardInterrupt):
        parse_html("<p>中断的文档")
    monkeypatch.undo()
    assert extract_body("<p>下一篇</p>").paragraphs == ["下一篇"]
