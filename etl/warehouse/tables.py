"""The tables a build creates, in build order, with the description shown in the Dagster UI."""

from __future__ import annotations

TABLES: dict[str, str] = {
    "articles": "One row per article (its latest capture), with its agencies and topics as lists, its "
    "primary topic and whether it is a digest.",
    "article_versions": "Every capture of every article, in capture order, with title changes flagged.",
    "article_agencies": "(article, agency, role): `credited`: the story is the agency's; `cited`: quoted.",
    "article_topics": "(article, kept topic): relevance score, is_primary, and why (mentions, in title, in "
    "lead, share of paragraphs); the article's digest flag.",
    "outlets": "Outlet dimension from etl/registries/outlets.yaml.",
    "agencies": "Agency dimension from etl/registries/agencies.yaml.",
    "topics": "Topic dimension from etl/registries/topics.yaml.",
    "calendar": "Every day from the first to the last publication date (week, month, articles, active).",
    "coverage": "First, last and edge day of the archive: 'this week' = the 7 days up to edge_day.",
    "topic_counts_daily": "Per day, topic and outlet: articles on the topic, articles whose primary topic it "
    "is, digests among them, keyword mentions.",
    "agency_counts_daily": "Articles per day, agency, outlet and role.",
    "agency_share_daily": "Each outlet's daily share of stories credited to each agency (zeros included).",
    "agency_share_monthly": "Each outlet's monthly share of stories credited to each agency (with zeros).",
    "timeline_daily": "Articles per day and outlet, zero-filled, with a rolling 7-day mean.",
    "topic_timeline": "Articles on each topic per day (primary ones beside), zero-filled: rolling mean, "
    "28-day baseline, z, bursts.",
    "topic_lifecycle": "Per topic: first seen, peak day, last seen, totals (all and primary), burst days.",
    "keyword_trends": "Rising terms outside the taxonomy (recent window against the background).",
    "reprints": "(article, source article): near-duplicate body text, the source published first, lag.",
    "events": "Articles reporting one happening within 72 hours: first report and outlet, span, size.",
    "event_articles": "(event, article): the article's outlet and its lag after the event's first report.",
    "raw_files": "The manifest: every raw file with its status, reason and partition.",
    "rejects": "Raw files that were rejected, with the reason.",
    "build_info": "When and from what this warehouse was built (key/value).",
}
