"""Bylines: person names only, joined with `/`: authors, then translators, then editors (RULES.md).

Where outlets put names:
- a byline element (Body.bylines): DW/NYT header `<div><i>NAME<br>TIME</i></div>`, BBC `Person > Name`,
  NYT 2022+ `<address>`;
- datelines: CNA `（中央社記者X台北4日電）`, Epoch Times `（大纪元记者X综合报导）`,
  RFA `自由亚洲电台记者X华盛顿报道`;
- role-labelled closing lines: RFA `责编：Y 网编：Z`, Reuters `编译 X；审校 Y`,
  CNA/RFI `（譯者：X／核稿：Y）`, NYT `翻译：X、Y`, BBC `（撰稿：X　责编：Y）`, Epoch Times `责任编辑：X`,
  FT `译者/X`, `本文编辑X`;
- DW's closing credit line `凝炼/李鱼（德新社、路透社）`, NYT author bios `Jane Doe是…`,
  CDT `© handle for 中国数字时代`.
Roles, places, outlet and agency names, and contributors (对此文有贡献, 补充报道) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from etl.dumps.body import Body

AUTHOR, TRANSLATOR, EDITOR = 0, 1, 2
Credit = tuple[int, list[str]]  # (AUTHOR, TRANSLATOR or EDITOR, names)
TAIL_PARAGRAPHS = 8
MAX_ROLE_LINE = 90

_AUTHOR_ROLES = "采访记者|記者|记者|撰稿|撰文|编写|編寫|作者|文字"
_TRANSLATOR_ROLES = "编译|編譯|译者|譯者|翻译|翻譯|摘译|摘譯"
_EDITOR_ROLES = "责任编辑|責任編輯|本文编辑|责编|責編|网编|網編|编辑|編輯|核稿|审校|審校|发稿|發稿|校对|校對"
_ROLES = f"{_AUTHOR_ROLES}|{_TRANSLATOR_ROLES}|{_EDITOR_ROLES}"
_ROLE_KIND = {
    **{r: AUTHOR for r in _AUTHOR_ROLES.split("|")},
    **{r: TRANSLATOR for r in _TRANSLATOR_ROLES.split("|")},
    **{r: EDITOR for r in _EDITOR_ROLES.split("|")},
}
# A role label: the role word, then a colon or slash, or whitespace before a name.
_LABEL = re.compile(rf"(?P<role>{_ROLES})\s*(?:[：:／/]\s*|\s+)(?=\S)")
_BRACKETED = re.compile(r"[（(]([^（）()]{2,80})[）)]")
_TIMEISH = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2},\s*\d|\d{2}/\d{2}/\d{4}|\d{4}\s*年|\d+\s*(分钟|小时|天)前)"
)
_OUTLET_NAMES = re.compile(
    r"德国之声中文网|德國之聲中文網|德国之声|德國之聲|自由亚洲电台|自由亞洲電台|美国之音|美國之音|法国国际广播电台|"
    r"纽约时报中文网|紐約時報中文網|纽约时报|紐約時報|大纪元|大紀元|中央社|BBC中文|BBC|\bnull\b"
)
_NOT_A_NAME = re.compile(
    r"社$|路透|综合|綜合|报道|報導|报导|媒体|媒體|外电|外電|中文网|中文網|本台|编辑部|編輯部|记者|記者|"
    r"提供|资料|資料|图片|圖片|来源|來源|摄影|攝影|邮箱|郵箱|电邮|電郵|^[\d\W_]+$"
)
_CONTRIBUTOR = re.compile(
    r"对此文有贡献|對此文有貢獻|对本文有贡献|對本文有貢獻|补充报道|補充報導|协助报道|協助報導"
)
# 2-4 characters, or a transliterated name with a middle dot (詹姆斯·加拉格尔).
_HAN_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}(?:[•·‧・][\u4e00-\u9fff]{1,6}){1,3})$")
_SENTENCE = re.compile(r"[。？！?!“”「」『』\"]")
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'\-]*(?: [A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'\-]*){0,4}$")
_SPLIT = re.compile(r"\s*[/／、，,;；|]\s*")
_TRAILING_JUNK = re.compile(r"[#＃\s.。]+$|\s+[\w.+-]+@[\w.-]+$")
_POSTING = re.compile(r"(?:駐|驻)\S{1,8}?(?:特派員|特派员)|(?:特派員|特派员)")
_PAREN = re.compile(r"[（(][^（）()]{0,30}[）)]")
_ROLE_ONLY = re.compile(_ROLES)
_ROLE_WORD = re.compile(rf"(?:{_ROLES})\s*[：:／/]?")
_ROLE_LABEL_START = re.compile(rf"(?:{_ROLES})\s*[：:／/]")
_SPACES = re.compile(r"\s+")
_SEGMENT_END = re.compile(r"[）)（(【】\n]|\d{6,}")
_SENT_FROM = re.compile(r"\s*(?:发自|發自)\S*")
_REPORTED = re.compile(r"^(?P<who>.*?)(?:报道|报导|報導)\s*$")
_DATELINE_VERB = re.compile(r"(?:综合|綜合|采访|採訪|编译|編譯)$")
_DAY = re.compile(r"\d{1,2}日")
_NYT_REPORTED_FROM = re.compile(r"^(?P<names>.{3,80}?)(?:自|从)\S{1,8}(?:报道|发回报道)。?$")
_NAME_JOINERS = re.compile(r"和|、|与|及|,")

# Dateline places, so that `記者張三台北4日電` gives 張三 (names are 2-3 characters, places 2-6).
_PLACES = tuple(
    sorted(
        [
            "台北",
            "臺北",
            "新北",
            "桃園",
            "新竹",
            "台中",
            "臺中",
            "台南",
            "臺南",
            "高雄",
            "基隆",
            "宜蘭",
            "花蓮",
            "台東",
            "臺東",
            "屏東",
            "嘉義",
            "彰化",
            "南投",
            "雲林",
            "苗栗",
            "澎湖",
            "金門",
            "馬祖",
            "東京",
            "首爾",
            "北京",
            "上海",
            "香港",
            "澳門",
            "紐約",
            "华盛顿",
            "華盛頓",
            "洛杉磯",
            "舊金山",
            "休士頓",
            "芝加哥",
            "多倫多",
            "溫哥華",
            "倫敦",
            "伦敦",
            "巴黎",
            "柏林",
            "布魯塞爾",
            "日內瓦",
            "莫斯科",
            "雪梨",
            "墨爾本",
            "新德里",
            "曼谷",
            "河內",
            "雅加達",
            "吉隆坡",
            "新加坡",
            "馬尼拉",
            "維也納",
            "羅馬",
            "華沙",
            "布拉格",
            "耶路撒冷",
            "開羅",
            "杜拜",
            "深圳",
            "廣州",
            "武漢",
            "廈門",
            "南京",
            "杭州",
            "成都",
            "重慶",
            "天津",
            "大阪",
            "台北市",
            "纽约",
            "洛杉矶",
            "旧金山",
            "多伦多",
            "温哥华",
            "布鲁塞尔",
            "日内瓦",
            "悉尼",
            "墨尔本",
            "首尔",
            "东京",
            "维也纳",
            "罗马",
            "华沙",
            "耶路撒冷",
            "开罗",
            "迪拜",
            "广州",
            "武汉",
            "厦门",
            "重庆",
            "台湾",
            "臺灣",
            "台灣",
            "曼谷",
            "河内",
            "雅加达",
            "马尼拉",
            "波士顿",
            "西雅图",
            "芝加哥",
        ],
        key=len,
        reverse=True,
    )
)


def _strip_place(chunk: str) -> str:
    """`張淑伶上海` -> `張淑伶`: drop a known place, else keep the usual 2-3 character name."""
    for place in _PLACES:
        if chunk.endswith(place) and len(chunk) - len(place) >= 2:
            return chunk[: -len(place)]
    if len(chunk) >= 5:
        return chunk[:3]
    if len(chunk) == 4:
        return chunk[:2]
    return chunk


def _valid(name: str) -> bool:
    if not name or _NOT_A_NAME.search(name) or _ROLE_ONLY.fullmatch(name):
        return False
    return bool(_HAN_NAME.match(name) or (_LATIN_NAME.match(name) and len(name) >= 3))


def names_in(text: str) -> list[str]:
    """Person names in a short byline text: roles, brackets and outlet names removed."""
    text = _PAREN.sub(" ", text)
    text = _OUTLET_NAMES.sub(" ", text)
    text = _POSTING.sub(" ", text)
    text = _ROLE_WORD.sub(" ", text)
    text = _TRAILING_JUNK.sub("", text)
    out = []
    for part in _SPLIT.split(text):
        part = _SPACES.sub(" ", part).strip(" .·#＃")
        if not part:
            continue
        tokens = part.split(" ")
        # Chinese names never contain spaces: `胡力汉 嘉远` are two names.
        pieces = tokens if all(_HAN_NAME.match(t) for t in tokens) else [part]
        out.extend(p for p in pieces if _valid(p))
    return out


def _role_segments(line: str) -> list[tuple[int, list[str]]]:
    """(kind, names) for each role label in a line: `记者：A 责编：B C 网编：D`."""
    labels = list(_LABEL.finditer(line))
    found = []
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
        segment = line[label.end() : end]
        segment = _SEGMENT_END.split(segment, maxsplit=1)[0]
        if len(segment) > 40 or _SENTENCE.search(segment):
            continue  # running text after a word like 记者：, not a credit
        kind = _ROLE_KIND[label.group("role")]
        if kind == AUTHOR:
            segment = _reporter_segment(segment)
        found.append((kind, names_in(segment)))
    return found


def _reporter_segment(segment: str) -> str:
    """`蔡凌巴黎报道` / `夏小华 台北报导` / `冯兆音 发自华盛顿` -> the reporter's name only."""
    segment = _SENT_FROM.sub("", segment)
    m = _REPORTED.match(segment.strip())
    if not m:
        return segment
    tokens = m.group("who").split()
    if len(tokens) >= 2:
        return " ".join(tokens[:-1])  # the token glued to 报道 is the place
    return _strip_place(tokens[0]) if tokens else ""


