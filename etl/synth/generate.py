"""Write a synthetic sample into a folder: deterministic bytes, paths and mtimes for given parameters.

The folder holds dump files only. What the generator made is recorded beside it, in `.<folder>.synth.json`
(parameters and file list), so that a rerun may rewrite the folder and remove files it wrote before.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from etl.synth.files import PathAssigner, file_bytes, truth_rows
from etl.synth.plan import iter_captures
from etl.synth.truth import FileTruth

DEFAULT_ARTICLES = 1400  # ~1,560 files (~9.6 MB) with re-captures and malformed files
DEFAULT_DAYS = 45
DEFAULT_START = date(2024, 3, 1)
DEFAULT_SEED = 20240301
MARKER_VERSION = 2  # 2: files shaped like the corpus (etl/synth/shape.py); archives of 1 are ~2.5x smaller


class SynthError(Exception):
    """A request the generator refuses, with a message a user can act on."""


@dataclass
class SynthSummary:
    out_dir: Path
    files: int
    articles: int
    recaptures: int
    malformed: int
    bytes: int
    seconds: float
    by_outlet: dict[str, int]
    by_variant: dict[str, int]
    first_date: str
    last_date: str
    truth: list[FileTruth] = field(repr=False, default_factory=list)

    def line(self) -> str:
        rate = self.files / self.seconds if self.seconds else 0.0
        return (
            f"synth: {self.files} files ({self.articles} articles, {self.recaptures} re-captures, "
            f"{self.malformed} malformed), {self.bytes / 1e6:.1f} MB, {self.first_date}..{self.last_date}, "
            f"{self.seconds:.1f} s ({rate:,.0f} files/s) -> {self.out_dir}"
        )


def marker_path(out_dir: Path) -> Path:
    """Outside the folder (everything inside is scanned as a dump): `<parent>/.<name>.synth.json`."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}.synth.json"


def _previous_files(out_dir: Path, force: bool) -> set[str]:
    marker = marker_path(out_dir)
    if marker.is_file():
        return set(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise SynthError(
            f"{out_dir} is not empty and was not made by `etl synth` (no {marker.name} beside it). "
            "Synthetic files mixed into real dumps would be loaded as news. Choose an empty folder with "
            "--out, or pass --force to write into it anyway."
        )
    return set()


def generate(
    out_dir: str | os.PathLike,
    articles: int = DEFAULT_ARTICLES,
    days: int = DEFAULT_DAYS,
    start: date | str = DEFAULT_START,
    seed: int = DEFAULT_SEED,
    *,
    force: bool = False,
    keep_truth: bool = True,
    progress: Callable[[int, int | None], None] | None = None,
) -> SynthSummary:
    """Write the sample and return its summary with the per-file truth (in memory, path order; empty when
    keep_truth is False, which saves memory at scale). progress(files_written, total or None) every 10,000."""
    if articles < 0 or days < 1:
        raise SynthError(f"need articles >= 0 and days >= 1 (got articles={articles}, days={days})")
    began = time.perf_counter()
    start = date.fromisoformat(start) if isinstance(start, str) else start
    out_dir = Path(out_dir).resolve()
    previous = _previous_files(out_dir, force)
    begin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    total = None  # unknown until the end: progress reports files written so far
    paths = PathAssigner()
    sizes: dict[str, int] = {}
    made_dirs: set[Path] = set()
    outlets: Counter[str] = Counter()
    variants: Counter[str] = Counter()
    dates: set[str] = set()
    counts = Counter()
    truth: list[FileTruth] = []
    for group in iter_captures(articles, days, begin, seed):
        for capture in group:
            paths.assign(capture)
            data = file_bytes(capture)
            path = out_dir / capture.path
            if path.parent not in made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(path.parent)
            _write(path, data, capture.captured_at)
            sizes[capture.path] = len(data)
            counts["recaptures"] += capture.capture > 0
            counts["malformed"] += capture.malformed is not None
            if capture.raw is None:
                variants[capture.variant] += 1
            if progress and len(sizes) % 10000 == 0:
                progress(len(sizes), total)
        rows = truth_rows(group, sizes)
        if rows[0].article_key is not None:
            counts["articles"] += 1
            outlets[rows[0].outlet] += 1
            dates.add(rows[0].article_pub_date)
        if keep_truth:
            truth.extend(rows)
    if progress:
        progress(len(sizes), len(sizes))
    for stale in sorted(previous - sizes.keys()):
        (out_dir / stale).unlink(missing_ok=True)
    marker = {
        "generator": "etl synth",
        "version": MARKER_VERSION,
        "params": {"articles": articles, "days": days, "start": start.isoformat(), "seed": seed},
        "files": sorted(sizes),
    }
    marker_path(out_dir).write_text(json.dumps(marker, ensure_ascii=False), encoding="utf-8")
    truth.sort(key=lambda t: t.path)
    return SynthSummary(
        out_dir=out_dir,
        files=len(sizes),
        articles=counts["articles"],
        recaptures=counts["recaptures"],
        malformed=counts["malformed"],
        bytes=sum(sizes.values()),
        seconds=time.perf_counter() - began,
        by_outlet=dict(outlets.most_common()),
        by_variant=dict(variants.most_common()),
        first_date=min(dates, default=""),
        last_date=max(dates, default=""),
        truth=truth,
    )


def _write(path: Path, data: bytes, mtime: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.utime(path, (mtime, mtime))
