"""Bylines: person names only, joined with `/`: authors, then translators, then editors (RULES.md).

Sources, by where outlets put them:
- the header block `<div><i>NAME<br>TIME</i></div>` (DW, NYT 2020), `<address>` (NYT 2022+);
- closing lines: DW `凝炼/李鱼（德新社、路透社）`, RFA `记者：X 责编：Y 网编：Z`,
  Reuters `（编译：X；审校：Y）`, CNA `（譯者：X／核稿：Y）1091115`,
  RFI `（译者：X）`, NYT `翻译：X、Y`, BBC `（撰稿：X　责编：Y）`,
  Epoch Times `责任编辑：X`, FT `译者/X`.
Roles, outlet names, agency credits and contributor notes (对此文有贡献, 补充报道) are dropped.
"""

from __future__ import annotations

import re

_TIMEISH = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2},\s*\d|\d{2}/\d{2}/\d{4}|\d{4}\s*年|\d+\s*(分钟|小时|天)前)"
)
_ROLE_WORDS = (
    "采访记者|記者|记者|撰稿|撰文|编写|編寫|作者|文|摘编|摘編|编译|編譯|综合报道|綜合報導|综合报导|综合報道|"
    "编辑|編輯|责编|責編|网编|網編|责任编辑|責任編輯|译者|譯者|翻译|翻譯|核稿|审校|審校|发稿|發稿|报道|報導|报导"
)
_ROLE_LABEL = re.compile(rf"(?:{_ROLE_WORDS})\s*[：:／/]\s*")
_PAREN_ROLE = re.compile(r"[（(]\s*[^（）()]{0,12}?\s*[）)]")
_OUTLETS = re.compile(
    r"自由亚洲电台|自由亞洲電台|美国之音|美國之音|德国之声|德國之聲|法广|法廣|纽约时报中文网|纽約時報中文網|"
    r"纽约时报|紐約時報|大纪元|大紀元|中央社|路透|BBC|\bnull\b"
)
_SEPARATORS = re.compile(r"\s*(?:[/／、，,;；]|\band\b|和|与|與)\s*")
_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-zÀ-ÿ·•.\-' ]{1,40}$")
_AGENCY = re.compile(r"社|路透|综合|綜合|等$|报道|報導|报导|媒体|媒體|外电|外電")

# Closing-line patterns: role label, then names up to the next label or bracket.
_ROLE_SEQ = re.compile(
    r"(?P<role>记者|記者|撰稿|撰文|编写|編寫|编译|編譯|译者|譯者|翻译|翻譯|责编|責編|网编|網編|责任编辑|責任編輯|"
    r"编辑|編輯|核稿|审校|審校|发稿|發稿)\s*[：:／/]\s*(?P<names>[^：:（）()【】\n]{1,60}?)"
    r"(?=\s*(?:记者|記者|撰稿|撰文|编写|編寫|编译|編譯|译者|譯者|翻译|翻譯|责编|責編|网编|網編|责任编辑|責任編輯|"
    r"编辑|編輯|核稿|审校|審校|发稿|發稿)\s*[：:／/]|[）)；;。\n#＃]|\d{7}|$)"
)
_ROLE_ORDER = {
    "记者": 0, "記者": 0, "撰稿": 0, "撰文": 0, "编写": 0, "編寫": 0,
    "编译": 1, "編譯": 1, "译者": 1, "譯者": 1, "翻译": 1, "翻譯": 1,
}  # fmt: skip


def _names(text: str) -> list[str]:
    text = _PAREN_ROLE.sub(" ", text)
    text = _ROLE_LABEL.sub(" ", text)
    text = _OUTLETS.sub(" ", text)
    out = []
    for part in _SEPARATORS.split(text):
        name = re.sub(r"\s+", " ", part).strip(" .·")
        name = re.sub(rf"^(?:{_ROLE_WORDS})\s+", "", name)
        name = re.sub(rf"\s*(?:{_ROLE_WORDS})$", "", name)
        if name and _NAME.match(name) and not _AGENCY.search(name):
            out.append(name)
    return out


def _dedupe(names: list[str]) -> list[str]:
    seen: list[str] = []
    for n in names:
        if n.casefold() not in {s.casefold() for s in seen}:
            seen.append(n)
    return seen


def header_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for line in header:
        if _TIMEISH.match(line):
            continue
        names.extend(_names(line))
    return names


def closing_names(lines: list[str]) -> list[str]:
    """Names from role-labelled closing lines, authors first, then translators, then editors."""
    found: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines):
        for m in _ROLE_SEQ.finditer(line):
            order = _ROLE_ORDER.get(m.group("role"), 2)
            for name in _names(m.group("names")):
                found.append((order, i, name))
    found.sort(key=lambda x: (x[0], x[1]))
    return [n for _, _, n in found]


def extract_byline(header: list[str], paragraphs: list[str], outlet: str) -> str | None:
    names = header_names(header)
    tail = paragraphs[-6:]
    names += closing_names(tail)
    names = _dedupe(names)
    return "/".join(names) if names else None
