from __future__ import annotations

from etl.dumps.body import Body, extract_body
from etl.dumps.degenerate import classify
from etl.dumps.script import detect_script

HANS = "这是一个关于经济发展和国际关系的简体中文段落，讨论了许多问题，并且说明了为什么这个问题很重要。"
HANT = "這是一個關於經濟發展和國際關係的繁體中文段落，討論了許多問題，並且說明了為什麼這個問題很重要。"


def test_scripts():
    assert detect_script([HANS] * 3) == "hans"
    assert detect_script([HANT] * 3) == "hant"
    assert detect_script(["The Economist explains why markets rallied this week, again."] * 3) == "en"
    assert detect_script([], title="標題：臺灣與香港的關係") == "hant"


def test_stray_characters_and_one_paragraph_do_not_make_mixed():
    assert detect_script([HANT] * 6 + [HANS]) == "hant"
    assert detect_script([HANS.replace("关系", "關係")] * 5) == "hans"
    assert detect_script([HANT] * 20, captions=[HANS, HANS]) == "hant"  # a short gallery under a long story


def test_a_whole_block_in_the_other_script_is_mixed():
    assert detect_script([HANT] * 4, captions=[HANS] * 4) == "mixed"
    assert detect_script([HANT] * 4 + [HANS] * 4) == "mixed"


def test_degenerate_kinds():
    title = "某国发生地震"
    assert classify(extract_body(f"<div>\n{title}\n</div>"), title) == "title_only"
    assert classify(extract_body("<div>\n\n</div>"), title) == "title_only"
    assert classify(extract_body("<div><i>2020-10-09T10:32:14Z</i></div>"), title) == "date_only"
    video = "<p>一段简短的视频介绍。</small></p><video src=v.mp4 controls></video>"
    assert classify(extract_body(video), title) == "video_only"
    footer = '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>'
    assert classify(extract_body(footer), title) == "footer_only"
    gallery = "<div><img src=a><b>图一</b>：说明文字</div><div><img src=b><b>图二</b>：说明文字</div>"
    assert classify(extract_body(gallery), title) is None
    assert classify(extract_body("<p>正文第一段。</p><p>正文第二段。</p>"), title) is None
    truncated = Body(paragraphs=["导语"], ends_at_unlock=True)
    assert classify(truncated, title) == "truncated"


def test_link_only_pages_keep_their_links_as_text():
    page = '<li><a href="/1">第一条新闻</a></li><li><a href="/2">第二条新闻</a></li>'
    assert extract_body(page).paragraphs == ["第一条新闻", "第二条新闻"]
