"""Small HTML and time-format helpers shared by the outlet layouts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

import opencc

from etl.synth import words

PARIS = ZoneInfo("Europe/Paris")
BEIJING = timezone(timedelta(hours=8))
TAIPEI = timezone(timedelta(hours=8))
NEW_TAB = ' target="_blank" rel="noopener noreferrer"'  # links that open a new tab (most outlets)
CAPTION_STYLE = '<div><small style="color: #999;">{}</small></div>'
_RFC822_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RFC822_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def to_traditional(*texts: str) -> list[str]:
    """Convert single-line texts in one OpenCC call; Taiwan outlets write 台北 with 台 (s2tw gives 臺)."""
    return _converter().convert("\n".join(texts)).replace("臺", "台").split("\n")


def paragraphs(texts: list[str], prefix: str = "", figures: list[str] = ()) -> str:
    """`<p>` elements, with `figures` (pictures) spread evenly between them."""
    html = [f"<p>{prefix}{t}</p>" for t in texts]
    return "".join(spread_between(html, figures))


def spread_between(blocks: list[str], inserts: list[str]) -> list[str]:
    """blocks with inserts placed evenly between them: never before the first block nor after the last."""
    if not inserts or len(blocks) < 2:
        return blocks
    out = list(blocks)
    gaps = len(blocks) - 1
    # Insert from the back so earlier positions stay valid.
    for i in reversed(range(len(inserts))):
        out.insert(1 + (i * gaps) // len(inserts), inserts[i])
    return out


def add_links(rng: random.Random, texts: list[str], count: int, href: str, attrs: str = "") -> list[str]:
    """Wrap the opening clause of `count` paragraphs (never the first or last, which carry datelines and
    credits) in a link; `href` may hold `{n}`, filled with a random number. The text stays the same."""
    out = list(texts)  # a new list: callers edit it
    middle = list(range(1, len(texts) - 1))
    if count <= 0 or not middle:
        return out
    for i in sorted(rng.sample(middle, min(count, len(middle)))):
        text = out[i]
        cut = text.find("，")
        if 3 <= cut <= 40 and "<" not in text[:cut]:
            url = href.format(n=rng.randrange(10**6, 10**8))
            out[i] = f'<a href="{url}"{attrs}>{text[:cut]}</a>{text[cut:]}'
    return out


def image(rng: random.Random, host: str) -> str:
    return (
        f'<img src="https://images.weserv.nl/?url={host}/{rng.randrange(10**7, 10**8)}_303.jpg" width="100%">'
    )


def feedx_footer(rng: random.Random) -> str:
    second = rng.choice(words.FEEDX_DOMAINS)
    link = '<a href="https://{0}" style="color:orange" target="_blank">https://{0}</a>'
    return f"<br><hr><div>获取更多RSS：<br>{link.format('feedx.net')} <br>{link.format(second)}<br></div>"


def slug(text: str) -> str:
    return quote(text, safe="")


def utc_z(moment: datetime) -> str:
    """ISO 8601 UTC with whole seconds, the form every truth time uses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def rfc822(moment: datetime) -> str:
    return (
        f"{_RFC822_DAYS[moment.weekday()]}, {moment.day:02d} {_RFC822_MONTHS[moment.month - 1]} "
        f"{moment.year} {moment:%H:%M:%S} GMT"
    )


def roc_date_code(moment: datetime) -> str:
    local = moment.astimezone(TAIPEI)
    return f"{local.year - 1911}{local:%m%d}"


def join_agencies(names: list[str], rng: random.Random) -> str:
    if len(names) == 1:
        return names[0]
    sep = rng.choice(("、", "、", "，", ",", "/"))
    return sep.join(names)
