"""End-to-end pipeline benchmark: raw folder -> lake -> warehouse through `etl run`, against the bare parse.

Run by hand (`.venv/bin/python bench/pipeline.py [--articles N] [--corpus ../shared/corpus]`). In ONE run it
measures, over the same files:
  1. the baseline: BeautifulSoup(html, "lxml") of every file on all cores (a fork pool), nothing else;
  2. a fresh `etl run` (new lake, warehouse and DAGSTER_HOME under the scratch folder): per-phase times from
     its log, articles/s, end-to-end time / baseline time, and the peak RSS of its process tree (psutil);
  3. the incremental case: `etl run` again with nothing new, and one raw_folder_sensor evaluation.
Targets (issue 6): >= 1,500 articles/s, >= 60% of the bare rate, incremental < 2 s, peak RSS < 1.5 GB.
Everything it writes goes under --scratch (never into the repository).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
ETL = [sys.executable, "-m", "etl.cli"]
PHASE = re.compile(r"(\w+_job) run \w+ succeeded in ([\d.]+) s \(([\d.]+) cpu-s, ([\d.]+) of them in parse")
TARGETS = {"articles_per_s": 1500, "ratio": 0.60, "incremental_s": 2.0, "peak_rss_gb": 1.5}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000, help="synthetic articles (default 100000)")
    ap.add_argument("--days", type=int, default=365, help="days the synthetic archive covers")
    ap.add_argument("--corpus", type=Path, help="use this folder of real dumps instead of a synthetic one")
    ap.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "news-warehouse-bench",
        help="work folder",
    )
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="cores for both sides")
    ap.add_argument("--skip-warehouse", action="store_true", help="end-to-end stops after the lake")
    ap.add_argument(
        "--timeline-only",
        action="store_true",
        help="only the fresh `etl run` and its timeline (no baseline, no incremental run): for iterating",
    )
    args = ap.parse_args()
    scratch = args.scratch.resolve()
    if scratch.is_relative_to(REPO):
        ap.error(f"--scratch {scratch} is inside the repository; pick a folder outside it")
    scratch.mkdir(parents=True, exist_ok=True)

    raw = args.corpus.resolve() if args.corpus else synthetic_archive(scratch, args.articles, args.days)
    from etl.lake.manifest import scan_raw

    files = sorted(scan_raw(raw))
    if not files:
        ap.error(f"no dump files under {raw}")
    say(f"{len(files):,} files under {raw}")

    if not args.timeline_only:
        say(f"baseline: bare BeautifulSoup(html, 'lxml') of every file on {args.workers} core(s)")
        bare = bare_parse_seconds(raw, files, args.workers)

    env = fresh_env(scratch / "run", raw, args.workers)
    say("fresh end-to-end `etl run`")
    e2e = timed_run(env, args.skip_warehouse, sample=True)
    if e2e["rc"] != 0:
        say(e2e["stderr"][-4000:])
        return 1
    if args.timeline_only:
        outside = e2e["wall"] - sum(secs for secs, _, _ in e2e["phases"].values())
        print(f"etl run, fresh: {e2e['wall']:.1f} s wall, {outside:.1f} s of it outside the runs")
        print_timeline(e2e["timeline"])
        return 0
    articles = lake_articles(Path(env["ETL_LAKE_DIR"]))
    say("incremental `etl run` (nothing new)")
    inc = timed_run(env, args.skip_warehouse, sample=False)
    sensor_s = sensor_tick_seconds(env)

    report(len(files), articles, args.workers, bare, e2e, inc, sensor_s)
    return 0


def say(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def _synth_fingerprint() -> str:
    """Of etl/synth's code: an archive written by another generator is written again."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "etl" / "synth").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def synthetic_archive(scratch: Path, articles: int, days: int) -> Path:
    """Reused across runs: a marker file says the archive was written completely, by this generator."""
    raw = scratch / f"synth-{articles}-{days}"
    done = scratch / f"synth-{articles}-{days}.done"
    if done.exists() and done.read_text().split() == ["complete", _synth_fingerprint()]:
        return raw
    shutil.rmtree(raw, ignore_errors=True)
    say(f"writing a synthetic archive of {articles:,} articles over {days} days to {raw}")
    cmd = [*ETL, "synth", "--out", str(raw), "--articles", str(articles), "--days", str(days)]
    subprocess.run(cmd, check=True, cwd=REPO)
    done.write_text(f"complete {_synth_fingerprint()}\n")
    return raw


