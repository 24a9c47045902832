"""Digests and roundups (简报, 早报, 新闻联播, weekly reviews, press reviews) join no event: one item among
many is not coverage of that event. The record's own `digest` flag (set by the topic tagger) decides; a title
rule (`digest_titles` in etl/registries/events.yaml) catches the digests it leaves unflagged."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from etl.dumps.normalize import to_simplified


def title_is_digest(title: str | None, rules: Sequence[re.Pattern]) -> bool:
    simplified = to_simplified(title or "")
    return any(rule.search(simplified) for rule in rules)


def is_digest(
    titles: Sequence[str | None], flags: Sequence[bool | None], patterns: Sequence[str]
) -> np.ndarray:
    rules = [re.compile(p) for p in patterns]
    return np.fromiter(
        (bool(flag) or title_is_digest(title, rules) for title, flag in zip(titles, flags, strict=True)),
        dtype=bool,
        count=len(titles),
    )
