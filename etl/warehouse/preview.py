"""A markdown preview of what matters this week, for the Dagster UI.

"This week" is the 7 days up to coverage.edge_day (archives are historical, see 02_dimensions.sql).
"""

from __future__ import annotations

import duckdb


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    rel = con.sql(sql)
    rows = rel.fetchall()
    if not rows:
        return "_none_\n"
    head = "| " + " | ".join(rel.columns) + " |\n|" + "---|" * len(rel.columns) + "\n"
    return head + "".join(
        "| " + " | ".join("" if v is None else str(v) for v in row) + " |\n" for row in rows
    )


def preview_markdown(con: duckdb.DuckDBPyConnection) -> str:
    last = con.execute("SELECT edge_day FROM coverage").fetchone()
    if not last or last[0] is None:
        return "_The lake has no articles yet._"
    last = last[0]
    week = f"pub_date BETWEEN DATE '{last}' - 6 AND DATE '{last}'"
    parts = [
        f"### Week ending {last}: top topics\n",
        _table(
            con,
            f"""SELECT topic, sum(articles) AS articles, sum(primary_articles) AS primary_articles,
                       count(*) FILTER (WHERE is_burst) AS burst_days
                FROM topic_timeline WHERE {week} GROUP BY topic HAVING sum(articles) > 0
                ORDER BY articles DESC, topic LIMIT 10""",
        ),
        "\n### Bursts this week\n",
        _table(
            con,
            f"""SELECT pub_date, topic, articles, round(baseline_28d, 2) AS baseline_28d,
                       round(z_score, 1) AS z
                FROM topic_timeline WHERE is_burst AND {week}
                ORDER BY pub_date DESC, z_score DESC LIMIT 10""",
        ),
        "\n### Agency shares by outlet, last 30 days (credited stories / all stories)\n",
        _table(
            con,
            f"""SELECT outlet, agency, sum(articles) AS articles,
                      round(sum(articles) / sum(outlet_articles), 3) AS share
               FROM agency_share_daily WHERE pub_date BETWEEN DATE '{last}' - 29 AND DATE '{last}'
               GROUP BY outlet, agency HAVING sum(articles) > 0
               QUALIFY row_number() OVER (PARTITION BY outlet ORDER BY sum(articles) DESC, agency) <= 3
               ORDER BY outlet, articles DESC""",
        ),
        "\n### Rising terms outside the taxonomy\n",
        _table(con, "SELECT term, round(score, 1) AS score, recent_articles FROM keyword_trends LIMIT 8"),
    ]
    return "".join(parts)


def top_primary_topics(con: duckdb.DuckDBPyConnection, n: int = 10) -> dict[str, int]:
    """The latest week's top primary topics (7 days up to edge_day): topic -> articles whose primary topic it
    is, most first; {} when no article has one."""
    rows = con.execute(
        """SELECT topic, sum(primary_articles)::BIGINT AS n FROM topic_timeline
           WHERE pub_date BETWEEN (SELECT edge_day FROM coverage) - 6 AND (SELECT edge_day FROM coverage)
           GROUP BY topic HAVING n > 0 ORDER BY n DESC, topic LIMIT ?""",
        [n],
    ).fetchall()
    return dict(rows)


def largest_events_week(con: duckdb.DuckDBPyConnection, n: int = 10) -> list[dict]:
    """The latest week's largest events (first report in the 7 days up to edge_day): id, label, articles,
    outlets, first outlet and day, hours covered; most articles first."""
    cursor = con.execute(
        """SELECT event_id, label, articles, outlets, first_outlet, first_day::VARCHAR AS first_day,
                  hours_covered
           FROM events
           WHERE first_day BETWEEN (SELECT edge_day FROM coverage) - 6 AND (SELECT edge_day FROM coverage)
           ORDER BY articles DESC, outlets DESC, first_published_at, event_id LIMIT ?""",
        [n],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
