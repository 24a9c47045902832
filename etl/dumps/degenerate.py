"""Bodies that carry no story (RULES.md `degenerate`).

- `title_only`: the body repeats the title and nothing else (BBC);
- `date_only`: only the header time (Reuters);
- `video_only`: a teaser of at most a couple of short lines plus a `<video>` (DW);
- `truncated`: the story stops at a read-more / unlock button (RFI);
- `footer_only`: nothing but boilerplate (feedx footer, copyright).
A caption-only picture gallery is a real article: not degenerate.
"""

from __future__ import annotations

import re

from etl.dumps.body import Body

VIDEO_TEASER_MAX_CHARS = 300
_PUNCT = re.compile(r"[\s\W_]+")


def _same(a: str, b: str) -> bool:
    return _PUNCT.sub("", a) == _PUNCT.sub("", b)


def _empty_kind(body: Body) -> str:
    """An article with neither story nor captions: what its body holds instead."""
    if body.has_video:
        return "video_only"
    if body.header:
        return "date_only"
    if body.boilerplate:
        return "footer_only"
    return "title_only"


def _is_video_teaser(body: Body, paragraphs: list[str]) -> bool:
    story_chars = sum(len(p) for p in paragraphs)
    return body.has_video and story_chars <= VIDEO_TEASER_MAX_CHARS and len(paragraphs) <= 2


def classify(body: Body, title: str) -> str | None:
    paragraphs = [p for p in body.paragraphs if p]
    if paragraphs and all(_same(p, title) for p in paragraphs) and not body.captions:
        return "title_only"
    if not paragraphs and not body.captions:
        return _empty_kind(body)
    if _is_video_teaser(body, paragraphs):
        return "video_only"
    if body.ends_at_unlock:
        return "truncated"
    return None
