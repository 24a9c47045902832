"""Data-quality checks over the manifest and the lake, as plain functions (Dagster wraps them as checks)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

import polars as pl

from etl.lake import assign, schema, storage
from etl.lake.storage import Location


@dataclass
class Outcome:
    passed: bool
    description: str
    metadata: dict = field(default_factory=dict)


def manifest_counts(manifest: pl.DataFrame) -> dict[str, int]:
    ok = manifest.filter(pl.col("status") == "ok")
    return {
        "files_seen": manifest.height,
        "articles": int(ok["is_latest"].sum()),
        "duplicate_captures": int((~ok["is_latest"]).sum()),
        "rejected": manifest.height - ok.height,
    }


def rejects_by_reason(manifest: pl.DataFrame) -> dict[str, int]:
    rej = manifest.filter(pl.col("status") == "rejected")
    return dict(rej.group_by("reason").len().sort(["len", "reason"], descending=[True, False]).iter_rows())


def every_file_accounted(manifest: pl.DataFrame, files_on_disk: int) -> Outcome:
    """ok articles + duplicate captures + rejected = files seen = files on disk; one latest per article."""
    c = manifest_counts(manifest)
    ok = manifest.filter(pl.col("status") == "ok")
    latest_per_article = (
        ok.group_by("article_id").agg(pl.col("is_latest").sum()).filter(pl.col("is_latest") != 1)
    )
    unexplained = manifest.filter((pl.col("status") == "rejected") & pl.col("reason").is_null()).height
    passed = (
        c["articles"] + c["duplicate_captures"] + c["rejected"] == c["files_seen"] == files_on_disk
        and latest_per_article.height == 0
        and unexplained == 0
    )
    return Outcome(
        passed,
        f"{c['articles']:,} articles + {c['duplicate_captures']:,} duplicate captures + {c['rejected']:,} "
        f"rejected = {c['files_seen']:,} in the manifest; {files_on_disk:,} dump files on disk",
        {
            **c,
            "files_on_disk": files_on_disk,
            "rejects_without_reason": unexplained,
            "articles_without_one_latest": latest_per_article.height,
        },
    )


def reject_rate(manifest: pl.DataFrame, threshold: float) -> Outcome:
    n = manifest.height
    rejected = manifest.filter(pl.col("status") == "rejected").height
    rate = rejected / n if n else 0.0
    return Outcome(
        rate <= threshold,
        f"{rejected:,} of {n:,} files rejected ({rate:.2%}); "
        f"warn above {threshold:.2%} (ETL_REJECT_RATE_WARN)",
        {
            "reject_rate": rate,
            "threshold": threshold,
            "rejected": rejected,
            "by_reason": rejects_by_reason(manifest),
        },
    )


def before_partition_start(manifest: pl.DataFrame) -> Outcome:
    early = manifest.filter(pl.col("reason") == assign.BEFORE_START)
    sample = early.select("path").head(10)["path"].to_list()
    return Outcome(
        early.height == 0,
        f"{early.height:,} files hold articles published before the first partition (kept in the manifest as "
        "rejected, reason before_partition_start)",
        {"files": early.height, "sample": sample},
    )


def _files(lake_dir: Location, table: str) -> list[str]:
    return storage.parquet_files(storage.join(lake_dir, table), "pub_date=*")


def _day_of(file: str) -> str:
    return posixpath.basename(posixpath.dirname(file)).removeprefix("pub_date=")


def _rows(lake_dir: Location, table: str, columns: list[str], days: list[str] | None = None) -> pl.DataFrame:
    """`columns` of every row in the table's partition files (of `days` only, when given) plus `day`, the
    partition folder the row was read from. Local files are read in one multi-threaded scan (a read per file
    cost ~1 ms each: seconds over a year of partitions); an object store's by several threads at once."""
    files = _files(lake_dir, table)
    if days is not None:
        wanted = set(days)
        files = [f for f in files if _day_of(f) in wanted]
    if not files:
        empty = pl.from_arrow(schema.stored(schema.TABLES[table]).empty_table()).select(columns)
        return empty.with_columns(day=pl.lit(None, pl.String))
    if storage.is_remote(files[0]):
        frames = storage.read_each(files, columns)
        return pl.concat(
            [df.with_columns(day=pl.lit(_day_of(f))) for f, df in zip(files, frames, strict=True)]
        )
    day_of = {f: _day_of(f) for f in files}
    scan = pl.scan_parquet(files, hive_partitioning=False, include_file_paths="_file")
    return scan.select(*columns, day=pl.col("_file").replace_strict(day_of, return_dtype=pl.String)).collect()


