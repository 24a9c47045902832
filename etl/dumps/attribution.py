"""Wire-agency attribution of one article: which agencies supplied it, which it merely cites.

Rules (../shared/gold/RULES.md decides every case):

- credited: a closing credit line with or without editor names before it (`凝炼/李鱼（德新社、路透社）`,
  `(路透社等)`), a VOA credit sentence (`（本文依据了路透社的报道）`, also without 了 or with another noun),
  an opening dateline (`（法新社开罗11日电）`, `（中央社記者…台北4日電）`, `路透北京8月3日 - `), an RFI
  `© 2020 AFP` line, a reprint (`（转自中央社）`), and the agency behind the outlet itself (`self_outlet`
  in etl/registries/agencies.yaml).
- cited: any other mention of an agency in running text, minus the credited ones.
- neither: captions and photo credits (`（路透社资料图片）`, `（AFP）` under a picture), agencies in a bracket
  that is only a list of agencies but no credit line, ambiguous short forms (`彭博`, `路透`) not followed
  by a reporting word (the Bloomberg terminal or person), blockers such as 美联储.
- compiled: an explicit 综合报道/综合报导/綜合報導/綜合外電報導 marker of the piece: in a bracket
  (`（大纪元记者X综合报导）`, `乐然（综合报道）`), in the header byline, or ending a short byline line;
  never in running text (`综合陆媒报导`).

Speed: one Aho-Corasick pass finds every agency name in the story text; the regex checks run only
around the few hits, so articles that mention no agency cost a few microseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs
import yaml

from etl.dumps.body import Body

AGENCIES_YAML = Path(__file__).resolve().parent.parent / "registries" / "agencies.yaml"

_NAME, _SHORT, _BLOCKER = "name", "short", "blocker"


@dataclass(frozen=True)
class Attribution:
    credited: list[str]
    cited: list[str]
    compiled: bool


@dataclass(frozen=True)
class _Registry:
    matcher: ahocorasick_rs.AhoCorasick
    patterns: list[tuple[str | None, str]]  # per automaton pattern: (code, kind)
    by_token: dict[str, str]  # every name, short form and English form -> code (credit-bracket items)
    self_credit: dict[str, str]  # outlet code -> agency code


@lru_cache(maxsize=4)
def _registry(path: Path = AGENCIES_YAML) -> _Registry:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns: dict[str, tuple[str | None, str]] = {}
    by_token: dict[str, str] = {}
    self_credit: dict[str, str] = {}
    for agency in data["agencies"]:
        code = agency["code"]
        for kind, key in ((_NAME, "names"), (_SHORT, "short_forms")):
            for name in agency.get(key) or []:
                patterns[name] = (code, kind)
                by_token[name] = code
        for name in agency.get("english") or []:
            by_token[name] = code
        if agency.get("self_outlet"):
            self_credit[agency["self_outlet"]] = code
    for blocker in data.get("blockers") or []:
        patterns[blocker] = (None, _BLOCKER)
    names = list(patterns)
    # A DFA finds the same leftmost-longest matches as the default NFA, faster (one pass per story).
    matcher = ahocorasick_rs.AhoCorasick(
        names,
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    return _Registry(matcher, [patterns[n] for n in names], by_token, self_credit)


# --- text shapes -------------------------------------------------------------------------------------

_TRIM = " \t\r\n\xa0\u3000\u2028\u200b"
_OPEN, _CLOSE = ("（", "("), ("）", ")")
_COMPILED = re.compile(r"(?:综合|綜合)(?:外电|外電)?(?:报道|报导|報導|報道)")
# A compiled marker closing a bracket: `（大纪元记者X综合报导）`, `（中央社開羅16日綜合外電報導）`.
_COMPILED_BRACKET = re.compile(
    r"[（(][^（）()]{0,40}?(?:综合|綜合)(?:外电|外電)?(?:报道|报导|報導|報道)[^（）()]{0,20}?[)）]"
)
# A byline ending with the marker: `自由亚洲电台记者X华盛顿综合报道`.
_COMPILED_BYLINE = re.compile(
    r"(?:记者|記者)[^，。,；;：:！？!?“”\"（）()]{0,20}(?:综合|綜合)(?:外电|外電)?(?:报道|报导|報導|報道)"
)
# Editor names before a credit bracket: `凝炼/李鱼`, `张平/ 达扬`, `文山/王凡/`, `Antje Allroggen`.
_NAMES = re.compile(
    r"[^\W\d_][\w·•・.\-]{0,11}(?:[ \u3000\xa0]{1,2}[A-Za-z][\w.\-]{0,15})*"
    r"(?:[ \u3000\xa0]*[/／\\、,，]+[ \u3000\xa0]*"
    r"[^\W\d_][\w·•・.\-]{0,11}(?:[ \u3000\xa0]{1,2}[A-Za-z][\w.\-]{0,15})*)*"
    r"[ \u3000\xa0]*[/／\\]?"
)
# Metadata lines that list tags, not running text (`Post tags: 审查, 新华社`).
_TAG_LINE = re.compile(r"^\s*(?:Post tags|Tags|标签|標籤)\s*[:：]")
_SENTENCE_END = '。！？!?”」』"…；;'
_ITEM_SPLIT = re.compile(r"[、，,/／丶;；|]+|\s+|以及|和|及|与|與")
_ITEM_STRIP = " \t\xa0\u3000“”\"'「」『』《》等"
# Leading words of a credit item: `（据路透社等）`, `（转载：中央社）`.
_ITEM_PREFIX = re.compile(
    r"^(?:转自|轉自|转载自|轉載自|转载|轉載|稿源|来源|來源|据|據|根据|根據|依据|依據)[：:]?"
)
# Whole-bracket VOA credit at the end of a paragraph: `（根据美联社报道）`, `（依据美联社报道。）`.
_BRACKET_SOURCE = re.compile(
    r"^(?:据|據|根据|根據|依据|依據|参考|參考|采用|採用|综合|綜合)[^（）()]{1,40}?"
    r"(?:报道|報導|报导|報道|消息|内容|內容)[。.]?$"
)
# VOA credit sentence: `本文依据了路透社的报道`, `此文部分内容来自美联社`, `本报道依据了路透社消息`.
_VOA_SENTENCE = re.compile(
    r"(?:本文|此文|本报道|本報導|本报导|本篇|该文|該文|以上报道|以上報導|以上内容|以上內容|(?<=[（(])文章)"
    r"[^。；;（）()]{0,10}?"
    r"(?:依据|依據|参考|參考|采用|採用|采纳|採納|根据|根據|基于|基於|结合|結合|包括|包含|综合|綜合|来自|來自|源自|"
    r"引用|援引|编译自|編譯自|取材自|摘编自|摘編自|整合)"
    r"[^。；;（）()]{0,80}"
)
_VOA_HINT = re.compile("本|此文|以上|文章|该文|該文")  # cheap pre-check before _VOA_SENTENCE
# After the agency in `（法新社开罗11日电）`, `（中央社記者X台北18日電）`, `（中央社洛杉磯16日綜合外電報導）`.
_DATELINE_TAIL = re.compile(
    r"[^（）()。，]{0,30}?\d{1,2}日(?:专电|專電|电|電|综合外电报导|綜合外電報導|综合外电报道|综合报导|綜合報導)"
    r"\s*[)）]"
)
# After the agency at the start of a paragraph: `路透北京8月3日 - `.
_WIRE_DATELINE_TAIL = re.compile(r"[^\s\d，。,]{0,12}\s*\d{1,2}月\d{1,2}日\s*(?:电|電)?\s*[-－—–]")
# A short form (`彭博`, `路透`) cites only when a reporting word follows it.
_REPORTING = re.compile(
    r"》|[”]?(?:的)?(?:另|也|还|還)?(?:\d{1,2}月)?(?:\d{1,2}日)?"
    r"(?:报道|报导|報導|報道|引述|援引|消息|早前|此前|日前|稍早|早些|上周|本周|本月|周[一二三四五六日]|"
    r"星期|获得|獲得|取得|看到|见到|見到|掌握|审阅|審閱|调查|調查|汇编|彙編|数据|數據|统计|統計|计算|計算|"
    r"专访|專訪|采访|採訪|记者|記者|报告|報告|分析|获悉|獲悉|披露|写道|寫道|指出|称|稱|民调|民調|"
    r"根据|根據|对比|對比|发自|發自|文章|撰文|通讯社|通訊社|[/／与與和]?益普索)"
)
# `对路透表示`, `向路透证实`, `告诉路透`: telling the agency something is citing it (as `告诉法新社`).
_TOLD_BEFORE = re.compile(r"(?:对|對|向|告诉|告訴|告知|寄给|寄給|回复|回覆)$")
# `X发表了一篇文章，标题为…`: the agency is the subject, not a source.
_HEADLINE = re.compile(r"[^。；;！？]{0,16}?(?:标题为|标题是|標題為|標題是|题为|題為|的标题|的標題)")
# `他曾在彭博新闻社工作`, `他是路透社的一名记者`, `前路透社记者`: an employer in a biography, not a source.
_EMPLOYER_BEFORE = re.compile(
    r"(?:曾在|曾任|曾是|曾为|曾經是|曾经是|曾担任|曾擔任|出任|担任|擔任|[他她]是|是任|任职于|任職於|供职于|效力于|加入|成为|成為|"
    r"(?<![目此之日先提以当當])前)$"
)
_EMPLOYER_AFTER = re.compile(
    r"[^。，,；;]{0,14}?(?:记者|記者|编辑|編輯|工作|任职|任職|摄影师|攝影師|主编|主編|特派员|特派員|社长|社長|分社)"
)
# `首先在新华社河北分社工作`, `调任新华社某分社`: a workplace, never `在路透社记者看到的文件中`.
_WORKPLACE_BEFORE = re.compile(r"(?:调任|調任|调入|調入|(?<![正现現存实實所])在)$")
_WORKPLACE_AFTER = re.compile(r"[^。，,；;]{0,10}?(?:工作|任职|任職|实习|實習|分社)")
# A sentence that credits pictures: `图片来源：…`, `Paul J. Richards/法新社`.
_PHOTO_SENTENCE = re.compile(
    r"(?:图片|圖片|照片|图像|圖像|图片来源|圖片來源|摄影|攝影)[：:]|(?:图片|圖片|照片)来源|图像来源|"
    r"(?:视频|視頻|影片|影像|素材|画面|畫面)(?:素材)?(?:来源|來源|提供)[：:]"
)
_PHOTO_WORDS = re.compile(r"图|圖|照|摄|攝|相片|视频|視頻|提供|[Pp]hoto|Getty|截屏|截图")
_COPYRIGHT = re.compile(r"^©\s*(?:\d{4})\s*(?P<who>[^\d©].{0,40}?)\s*$")
_CLAUSE_PUNCT = re.compile("[，。,：:]")
# An agency in a `、` list of media (`新华社、《人民日报》等五家官媒被列为…`) is cited only when its clause
# says the media reported something; otherwise the media are the story's subject.
_LIST_NEIGHBOUR_AFTER = re.compile(r"(?:[（(][A-Za-z .,]{1,40}[)）])?、")
_CLAUSE_END = "。，,；;！？!?\n"
_LIST_REPORTING = re.compile(
    "报道|报导|報導|報道|引述|援引|引用|消息|指出|称|稱|说|說|表示|透露|披露|获悉|獲悉|分析|调查|調查|"
    "统计|統計|民调|民調|数据|數據|据|據|根据|根據"
)
_REPRINT_BEFORE = re.compile(r"(?:转自|轉自|转载自|轉載自|转载[：:]|轉載[：:]|稿源[：:]?)\s*$")
_SOURCE_LABEL = re.compile(r"\s*(?:来源|來源)[：:]")
# A reprint's opening label line: `作者：新华社某报道组`, `来源：中央社` (not `图片来源：`).
_SOURCE_LINE = re.compile(r"\s*(?:作者|来源|來源|稿源|文章来源|文章來源|原文来源|原文來源)\s*[：:]\s*")
_FILE_PHOTO = re.compile(r"(?:资料|資料)(?:图|圖|照)")
_PHOTOGRAPHER_SLASH = re.compile(r"[A-Za-z.]\s*[/／]\s*$")


def _strip(text: str) -> str:
    return text.strip(_TRIM)


def _split_tail_bracket(text: str) -> tuple[str, str] | None:
    """`prefix（items）` -> (prefix, items) when the text ends with a bracket; else None."""
    if not text or text[-1] not in _CLOSE:
        return None
    start = max(text.rfind("（"), text.rfind("("))
    if start < 0:
        return None
    items = text[start + 1 : -1]
    if any(c in items for c in "（）()"):
        return None
    return text[:start], items


def _bracket_items(items: str, reg: _Registry) -> tuple[set[str], bool, bool]:
    """Credit-bracket content -> (agency codes, compiled marker, is a plain list of bodies)."""
    codes: set[str] = set()
    compiled = False
    plain = True
    for raw in _ITEM_SPLIT.split(items):
        item = raw.strip(_ITEM_STRIP)
        if not item:
            continue
        item = _ITEM_PREFIX.sub("", item).strip(_ITEM_STRIP)
        code = reg.by_token.get(item)
        if code:
            codes.add(code)
        elif reg.matcher.find_matches_as_indexes(item):
            plain = False  # `路透社资料图片`, `本文参考了美联社`: not a list of names
        elif _COMPILED.fullmatch(item) or (_COMPILED.search(item) and len(item) <= 30):
            compiled = True
        elif len(item) > 12:
            plain = False  # a sentence, not a list of agencies and newspapers
    whole = items.strip(_ITEM_STRIP)
    if whole in reg.by_token:
        codes.add(reg.by_token[whole])
    return codes, compiled, plain


def _credit_line(text: str, reg: _Registry, *, last: bool) -> tuple[set[str], bool, int] | None:
    """Closing credit line at the end of `text`: (codes, compiled, start of the credit) or None.

    `凝炼/李鱼（德新社、路透社）` anywhere; a bare `(路透社等)` paragraph only near the end of the story
    (`last`), because a bare `（AFP）` elsewhere is a photo credit.
    """
    split = _split_tail_bracket(_strip(text))
    if split is None:
        return None
    prefix, items = split
    if _PHOTO_WORDS.search(items):
        return None  # `(Photo credit: AFP)`, `（路透社提供）`
    codes, compiled, plain = _bracket_items(items, reg)
    if not plain or not (codes or compiled):
        return None
    head = prefix.rstrip(_TRIM)
    cut = max(head.rfind(c) for c in _SENTENCE_END)
    names = head[cut + 1 :].strip(_TRIM)
    if not names:
        if cut >= 0 or not last:  # `…活动。（美联社）` is a caption inside a paragraph
            return None
        return codes, compiled, 0
    if _COMPILED.search(names) and len(names) <= 30:  # `文山综合报道(法新社)`
        return codes, True, cut + 1
    if not _NAMES.fullmatch(names):
        return None
    return codes, compiled, cut + 1


def _is_compiled(text: str, *, header: bool) -> bool:
    if not _COMPILED.search(text):
        return False
    if header or _COMPILED_BRACKET.search(text) or _COMPILED_BYLINE.search(text):
        return True
    line = _strip(text)
    split = _split_tail_bracket(line)
    if split:
        line = _strip(split[0])
    # a short byline line `李鱼 综合报导`, not running text
    return len(line) <= 30 and _COMPILED.search(line[-8:]) is not None and not _CLAUSE_PUNCT.search(line)


def _enclosing_bracket(text: str, start: int, end: int) -> str | None:
    """The content of the bracket around text[start:end] (within 30 characters), else None."""
    left = max(text.rfind(c, max(0, start - 30), start) for c in _OPEN)
    if left < 0 or any(c in text[left + 1 : start] for c in _CLOSE):
        return None
    rights = [i for i in (text.find(c, end, end + 30) for c in _CLOSE) if i >= 0]
    if not rights:
        return None
    right = min(rights)
    if any(c in text[end:right] for c in _OPEN):
        return None
    return text[left + 1 : right]


# --- one agency name in running text: credited, cited or neither ------------------------------------------

CREDITED, CITED, NEITHER = "credited", "cited", "neither"


class _Mention(NamedTuple):
    """An agency name at text[start:end] of one paragraph, with the text around it."""

    text: str
    start: int
    end: int
    kind: str  # _NAME or _SHORT
    before: str  # the text before the name, trailing spaces dropped
    after: str


def _opening_dateline(m: _Mention, reg: _Registry) -> str | None:
    """`（法新社开罗11日电）`, or `路透北京8月3日 - ` opening the paragraph: the agency filed the story."""
    if m.before.endswith(_OPEN) and _DATELINE_TAIL.match(m.after):
        return CREDITED
    if not m.before.strip(_TRIM) and _WIRE_DATELINE_TAIL.match(m.after):
        return CREDITED
    return None


def _reprint(m: _Mention, reg: _Registry) -> str | None:
    """`（转自中央社）`, `（转载：中央社）`."""
    return CREDITED if _REPRINT_BEFORE.search(m.before[-8:]) else None


def _lists_only_agencies(bracket: str, reg: _Registry) -> bool:
    items = (item.strip(_ITEM_STRIP) for item in _ITEM_SPLIT.split(bracket))
    return _bracket_items(bracket, reg)[2] and all(not item or item in reg.by_token for item in items)


def _in_a_bracket(m: _Mention, reg: _Registry) -> str | None:
    """A bracket around the name: `（来源：中央社）` credits; photo credits and bare agency lists do not."""
    bracket = _enclosing_bracket(m.text, m.start, m.end)
    if bracket is None:
        return None
    if _SOURCE_LABEL.match(bracket):
        return NEITHER if _PHOTO_WORDS.search(bracket) else CREDITED
    if _PHOTO_WORDS.search(bracket):
        return NEITHER  # `（路透社资料图片）`, `（图源：中央社提供）`
    if _lists_only_agencies(bracket, reg):
        return NEITHER  # a bracket that only lists agencies and is no credit line: a photo credit
    return None


def _picture_after(m: _Mention, reg: _Registry) -> str | None:
    """`路透社图片`, `法新社资料照`."""
    return NEITHER if _PHOTO_WORDS.match(m.after[:2]) or _FILE_PHOTO.match(m.after) else None


def _source_line(m: _Mention, reg: _Registry) -> str | None:
    """A reprint's short opening label line: `作者：新华社某报道组`, `来源：中央社`."""
    if _SOURCE_LINE.fullmatch(m.before) and len(m.text) <= 40 and not _PHOTO_WORDS.search(m.text):
        return CREDITED
    return None


