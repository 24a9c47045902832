-- Reprints and events across outlets, detected in Python from `articles` (etl/events, README "Events and
-- reprints across outlets"). Inputs (registered by etl/warehouse/build.py, not stored): reprints_input,
-- events_input, event_articles_input, agency_self_outlets (agencies.yaml: agency, self_outlet).

-- One row per reprint: the article whose body largely repeats an earlier one (source_article_id).
CREATE TABLE reprints AS
SELECT r.article_id, a.pub_date, r.outlet, r.source_article_id, s.pub_date AS source_pub_date, r.source_outlet,
       r.similarity, r.lag_seconds, r.same_outlet
FROM reprints_input AS r
JOIN articles AS a USING (article_id)
JOIN articles AS s ON s.article_id = r.source_article_id
ORDER BY a.pub_date, r.article_id, r.source_article_id;

-- One row per event (at least two articles reporting one happening within 72 hours).
CREATE TABLE events AS
SELECT event_id, label, first_published_at, first_outlet, last_published_at, articles, outlets, main_topic,
       first_published_at::DATE AS first_day,
       round(epoch(last_published_at - first_published_at) / 3600, 1) AS hours_covered
FROM events_input
ORDER BY first_published_at, event_id;

-- One row per article of an event: its lag after the event's first report.
CREATE TABLE event_articles AS
SELECT event_id, article_id, outlet, published_at, lag_seconds, round(lag_seconds / 3600, 2) AS lag_hours,
       is_first
FROM event_articles_input
ORDER BY event_id, published_at, article_id;

-- A reprint of an agency's story rests on that agency even when it credits no one: the agencies credited on
-- the source, or the agency whose own outlet the source is (Reuters 路透中文, CNA 中央社), become `inferred`
-- rows of the reprint (with the source article's id), unless the reprint credits that agency itself.
-- `credited` and `cited` rows and their counts (agency_counts_daily, agency shares) are unchanged.
ALTER TABLE article_agencies ADD COLUMN source_article_id VARCHAR;
INSERT INTO article_agencies (article_id, pub_date, outlet, agency, role, source_article_id)
WITH source_agencies AS (
    SELECT r.article_id, r.pub_date, r.outlet, r.source_article_id, r.source_pub_date, aa.agency
    FROM reprints AS r
    JOIN article_agencies AS aa ON aa.article_id = r.source_article_id AND aa.role = 'credited'
    UNION ALL
    SELECT r.article_id, r.pub_date, r.outlet, r.source_article_id, r.source_pub_date, ag.agency
    FROM reprints AS r
    JOIN agency_self_outlets AS ag ON ag.outlet = r.source_outlet
)
SELECT article_id, pub_date, outlet, agency, 'inferred', arg_min(source_article_id, (source_pub_date, source_article_id))
FROM source_agencies AS s
WHERE NOT EXISTS (
    SELECT 1 FROM article_agencies AS own
    WHERE own.article_id = s.article_id AND own.agency = s.agency AND own.role = 'credited'
)
GROUP BY article_id, pub_date, outlet, agency;

-- How one event was covered: articles per outlet per hour (unit 'hour') or day (unit 'day').
CREATE MACRO event_timeline(event, unit) AS TABLE
SELECT date_trunc(unit, ea.published_at) AS period, ea.outlet, count(*) AS articles,
       min(ea.lag_hours) AS first_lag_hours
FROM event_articles AS ea
WHERE ea.event_id = event
GROUP BY ALL
ORDER BY period, ea.outlet;

-- Per outlet: events it covered, how often it had the first report, and its median lag behind the first
-- report (its earliest article of each event; 0 when it was first). Events of two outlets or more only.
CREATE MACRO outlet_event_lead() AS TABLE
WITH per_event AS (
    SELECT ea.event_id, ea.outlet, min(ea.lag_seconds) AS lag_seconds, bool_or(ea.is_first) AS was_first
    FROM event_articles AS ea
    JOIN events AS e USING (event_id)
    WHERE e.outlets >= 2
    GROUP BY ALL
)
SELECT outlet, count(*) AS events, count(*) FILTER (WHERE was_first) AS first_reports,
       round(count(*) FILTER (WHERE was_first) / count(*), 3) AS share_first,
       round(median(lag_seconds) / 3600, 2) AS median_lag_hours,
       round(median(lag_seconds) FILTER (WHERE NOT was_first) / 3600, 2) AS median_lag_hours_when_following
FROM per_event
GROUP BY outlet
ORDER BY events DESC, outlet;

-- Agency reliance of one event (or of every event, with NULL): its articles per agency and role (credited,
-- cited, inferred), beside the event's size.
CREATE MACRO event_agencies(event) AS TABLE
SELECT ea.event_id, aa.agency, aa.role, count(DISTINCT ea.article_id) AS articles,
       any_value(e.articles) AS event_articles
FROM event_articles AS ea
JOIN article_agencies AS aa USING (article_id)
JOIN events AS e USING (event_id)
WHERE event IS NULL OR ea.event_id = event
GROUP BY ALL
ORDER BY ea.event_id, aa.agency, aa.role;

-- The reprint network: who reprints whom (source outlet -> reprinting outlet), across outlets and within one.
CREATE MACRO reprint_network() AS TABLE
SELECT source_outlet, outlet, count(*) AS reprints, round(median(lag_seconds) / 3600, 2) AS median_lag_hours,
       round(avg(similarity), 3) AS mean_similarity
FROM reprints
GROUP BY ALL
ORDER BY reprints DESC, source_outlet, outlet;
