"""Hand-built lakes for the warehouse tests, written with pyarrow exactly per the lake contract (TEAM.md)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from etl.lake.schema import ARTICLE_VERSIONS, ARTICLES, MANIFEST, stored

REGISTRIES = {
    "outlets.yaml": """outlets:
  dw: {name: DW 德国之声, domains: [dw.com]}
  voa: {name: VOA 美国之音, domains: [voachinese.com]}
  rfi: {name: RFI 法广, domains: [rfi.fr]}
""",
    "agencies.yaml": """agencies:
  afp: {name: 法新社, label: AFP, aliases: [法新社, 法新]}
  reuters: {name: 路透社, label: Reuters, aliases: [路透社, 路透]}
  dpa: {name: 德新社, label: dpa, aliases: [德新社]}
""",
    "topics.yaml": """topics:
  russia_ukraine: {name: 俄乌战争, label: Russia-Ukraine, keywords: [乌克兰, 俄罗斯, 基辅]}
  covid: {name: 新冠疫情, label: Covid-19, keywords: [新冠, 疫苗, 新冠疫情]}
  us_election: {name: 美国大选, label: US election, keywords: [大选, 拜登, 特朗普]}
""",
}


def write_registries(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in REGISTRIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ts(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def article(
    article_id: str,
    day: date,
    outlet: str = "dw",
    title: str = "标题",
    credited: list[str] | None = None,
    cited: list[str] | None = None,
    topics: dict[str, tuple] | None = None,
    body: str = "正文第一段。\n第二段。",
    captures: int = 1,
    primary: str | None = "best",
    digest: bool = False,
) -> dict:
    """One lake `articles` row. topics: {topic: (mentions, in_title[, score])}; the score defaults to 0.9
    for a topic in the title, else 0.6. primary: "best" = the topic of the highest score (ties: the first
    code), or a code, or None. The other TopicHit fields follow (in_lead = in_title, share = score / 2)."""
    topics = topics or {}
    hits = [
        {
            "topic": t,
            "mentions": hit[0],
            "in_title": hit[1],
            "in_lead": hit[1],
            "share": _score(hit) / 2,
            "score": _score(hit),
        }
        for t, hit in sorted(topics.items())
    ]
    if primary == "best":
        primary = min(hits, key=lambda h: (-h["score"], h["topic"]))["topic"] if hits else None
    return {
        "article_id": article_id,
        "url": f"https://www.example.com/{outlet}/{article_id}",
        "outlet": outlet,
        "title": title,
        "published_at": ts(day),
        "pub_date": day,
        "feed_published_at": ts(day, 9),
        "outlet_published_at": ts(day),
        "byline": None,
        "script": "hans",
        "body_text": body,
        "body_chars": len(body),
        "degenerate": None,
        "content_hash": f"h-{article_id}",
        "agencies_credited": credited or [],
        "agencies_cited": cited or [],
        "compiled": False,
        "topics": sorted(topics),
        "topic_hits": hits,
        "primary_topic": primary,
        "digest": digest,
        "captures": captures,
        "source_path": f"articles/{outlet}/{article_id}.md",
    }


def _score(hit: tuple) -> float:
    return hit[2] if len(hit) > 2 else (0.9 if hit[1] else 0.6)


def versions_of(row: dict, titles: list[str] | None = None) -> list[dict]:
    titles = titles or [row["title"]] * row["captures"]
    return [
        {
            "article_id": row["article_id"],
            "source_path": f"{row['source_path']}.{n}",
            "content_hash": f"{row['content_hash']}-{n}",
            "title": title,
            "feed_published_at": row["feed_published_at"],
            "outlet_published_at": row["outlet_published_at"],
            "published_at": row["published_at"],
            "file_mtime": row["feed_published_at"] + timedelta(hours=n),
            "file_size": 1000 + n,
            "is_latest": n == len(titles) - 1,
            "pub_date": row["pub_date"],
        }
        for n, title in enumerate(titles)
    ]


def write_partition(lake: Path, day: date, articles: list[dict], versions: list[dict] | None = None) -> None:
    versions = versions if versions is not None else [v for a in articles for v in versions_of(a)]
    for table, schema, rows in (
        ("articles", ARTICLES, articles),
        ("article_versions", ARTICLE_VERSIONS, versions),
    ):
        folder = lake / table / f"pub_date={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        # Hive: the folder holds pub_date, the rows do not.
        pq.write_table(pa.Table.from_pylist(rows, schema=stored(schema)), folder / "part-0.parquet")


def write_manifest(lake: Path, rows: list[dict]) -> None:
    (lake / "manifest").mkdir(parents=True, exist_ok=True)
    full = [{name: r.get(name) for name in MANIFEST.names} for r in rows]
    pq.write_table(pa.Table.from_pylist(full, schema=MANIFEST), lake / "manifest" / "manifest.parquet")


def write_lake(lake: Path, articles: list[dict], versions: dict[str, list[str]] | None = None) -> Path:
    """Partition `articles` by pub_date; `versions` maps article_id to its capture titles (default: one)."""
    by_day: dict[date, list[dict]] = defaultdict(list)
    for row in articles:
        by_day[row["pub_date"]].append(row)
    manifest = []
    for day, rows in sorted(by_day.items()):
        vers = [v for r in rows for v in versions_of(r, (versions or {}).get(r["article_id"]))]
        write_partition(lake, day, rows, vers)
        manifest += [
            {
                "path": v["source_path"],
                "size": v["file_size"],
                "status": "ok",
                "article_id": v["article_id"],
                "pub_date": day,
                "is_latest": v["is_latest"],
                "outlet": next(r["outlet"] for r in rows),
            }
            for v in vers
        ]
    manifest += [
        {"path": "articles/dw/bad1.md", "size": 0, "status": "rejected", "reason": "empty_file"},
        {"path": "articles/dw/bad2.md", "size": 9, "status": "rejected", "reason": "no_title_line"},
    ]
    write_manifest(lake, manifest)
    return lake


def sample_articles(start: date = date(2024, 3, 1), days: int = 40) -> list[dict]:
    """A small deterministic lake: 3 outlets, a burst of russia_ukraine near the end, gaps on some days."""
    rng = random.Random(7)
    rows = []
    agencies = ["afp", "reuters", "dpa"]
    for d in range(days):
        day = start + timedelta(days=d)
        if d in (5, 6):  # two days with no articles at all: zero-filling must show them
            continue
        for outlet in ("dw", "voa", "rfi"):
            n = 1 if outlet == "rfi" and d % 3 else 2
            if d >= days - 3 and outlet == "dw":
                n = 6  # the burst days
            for k in range(n):
                topics = {"covid": (rng.randint(1, 3), k == 0)} if rng.random() < 0.4 else {}
                if d >= days - 3 and outlet == "dw":
                    topics["russia_ukraine"] = (2, True, 0.95)  # the primary topic of the burst's articles
                elif rng.random() < 0.05:
                    topics["russia_ukraine"] = (1, False)  # a secondary topic beside covid, or the only one
                rows.append(
                    article(
                        f"{outlet}-{d:03d}-{k}",
                        day,
                        outlet,
                        title=(
                            "乌克兰 停火谈判 北约 峰会" if "russia_ukraine" in topics else f"普通新闻 {d} {k}"
                        ),
                        credited=rng.sample(agencies, rng.randint(0, 2)),
                        cited=rng.sample(agencies, rng.randint(0, 1)),
                        topics=topics,
                        digest=outlet == "voa" and k == 0 and d % 4 == 1,  # a morning briefing
                        body=("北约峰会 讨论停火谈判。\n" if d >= days - 3 else "地方新闻。\n")
                        + "其他内容。",
                    )
                )
    return rows


def materialize_warehouse(root: Path, lake: Path):
    """Dagster's `materialize` of the warehouse assets over `lake`, with paths under `root`: (the result, each
    asset's materialization metadata by asset key)."""
    import dagster as dg

    from etl.defs.resources import PathsResource
    from etl.defs.warehouse.assets import warehouse

    paths = PathsResource(
        raw_dir=str(root / "raw"),
        lake_dir=str(lake),
        warehouse_path=str(root / "warehouse.duckdb"),
        reports_dir=str(root / "reports"),
    )
    result = dg.materialize([warehouse], resources={"paths": paths}, instance=dg.DagsterInstance.ephemeral())
    assert result.success
    metadata = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    return result, metadata
