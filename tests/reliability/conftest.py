"""Reliability fixtures: one synthetic raw archive and the state of one clean `etl run` over it, made once per
test session and shared by the xdist workers (a file lock makes the first worker build them).

    .venv/bin/pytest -n 2 tests/reliability            # prints the fault totals at the end
    RELIABILITY_KILLS=20 RELIABILITY_ARTICLES=4000 .venv/bin/pytest -n 2 tests/reliability   # a soak run
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pipeline_procs as procs
import pytest
import state_checksums
from filelock import FileLock

from etl.synth import generate

# Big enough that a kill lands mid-work (hundreds of files per partition), small enough for CI.
# RELIABILITY_ARTICLES raises it for a soak run.
ARTICLES = int(os.environ.get("RELIABILITY_ARTICLES", "1000"))
DAYS = 8
START = "2024-03-01"


def _shared_path(base: Path) -> Path:
    # xdist workers get <session>/popen-gwN as their base; the controller and a plain run get <session>.
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return root / "reliability-shared"


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory) -> Path:
    """A folder all workers of this session see."""
    path = _shared_path(tmp_path_factory.getbasetemp())
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def ledger(shared_root):
    """Records each scenario's injected faults and whether the rerun ended identical to the clean run; the
    totals print at the end of the session."""

    def record(test: str, landed: int, missed: int, state: dict, want: dict, where: list[str] = ()) -> int:
        lost = sum(max(0, rows - state.get(table, (0, 0))[0]) for table, (rows, _) in want.items())
        entry = {
            "test": test,
            "landed": landed,
            "missed": missed,
            "identical": state == want,
            "rows_lost": lost,
            "where": list(where),
        }
        with open(shared_root / "faults.jsonl", "a") as fh:
            fh.write(json.dumps(entry) + "\n")
        return lost

    return record


def pytest_terminal_summary(terminalreporter, config):
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return
    path = _shared_path(factory.getbasetemp()) / "faults.jsonl"
    if not path.exists():
        return
    entries = [json.loads(line) for line in path.read_text().splitlines() if line]
    terminalreporter.write_line(
        f"reliability: {sum(e['landed'] for e in entries)} faults injected mid-run "
        f"({sum(e['missed'] for e in entries)} more came after the run had ended), "
        f"{sum(e['identical'] for e in entries)}/{len(entries)} scenarios ended identical to a clean run "
        f"(row counts + checksums of every lake and warehouse table), rows lost "
        f"{sum(e['rows_lost'] for e in entries)}"
    )
    stages: dict[str, int] = {}
    for stage in (s for e in entries for s in e["where"]):
        stages[stage] = stages.get(stage, 0) + 1
    terminalreporter.write_line(f"reliability: where the SIGKILLs landed: {stages}")


@pytest.fixture(scope="session")
def raw_archive(shared_root) -> Path:
    raw = shared_root / "raw"
    with FileLock(str(shared_root / "raw.lock")):
        if not (shared_root / "raw.done").exists():
            generate(raw, articles=ARTICLES, days=DAYS, start=START, seed=5, keep_truth=False)
            (shared_root / "raw.done").write_text("")
    return raw


@pytest.fixture(scope="session")
def reference(shared_root, raw_archive) -> dict:
    """Checksums of every lake and warehouse table after one clean, uninterrupted `etl run`."""
    done = shared_root / "reference.json"
    with FileLock(str(shared_root / "reference.lock")):
        if not done.exists():
            site = procs.make_site(shared_root / "clean", raw_archive)
            began = time.monotonic()
            procs.run(site)
            seconds = time.monotonic() - began
            state = state_checksums.pipeline_state(site.lake, site.warehouse)
            assert state["lake.articles"][0] > 0 and state["warehouse.articles"][0] > 0
            done.write_text(
                json.dumps(
                    {
                        "state": state,
                        "seconds": seconds,
                        "partitions": procs.partitions_written(site),
                        "leftovers": state_checksums.leftovers(site.lake, site.root),
                    }
                )
            )
    data = json.loads(done.read_text())
    data["state"] = {k: tuple(v) for k, v in data["state"].items()}
    return data


@pytest.fixture
def site(tmp_path, raw_archive) -> procs.Site:
    return procs.make_site(tmp_path, raw_archive)