_DATELINE = re.compile(
    r"[（(](?:中央社|大纪元|大紀元)(?:(?:駐|驻)\S{1,6}?特派(?:員|员)|(?:特约|特約|实习|實習)?(?:记者|記者))"
    r"(?P<who>[^（）()]{2,30}?)(?:\d{1,2}日(?:專|专|綜合外|综合外)?(?:電|电)|(?:综合|綜合|采访|採訪|编译|編譯)?(?:报导|報導|报道))[）)]"
)
_RFA_REPORTER = re.compile(r"(?:自由亚洲电台|自由亞洲電台)(?:特约)?记者\s*(?P<seg>\S.*?(?:报道|报导|報導))")
_DW_CREDIT = re.compile(r"^(?P<names>[^（()）]{2,40}?)\s*[（(](?P<inner>[^（）()]{1,60})[）)]\s*$")
_NYT_BIO = re.compile(
    r"^(?P<names>[A-Z][A-Za-zÀ-ÿ.'\-]+(?: [A-Z][A-Za-zÀ-ÿ.'\-]+){1,3}"
    r"(?:(?:和|、|与|及)[A-Z][A-Za-zÀ-ÿ.'\-]+(?: [A-Z][A-Za-zÀ-ÿ.'\-]+){1,3})*)"
    r"(?:是|为|為|于|於|曾|自|从|在|目前|现|現)"
)
_CDT_HANDLE = re.compile(r"^©\s*(?P<who>.{1,30}?)\s+for\s+中国数字时代")
_COUNTRY = re.compile(
    r"[国國洲]$|[国國洲]、|瑞典|丹麦|丹麥|挪威|芬兰|芬蘭|瑞士|荷兰|荷蘭|印度|巴西|欧盟|歐盟|北约|北約"
)
_FT_LEAD = re.compile(r"^(?P<names>[\u4e00-\u9fff•·]{2,12}(?:、[\u4e00-\u9fff•·]{2,12}){0,3})：")
_EDITOR_GLUED = re.compile(r"本文(?:编辑|編輯)\s*(?P<who>[\u4e00-\u9fff]{2,4})")