def _employer_or_workplace(m: _Mention, reg: _Registry) -> str | None:
    """`他曾在彭博新闻社工作`, `前路透社记者`, `调任新华社某分社`: a biography, not a source."""
    if _EMPLOYER_BEFORE.search(m.before) and _EMPLOYER_AFTER.match(m.after):
        return NEITHER
    if _WORKPLACE_BEFORE.search(m.before) and _WORKPLACE_AFTER.match(m.after):
        return NEITHER
    return None


def _picture_credit(m: _Mention, reg: _Registry) -> str | None:
    """`Paul J. Richards/法新社`, or a sentence that credits pictures (`图片来源：…`)."""
    if _PHOTOGRAPHER_SLASH.search(m.before):
        return NEITHER
    sentence_start = max(m.before.rfind(c) for c in "。！？\n") + 1
    return NEITHER if _PHOTO_SENTENCE.search(m.text, sentence_start, m.end + 12) else None


def _headline_publisher(m: _Mention, reg: _Registry) -> str | None:
    """`X发表了一篇文章，标题为…`: the publisher of a headline under discussion."""
    return NEITHER if _HEADLINE.match(m.after) else None


def _media_list_subject(m: _Mention, reg: _Registry) -> str | None:
    """`新华社、《人民日报》等五家官媒被列为…`: in a list of media, cited only if the clause reports."""
    if not (m.before.endswith("、") or _LIST_NEIGHBOUR_AFTER.match(m.after)):
        return None
    clause_start = max(m.before.rfind(c) for c in _CLAUSE_END) + 1
    ends = [i for i in (m.after.find(c) for c in _CLAUSE_END) if i >= 0]
    clause = m.text[clause_start : m.end + (min(ends) if ends else len(m.after))]
    return None if _LIST_REPORTING.search(clause) else NEITHER


