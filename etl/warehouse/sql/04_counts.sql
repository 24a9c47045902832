-- Daily counts. Each article counts once per (topic | agency, role) per day, so these sum back to the
-- base tables exactly (the asset checks reconcile them).

CREATE TABLE topic_counts_daily AS
SELECT pub_date, topic, outlet, count(*) AS articles, sum(mentions)::BIGINT AS mentions
FROM article_topics
GROUP BY ALL
ORDER BY pub_date, topic, outlet;

CREATE TABLE agency_counts_daily AS
SELECT pub_date, agency, outlet, role, count(*) AS articles
FROM article_agencies
GROUP BY ALL
ORDER BY pub_date, agency, outlet, role;