def _dateline_names(text: str) -> list[str]:
    names = []
    for m in _DATELINE.finditer(text[:80]):
        who = _DATELINE_VERB.sub("", m.group("who"))
        parts = _SPLIT.split(who)
        if _DAY.search(m.group(0)):
            parts[-1] = _strip_place(parts[-1])
        else:
            parts[-1] = next((parts[-1][: -len(pl)] for pl in _PLACES if parts[-1].endswith(pl)), parts[-1])
        names += [p for p in parts if _valid(p)]
    return names


def _title_case(name: str, known: list[str]) -> str:
    for k in known:
        if k.casefold() == name.casefold():
            return k
    return name


def _rfa_reporter_names(line: str) -> list[str]:
    """`自由亚洲电台记者X华盛顿报道` in a short line -> [X]."""
    m = _RFA_REPORTER.search(line)
    if m and len(line) <= MAX_ROLE_LINE:
        return names_in(_reporter_segment(m.group("seg")))
    return []


def _role_credits(line: str) -> Iterator[Credit]:
    """Names from an RFA reporter line, role labels (`责编：X`) and `本文编辑X` in one closing line."""
    yield AUTHOR, _rfa_reporter_names(line)
    # A long line is running text: only its brackets can be credits (`（譯者：X／核稿：Y）`).
    candidates = [line] if len(line) <= MAX_ROLE_LINE else [b.group(1) for b in _BRACKETED.finditer(line)]
    for text in candidates:
        yield from _role_segments(text)
        for glued in _EDITOR_GLUED.finditer(text):
            yield EDITOR, names_in(glued.group("who"))


