-- Daily counts. Each article counts once per (topic | agency, role) per day, so these sum back to the
-- base tables exactly (the asset checks reconcile them).

-- Two topic counts side by side (README, "Which topic count"):
--   articles          articles on the topic: it is one of their kept topics (main or clear secondary subject);
--                     an article with two topics counts under both. The count timelines and bursts use.
--   primary_articles  articles whose primary topic it is: each article counts under one topic at most, so
--                     they add up to at most the day's articles ("what was the news mainly about").
--   digest_articles   of `articles`, the digests and roundups (subtract them to leave digests out).
CREATE TABLE topic_counts_daily AS
SELECT
    pub_date, topic, outlet, count(*) AS articles, count(*) FILTER (WHERE is_primary) AS primary_articles,
    count(*) FILTER (WHERE digest) AS digest_articles, sum(mentions)::BIGINT AS mentions
FROM article_topics
GROUP BY ALL
ORDER BY pub_date, topic, outlet;

CREATE TABLE agency_counts_daily AS
SELECT pub_date, agency, outlet, role, count(*) AS articles
FROM article_agencies
GROUP BY ALL
ORDER BY pub_date, agency, outlet, role;
