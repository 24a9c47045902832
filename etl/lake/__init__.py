"""The Parquet lake: manifest of raw files, partition assignment, builds. Pure Python, no Dagster."""
