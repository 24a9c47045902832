"""One renderer per outlet: the outlet's real markup conventions around a synthetic story.

Each renderer returns the body HTML (one line) and what a correct parser must make of it (the truth). Times:
`published` is the moment the outlet published (UTC); each outlet writes it in its own form (or not at all).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from etl.synth import markup as m
from etl.synth import words
from etl.synth.agencies import DW_CREDITS, VOA_CREDITS, zh_name
from etl.synth.shape import SHAPES, count_for
from etl.synth.story import Cast, Story, caption, filler, make_story, person


@dataclass
class Rendered:
    outlet: str
    url: str  # canonical spelling (https, no noise)
    title: str  # the title a parser must report
    written_title: str  # as written in the [title](url) line (suffixes, entities)
    html: str
    story: Story
    credited: tuple[str, ...] = ()
    compiled: bool = False
    outlet_time: datetime | None = None  # the outlet's own time, UTC, as precise as its markup
    outlet_date: str | None = None  # a date-only outlet date
    degenerate: str | None = None
    script: str = "hans"
    layout: str = ""  # layout variant name, for coverage tests

    # Degenerate bodies keep at most the lead paragraph, where no citation is placed and a topic may be
    # mentioned only once: nothing is promised for them (neither attribution nor topics).
    @property
    def cited(self) -> tuple[str, ...]:
        return () if self.degenerate else tuple(a for a in self.story.cited if a not in self.credited)

    @property
    def topics(self) -> tuple[str, ...]:
        return () if self.degenerate else self.story.topics

    @property
    def primary_topic(self) -> str | None:
        return None if self.degenerate else self.story.primary

    @property
    def passing_topics(self) -> tuple[str, ...]:
        return () if self.degenerate else self.story.passing

    @property
    def digest(self) -> bool:
        return not self.degenerate and self.story.digest


Renderer = Callable[..., Rendered]  # (rng, serial, published, coverage=None)


@dataclass
class Coverage:
    """What the plan says about one article beyond its outlet (etl/synth/plan.py): the happening it reports
    (`cast`: the reports of one event share it), or the earlier story it reprints (`story`, copied as it is,
    in traditional script when `traditional`, crediting `credit` when given). Planted articles are never
    degenerate (a teaser, a bare title): their truth promises a detectable copy or report."""

    cast: Cast | None = None
    story: Story | None = None
    traditional: bool | None = None
    credit: tuple[str, ...] | None = None


def _story(rng: random.Random, coverage: Coverage | None, **options) -> Story:
    if coverage is not None and coverage.story is not None:
        return copy.deepcopy(coverage.story)
    return make_story(rng, cast=coverage.cast if coverage else None, **options)


def _extras(rng: random.Random, outlet: str, story: Story) -> tuple[int, int]:
    """How many in-body pictures and in-text links a story of this length gets at its outlet."""
    shape = SHAPES[outlet]
    chars = sum(len(t) for t in story.paragraphs)
    return count_for(rng, shape.figures_per_k, chars), count_for(rng, shape.links_per_k, chars)


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _entity_title(rng: random.Random, title: str) -> tuple[str, str]:
    """Sometimes add an entity-encoded tail: (written, expected)."""
    if rng.random() < 0.03:
        return title + "（问&amp;答）", title + "（问&答）"
    return title, title


# --- DW


def _dw_credit(rng: random.Random) -> tuple[str, tuple[str, ...], bool]:
    editors = "/".join(person(rng) for _ in range(rng.choice((1, 2, 2))))
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(("（综合报导）", "（综合报道）", f"{editors}（综合报导）")), (), True
    codes = rng.sample(DW_CREDITS, k=rng.choice((1, 2, 2, 3)))
    names = m.join_agencies([zh_name(c) for c in codes], rng)
    open_, close = rng.choice((("（", "）"), ("（", "）"), (" (", ")"), ("(", "）")))
    if roll < 0.3:
        return f"{open_.strip()}{names}等{close}", tuple(sorted(codes)), False
    if roll < 0.36:
        return f"{editors}{open_}据{names}等{close}", tuple(sorted(codes)), False
    return f"{editors}{open_}{names}{close}", tuple(sorted(codes)), False


def _dw_copyright(rng: random.Random, year: int) -> str:
    text = "德国之声版权声明：本文内容受版权保护，未经德国之声授权不得转载或改编。"
    form = rng.random()
    if form < 0.2:
        return f"<p><em>© {year}</em><em>年{text}</em></p>"
    space = " " if form < 0.5 else ""
    return f"<p><em>© {year}年{space}{text}</em></p>"


_DW_SUBHEADS = ("事件经过", "各方反应", "背景", "下一步怎么走", "争议焦点")
_AUTO_TOPIC = '<span data-id="{}" data-type="AUTO_TOPIC" title="Automatische Themenseite">{}</span>'


def _dw_paragraphs(rng: random.Random, story: Story, links: int) -> list[str]:
    """Story paragraphs the DW way: topic names wrapped in AUTO_TOPIC spans, bold subheads, links."""
    keywords = [k for t in story.topics for k in words.TOPICS[t]["kw"]]
    texts = m.add_links(rng, story.paragraphs, links, "https://www.dw.com/zh/synthetic/a-{n}")
    out = [("（德国之声中文网）" if rng.random() < 0.5 else "") + texts[0]]
    for i, text in enumerate(texts[1:], 1):
        if i % 4 == 3 and rng.random() < 0.4:
            out.append(f"<strong>{rng.choice(_DW_SUBHEADS)}</strong>")
        if rng.random() < 0.3:
            found = next((k for k in keywords if k in text), None)
            if found:
                text = text.replace(found, _AUTO_TOPIC.format(rng.randrange(10**7, 10**8), found), 1)
        out.append(text)
    return out


def _dw_figure(rng: random.Random) -> str:
    return m.image(rng, "static.dw.com/image") + m.CAPTION_STYLE.format(caption(rng))


def _dw_gallery(rng: random.Random, min_chars: float = 0) -> str:
    """A picture gallery: a heading, then 8-12 images (more to reach min_chars of text), each with a bold
    place name and a few sentences."""
    items, chars, count = [], 0, rng.randint(8, 12)
    while len(items) < count or chars < min_chars:
        place, text = rng.choice(words.PLACES), filler(rng, 2)
        items.append(f"<div>{m.image(rng, 'static.dw.com/image')}<b>{place}</b>{text}</div>")
        chars += len(place) + len(text)
    return f"<h3>图片集：{rng.choice(words.PLACES)}的一周</h3>{''.join(items)}"


def _dw_video_teaser(
    serial: int, published: datetime, story: Story, page: tuple[str, str, str], traditional: bool
) -> Rendered:
    """A video teaser: a line of text and a `<video>`, no header time, no credit. `page`: (url, expected
    title, written title)."""
    url, expected, title = page
    html = (
        f'<p>{story.paragraphs[0]}</small></p><video src="https://tvdownloaddw-a.akamaihd.net/dwtv_video/'
        f'flv/vdt_zh/{published:%Y}/bchi{serial:06d}_sd.mp4" controls style="width:100%"></video>'
    )
    r = Rendered("dw", url, expected, title, html, story, degenerate="video_only", layout="dw_video")
    if traditional:
        r.html, r.title, r.written_title = m.to_traditional(r.html, r.title, r.written_title)
        r.script, r.layout = "hant", "dw_video_hant"
    return r


def _dw_header(rng: random.Random, published: datetime) -> tuple[str, bool]:
    """(`<div><i>[byline]<br>time</i></div>`, the byline says the story is compiled)."""
    byline = person(rng) if rng.random() < 0.5 else ""
    compiled = False
    if byline and rng.random() < 0.15:
        byline, compiled = byline + rng.choice(("（综合报道）", " （综合报导）")), True
    return f"<div><i>{byline}<br>{m.iso_ms(published)}</i></div>", compiled


def _dw_footer(
    rng: random.Random, coverage: Coverage | None, published: datetime
) -> tuple[str, tuple[str, ...], bool]:
    """(credit line, disclaimer and copyright, the agencies credited, the credit says compiled)."""
    credit, credited, compiled = _dw_credit(rng) if rng.random() < 0.7 else ("", (), False)
    if coverage is not None and coverage.credit is not None:  # a reprint credits its source's agency
        names = m.join_agencies([zh_name(c) for c in coverage.credit], rng)
        credit, credited, compiled = f"{person(rng)}（{names}）", tuple(sorted(coverage.credit)), False
    html = f"<p>{credit}</p>" if credit else ""
    if rng.random() < 0.1:
        html += "<p><em>摘编自其他媒体的内容，不代表德国之声的立场。</em></p>"
    return html + _dw_copyright(rng, published.year), credited, compiled


def _dw_mixed_gallery(rng: random.Random, traditional: bool, story_chars: int) -> tuple[str, bool]:
    """(a picture gallery or "", the article is mixed). DW's traditional stories sometimes embed a gallery
    left in simplified script: a mixed article. Mixed means a real share of the text in the other script
    (RULES.md: 30%): its gallery is sized to the story."""
    has_gallery = rng.random() < 0.15
    mixed = traditional and has_gallery and rng.random() < 0.5
    return (_dw_gallery(rng, 0.7 * story_chars if mixed else 0) if has_gallery else ""), mixed


def dw(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    traditional = rng.random() < 0.25
    if coverage is not None and coverage.traditional is not None:
        traditional = coverage.traditional
    # ~150 characters of DW text are not the story: galleries (one story in seven), captions, copyright.
    story = _story(rng, coverage, traditional_style=traditional, shape=SHAPES["dw"], reserve=150)
    title, expected = _entity_title(rng, story.title)
    url = f"https://www.dw.com/zh/{m.slug(story.title)}/a-{68000000 + serial}"
    if coverage is None and rng.random() < 0.08:
        return _dw_video_teaser(serial, published, story, (url, expected, title), traditional)
    header, compiled = _dw_header(rng, published)
    figure = m.image(rng, "static.dw.com/image") + (
        m.CAPTION_STYLE.format(story.captions[0]) if story.captions else ""
    )
    n_figures, n_links = _extras(rng, "dw", story)
    texts = _dw_paragraphs(rng, story, n_links)
    cut = max(2, len(texts) - 2)
    pictures = [_dw_figure(rng) for _ in range(n_figures)]
    before, after = m.paragraphs(texts[:cut], figures=pictures), m.paragraphs(texts[cut:])
    footer, credited, credit_compiled = _dw_footer(rng, coverage, published)
    after += footer
    story_chars = sum(len(t) for t in story.paragraphs) + 20 * len(pictures)
    gallery, mixed = _dw_mixed_gallery(rng, traditional, story_chars)
    script, layout = "hans", "dw"
    if traditional:
        head, before, after, title, expected = m.to_traditional(
            header + figure, before, after, title, expected
        )
        header, figure = head, ""
        if not mixed:
            (gallery,) = m.to_traditional(gallery)
        script, layout = ("mixed", "dw_mixed") if mixed else ("hant", "dw_hant")
    html = header + figure + before + gallery + after
    return Rendered(
        "dw", url, expected, title, html, story, credited=credited, compiled=compiled or credit_compiled,
        outlet_time=_whole_seconds(published), script=script, layout=layout,
    )  # fmt: skip


# --- VOA


def _voa_credit(rng: random.Random, codes: tuple[str, ...] | None = None) -> tuple[str, tuple[str, ...]]:
    codes = codes or rng.sample(VOA_CREDITS, k=rng.choice((1, 1, 2, 3)))
    names = [zh_name(c) for c in codes]
    joined = names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]
    verb = rng.choice(("依据了", "参考了", "采用了", "参考", "依据"))
    sentence = f"本文{verb}{joined}的报道"
    form = rng.random()
    if form < 0.4:
        text = f"（{sentence}）"
    elif form < 0.6:
        text = f"({sentence}。)"
    elif form < 0.8:
        text = f"（<em>{sentence}。</em>）"
    else:
        text = f"<em>（{sentence}。）</em>"
    return f"<p>{text}</p>", tuple(sorted(codes))


def voa(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["voa"])
    title, expected = _entity_title(rng, story.title)
    url = f"https://www.voachinese.com/a/synthetic-story-{published:%Y%m%d}/{7000000 + serial}.html"
    header = f"<div><i>{m.rfc822(published)}</i></div>"
    # A video over a story of at most two short paragraphs is a video teaser (RULES.md `video_only`): a VOA
    # article of that size gets a picture, so that its truth stays "not degenerate".
    teaser_sized = len(story.paragraphs) <= 2 and sum(map(len, story.paragraphs)) <= 300
    if rng.random() < 0.2 and not teaser_sized:
        media = (
            f'<video poster="https://images.weserv.nl?url=gdb.voanews.com/{serial:08x}_w900.jpg" '
            f'src="https://av.voanews.com/Videoroot/{serial:08x}_240p.mp4" style="width:100%" '
            "controls></video>"
        )
    else:
        media = m.image(rng, "gdb.voanews.com")
    if story.captions:
        media += m.CAPTION_STYLE.format(story.captions[0])
    n_figures, n_links = _extras(rng, "voa", story)
    texts = m.add_links(rng, story.paragraphs, n_links, "https://www.voachinese.com/a/synthetic/{n}.html")
    pictures = [
        m.image(rng, "gdb.voanews.com") + m.CAPTION_STYLE.format(caption(rng)) for _ in range(n_figures)
    ]
    body = m.paragraphs(texts, figures=pictures)
    credited: tuple[str, ...] = ()
    if coverage is not None and coverage.credit is not None:  # a reprint credits its source's agency
        credit, credited = _voa_credit(rng, coverage.credit)
        body += credit
    elif rng.random() < 0.45:
        credit, credited = _voa_credit(rng)
        body += credit
    html = header + media + body
    return Rendered(
        "voa", url, expected, title, html, story, credited=credited,
        outlet_time=_whole_seconds(published), layout="voa",
    )  # fmt: skip


# --- RFI

RFI_SUFFIX = " – 法国国际广播电台 - RFI"
_RFI_TRUNCATION = (
    '<button data-readmore-unlocker class="m-interstitial__unlock-btn">'
    '<span class="m-interstitial__unlock-btn__text">'
    "继续浏览后续</span></button>"
)


def rfi(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=True, shape=SHAPES["rfi"])
    paris = published.astimezone(m.PARIS)
    header = f"<div>{paris:%d/%m/%Y - %H:%M}</div>"
    url = f"https://www.rfi.fr/cn/{m.slug('国际')}/{published:%Y%m%d}-{m.slug(story.title)}-{serial}"
    img = (
        f'<img src="https://s.rfi.fr/media/display/{rng.getrandbits(64):016x}/w:310/p:16x9/{serial:08d}.jpg">'
    )
    wire = rng.random() < 0.7
    outlet_time = paris.replace(second=0, microsecond=0)
    title, expected = _entity_title(rng, story.title)
    credited: tuple[str, ...] = ()
    indent = "    "
    _, n_links = _extras(rng, "rfi", story)
    texts = m.add_links(rng, story.paragraphs, n_links, "https://www.rfi.fr/cn/synthetic/{n}")
    if wire:
        city = rng.choice(words.PLACES)
        texts[0] = f"（法新社{city}{paris.day}日电）{indent}{texts[0]}"
        credited = ("AFP",)
    if (
        coverage is None and rng.random() < 0.06
    ):  # the capture stops at the read-more button, after the lead paragraph
        html = (
            f'{header}{img}<div class="t-content__body u-clearfix"><div class="m-interstitial"></div>'
            f'<p>{texts[0]}</p><div class="m-block-ad__content"></div></div>{_RFI_TRUNCATION}'
        )
        return Rendered(
            "rfi", url, expected, title + RFI_SUFFIX, html, story, credited=credited,
            outlet_time=outlet_time, degenerate="truncated", layout="rfi_truncated",
        )  # fmt: skip
    if rng.random() < 0.4:
        texts[-1] += f"（译者：{person(rng)}/核稿：{person(rng)}）"
    body = "".join(f"<p>{indent if i else ''}{t}</p>" for i, t in enumerate(texts))
    if wire:
        body += f'<p class="t-copyright">© {paris.year} AFP</p>'
    opening = '<div class="t-content__body u-clearfix"><div class="m-interstitial"></div>'
    html = f"{header}{img}{opening}{body}        </div>"
    written = title + RFI_SUFFIX
    layout = "rfi_afp" if wire else "rfi_own"
    if not wire and rng.random() < 0.5:
        written = f"{title} - {rng.choice(words.RFI_PROGRAMMES)}"
    return Rendered(
        "rfi", url, expected, written, html, story, credited=credited,
        outlet_time=outlet_time, layout=layout,
    )  # fmt: skip


# --- Reuters


def reuters(
    rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None
) -> Rendered:
    story = _story(
        rng,
        coverage,
        traditional_style=False,
        shape=SHAPES["reuters"],
        exclude_cited=("Reuters",),
        dateline=REUTERS_DATELINE,
    )
    title, expected = _entity_title(rng, story.title)
    written = title + (" | 路透" if rng.random() < 0.3 else "")
    url = f"https://cn.reuters.com/article/synthetic-{published:%m%d}-idCNKBS{serial:07d}"
    stamp = f"{published:%Y-%m-%dT%H:%M:%S}" + ("Z" if rng.random() < 0.6 else "")
    header = f"<div><i>{stamp}</i></div>"
    if coverage is None and rng.random() < 0.03:  # date only
        return Rendered(
            "reuters", url, expected, written, header, story, credited=("Reuters",),
            outlet_time=_whole_seconds(published), degenerate="date_only", layout="reuters_date_only",
        )  # fmt: skip
    media = ""
    if story.captions and rng.random() < 0.3:  # one Reuters story in five has a picture
        media = m.image(rng, "static.reuters.com/resources") + m.CAPTION_STYLE.format(
            f"{story.captions[0]}REUTERS/{rng.choice(words.WESTERN_NAMES)}"
        )
    city = rng.choice(("北京", "上海", "香港", "台北", "华盛顿", "东京", "新加坡"))
    _, n_links = _extras(rng, "reuters", story)
    texts = m.add_links(rng, story.paragraphs, n_links, "https://cn.reuters.com/article/synthetic-idCNKBS{n}")
    texts[0] = f"路透{city}{published.month}月{published.day}日 - {texts[0]}"
    texts[-1] += rng.choice(("（完）", " (完) "))
    body = "".join(f"<p>{t} </p>" for t in texts)
    attribution = (
        '<div class="Attribution_container"><div class="Attribution_attribution">'
        '<p class="Attribution_content">'
        f"编译 {person(rng)}/{person(rng)}；审校 {person(rng)}</p></div></div>"
    )
    if rng.random() < 0.5:
        body = f'<div class="StandardArticleBody_body">{body}{attribution}</div>'
    html = header + media + body
    return Rendered(
        "reuters", url, expected, written, html, story, credited=("Reuters",),
        outlet_time=_whole_seconds(published), layout="reuters",
    )  # fmt: skip


# --- NYT


def nyt(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["nyt"], digest_rate=NYT_DIGEST_RATE)
    title, expected = _entity_title(rng, story.title)
    section = rng.choice(("world", "china", "business", "usa", "technology"))
    url = f"https://cn.nytimes.com/{section}/{published:%Y%m%d}/synthetic-{serial}/"
    beijing = published.astimezone(m.BEIJING)
    authors = [rng.choice(words.WESTERN_NAMES) for _ in range(rng.choice((1, 1, 2)))]
    translator = person(rng)
    bio = f"{authors[0]}是《纽约时报》记者，常驻{rng.choice(words.PLACES)}。"
    lead_caption = story.captions[0] if story.captions else words.CAPTIONS[1].format(place="纽约")
    if rng.random() < 0.4:  # the 2020 header form
        header = f"<div><i>{','.join(a.upper() for a in authors)}<br>{beijing:%Y-%m-%d %H:%M:%S}</i></div>"
        picture = "{}" + m.CAPTION_STYLE  # an image, then its caption
        footer = (
            f"<p>{bio}<br/>翻译：{translator}<br/>"
            f'<a rel="nofollow" target="_blank" href="https://www.nytimes.com/synthetic/{serial}.html">'
            "点击查看本文英文版。</a></p>"
        )
        layout = "nyt_2020"
    else:  # 2022+: <address> and <time pudate>, footer element
        header = (
            f"<address>{'、'.join(authors)}</address>"
            f'<time pudate="{beijing:%Y-%m-%d %H:%M:%S}">'
            f"{beijing.year}年{beijing.month}月{beijing.day}日</time>"
        )
        picture = "<figure>{}<figcaption>{}</figcaption></figure>"
        footer = (
            f"<footer><p>{bio}</p><p>翻译：{translator}</p>"
            f'<p><a href="https://www.nytimes.com/synthetic/{serial}.html">点击查看本文英文版。</a></p></footer>'
        )
        layout = "nyt_2022"
    media = picture.format(m.image(rng, "static01.nyt.com/images"), lead_caption)
    n_figures, n_links = _extras(rng, "nyt", story)
    texts = m.add_links(
        rng, story.paragraphs, n_links, f"https://cn.nytimes.com/{section}/synthetic-{{n}}/", m.NEW_TAB
    )
    pictures = [
        picture.format(m.image(rng, "static01.nyt.com/images"), caption(rng)) for _ in range(n_figures)
    ]
    html = header + media + m.paragraphs(texts, figures=pictures) + footer
    return Rendered(
        "nyt", url, expected, title, html, story, outlet_time=_whole_seconds(published), layout=layout
    )


# --- BBC

_BBC_PHOTO_CREDITS = ("AFP", "Reuters", "Getty Images", "EPA", "美联社")


# Every block sits in its own layout grid, as on BBC pages (long generated class names: markup weight).
_BBC_GRID = '<div dir="ltr" class="GridComponent-synth e57qer20 bbc-1151pbn">{}</div>'
_BBC_PARAGRAPH = '<p dir="ltr" class="Paragraph-synth e17g058b0 bbc-hhl7in">{}</p>'


def _bbc_figure(rng: random.Random, serial: int, text: str) -> str:
    """A picture with its photo credit (an agency name, not a story credit) and caption."""
    src = f"https://ichef.bbci.co.uk/news/640/cpsprodpb/{serial:X}/production/_{rng.randrange(10**8, 10**9)}"
    return _BBC_GRID.format(
        f'<figure><img alt="{text}" src="{src}_synthetic.jpg"><p><span>图像来源，</span>'
        f"{rng.choice(_BBC_PHOTO_CREDITS)}</p><figcaption><span>图像加注文字，</span>{text}</figcaption></figure>"
    )


def bbc(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["bbc"])
    title, expected = _entity_title(rng, story.title)
    url = f"https://www.bbc.com/zhongwen/simp/world-{68000000 + serial}"
    grid = _BBC_GRID
    h1 = grid.format(f'<h1 id="content" tabindex="-1">{title}</h1>')
    if coverage is None and rng.random() < 0.13:  # title only: the body is the bare headline text
        return Rendered(
            "bbc", url, expected, title, title, story, degenerate="title_only", layout="bbc_title_only"
        )
    # The date BBC prints is a day, sometimes the day before the feed item (a late-evening story).
    day = (published - timedelta(days=1 if rng.random() < 0.1 else 0)).date().isoformat()
    attr = rng.choice(("datetime", "dateTime"))
    time_div = grid.format(f'<time {attr}="{day}">{rng.randint(2, 59)} 分钟前</time>')
    if rng.random() < 0.2:  # a second <time>, the last update: not the publication date
        updated = (published + timedelta(days=1)).date().isoformat()
        time_div += grid.format(f'<time {attr}="{updated}">最近更新： {rng.randint(1, 9)} 小时前</time>')
    figure = _bbc_figure(rng, serial, story.captions[0] if story.captions else "资料图片")
    n_figures, n_links = _extras(rng, "bbc", story)
    texts = m.add_links(
        rng, story.paragraphs, n_links, "https://www.bbc.com/zhongwen/simp/synthetic-{n}", m.NEW_TAB
    )
    blocks = [grid.format(_BBC_PARAGRAPH.format(t)) for t in texts]
    pictures = [_bbc_figure(rng, serial, caption(rng)) for _ in range(n_figures)]
    body = "".join(m.spread_between(blocks, pictures))
    return Rendered(
        "bbc", url, expected, title, h1 + time_div + figure + body, story, outlet_date=day, layout="bbc"
    )


# --- CNA


def cna(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(
        rng,
        coverage,
        traditional_style=True,
        shape=SHAPES["cna"],
        exclude_cited=("CNA",),
        dateline=CNA_DATELINE,
    )
    local = published.astimezone(m.TAIPEI)
    _, n_links = _extras(rng, "cna", story)
    texts = m.add_links(
        rng, story.paragraphs, n_links, "https://www.cna.com.tw/news/aipl/synthetic{n}.aspx", m.NEW_TAB
    )
    compiled = False
    form = rng.random()
    if form < 0.5:
        texts[0] = f"（中央社記者{person(rng)}台北{local.day}日電）{texts[0]}"
    elif form < 0.75:
        texts[0] = f"（中央社台北{local.day}日電）{texts[0]}"
    elif form < 0.9:
        texts[0] = (
            f"（中央社記者{person(rng)}{rng.choice(('華盛頓', '東京', '布魯塞爾'))}"
            f"{local.day}日專電）{texts[0]}"
        )
    else:
        texts[0] = f"（中央社{rng.choice(('倫敦', '首爾', '柏林'))}{local.day}日綜合外電報導）{texts[0]}"
        compiled = True
    texts[-1] += f"（編輯：{person(rng)}）{m.roc_date_code(published)}"
    pic = ""
    if story.captions:
        cap = f"{story.captions[0]}（中央社記者{person(rng)}攝　{m.roc_date_code(published)}）"
        pic = (
            '<div class="fullPic"><div class="floatImg center"><div class="wrap">'
            f"{m.image(rng, 'imgcdn.cna.com.tw')}"
            f'</div><div class="picinfo">{cap}</div></div></div>'
        )
    html = f'{pic}<div></div><div class="paragraph">{m.paragraphs(texts)}</div>'
    html += '<div class="paragraph bottomArticleBanner show"><div class="pcBox adslot_infinite"></div></div>'
    title = story.title + ("[影]" if rng.random() < 0.1 else "")
    title, expected = _entity_title(rng, title)
    url = f"https://www.cna.com.tw/news/aipl/{local:%Y%m%d}{serial:04d}.aspx"
    expected, title, html = m.to_traditional(expected, title, html)
    return Rendered(
        "cna", url, expected, title, html, story,
        credited=("CNA",), compiled=compiled, script="hant", layout="cna",
    )  # fmt: skip


# --- RFA


def _rfa_picture(rng: random.Random, serial: int, text: str) -> str:
    """An inline picture whose caption ends with a photo credit (an agency name, not a story credit)."""
    photo = rng.choice(("（路透社资料图片）", "（AFP）", "（美联社图片）", "（法新社资料图片）"))
    src = f"https://www.rfa.org/mandarin/synthetic/{serial}-{rng.randrange(10**6)}.jpg"
    return (
        f'<p><div class="image-inline captioned"><div><img alt="{text}{photo}" src="{src}" width="1500"/>'
        "</div>"
        f'<div class="image-caption"><span>{text}{photo}</span><span class="copyright"> </span></div>'
        "</div></p>"
    )


def rfa(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["rfa"])
    title, expected = _entity_title(rng, story.title)
    url = f"https://www.rfa.org/mandarin/yataibaodao/synthetic-{published:%m%d%Y}{serial:06d}.html"
    n_figures, n_links = _extras(rng, "rfa", story)
    texts = m.add_links(
        rng, story.paragraphs, n_links, "https://www.rfa.org/mandarin/synthetic-{n}.html", m.NEW_TAB
    )
    if rng.random() < 0.1:  # RFA text carries stray U+2028 line separators
        texts[1] = texts[1].replace("。", "。\u2028", 1)
    html = "<p> </p>" + m.paragraphs(texts[:2])
    html += _rfa_picture(rng, serial, story.captions[0] if story.captions else "资料图片。")
    html += m.paragraphs(
        texts[2:], figures=[_rfa_picture(rng, serial, caption(rng)) for _ in range(n_figures)]
    )
    html += f"<p>记者：{person(rng)}  责编：{person(rng)}  网编：{person(rng)}</p><div></div><div></div>"
    return Rendered("rfa", url, expected, title, html, story, layout="rfa")


# --- FT and zaobao: no time markup at all


def ft(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["ft"])
    title, expected = _entity_title(rng, story.title)
    url = f"https://cn.ft.com/story/{1090000 + serial:09d}"
    n_figures, n_links = _extras(rng, "ft", story)
    lead, *rest = m.add_links(rng, story.paragraphs, n_links, "https://cn.ft.com/story/{n:09d}")
    picture = '<div class=" story-image image">{}</div>'
    pictures = [picture.format(m.image(rng, "thumbor.ftacademy.cn/unsafe")) for _ in range(n_figures)]
    html = (
        f'<div></div><div class="story-lead">{lead}</div><div class=" story-image image">'
        f"{m.image(rng, 'thumbor.ftacademy.cn/unsafe')}</div>"
        '<div class="story-body"><div id="story-body-container">'
        + m.paragraphs(rest[:3])
        + ("<!--pay wall 1: 0-->" if rng.random() < 0.3 else "")
        + m.paragraphs(rest[3:], figures=pictures)
        + f'<p>译者/{person(rng)}</p></div><div class="clearfloat"></div></div>'
    )
    return Rendered("ft", url, expected, title, html, story, layout="ft")


def zaobao(
    rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None
) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["zaobao"])
    title, expected = _entity_title(rng, story.title)
    url = f"https://www.zaobao.com/realtime/world/story{published:%Y%m%d}-{1400000 + serial}"
    ad = '<section id="imu"><div id="dfp-ad-imu1-wrapper" class="dfp-tag-wrapper"></div></section>'
    texts = story.paragraphs
    html = m.paragraphs(texts[:3]) + ad + m.paragraphs(texts[3:]) + '<div id="innity-in-post"></div>'
    return Rendered("zaobao", url, expected, title, html, story, layout="zaobao")


# --- China Digital Times: no time markup; some captures carry a `日期：` line instead of the feed comment


def _cdt_picture(rng: random.Random, published: datetime) -> str:
    """A WordPress image without caption: responsive sizes make its markup long."""
    src = f"https://chinadigitaltimes.net/chinese/files/{published:%Y/%m}/synthetic-{rng.randrange(10**6)}"
    wp_id = rng.randrange(10**5, 10**6)
    return (
        f'<p><img class="aligncenter size-full wp-image-{wp_id}" src="{src}.jpg" alt="" width="600" '
        f'height="400" srcset="{src}.jpg 600w, {src}-300x200.jpg 300w" sizes="(max-width: 600px) 100vw, '
        '600px" /></p>'
    )


def cdt(rng: random.Random, serial: int, published: datetime, coverage: Coverage | None = None) -> Rendered:
    story = _story(rng, coverage, traditional_style=False, shape=SHAPES["cdt"])
    title = rng.choice(("【CDT观察】", "【网络民议】", "")) + story.title
    title, expected = _entity_title(rng, title)
    slug = m.slug(f"{story.title}-{serial}").lower()  # CDT URLs use lower-case percent escapes
    url = f"https://chinadigitaltimes.net/chinese/{published:%Y}/{published:%m}/{slug}/"
    bullet = "● " if story.digest and rng.random() < 0.3 else ""  # the corpus bullets digests only
    tags = ", ".join(
        f'<a href="https://chinadigitaltimes.net/chinese/tag/{m.slug(k).lower()}/" rel="tag">{k}</a>'
        for k in sorted({words.TOPICS[t]["kw"][0] for t in story.topics})
    )
    n_figures, n_links = _extras(rng, "cdt", story)
    texts = m.add_links(
        rng, story.paragraphs, n_links, "https://chinadigitaltimes.net/chinese/{n}.html", m.NEW_TAB
    )
    pictures = [_cdt_picture(rng, published) for _ in range(n_figures)]
    html = m.paragraphs(texts, prefix=bullet, figures=pictures) + f"<p><small>标签：{tags}<br/></small></p>"
    return Rendered("cdt", url, expected, title, html, story, layout="cdt")


RENDERERS: dict[str, Renderer] = {
    "rfi": rfi,
    "reuters": reuters,
    "voa": voa,
    "dw": dw,
    "bbc": bbc,
    "nyt": nyt,
    "rfa": rfa,
    "zaobao": zaobao,
    "cna": cna,
    "ft": ft,
    "cdt": cdt,
}
# Topics the Reuters and CNA datelines may name (路透香港, 中央社台北, 東京, 首爾, 倫敦, 柏林): venues, which
# make_story keeps from being a second subject or a passing mention as well.
REUTERS_DATELINE = ("hong_kong", "taiwan", "japan", "southeast_asia")
CNA_DATELINE = ("taiwan", "japan", "korean_peninsula", "uk", "german_politics", "eu")
NYT_DIGEST_RATE = 0.16  # the corpus: 104 of 630 NYT files are 简报 digests (no other outlet here has them)

# Relative frequency of each outlet: its files per 100 in the real corpus (other outlets left out).
OUTLET_WEIGHTS = {
    "rfi": 205, "reuters": 170, "voa": 151, "dw": 147, "bbc": 129,
    "nyt": 63, "rfa": 62, "zaobao": 45, "cdt": 40, "cna": 38, "ft": 24,
}  # fmt: skip

# Page furniture: empty layout, ad and widget slots after the story. Real pages carry them, and they set
# most of an outlet's markup weight beyond its paragraphs (FT ~1.4 KB, CNA and RFA ~0.8 KB). Slots per file,
# each ~100 bytes, from the corpus's markup bytes per file minus what the layout already writes.
FURNITURE_SLOTS = {
    "rfi": 2, "reuters": 1, "voa": 2, "dw": 0, "bbc": 0,
    "nyt": 6, "rfa": 8, "zaobao": 2, "cdt": 9, "cna": 8, "ft": 14,
}  # fmt: skip
_SLOT = (
    '<div class="layout-slot o-grid-row" data-slot="{}-{}" data-trackable="synthetic-page-furniture"></div>'
)


def furniture(outlet: str) -> str:
    return "".join(_SLOT.format(outlet, i) for i in range(FURNITURE_SLOTS[outlet]))
