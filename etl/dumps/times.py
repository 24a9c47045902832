"""Publication times: the feed comment, the outlet's own time markup (regexes over raw HTML), fallbacks.

The markup is written by the feed generator, so it is recognised by its shape, not by outlet:
- `<div><i>[byline<br>]TIME</i></div>` at the top of the body: ISO with `Z` and milliseconds (DW), ISO without
  zone (Reuters: UTC; NYT 2020 `YYYY-MM-DD HH:MM:SS`: Beijing), RFC 822 `… GMT` (VOA), or a date only
  `2020年 7月 12日` (older BBC);
- `<div>21/07/2020 - 02:50</div>` (RFI, Paris local time);
- `<time pudate="…">` (NYT 2022+);
- `<time dateTime="2020-10-10">` (BBC: a date only; the first one is the publication date).
A time without an offset is read in the outlet's `naive_tz` from the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
_PARIS = ZoneInfo("Europe/Paris")
_HEAD_CHARS = 6000  # the header markup sits at the top of the body
_TOP_CHARS = 1500  # … within this many characters (the corpus maximum is under 700)

_ISO = re.compile(
    r"(?P<d>\d{4}-\d{2}-\d{2})[T ](?P<t>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2}|UTC|GMT)?",
    re.I,
)
_CN_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ITALIC_HEADER = re.compile(r"<div>\s*<i>(?P<inner>.{0,600}?)</i>\s*</div>", re.I | re.S)
_NOT_BR = re.compile(r"<(?!br\b)[^>]*>", re.I)
_RFI_DIV = re.compile(
    r"<div>\s*(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})\s*-\s*(?P<H>\d{1,2}):(?P<M>\d{2})\s*</div>"
)
_PUDATE = re.compile(r"<time\b[^>]*\bpudate\s*=\s*[\"']?(?P<v>[^\"'>]+)", re.I)
_TIME_TAG = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']?(?P<v>[^\"'>\s]+)", re.I)
_DATE_ONLY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
_RFC822_START = re.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d")
_BR = re.compile(r"<br\s*/?>", re.I)


@dataclass(frozen=True)
class OutletTime:
    at: datetime | None = None  # the outlet's own time, UTC
    date: date | None = None  # a date-only outlet date


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    dt = dt.astimezone(UTC)
    if dt.year < 1000:  # strftime writes such years unpadded; keep its exact output
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    # isoformat is several times cheaper than strftime: `YYYY-MM-DDTHH:MM:SS+00:00` cut before the offset
    return dt.isoformat(timespec="seconds")[:19] + "Z"


def from_epoch_ms(ms: int) -> datetime | None:
    """Epoch milliseconds (or seconds: no millisecond value after 1973 is below 1e11) -> UTC."""
    if 0 < ms < 100_000_000_000:
        ms *= 1000
    try:
        return datetime.fromtimestamp(ms // 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def plausible(dt: datetime, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    return EARLIEST <= dt <= now + FUTURE_SLACK


def parse_iso(text: str, naive_tz: tzinfo = UTC) -> datetime | None:
    m = _ISO.search(text)
    if not m:
        return None
    hms = m.group("t")
    if hms.count(":") == 1:
        hms += ":00"
    try:
        dt = datetime.fromisoformat(f"{m.group('d')}T{hms.zfill(8)}")
    except ValueError:
        return None
    zone = (m.group("z") or "").upper()
    if zone in ("Z", "UTC", "GMT"):
        return dt.replace(tzinfo=UTC)
    if zone:
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return (dt - sign * offset).replace(tzinfo=UTC)
    return dt.replace(tzinfo=naive_tz).astimezone(UTC)


def parse_rfc822(text: str) -> datetime | None:
    try:
        dt = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def parse_any(text: str, naive_tz: tzinfo = UTC) -> datetime | None:
    """A front matter `date:` or `日期：` value: ISO 8601 or RFC 822."""
    text = text.strip().strip("\"'")
    if not text:
        return None
    if _ISO_DATE_START.match(text):
        dt = parse_iso(text, naive_tz)
        if dt is None and _DATE_ONLY.match(text):
            dt = datetime.fromisoformat(text).replace(tzinfo=naive_tz).astimezone(UTC)
        return dt
    return parse_rfc822(text)


def _header_value(inner: str, naive_tz: tzinfo) -> OutletTime | None:
    """The time in `<div><i>[byline<br>]TIME</i></div>`: the last `<br>`-separated piece."""
    inner = _NOT_BR.sub("", inner)  # <b>, <span> … around the byline or time
    last = _BR.split(inner)[-1].strip()
    if not last:
        return None
    if _ISO_START.match(last):
        dt = parse_iso(last, naive_tz)
        return OutletTime(at=dt) if dt else None
    if _RFC822_START.match(last):
        dt = parse_rfc822(last)
        return OutletTime(at=dt) if dt else None
    m = _CN_DATE.fullmatch(last)
    if m:
        try:
            return OutletTime(date=date(int(m["y"]), int(m["m"]), int(m["d"])))
        except ValueError:
            return None
    return None


def _own_time_tag(head: str) -> re.Match | None:
    """The first `<time datetime>` near the top that is not inside a quoted embed.

    An embedded Instagram post or quote (`<blockquote …>… on <time datetime="…">`) carries the embedded
    post's time, not the article's; the outlet's own tag sits right below the lead image.
    """
    for m in _TIME_TAG.finditer(head):
        if m.start() >= _TOP_CHARS:
            return None
        before = head[: m.start()].lower()
        if before.count("<blockquote") <= before.count("</blockquote"):
            return m
    return None


def _italic_header_time(head: str, naive_tz: tzinfo) -> OutletTime | None:
    """`<div><i>[byline<br>]TIME</i></div>` at the top (DW, NYT)."""
    m = _ITALIC_HEADER.search(head)
    if m and m.start() < _TOP_CHARS:
        return _header_value(m.group("inner"), naive_tz)
    return None


def _rfi_div_time(head: str, naive_tz: tzinfo) -> OutletTime | None:
    """RFI's date line at the top: a Paris wall-clock time unless the caller names a zone."""
    m = _RFI_DIV.search(head)
    if not (m and m.start() < _TOP_CHARS):
        return None
    try:
        local = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]))
    except ValueError:
        return None
    zone = _PARIS if naive_tz is UTC else naive_tz
    return OutletTime(at=local.replace(tzinfo=zone).astimezone(UTC))


