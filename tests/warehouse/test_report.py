"""The report renders from a warehouse built by a real run, and its charts hold data."""

from __future__ import annotations

import base64

import dagster as dg
import duckdb

from etl.defs.reports.assets import warehouse_report
from etl.defs.resources import PathsResource
from etl.report import charts
from etl.report.render import render_report

PNG = b"\x89PNG\r\n\x1a\n"


def test_charts_hold_data(real_warehouse, tmp_path):
    report = render_report(real_warehouse, tmp_path / "reports")
    con = duckdb.connect(str(real_warehouse), read_only=True)
    outlets = con.execute("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0]
    reprints = con.execute("SELECT count(*) FROM reprints").fetchone()[0]
    con.close()
    assert list(report.pngs) == [
        "topic_timelines",
        "volume_by_outlet",
        "agency_shares",
        "event_lead_lag",
        "reprint_network",
    ]
    for name, path in report.pngs.items():
        data = path.read_bytes()
        assert data.startswith(PNG) and len(data) > (5_000 if name == "reprint_network" else 20_000), name
        if name == "reprint_network" and not reprints:  # the synthetic sample holds no reprints yet
            assert report.series[name] == {}
            continue
        assert report.series[name] and all(points > 0 for points in report.series[name].values()), name
    assert len(report.series["volume_by_outlet"]) == min(outlets, 8)
    assert len(report.series["topic_timelines"]) == 6
    page = report.html_path.read_text()
    assert page.count("data:image/png;base64,") == 5
    assert base64.b64decode(report.headline_b64) == report.headline.read_bytes()


def test_report_asset_links_the_files(real_warehouse, tmp_path):
    paths = PathsResource(
        raw_dir=str(tmp_path / "raw"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(real_warehouse),
        reports_dir=str(tmp_path / "reports"),
    )
    result = dg.materialize(
        [warehouse_report], resources={"paths": paths}, instance=dg.DagsterInstance.ephemeral()
    )
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["html"].value == str(tmp_path / "reports" / "warehouse_report.html")
    assert metadata["headline"].value.startswith("![headline chart](data:image/png;base64,")
    assert (tmp_path / "reports" / "agency_shares.png").exists()


def test_topic_charts_say_which_count_they_draw(con, sample_rows):
    start, edge = con.execute("SELECT start_day, edge_day FROM coverage").fetchone()
    core = [r for r in sample_rows if start <= r["pub_date"] <= edge]
    chart = charts.topic_timelines(con)
    assert "kept topics" in chart.title and "kept topics" in chart.figure.get_suptitle()
    titles = {ax.get_title() for ax in chart.figure.axes if ax.get_visible()}
    on_topic = sum("russia_ukraine" in r["topics"] for r in core)
    primary = sum(r["primary_topic"] == "russia_ukraine" for r in core)
    assert 0 < primary < on_topic
    assert any(
        t.startswith(f"Russia-Ukraine: {on_topic} articles ({primary} as primary topic)") for t in titles
    )
