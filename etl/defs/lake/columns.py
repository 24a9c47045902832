"""Column schemas for the Dagster UI's column tables: types and descriptions from etl/lake/schema.py."""

import dagster as dg

from etl.lake import schema


def column_schema(table: str) -> dg.TableSchema:
    """A lake table or the manifest ('articles', 'article_versions', 'manifest') as a Dagster TableSchema."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, str(dtype), description=text or None)
            for name, dtype, text in schema.described_columns(table)
        ]
    )


def described(columns: list[tuple[str, str]], table: str | None) -> dg.TableSchema:
    """A warehouse table's (name, DuckDB type) columns, with the lake's description of a column of the same
    name in the lake table (or manifest) it is built from."""
    docs = dict((name, text) for name, _, text in schema.described_columns(table)) if table else {}
    return dg.TableSchema(
        columns=[dg.TableColumn(name, dtype, description=docs.get(name) or None) for name, dtype in columns]
    )
