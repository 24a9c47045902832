"""The narrowest crash window of an incremental run: a lake partition is on disk but the process dies before
Dagster recorded its materialization (events follow writes). The lake then looks current (its footer matches
the manifest) and no event announced the day, so the warehouse's currency must come from the lake's files
(etl.lake.plan.lake_stamp): the rerun must not call the old warehouse "up to date"."""

from __future__ import annotations

import os
import shutil

import pipeline_procs as procs
import polars as pl
import pytest
import state_checksums as sc

pytestmark = pytest.mark.e2e

# `etl run`, with the lake's partition writer killing the whole run right after it wrote the given day.
KILL_AFTER_WRITE = """
import os, signal, sys
from etl.lake import build

real = build.write_partition

def write_then_die(lake_dir, b, code_version):
    real(lake_dir, b, code_version)
    if b.day == sys.argv[1]:
        os.killpg(os.getpgrp(), signal.SIGKILL)

build.write_partition = write_then_die
from etl.cli import main
sys.exit(main(["run", "--no-sample"]))
"""


def single_capture_file(manifest_path, day: str) -> str:
    """A raw file that is its article's only capture, on `day`: removing it changes that partition alone."""
    m = pl.read_parquet(manifest_path).filter(pl.col("status") == "ok")
    once = m.group_by("article_id").len().filter(pl.col("len") == 1)["article_id"]
    rows = m.filter(pl.col("article_id").is_in(once.implode()) & (pl.col("pub_date").cast(pl.String) == day))
    return sorted(rows["path"].to_list())[0]


def test_sigkill_right_after_a_partition_write(tmp_path, raw_archive, reference, shared_root, ledger):
    clean_lake = shared_root / "clean" / "lake"
    day = max(p.name.removeprefix("pub_date=") for p in (clean_lake / "articles").iterdir())
    held = single_capture_file(clean_lake / "manifest" / "manifest.parquet", day)
    raw = tmp_path / "raw"
    shutil.copytree(raw_archive, raw)  # copy2: sizes and mtimes as in the archive, so the manifests agree
    aside = tmp_path / "held.md"
    os.replace(raw / held, aside)
    site = procs.make_site(tmp_path / "site", raw)

    procs.run(site)  # the archive without one article: lake and warehouse built
    os.replace(aside, raw / held)  # the article arrives: only its day changes
    killed = procs.start(site, *procs.python(KILL_AFTER_WRITE, day))
    assert killed.wait(timeout=procs.RUN_TIMEOUT_S) == -9, procs.read_log(site)

    log = procs.run(site)
    assert "warehouse up to date" not in log, log
    state = sc.pipeline_state(site.lake, site.warehouse)
    lost = ledger("kill after write", 1, 0, state, reference["state"], ["after a partition write"])
    assert state == reference["state"], sc.differences(state, reference["state"])
    assert lost == 0
