"""Arrow schemas of the lake tables: the contract between the lake builds and the warehouse.

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
            pa.list_(pa.struct([("topic", pa.string()), ("mentions", pa.int32()), ("in_title", pa.bool_())])),
        ),
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
