"""Attribution rules on synthetic snippets (the rules: ../shared/gold/RULES.md)."""

from __future__ import annotations

import pytest
import yaml

from etl.dumps.attribution import AGENCIES_YAML, Attribution, attribute
from etl.dumps.body import Body


def run(paragraphs, outlet="dw", *, header=(), captions=(), boilerplate=()) -> Attribution:
    body = Body(
        paragraphs=list(paragraphs),
        captions=list(captions),
        header=list(header),
        boilerplate=list(boilerplate),
    )
    return attribute(body, outlet, "标题")


STORY = "某国政府周二宣布了一项新的交通计划，预计明年开始实施。"


# --- credited: closing credit lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("甲乙/丙丁（德新社、路透社）", ["Reuters", "dpa"]),
        ("甲乙/丙丁 (路透社、法新社)", ["AFP", "Reuters"]),
        ("甲乙／丙丁（美联社，德新社）", ["AP", "dpa"]),
        ("甲乙 / 丙丁\u3000（ 法新社，美联社，德新社，路透社）", ["AFP", "AP", "Reuters", "dpa"]),
        ("甲乙/丙丁/(路透社等)", ["Reuters"]),
        ("甲乙/丙丁 (路透社丶法新社)\xa0", ["AFP", "Reuters"]),
        ("甲乙//丙丁（新教新闻社、路透社）", ["Reuters", "epd"]),
        ("甲乙\\丙丁(路透社、美联社)", ["AP", "Reuters"]),
        ("甲乙/丙丁（据德新社、美联社等）", ["AP", "dpa"]),
        ("甲乙/丙丁（路透社/美联社）", ["AP", "Reuters"]),
        ("甲乙/丙丁（天主教通讯社、德新社）", ["KNA", "dpa"]),
        ("甲乙（德新社、体育通讯社）", ["SID", "dpa"]),
        ("甲乙/丙丁 (路透社、美联社、埃菲社)", ["AP", "EFE", "Reuters"]),
        ("甲乙/丙丁（美聯社、路透社、法新社等）", ["AFP", "AP", "Reuters"]),
    ],
)
def test_closing_credit_line(line, codes):
    result = run([STORY, line])
    assert result.credited == codes
    assert result.cited == []
    assert result.compiled is False


def test_other_bodies_in_the_credit_bracket_are_ignored():
    result = run([STORY, "甲乙/丙丁（路透社、某某日报、某国广播公司）"])
    assert result.credited == ["Reuters"]
    assert result.cited == []


def test_credit_bracket_naming_only_newspapers_credits_nothing():
    assert run([STORY, "甲乙/丙丁 (某某日报等)"]).credited == []


def test_credit_line_appended_to_the_last_paragraph():
    result = run([STORY + "    甲乙/丙丁(美联社)"])
    assert result.credited == ["AP"]


def test_bare_credit_bracket_as_the_closing_paragraph():
    assert run([STORY, STORY, "(路透社等)"]).credited == ["Reuters"]


def test_bare_agency_bracket_mid_story_is_a_photo_credit():
    paragraphs = ["（美联社）", STORY, STORY, STORY, STORY]
    assert run(paragraphs) == Attribution([], [], False)


def test_agency_bracket_after_a_sentence_is_a_photo_credit():
    result = run(["某地民众周日参加集会。（路透社）", STORY])
    assert result == Attribution([], [], False)


# --- credited: VOA sentences, datelines, copyright, reprints, self outlets ----------------------------


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("（本文依据了路透社的报道）", ["Reuters"]),
        ("(本文参考了美联社、路透社和法新社的报道。)", ["AFP", "AP", "Reuters"]),
        ("（本文参考美联社报道。）", ["AP"]),
        ("（本报道依据了路透社消息。）", ["Reuters"]),
        ("（此文部分内容来自美联社）", ["AP"]),
        ("（本文依据了路透和美联社的报道）", ["AP", "Reuters"]),
        ("（本报道采纳了路透社的消息）。", ["Reuters"]),
        (STORY + "（根据美联社报道）", ["AP"]),
    ],
)
def test_voa_credit_sentences(line, codes):
    result = run([STORY, line], outlet="voa")
    assert result.credited == codes
    assert result.cited == []


