"""The manifest on its own: every row ok or rejected with a reason, one latest capture per article, and
files = articles + duplicate captures + rejected, per outlet and in total (polars group-bys)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from etl.audit.report import MANIFEST, RUN_ETL, SAMPLE, Finding, finding
from etl.lake import assign, checks

OK = pl.col("status") == "ok"
REJECTED = pl.col("status") == "rejected"
NO_OUTLET = "(no outlet)"


def manifest_findings(
    manifest: pl.DataFrame, files_on_disk: int, partition_start: date, reject_rate_warn: float
) -> list[Finding]:
    equation = checks.every_file_accounted(manifest, files_on_disk)
    ok = manifest.filter(OK)
    latest = ok.group_by("article_id").agg(
        latest=pl.col("is_latest").sum(), days=pl.col("pub_date").n_unique(), day=pl.col("pub_date").min()
    )
    not_one_latest = latest.filter(pl.col("latest") != 1).sort("article_id")
    split = latest.filter(pl.col("days") > 1).sort("article_id")
    dup_paths = manifest.group_by("path").len().filter(pl.col("len") > 1).sort("path")
    return [
        Finding(
            MANIFEST,
            "files_accounted_for",
            equation.passed,
            equation.description,
            0 if equation.passed else 1,
            fix="" if equation.passed else RUN_ETL,
        ),
        finding(
            MANIFEST,
            "manifest_paths_unique",
            dup_paths["path"].to_list(),
            "one manifest row per file",
            "{n} path(s) listed more than once in the manifest",
            "delete lake/manifest/manifest.parquet and run `etl run` (rebuilds it from the raw folder)",
        ),
        finding(
            MANIFEST,
            "status_ok_or_rejected",
            manifest.filter(~OK & ~REJECTED | pl.col("status").is_null())["path"].to_list(),
            "every row is ok or rejected",
            "{n} row(s) neither ok nor rejected",
            RUN_ETL,
        ),
        finding(
            MANIFEST,
            "rejects_have_reason",
            manifest.filter(REJECTED & (pl.col("reason").fill_null("").str.strip_chars() == ""))[
                "path"
            ].to_list(),
            f"{manifest.filter(REJECTED).height:,} rejected rows, each with a reason",
            "{n} rejected row(s) without a reason",
            RUN_ETL,
        ),
        finding(
            MANIFEST,
            "ok_rows_complete",
            ok.filter(
                pl.col("article_id").is_null()
                | pl.col("pub_date").is_null()
                | pl.col("is_latest").is_null()
                | pl.col("reason").is_not_null()
            )["path"].to_list(),
            "every ok row has an article_id, a partition and a latest flag",
            "{n} ok row(s) missing article_id, pub_date or is_latest, or carrying a reject reason",
            RUN_ETL,
        ),
        finding(
            MANIFEST,
            "one_latest_capture_per_article",
            [f"{a}: {n} latest" for a, n in not_one_latest.select("article_id", "latest").iter_rows()]
            + manifest.filter(REJECTED & pl.col("is_latest").fill_null(False))["path"].to_list(),
            f"{latest.height:,} articles, one latest capture each; the other captures are known duplicates",
            "{n} article(s) without exactly one latest capture (or a rejected row marked latest)",
            RUN_ETL,
        ),
        finding(
            MANIFEST,
            "article_in_one_partition",
            split["article_id"].to_list(),
            "all captures of an article share its partition",
            "{n} article(s) whose captures are assigned to more than one partition",
            RUN_ETL,
        ),
        _verdicts_current(manifest, partition_start),
        _reject_rate(manifest, reject_rate_warn),
    ]


def _reject_rate(manifest: pl.DataFrame, threshold: float) -> Finding:
    """Rejects are accounted for, but a flood of them (a parser bug, a new dump format) is worth a warning."""
    rate = checks.reject_rate(manifest, threshold)
    by_reason = rate.metadata["by_reason"]
    return Finding(
        MANIFEST,
        "reject_rate",
        rate.passed,
        rate.description,
        rate.metadata["rejected"],
        [f"{reason}: {n:,}" for reason, n in list(by_reason.items())[:SAMPLE]],
        "read the rejects' details: `etl parse <file>`, or the `rejects` table in the warehouse",
        severity="warning",
        sample_of=len(by_reason),
    )


def _verdicts_current(manifest: pl.DataFrame, partition_start: date) -> Finding:
    """Re-derive status, reason, pub_date and is_latest from the cached parse columns, as a refresh would."""
    derived = assign.derive(manifest, partition_start, datetime.now(UTC).date())
    cols = ["status", "reason", "pub_date", "is_latest"]
    both = manifest.select("path", *cols).join(derived.select("path", *cols), on="path", suffix="_now")
    differ = both.filter(pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_now")) for c in cols)).sort(
        "path"
    )
    return finding(
        MANIFEST,
        "verdicts_current",
        [
            f"{p}: {s}/{r or '-'} -> {s2}/{r2 or '-'}"
            for p, s, r, s2, r2 in differ.select(
                "path", "status", "reason", "status_now", "reason_now"
            ).iter_rows()
        ],
        f"statuses, partitions and latest flags are what a refresh derives (start {partition_start})",
        "{n} row(s) whose status, partition or latest flag a refresh would change",
        RUN_ETL,
    )


def per_outlet(manifest: pl.DataFrame) -> list[dict]:
    """files = articles + duplicates + rejected per outlet; `unaccounted` must be 0."""
    table = (
        manifest.group_by(outlet=pl.col("outlet").fill_null(NO_OUTLET))
        .agg(
            files=pl.len(),
            articles=(OK & pl.col("is_latest")).sum(),
            duplicates=(OK & ~pl.col("is_latest")).sum(),
            rejected=REJECTED.sum(),
        )
        .with_columns(
            unaccounted=pl.col("files") - pl.col("articles") - pl.col("duplicates") - pl.col("rejected")
        )
        .sort(["files", "outlet"], descending=[True, False])
    )
    total = table.select(pl.lit("total").alias("outlet"), pl.exclude("outlet").sum())
    return pl.concat([table, total]).with_columns(pl.exclude("outlet").cast(pl.Int64)).to_dicts()


def manifest_counts(manifest: pl.DataFrame) -> dict[str, int]:
    c = checks.manifest_counts(manifest)
    return {
        "files": c["files_seen"],
        "ok_captures": c["articles"] + c["duplicate_captures"],
        "articles": c["articles"],
        "duplicates": c["duplicate_captures"],
        "rejected": c["rejected"],
        "partitions": manifest.filter(OK)["pub_date"].n_unique(),
    }
