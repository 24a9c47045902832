"""The UI's column tables: the lake asset (both of its tables) and raw_files show every column with its
description."""

from __future__ import annotations

import dagster as dg
import pytest

from etl.definitions import defs
from etl.defs.lake.columns import described
from etl.lake import schema


@pytest.mark.parametrize(
    ("key", "entry", "table"),
    [
        (["lake", "articles"], "dagster/column_schema", "articles"),
        # lake/articles' partitions write article_versions too: its columns are shown beside.
        (["lake", "articles"], "article_versions_column_schema", "article_versions"),
        (["raw_files"], "dagster/column_schema", "manifest"),
    ],
)
def test_asset_column_schema_names_and_describes_every_column(key, entry, table):
    spec = defs.resolve_assets_def(dg.AssetKey(key)).specs_by_key[dg.AssetKey(key)]
    value = spec.metadata[entry]
    columns = getattr(value, "schema", value).columns  # a TableSchema, or its metadata value
    assert [c.name for c in columns] == schema.SCHEMAS[table].names
    assert all(c.description for c in columns), [c.name for c in columns if not c.description]


def test_warehouse_columns_take_the_lake_description_of_the_same_name():
    table = described([("article_id", "VARCHAR"), ("version_no", "BIGINT")], "article_versions")
    by_name = {c.name: c.description for c in table.columns}
    assert (
        by_name["article_id"]
        == dict((n, t) for n, _, t in schema.described_columns("articles"))["article_id"]
    )
    assert by_name["version_no"] is None  # a warehouse-only column
