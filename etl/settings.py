"""Every user-facing setting: typed, with its default and meaning, read from the `ETL_*` environment variables
here and nowhere else (pydantic-settings). Dagster resources and run config take their defaults from it
(etl/defs/resources.py); commands and library code call `Settings.from_env()`.

The README's settings table mirrors this module (tests/test_settings.py keeps them in step).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_DATA = PROJECT_ROOT / "data"
ENV_PREFIX = "ETL_"
EXECUTORS = ("multiprocess", "k8s")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,  # ETL_X= (set but empty) means the default, as it always did
        str_strip_whitespace=True,
        populate_by_name=True,
        frozen=True,
        extra="ignore",
    )

    raw_dir: str = Field(str(_DATA / "raw"), description="Folder of raw dump files (searched recursively).")
    lake_dir: str = Field(
        str(_DATA / "lake"),
        description="Parquet lake: a local folder or any fsspec URI (s3://bucket/prefix).",
    )
    warehouse_path: str = Field(
        str(_DATA / "warehouse.duckdb"),
        validation_alias="ETL_WAREHOUSE",  # the one variable not named after its field
        description="The DuckDB warehouse file.",
    )
    reports_dir: str = Field(str(_DATA / "reports"), description="Charts (PNG) and the HTML report.")
    partition_start: str = Field(
        "2010-01-01",
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="First daily partition (YYYY-MM-DD); older articles stay in the manifest, rejected.",
    )
    reject_rate_warn: float = Field(
        0.05, ge=0, le=1, description="The reject-rate asset check warns above this share of files."
    )
    workers: int = Field(0, ge=0, description="Parser processes of a manifest refresh; 0 = one per core.")
    # Keyword arguments of the lake's fsspec filesystem (s3fs: endpoint_url, key, secret, client_kwargs, ...);
    # without them s3fs reads the standard AWS_* variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
    lake_storage_options: Annotated[dict, NoDecode] = Field(
        default_factory=dict, description="JSON object of fsspec storage options for a remote lake."
    )
    # Where runs execute (etl/defs/deployment.py): "multiprocess" (Dagster's default) or "k8s" (a pod per
    # step), and the days one lake backfill run takes (0 = one run for any range).
    executor: str = Field("multiprocess", description="multiprocess, or k8s (a Kubernetes pod per step).")
    backfill_partitions_per_run: int = Field(0, description="Days per lake backfill run; 0 = one run.")
    # The steps a sharded re-parse (sharded_parse_job) cuts the files to parse into: each parses its share in
    # its own process (multiprocess executor) or pod (k8s).
    parse_shards: int = Field(4, ge=1, description="Parse steps of a sharded re-parse (sharded_parse_job).")
    # DuckDB's memory limit while building the warehouse ("" = DuckDB's default, 80% of the RAM). The build
    # already sorts the articles a batch of days at a time; under a limit DuckDB also spills to a temp folder
    # beside the file (slower, same result). A limit too low fails the build (DuckDB: Out of Memory).
    warehouse_memory_limit: str = Field(
        "", description="DuckDB memory_limit of the warehouse build, e.g. 500MB; empty: DuckDB's default."
    )

    @classmethod
    def from_env(cls) -> Settings:
        """The settings as the environment sets them now; a bad value raises a ValueError naming it."""
        try:
            return cls()
        except ValidationError as exc:
            raise ValueError(_explain(exc)) from None

    @field_validator("lake_storage_options", mode="before")
    @classmethod
    def _json_object(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc}): {value[:80]!r}") from None
        if not isinstance(parsed, dict):
            raise ValueError(f"must be a JSON object of storage options, got {type(parsed).__name__}")
        return parsed

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        if value not in EXECUTORS:
            raise ValueError(f"expected one of {', '.join(EXECUTORS)}")
        return value

    @field_validator("backfill_partitions_per_run")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("use 0 (one run) or a positive count")
        return value


def env_name(field: str) -> str:
    """The environment variable of a Settings field (ETL_WAREHOUSE for warehouse_path)."""
    return Settings.model_fields[field].validation_alias or ENV_PREFIX + field.upper()


def _explain(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else ""
        name = env_name(where) if where in Settings.model_fields else where  # an alias is the name already
        lines.append(f"{name}={error.get('input')!r}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(lines)
