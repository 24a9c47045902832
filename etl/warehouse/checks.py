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
        "article_topics_match_topics",
        "article_topics",
        "article_topics holds exactly the topics listed on each article (articles.topics).",
        """SELECT count(*) = 0, format('{} articles whose topic rows differ from their topics list', count(*))
           FROM articles AS a
           LEFT JOIN (SELECT article_id, list_sort(list(topic)) AS listed FROM article_topics GROUP BY ALL)
                USING (article_id)
           WHERE a.topics IS DISTINCT FROM coalesce(listed, []::VARCHAR[])""",
    ),
    Check(
        "one_primary_topic_per_article",
        "article_topics",
        "An article's primary_topic is one of its topics (exactly one is_primary row), an article without "
        "topics has none, and every article with topics has one (unless no article has any: a lake tagged "
        "before primary topics existed).",
        """SELECT not_among = 0 AND without_topics = 0 AND (missing = 0 OR with_primary = 0),
                  format('{} articles with a primary topic outside their topics, {} with a primary but no '
                         'topics, {} with topics but no primary ({} have one)',
                         not_among, without_topics, missing, with_primary)
           FROM (SELECT count(*) FILTER (WHERE has_primary AND tagged AND primaries <> 1) AS not_among,
                        count(*) FILTER (WHERE has_primary AND NOT tagged) AS without_topics,
                        count(*) FILTER (WHERE NOT has_primary AND tagged) AS missing,
                        count(*) FILTER (WHERE has_primary) AS with_primary
                 FROM (SELECT a.article_id, any_value(a.primary_topic) IS NOT NULL AS has_primary,
                              any_value(len(a.topics)) > 0 AS tagged,
                              count(x.topic) FILTER (WHERE x.is_primary) AS primaries
                       FROM articles AS a LEFT JOIN article_topics AS x USING (article_id)
                       GROUP BY a.article_id))""",
    ),
    Check(
        "topic_counts_reconcile",
        "topic_counts_daily",
        "sum(topic_counts_daily.articles) = rows of article_topics; primary_articles, digest_articles and "
        "mentions agree with article_topics.",
        """SELECT a = b AND p1 = p2 AND d1 = d2 AND m1 = m2,
                  format('articles {} vs {} topic rows; primary {} vs {}; digest {} vs {}; mentions {} vs {}',
                         a, b, p1, p2, d1, d2, m1, m2)
           FROM (SELECT coalesce(sum(articles), 0) AS a, coalesce(sum(primary_articles), 0) AS p1,
                        coalesce(sum(digest_articles), 0) AS d1, coalesce(sum(mentions), 0) AS m1
                 FROM topic_counts_daily),
                (SELECT count(*) AS b, count(*) FILTER (WHERE is_primary) AS p2,
                        count(*) FILTER (WHERE digest) AS d2, coalesce(sum(mentions), 0) AS m2
                 FROM article_topics)""",
    ),
    Check(
        "primary_counts_within_articles",
        "topic_counts_daily",
        "Primary counts never exceed article counts: per (day, topic, outlet) primary_articles <= articles, "
        "and per day the primary articles of all topics <= the day's articles (each article counts once).",
        """SELECT over_row = 0 AND over_day = 0,
                  format('{} rows with primary_articles > articles, {} days with more primary articles than '
                         'articles', over_row, over_day)
           FROM (SELECT count(*) FILTER (WHERE primary_articles > articles) AS over_row
                 FROM topic_counts_daily),
                (SELECT count(*) AS over_day
                 FROM (SELECT pub_date, sum(primary_articles) AS p FROM topic_counts_daily GROUP BY ALL)
                 JOIN calendar USING (pub_date) WHERE p > articles)""",
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
        "sum(topic_timeline.articles) = rows of article_topics, primary_articles = its is_primary rows; "
        "lifecycle totals agree.",
        """SELECT t = b AND l = b AND tp = bp AND lp = bp,
                  format('timeline {} ({} primary), lifecycle {} ({} primary), '
                         'article_topics {} ({} primary)', t, tp, l, lp, b, bp)
           FROM (SELECT coalesce(sum(articles), 0) AS t, coalesce(sum(primary_articles), 0) AS tp
                 FROM topic_timeline),
                (SELECT coalesce(sum(total_articles), 0) AS l, coalesce(sum(total_primary_articles), 0) AS lp
                 FROM topic_lifecycle),
                (SELECT count(*) AS b, count(*) FILTER (WHERE is_primary) AS bp FROM article_topics)""",
    ),
    Check(
        "events_reconcile",
        "events",
        "Every event has its article count in event_articles (at least two) and one first report; no "
        "article is in two events; no reprint is published before its source.",
        """SELECT counted = listed AND small = 0 AND firsts = events AND twice = 0 AND backwards = 0,
                  format('{} articles in events vs {} listed, {} events under two articles, {} first reports '
                         'for {} events, {} articles in two events, {} reprints before their source',
                         counted, listed, small, firsts, events, twice, backwards)
           FROM (SELECT coalesce(sum(articles), 0) AS counted, count(*) FILTER (WHERE articles < 2) AS small,
                        count(*) AS events FROM events),
                (SELECT count(*) AS listed, count(*) FILTER (WHERE is_first) AS firsts,
                        count(*) - count(DISTINCT article_id) AS twice FROM event_articles),
                (SELECT count(*) FILTER (WHERE lag_seconds < 0) AS backwards FROM reprints)""",
    ),
]


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckOutcome]:
    outcomes = []
    for check in CHECKS:
        passed, detail = con.execute(check.sql).fetchone()
        outcomes.append(CheckOutcome(check.name, check.table, check.description, bool(passed), detail))
    return outcomes
