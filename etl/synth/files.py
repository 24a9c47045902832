"""Turn planned captures into archive paths and file bytes, and into the truth a parser must reproduce."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from etl.synth.markup import utc_z
from etl.synth.plan import Capture
from etl.synth.truth import EXPECTED_REASONS, FileTruth
from etl.synth.words import JEKYLL_AUTHORS, POSTS_FOLDERS

EXACT_ID_TOP = 1048575  # archive ids count down from 2**20 - 1
_FILENAME_TITLE_CHARS = 50
BOM = b"\xef\xbb\xbf"


def _iso_from_ms(ms: int) -> str:
    return utc_z(datetime.fromtimestamp(ms / 1000, UTC))


def _rfc822_utc(ms: int) -> str:
    return format_datetime(datetime.fromtimestamp(ms / 1000, UTC)).replace("-0000", "+0000")


def _title_for_filename(title: str) -> str:
    return title.replace("/", "_").replace("\\", "_").replace("\n", " ")[:_FILENAME_TITLE_CHARS].strip()


def _jekyll_path(capture: Capture) -> str:
    ms = capture.front_matter_ms if capture.front_matter_ms is not None else capture.feed_ms
    day = datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")
    return f"_posts/{day}-{_title_for_filename(capture.title)}.md"


class PathAssigner:
    """Jekyll files by date and title; exact files by outlet and an id counting down in the order given.
    A Jekyll name already taken (same day, same title) makes that capture an exact file instead."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.count = 0

    def _next_id(self) -> int:
        self.count += 1
        # Past 2**20 files the countdown would reach zero: continue upwards, above every id used so far.
        return EXACT_ID_TOP - self.count + 1 if self.count <= EXACT_ID_TOP else self.count

    def assign(self, capture: Capture) -> None:
        if capture.variant == "jekyll":
            path = _jekyll_path(capture)
            if path not in self.used:
                capture.path = path
                self.used.add(path)
                return
            capture.variant, capture.front_matter_ms, capture.front_matter_title = "exact", None, None
        if capture.posts_folder:
            folder = POSTS_FOLDERS[capture.rendered.outlet]
            name = _title_for_filename(capture.title)
            capture.path = f"_posts/{folder}/{self._next_id()}_{name}{capture.ext}"
            return
        outlet = capture.rendered.outlet if capture.key is not None else "misc"
        capture.path = f"articles/{outlet}/{self._next_id()}{capture.ext}"


def _front_matter(capture: Capture) -> str:
    author = JEKYLL_AUTHORS[capture.rendered.outlet]
    title = (capture.front_matter_title or capture.title).replace("\\", "\\\\").replace('"', '\\"')
    date = datetime.fromtimestamp(capture.front_matter_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return (
        f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\nauthor: {author}\nfrom: {capture.url}\n'
        f"tags: [ {author} ]\ncategories: [ {author} ]\n---\n"
    )


def file_bytes(capture: Capture) -> bytes:
    if capture.raw is not None:
        return capture.raw
    jekyll = capture.variant == "jekyll"
    parts = [_front_matter(capture)] if jekyll else []
    if capture.feed_ms is not None:
        parts.append(f"<!--{capture.feed_ms}-->\n")
    if not capture.drop_title_line:
        parts.append(f"[{capture.title}]({capture.url})\n")
    parts.append("------\n")
    if capture.date_line_ms is not None:
        parts.append(f"日期：{_rfc822_utc(capture.date_line_ms)}\n")
    parts.append("\n")
    if capture.truncate_html:
        parts.append(capture.html)
    else:
        parts.append(f"<div>\n{capture.html}\n</div>\n" if jekyll else f"{capture.html}\n")
    text = "".join(parts)
    if capture.crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(capture.encoding, errors="replace")
    return BOM + data if capture.bom and capture.encoding == "utf-8" else data


def _file_fields(c: Capture, sizes: dict[str, int]) -> dict:
    """What the file itself is: path, malformation, variant, line endings, BOM, mtime and size."""
    return {
        "path": c.path, "malformed": c.malformed, "variant": None if c.raw is not None else c.variant,
        "crlf": c.crlf, "bom": c.bom and c.encoding == "utf-8", "mtime": c.captured_at,
        "size": sizes.get(c.path, 0),
    }  # fmt: skip


def _times(c: Capture) -> tuple[str | None, str | None, str]:
    """(feed time, the outlet's own time, publication time: the outlet's, else the feed's, else the
    `日期：` line's), ISO 8601 UTC."""
    feed = _iso_from_ms(c.feed_ms) if c.feed_ms is not None else None
    own = utc_z(c.rendered.outlet_time) if c.rendered.outlet_time else None
    return feed, own, own or feed or _iso_from_ms(c.date_line_ms)


def _article_fields(c: Capture) -> dict:
    """What the parser must make of an article's capture (its labels aside)."""
    r = c.rendered
    feed, own, published = _times(c)
    return dict(
        status="ok",
        reason="truncated_html" if c.truncate_html else None,  # kept, but flagged by the parser
        article_key=c.key,
        capture=c.capture,
        recapture_kinds=c.recapture_kinds,
        layout=r.layout,
        outlet=r.outlet,
        url=c.url,
        canonical_url=r.url,
        title=c.expected_title,
        feed_published_at=feed,
        outlet_published_at=own,
        outlet_published_date=r.outlet_date,
        published_at=published,
        pub_date=published[:10],
        agencies_credited=r.credited,
        agencies_cited=r.cited,
        compiled=r.compiled,
        script=r.script,
        degenerate=r.degenerate,
        event=c.event,
        reprint_of=c.reprint_of,
    )


def _label_fields(c: Capture) -> dict:
    """The attribution and topic labels, and whether they are checked: not on a truncated file (its text is
    cut short of what the labels describe); topics not on a degenerate one."""
    r = c.rendered
    if c.truncate_html:
        return dict(
            check_attribution=False, topics=(), primary_topic=None, digest=False, passing_topics=(),
            check_topics=False,
        )  # fmt: skip
    return dict(
        check_attribution=True, topics=r.topics, primary_topic=r.primary_topic, digest=r.digest,
        passing_topics=r.passing_topics, check_topics=r.degenerate is None,
    )  # fmt: skip


def truth_rows(group: list[Capture], sizes: dict[str, int]) -> list[FileTruth]:
    """One FileTruth per capture of one article (or one malformed file); the article's partition is the
    date of its earliest published_at over all its captures."""
    rows = []
    earliest = None
    for c in group:
        common = _file_fields(c, sizes)
        if c.key is None:
            rows.append(FileTruth(status="rejected", reason=EXPECTED_REASONS[c.malformed], **common))
            continue
        row = dict(**_article_fields(c), **_label_fields(c), **common)
        earliest = min(earliest or row["published_at"], row["published_at"])
        rows.append(row)
    return [
        row if isinstance(row, FileTruth) else FileTruth(**row, article_pub_date=earliest[:10])
        for row in rows
    ]
