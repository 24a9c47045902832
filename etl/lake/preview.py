"""What a user reads about a lake build: counts and a markdown preview (outlets, agencies, topics, titles)."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa


def top_counts(articles: pa.Table, column: str, n: int = 8) -> list[tuple[str, int]]:
    values = articles.column(column).to_pylist() if articles.num_rows else []
    counter: Counter[str] = Counter()
    for v in values:
        if isinstance(v, list):
            counter.update(v)
        elif v is not None:
            counter[v] += 1
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _table(title: str, pairs: list[tuple[str, int]]) -> str:
    if not pairs:
        return f"**{title}**: none\n"
    rows = "\n".join(f"| {k} | {v:,} |" for k, v in pairs)
    return f"**{title}**\n\n| | articles |\n|---|---:|\n{rows}\n"


def markdown_preview(articles: pa.Table, days: list[str], titles: int = 5) -> str:
    span = f"{days[0]} … {days[-1]}" if len(days) > 1 else (days[0] if days else "")
    parts = [f"### {articles.num_rows:,} articles, {span}\n"]
    parts.append(_table("Outlets", top_counts(articles, "outlet")))
    parts.append(_table("Top agencies credited", top_counts(articles, "agencies_credited")))
    parts.append(_table("Top topics", top_counts(articles, "topics")))
    if articles.num_rows:
        # Partition rows hold no pub_date (the folder does): the heading says the day.
        sample = articles.select(["outlet", "title"]).slice(0, titles).to_pylist()
        lines = "\n".join(f"- {r['outlet']} · {r['title']}" for r in sample)
        parts.append(f"**A few titles**\n\n{lines}\n")
    return "\n".join(parts)
