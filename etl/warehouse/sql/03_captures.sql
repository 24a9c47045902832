-- One row per capture, and the articles' agencies and topics one row each, from the lake and `articles`.

-- Captures in the order they were taken (file mtime, then path); title_changed compares with the capture before.
-- The outlet comes from `articles` (the same rows as lake_articles, without a second scan of the lake).
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

-- One row per kept topic of an article, with why it was kept: `relevance` (the tagger's score, 0-1), keyword
-- `mentions`, `in_title`, `in_lead`, `share` (of the body's paragraphs mentioning it). `is_primary`: the topic
-- is the article's primary_topic; `digest` is the article's flag, here too so counts can leave digests out.
CREATE TABLE article_topics AS
WITH hits AS (
    SELECT a.article_id, a.pub_date, a.outlet, a.primary_topic, coalesce(a.digest, false) AS digest,
           unnest(a.topic_hits, recursive := true)
    FROM lake_articles AS a
)
SELECT
    article_id, pub_date, outlet, topic, sum(mentions)::INTEGER AS mentions, bool_or(in_title) AS in_title,
    coalesce(bool_or(in_lead), false) AS in_lead, max(share) AS share, max(score) AS relevance,
    coalesce(topic = primary_topic, false) AS is_primary, digest
FROM hits
GROUP BY article_id, pub_date, outlet, topic, primary_topic, digest
ORDER BY pub_date, article_id, topic;