def _bare(job: tuple[str, list[str]]) -> int:
    from bs4 import BeautifulSoup

    raw, rels = job
    for rel in rels:
        with open(os.path.join(raw, rel), "rb") as fh:
            BeautifulSoup(fh.read().decode("utf-8", "replace"), "lxml")
    return len(rels)


def children_cpu() -> float:
    """CPU seconds (user + sys) of every waited-for child process so far: steadier than wall time when
    other work shares the cores."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_parse_seconds(raw: Path, files: list[str], workers: int) -> tuple[float, float]:
    """(wall, cpu) seconds."""
    chunks = [(str(raw), files[i : i + 64]) for i in range(0, len(files), 64)]
    cpu, began = children_cpu(), time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = sum(pool.imap_unordered(_bare, chunks))
        pool.close()
        pool.join()
    assert done == len(files)
    return time.perf_counter() - began, children_cpu() - cpu


def fresh_env(root: Path, raw: Path, workers: int) -> dict[str, str]:
    shutil.rmtree(root, ignore_errors=True)
    home = root / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "ETL_RAW_DIR": str(raw),
        "ETL_LAKE_DIR": str(root / "lake"),
        "ETL_WAREHOUSE": str(root / "warehouse.duckdb"),
        "ETL_REPORTS_DIR": str(root / "reports"),
        "ETL_WORKERS": str(workers),
    }


def timed_run(env: dict[str, str], skip_warehouse: bool, sample: bool) -> dict:
    cmd = [*ETL, "run", "--no-sample", *(["--skip-warehouse"] if skip_warehouse else [])]
    cpu, began = children_cpu(), time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    samples: list[tuple[float, int, float, int]] = []
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, samples), daemon=True)
    if sample:
        sampler.start()
    lines = [(time.perf_counter(), line) for line in proc.stderr]  # timed: the timeline's marks
    proc.wait()
    stderr = "".join(line for _, line in lines)
    ended = time.perf_counter()
    wall, cpu = ended - began, children_cpu() - cpu
    if sample:
        sampler.join()
    phases: dict[str, tuple[float, float, int]] = {}
    since = began
    for at, line in lines:
        for job, secs, cpu_s, workers in PHASE.findall(line):
            wall_so_far, cpu_so_far, peak_so_far = phases.get(job, (0.0, 0.0, 0))
            peak = max((s[1] for s in samples if since <= s[0] <= at), default=0)
            phases[job] = (wall_so_far + float(secs), cpu_so_far + float(cpu_s), max(peak_so_far, peak))
            cpu += float(workers)  # forkserver workers are not this process's children: they report CPU
            since = at
    return {
        "rc": proc.returncode,
        "wall": wall,
        "cpu": cpu,
        "phases": phases,
        "peak": max((s[1] for s in samples), default=0),
        "stderr": stderr,
        "timeline": timeline(began, ended, lines, samples),
    }


def timeline(began: float, ended: float, lines: list[tuple[float, str]], samples: list) -> dict:
    """The run cut at each line it logged: per stretch its wall time, the CPU seconds its process tree used,
    the mean number of runnable threads (what it would use on an idle machine) and the peak RSS; plus every
    stretch of >= 0.3 s in which fewer threads than cores were runnable (a core the run left idle)."""
    cores = os.cpu_count() or 1
    marks = [(began, "start")] + [(at, line.strip().removeprefix("etl run: ")) for at, line in lines]
    marks.append((ended, "exit"))
    stretches = [_stretch(began, start, end, samples) for start, end in itertools.pairwise(marks)]
    idle = _idle_stretches(began, ended, samples, cores)
    below = sum(max(0, cores - s[3]) for s in samples) / len(samples) if samples else float("nan")
    return {
        "stretches": stretches,
        "idle": [(s, d) for s, d in idle if d >= 0.3],
        "idle_core_share": below / cores,
        "tree_cpu": samples[-1][2] if samples else 0.0,
    }


def _stretch(began: float, start: tuple[float, str], end: tuple[float, str], samples: list) -> tuple:
    """(at, wall, CPU seconds, mean runnable threads, peak RSS, the line that ends it) of the stretch between
    two logged lines, from the samples taken in it."""
    (t0, _), (t1, label) = start, end
    inside = [s for s in samples if t0 <= s[0] <= t1]
    before = [s for s in samples if s[0] <= t0]
    cpu0 = before[-1][2] if before else 0.0
    cpu1 = inside[-1][2] if inside else cpu0
    runnable = sum(s[3] for s in inside) / len(inside) if inside else float("nan")
    peak = max((s[1] for s in inside), default=0)
    return (t0 - began, t1 - t0, cpu1 - cpu0, runnable, peak, label)


def _idle_stretches(began: float, ended: float, samples: list, cores: int) -> list[tuple[float, float]]:
    """(start after `began`, duration) of every stretch in which fewer threads than cores were runnable."""
    idle, run_start = [], None
    for t, _, _, runnable in samples:
        if runnable < cores and run_start is None:
            run_start = t
        elif runnable >= cores and run_start is not None:
            idle.append((run_start - began, t - run_start))
            run_start = None
    if run_start is not None:
        idle.append((run_start - began, ended - run_start))
    return idle


def print_timeline(tl: dict) -> None:
    cores = os.cpu_count() or 1
    print(
        f"timeline of the fresh run (cpu: process tree; runnable: mean threads wanting 1 of {cores} cores; "
        "rss: peak of the process tree)"
    )
    print(f"  {'at':>7} {'wall':>7} {'cpu-s':>7} {'runnable':>8} {'rss GB':>6}  ends with")
    for at, wall, cpu, runnable, peak, label in tl["stretches"]:
        print(f"  {at:7.2f} {wall:7.2f} {cpu:7.2f} {runnable:8.2f} {peak / 1e9:6.2f}  {label[:90]}")
    idle_s = sum(d for _, d in tl["idle"])
    print(
        f"  process tree cpu {tl['tree_cpu']:.1f} s; cores left idle {tl['idle_core_share']:.0%} of the run; "
        f"{len(tl['idle'])} stretches >= 0.3 s with a core idle, {idle_s:.1f} s in all:"
    )
    for start, dur in sorted(tl["idle"], key=lambda x: -x[1])[:12]:
        print(f"    {start:7.2f} … {start + dur:7.2f}  ({dur:.2f} s)")


def _sample_tree(pid: int, samples: list[tuple[float, int, float, int]]) -> None:
    """(time, RSS summed over the process and all its descendants, their CPU seconds so far, threads that
    are runnable) every 0.1 s, until it ends. CPU is summed per thread ever seen (an exited worker keeps its
    last reading), so it does not drop when a child ends. Runnable threads (state R) count what the tree
    WANTS to run, which other load on the cores does not change: fewer than the cores = a core left idle."""
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    tick = os.sysconf("SC_CLK_TCK")
    cpu_of: dict[tuple[int, int], float] = {}
    while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
        rss = runnable = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in procs:
            with contextlib.suppress(psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                rss += p.memory_info().rss
                for tid in os.listdir(f"/proc/{p.pid}/task"):
                    with contextlib.suppress(OSError):
                        with open(f"/proc/{p.pid}/task/{tid}/stat") as fh:
                            fields = fh.read().rsplit(")", 1)[1].split()
                        runnable += fields[0] == "R"
                        cpu_of[p.pid, int(tid)] = (int(fields[11]) + int(fields[12])) / tick
        samples.append((time.perf_counter(), rss, sum(cpu_of.values()), runnable))
        time.sleep(0.1)


def lake_articles(lake: Path) -> int:
    import pyarrow.dataset as ds

    root = lake / "articles"
    if not root.is_dir():
        return 0
    return ds.dataset(root, format="parquet").count_rows()


SENSOR_SNIPPET = """
import time, dagster as dg
from etl.definitions import defs
from etl.defs.automation.sensors import raw_folder_sensor
with dg.DagsterInstance.get() as instance:
    ctx = dg.build_sensor_context(instance=instance, resources=defs.resources)
    began, cpu = time.perf_counter(), time.process_time()
    result = raw_folder_sensor(ctx)
    print(f"{time.perf_counter() - began:.3f} {time.process_time() - cpu:.3f}")
    print(len(result.run_requests or []), "run requests")
