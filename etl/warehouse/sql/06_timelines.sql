-- Zero-filled timelines over the whole calendar. Rolling windows are ROWS windows over a gap-free daily
-- series, so "7 rows" is exactly 7 days (fewer at the start of the data).

CREATE TABLE timeline_daily AS
WITH counts AS (SELECT pub_date, outlet, count(*) AS articles FROM articles GROUP BY ALL),
filled AS (
    SELECT c.pub_date, o.outlet, coalesce(n.articles, 0) AS articles
    FROM calendar AS c
    CROSS JOIN (SELECT DISTINCT outlet FROM articles) AS o
    LEFT JOIN counts AS n USING (pub_date, outlet)
)
SELECT
    pub_date, outlet, articles,
    avg(articles) OVER (PARTITION BY outlet ORDER BY pub_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
        AS rolling_7d_mean
FROM filled
ORDER BY pub_date, outlet;

-- `articles` is the kept-topic count (topic_counts_daily.articles, digests included): the rolling mean, the
-- baseline and the burst rule use it; `primary_articles` (the article's main topic only) is shown beside it.
-- Burst rule (all must hold):
--   * at least 7 active archive days among the 28 days before (baseline_days >= 7),
--   * z_score >= 3, where z_score = (articles - baseline_28d) / greatest(baseline_sd, 1);
--     the standard deviation is floored at one article so a topic silent for weeks does not burst on one story,
--   * articles >= 3 (a minimum count),
--   * articles >= 2 * baseline_28d (a ratio over the baseline),
--   * share >= 1.5 * baseline_share: the topic's share of the day's articles rose too, so a jump in the
--     archive's overall volume (collection ramping up, a bulk re-capture) does not make every topic burst.
-- baseline_28d / baseline_sd: mean and population standard deviation of the topic's daily articles over the
-- ACTIVE days (calendar.active) among the 28 days before the day, so gaps in collection do not deflate them.
CREATE TABLE topic_timeline AS
WITH params AS (
    SELECT 3.0 AS z_min, 3 AS min_articles, 2.0 AS min_ratio, 1.5 AS min_share_ratio, 7 AS min_history_days
),
counts AS (
    SELECT pub_date, topic, count(*) AS articles, count(*) FILTER (WHERE is_primary) AS primary_articles,
           sum(mentions)::BIGINT AS mentions, count(*) FILTER (WHERE in_title) AS in_title
    FROM article_topics GROUP BY ALL
),
filled AS (
    SELECT c.pub_date, c.active, c.articles AS day_articles, t.topic, coalesce(n.articles, 0) AS articles,
           coalesce(n.primary_articles, 0) AS primary_articles,
           coalesce(n.mentions, 0) AS mentions, coalesce(n.in_title, 0) AS in_title_articles
    FROM calendar AS c
    CROSS JOIN (SELECT topic FROM topics UNION SELECT DISTINCT topic FROM article_topics) AS t
    LEFT JOIN counts AS n USING (pub_date, topic)
),
stats AS (
    SELECT
        *,
        avg(articles) OVER last7 AS rolling_7d_mean,
        avg(articles) FILTER (WHERE active) OVER before28 AS baseline_28d,
        stddev_pop(articles) FILTER (WHERE active) OVER before28 AS baseline_sd,
        count(*) FILTER (WHERE active) OVER before28 AS baseline_days,
        sum(articles) OVER before28 / nullif(sum(day_articles) OVER before28, 0) AS baseline_share
    FROM filled
    WINDOW
        last7 AS (PARTITION BY topic ORDER BY pub_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
        before28 AS (PARTITION BY topic ORDER BY pub_date ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING)
),
scored AS (
    SELECT *, (articles - baseline_28d) / greatest(baseline_sd, 1.0) AS z_score,
           articles / nullif(baseline_28d, 0) AS ratio, articles / nullif(day_articles, 0) AS share
    FROM stats
)
SELECT
    s.pub_date, s.topic, s.articles, s.primary_articles, s.mentions, s.in_title_articles, s.rolling_7d_mean,
    s.baseline_28d, s.baseline_sd, s.baseline_days, s.z_score, s.ratio, s.share, s.baseline_share,
    coalesce(
        s.baseline_days >= p.min_history_days
        AND s.z_score >= p.z_min
        AND s.articles >= p.min_articles
        AND s.articles >= p.min_ratio * s.baseline_28d
        AND s.share >= p.min_share_ratio * coalesce(s.baseline_share, 0),
        false
    ) AS is_burst
FROM scored AS s, params AS p
ORDER BY s.topic, s.pub_date;

-- One row per topic that ever appeared. Ties for the peak go to the earliest day.
CREATE TABLE topic_lifecycle AS
SELECT
    topic,
    min(pub_date) FILTER (WHERE articles > 0) AS first_seen,
    arg_max(pub_date, (articles, -epoch(pub_date))) AS peak_date,
    max(articles) AS peak_articles,
    max(pub_date) FILTER (WHERE articles > 0) AS last_seen,
    sum(articles)::BIGINT AS total_articles,
    sum(primary_articles)::BIGINT AS total_primary_articles,
    count(*) FILTER (WHERE articles > 0) AS active_days,
    count(*) FILTER (WHERE is_burst) AS burst_days,
    min(pub_date) FILTER (WHERE is_burst) AS first_burst
FROM topic_timeline
GROUP BY topic
HAVING sum(articles) > 0
ORDER BY total_articles DESC, topic;
