"""The dump files a benchmark times, read into memory once: (path, raw bytes, the article's body HTML)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.commands.parse import collect  # noqa: E402
from etl.dumps.reader import Rejected, decode, read_parts  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

File = tuple[str, bytes, str]


def load(folder: Path, limit: int | None, *, skip_empty_bodies: bool = False) -> list[File]:
    """Readable dump files under `folder` (the first `limit`), in `etl parse` order; rejects left out."""
    files = []
    for path in collect([str(folder)])[:limit]:
        data = Path(path).read_bytes()
        try:
            html = read_parts(decode(data)).html
        except Rejected:
            continue
        if html.strip() or not skip_empty_bodies:
            files.append((path, data, html))
    return files