def unique_article_ids(lake_dir: Location) -> Outcome:
    return _unique_ids(_rows(lake_dir, "articles", ["article_id"]))


# What decides an article's partition: the UTC day of its earliest capture (etl/lake/assign.py). Rows hold no
# pub_date (the folder name is the only copy), so the check compares the folder with the rows' own times.
_INSIDE_COLUMNS = ["article_id", "published_at"]


def pub_dates_inside_partitions(lake_dir: Location) -> Outcome:
    """Every row of both tables sits in its article's partition: the folder is the UTC day of the earliest
    published_at of the article's rows there (after a build, build_checks reads only the days built)."""
    return _inside({table: _rows(lake_dir, table, _INSIDE_COLUMNS) for table in schema.TABLES})


def partitions_accounted(
    manifest_before: pl.DataFrame, lake_dir: Location, days: list[str], build_rejects: int
) -> Outcome:
    """For the days just built: files assigned = article_versions rows + files left out of the build, and
    articles = distinct article_ids of the versions, read back from the files written."""
    articles = _rows(lake_dir, "articles", ["article_id"], days)
    versions = _rows(lake_dir, "article_versions", ["article_id"], days)
    return _accounted(manifest_before, days, build_rejects, articles, versions)


def build_checks(
    manifest_before: pl.DataFrame, lake_dir: Location, days: list[str], build_rejects: int
) -> dict[str, Outcome]:
    """The lake checks after a build of `days`, from two reads: the article ids of the whole lake (any
    duplicate anywhere fails) and both tables' rows of the days built (the other days were checked when they
    were built)."""
    articles = _rows(lake_dir, "articles", _INSIDE_COLUMNS)
    built = articles.filter(pl.col("day").is_in(days))
    versions = _rows(lake_dir, "article_versions", _INSIDE_COLUMNS, days)
    return {
        "every_file_accounted_for": _accounted(manifest_before, days, build_rejects, built, versions),
        "unique_article_id": _unique_ids(articles),
        "pub_date_inside_partition": _inside({"articles": built, "article_versions": versions}),
    }


def _unique_ids(articles: pl.DataFrame) -> Outcome:
    dupes = articles.group_by("article_id").len().filter(pl.col("len") > 1)
    return Outcome(
        dupes.height == 0,
        f"{articles.height:,} article rows across the lake, {dupes.height:,} article_id(s) in more than one "
        "row",
        {
            "rows": articles.height,
            "duplicated_ids": dupes.height,
            "sample": sorted(dupes["article_id"].to_list())[:10],
        },
    )


def _inside(tables: dict[str, pl.DataFrame]) -> Outcome:
    bad, rows, partitions = {}, 0, 0
    for table, data in tables.items():
        rows += data.height
        partitions += data["day"].n_unique()
        earliest = pl.col("published_at").min().over("day", "article_id")
        first_day = earliest.dt.convert_time_zone("UTC").dt.date().cast(pl.String)
        outside = data.filter(first_day != pl.col("day")).group_by("day").len()
        bad.update({f"{table}/{day}": n for day, n in outside.sort("day").iter_rows()})
    return Outcome(
        not bad,
        f"{rows:,} rows checked in {partitions:,} table partition(s); {sum(bad.values()):,} rows outside "
        "their partition",
        {"rows": rows, "outside": bad},
    )


def _accounted(
    manifest_before: pl.DataFrame,
    days: list[str],
    build_rejects: int,
    articles: pl.DataFrame,
    versions: pl.DataFrame,
) -> Outcome:
    assigned = manifest_before.filter(
        (pl.col("status") == "ok") & pl.col("pub_date").cast(pl.String).is_in(days)
    ).height
    distinct = int(versions.group_by("day").agg(pl.col("article_id").n_unique())["article_id"].sum())
    passed = assigned == versions.height + build_rejects and articles.height == distinct
    return Outcome(
        passed,
        f"{assigned:,} files assigned to {len(days)} partition(s) = {versions.height:,} captures in "
        "article_versions "
        f"+ {build_rejects:,} rejected by the full parse; {articles.height:,} articles",
        {
            "files_assigned": assigned,
            "captures": versions.height,
            "full_parse_rejects": build_rejects,
            "articles": articles.height,
            "partitions": len(days),
        },
    )
