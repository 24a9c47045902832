"""`audit_reconciles`: the whole `etl audit` as an asset check on warehouse/articles, after every build."""

import traceback
from typing import TYPE_CHECKING

import dagster as dg

from etl.defs.partitions import PARTITION_START
from etl.defs.resources import PathsResource
from etl.defs.warehouse.assets import warehouse_key

if TYPE_CHECKING:
    from etl.audit import AuditReport

ARTICLES = warehouse_key("articles")


def check_result(report: "AuditReport") -> dg.AssetCheckResult:
    metadata: dict = {
        f"{layer.replace(' ', '_')}/{name}": dg.MetadataValue.int(int(value))
        for layer, figures in report.counts.items()
        for name, value in figures.items()
    }
    metadata["failures"] = dg.MetadataValue.json(
        [
            {"check": f.check, "layer": f.layer, "summary": f.summary, "sample": f.sample, "fix": f.fix}
            for f in report.failures
        ]
    )
    metadata["report"] = dg.MetadataValue.md(f"```\n{report.to_text()}\n```")
    metadata["seconds"] = dg.MetadataValue.json(report.seconds)
    return dg.AssetCheckResult(
        passed=report.ok,
        severity=dg.AssetCheckSeverity.ERROR,
        description=report.headline(),
        metadata=metadata,
    )


@dg.asset_check(
    asset=ARTICLES,
    name="audit_reconciles",
    description="`etl audit`: every raw file is parsed, rejected with a reason or a known duplicate "
    "capture, and raw folder, manifest, lake and warehouse agree file for file and row for row.",
)
def audit_reconciles(context: dg.AssetCheckExecutionContext, paths: PathsResource) -> dg.AssetCheckResult:
    # Imported here, not with the definitions: the audit reads the warehouse with the build's own inputs
    # (which import the events step), a cost for this check's step only.
    from etl.audit import audit

    try:
        report = audit(
            paths.raw_dir, paths.lake_dir, paths.warehouse_path, PARTITION_START, progress=context.log.info
        )
    except Exception as exc:
        # The warehouse is built by now: an audit that cannot run fails this check, not the whole run.
        context.log.error(f"etl audit could not run:\n{traceback.format_exc()}")
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"the audit could not run: {exc!r} (run `etl audit` for the details)",
        )
    context.log.info(report.headline())
    return check_result(report)