def _short_form_not_reporting(m: _Mention, reg: _Registry) -> str | None:
    """`彭博(Bloomberg)终端`, `彭博巴克莱指数`, the person: a short form cites only before a reporting
    word."""
    if m.kind == _SHORT and not (_REPORTING.match(m.after) or _TOLD_BEFORE.search(m.before)):
        return NEITHER
    return None


def _part_of_a_name(m: _Mention, reg: _Registry) -> str | None:
    """`…·路透`: part of a transliterated person's name."""
    return NEITHER if m.before.endswith(("·", "•", "・")) else None


# In this order; the first rule with a verdict decides, and a mention no rule decides is cited.
MENTION_RULES = (
    _opening_dateline,
    _reprint,
    _in_a_bracket,
    _picture_after,
    _source_line,
    _employer_or_workplace,
    _picture_credit,
    _headline_publisher,
    _media_list_subject,
    _short_form_not_reporting,
    _part_of_a_name,
)


def _mention_role(text: str, start: int, end: int, kind: str, reg: _Registry) -> str:
    """CREDITED, CITED or NEITHER for one running-text mention."""
    mention = _Mention(text, start, end, kind, text[:start].rstrip(" \xa0\u3000"), text[end:])
    for rule in MENTION_RULES:
        verdict = rule(mention, reg)
        if verdict is not None:
            return verdict
    return CITED


