"""Build lake partitions: full-parse the manifest's ok files of each day into `articles` + `article_versions`.

One row per article from its latest capture (published_at = the earliest across its captures) and one
`article_versions` row per ok capture. A file the header parse accepted but the full parse rejects is left out
of both tables and reported in `PartitionBuild.rejects`; the caller writes it back into the manifest as a
reject (etl.lake.manifest.record_build_rejects), so every raw file stays accounted for.

Layout: lake/<table>/pub_date=YYYY-MM-DD/part-0.parquet, written atomically, with the partition's file-set
digest and the code version in the Parquet footer. A partition with no articles has no folder (a rebuild
removes it), so "stale" is simply: footer digest != current digest.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa

from etl.lake import assign, schema
from etl.lake.atomic import read_footer, remove_dir_atomic, write_parquet_atomic
from etl.lake.pool import map_in_pool

DIGEST_KEY = "etl.files_digest"
CODE_KEY = "etl.code_version"


def partition_dir(lake_dir: str | Path, table: str, day: str) -> Path:
    return Path(lake_dir) / table / f"pub_date={day}"


def partition_file(lake_dir: str | Path, table: str, day: str) -> Path:
    return partition_dir(lake_dir, table, day) / "part-0.parquet"


def built_partitions(lake_dir: str | Path) -> list[str]:
    root = Path(lake_dir) / "articles"
    if not root.is_dir():
        return []
    return sorted(p.name.removeprefix("pub_date=") for p in root.iterdir() if p.name.startswith("pub_date="))


def built_state(lake_dir: str | Path, day: str) -> tuple[str, str]:
    """(files digest, code version) the partition was last built with; ('', '') when never built."""
    footer = read_footer(partition_file(lake_dir, "articles", day))
    if not footer:
        return ("", "") if not partition_dir(lake_dir, "articles", day).exists() else ("?", "?")
    return footer.get(DIGEST_KEY, "?"), footer.get(CODE_KEY, "?")


def stale_partitions(
    manifest: pl.DataFrame, lake_dir: str | Path, code_version: str | None = None
) -> dict[str, str]:
    """Partitions whose lake files do not match the manifest -> their current file-set digest.

    With `code_version`, a partition built by other parser/registry code is stale too.
    """
    current = assign.partition_digests(manifest)
    stale = {}
    for day in sorted(current.keys() | set(built_partitions(lake_dir))):
        want = current.get(day, assign.EMPTY_DIGEST)
        digest, code = built_state(lake_dir, day)
        never_built_and_empty = digest == "" and want == assign.EMPTY_DIGEST
        if never_built_and_empty:
            continue
        if digest != want or (code_version is not None and code != code_version):
            stale[day] = want
    return stale


@dataclass
class PartitionBuild:
    day: str
    digest: str
    articles: pa.Table
    versions: pa.Table
    files_read: int = 0
    rejects: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # path -> (file_hash, reason, detail)


def full_parse(raw_dir: str, rel: str):
    from etl.dumps.parse import parse_file

    return parse_file(os.path.join(raw_dir, rel), full=True)


def build_partitions(
    manifest: pl.DataFrame,
    raw_dir: str | Path,
    days: list[str],
    progress: Callable[[str], None] | None = None,
) -> list[PartitionBuild]:
    """Parse the files of `days` (one pool for all of them) and assemble each day's tables (not written)."""
    wanted = [date.fromisoformat(d) for d in days]
    files = manifest.filter((pl.col("status") == "ok") & pl.col("pub_date").is_in(wanted)).sort("path")
    rels = files["path"].to_list()
    records = map_in_pool(
        full_parse, [(str(raw_dir), rel) for rel in rels], progress=progress, label="parsed"
    )
    by_path = dict(zip(rels, records, strict=True))
    digests = assign.partition_digests(manifest)
    builds = []
    for day, d in zip(days, wanted, strict=True):
        rows = files.filter(pl.col("pub_date") == d)
        builds.append(_assemble(day, digests.get(day, assign.EMPTY_DIGEST), rows, by_path))
    return builds


