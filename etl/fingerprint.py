"""Code versions: what an asset's output depends on besides its inputs, as a short hash.

Code carries explicit version strings, bumped when its output changes (etl/dumps PARSER_VERSION,
etl/lake/build.py LAKE_BUILD_VERSION, etl/warehouse/version.py WAREHOUSE_VERSION): a comment edit rebuilds
nothing. The registries are data a user edits: they are hashed by content, so an edit of a YAML file shows in
the UI as a changed code version before anything is rematerialized.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

REGISTRIES_DIR = Path(__file__).resolve().parent / "registries"


def files_fingerprint(paths: Iterable[Path]) -> str:
    """sha256 over each file's folder/name and bytes, in the order given; 16 hex characters."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def glob_all(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Files under root matching each pattern, sorted within each pattern."""
    return [path for pattern in patterns for path in sorted(root.glob(pattern))]


def registries_fingerprint(registries_dir: Path = REGISTRIES_DIR) -> str:
    """The content of every registry YAML file."""
    return files_fingerprint(glob_all(Path(registries_dir), ["*.yaml"]))


def combine(*parts: str) -> str:
    """One version out of several (versions, fingerprints, schema texts); 16 hex characters."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
