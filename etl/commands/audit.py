"""`etl audit`: reconcile raw folder, manifest, lake and warehouse; exit 1 on any mismatch.

Exit codes: 0 everything reconciles, 1 a mismatch (each one printed with what to run), 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Settings.from_env()
    parser.add_argument(
        "--raw", default=defaults.raw_dir, help="raw folder (default: %(default)s, ETL_RAW_DIR)"
    )
    parser.add_argument("--lake", default=defaults.lake_dir, help="lake (default: %(default)s, ETL_LAKE_DIR)")
    parser.add_argument(
        "--warehouse",
        default=defaults.warehouse_path,
        help="DuckDB file (default: %(default)s, ETL_WAREHOUSE)",
    )
    parser.add_argument("--skip-warehouse", action="store_true", help="stop after the lake")
    parser.add_argument(
        "--verify-hashes",
        action="store_true",
        help="re-hash every raw file and compare with the manifest (catches edits that kept size and mtime)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from etl.audit import audit  # polars and duckdb load only when the command runs

    if not Path(args.raw).is_dir():
        print(f"etl audit: no raw folder at {args.raw} (set ETL_RAW_DIR or pass --raw)", file=sys.stderr)
        return 2
    report = audit(
        args.raw,
        args.lake,
        None if args.skip_warehouse else args.warehouse,
        date.fromisoformat(Settings.from_env().partition_start),
        verify_hashes=args.verify_hashes,
        progress=lambda msg: print(f"etl audit: {msg}", file=sys.stderr, flush=True),
    )
    print(report.to_json() if args.json else report.to_text())
    return 0 if report.ok else 1
