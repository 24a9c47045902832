"""Timings that used to be test assertions, with their bars (issue 11: timing belongs in bench/, so a test
never fails because the machine is busy; the tests still check what these operations do).

    .venv/bin/python bench/guards.py [--rounds N]

Each row is the best of N rounds in CPU time of this process (other processes on a shared machine do not
count), against the bar its test used to assert:
- attribution + topics per article over the hand-labelled files (../shared/gold): bar 0.6 ms, what the
  full-record speed target leaves for them (was tests/gold/test_gold_attribution.py);
- extract_body on 100,000 nested <div>: bar 10 s (was tests/dumps/test_body.py);
- a dump with 100,000 nested <div>, rejected as too_complex before any tree is built: bar 2 s, and a 50 MB
  file rejected as too_large before it is read: bar 1 s (were tests/dumps/test_parse_record.py);
- `etl synth` of 3,000 articles: bar 500 files per CPU second, a tenfold regression
  (was tests/synth/test_generate.py).
Exit status 1 when a row misses its bar.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.dumps.attribution import attribute  # noqa: E402
from etl.dumps.body import extract_body  # noqa: E402
from etl.dumps.parse import parse_bytes, parse_file  # noqa: E402
from etl.dumps.reader import decode, read_parts  # noqa: E402
from etl.dumps.topics import match_topics  # noqa: E402
from etl.synth import generate  # noqa: E402

SHARED = ROOT.parent / "shared"
HEADER = "<!--1595361137000-->\n[标题](https://www.dw.com/zh/x/a-1)\n------\n\n"
DEEP = 100_000


def best_cpu_seconds(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def attribution_per_article(rounds: int) -> tuple[float, str] | None:
    labels_path = SHARED / "gold" / "dev-labels.jsonl"
    if not labels_path.exists():
        return None
    inputs = []
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label = json.loads(line)
            html = read_parts(decode((SHARED / "corpus" / label["local_path"]).read_bytes())).html
            body = extract_body(html)
            inputs.append((body, label["outlet"], label["title"], body.text))

    def work() -> None:
        for body, outlet, title, text in inputs:
            attribute(body, outlet, title)
            match_topics(title, text)

    return best_cpu_seconds(work, rounds) / len(inputs), f"{len(inputs)} labelled articles"


def deep_nesting_walk(rounds: int) -> tuple[float, str]:
    html = "<div>" * DEEP + "深处的文字" + "</div>" * DEEP
    return best_cpu_seconds(lambda: extract_body(html), rounds), f"{DEEP:,} nested <div>"


def deep_nesting_rejected(rounds: int) -> tuple[float, str]:
    data = (HEADER + "<p>开头。</p>" + "<div>" * DEEP + "深处" + "</div>" * DEEP).encode()
    assert parse_bytes(data, "deep.md").reason == "too_complex"
    return best_cpu_seconds(lambda: parse_bytes(data, "deep.md"), rounds), "rejected as too_complex"


def too_large_rejected(rounds: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.md"
        with open(big, "wb") as handle:
            handle.truncate(50 * 1000 * 1000)  # sparse: 50 MB on paper
        assert parse_file(big).reason == "too_large"
        return best_cpu_seconds(lambda: parse_file(big), rounds), "a 50 MB file, rejected as too_large"


def synth_seconds_per_file(rounds: int) -> tuple[float, str]:
    files = []

    def work() -> None:
        with tempfile.TemporaryDirectory() as folder:
            files.append(generate(Path(folder) / "raw", 3000, keep_truth=False).files)

    seconds = best_cpu_seconds(work, rounds)
    return seconds / files[-1], f"etl synth, 3,000 articles ({files[-1]:,} files)"


# (what, measure, bar in seconds, how to show a time)
ROWS = [
    ("attribution + topics per article", attribution_per_article, 0.0006, lambda s: f"{s * 1e6:.0f} µs"),
    ("extract_body, deep nesting", deep_nesting_walk, 10.0, lambda s: f"{s:.2f} s"),
    ("parse, deep nesting rejected", deep_nesting_rejected, 2.0, lambda s: f"{s:.3f} s"),
    ("parse_file, too large rejected", too_large_rejected, 1.0, lambda s: f"{s * 1e3:.2f} ms"),
    ("etl synth per file", synth_seconds_per_file, 1 / 500, lambda s: f"{1 / s:,.0f} files/s"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="timings per row (the best is shown)")
    args = parser.parse_args(argv)
    missed = 0
    for what, measure, bar, show in ROWS:
        result = measure(max(1, args.rounds))
        if result is None:
            print(f"{what:<36} skipped: {SHARED} not found")
            continue
        seconds, detail = result
        verdict = "meets" if seconds <= bar else "MISSES"
        missed += seconds > bar
        print(f"{what:<36} {show(seconds):>14}  bar {show(bar):>12}  {verdict}  ({detail})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
