"""Code version of the lake: what the parsed rows depend on besides the raw bytes.

Editing the parser, the registries (outlets, agencies, topics) or the lake schema changes it, so Dagster shows
the lake assets as changed and `etl run` rebuilds the partitions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from etl.fingerprint import files_fingerprint, glob_all

_ETL = Path(__file__).resolve().parent.parent
SOURCES = ("dumps/*.py", "registries/*.yaml", "lake/stage.py", "lake/build.py", "lake/schema.py")


@cache
def lake_code_version() -> str:
    return files_fingerprint(glob_all(_ETL, SOURCES))
