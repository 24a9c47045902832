"""The UI's column tables: the lake assets and raw_files show every column with its description."""

from __future__ import annotations

import dagster as dg
import pytest

from etl.definitions import defs
from etl.defs.lake.columns import described
from etl.lake import schema


@pytest.mark.parametrize(
    ("key", "table"),
    [
        (["lake", "articles"], "articles"),
        (["lake", "article_versions"], "article_versions"),
        (["raw_files"], "manifest"),
    ],
)
def test_asset_column_schema_names_and_describes_every_column(key, table):
    spec = defs.resolve_assets_def(dg.AssetKey(key)).specs_by_key[dg.AssetKey(key)]
    value = spec.metadata["dagster/column_schema"]
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
