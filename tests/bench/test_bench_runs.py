"""The benchmark scripts are run by hand; this only checks that they still run and print their verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from etl.synth import generate

REPO = Path(__file__).resolve().parents[2]


def test_parse_bench_runs_on_a_small_synthetic_sample(tmp_path):
    generate(tmp_path / "raw", articles=40, days=3, start="2024-03-01", seed=5, keep_truth=False)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "parse.py"), str(tmp_path / "raw"), "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "bare bs4+lxml" in done.stdout and "full ArticleRecord" in done.stdout
    assert "full record / bare bs4 (best) =" in done.stdout


def test_events_bench_speed_run_on_a_few_synthetic_articles(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "events.py"), "--articles", "3000", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert '"articles": 3000' in done.stdout and '"peak_rss_gb"' in done.stdout
    assert '"reprints": 0' not in done.stdout  # the planted reprints (2% of stories) are found
    result = json.loads(done.stdout[: done.stdout.rindex("}") + 1])
    # scored against the planted truth of etl synth's plan (the same generator as the files)
    assert result["truth_reprint_pairs"] > 0 and result["truth_event_pairs"] > 0
    assert min(result[k] for k in ("reprint_recall", "event_recall", "event_precision")) >= 0.9, result
    assert 0 < result["pass_cpu_seconds"] <= result["cpu_seconds"]  # the pass over the bodies, timed apart
    assert "targets at 1,000,000 articles" in done.stdout