def _pudate_time(head: str, naive_tz: tzinfo) -> OutletTime | None:
    """A `pudate` value: epoch seconds or milliseconds, or ISO 8601."""
    m = _PUDATE.search(head)
    if not m:
        return None
    value = m.group("v").strip()
    dt = from_epoch_ms(int(value) * (1000 if len(value) <= 10 else 1)) if value.isdigit() else None
    dt = dt or parse_iso(value, naive_tz)
    return OutletTime(at=dt) if dt else None


def _time_tag_time(head: str, naive_tz: tzinfo) -> OutletTime | None:
    """The outlet's own `<time datetime>`: a date, or a time (a midnight stamp is a print-edition date, not
    a time: The Economist). An impossible date ends the search with no time."""
    m = _own_time_tag(head)
    if not m:
        return None
    value = m.group("v")
    d = _DATE_ONLY.match(value)
    if d:
        try:
            return OutletTime(date=date(int(d[1]), int(d[2]), int(d[3])))
        except ValueError:
            return OutletTime()
    dt = parse_iso(value, naive_tz)
    if dt is None:
        return None
    if dt.hour == dt.minute == dt.second == 0:
        return OutletTime(date=dt.date())
    return OutletTime(at=dt)


# Where the outlet's own time is found, tried in this order; the first that finds one wins.
_OUTLET_TIME_RULES = (_italic_header_time, _rfi_div_time, _pudate_time, _time_tag_time)


def outlet_time(html: str, naive_tz: tzinfo = UTC) -> OutletTime:
    """The outlet's own publication time from the top of the body (regexes only, no HTML parse)."""
    head = html[:_HEAD_CHARS]
    for rule in _OUTLET_TIME_RULES:
        found = rule(head, naive_tz)
        if found is not None:
            return found
    return OutletTime()