@pytest.mark.parametrize(
    ("paragraph", "codes"),
    [
        ("（法新社某城11日电）某国总统今天表示将访问邻国。", ["AFP"]),
        ("（法新社某城11日综合外电报导）股市今天收盘走高。", ["AFP"]),
        ("路透某城8月3日 - 某国央行周一维持利率不变。", ["Reuters"]),
        ("（中央社記者某某某台北4日電）行政院今天通過一項法案。", ["CNA"]),
        ("（韩联社首尔5日电）某部门今天宣布新措施。", ["Yonhap"]),
    ],
)
def test_opening_datelines(paragraph, codes):
    assert run(["某国今天发生一件事的导语。", paragraph, STORY], outlet="rfi").credited == codes


def test_copyright_line_in_boilerplate_credits():
    result = run([STORY], outlet="rfi", boilerplate=["© 2020 AFP"])
    assert result.credited == ["AFP"]


def test_copyright_without_year_under_a_picture_is_not_a_credit():
    result = run([STORY + " ©Reuters"], outlet="bbc", boilerplate=["©Getty Images", "©AFP"])
    assert result == Attribution([], [], False)


@pytest.mark.parametrize("line", ["（转自中央社）", "（转载：中央社）", "（轉自中央社）"])
def test_reprints(line):
    assert run([STORY, line], outlet="epochtimes").credited == ["CNA"]


@pytest.mark.parametrize(("outlet", "code"), [("cna", "CNA"), ("reuters", "Reuters")])
def test_agency_outlets_credit_themselves(outlet, code):
    result = run([STORY, "据路透计算，某指数上涨。" if outlet == "reuters" else STORY], outlet=outlet)
    assert result.credited == [code]
    assert result.cited == []


# --- cited -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("据路透社报道，某公司计划裁员。", "Reuters"),
        ("一名官员告诉法新社，谈判仍在进行。", "AFP"),
        ("据法新社等媒体报道，会议推迟。", "AFP"),
        ("彭博周三援引知情人士的话说，交易将在下月完成。", "Bloomberg"),
        ("据俄罗斯塔斯社报道，某地发生地震。", "TASS"),
        ("韓聯社報導，某部門今天公布數據。", "Yonhap"),
        ("新華社說，會議在北京舉行。", "Xinhua"),
        ("据国际文传电讯社报道，某工厂停产。", "Interfax"),
    ],
)
def test_running_text_mentions_are_cited(sentence, code):
    result = run([sentence, STORY], outlet="voa")
    assert result.credited == []
    assert result.cited == [code]


def test_cited_excludes_credited_and_lists_are_sorted_case_sensitively():
    result = run(
        ["据德新社报道，某事发生。一名官员告诉路透社，情况稳定。", "甲乙/丙丁（美联社、法新社、德新社）"]
    )
    assert result.credited == ["AFP", "AP", "dpa"]
    assert result.cited == ["Reuters"]


# --- neither ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "美联储周三宣布维持利率不变。",
        "前纽约市长迈克尔·彭博表示支持该候选人。",
        "他用一台彭博(Bloomberg)终端查看行情。",
        "彭博巴克莱指数本周下跌。",
        "某地民众在街头集会（路透社资料图片）",
        "某人在会上发言（图源：中央社提供）",
        "图片来源：某某/法新社，某图片社。",
        "在2012年加入本报之前，他是路透社的一名记者。",
        "他还曾在彭博新闻社工作。",
        "某社发表了一篇文章，标题为某国政府隐瞒数据。".replace("某社", "路透社"),
        "中央社会主义学院举行开学典礼。",
        "社区居民组成共同社区委员会。",
        "据中新社报道，某地举办展会。",
    ],
)
def test_neither_credited_nor_cited(paragraph):
    assert run([paragraph, STORY], outlet="rfa") == Attribution([], [], False)


def test_captions_are_ignored():
    result = run([STORY], outlet="rfa", captions=["某地民众集会（AFP）", "（路透社）", "图像来源，AFP"])
    assert result == Attribution([], [], False)


def test_english_agency_names_in_running_text_are_not_matched():
    assert run(["The AFP and Reuters reported it.", STORY], outlet="other").cited == []


