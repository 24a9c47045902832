"""`etl synth`: write a deterministic synthetic sample of dump files (both variants, ten outlet layouts)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.settings import Settings
from etl.synth import DEFAULT_ARTICLES, DEFAULT_DAYS, DEFAULT_SEED, DEFAULT_START, SynthError, generate


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="output folder (default: ETL_RAW_DIR, data/raw)")
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help=f"distinct articles (default {DEFAULT_ARTICLES}); ~8%% re-captures and ~1%% malformed files "
        "come on top",
    )
    parser.add_argument(
        "--days", type=int, default=DEFAULT_DAYS, help=f"days covered (default {DEFAULT_DAYS})"
    )
    parser.add_argument(
        "--start", type=_day, default=DEFAULT_START, help=f"first day, YYYY-MM-DD (default {DEFAULT_START})"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--truth",
        help="also write the ground truth (one JSON object per file) to this path, outside the output folder",
    )
    parser.add_argument(
        "--force", action="store_true", help="write into a non-empty folder that `etl synth` did not make"
    )


def _progress(done: int, total: int | None) -> None:
    print(f"synth: {done} files written" + (" (done)" if total else ""), file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out or Settings.from_env().raw_dir).resolve()
    truth_path = Path(args.truth).resolve() if args.truth else None
    if truth_path and truth_path.is_relative_to(out):
        print(
            f"etl synth: --truth must be outside {out}: every file there is read as a dump", file=sys.stderr
        )
        return 2
    try:
        summary = generate(
            out,
            args.articles,
            args.days,
            args.start,
            args.seed,
            force=args.force,
            keep_truth=truth_path is not None,
            progress=_progress,
        )
    except SynthError as exc:
        print(f"etl synth: {exc}", file=sys.stderr)
        return 2
    if truth_path:
        truth_path.parent.mkdir(parents=True, exist_ok=True)
        truth_path.write_text("".join(t.to_json() + "\n" for t in summary.truth), encoding="utf-8")
    print(summary.line(), file=sys.stderr)
    return 0
