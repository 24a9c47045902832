-- Rising terms outside the taxonomy; computed in Python (etl/warehouse/keywords.py documents the score).
CREATE TABLE keyword_trends AS SELECT * FROM keyword_trends_input ORDER BY score DESC, term;