# --- one article ----------------------------------------------------------------------------------------

Hit = tuple[int, int, str | None, str]  # (start, end, code, kind) of an agency name in one paragraph


@dataclass
class _Tally:
    credited: set[str] = field(default_factory=set)
    cited: set[str] = field(default_factory=set)
    compiled: bool = False

    def result(self) -> Attribution:
        return Attribution(sorted(self.credited), sorted(self.cited - self.credited), self.compiled)


def _header_credits(header: list[str], reg: _Registry, tally: _Tally) -> None:
    """The header block: a compiled marker (`乐然（综合报道）`) and credit brackets."""
    for line in header:
        if _is_compiled(line, header=True):
            tally.compiled = True
        found = _credit_line(line, reg, last=True)
        if found:
            tally.credited |= found[0]


def _copyright_credits(boilerplate: list[str], reg: _Registry, tally: _Tally) -> None:
    """RFI's `© 2020 AFP` footer."""
    for line in boilerplate:
        m = _COPYRIGHT.match(_strip(line))
        if m and m.group("who") in reg.by_token:
            tally.credited.add(reg.by_token[m.group("who")])


def _nothing_to_read(paragraphs: list[str], text: str, hits: list) -> bool:
    """No agency name, no closing bracket and no 综合: the story credits and cites nothing (the common
    case, decided without looking at paragraphs one by one)."""
    closing_bracket = any(p.rstrip(_TRIM).endswith(_CLOSE) for p in paragraphs[-3:])
    return not hits and not closing_bracket and "综合" not in text and "綜合" not in text