"""


def sensor_tick_seconds(env: dict[str, str]) -> tuple[float, float]:
    """One raw_folder_sensor evaluation with nothing new (imports excluded: the daemon has them loaded)."""
    done = subprocess.run(
        [sys.executable, "-c", SENSOR_SNIPPET], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    first, second = done.stdout.splitlines()[:2]
    if not second.startswith("0 "):
        say(f"sensor tick after the full run requested runs: {second}")
    wall, cpu = first.split()
    return float(wall), float(cpu)


def report(n_files, articles, workers, bare, e2e, inc, sensor_s) -> None:
    (bare_s, bare_cpu), wall = bare, e2e["wall"]
    rate = articles / wall
    ratio = bare_s / wall
    rows = [
        ("files", f"{n_files:,}", ""),
        (f"bare bs4+lxml, {workers} cores", f"{bare_s:.1f} s", f"{n_files / bare_s:,.0f} files/s (baseline)"),
        ("  cpu seconds", f"{bare_cpu:.1f} s", ""),
        ("etl run, fresh (end to end)", f"{wall:.1f} s", f"{n_files / wall:,.0f} files/s"),
        ("  cpu seconds", f"{e2e['cpu']:.1f} s", f"{e2e['cpu'] / bare_cpu:.2f}x the baseline's cpu"),
    ]
    for job, (secs, cpu_s, peak) in e2e["phases"].items():
        note = f"{secs / wall:.0%} of the run, {cpu_s:.1f} cpu-s, peak RSS {peak / 1e9:.2f} GB"
        rows.append((f"  {job}", f"{secs:.1f} s", note))
    outside = wall - sum(secs for secs, _, _ in e2e["phases"].values())
    rows.append(("  outside the runs", f"{outside:.1f} s", "imports, instance, planning, summary, exit"))
    rows += [
        ("articles in the lake", f"{articles:,}", ""),
        ("articles/s", f"{rate:,.0f}", f"target >= {TARGETS['articles_per_s']:,}"),
        ("bare time / end-to-end time", f"{ratio:.0%}", f"target >= {TARGETS['ratio']:.0%}"),
        ("peak RSS, process tree", f"{e2e['peak'] / 1e9:.2f} GB", f"target < {TARGETS['peak_rss_gb']} GB"),
        ("etl run, nothing new", f"{inc['wall']:.2f} s", f"target < {TARGETS['incremental_s']} s"),
        ("  cpu seconds", f"{inc['cpu']:.2f} s", ""),
        ("sensor tick, nothing new", f"{sensor_s[0]:.2f} s", f"target < {TARGETS['incremental_s']} s"),
        ("  cpu seconds", f"{sensor_s[1]:.2f} s", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>12}  {note}")
    met = (
        rate >= TARGETS["articles_per_s"],
        ratio >= TARGETS["ratio"],
        max(inc["wall"], sensor_s[0]) < TARGETS["incremental_s"],
        e2e["peak"] / 1e9 < TARGETS["peak_rss_gb"],
    )
    print_timeline(e2e["timeline"])
    print(f"targets met: {sum(met)}/4 (rate, ratio, incremental, memory: {', '.join(map(str, met))})")


if __name__ == "__main__":
    sys.exit(main())
