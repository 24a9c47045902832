"""`reports/warehouse_report`: charts rendered from the warehouse (etl/report), linked from the UI."""

import dagster as dg

from etl.defs.resources import PathsResource
from etl.defs.warehouse.assets import warehouse_key


@dg.asset(
    key=dg.AssetKey(["reports", "warehouse_report"]),
    deps=[
        warehouse_key(t)
        for t in ("timeline_daily", "topic_timeline", "topic_lifecycle", "agency_share_daily")
    ],
    group_name="reports",
    kinds={"html", "matplotlib"},
    description="Daily volume by outlet, top topic timelines with bursts (articles on the topic, primary "
    "articles beside), agency shares by outlet: PNGs and one self-contained HTML page in the reports folder.",
)
def warehouse_report(context: dg.AssetExecutionContext, paths: PathsResource) -> dg.MaterializeResult:
    from etl.report.render import render_report  # here: matplotlib is for this step, not every code load

    report = render_report(paths.warehouse_path, paths.reports_dir)
    context.log.info(f"wrote {report.html_path} and {len(report.pngs)} charts")
    metadata = {
        "html": dg.MetadataValue.path(str(report.html_path)),
        "html_url": dg.MetadataValue.url(report.html_path.resolve().as_uri()),
        "headline": dg.MetadataValue.md(f"![headline chart](data:image/png;base64,{report.headline_b64})"),
        **{f"png/{name}": dg.MetadataValue.path(str(path)) for name, path in report.pngs.items()},
        "nonzero_points_per_series": dg.MetadataValue.json(report.series),
    }
    return dg.MaterializeResult(metadata=metadata)
