"""This project's full record against a generic extractor a user might pick instead, on the same real files.

    .venv/bin/python bench/extractors.py [FOLDER] [--limit N] [--rounds N]

Rows, all on one core, the same files read into memory first (so every rate is extraction only):
- trafilatura 2.3 `extract(html)`: its bare text extraction of the article HTML, default settings (what a
  user types), and with `fast=True` (no fallback extractors);
- this project's full record, `parse_bytes(data, path)` = `parse_file` minus the disk read: header, times,
  body, byline, script, wire-agency attribution and topics (it also decodes and splits the raw file, which
  the other rows are handed ready);
- the bare bs4+lxml parse plus `<p>` texts (the issue's reference rate) and selectolax (lexbor) likewise.

Each round times every row once, in a rotating order, so load from other processes hits them alike; rates
come from the best round (min time) and the median, in CPU time of this process (`time.process_time`: what one
core of its own achieves, robust to other processes sharing the cores) and in wall time. The last table
counts what each recovers: documents with no text at all and characters of text (whitespace folded), against
the project's body_text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import trafilatura
from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dumpfiles import DEFAULT_CORPUS, File, load  # noqa: E402

from etl.dumps.parse import parse_bytes  # noqa: E402


def trafilatura_default(files: list[File]) -> list[str]:
    return [trafilatura.extract(html) or "" for _, _, html in files]


def trafilatura_fast(files: list[File]) -> list[str]:
    return [trafilatura.extract(html, fast=True) or "" for _, _, html in files]


def full_record(files: list[File]) -> list[str]:
    return [parse_bytes(data, path).body_text or "" for path, data, _ in files]


def bare_bs4(files: list[File]) -> list[str]:
    return [
        "\n".join(p.get_text() for p in BeautifulSoup(html, "lxml").find_all("p")) for _, _, html in files
    ]


def selectolax_p(files: list[File]) -> list[str]:
    return ["\n".join(p.text() for p in LexborHTMLParser(html).css("p")) for _, _, html in files]


FULL = "news-warehouse full record (parse_bytes)"
TRAFILATURA = "trafilatura.extract (defaults)"
EXTRACTORS = {
    TRAFILATURA: trafilatura_default,
    "trafilatura.extract (fast=True)": trafilatura_fast,
    FULL: full_record,
    "bare bs4+lxml (parse + <p> texts)": bare_bs4,
    "selectolax lexbor (parse + <p> texts)": selectolax_p,
}


Seconds = dict[str, list[float]]


def timings(files: list[File], rounds: int) -> tuple[Seconds, Seconds, dict[str, list[str]]]:
    """CPU and wall seconds per run of each extractor, and each one's texts."""
    names = list(EXTRACTORS)
    cpu: Seconds = {name: [] for name in names}
    wall: Seconds = {name: [] for name in names}
    texts: dict[str, list[str]] = {}
    for i in range(rounds):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            texts[name] = EXTRACTORS[name](files)
            cpu[name].append(time.process_time() - cpu_start)
            wall[name].append(time.perf_counter() - wall_start)
            print(
                f"  round {i + 1}: {name} cpu {cpu[name][-1]:.1f}s wall {wall[name][-1]:.1f}s",
                file=sys.stderr,
                flush=True,
            )
    return cpu, wall, texts


def print_rates(label: str, seconds: Seconds, n: int) -> dict[str, float]:
    best = {name: n / min(times) for name, times in seconds.items()}
    median = {name: n / statistics.median(times) for name, times in seconds.items()}
    print(f"\narticles/s by {label}, best round (min time) and median round")
    print(f"  {'extractor':<42} {'best':>8} {'vs trafil.':>10} {'median':>8} {'vs trafil.':>10}")
    for name in seconds:
        print(
            f"  {name:<42} {best[name]:8.0f} {best[name] / best[TRAFILATURA]:9.2f}x"
            f" {median[name]:8.0f} {median[name] / median[TRAFILATURA]:9.2f}x"
        )
    return best


def visible_chars(text: str) -> int:
    return len("".join(text.split()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "folder", nargs="?", default=str(DEFAULT_CORPUS), help="dump files (default: the real corpus)"
    )
    parser.add_argument("--limit", type=int, default=None, help="use only the first N files")
    parser.add_argument("--rounds", type=int, default=2, help="timings per extractor (min and median shown)")
    args = parser.parse_args(argv)

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"bench: no such folder: {folder}", file=sys.stderr)
        return 2
    files = load(folder, args.limit, skip_empty_bodies=True)
    if not files:
        print(f"bench: no readable dump files with a body under {folder}", file=sys.stderr)
        return 2
    mb = sum(len(d) for _, d, _ in files) / 1e6
    print(f"{len(files)} files with a body, {mb:.1f} MB, from {folder}; one process, one core")
    for extract in EXTRACTORS.values():  # warm caches: registries, OpenCC, trafilatura's first-call setup
        extract(files[:20])

    cpu, wall, texts = timings(files, max(1, args.rounds))
    print(f"{args.rounds} rounds over the same {len(files)} files")
    best = print_rates("CPU time (one core of its own)", cpu, len(files))
    print_rates("wall time (cores shared with whatever else runs)", wall, len(files))
    ratio = best[FULL] / best[TRAFILATURA]
    print(
        f"\nfull record (attribution + topics) / trafilatura bare text, CPU best = {ratio:.2f}x "
        f"({'faster' if ratio >= 1 else 'slower'})"
    )

    ours = [visible_chars(t) for t in texts[FULL]]
    print(
        "\nText recovered (non-whitespace characters; 'vs ours' = per file, against the record's body_text)"
    )
    print(f"  {'extractor':<42} {'empty':>6} {'chars':>12} {'median':>7} {'files within 10% of ours':>25}")
    for name, outputs in texts.items():
        chars = [visible_chars(t) for t in outputs]
        close = sum(abs(c - o) <= 0.1 * max(o, 1) for c, o in zip(chars, ours, strict=True))
        print(
            f"  {name:<42} {sum(c == 0 for c in chars):6d} {sum(chars):12,d} "
            f"{statistics.median(chars):7.0f} {close:16d} ({close / len(files):5.1%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
