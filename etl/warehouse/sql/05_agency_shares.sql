-- Each outlet's share of stories supplied (credited) by each agency.
--   share             = articles credited to the agency / all the outlet's articles that day (month)
--   share_of_credited = articles credited to the agency / the outlet's articles crediting any agency
-- A story crediting two agencies counts for both, so shares of one outlet may add up to more than 1.
-- Rows exist for every day (month) the outlet published and every agency it ever credited (zeros included).

CREATE TABLE agency_share_daily AS
WITH outlet_days AS (
    SELECT pub_date, outlet, count(*) AS outlet_articles,
           count(*) FILTER (WHERE len(agencies_credited) > 0) AS credited_articles
    FROM articles GROUP BY ALL
),
pairs AS (SELECT DISTINCT outlet, agency FROM article_agencies WHERE role = 'credited'),
counts AS (
    SELECT pub_date, outlet, agency, count(*) AS articles
    FROM article_agencies WHERE role = 'credited' GROUP BY ALL
)
SELECT
    d.pub_date, d.outlet, p.agency, coalesce(c.articles, 0) AS articles, d.outlet_articles, d.credited_articles,
    coalesce(c.articles, 0) / d.outlet_articles AS share,
    coalesce(c.articles, 0) / nullif(d.credited_articles, 0) AS share_of_credited
FROM outlet_days AS d
JOIN pairs AS p USING (outlet)
LEFT JOIN counts AS c USING (pub_date, outlet, agency)
ORDER BY d.pub_date, d.outlet, p.agency;

CREATE TABLE agency_share_monthly AS
WITH outlet_months AS (
    SELECT date_trunc('month', pub_date)::DATE AS month, outlet,
           sum(outlet_articles)::BIGINT AS outlet_articles, sum(credited_articles)::BIGINT AS credited_articles
    FROM (SELECT DISTINCT pub_date, outlet, outlet_articles, credited_articles FROM agency_share_daily)
    GROUP BY ALL
),
counts AS (
    SELECT date_trunc('month', pub_date)::DATE AS month, outlet, agency, sum(articles)::BIGINT AS articles
    FROM agency_share_daily GROUP BY ALL
)
SELECT
    c.month, c.outlet, c.agency, c.articles, m.outlet_articles, m.credited_articles,
    c.articles / m.outlet_articles AS share,
    c.articles / nullif(m.credited_articles, 0) AS share_of_credited
FROM counts AS c
JOIN outlet_months AS m USING (month, outlet)
ORDER BY c.month, c.outlet, c.agency;