def _hits_by_paragraph(paragraphs: list[str], hits: list, reg: _Registry) -> dict[int, list[Hit]]:
    """The automaton's hits over the joined text, as offsets inside each paragraph; blockers dropped."""
    starts = []
    pos = 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + 1
    by_paragraph: dict[int, list[Hit]] = {}
    for index, start, end in hits:
        code, kind = reg.patterns[index]
        if kind == _BLOCKER:
            continue
        i = bisect_right(starts, start) - 1
        by_paragraph.setdefault(i, []).append((start - starts[i], end - starts[i], code, kind))
    return by_paragraph


def _closing_credit(p: str, hits: list[Hit], last: bool, reg: _Registry, tally: _Tally) -> int:
    """Credit the paragraph's closing credit line or whole-bracket VOA credit; return where that credit
    starts (the mentions from there on belong to it), or len(p) when there is none."""
    found = _credit_line(p, reg, last=last)
    if found:
        codes, compiled, start = found
        tally.credited |= codes
        tally.compiled = tally.compiled or compiled
        return len(p) - len(p.lstrip(_TRIM)) + start
    split = _split_tail_bracket(_strip(p))
    if split and _BRACKET_SOURCE.match(split[1].strip(_TRIM)):
        consumed_from = len(p.rstrip(_TRIM)) - len(split[1]) - 2
        tally.credited |= {c for s, _e, c, _k in hits if s >= consumed_from and c}
        return consumed_from
    return len(p)


