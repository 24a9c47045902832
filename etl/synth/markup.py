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
CAPTION_STYLE = '<div><small style="color: #999;">{}</small></div>'
_RFC822_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RFC822_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def to_traditional(*texts: str) -> list[str]:
    """Convert single-line texts in one OpenCC call; Taiwan outlets write 台北 with 台 (s2tw gives 臺)."""
    return _converter().convert("\n".join(texts)).replace("臺", "台").split("\n")


def paragraphs(texts: list[str], prefix: str = "") -> str:
    return "".join(f"<p>{prefix}{t}</p>" for t in texts)


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