# --- compiled ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "paragraphs"),
    [
        (["甲乙（综合报道）", "2020-07-06T14:15:46.959Z"], [STORY]),
        (["甲乙 综合报导", "2020-07-06T14:15:46.959Z"], [STORY]),
        ([], ["【某报2020年12月1日讯】（某报记者甲乙综合报导）" + STORY]),
        ([], [STORY, "（综合报导）"]),
        ([], [STORY, "甲乙/丙丁 (綜合報導)"]),
        ([], ["（中央社某城16日綜合外電報導）" + STORY]),
        ([], [STORY, "某台记者甲乙某城综合报道\xa0 责编：丙丁"]),
    ],
)
def test_compiled_markers(header, paragraphs):
    assert run(paragraphs, header=header).compiled is True


@pytest.mark.parametrize(
    "paragraph",
    ["据综合陆媒报导，某地发生洪水。", "经过综合考量，政府决定推迟。", "综合报道，该国护照曾多次改版。"],
)
def test_running_text_is_not_a_compiled_marker(paragraph):
    assert run([paragraph, STORY]).compiled is False


def test_compiled_with_agencies_x_deng_is_not_compiled():
    result = run([STORY, "甲乙/丙丁 (路透社、法新社等)"])
    assert result.compiled is False
    assert result.credited == ["AFP", "Reuters"]


def test_compiled_marker_and_credit_in_one_line():
    result = run([STORY, "甲乙综合报道(法新社)"])
    assert result.compiled is True
    assert result.credited == ["AFP"]


# --- registry ----------------------------------------------------------------------------------------


def test_registry_covers_the_required_agencies():
    data = yaml.safe_load(AGENCIES_YAML.read_text(encoding="utf-8"))
    codes = {a["code"] for a in data["agencies"]}
    required = {"AFP", "Reuters", "AP", "dpa", "EFE", "ANSA", "Kyodo", "Jiji", "Yonhap", "CNA", "Xinhua"}
    required |= {"TASS", "RIA", "Interfax", "Bloomberg", "KNA", "epd", "Sputnik", "UPI", "SID"}
    assert required <= codes
    for agency in data["agencies"]:
        assert agency["names"], agency["code"]
        assert agency["name_en"], agency["code"]


@pytest.mark.parametrize(
    "name",
    [n for a in yaml.safe_load(AGENCIES_YAML.read_text(encoding="utf-8"))["agencies"] for n in a["names"]],
)
def test_every_registered_name_is_cited_in_running_text(name):
    code = next(
        a["code"]
        for a in yaml.safe_load(AGENCIES_YAML.read_text(encoding="utf-8"))["agencies"]
        if name in a["names"]
    )
    result = run([f"据{name}报道，某事发生。", STORY], outlet="other")
    assert result.cited == [code]


@pytest.mark.parametrize(
    ("line", "codes"), [("甲乙/丙丁 (dpa, afp)", ["AFP", "dpa"]), ("（Reuters、AP）", ["AP", "Reuters"])]
)
def test_credit_line_with_latin_agency_codes(line, codes):
    assert run([STORY, STORY, line]).credited == codes


def test_tag_lines_are_not_running_text():
    assert run([STORY, "Post tags: 审查, 新华社, 删帖"], outlet="cdt").cited == []


@pytest.mark.parametrize(
    "sentence",
    [
        "他2010年出任新华社某地分社社长。",
        "前路透社记者某某加入该组织。",
        "毕业后他先在新华社某省分社工作，后调任新华社另一分社。",
        "她早年在法新社工作过三年。",
        "十年后他成为新华社副社长。",
    ],
)
def test_employers_in_biographies_are_not_cited(sentence):
    assert run([sentence, STORY], outlet="zaobao").cited == []


def test_a_reporting_sentence_about_an_employee_still_cites():
    assert run(["一名官员目前告诉路透社记者，谈判仍在进行。", STORY]).cited == ["Reuters"]


def test_english_photo_credit_bracket_is_not_a_credit_line():
    assert run([STORY, "(Photo credit: AFP)"], outlet="economist") == Attribution([], [], False)


def test_a_reuters_ipsos_poll_cites_reuters():
    assert run(["最新的路透/益普索民调显示，两人支持率接近。", STORY], outlet="rfi").cited == ["Reuters"]


def test_a_workplace_rule_keeps_reports_seen_by_agency_reporters():
    assert run(["在路透社记者看到的文件中，该公司承认了错误。", STORY]).cited == ["Reuters"]


