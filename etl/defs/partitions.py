"""Lake partitions: one per publication day (UTC) that has articles.

A dynamic partitions definition, named `pub_date`, whose keys are `YYYY-MM-DD`: a day becomes a partition when
the manifest first assigns an article to it (the `raw_files` asset, the raw folder sensor and `etl run` add
the new days). So the UI lists exactly the days with articles: no wall of "missing" days for the gaps of an
archive or the years before it. Days are added in date order, so a partition range (a backfill from the UI,
`dg launch --partition-range A...B`) is a date range. A day added later than a newer one (an old article that
arrives late) sorts after it in Dagster's order: ranges then follow the order days were added; the lake
assets build whatever days a run names, whichever order.

ETL_PARTITION_START still bounds the archive: older articles stay in the manifest as `before_partition_start`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import dagster as dg

from etl.settings import Settings

PARTITION_START = date.fromisoformat(Settings.from_env().partition_start)
PUB_DATE = "pub_date"

pub_date_partitions = dg.DynamicPartitionsDefinition(name=PUB_DATE)


def partition_bounds() -> tuple[date, date]:
    """First and last day an article may be dated (the last one is today, UTC)."""
    return PARTITION_START, datetime.now(UTC).date()


def new_days(instance: dg.DagsterInstance, days: Iterable[str]) -> list[str]:
    """`days` that are not partitions yet, in date order."""
    known = set(instance.get_dynamic_partitions(PUB_DATE))
    return sorted(set(days) - known)


def register_days(instance: dg.DagsterInstance, days: Iterable[str]) -> list[str]:
    """Make each of `days` a partition (idempotent); returns the days added."""
    added = new_days(instance, days)
    if added:
        try:
            instance.add_dynamic_partitions(PUB_DATE, added)
        except Exception:
            # Another process (a second `etl run`, a sensor tick) added some of these days between the read
            # above and this write: the storage refuses the duplicates (SQLite: an IntegrityError). Fine when
            # every day is a partition now.
            if new_days(instance, added):
                raise
    return added
