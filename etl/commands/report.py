"""`etl report`: render the warehouse charts into data/reports/ (PNGs and a self-contained HTML page)."""

from __future__ import annotations

import argparse
import sys

from etl.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Settings.from_env()
    parser.add_argument(
        "--warehouse", default=defaults.warehouse_path, help="DuckDB file (default: %(default)s)"
    )
    parser.add_argument("--out", default=defaults.reports_dir, help="output folder (default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    from etl.report.render import render_report  # matplotlib loads only when the command runs

    try:
        report = render_report(args.warehouse, args.out)
    except FileNotFoundError as exc:
        print(f"etl report: {exc}", file=sys.stderr)
        return 2
    for name, path in report.pngs.items():
        points = sum(report.series[name].values())
        print(f"{path}  ({len(report.series[name])} series, {points} non-zero points)", file=sys.stderr)
    print(report.html_path)
    return 0
