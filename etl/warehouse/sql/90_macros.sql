-- Table macros for the DuckDB CLI (listed in README.md, "Cookbook"). "This week" means the 7 days up to
-- coverage.edge_day: archives are historical, so today's date would often show nothing.

CREATE MACRO topic_timeline_for(t) AS TABLE
    SELECT pub_date, articles, primary_articles, round(rolling_7d_mean, 2) AS rolling_7d_mean,
           round(baseline_28d, 2) AS baseline_28d, round(z_score, 2) AS z_score, is_burst
    FROM topic_timeline WHERE topic = t ORDER BY pub_date;

CREATE MACRO agency_share(o) AS TABLE
    SELECT month, agency, articles, outlet_articles, round(share, 3) AS share,
           round(share_of_credited, 3) AS share_of_credited
    FROM agency_share_monthly WHERE outlet = o ORDER BY month, articles DESC, agency;

CREATE MACRO search_titles(q) AS TABLE
    SELECT pub_date, outlet, title, url, article_id
    FROM articles WHERE contains(lower(title), lower(q)) ORDER BY published_at DESC, article_id;

CREATE MACRO top_topics(days) AS TABLE
    WITH recent AS (
        SELECT outlet, topic, sum(articles)::BIGINT AS articles,
               sum(primary_articles)::BIGINT AS primary_articles
        FROM topic_counts_daily
        WHERE pub_date > (SELECT edge_day FROM coverage) - to_days(days::INTEGER)
          AND pub_date <= (SELECT edge_day FROM coverage)
        GROUP BY ALL
    )
    SELECT outlet, topic, articles, primary_articles,
           rank() OVER (PARTITION BY outlet ORDER BY articles DESC) AS rank
    FROM recent
    QUALIFY rank <= 5
    ORDER BY outlet, rank, topic;

CREATE MACRO articles_about(t) AS TABLE
    SELECT a.pub_date, a.outlet, a.title, round(x.relevance, 2) AS relevance, x.is_primary, x.mentions,
           x.in_title, a.digest, a.agencies_credited, a.url
    FROM article_topics AS x JOIN articles AS a USING (article_id)
    WHERE x.topic = t ORDER BY a.published_at, a.article_id;

-- What the news of the last `days` days was mainly about: each article counts once, under its primary topic
-- (primary_share: of all the window's articles), beside the count of articles on the topic at all.
CREATE MACRO primary_topics(days) AS TABLE
    WITH window_days AS (
        SELECT pub_date FROM calendar
        WHERE pub_date > (SELECT edge_day FROM coverage) - to_days(days::INTEGER)
          AND pub_date <= (SELECT edge_day FROM coverage)
    ),
    recent AS (
        SELECT topic, sum(primary_articles)::BIGINT AS primary_articles, sum(articles)::BIGINT AS articles
        FROM topic_counts_daily SEMI JOIN window_days USING (pub_date)
        GROUP BY topic
    ),
    total AS (SELECT sum(articles) AS window_articles FROM calendar SEMI JOIN window_days USING (pub_date))
    SELECT r.topic, t.label, r.primary_articles,
           round(r.primary_articles / total.window_articles, 3) AS primary_share, r.articles
    FROM recent AS r CROSS JOIN total LEFT JOIN topics AS t USING (topic)
    ORDER BY r.primary_articles DESC, r.articles DESC, r.topic;

CREATE MACRO topic_bursts() AS TABLE
    SELECT topic, pub_date, articles, round(baseline_28d, 2) AS baseline_28d, round(z_score, 2) AS z_score
    FROM topic_timeline WHERE is_burst ORDER BY pub_date, topic;

CREATE MACRO rising_keywords(n) AS TABLE
    SELECT term, round(score, 2) AS score, round(lift, 2) AS lift, recent_articles, background_articles,
           outlets, first_seen, example_title
    FROM keyword_trends ORDER BY score DESC, term LIMIT n;
