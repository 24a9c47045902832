"""Over ALL of ../shared/corpus: the warehouse's credited-agency counts by outlet equal what the parser says
about the same captures, and no article is counted twice."""

from __future__ import annotations

from collections import Counter
from datetime import date

import duckdb
import pytest

from etl.dumps.parse import parse_file
from etl.lake import build
from etl.lake.manifest import read_manifest, refresh_manifest, scan_raw
from etl.warehouse.build import build_warehouse

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group("warehouse_corpus")]


def test_whole_corpus_through_the_warehouse(corpus_dir, tmp_path):
    lake = tmp_path / "lake"
    refresh_manifest(corpus_dir, lake, date(2010, 1, 1), date.today())
    manifest = read_manifest(lake)
    days = sorted(build.stale_partitions(manifest, lake))
    for partition in build.build_partitions(manifest, lake, corpus_dir, days):
        build.write_partition(lake, partition, "warehouse-corpus-test")
    result = build_warehouse(lake, tmp_path / "warehouse.duckdb")
    assert all(c.passed for c in result.checks), [c for c in result.checks if not c.passed]

    con = duckdb.connect(str(result.path), read_only=True)
    latest = con.execute("SELECT outlet, source_path FROM articles").fetchall()
    got = Counter(
        dict(
            ((o, a), n)
            for o, a, n in con.execute(
                "SELECT outlet, agency, sum(articles) FROM agency_counts_daily "
                "WHERE role = 'credited' GROUP BY ALL"
            ).fetchall()
        )
    )
    con.close()

    # the parser's own verdict on each article's capture, read again from disk
    expected = Counter()
    for outlet, path in latest:
        record = parse_file(str(corpus_dir / path))
        assert record.outlet == outlet
        expected.update((outlet, agency) for agency in set(record.agencies_credited))
    assert got == expected and sum(got.values()) > 3000

    # every distinct article the header parse finds is in the warehouse exactly once
    ids = {parse_file(str(corpus_dir / rel), full=False).article_id for rel in scan_raw(corpus_dir)} - {None}
    assert len(latest) == len(ids) == result.row_counts["articles"] > 11_000
