"""Jobs the sensors and the schedule launch."""

import dagster as dg

from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.lake.assets import LAKE_KEYS

# The manifest alone (what `etl run` does first).
raw_files_job = dg.define_asset_job(
    "raw_files_job",
    selection=dg.AssetSelection.assets(RAW_FILES),
    description="Rescan the raw folder and refresh the manifest of raw files.",
)

# Lake partitions only: the raw-folder sensor refreshed the manifest already.
lake_partitions_job = dg.define_asset_job(
    "lake_partitions_job",
    selection=dg.AssetSelection.assets(*LAKE_KEYS),
    description="Build lake partitions (lake/articles: the articles and article_versions files of each day) "
    "from the manifest.",
)

# The schedule refreshes the manifest first, then builds the day.
daily_lake_job = dg.define_asset_job(
    "daily_lake_job",
    selection=dg.AssetSelection.assets(RAW_FILES, *LAKE_KEYS),
    description="Refresh the manifest of raw files, then build one day's lake partition.",
)

# Everything downstream of the lake: the DuckDB warehouse and the report rendered from it.
DOWNSTREAM_OF_LAKE = dg.AssetSelection.groups("warehouse", "reports")

warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=DOWNSTREAM_OF_LAKE,
    description="Rebuild the DuckDB warehouse (and its report) from the whole lake.",
)
