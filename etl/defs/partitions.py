"""Daily partitions on the publication date (UTC), from ETL_PARTITION_START to today."""

from datetime import UTC, date, datetime

import dagster as dg

from etl.settings import Settings

PARTITION_START = date.fromisoformat(Settings.from_env().partition_start)

# end_offset=1: today's partition exists already, so files captured today have somewhere to go.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=PARTITION_START.isoformat(), timezone="UTC", end_offset=1
)


def partition_bounds() -> tuple[date, date]:
    """First and last day a partition exists for (the last one is today, UTC)."""
    return PARTITION_START, datetime.now(UTC).date()
