"""The warehouse's reprints, events and event_articles tables and the inferred agencies, built from a
hand-made lake whose reprints and event are known (articles of tests/events/handmade.py)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import handmade_lake
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "events"))
import handmade
from test_events import DEAL_DW, DEAL_RFI, DEAL_VOA

from etl.warehouse.build import build_warehouse

CLI = Path(sys.executable).parent / "duckdb"


def _lake_row(row: dict, credited: list[str] | None = None) -> dict:
    at = row["published_at"]
    lake = handmade_lake.article(
        row["article_id"],
        at.date(),
        outlet=row["outlet"],
        title=row["title"],
        body=row["body_text"],
        credited=credited,
        primary=None,
    )
    stamps = {"published_at": at, "feed_published_at": at, "outlet_published_at": at}
    return {**lake, **stamps, "script": row["script"], "digest": row["digest"]}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("events")
    registries = handmade_lake.write_registries(root / "registries")
    agencies = (registries / "agencies.yaml").read_text(encoding="utf-8")
    (registries / "agencies.yaml").write_text(
        agencies.replace("label: Reuters,", "label: Reuters, self_outlet: reuters,"), encoding="utf-8"
    )
    t0 = handmade.T0
    rows = [
        _lake_row(DEAL_DW),
        _lake_row(DEAL_VOA),
        _lake_row(DEAL_RFI),
        # A Reuters story and another outlet's copy of it: Reuters is inferred on the copy.
        _lake_row(
            handmade.article("rt1", "reuters", "江西洪灾七人死亡", handmade.FLOOD, t0 - timedelta(days=3))
        ),
        _lake_row(
            handmade.article(
                "zb1",
                "zaobao",
                "江西洪灾七人死亡 两万人转移",
                handmade.FLOOD,
                t0 - timedelta(days=3) + timedelta(hours=2),
            )
        ),
        # A story credited to AFP and a copy that credits no one: AFP is inferred on the copy.
        _lake_row(
            handmade.article(
                "dwa", "dw", "暴雨袭击中国南方", handmade.FLOOD_RETOLD * 2, t0 - timedelta(days=6)
            ),
            credited=["afp"],
        ),
        _lake_row(
            handmade.article(
                "cdt1", "cdt", "转载：暴雨袭击中国南方", handmade.FLOOD_RETOLD * 2, t0 - timedelta(days=5)
            )
        ),
        *[_lake_row(r) for r in handmade.background(40)],
    ]
    lake = handmade_lake.write_lake(root / "lake", rows)
    result = build_warehouse(lake, root / "warehouse.duckdb", registries)
    assert all(c.passed for c in result.checks), [c for c in result.checks if not c.passed]
    return result.path


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_reprints_name_the_earlier_source_and_the_lag(warehouse):
    found = _rows(
        warehouse,
        "SELECT article_id, source_article_id, lag_seconds, same_outlet FROM reprints "
        "WHERE article_id IN ('zb1', 'cdt1') ORDER BY article_id",
    )
    assert found == [("cdt1", "dwa", 86_400, False), ("zb1", "rt1", 7_200, False)]


def test_reprints_of_agency_copy_get_inferred_agencies_and_credited_rows_stay(warehouse):
    inferred = _rows(
        warehouse,
        "SELECT article_id, agency, source_article_id FROM article_agencies "
        "WHERE role = 'inferred' ORDER BY article_id",
    )
    assert ("zb1", "reuters", "rt1") in inferred
    assert ("cdt1", "afp", "dwa") in inferred
    credited = _rows(warehouse, "SELECT article_id, agency FROM article_agencies WHERE role = 'credited'")
    assert credited == [("dwa", "afp")]


def test_the_event_and_its_articles(warehouse):
    event = _rows(
        warehouse, "SELECT event_id, first_outlet, articles, outlets FROM events WHERE event_id = 'ev-dw1'"
    )
    assert event == [("ev-dw1", "dw", 3, 3)]
    members = _rows(
        warehouse,
        "SELECT article_id, lag_hours, is_first FROM event_articles "
        "WHERE event_id = 'ev-dw1' ORDER BY published_at",
    )
    assert members == [("dw1", 0.0, True), ("voa1", 3.5, False), ("rfi1", 12.0, False)]
    in_two = _rows(warehouse, "SELECT article_id FROM event_articles GROUP BY 1 HAVING count(*) > 1")
    assert in_two == []


def test_the_event_macros_through_the_cli(warehouse):
    def cli(sql: str) -> str:
        done = subprocess.run(
            [str(CLI), "-readonly", "-csv", str(warehouse), "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    timeline = cli("FROM event_timeline('ev-dw1', 'day')").splitlines()
    assert timeline[0] == "period,outlet,articles,first_lag_hours" and len(timeline) == 4
    lead = cli("SELECT outlet, events, first_reports FROM outlet_event_lead() WHERE outlet = 'dw'")
    expected = _rows(
        warehouse,
        "SELECT count(DISTINCT event_id), count(DISTINCT event_id) FILTER (is_first) "
        "FROM event_articles JOIN events USING (event_id) "
        "WHERE outlet = 'dw' AND outlets >= 2",
    )[0]
    assert lead.splitlines()[1] == f"dw,{expected[0]},{expected[1]}" and expected[1] >= 1
    network = cli("SELECT source_outlet, outlet, reprints FROM reprint_network() ORDER BY ALL").splitlines()
    assert "dw,cdt,1" in network and "reuters,zaobao,1" in network
    agencies = cli("SELECT count(*) FROM event_agencies('ev-dw1')").splitlines()
    assert agencies[1] == "0"  # the event's articles credit, cite and copy no agency
