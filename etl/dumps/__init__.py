"""Pure parsing library: one raw dump file into one article record. No Dagster import here."""
