"""Column descriptions of the lake tables, shown in the Dagster UI's column schema (types come from Arrow)."""

import dagster as dg
import pyarrow as pa

_SHARED = {
    "article_id": "First 16 hex digits of the SHA-1 of the canonical URL: one id per URL, however spelled.",
    "url": "Canonical URL (https, view/tracking query parameters dropped, sorted query).",
    "outlet": "Outlet code from etl/registries/outlets.yaml.",
    "feed_published_at": "Time of the feed item (the `ms` comment at the top of the dump), UTC.",
    "outlet_published_at": "The outlet's own time markup in the body, UTC; null when the outlet prints none.",
    "content_hash": "Hash of the body's visible text: re-captures differing only in markup hash the same.",
    "source_path": "Dump file, relative to ETL_RAW_DIR.",
}

ARTICLES = {
    **_SHARED,
    "title": "Title of the latest capture (entities decoded, outlet suffix removed).",
    "published_at": "Earliest published_at over all captures, UTC: fixes the partition.",
    "pub_date": "UTC date of published_at = the partition (pub_date=YYYY-MM-DD).",
    "byline": "Person names only, joined with /: authors, then translators, then editors.",
    "script": "hans (simplified), hant (traditional), mixed or en.",
    "body_text": "Paragraphs of the latest capture, one per line (captions, header, boilerplate left out).",
    "body_chars": "Length of body_text in characters.",
    "degenerate": "Why the body holds no story: title_only, date_only, video_only, truncated, footer_only; "
    "null for a real article.",
    "agencies_credited": "Agencies that supplied the story (credit line, dateline, © line, reprint).",
    "agencies_cited": "Agencies only mentioned in the running text.",
    "compiled": "A 综合报道 roundup compiled from several sources.",
    "topics": "Topic codes from etl/registries/topics.yaml.",
    "topic_hits": "Per topic: keyword mentions in title + body, and whether the title matches.",
    "captures": "Number of dump files (captures) of this article.",
    "source_path": "Dump file of the latest capture, relative to ETL_RAW_DIR.",
}

ARTICLE_VERSIONS = {
    **_SHARED,
    "title": "Title as this capture shows it.",
    "published_at": "This capture's own published_at, UTC.",
    "file_mtime": "Modification time of the dump file, UTC (capture order).",
    "file_size": "Size of the dump file in bytes.",
    "is_latest": "True for the capture whose content the articles row holds.",
    "pub_date": "The article's partition (same for all its captures).",
}

DESCRIPTIONS = {"articles": ARTICLES, "article_versions": ARTICLE_VERSIONS}


def column_schema(table: str, arrow_schema: pa.Schema) -> dg.TableSchema:
    """Arrow types with the column's description (empty for a column not listed here)."""
    docs = DESCRIPTIONS[table]
    return dg.TableSchema(
        columns=[dg.TableColumn(f.name, str(f.type), description=docs.get(f.name)) for f in arrow_schema]
    )
