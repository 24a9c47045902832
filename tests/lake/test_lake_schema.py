"""One schema: every lake column is described once, and the lists the code works from are derived from it."""

from __future__ import annotations

import pyarrow as pa
import pytest

from etl.dumps.record import ArticleRecord, TopicHit
from etl.lake import build, schema, stage


@pytest.mark.parametrize("table", ["articles", "article_versions", "manifest"])
def test_every_column_and_struct_field_has_a_description(table):
    assert schema.undescribed(table) == [], f"describe these in etl/lake/schema.py DESCRIPTIONS[{table!r}]"
    for name, _, text in schema.described_columns(table):
        assert len(text) > 15, name


def test_a_struct_column_describes_each_of_its_fields():
    (hits,) = [text for name, _, text in schema.described_columns("articles") if name == "topic_hits"]
    for field in schema.ARTICLES.field("topic_hits").type.value_type:
        assert f"{field.name}: " in hits


def test_a_new_column_is_reported_until_described(monkeypatch):
    wider = schema.ARTICLES.append(pa.field("sentiment", pa.float32()))
    monkeypatch.setitem(schema.SCHEMAS, "articles", wider)
    assert schema.undescribed("articles") == ["sentiment"]


def test_staged_rows_carry_every_parsed_column_the_articles_table_takes():
    """The staging, the build and the articles table agree without spelling the columns again: every
    articles column is either staged from the parse or computed by the build."""
    assert set(schema.ARTICLES.names) == set(schema.PARSED_COLUMNS) | set(schema.BUILT_ARTICLE_COLUMNS)
    assert set(schema.PARSED_COLUMNS) <= set(stage.STAGED.names)
    assert set(stage.MANIFEST_COLUMNS.names) <= set(schema.MANIFEST.names)
    for name in schema.PARSED_COLUMNS:  # staged with the articles table's type
        assert stage.STAGED.field(name).type == schema.ARTICLES.field(name).type, name
    # Staged fields are read off the parser's record by name.
    record_fields = set(ArticleRecord.__dataclass_fields__)
    assert set(schema.PARSED_COLUMNS) - record_fields == set()
    assert set(stage.TOPIC_HIT_FIELDS) <= set(TopicHit.__dataclass_fields__)


def test_partition_files_hold_every_column_but_the_partition():
    for table, target in (("articles", build.ARTICLES_FILE), ("article_versions", build.VERSIONS_FILE)):
        assert target.names == [n for n in schema.TABLES[table].names if n != schema.PARTITION_COLUMN]
