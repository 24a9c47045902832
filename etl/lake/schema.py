"""The lake's tables: Arrow schemas, a description of every column, and the column lists derived from them.

This is the one place a lake column is named and described; the builds, the staging, the manifest workers
and the Dagster column schemas (the UI's column tables) derive their lists from it.

The lake is a hive-partitioned dataset: `<table>/pub_date=YYYY-MM-DD/part-0.parquet`. `ARTICLES` and
`ARTICLE_VERSIONS` are the tables as a reader sees them, `pub_date` included; the files store every column
but `pub_date` (`stored`), whose value lives in the folder name only, so any engine's default hive reading
(pyarrow, pandas, polars, DuckDB, DataFusion) opens the lake without a clash between a data column and the
partition column.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("published_at", TS),  # the article's earliest published_at across its captures
        ("pub_date", pa.date32()),
        ("feed_published_at", TS),
        ("outlet_published_at", TS),
        ("byline", pa.string()),
        ("script", pa.string()),
        ("body_text", pa.string()),
        ("body_chars", pa.int32()),
        ("degenerate", pa.string()),
        ("content_hash", pa.string()),
        ("agencies_credited", pa.list_(pa.string())),
        ("agencies_cited", pa.list_(pa.string())),
        ("compiled", pa.bool_()),
        ("topics", pa.list_(pa.string())),
        (
            "topic_hits",
            pa.list_(
                pa.struct(
                    [
                        ("topic", pa.string()),
                        ("mentions", pa.int32()),
                        ("in_title", pa.bool_()),
                        ("in_lead", pa.bool_()),
                        ("share", pa.float64()),
                        ("score", pa.float64()),
                    ]
                )
            ),
        ),
        ("primary_topic", pa.string()),
        ("digest", pa.bool_()),
        ("captures", pa.int32()),
        ("source_path", pa.string()),
    ]
)

ARTICLE_VERSIONS = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("content_hash", pa.string()),
        ("title", pa.string()),
        ("feed_published_at", TS),
        ("outlet_published_at", TS),
        ("published_at", TS),  # this capture's own published_at
        ("file_mtime", TS),
        ("file_size", pa.int64()),
        ("is_latest", pa.bool_()),
        ("pub_date", pa.date32()),  # the article's partition, same for all its captures
    ]
)

# One row per raw file. status/reason/detail/pub_date/is_latest are derived for the whole archive at once
# (etl/lake/assign.py) from the parse verdict (parse_*).
MANIFEST = pa.schema(
    [
        ("path", pa.string()),  # relative to raw_dir, POSIX separators
        ("size", pa.int64()),
        ("mtime", TS),
        ("mtime_ns", pa.int64()),
        ("file_hash", pa.string()),  # sha256 of the bytes
        ("status", pa.string()),  # ok | rejected
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("feed_published_at", TS),
        ("published_at", TS),  # this capture's published_at
        ("pub_date", pa.date32()),  # the partition its ARTICLE belongs to; null for rejects
        ("is_latest", pa.bool_()),
        ("parse_status", pa.string()),  # the file's (full) parse verdict, kept while (size, mtime) hold
        ("parse_reason", pa.string()),
        ("parse_detail", pa.string()),
    ]
)

TABLES = {"articles": ARTICLES, "article_versions": ARTICLE_VERSIONS}
PARTITION_COLUMN = "pub_date"


def stored(table: pa.Schema) -> pa.Schema:
    """The columns a lake table's partition files hold: all but the partition column."""
    return table.remove(table.get_field_index(PARTITION_COLUMN))


