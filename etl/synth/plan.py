"""Decide every file of a sample: articles, their captures (re-captures with changed titles, feed times
and URL spellings), file variants and encodings, and a few malformed files. Seeded: same inputs, same plan."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from etl.synth import coverage, layouts
from etl.synth.layouts import RENDERERS, Rendered
from etl.synth.markup import feedx_footer, to_traditional
from etl.synth.story import retitle

RECAPTURE_RATE = 0.08
MALFORMED_RATE = 0.01
JEKYLL_RATE = 0.77  # the corpus: 78% of files
CRLF_RATE = 0.03
BOM_RATE = 0.02
TXT_RATE = 0.03  # of exact files
FEEDX_RATE = 0.2


@dataclass
class Capture:
    key: str | None  # article key; None for malformed files that are no article
    rendered: Rendered | None
    variant: str  # "exact" | "jekyll"
    url: str  # as written
    title: str  # as written in the [title](url) line
    expected_title: str
    html: str
    feed_ms: int | None  # None: no comment line
    captured_at: int  # epoch seconds: the file's mtime
    capture: int = 0
    recapture_kinds: tuple[str, ...] = ()
    front_matter_ms: int | None = None  # jekyll `date:`, normally = feed_ms
    front_matter_title: str | None = None
    crlf: bool = False
    bom: bool = False
    ext: str = ".md"
    malformed: str | None = None
    raw: bytes | None = None  # set for malformed files whose bytes are made directly
    drop_title_line: bool = False
    date_line_ms: int | None = None  # a `日期：` line instead of the comment (China Digital Times)
    posts_folder: bool = False  # exact file under `_posts/<outlet folder>/<id>_<title>.md`
    truncate_html: bool = False
    encoding: str = "utf-8"
    path: str = field(default="")
    event: str | None = None  # the planted event it reports (etl/synth/coverage.py)
    reprint_of: str | None = None  # the article key of the story it reprints


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp()) * 1000


def url_variant(rng: random.Random, outlet: str, url: str) -> str:
    """Another spelling of the same article's URL, as archives captured it."""
    options = [url.replace("https://", "http://", 1)]
    if outlet == "rfi":
        options.append(url.replace("https://www.rfi.fr/", "http://www.rfi.fr//", 1))
    if outlet == "ft":
        options += [url + "?full=y", url + "?full=y&archive"]
    if outlet == "nyt":
        options.append(url.rstrip("/"))
    elif outlet != "ft":
        options.append(url + "/")
    if outlet == "dw" and "%20" in url:
        options.append(url.replace("%20", "%C2%A0", 1))
    return rng.choice(options)


def _new_title(rng: random.Random, rendered: Rendered) -> tuple[str, str]:
    """A changed headline for a re-capture: (written, expected)."""
    fresh = retitle(rng, rendered.story, traditional_style=rendered.outlet in ("rfi", "cna"))
    if rendered.script in ("hant", "mixed"):
        (fresh,) = to_traditional(fresh)
    written = rendered.written_title.replace(rendered.title, fresh, 1)
    if written == rendered.written_title:  # the expected title is not a substring (entities): rebuild plainly
        written = fresh
    return written, fresh


def _article_captures(rng: random.Random, key: str, rendered: Rendered, published: datetime) -> list[Capture]:
    first, feed_ms = _first_capture(rng, key, rendered, published)
    captures = [first]
    if rng.random() < RECAPTURE_RATE:
        for n in range(1, rng.choice((2, 2, 2, 3))):
            captures.append(_recapture(rng, first, n, feed_ms))
    return captures


