-- The base table, straight from the lake: one row per article (its latest capture). Captures, agencies and
-- topics follow in 03_captures.sql.
-- Inputs (prepared by etl/warehouse/build.py, not stored): lake_articles, lake_article_versions, lake_manifest.

-- body_text alone is stored with zstd (USING COMPRESSION): at 100k articles the build spends about 1.5 s less CPU
-- than with DuckDB's default string compression (dictionary + FSST), and the file is less than half the size.
-- The other columns keep the default, whose dictionaries make filters and title searches fast. The column types
-- are the lake's (etl/lake/schema.py ARTICLES), with the agency and topic lists deduplicated and sorted.
-- `topics` are the topics the tagger kept (main or clear secondary subjects), `primary_topic` the one the
-- article is mainly about (NULL without topics), `digest` a roundup of unrelated items (its topics are its lead
-- items').
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR,
    url VARCHAR,
    outlet VARCHAR,
    title VARCHAR,
    published_at TIMESTAMP WITH TIME ZONE,
    pub_date DATE,
    feed_published_at TIMESTAMP WITH TIME ZONE,
    outlet_published_at TIMESTAMP WITH TIME ZONE,
    byline VARCHAR,
    script VARCHAR,
    body_text VARCHAR USING COMPRESSION zstd,
    body_chars INTEGER,
    degenerate VARCHAR,
    content_hash VARCHAR,
    compiled BOOLEAN,
    captures INTEGER,
    source_path VARCHAR,
    agencies_credited VARCHAR[],
    agencies_cited VARCHAR[],
    topics VARCHAR[],
    primary_topic VARCHAR,
    digest BOOLEAN
);

-- This file runs once per batch of whole days, in day order (etl/warehouse/build.py RUN_PER_DAY_BATCH): each
-- run inserts only its own days' rows, so memory stays bounded by the batch, not the archive (the table exists
-- after the first run), and the table's order is the same as one sort of everything (pub_date leads the key).
INSERT INTO articles
SELECT
    article_id, url, outlet, title, published_at, pub_date, feed_published_at, outlet_published_at,
    byline, script, body_text, body_chars, degenerate, content_hash, compiled, captures, source_path,
    list_sort(list_distinct(coalesce(agencies_credited, []::VARCHAR[]))) AS agencies_credited,
    list_sort(list_distinct(coalesce(agencies_cited, []::VARCHAR[]))) AS agencies_cited,
    list_sort(list_distinct(coalesce(topics, []::VARCHAR[]))) AS topics,
    primary_topic,
    coalesce(digest, false) AS digest
FROM lake_articles
WHERE pub_date BETWEEN getvariable('first_day') AND getvariable('last_day')
ORDER BY pub_date, outlet, published_at, article_id;
