from __future__ import annotations

from etl.dumps.body import extract_body

FEEDX = (
    '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a> <br>'
    '<a href="https://feedx.site">https://feedx.site</a><br></div>'
)


def test_paragraphs_header_captions():
    html = (
        "<div><i>  某记者（摘编）<br>2020-07-19T07:26:29.205Z</i></div><img src=a.jpg>"
        '<div><small style="color: #999;">图片说明文字</small></div>'
        "<p>第一段  有 \u00a0 空白。</p><p><strong>小标题</strong></p><p>第二段<br/>第三段</p>"
    )
    body = extract_body(html)
    assert body.header == ["某记者（摘编）", "2020-07-19T07:26:29.205Z"]
    assert body.captions == ["图片说明文字"]
    assert body.paragraphs == ["第一段 有 空白。", "小标题", "第二段", "第三段"]
    assert body.text == "第一段 有 空白。\n小标题\n第二段\n第三段"


def test_line_separator_splits_paragraphs():
    assert extract_body("<p>一行\u2028二行</p>").paragraphs == ["一行", "二行"]


def test_entities_and_inline_tags_join():
    assert extract_body("<p>A&amp;B <em>强调</em>结尾</p>").paragraphs == ["A&B 强调结尾"]


def test_figcaption_gallery_and_wp_caption():
    html = (
        "<figure><img src=x><figcaption>图像来源，Getty Images</figcaption></figure>"
        "<div><img src=y><b>标题</b>：图集说明</div>"
        '<p class="wp-caption-text">说明三</p><p>正文</p>'
    )
    body = extract_body(html)
    assert body.captions == ["图像来源，Getty Images", "标题：图集说明", "说明三"]
    assert body.paragraphs == ["正文"]


def test_boilerplate_removed_but_kept():
    html = (
        "<p>正文。</p><p>某某/某某（德新社、路透社）</p>"
        "<p><em>摘编自其他媒体的内容，不代表德国之声的立场或观点</em></p>"
        "<p><em>© 2022</em><em>年</em><em>德国之声版权声明：本文所有内容受到著作权法保护。</em></p>"
        "<p><em>© 2023年德國之聲版權聲明：本文所有內容受到著作權法保護。</em></p>"
        '<p class="t-copyright">© 2020 AFP</p>'
        '<div class="o-self-promo o-self-promo--nl">订阅我们的通讯</div>'
        "<footer>翻译：某某</footer>" + FEEDX
    )
    body = extract_body(html)
    assert body.paragraphs == ["正文。", "某某/某某（德新社、路透社）"]
    joined = "\n".join(body.boilerplate)
    for piece in (
        "摘编自其他媒体",
        "© 2022年德国之声版权声明",
        "德國之聲版權聲明",
        "© 2020 AFP",
        "订阅",
        "翻译",
        "获取更多RSS",
    ):
        assert piece in joined


def test_related_link_lists_are_not_story_text():
    html = '<p>正文</p><ul><li><b><a href="/x">另一篇文章的标题</a></b></li></ul><ul><li>普通列表项</li></ul>'
    body = extract_body(html)
    assert body.paragraphs == ["正文", "普通列表项"]
    assert body.boilerplate == ["另一篇文章的标题"]


def test_scripts_styles_and_comments_dropped():
    html = (
        "<script>var a='文';</script><style>p{}</style><!--pay wall 1: 0--><p>正文</p><noscript>无</noscript>"
    )
    assert extract_body(html).paragraphs == ["正文"]


def test_rfi_date_header_and_unlock_button():
    html = (
        "<div>21/07/2020 - 02:50</div><img src=a><p><strong>导语</strong></p>"
        '<div class="t-content__body"><div class="m-interstitial">'
        '<button data-readmore-unlocker class="m-interstitial__unlock-btn">继续浏览后续</button></div></div>'
    )
    body = extract_body(html)
    assert body.header == ["21/07/2020 - 02:50"]
    assert body.paragraphs == ["导语"]
    assert body.ends_at_unlock


def test_video_flag():
    body = extract_body("<p>短简介</small></p><video src=v.mp4 controls></video>")
    assert body.has_video and body.paragraphs == ["短简介"]


def test_deep_nesting_is_bounded():
    # No recursion: 100,000 levels neither overflow the stack nor lose the text (bench/guards.py times it).
    html = "<div>" * 100_000 + "深处的文字" + "</div>" * 100_000
    body = extract_body(html)
    assert body.paragraphs == ["深处的文字"]
    inline = extract_body("<p>前</p>" + "<span>" * 100_000 + "深处" + "</span>" * 100_000)
    assert inline.paragraphs == ["前", "深处"]


def test_empty_and_garbage():
    assert extract_body("").paragraphs == []
    assert extract_body("  \n ").paragraphs == []
    assert extract_body("<<<>>>&&&").paragraphs == ["<<<>>>&&&"]


def test_a_parsed_body_leaves_no_cyclic_garbage():
    """The soup is unlinked once walked, so reference counting frees it: the cyclic collector, which would
    otherwise traverse every tree, finds nothing."""
    import gc

    html = "<!-- c --><div><i>记者<br>2020-07-19</i></div><p>一<b>二</b>三</p>\n<ul><li>四</li></ul>" + FEEDX
    extract_body(html)
    gc.collect()
    gc.disable()
    try:
        body = extract_body(html)
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert body.paragraphs == ["一二三", "四"]
