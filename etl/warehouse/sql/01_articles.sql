-- Base tables, straight from the lake: one row per article (its latest capture) and one per capture.
-- Inputs (prepared by etl/warehouse/build.py, not stored): lake_articles, lake_article_versions, lake_manifest.

CREATE TABLE articles AS
SELECT
    article_id, url, outlet, title, published_at, pub_date, feed_published_at, outlet_published_at,
    byline, script, NULL::VARCHAR AS body_text, body_chars, degenerate, content_hash, compiled, captures, source_path,
    list_sort(list_distinct(coalesce(agencies_credited, []::VARCHAR[]))) AS agencies_credited,
    list_sort(list_distinct(coalesce(agencies_cited, []::VARCHAR[]))) AS agencies_cited,
    list_sort(list_distinct(coalesce(topics, []::VARCHAR[]))) AS topics
FROM lake_articles
ORDER BY pub_date, outlet, published_at, article_id;

-- body_text is filled in a second step so that it alone is compressed with zstd: at 100k articles the build
-- spends about 1.5 s less CPU than with DuckDB's default string compression (dictionary + FSST), and the file
-- is less than half the size. The other columns keep the default, whose dictionaries make filters and title
-- searches fast. The join key picks one lake row per article; rows agreeing on it hold the same visible text
-- (content_hash), so even a duplicated article (which fails the article_ids_unique check) gets its own text.
-- force_compression applies to whatever a checkpoint writes while it is set: the first CHECKPOINT writes
-- the other columns with the default, the second body_text with zstd.
CHECKPOINT;
SET force_compression = 'zstd';
UPDATE articles SET body_text = l.body_text
FROM lake_articles AS l
WHERE l.article_id = articles.article_id AND l.pub_date = articles.pub_date
  AND l.content_hash IS NOT DISTINCT FROM articles.content_hash;
CHECKPOINT;
RESET force_compression;

-- Captures in the order they were taken (file mtime, then path); title_changed compares with the capture before.
-- The outlet comes from the articles table just built (the same rows as lake_articles, without a second scan).
CREATE TABLE article_versions AS
WITH ordered AS (
    SELECT
        v.*,
        row_number() OVER (PARTITION BY v.article_id ORDER BY v.file_mtime, v.source_path) AS version_no,
        count(*) OVER (PARTITION BY v.article_id) AS versions,
        lag(v.title) OVER (PARTITION BY v.article_id ORDER BY v.file_mtime, v.source_path) AS previous_title
    FROM lake_article_versions AS v
)
SELECT
    o.article_id, o.pub_date, a.outlet, o.version_no, o.versions, o.title, o.previous_title,
    coalesce(o.title IS DISTINCT FROM o.previous_title AND o.version_no > 1, false) AS title_changed,
    o.feed_published_at, o.outlet_published_at, o.published_at, o.file_mtime, o.file_size, o.content_hash,
    o.is_latest, o.source_path
FROM ordered AS o
LEFT JOIN articles AS a USING (article_id)
ORDER BY o.pub_date, o.article_id, o.version_no;

-- `credited`: the story came from the agency (credit line, dateline); `cited`: the text quotes it.
CREATE TABLE article_agencies AS
SELECT article_id, pub_date, outlet, agency, role
FROM (
    SELECT article_id, pub_date, outlet, unnest(agencies_credited) AS agency, 'credited' AS role FROM articles
    UNION ALL
    SELECT article_id, pub_date, outlet, unnest(agencies_cited) AS agency, 'cited' AS role FROM articles
)
ORDER BY pub_date, article_id, role, agency;

CREATE TABLE article_topics AS
WITH hits AS (
    SELECT a.article_id, a.pub_date, a.outlet, unnest(a.topic_hits, recursive := true)
    FROM lake_articles AS a
)
SELECT article_id, pub_date, outlet, topic, sum(mentions)::INTEGER AS mentions, bool_or(in_title) AS in_title
FROM hits
GROUP BY ALL
ORDER BY pub_date, article_id, topic;