def _assemble(day: str, digest: str, rows: pl.DataFrame, by_path: dict) -> PartitionBuild:
    pub_date = date.fromisoformat(day)
    rejects = {}
    captures: dict[str, list[tuple[dict, object]]] = {}
    for row in rows.iter_rows(named=True):
        rec = by_path[row["path"]]
        if rec.status != "ok":
            rejects[row["path"]] = (row["file_hash"], rec.reason or "rejected", rec.detail or "")
            continue
        captures.setdefault(row["article_id"], []).append((row, rec))
    article_rows, version_rows = [], []
    for article_id, caps in sorted(captures.items()):
        caps.sort(key=lambda c: (c[0]["feed_published_at"] or _EPOCH, c[0]["mtime_ns"], c[0]["path"]))
        latest_row, latest = caps[-1]
        published = [schema.parse_ts(rec.published_at) for _, rec in caps if rec.published_at]
        for row, rec in caps:
            version_rows.append(
                {
                    "article_id": article_id,
                    "source_path": row["path"],
                    "content_hash": rec.content_hash,
                    "title": rec.title,
                    "feed_published_at": schema.parse_ts(rec.feed_published_at),
                    "outlet_published_at": schema.parse_ts(rec.outlet_published_at),
                    "published_at": schema.parse_ts(rec.published_at),
                    "file_mtime": row["mtime"],
                    "file_size": row["size"],
                    "is_latest": row["path"] == latest_row["path"],
                    "pub_date": pub_date,
                }
            )
        article_rows.append(
            {
                "article_id": article_id,
                "url": latest.url,
                "outlet": latest.outlet,
                "title": latest.title,
                "published_at": min(published) if published else None,
                "pub_date": pub_date,
                "feed_published_at": schema.parse_ts(latest.feed_published_at),
                "outlet_published_at": schema.parse_ts(latest.outlet_published_at),
                "byline": latest.byline,
                "script": latest.script,
                "body_text": latest.body_text,
                "body_chars": latest.body_chars,
                "degenerate": latest.degenerate,
                "content_hash": latest.content_hash,
                "agencies_credited": list(latest.agencies_credited),
                "agencies_cited": list(latest.agencies_cited),
                "compiled": bool(latest.compiled),
                "topics": list(latest.topics),
                "topic_hits": [
                    {"topic": h.topic, "mentions": h.mentions, "in_title": h.in_title}
                    for h in latest.topic_hits
                ],
                "captures": len(caps),
                "source_path": latest_row["path"],
            }
        )
    return PartitionBuild(
        day=day,
        digest=digest,
        articles=pa.Table.from_pylist(article_rows, schema=schema.ARTICLES),
        versions=pa.Table.from_pylist(version_rows, schema=schema.ARTICLE_VERSIONS),
        files_read=rows.height,
        rejects=rejects,
    )


def write_partition(lake_dir: str | Path, build: PartitionBuild, code_version: str) -> None:
    """Replace the day's files exactly; a day without articles loses its folders."""
    footer = {DIGEST_KEY: build.digest, CODE_KEY: code_version}
    if build.articles.num_rows == 0:
        # versions first: `articles` carries the footer that says "built", so it goes last.
        remove_dir_atomic(partition_dir(lake_dir, "article_versions", build.day))
        remove_dir_atomic(partition_dir(lake_dir, "articles", build.day))
        return
    write_parquet_atomic(build.versions, partition_file(lake_dir, "article_versions", build.day), footer)
    write_parquet_atomic(build.articles, partition_file(lake_dir, "articles", build.day), footer)


_EPOCH = schema.ns_to_ts(0)


def settle_digests(builds: list[PartitionBuild], manifest: pl.DataFrame) -> None:
    """After full-parse rejects went into the manifest, stamp each build with the manifest's new digest when
    the build holds exactly the day's new file set (the usual case); otherwise keep the old digest, so the day
    shows as stale and is rebuilt with the new assignment."""
    digests = assign.partition_digests(manifest)
    ok = manifest.filter(pl.col("status") == "ok")
    for build in builds:
        if not build.rejects:
            continue
        now = set(ok.filter(pl.col("pub_date") == date.fromisoformat(build.day))["path"].to_list())
        if now == set(build.versions.column("source_path").to_pylist()):
            build.digest = digests.get(build.day, assign.EMPTY_DIGEST)