def _dw_credit_names(line: str) -> list[str]:
    """DW's closing `凝炼/李鱼（德新社、路透社）`: the names, when every item before the bracket is a name."""
    m = _DW_CREDIT.match(line) if len(line) <= 60 else None
    if not m:
        return []
    names = names_in(m.group("names"))
    items = [x for x in _SPLIT.split(m.group("names")) if x.strip()]
    return names if len(names) == len(items) else []


def _nyt_bio_names(paragraphs: list[str]) -> list[str]:
    """Authors named by NYT closing bios (`Jane Doe是…`, `Jane Doe自北京报道。`), as the bio spells them."""
    bios: list[str] = []
    for p in paragraphs[-TAIL_PARAGRAPHS:]:
        m = _NYT_BIO.match(p) or _NYT_REPORTED_FROM.match(p)
        if m and not _CONTRIBUTOR.search(p):
            bios += [n.strip() for n in _NAME_JOINERS.split(m.group("names")) if _LATIN_NAME.match(n.strip())]
    return bios


def _name_tokens(name: str) -> set[str]:
    return set(name.casefold().replace(".", "").split())


def _named_in_bios(name: str, bios: list[str]) -> bool:
    """`JANE DOE` or `Jane Doe` in the header is the bio's `Jane Doe` (listed once, in the bio's spelling)."""
    tokens = _name_tokens(name)
    return any(tokens <= _name_tokens(bio) for bio in bios)


def _closing_lines(body: Body) -> list[str]:
    """The story's last paragraphs (minus contributor notes) and the boilerplate footers that credit
    (CDT handle, NYT footer `翻译：…`); related links never do."""
    tail = [p for p in body.paragraphs[-TAIL_PARAGRAPHS:] if not _CONTRIBUTOR.search(p)]
    return tail + [b for b in body.boilerplate if _CDT_HANDLE.match(b) or _ROLE_LABEL_START.match(b)]


# --- the rules: each yields (kind, names) in the order the outlet lists them ------------------------------


def _header_and_bio_authors(body: Body, outlet: str) -> Iterator[Credit]:
    """NYT bio authors first, then the header byline's names not already named by a bio."""
    bios = _nyt_bio_names(body.paragraphs) if outlet == "nyt" else []
    header = [n for line in body.bylines if not _TIMEISH.match(line) for n in names_in(line)]
    yield AUTHOR, bios + [_title_case(n, bios) for n in header if not _named_in_bios(n, bios)]


def _dateline_authors(body: Body, outlet: str) -> Iterator[Credit]:
    """CNA and Epoch Times datelines open a story; roundups hold several."""
    for p in body.paragraphs:
        head = p[:40]
        if "社" in head or "纪元" in head or "紀元" in head:
            yield AUTHOR, _dateline_names(p)


def _rfa_reporter_lead(body: Body, outlet: str) -> Iterator[Credit]:
    """RFA's reporter line among the first two paragraphs."""
    for p in body.paragraphs[:2]:
        yield AUTHOR, _rfa_reporter_names(p)


def _ft_lead_authors(body: Body, outlet: str) -> Iterator[Credit]:
    """FT's opening `张三、李四：…` (not a country speaking: `美国：…`)."""
    m = _FT_LEAD.match(body.paragraphs[0]) if outlet == "ft" and body.paragraphs else None
    if m and not _COUNTRY.search(m.group("names")):
        yield AUTHOR, names_in(m.group("names"))


def _closing_credits(body: Body, outlet: str) -> Iterator[Credit]:
    """Per closing line: a CDT handle, else role-labelled credits, and DW's credit line."""
    for line in _closing_lines(body):
        handle = _CDT_HANDLE.match(line)
        if handle:
            yield AUTHOR, [handle.group("who").strip()]
            continue
        if _ROLE_ONLY.search(line):  # the reporter, role-label and 本文编辑 credits all hold a role word
            yield from _role_credits(line)
        if outlet == "dw":
            yield AUTHOR, _dw_credit_names(line)


# In this order: within a kind (authors, translators, editors) names keep the order the rules find them.
BYLINE_RULES = (
    _header_and_bio_authors,
    _dateline_authors,
    _rfa_reporter_lead,
    _ft_lead_authors,
    _closing_credits,
)


def extract_byline(body: Body, outlet: str) -> str | None:
    """The names BYLINE_RULES find, joined with `/`: authors, then translators, then editors, each name once
    (case-insensitive); None when there is none."""
    found = [(kind, name) for rule in BYLINE_RULES for kind, names in rule(body, outlet) for name in names]
    found.sort(key=lambda item: item[0])  # stable: authors, translators, editors, each in the order found
    names: list[str] = []
    seen: set[str] = set()
    for _, name in found:
        if name.casefold() not in seen:  # a name listed once
            seen.add(name.casefold())
            names.append(name)
    return "/".join(names) if names else None
