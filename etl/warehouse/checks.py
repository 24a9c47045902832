"""Reconciliation checks: every aggregate sums back to its base table, and no article is counted twice.

Each check is one SQL query returning (passed, detail); they run on the freshly built file before it replaces
the previous warehouse, and the Dagster asset reports them as asset checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Check:
    name: str
    table: str  # the warehouse table the check is attached to
    description: str
    sql: str  # one row: (passed BOOLEAN, detail VARCHAR)


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    table: str
    description: str
    passed: bool
    detail: str


CHECKS = [
    Check(
        "article_ids_unique",
        "articles",
        "No article is counted twice: article_id is unique in articles.",
        """SELECT count(*) = count(DISTINCT article_id),
                  format('{} rows, {} distinct article_id', count(*), count(DISTINCT article_id))
           FROM articles""",
    ),
    Check(
        "article_topics_unique",
        "article_topics",
        "Each (article, topic) appears once and every row points at an article.",
        """SELECT n = n_distinct AND orphans = 0,
                  format('{} rows, {} distinct (article, topic), {} orphans', n, n_distinct, orphans)
           FROM (SELECT count(*) AS n, count(DISTINCT (article_id, topic)) AS n_distinct,
                        count(*) FILTER (WHERE article_id NOT IN (SELECT article_id FROM articles)) AS orphans
                 FROM article_topics)""",
    ),
    Check(
        "topic_counts_reconcile",
        "topic_counts_daily",
        "sum(topic_counts_daily.articles) = rows of article_topics, and mentions agree.",
        """SELECT a = b AND m1 = m2, format('articles {} vs {} topic rows; mentions {} vs {}', a, b, m1, m2)
           FROM (SELECT coalesce(sum(articles), 0) AS a, coalesce(sum(mentions), 0) AS m1
                 FROM topic_counts_daily),
                (SELECT count(*) AS b, coalesce(sum(mentions), 0) AS m2 FROM article_topics)""",
    ),
    Check(
        "agency_counts_reconcile",
        "agency_counts_daily",
        "sum(agency_counts_daily.articles) per role = the agencies listed on articles, and no "
        "(article, agency, role) twice.",
        """SELECT credited = listed_credited AND cited = listed_cited AND rows = distinct_rows,
                  format('credited {} vs {} listed, cited {} vs {} listed, {} rows / {} distinct',
                         credited, listed_credited, cited, listed_cited, rows, distinct_rows)
           FROM (SELECT coalesce(sum(articles) FILTER (WHERE role = 'credited'), 0) AS credited,
                        coalesce(sum(articles) FILTER (WHERE role = 'cited'), 0) AS cited
                 FROM agency_counts_daily),
                (SELECT coalesce(sum(len(agencies_credited)), 0) AS listed_credited,
                        coalesce(sum(len(agencies_cited)), 0) AS listed_cited FROM articles),
                (SELECT count(*) AS rows, count(DISTINCT (article_id, agency, role)) AS distinct_rows
                 FROM article_agencies)""",
    ),
    Check(
        "agency_shares_reconcile",
        "agency_share_daily",
        "Credited articles in agency_share_daily and _monthly = credited rows of article_agencies.",
        """SELECT d = b AND m = b, format('daily {}, monthly {}, article_agencies credited {}', d, m, b)
           FROM (SELECT coalesce(sum(articles), 0) AS d FROM agency_share_daily),
                (SELECT coalesce(sum(articles), 0) AS m FROM agency_share_monthly),
                (SELECT count(*) AS b FROM article_agencies WHERE role = 'credited')""",
    ),
    Check(
        "timeline_reconcile",
        "timeline_daily",
        "sum(timeline_daily.articles) = rows of articles; one row per (day, outlet) over the whole calendar.",
        """SELECT t = a AND rows = days * outlets,
                  format('timeline {} vs {} articles; {} rows, {} days x {} outlets',
                         t, a, rows, days, outlets)
           FROM (SELECT coalesce(sum(articles), 0) AS t, count(*) AS rows FROM timeline_daily),
                (SELECT count(*) AS a, count(DISTINCT outlet) AS outlets FROM articles),
                (SELECT count(*) AS days FROM calendar)""",
    ),
    Check(
        "topic_timeline_reconcile",
        "topic_timeline",
        "sum(topic_timeline.articles) = rows of article_topics; lifecycle totals agree.",
        """SELECT t = b AND l = b, format('timeline {}, lifecycle {}, article_topics {}', t, l, b)
           FROM (SELECT coalesce(sum(articles), 0) AS t FROM topic_timeline),
                (SELECT coalesce(sum(total_articles), 0) AS l FROM topic_lifecycle),
                (SELECT count(*) AS b FROM article_topics)""",
    ),
]


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckOutcome]:
    outcomes = []
    for check in CHECKS:
        passed, detail = con.execute(check.sql).fetchone()
        outcomes.append(CheckOutcome(check.name, check.table, check.description, bool(passed), detail))
    return outcomes
