"""`etl parse PATH... [--jsonl]`: show exactly what the pipeline makes of dump files.

PATHs are files or folders (searched recursively for dump files). Records come out in sorted path order, one
per input file; a one-line summary goes to stderr. Exit status is 0 unless the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from multiprocessing import Pool

from etl.dumps.parse import parse_file
from etl.dumps.reader import DEFAULT_MAX_BYTES, is_dump_name

PARALLEL_FROM = 64  # below this, worker start-up costs more than it saves
PROGRESS_FROM = 500  # files; progress goes to a terminal's stderr only


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="dump files or folders (recursive)")
    parser.add_argument("--jsonl", action="store_true", help="one JSON record per file on stdout")
    parser.add_argument(
        "--header-only",
        action="store_true",
        help="the cheap header-level parse: ids, titles and times only (no body, byline, attribution)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel processes")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_BYTES / 1e6, help="reject files larger than this"
    )


def collect(paths: list[str]) -> list[str]:
    """Files named directly, plus dump files found under folders (hidden entries skipped); sorted, unique."""
    found: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(os.path.join(root, f) for f in files if is_dump_name(f))
        else:
            found.add(path)
    return sorted(found)


def _parse_one(job: tuple[str, bool, int]) -> dict:
    path, full, max_bytes = job
    return parse_file(path, full=full, max_bytes=max_bytes).to_dict()


def records(files: list[str], *, full: bool, max_bytes: int, workers: int) -> Iterator[dict]:
    jobs = [(f, full, max_bytes) for f in files]
    if workers <= 1 or len(files) < PARALLEL_FROM:
        yield from map(_parse_one, jobs)
        return
    with Pool(workers) as pool:
        yield from pool.imap(_parse_one, jobs, chunksize=32)  # imap keeps input order


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str | None, width: int) -> str:
    text = (text or "-").replace("\n", " ")
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width - (1 if used + w < _width(text) else 0):
            return out + "…" + " " * max(0, width - used - 1)
        out, used = out + c, used + w
    return out + " " * (width - used)


def _table_row(rec: dict, root: str) -> str:
    path = os.path.relpath(rec["path"], root) if root else rec["path"]
    if rec["status"] == "ok":
        state = rec["degenerate"] or "ok"
        what = f"{_fit(rec['outlet'], 10)} {_fit(rec['published_at'], 20)} {_fit(rec['title'], 50)}"
    else:
        state = rec["reason"]
        what = rec["detail"] or ""
    return f"{_fit(path, 48)} {_fit(state, 20)} {what}"


def summary(counts: Counter, rejected: Counter, seconds: float) -> str:
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(rejected.items()))
    return (
        f"{counts['files']} files, {counts['ok']} ok, {counts['rejected']} rejected"
        + (f" ({reasons})" if reasons else "")
        + f", {counts['degenerate']} degenerate, {seconds:.1f} s"
    )


def _argument_error(args: argparse.Namespace) -> str | None:
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        return f"no such file or folder: {', '.join(missing)}"
    if args.workers < 1 or args.max_mb <= 0:
        return "--workers and --max-mb must be positive"
    return None


def _table_root(files: list[str]) -> str:
    """The folder the table's paths are shown relative to: the files' common folder ("" for one file)."""
    root = os.path.commonpath([os.path.abspath(p) for p in files]) if len(files) > 1 else ""
    if root and not os.path.isdir(root):
        root = os.path.dirname(root)
    return os.path.abspath(root) if root else ""


def _count(rec: dict, counts: Counter, rejected: Counter) -> None:
    counts["files"] += 1
    counts[rec["status"]] += 1
    if rec["status"] == "rejected":
        rejected[rec["reason"]] += 1
    elif rec["degenerate"]:
        counts["degenerate"] += 1


def run(args: argparse.Namespace) -> int:
    error = _argument_error(args)
    if error:
        print(f"etl parse: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    files = collect(args.paths)
    root = _table_root(files)
    counts: Counter = Counter()
    rejected: Counter = Counter()
    out = sys.stdout
    if not args.jsonl and files:
        out.write(f"{_fit('path', 48)} {_fit('status', 20)} outlet     published_at         title / detail\n")
    max_bytes = int(args.max_mb * 1e6)
    progress = sys.stderr.isatty() and len(files) >= PROGRESS_FROM
    for rec in records(files, full=not args.header_only, max_bytes=max_bytes, workers=args.workers):
        _count(rec, counts, rejected)
        if progress and counts["files"] % 250 == 0:
            print(f"\r  {counts['files']}/{len(files)} files", end="", file=sys.stderr, flush=True)
        line = json.dumps(rec, ensure_ascii=False) if args.jsonl else _table_row(rec, root)
        out.write(line + "\n")
    out.flush()
    if progress:
        print("\r\033[K", end="", file=sys.stderr)
    print(summary(counts, rejected, time.perf_counter() - started), file=sys.stderr)
    return 0