@pytest.mark.parametrize(
    "sentence",
    ["影片素材来源：法新社（AFP）", "视频来源：路透社、美联社", "画面提供：美联社"],
)
def test_video_footage_credits_are_neither(sentence):
    assert run([STORY, sentence, STORY], outlet="bbc") == Attribution([], [], False)


@pytest.mark.parametrize(
    ("line", "codes"),
    [("作者：新华社某地报道组", ["Xinhua"]), ("来源：中央社", ["CNA"]), ("來源： 美聯社", ["AP"])],
)
def test_a_reprint_source_label_line_credits(line, codes):
    assert run(["某刊编者按：以下为转载。", line, STORY, STORY], outlet="cdt").credited == codes


@pytest.mark.parametrize(
    "line",
    [
        "图片来源：新华社",
        "来源：路透社资料图片",
        "作者：某某，他曾多次接受法新社采访并谈及此事的来龙去脉和细节。",
    ],
)
def test_a_source_label_that_is_no_reprint_credit_credits_nothing(line):
    assert run([line, STORY], outlet="cdt").credited == []


@pytest.mark.parametrize(
    "sentence",
    [
        "某国政府把新华社、《某某日报》等三家媒体列为外国使团。",
        "当天，《某某周刊》、美联社、法新社、路透社等媒体都被拒绝进入现场。",
        "该部要求美联社（AP）、某某广播公司两家媒体申报人员信息。",
    ],
)
def test_agencies_listed_as_the_subject_among_media_are_neither(sentence):
    assert run([sentence, STORY], outlet="voa").cited == []


@pytest.mark.parametrize(
    ("sentence", "codes"),
    [
        ("据美联社、某电视台等媒体报道，双方已达成协议。", ["AP"]),
        ("路透社、彭博社当天援引消息人士说，交易已经完成。", ["Bloomberg", "Reuters"]),
        ("新华社、《某某日报》等官媒均报道了此次会谈。", ["Xinhua"]),
    ],
)
def test_agencies_listed_as_sources_are_cited(sentence, codes):
    assert run([sentence, STORY], outlet="voa").cited == codes


@pytest.mark.parametrize(
    ("sentence", "codes"),
    [
        ("路透根据两名消息人士的说法报道，该交易已经完成。", ["Reuters"]),
        ("外媒《路透》表示，谈判已经暂停。", ["Reuters"]),
        ("一名官员对路透表示，会议将推迟。", ["Reuters"]),
        ("该公司向路透证实了这一消息。", ["Reuters"]),
        ("彭博另引述一名银行家说，资金正在撤出。", ["Bloomberg"]),
        ("路透7月3日发自某地的消息说，谈判破裂。", ["Reuters"]),
        ("路透见到的文件显示，该计划已获批准。", ["Reuters"]),
    ],
)
def test_short_forms_with_more_reporting_shapes_cite(sentence, codes):
    assert run([sentence, STORY], outlet="rfi").cited == codes


@pytest.mark.parametrize(
    "sentence", ["彭博表示他将捐款支持该候选人。", "他在办公室里看着彭博(Bloomberg)终端。"]
)
def test_short_form_person_and_terminal_still_neither(sentence):
    assert run([sentence, STORY], outlet="rfi").cited == []


# --- mention rules (attribution.MENTION_RULES) the cases above leave out -----------------------------------


@pytest.mark.parametrize(
    ("paragraph", "credited"),
    [
        (f"（转自中央社）{STORY}", ["CNA"]),  # _reprint, at the start of a paragraph that goes on
        (f"{STORY}（来源：中央社）{STORY}", ["CNA"]),  # _in_a_bracket: a source label inside running text
        (f"{STORY}（图片来源：中央社）{STORY}", []),  # _in_a_bracket: the same label for a picture
    ],
)
def test_reprint_and_source_brackets_inside_running_text_credit(paragraph, credited):
    result = run([paragraph, STORY])
    assert (result.credited, result.cited) == (credited, [])


@pytest.mark.parametrize(
    ("sentence", "cited"),
    [
        ("创始人路透称，新闻要快。", ["Reuters"]),
        ("创始人保罗·路透称，新闻要快。", []),  # _part_of_a_name: Paul Reuter, not the agency
    ],
)
def test_a_short_form_inside_a_transliterated_name_is_no_citation(sentence, cited):
    assert run([sentence, STORY]).cited == cited
