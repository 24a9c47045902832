"""Every user-facing setting, read from the environment in one place.

The README's settings table mirrors this module; keep them in step.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    raw_dir: str
    lake_dir: str  # a local folder or an fsspec URI (s3://bucket/prefix)
    warehouse_path: str
    reports_dir: str
    partition_start: str
    reject_rate_warn: float
    workers: int  # parser processes; 0 = one per core
    # Keyword arguments of the lake's fsspec filesystem (s3fs: endpoint_url, key, secret, client_kwargs, ...);
    # without them s3fs reads the standard AWS_* variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
    lake_storage_options: dict = field(default_factory=dict)
    # Where runs execute (etl/defs/deployment.py): "multiprocess" (Dagster's default) or "k8s" (a pod per
    # step), and the days one lake backfill run takes (0 = one run for any range).
    executor: str = "multiprocess"
    backfill_partitions_per_run: int = 0
    # DuckDB's memory limit while building the warehouse ("" = DuckDB's default, 80% of the RAM). The build
    # already sorts the articles a batch of days at a time; under a limit DuckDB also spills to a temp folder
    # beside the file (slower, same result). A limit too low fails the build (DuckDB: Out of Memory).
    warehouse_memory_limit: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        data = PROJECT_ROOT / "data"
        env = os.environ.get
        return cls(
            raw_dir=env("ETL_RAW_DIR", str(data / "raw")),
            lake_dir=env("ETL_LAKE_DIR", str(data / "lake")),
            warehouse_path=env("ETL_WAREHOUSE", str(data / "warehouse.duckdb")),
            reports_dir=env("ETL_REPORTS_DIR", str(data / "reports")),
            partition_start=env("ETL_PARTITION_START", "2010-01-01"),
            reject_rate_warn=float(env("ETL_REJECT_RATE_WARN", "0.05")),
            workers=int(env("ETL_WORKERS", "0")),
            lake_storage_options=_json_object("ETL_LAKE_STORAGE_OPTIONS"),
            executor=env("ETL_EXECUTOR", "").strip() or "multiprocess",
            backfill_partitions_per_run=int(env("ETL_BACKFILL_PARTITIONS_PER_RUN", "").strip() or "0"),
            warehouse_memory_limit=env("ETL_WAREHOUSE_MEMORY_LIMIT", "").strip(),
        )


def _json_object(name: str) -> dict:
    text = os.environ.get(name, "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name} is not valid JSON ({exc}): {text[:80]!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object of storage options, got {type(value).__name__}")
    return value