def _first_capture(
    rng: random.Random, key: str, rendered: Rendered, published: datetime
) -> tuple[Capture, int]:
    """(an article's first capture, its feed time in epoch ms: in the comment line or a `日期：` line)."""
    outlet = rendered.outlet
    # Without a time of its own in the body, the feed timestamp is the publication time (and stays inside
    # the sample's days); otherwise the feed item follows the outlet's time by minutes.
    own_time = rendered.outlet_time is not None
    feed = published + timedelta(seconds=rng.randint(60, 3000)) if own_time else published
    feed_ms = _epoch_ms(feed)
    html = rendered.html
    if rendered.degenerate is None:
        html += layouts.furniture(outlet)
        if rng.random() < FEEDX_RATE:
            html += feedx_footer(rng)
    url = rendered.url
    if outlet == "rfi" and rng.random() < 0.4:
        url = url.replace("https://www.rfi.fr/", "http://www.rfi.fr//", 1)
    first = Capture(
        key=key, rendered=rendered, variant="exact", url=url, title=rendered.written_title,
        expected_title=rendered.title, html=html, feed_ms=feed_ms,
        captured_at=int(feed.timestamp()) + rng.randint(300, 3 * 3600),
    )  # fmt: skip
    if outlet == "cdt" and rng.random() < 0.5:
        first.date_line_ms, first.feed_ms = feed_ms, None
    return first, feed_ms


