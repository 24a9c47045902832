"""Parse-rate benchmark: bare bs4+lxml, the full ArticleRecord, and lxml alone, on the same files in one run.

    .venv/bin/python bench/parse.py [FOLDER] [--limit N] [--rounds N] [--profile]
    .venv/bin/python bench/parse.py --synthetic 2000 [--work DIR]   # an `etl synth` sample instead

Files are read into memory first, so every rate is parsing only (one process, one core). The full record
includes reading the header, times, body extraction, byline, script, attribution and topics.
Target: the full record at 85% or more of the bare bs4 rate, so that the whole pipeline (reading files,
the lake, the warehouse) can stay above 60% of the bare parse rate of both cores (issue 6).

The bare rate is `BeautifulSoup(html, "lxml")` plus the `<p>` texts, on the same full HTML the record
reads. Each round times every parser once, in a rotating order, so that load from other processes hits
them alike; times are CPU time of this process (other processes on a shared machine do not count; the
parsers are single-threaded, so on a quiet machine it equals wall time), and the ratio is reported from
the best round of each (min) and from the medians.
The record path's own bs4 parse (one reused tree builder, class attributes unsplit) is shown for reference.
A synthetic sample's size mix differs from the corpus (smaller bodies): per-file costs weigh more there.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dumpfiles import DEFAULT_CORPUS, load  # noqa: E402

from etl.dumps.body import parse_html  # noqa: E402
from etl.dumps.parse import parse_many  # noqa: E402
from etl.lake.pool import CHUNK_FILES as BATCH  # noqa: E402
from etl.synth import generate  # noqa: E402

TARGET = 0.85


def bare_bs4(files) -> None:
    for _, _, html in files:
        soup = BeautifulSoup(html, "lxml")
        [p.get_text() for p in soup.find_all("p")]


def lxml_only(files) -> None:
    for _, _, html in files:
        if html.strip():
            [p.text_content() for p in lxml.html.fromstring(html).iter("p")]


def full_record(files) -> None:
    for i in range(0, len(files), BATCH):  # batches, as the pipeline's workers parse them
        parse_many([(data, path) for path, data, _ in files[i : i + BATCH]])


def record_bs4(files) -> None:
    for _, _, html in files:
        if html.strip():
            parse_html(html)


BARE, FULL = "bare bs4+lxml (parse + <p> texts)", "full ArticleRecord (parse_many)"
PARSERS = {
    BARE: bare_bs4,
    FULL: full_record,
    "lxml only (parse + <p> texts)": lxml_only,
    "record path's bs4 parse alone": record_bs4,
}


def timings(files, rounds: int) -> dict[str, list[float]]:
    """Seconds per run of each parser, `rounds` runs each, the order rotating between rounds."""
    names = list(PARSERS)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for i in range(rounds):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            started = time.process_time()
            PARSERS[name](files)
            seconds[name].append(time.process_time() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "folder", nargs="?", default=str(DEFAULT_CORPUS), help="dump files (default: the real corpus)"
    )
    parser.add_argument("--limit", type=int, default=None, help="use only the first N files")
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="bench an `etl synth` sample of N articles (made under --work) instead of FOLDER",
    )
    parser.add_argument("--work", help="folder for the synthetic sample (default: a temporary folder)")
    parser.add_argument("--rounds", type=int, default=3, help="timings per parser (min and median shown)")
    parser.add_argument("--profile", action="store_true", help="cProfile the full record, print the top 25")
    args = parser.parse_args(argv)
    if args.synthetic is not None:
        if args.synthetic < 1:
            print("bench: --synthetic needs a positive number of articles", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory(dir=args.work) as work:
            sample = Path(work) / f"synth-{args.synthetic}"
            print(f"making an etl synth sample of {args.synthetic} articles in {sample}", file=sys.stderr)
            generate(sample, articles=args.synthetic, keep_truth=False)
            return _bench(sample, args)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"bench: no such folder: {folder}", file=sys.stderr)
        return 2
    return _bench(folder, args)


def _bench(folder: Path, args: argparse.Namespace) -> int:
    files = load(folder, args.limit)
    if not files:
        print(f"bench: no readable dump files under {folder}", file=sys.stderr)
        return 2
    mb = sum(len(d) for _, d, _ in files) / 1e6
    print(f"{len(files)} files, {mb:.1f} MB, from {folder}")
    print(f"full record = parse_many in {BATCH}-file batches, attribution and topics (the pipeline path)")
    full_record(files[:50])  # warm caches: registries, OpenCC, matchers

    seconds = timings(files, max(1, args.rounds))
    best = {name: len(files) / max(min(times), 1e-9) for name, times in seconds.items()}
    median = {name: len(files) / max(statistics.median(times), 1e-9) for name, times in seconds.items()}
    print(f"{args.rounds} rounds; docs/s (CPU time) from the best round (min time) and the median round")
    for name in PARSERS:
        print(
            f"  {name:<36} best {best[name]:7.0f} docs/s ({best[name] / best[BARE]:5.0%} of bare)"
            f"   median {median[name]:7.0f} docs/s ({median[name] / median[BARE]:5.0%})"
        )
    for label, rates in (("best", best), ("median", median)):
        ratio = rates[FULL] / rates[BARE]
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"full record / bare bs4 ({label}) = {ratio:.0%}: {verdict} the {TARGET:.0%} target")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        full_record(files)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