# What each column holds, shown in the Dagster UI's column tables (and for the warehouse's columns of the same
# name). Columns shared by tables mean the same in each unless a table overrides them. A struct's fields are
# described as "column.field".
_SHARED_DESCRIPTIONS = {
    "article_id": "First 16 hex digits of the SHA-1 of the canonical URL: one id per URL, however spelled.",
    "url": "Canonical URL (https, view/tracking query parameters dropped, sorted query).",
    "outlet": "Outlet code from etl/registries/outlets.yaml.",
    "title": "Title (entities decoded, outlet suffix removed).",
    "feed_published_at": "Time of the feed item (the `ms` comment at the top of the dump), UTC.",
    "outlet_published_at": "The outlet's own time markup in the body, UTC; null when the outlet prints none.",
    "published_at": "Publication time, UTC: the outlet's time when it prints one, else the feed's.",
    "content_hash": "Hash of the body's visible text: re-captures differing only in markup hash the same.",
    "source_path": "Dump file, relative to ETL_RAW_DIR.",
    "pub_date": "The partition (the pub_date=YYYY-MM-DD folder): UTC date of the article's earliest "
    "published_at.",
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "articles": {
        **_SHARED_DESCRIPTIONS,
        "title": "Title of the latest capture (entities decoded, outlet suffix removed).",
        "published_at": "Earliest published_at over all captures, UTC: fixes the partition.",
        "byline": "Person names only, joined with /: authors, then translators, then editors.",
        "script": "hans (simplified), hant (traditional), mixed or en.",
        "body_text": "Paragraphs of the latest capture, one per line (captions, header and boilerplate left "
        "out).",
        "body_chars": "Length of body_text in characters.",
        "degenerate": "Why the body holds no story: title_only, date_only, video_only, truncated, "
        "footer_only; null for a real article.",
        "agencies_credited": "Agencies that supplied the story (credit line, dateline, © line, reprint).",
        "agencies_cited": "Agencies only mentioned in the running text.",
        "compiled": "A 综合报道 roundup compiled from several sources.",
        "topics": "Topic codes from etl/registries/topics.yaml that the article is about.",
        "topic_hits": "One entry per topic kept: its keyword mentions and why it was kept.",
        "topic_hits.topic": "Topic code from etl/registries/topics.yaml.",
        "topic_hits.mentions": "Keyword and alias occurrences of the topic in title + body.",
        "topic_hits.in_title": "A keyword of the topic is in the title.",
        "topic_hits.in_lead": "The topic is mentioned in the lead paragraph.",
        "topic_hits.share": "Share of the body's paragraphs that mention the topic (0-1).",
        "topic_hits.score": "Relevance of the topic to the article (0-1).",
        "primary_topic": "The one topic the article is mainly about; null when it has none.",
        "digest": "The article is a digest or roundup of unrelated items (简报, 早报, 一週大事 …).",
        "captures": "Number of dump files (captures) of this article.",
        "source_path": "Dump file of the latest capture, relative to ETL_RAW_DIR.",
    },
    "article_versions": {
        **_SHARED_DESCRIPTIONS,
        "title": "Title as this capture shows it.",
        "published_at": "This capture's own published_at, UTC.",
        "file_mtime": "Modification time of the dump file, UTC (capture order).",
        "file_size": "Size of the dump file in bytes.",
        "is_latest": "True for the capture whose content the articles row holds.",
        "pub_date": "The article's partition (same for all its captures).",
    },
    "manifest": {
        **_SHARED_DESCRIPTIONS,
        "path": "Dump file, relative to ETL_RAW_DIR, with / separators.",
        "size": "Size of the file in bytes when it was read.",
        "mtime": "Modification time of the file when it was read, UTC.",
        "mtime_ns": "The same modification time in nanoseconds (what a rescan compares).",
        "file_hash": "SHA-256 of the file's bytes.",
        "status": "ok, or rejected (see reason).",
        "reason": "Why the file is rejected (a short code); null when ok.",
        "detail": "What to do about a rejected file, in a sentence.",
        "title": "Title of this capture.",
        "published_at": "This capture's published_at, UTC.",
        "pub_date": "The partition of the file's article (UTC date of its earliest capture); null for "
        "rejects.",
        "is_latest": "This capture is the article's latest, whose content the lake's articles row holds.",
        "parse_status": "The full parse's verdict on the file (kept while its size and mtime hold).",
        "parse_reason": "The full parse's reject reason, if any.",
        "parse_detail": "The full parse's reject detail, if any.",
    },
}
SCHEMAS = {**TABLES, "manifest": MANIFEST}


def described_columns(table: str) -> list[tuple[str, pa.DataType, str]]:
    """(name, Arrow type, description) of each column of `table` ('articles', 'article_versions',
    'manifest'), in order; a struct's fields' descriptions follow its own (`column.field: ...`)."""
    docs = DESCRIPTIONS[table]
    return [(f.name, f.type, _describe(docs, f)) for f in SCHEMAS[table]]


def _describe(docs: dict[str, str], field: pa.Field) -> str:
    subfields = [
        f"{sub.name}: {docs.get(f'{field.name}.{sub.name}', '')}" for sub in _struct_fields(field.type)
    ]
    return " ".join([docs.get(field.name, ""), *subfields]).strip()


def _struct_fields(dtype: pa.DataType) -> list[pa.Field]:
    while pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        dtype = dtype.value_type
    return list(dtype) if pa.types.is_struct(dtype) else []


def undescribed(table: str) -> list[str]:
    """Columns (and struct fields, as column.field) of `table` without a description."""
    docs = DESCRIPTIONS[table]
    missing = []
    for f in SCHEMAS[table]:
        missing += [] if f.name in docs else [f.name]
        missing += [f"{f.name}.{s.name}" for s in _struct_fields(f.type) if f"{f.name}.{s.name}" not in docs]
    return missing


# Derived column lists.
# Columns a partition build computes rather than copies from a capture's parse: the partition, the number of
# captures and the latest capture's file (the rest of an articles row is its latest capture's parse).
BUILT_ARTICLE_COLUMNS = ("pub_date", "captures", "source_path")
PARSED_COLUMNS = tuple(n for n in ARTICLES.names if n not in BUILT_ARTICLE_COLUMNS)
# Manifest columns derived for the whole archive at once (etl/lake/assign.py), not by the worker that read
# the file: the workers return the others.
DERIVED_MANIFEST_COLUMNS = ("status", "reason", "detail", "pub_date", "is_latest")
SCANNED = pa.schema([f for f in MANIFEST if f.name not in DERIVED_MANIFEST_COLUMNS])
# A staged row (etl/lake/stage.py): what a worker returns plus the rest of the parse an articles row takes.
STAGED = pa.schema([*SCANNED, *(ARTICLES.field(n) for n in PARSED_COLUMNS if n not in SCANNED.names)])
# article_versions columns that take a manifest column under another name.
VERSION_SOURCES = {"source_path": "path", "file_mtime": "mtime", "file_size": "size"}
