"""Code versions: a short hash of the files an asset's output depends on (code, SQL, registries).

Dagster shows an asset as changed when its code version changes, so editing a registry YAML or a SQL file
is visible in the UI before anything is rematerialized.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_fingerprint(paths: Iterable[Path]) -> str:
    """sha256 over each file's folder/name and bytes, in the order given; 16 hex characters."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def glob_all(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Files under root matching each pattern, sorted within each pattern."""
    return [path for pattern in patterns for path in sorted(root.glob(pattern))]
