"""Render the warehouse report: PNGs and one self-contained HTML page (PNGs embedded as base64)."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from etl.lake.atomic import write_bytes_atomic
from etl.report.charts import CHARTS
from etl.warehouse.snapshot import open_snapshot


@dataclass
class Report:
    html_path: Path
    pngs: dict[str, Path]  # chart name -> PNG, headline first
    series: dict[str, dict[str, int]]  # chart name -> {series: non-zero points}
    headline_b64: str

    @property
    def headline(self) -> Path:
        return next(iter(self.pngs.values()))


def _html(title: str, info: dict[str, str], sections: list[tuple[str, str]]) -> str:
    facts = "".join(f"<li>{html.escape(k)}: <code>{html.escape(v)}</code></li>" for k, v in info.items())
    body = "".join(
        f'<section><h2>{html.escape(heading)}</h2><img alt="{html.escape(heading)}" '
        f'src="data:image/png;base64,{b64}"></section>'
        for heading, b64 in sections
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222}"
        "img{max-width:100%}code{background:#f3f3f3}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><ul>{facts}</ul>{body}</body></html>"
    )


def render_report(warehouse_path: str | Path, reports_dir: str | Path) -> Report:
    out = Path(reports_dir)
    out.mkdir(parents=True, exist_ok=True)
    pngs, series, sections = {}, {}, []
    with open_snapshot(warehouse_path) as con:
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        first, last, articles = con.execute(
            "SELECT min(pub_date), max(pub_date), count(*) FROM articles"
        ).fetchone()
        for make in CHARTS:
            chart = make(con)
            path = out / f"{chart.name}.png"
            png = io.BytesIO()
            chart.figure.savefig(png, format="png", dpi=110)
            data = png.getvalue()
            write_bytes_atomic(path, data)
            pngs[chart.name] = path
            series[chart.name] = chart.series
            sections.append((chart.title, base64.b64encode(data).decode()))
    summary = {
        "articles": str(articles),
        "dates": f"{first} … {last}",
        "warehouse built at": info.get("built_at", "?"),
        "code version": info.get("code_version", "?"),
        "warehouse": str(Path(warehouse_path).resolve()),
    }
    html_path = out / "warehouse_report.html"
    write_bytes_atomic(html_path, _html("news-warehouse report", summary, sections).encode())
    return Report(html_path, pngs, series, sections[0][1])
