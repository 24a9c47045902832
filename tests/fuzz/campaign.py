"""Fuzz campaign over the dump reader/parser: many mutated real and synthetic dumps on several processes.

    .venv/bin/python -m tests.fuzz.campaign --inputs 100000 --seed 1

Seeds are the real dumps in ../shared/corpus (read at run time) and synthetic dumps from etl.synth; each
input is random bytes or a seed with one or two mutations of tests/fuzz/fuzzkit.py. Every input is parsed
(full or header-level, through parse_bytes or, for some, parse_file) under tracemalloc, and checked against
the contract (fuzzkit.violations) and the per-file bounds. Re-encoded real files must parse as their UTF-8
originals do. Prints tries per mutation kind, outcomes, exceptions (must be 0), time and memory per file.
Failing inputs are saved under --crash-dir with what made them. Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from etl.dumps.parse import parse_file
from tests.fuzz import fuzzkit

LIGHT = [name for name in fuzzkit.MUTATIONS if name not in fuzzkit.HEAVY]
HEAVY = sorted(fuzzkit.HEAVY)
REENCODINGS = {"gbk": "gbk", "gb18030": "gb18030", "big5": "cp950", "utf16le_bom": "utf-16-le",
               "utf16be_bom": "utf-16-be", "utf16le": "utf-16-le", "utf16be": "utf-16-be"}  # fmt: skip
COMPARED = ("status", "article_id", "url", "outlet", "title", "published_at", "pub_date", "body_text",
            "byline", "script", "degenerate", "agencies_credited", "agencies_cited", "topics",
            "content_hash")  # fmt: skip
MEMORY_SAMPLE = 10


def _comparable(rec) -> tuple:
    return tuple(getattr(rec, name) for name in COMPARED)


def _make_input(rng: random.Random, seeds: list, synth: list[bytes], heavy_rate: float, random_rate: float):
    """(kind, data, utf8 original or None when the result must equal the original's parse)."""
    if rng.random() < random_rate:
        return "random_bytes", rng.randbytes(rng.randint(0, rng.choice([1, 16, 256, 4096]))), None
    source = rng.choice(seeds) if seeds and rng.random() < 0.8 else rng.choice(synth)
    seed = source.read_bytes() if isinstance(source, Path) else source
    while True:
        name = rng.choice(HEAVY) if rng.random() < heavy_rate else rng.choice(LIGHT)
        data = fuzzkit.MUTATIONS[name](seed, rng)
        if data is not None:
            break
    if name in REENCODINGS:
        try:  # a text the codec holds whole must read exactly as its UTF-8 original
            seed.decode("utf-8-sig").encode(REENCODINGS[name])
            return name, data, seed
        except (UnicodeDecodeError, UnicodeEncodeError):
            return name, data, None
    if name not in fuzzkit.HEAVY and rng.random() < 0.3:  # a second mutation on top
        second = rng.choice(LIGHT)
        stacked = fuzzkit.MUTATIONS[second](data, rng)
        if stacked is not None:
            return f"{name}+", stacked, None
    return name, data, None


def _worker(job: tuple) -> dict:
    index, count, seed, corpus, synth_count, heavy_rate, random_rate, crash_dir = job
    rng = random.Random(f"{seed}/{index}")
    seeds = fuzzkit.corpus_files(Path(corpus)) if corpus else []
    synth = fuzzkit.synth_dumps(synth_count, seed * 1000 + index)
    kinds, outcomes, failures = Counter(), Counter(), []
    by_kind: defaultdict[str, Counter] = defaultdict(Counter)
    cpu_times, wall_times, peaks = [], [], []
    mismatches = compared = raised = 0
    tmp = tempfile.TemporaryDirectory()
    started = time.monotonic()
    for n in range(count):
        kind, data, original = _make_input(rng, seeds, synth, heavy_rate, random_rate)
        kinds[kind] += 1
        full = rng.random() < 0.8
        problems = []
        try:
            if rng.random() < 0.01:  # through the file API: stat, size cap, read
                path = Path(tmp.name) / f"in{n}.md"
                path.write_bytes(data)
                cpu, wall = time.process_time(), time.perf_counter()
                rec = parse_file(path, full=full, now=fuzzkit.NOW)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                path.unlink()
            else:
                rec, cpu, wall = fuzzkit.timed_parse(data, full=full)
            # Memory on every heavy input and one in MEMORY_SAMPLE others (tracing triples the cost).
            peak = fuzzkit.peak_memory(data, full=full) if kind in HEAVY or n % MEMORY_SAMPLE == 0 else None
        except BaseException as exc:  # the contract is that nothing escapes
            raised += 1
            problems.append(f"raised {type(exc).__name__}: {exc}")
        else:
            outcomes[(rec.status, rec.reason)] += 1
            by_kind[kind][rec.reason or rec.status] += 1
            cpu_times.append(cpu)
            wall_times.append(wall)
            if peak is not None:
                peaks.append(peak)
            problems += fuzzkit.violations(rec) + fuzzkit.bound_violations(cpu, wall, peak or 0)
            if rec.reason == "parser_error":
                problems.append(f"parser_error: {rec.detail}")
            if original is not None:  # ok or rejected, a re-encoded file must fare as its original
                compared += 1
                want = fuzzkit.timed_parse(original, full=full)[0]
                if _comparable(want) != _comparable(rec):
                    mismatches += 1
                    problems.append(f"{kind} parse differs from the UTF-8 original's")
        if problems:
            where = Path(crash_dir) / f"w{index}-{n}-{kind}.bin"
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_bytes(data)
            failures.append((kind, full, str(where), problems[:3]))
        if index == 0 and (n + 1) % 2000 == 0:
            rate = (n + 1) / (time.monotonic() - started)
            print(f"  worker 0: {n + 1:,}/{count:,} inputs, {rate:.0f}/s", file=sys.stderr, flush=True)
    return dict(kinds=kinds, by_kind=by_kind, outcomes=outcomes, failures=failures, cpu=cpu_times,
                wall=wall_times, peaks=peaks, mismatches=mismatches, compared=compared,
                raised=raised)  # fmt: skip


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign", description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", default=str(fuzzkit.default_corpus_dir()))
    parser.add_argument("--synth", type=int, default=200, help="synthetic seed dumps per worker")
    parser.add_argument("--heavy-rate", type=float, default=0.002, help="share of deep / multi-MB inputs")
    parser.add_argument("--random-rate", type=float, default=0.05, help="share of plain random bytes")
    parser.add_argument("--crash-dir", default=str(Path(tempfile.gettempdir()) / "fuzz-crashes"))
    args = parser.parse_args(argv)
    corpus = args.corpus if Path(args.corpus).is_dir() else ""
    if not corpus:
        print(f"no corpus at {args.corpus}: synthetic seeds only", file=sys.stderr)
    per = [args.inputs // args.workers + (i < args.inputs % args.workers) for i in range(args.workers)]
    jobs = [(i, per[i], args.seed, corpus, args.synth, args.heavy_rate, args.random_rate, args.crash_dir)
            for i in range(args.workers)]  # fmt: skip
    started = time.monotonic()
    with multiprocessing.Pool(args.workers) as pool:
        results = pool.map(_worker, jobs)
    elapsed = time.monotonic() - started
    kinds, outcomes, failures = Counter(), Counter(), []
    by_kind: defaultdict[str, Counter] = defaultdict(Counter)
    cpu, wall, peaks = [], [], []
    for r in results:
        kinds.update(r["kinds"])
        for kind, counts in r["by_kind"].items():
            by_kind[kind].update(counts)
        outcomes.update(r["outcomes"])
        failures += r["failures"]
        cpu += r["cpu"]
        wall += r["wall"]
        peaks += r["peaks"]
    raised = sum(r["raised"] for r in results)
    parser_errors = sum(v for (_, reason), v in outcomes.items() if reason == "parser_error")
    print(f"fuzz campaign: {sum(kinds.values()):,} inputs, seed {args.seed}, {args.workers} processes, "
          f"{elapsed:.0f} s ({sum(kinds.values()) / elapsed:.0f} inputs/s)")  # fmt: skip
    print(f"seeds: {len(fuzzkit.corpus_files(Path(corpus))) if corpus else 0:,} real dumps, "
          f"{args.synth} synthetic per process")  # fmt: skip
    print(
        "inputs per mutation kind ('+' = a second mutation on top), and their outcomes (ok, or the reason):"
    )
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:24} {n:8,}  " + ", ".join(f"{r} {c:,}" for r, c in by_kind[kind].most_common()))
    print("outcomes (status, reason):")
    for (status, reason), n in outcomes.most_common():
        print(f"  {status:9} {reason or '-':22} {n:8,}")
    print(f"exceptions raised out of the parser: {raised}; parser_error records: {parser_errors}")
    compared = sum(r["compared"] for r in results)
    print(f"re-encoded real/synthetic files compared with their UTF-8 parse: {compared:,}, "
          f"mismatches: {sum(r['mismatches'] for r in results)}")  # fmt: skip
    print(f"CPU per file: max {max(cpu, default=0):.3f} s, p99 {_p99(cpu):.4f} s; "
          f"wall per file: max {max(wall, default=0):.3f} s, p99 {_p99(wall):.4f} s")  # fmt: skip
    print(
        f"tracemalloc peak per file (all heavy inputs, 1 in {MEMORY_SAMPLE} others: {len(peaks):,} files): "
        f"max {max(peaks, default=0) / 1e6:.1f} MB, p99 {_p99(peaks) / 1e6:.2f} MB"
    )
    print(f"bounds: CPU {fuzzkit.MAX_CPU_S} s, wall {fuzzkit.MAX_WALL_S} s, "
          f"peak {fuzzkit.MAX_PEAK_BYTES / 1e6:.0f} MB per file")  # fmt: skip
    print(f"failures: {len(failures)}")
    for kind, full, where, problems in failures[:20]:
        print(f"  {kind} full={full} {where}: {'; '.join(problems)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
