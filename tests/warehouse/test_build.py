"""The warehouse built from a hand-made lake: tables, reconciliation against the input rows, zero-filling."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import timedelta

import duckdb
import handmade_lake
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from etl.lake import schema
from etl.warehouse import build
from etl.warehouse.build import build_warehouse, code_version
from etl.warehouse.tables import TABLES


def test_every_table_is_built_and_every_check_passes(built, con):
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == set(TABLES)
    assert all(c.passed for c in built.checks), [c for c in built.checks if not c.passed]
    assert built.row_counts["articles"] == len(handmade_lake.sample_articles())


def test_every_lake_column_reaches_the_warehouse(built):
    """01_articles.sql spells the articles table's columns itself (body_text needs its own compression): it
    must keep every column of the lake schema (etl/lake/schema.py), topic_hits as article_topics rows."""
    columns = {table: {c for c, _ in cols} for table, cols in built.columns.items()}
    assert columns["articles"] == set(schema.ARTICLES.names) - {"topic_hits"}
    assert set(schema.ARTICLE_VERSIONS.names) <= columns["article_versions"]


def test_counts_reconcile_with_the_input_rows(con, sample_rows):
    # the truth is computed here in Python from the rows written to the lake, not from the warehouse
    credited = Counter((r["outlet"], a) for r in sample_rows for a in r["agencies_credited"])
    got = dict(
        ((o, a), n)
        for o, a, n in con.execute(
            "SELECT outlet, agency, sum(articles) FROM agency_counts_daily "
            "WHERE role = 'credited' GROUP BY ALL"
        ).fetchall()
    )
    assert got == dict(credited)
    topic_days = Counter((r["pub_date"], t) for r in sample_rows for t in r["topics"])
    got = dict(
        ((d, t), n)
        for d, t, n in con.execute(
            "SELECT pub_date, topic, sum(articles) FROM topic_counts_daily GROUP BY ALL"
        ).fetchall()
    )
    assert got == dict(topic_days)
    mentions = sum(h["mentions"] for r in sample_rows for h in r["topic_hits"])
    assert con.execute("SELECT sum(mentions) FROM topic_counts_daily").fetchone()[0] == mentions
    per_day = Counter((r["pub_date"], r["outlet"]) for r in sample_rows)
    got = dict(
        ((d, o), n)
        for d, o, n in con.execute("SELECT pub_date, outlet, articles FROM timeline_daily").fetchall()
    )
    assert {k: v for k, v in got.items() if v} == dict(per_day)


def test_timelines_are_zero_filled_over_the_whole_range(con, sample_rows):
    first, last = min(r["pub_date"] for r in sample_rows), max(r["pub_date"] for r in sample_rows)
    days = (last - first).days + 1
    gap = first + timedelta(days=5)  # handmade_lake leaves days 5 and 6 empty
    assert con.execute("SELECT count(*) FROM calendar").fetchone()[0] == days
    assert con.execute("SELECT count(*) FROM timeline_daily").fetchone()[0] == days * 3
    assert con.execute("SELECT count(*) FROM topic_timeline").fetchone()[0] == days * 3  # 3 registry topics
    assert (
        con.execute("SELECT list(articles) FROM timeline_daily WHERE pub_date = ?", [gap]).fetchone()[0]
        == [0] * 3
    )
    # us_election is in the registry but in no article: a flat zero series, absent from the lifecycle
    assert (
        con.execute("SELECT max(articles) FROM topic_timeline WHERE topic = 'us_election'").fetchone()[0] == 0
    )
    assert con.execute("SELECT count(*) FROM topic_lifecycle WHERE topic = 'us_election'").fetchone()[0] == 0


def test_rolling_mean_is_over_seven_calendar_days(con):
    rows = con.execute(
        "SELECT articles, rolling_7d_mean FROM timeline_daily WHERE outlet = 'rfi' ORDER BY pub_date"
    )
    counts, means = zip(*rows.fetchall(), strict=True)
    for i, mean in enumerate(means):
        window = counts[max(0, i - 6) : i + 1]
        assert abs(mean - sum(window) / len(window)) < 1e-9


def test_agency_shares(con, sample_rows):
    dw_march = [r for r in sample_rows if r["outlet"] == "dw" and r["pub_date"].month == 3]
    afp = sum("afp" in r["agencies_credited"] for r in dw_march)
    credited = sum(bool(r["agencies_credited"]) for r in dw_march)
    row = con.execute(
        "SELECT articles, outlet_articles, share, share_of_credited FROM agency_share('dw') "
        "WHERE month = DATE '2024-03-01' AND agency = 'afp'"
    ).fetchone()
    assert row == (afp, len(dw_march), round(afp / len(dw_march), 3), round(afp / credited, 3))


def test_versions_flag_title_changes_and_manifest_rejects(con):
    changed = con.execute(
        "SELECT article_id, previous_title, title FROM article_versions WHERE title_changed"
    )
    assert changed.fetchall() == [("dw-000-0", "旧标题", "新标题")]
    assert con.execute("SELECT reason, count(*) FROM rejects GROUP BY ALL ORDER BY 1").fetchall() == [
        ("empty_file", 1),
        ("no_title_line", 1),
    ]


def test_body_text_alone_is_stored_with_zstd(con):
    # 01_articles.sql forces zstd for body_text only (smaller and cheaper to write); a DuckDB that ignores or
    # drops force_compression would silently undo that, or spread zstd to the columns searches scan
    compression = dict(
        con.execute(
            "SELECT column_name, list(DISTINCT compression) FROM pragma_storage_info('articles') "
            "WHERE column_name IN ('body_text', 'title', 'outlet') GROUP BY ALL"
        ).fetchall()
    )
    assert "ZSTD" in compression["body_text"]
    assert "ZSTD" not in compression["title"] and "ZSTD" not in compression["outlet"]


def test_dimensions_come_from_the_registries(con):
    assert con.execute("SELECT topic, label, keywords FROM topics WHERE topic = 'covid'").fetchone() == (
        "covid",
        "Covid-19",
        ["新冠", "疫苗", "新冠疫情"],
    )
    assert (
        con.execute("SELECT label FROM outlets WHERE outlet = 'dw'").fetchone()[0] == "DW"
    )  # ASCII of the name


def test_lifecycle_and_macros(con):
    first, peak, peak_n, total = con.execute(
        "SELECT first_seen, peak_date, peak_articles, total_articles FROM topic_lifecycle "
        "WHERE topic = 'russia_ukraine'"
    ).fetchone()
    series = con.execute("SELECT pub_date, articles FROM topic_timeline_for('russia_ukraine')").fetchall()
    assert total == sum(n for _, n in series)
    assert first == min(d for d, n in series if n)
    assert (peak, peak_n) == max(series, key=lambda r: (r[1], -r[0].toordinal()))
    hits = con.execute("SELECT title FROM search_titles('停火')").fetchall()
    assert hits and all("停火" in t for (t,) in hits)
    assert con.execute("SELECT count(*) FROM top_topics(7)").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM rising_keywords(5)").fetchone()[0] > 0


def test_an_empty_lake_builds_every_table_empty(tmp_path, registries_dir):
    result = build_warehouse(tmp_path / "lake", tmp_path / "w.duckdb", registries_dir)
    assert all(c.passed for c in result.checks)
    assert {
        t: n
        for t, n in result.row_counts.items()
        if n and t not in {"outlets", "agencies", "topics", "build_info", "coverage"}
    } == {}


def test_code_version_follows_the_taxonomy(tmp_path, registries_dir):
    copy = shutil.copytree(registries_dir, tmp_path / "reg")
    before = code_version(copy)
    assert code_version(copy) == before
    (copy / "topics.yaml").write_text(
        (copy / "topics.yaml").read_text() + "  tiktok: {name: TikTok, keywords: [抖音]}\n"
    )
    assert code_version(copy) != before


def test_stray_late_captures_do_not_define_this_week(tmp_path, registries_dir, sample_rows):
    last = max(r["pub_date"] for r in sample_rows)
    stray = handmade_lake.article("stray", last + timedelta(days=700), topics={"us_election": (5, True)})
    lake = handmade_lake.write_lake(tmp_path / "lake", [*sample_rows, stray])
    result = build_warehouse(lake, tmp_path / "w.duckdb", registries_dir)
    con = duckdb.connect(str(result.path), read_only=True)
    try:
        assert con.execute("SELECT last_day, edge_day FROM coverage").fetchone() == (stray["pub_date"], last)
        assert (
            con.execute("SELECT count(*) FROM top_topics(7) WHERE topic = 'us_election'").fetchone()[0] == 0
        )
        assert con.execute("SELECT DISTINCT window_end FROM keyword_trends").fetchall() == [(last,)]
        assert con.execute("SELECT count(*) FROM topic_bursts()").fetchone()[0] > 0  # the burst near `last`
    finally:
        con.close()


def test_a_memory_limit_changes_nothing_but_memory(tmp_path, registries_dir, built, sample_rows):
    lake = handmade_lake.write_lake(
        tmp_path / "lake", sample_rows, versions={"dw-000-0": ["旧标题", "新标题"]}
    )
    limited = build_warehouse(lake, tmp_path / "w.duckdb", registries_dir, memory_limit="64MB")
    assert limited.row_counts == built.row_counts
    con = duckdb.connect(str(limited.path), read_only=True)
    con.execute(f"ATTACH '{built.path}' AS unlimited (READ_ONLY)")
    for table in set(TABLES) - {"build_info"}:
        differ = con.execute(
            f'SELECT count(*) FROM ((FROM "{table}" EXCEPT ALL FROM unlimited."{table}") '
            f'UNION ALL (FROM unlimited."{table}" EXCEPT ALL FROM "{table}"))'
        ).fetchone()[0]
        assert differ == 0, table
    con.close()
    with pytest.raises(duckdb.Error, match=r"(?i)memory"):
        build_warehouse(lake, tmp_path / "bad.duckdb", registries_dir, memory_limit="lots")


def test_articles_inserted_in_batches_of_days_keep_one_order(tmp_path, registries_dir, built, monkeypatch):
    monkeypatch.setattr(build, "ARTICLES_PER_INSERT", 2)  # many small batches over the hand-made lake's days
    batched = build_warehouse(built.path.parent / "lake", tmp_path / "w.duckdb", registries_dir)
    con = duckdb.connect(str(batched.path), read_only=True)
    con.execute(f"ATTACH '{built.path}' AS whole (READ_ONLY)")
    for table in set(TABLES) - {"build_info"}:
        rows = [
            con.execute(f'SELECT list(hash(t) ORDER BY rowid) FROM {db}"{table}" AS t').fetchone()[0]
            for db in ("", "whole.")
        ]
        assert rows[0] == rows[1], table
    con.close()


def test_primary_and_digest_counts_reconcile_with_the_input_rows(con, sample_rows):
    primary = Counter((r["pub_date"], r["primary_topic"]) for r in sample_rows if r["primary_topic"])
    assert len(primary) > 0 and sum(primary.values()) < sum(len(r["topics"]) for r in sample_rows)
    got = dict(
        ((d, t), n)
        for d, t, n in con.execute(
            "SELECT pub_date, topic, sum(primary_articles) FROM topic_counts_daily GROUP BY ALL"
        ).fetchall()
        if n
    )
    assert got == dict(primary)
    digests = Counter(t for r in sample_rows if r["digest"] for t in r["topics"])
    got = dict(
        con.execute("SELECT topic, sum(digest_articles) FROM topic_counts_daily GROUP BY ALL").fetchall()
    )
    assert {t: n for t, n in got.items() if n} == dict(digests) and digests
    timeline = dict(
        con.execute("SELECT topic, sum(primary_articles) FROM topic_timeline GROUP BY ALL").fetchall()
    )
    assert {t: n for t, n in timeline.items() if n} == dict(Counter(t for _, t in primary.elements()))
    assert con.execute("SELECT count(*) FROM articles WHERE digest").fetchone()[0] == sum(
        r["digest"] for r in sample_rows
    )


def test_article_topics_carry_relevance_and_why_from_the_lake(con, sample_rows):
    want = {
        (
            r["article_id"],
            h["topic"],
            h["score"],
            h["in_title"],
            h["in_lead"],
            h["share"],
            h["mentions"],
            h["topic"] == r["primary_topic"],
            r["digest"],
        )
        for r in sample_rows
        for h in r["topic_hits"]
    }
    got = set(
        con.execute(
            "SELECT article_id, topic, relevance, in_title, in_lead, share, mentions, is_primary, digest "
            "FROM article_topics"
        ).fetchall()
    )
    assert got == want
    burst_story = [
        r
        for r in sample_rows
        if r["primary_topic"] == "russia_ukraine" and r["topic_hits"][-1]["score"] == 0.95
    ]
    about = "SELECT count(*) FROM articles_about('russia_ukraine') WHERE is_primary AND relevance = 0.95"
    assert con.execute(about).fetchone()[0] == len(burst_story) > 0


def test_primary_topics_shows_what_the_news_was_mainly_about(con, sample_rows):
    edge = con.execute("SELECT edge_day FROM coverage").fetchone()[0]
    week = [r for r in sample_rows if edge - timedelta(days=7) < r["pub_date"] <= edge]
    primary = Counter(r["primary_topic"] for r in week if r["primary_topic"])
    tagged = Counter(t for r in week for t in r["topics"])
    rows = con.execute(
        "SELECT topic, primary_articles, primary_share, articles FROM primary_topics(7)"
    ).fetchall()
    assert {t: (p, a) for t, p, _, a in rows} == {t: (primary[t], tagged[t]) for t in tagged}
    assert [p for _, p, _, _ in rows] == sorted((p for _, p, _, _ in rows), reverse=True)
    assert rows[0][0] == "russia_ukraine"  # the burst's main story leads
    assert rows[0][2] == round(primary["russia_ukraine"] / len(week), 3)
    assert sum(p for _, p, _, _ in rows) <= len(week)  # each article counted once at most


def _checks_of(tmp_path, registries_dir, rows) -> dict[str, bool]:
    result = build_warehouse(
        handmade_lake.write_lake(tmp_path / "lake", rows), tmp_path / "w.duckdb", registries_dir
    )
    return {c.name: c.passed for c in result.checks}


@pytest.mark.parametrize(
    ("fault", "expect_primary_check"),
    [
        ("primary_outside_topics", False),
        ("primary_without_topics", False),
        ("some_articles_lack_a_primary", False),
        ("no_primaries_at_all", True),  # a lake tagged before primary topics existed
    ],
)
def test_the_primary_topic_check(tmp_path, registries_dir, sample_rows, fault, expect_primary_check):
    rows = [dict(r) for r in sample_rows]
    tagged = [r for r in rows if r["topics"]]
    if fault == "primary_outside_topics":
        tagged[0]["primary_topic"] = "us_election"
    elif fault == "primary_without_topics":
        next(r for r in rows if not r["topics"])["primary_topic"] = "covid"
    elif fault == "some_articles_lack_a_primary":
        tagged[3]["primary_topic"] = None
    else:
        for r in rows:
            r["primary_topic"] = None
    passed = _checks_of(tmp_path, registries_dir, rows)
    assert passed.pop("one_primary_topic_per_article") is expect_primary_check
    assert all(passed.values()), passed


def test_topic_rows_must_match_the_topics_list(tmp_path, registries_dir, sample_rows):
    rows = [dict(r) for r in sample_rows]
    victim = next(r for r in rows if len(r["topics"]) == 1)
    victim["topics"] = [*victim["topics"], "us_election"]  # a topic without its hit
    assert _checks_of(tmp_path, registries_dir, rows)["article_topics_match_topics"] is False


def test_the_topics_table_lists_the_whole_taxonomy_with_chinese_and_english_names(tmp_path, sample_rows):
    from etl.warehouse.registries import REGISTRIES_DIR

    taxonomy = yaml.safe_load((REGISTRIES_DIR / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    lake = handmade_lake.write_lake(tmp_path / "lake", sample_rows[:20])
    result = build_warehouse(lake, tmp_path / "w.duckdb")  # the project's own registries
    con = duckdb.connect(str(result.path), read_only=True)
    rows = con.execute("SELECT topic, name, name_en, label FROM topics ORDER BY topic").fetchall()
    timeline_topics = con.execute("SELECT count(DISTINCT topic) FROM topic_timeline").fetchone()[0]
    con.close()
    assert [r[0] for r in rows] == sorted(taxonomy)
    for topic, name, name_en, label in rows:
        assert (name, name_en) == (taxonomy[topic]["name"], taxonomy[topic]["name_en"])
        assert any("\u4e00" <= ch <= "\u9fff" for ch in name) and name_en.isascii() and label == name_en
    assert timeline_topics >= len(taxonomy)  # every topic has a (zero-filled) timeline


def test_a_lake_written_before_primary_topics_still_builds(tmp_path, registries_dir, sample_rows):
    # every partition from older code: no primary_topic or digest column, hits without in_lead/share/score
    old_hit = pa.struct([("topic", pa.string()), ("mentions", pa.int32()), ("in_title", pa.bool_())])
    old_schema = pa.schema(
        [
            pa.field("topic_hits", pa.list_(old_hit)) if f.name == "topic_hits" else f
            for f in schema.ARTICLES
            if f.name not in ("primary_topic", "digest")
        ]
    )
    lake = handmade_lake.write_lake(tmp_path / "lake", sample_rows)
    for path in (lake / "articles").rglob("*.parquet"):
        rows = pq.read_table(path).to_pylist()
        for row in rows:
            row["topic_hits"] = [
                {k: h[k] for k in ("topic", "mentions", "in_title")} for h in row["topic_hits"]
            ]
        pq.write_table(pa.Table.from_pylist(rows, schema=old_schema), path)
    result = build_warehouse(lake, tmp_path / "w.duckdb", registries_dir)
    assert all(c.passed for c in result.checks), [c for c in result.checks if not c.passed]
    con = duckdb.connect(str(result.path), read_only=True)
    assert con.execute(
        "SELECT count(*), count(relevance), count(*) FILTER (WHERE is_primary) FROM article_topics"
    ).fetchone() == (sum(len(r["topics"]) for r in sample_rows), 0, 0)
    assert con.execute(
        "SELECT count(primary_topic), count(*) FILTER (WHERE digest) FROM articles"
    ).fetchone() == (
        0,
        0,
    )
    con.close()