def _running_text(p: str, hits: list[Hit], reg: _Registry, tally: _Tally) -> None:
    """Mentions before the closing credit: inside a VOA credit sentence they credit, else MENTION_RULES."""
    spans = [m.span() for m in _VOA_SENTENCE.finditer(p)] if _VOA_HINT.search(p) else []
    for start, end, code, kind in hits:
        if code is None:
            continue
        in_credit_sentence = any(a <= start < b for a, b in spans)
        role = CREDITED if in_credit_sentence else _mention_role(p, start, end, kind, reg)
        if role == CREDITED:
            tally.credited.add(code)
        elif role == CITED:
            tally.cited.add(code)


def _paragraph(p: str, hits: list[Hit], last: bool, reg: _Registry, tally: _Tally) -> None:
    """One story paragraph; `last`: among the final three, where a bare `(路透社等)` is a credit line."""
    if not tally.compiled and ("综合" in p or "綜合" in p) and _is_compiled(p, header=False):
        tally.compiled = True
    # a paragraph without Chinese agency names may still close with `（dpa, AFP）`
    if (not hits and not (last and p.rstrip(_TRIM).endswith(_CLOSE))) or _TAG_LINE.match(p):
        return
    consumed_from = _closing_credit(p, hits, last, reg, tally)
    _running_text(p, [hit for hit in hits if hit[0] < consumed_from], reg, tally)


def attribute(body: Body, outlet: str, title: str) -> Attribution:
    """Credited and cited agency codes (sorted) and the compiled flag of one article."""
    del title  # headlines name agencies only as subjects (`…--共同社` is the source quoted in the text)
    reg = _registry()
    tally = _Tally()
    if outlet in reg.self_credit:
        tally.credited.add(reg.self_credit[outlet])
    _header_credits(body.header, reg, tally)
    _copyright_credits(body.boilerplate, reg, tally)
    paragraphs = body.paragraphs
    text = "\n".join(paragraphs)
    hits = reg.matcher.find_matches_as_indexes(text)
    if _nothing_to_read(paragraphs, text, hits):
        return tally.result()
    by_paragraph = _hits_by_paragraph(paragraphs, hits, reg)
    first_of_last_three = len(paragraphs) - 3
    for i, p in enumerate(paragraphs):
        _paragraph(p, by_paragraph.get(i, []), i >= first_of_last_three, reg, tally)
    return tally.result()
