-- Dimension tables from etl/registries/*.yaml (inputs registry_*: one column per YAML field).

CREATE TABLE outlets AS SELECT * FROM registry_outlets ORDER BY outlet;
CREATE TABLE agencies AS SELECT * FROM registry_agencies ORDER BY agency;
CREATE TABLE topics AS SELECT * FROM registry_topics ORDER BY topic;

-- Every day from the first to the last publication date in the lake: the spine of the zero-filled timelines.
CREATE TABLE calendar AS
SELECT
    d::DATE AS pub_date,
    date_trunc('week', d)::DATE AS week,
    date_trunc('month', d)::DATE AS month
FROM (
    SELECT unnest(generate_series(min(pub_date), max(pub_date), INTERVAL 1 DAY)) AS d
    FROM articles
    HAVING count(*) > 0
)
ORDER BY pub_date;
