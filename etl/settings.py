"""Every user-facing setting, read from the environment in one place.

The README's settings table mirrors this module; keep them in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    raw_dir: str
    lake_dir: str
    warehouse_path: str
    reports_dir: str
    partition_start: str
    reject_rate_warn: float
    workers: int  # parser processes; 0 = one per core

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
        )
