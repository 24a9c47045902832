"""Code version of the lake: what the parsed rows depend on besides the raw bytes.

Editing the parser, the registries (outlets, agencies, topics) or the lake schema changes it, so Dagster shows
the lake assets as changed and `etl run` rebuilds the partitions.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_ETL = Path(__file__).resolve().parent.parent
SOURCES = ("dumps/*.py", "registries/*.yaml", "lake/build.py", "lake/schema.py")


def files_fingerprint(root: Path, patterns: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def lake_code_version() -> str:
    return files_fingerprint(_ETL, SOURCES)
