"""The article record: the contract between the parsing library and everything downstream.

Field names are part of the public contract (`etl parse --jsonl`, the lake schema, the warehouse).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class TopicHit:
    topic: str  # code from etl/registries/topics.yaml
    mentions: int  # keyword/alias occurrences in title + body
    in_title: bool
    in_lead: bool = False  # a keyword in the lead (the first body paragraphs)
    share: float = 0.0  # share of the body's paragraphs that mention the topic (0-1)
    score: float = 0.0  # relevance (0-1): the topic is kept at or above the taxonomy's threshold


@dataclass
class ArticleRecord:
    path: str
    status: str  # "ok" | "rejected"
    reason: str | None = None  # short code, e.g. "empty_file", "not_utf8", "no_title_line"
    detail: str | None = None  # a sentence a user can act on
    article_id: str | None = None
    url: str | None = None  # canonical
    outlet: str | None = None
    title: str | None = None
    feed_published_at: str | None = None  # ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ"
    outlet_published_at: str | None = None
    outlet_published_date: str | None = None  # a date-only outlet date, "YYYY-MM-DD"
    published_at: str | None = None
    pub_date: str | None = None  # "YYYY-MM-DD", UTC date of published_at: the partition key
    byline: str | None = None
    script: str | None = None  # "hans" | "hant" | "mixed" | "en"
    body_text: str | None = None
    body_chars: int = 0
    degenerate: str | None = None
    content_hash: str | None = None
    agencies_credited: list[str] = field(default_factory=list)
    compiled: bool = False
    agencies_cited: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # sorted topic codes kept by the relevance decision
    topic_hits: list[TopicHit] = field(default_factory=list)  # one per kept topic: its score and why
    primary_topic: str | None = None  # the one topic the article is mainly about (None when no topic)
    digest: bool = False  # a digest or roundup of unrelated items (简报, 早报, 一週大事 …)
    variant: str | None = None  # "exact" | "jekyll"

    def to_dict(self) -> dict:
        return asdict(self)
