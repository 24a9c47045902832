"""news-warehouse: raw news article dumps into a Parquet lake and a DuckDB warehouse."""
