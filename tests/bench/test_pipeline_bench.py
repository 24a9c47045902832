"""bench/pipeline.py is run by hand; this only checks that it still runs end to end at a toy size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from etl.synth import generate

REPO = Path(__file__).resolve().parents[2]


def test_pipeline_bench_runs_on_a_toy_archive(tmp_path):
    raw = tmp_path / "raw"
    summary = generate(raw, articles=30, days=2, start="2024-03-01", seed=5, keep_truth=False)
    cmd = [sys.executable, str(REPO / "bench" / "pipeline.py"), "--corpus", str(raw)]
    cmd += ["--scratch", str(tmp_path / "scratch"), "--skip-warehouse"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "bare bs4+lxml, " in out and "etl run, fresh (end to end)" in out
    articles = int(
        next(line for line in out.splitlines() if line.startswith("articles in the lake")).split()[-1]
    )
    assert articles == summary.articles
    assert "sensor tick, nothing new" in out and "targets met:" in out
