"""Write small synthetic dump files (own text, the FORMAT.md layout) for lake tests."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def write_dump(
    raw_dir: Path,
    rel: str,
    *,
    url: str,
    title: str,
    feed: datetime,
    body: str = "一段测试正文，说明会议在周二举行。",
    mtime: float | None = None,
) -> Path:
    """One 'exact' variant dump: feed comment, [title](url), separator, one-line body."""
    feed_ms = int(feed.replace(tzinfo=feed.tzinfo or UTC).timestamp() * 1000)
    path = raw_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!--{feed_ms}-->\n[{title}]({url})\n------\n\n<p>{body}</p><p>{body}</p>\n", encoding="utf-8"
    )
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
