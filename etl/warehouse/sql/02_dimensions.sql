-- Dimension tables from etl/registries/*.yaml (inputs registry_*: one column per YAML field).

CREATE TABLE outlets AS SELECT * FROM registry_outlets ORDER BY outlet;
CREATE TABLE agencies AS SELECT * FROM registry_agencies ORDER BY agency;
CREATE TABLE topics AS SELECT * FROM registry_topics ORDER BY topic;

-- Every day from the first to the last publication date in the lake: the spine of the zero-filled timelines.
-- `active`: the archive holds at least one article that day (gaps in collection are not news).
CREATE TABLE calendar AS
WITH days AS (
    SELECT unnest(generate_series(min(pub_date), max(pub_date), INTERVAL 1 DAY))::DATE AS pub_date
    FROM articles
    HAVING count(*) > 0
),
counts AS (SELECT pub_date, count(*) AS articles FROM articles GROUP BY pub_date)
SELECT
    d.pub_date,
    date_trunc('week', d.pub_date)::DATE AS week,
    date_trunc('month', d.pub_date)::DATE AS month,
    coalesce(c.articles, 0) AS articles,
    coalesce(c.articles, 0) > 0 AS active
FROM days AS d
LEFT JOIN counts AS c USING (pub_date)
ORDER BY d.pub_date;

-- What "now" means for a historical archive. edge_day is the last day holding at least a quarter of the
-- median active day's articles, so a few stray late captures (a 2024 item in a 2020 archive) do not define
-- "this week". "This week" everywhere (top_topics, keyword_trends, the UI preview) = the 7 days up to edge_day.
-- start_day is the first such day: charts show start_day .. edge_day, the archive's core range.
CREATE TABLE coverage AS
WITH typical AS (SELECT median(articles) AS median_daily_articles FROM calendar WHERE active)
SELECT
    (SELECT min(pub_date) FROM calendar) AS first_day,
    (SELECT max(pub_date) FROM calendar) AS last_day,
    (SELECT min(pub_date) FROM calendar, typical WHERE articles >= 0.25 * median_daily_articles) AS start_day,
    (SELECT max(pub_date) FROM calendar, typical WHERE articles >= 0.25 * median_daily_articles) AS edge_day,
    (SELECT count(*) FROM calendar WHERE active) AS active_days,
    median_daily_articles
FROM typical;
