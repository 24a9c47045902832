"""Resources and run-time config, in one place. Defaults and descriptions come from etl/settings.py."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from etl.settings import Settings, env_name

_defaults = Settings.from_env()


def setting_default(name: str):
    """The value of a setting as the environment sets it when the code location loads."""
    return getattr(_defaults, name)


def _setting(name: str):
    """A config field whose default and description are the setting's (shown in the UI's launchpad)."""
    about = Settings.model_fields[name].description
    return Field(default=getattr(_defaults, name), description=f"{about} Default: {env_name(name)}.")


class PathsResource(dg.ConfigurableResource):
    """Where the raw dumps, the Parquet lake, the DuckDB warehouse and the reports live.

    `lake_dir` may be any fsspec URI (`s3://bucket/prefix`; credentials and endpoint from the AWS_* variables
    or ETL_LAKE_STORAGE_OPTIONS, never from run config). The raw folder and the warehouse file stay local:
    DuckDB writes only a local file, and the raw dumps are on the machine that archives them.
    """

    raw_dir: str = _setting("raw_dir")
    lake_dir: str = _setting("lake_dir")
    warehouse_path: str = _setting("warehouse_path")
    reports_dir: str = _setting("reports_dir")


class WarehouseBuildConfig(dg.Config):
    """Run config of the warehouse build, shown in the launchpad (default: ETL_WAREHOUSE_MEMORY_LIMIT)."""

    memory_limit: str = Field(
        default=_defaults.warehouse_memory_limit,
        description="DuckDB's memory limit while building, e.g. '500MB' or '4GB' (it spills above); "
        "empty: DuckDB's default",
    )


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"paths": PathsResource()})
