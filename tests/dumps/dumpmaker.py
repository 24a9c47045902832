"""Synthetic dump files in the real layout (our own snippets; no corpus text is copied)."""

from __future__ import annotations

FEED_MS = 1595361137000  # 2020-07-21T19:52:17Z


def dump(
    title: str = "示例标题",
    url: str = "https://www.dw.com/zh/示例/a-1",
    body: str = "<p>第一段。</p><p>第二段。</p>",
    *,
    feed_ms: int | None = FEED_MS,
    front_matter: dict[str, str] | None = None,
    newline: str = "\n",
) -> bytes:
    lines = []
    if front_matter is not None:
        lines.append("---")
        lines += [f"{k}: {v}" for k, v in front_matter.items()]
        lines.append("---")
    if feed_ms is not None:
        lines.append(f"<!--{feed_ms}-->")
    lines += [f"[{title}]({url})", "------", "", body if front_matter is None else f"<div>\n{body}\n</div>"]
    return (newline.join(lines) + newline).encode("utf-8")