def _recapture(rng: random.Random, first: Capture, n: int, feed_ms: int) -> Capture:
    """The n-th re-capture of an article: maybe a new title, another URL spelling, another feed time."""
    rendered = first.rendered
    outlet = rendered.outlet
    kinds = []
    again = Capture(**{**first.__dict__, "capture": n})
    again.captured_at = first.captured_at + rng.randint(3600, 72 * 3600) * n
    if rng.random() < (0.6 if outlet in ("bbc", "rfa") else 0.35):
        again.title, again.expected_title = _new_title(rng, rendered)
        if outlet == "bbc":  # BBC bodies repeat the headline
            again.html = again.html.replace(rendered.written_title, again.title, 1)
        kinds.append("title_changed")
    if rng.random() < 0.5:
        again.url = url_variant(rng, outlet, rendered.url)
        kinds.append("url_variant")
    if first.feed_ms is not None:  # else a `日期：` capture: the same date line again
        kinds += _change_feed_time(rng, again, feed_ms, own_time=rendered.outlet_time is not None)
    again.recapture_kinds = tuple(kinds or ["identical"])
    again.captured_at = max(again.captured_at, (again.feed_ms or feed_ms) // 1000 + 300)
    return again


def _change_feed_time(rng: random.Random, again: Capture, feed_ms: int, *, own_time: bool) -> list[str]:
    """Sometimes a re-capture's feed time moves: by a day or more (a new publication date, only where the feed
    time is the publication time) or by minutes to hours."""
    if not own_time and rng.random() < 0.35:
        again.feed_ms = feed_ms + rng.randint(24 * 3600, 30 * 3600) * 1000
        return ["pub_date_changed"]
    if rng.random() < 0.3:
        again.feed_ms = feed_ms + rng.randint(600, 20 * 3600) * 1000
        return ["feed_time_changed"]
    return []


def _dress(rng: random.Random, capture: Capture) -> None:
    """File-level variety: variant, line endings, BOM, extension, front-matter quirks."""
    # Malformed files stay exact (front matter would give them a title or a date), and so do `日期：` files.
    if capture.malformed is None and capture.date_line_ms is None and rng.random() < JEKYLL_RATE:
        capture.variant = "jekyll"
        capture.front_matter_ms = capture.feed_ms
        if capture.feed_ms is not None and rng.random() < 0.02:  # `date:` disagrees with the comment
            capture.front_matter_ms = capture.feed_ms + rng.randint(1, 12) * 3600 * 1000
        capture.front_matter_title = capture.title + ("\n" if rng.random() < 0.01 else "")
    elif rng.random() < TXT_RATE:
        capture.ext = ".txt"
    elif capture.key is not None and rng.random() < 0.3:
        capture.posts_folder = True
    capture.crlf = rng.random() < CRLF_RATE
    capture.bom = rng.random() < BOM_RATE


def _malformed(rng: random.Random, kind: str, serial: int, start: datetime, span: int) -> Capture:
    moment = start + timedelta(seconds=rng.randrange(span))
    rendered = layouts.ft(rng, serial, moment)
    capture = Capture(
        key=None, rendered=rendered, variant="exact", url=rendered.url, title=rendered.written_title,
        expected_title=rendered.title, html=rendered.html, feed_ms=_epoch_ms(moment),
        captured_at=int(moment.timestamp()) + 600, malformed=kind,
    )  # fmt: skip
    if kind == "empty":
        capture.raw = b""
    elif kind == "binary":
        capture.raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(200, 2000))
    elif kind == "shift_jis":  # an encoding the reader does not decode (GBK, Big5 and UTF-16 files it reads)
        capture.encoding = "shift_jis"
    elif kind == "no_title_line":
        capture.drop_title_line = True
    elif kind == "no_time":
        capture.feed_ms = None
    elif kind == "before_1990":
        capture.feed_ms = _epoch_ms(
            datetime(1987, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(3 * 10**7))
        )
    elif kind == "truncated_html":  # an article whose file was cut mid-tag: still an article
        capture.rendered = rendered = layouts.dw(rng, serial, moment)
        while rendered.degenerate:
            capture.rendered = rendered = layouts.dw(rng, serial, moment)
        capture.key = f"m{serial}"
        capture.url, capture.title, capture.expected_title = (
            rendered.url,
            rendered.written_title,
            rendered.title,
        )
        capture.feed_ms = _epoch_ms(moment) + 600_000
        cut = rendered.html.find("<p>", len(rendered.html) // 2)
        capture.html = rendered.html[: cut + 2 if cut > 0 else len(rendered.html) // 2]
        capture.truncate_html = True
    return capture


MALFORMED_KINDS = (
    "empty",
    "binary",
    "shift_jis",
    "no_title_line",
    "no_time",
    "before_1990",
    "truncated_html",
)


def malformed_count(articles: int) -> int:
    """About 1% of files, and at least one of each kind in any non-empty sample."""
    return (
        max(len(MALFORMED_KINDS), round(articles * (1 + RECAPTURE_RATE) * MALFORMED_RATE)) if articles else 0
    )


def iter_captures(articles: int, days: int, start: datetime, seed: int) -> Iterator[list[Capture]]:
    """Every capture of each article together, articles in publication order, then the malformed files.
    Which articles report one event and which reprint another: etl/synth/coverage.py."""
    rng = random.Random(seed)
    span = days * 86400
    outlets = list(layouts.OUTLET_WEIGHTS)
    cum_weights = list(accumulate(layouts.OUTLET_WEIGHTS[o] for o in outlets))
    slots = coverage.plan(
        rng, articles, span * 1000, lambda r: r.choices(outlets, cum_weights=cum_weights)[0]
    )
    stories = {}  # serial -> story, kept for the reprint that copies it
    for slot in slots:
        published = start + timedelta(milliseconds=slot.offset_ms)
        planted = None
        if slot.source is not None:
            planted = layouts.Coverage(
                story=stories.pop(slot.source.serial), traditional=slot.traditional, credit=slot.credit
            )
        elif slot.cast is not None or slot.reprinted:
            planted = layouts.Coverage(cast=slot.cast)
        rendered = RENDERERS[slot.outlet](rng, slot.serial, published, planted)
        if slot.reprinted:
            stories[slot.serial] = rendered.story
        captures = _article_captures(rng, f"a{slot.serial}", rendered, published)
        for capture in captures:
            capture.event = slot.event
            capture.reprint_of = f"a{slot.source.serial}" if slot.source is not None else None
            _dress(rng, capture)
        yield captures
    for n in range(malformed_count(articles)):
        capture = _malformed(rng, MALFORMED_KINDS[n % len(MALFORMED_KINDS)], articles + n, start, span)
        if capture.raw is None:
            _dress(rng, capture)
        yield [capture]
