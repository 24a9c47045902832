-- The manifest: every raw file seen, with its verdict, so data quality is queryable too. Its strings (paths,
-- file hashes) are mostly unique, so zstd stores them cheaper and smaller than the default dictionaries.
-- force_compression applies to whatever a checkpoint writes while it is set: the first CHECKPOINT writes the
-- tables built so far with their own compression, the second raw_files with zstd.
CHECKPOINT;
SET force_compression = 'zstd';
CREATE TABLE raw_files AS SELECT * FROM lake_manifest ORDER BY path;
CHECKPOINT;
RESET force_compression;

CREATE TABLE rejects AS
SELECT path, reason, detail, size, mtime, url, outlet, title, published_at
FROM raw_files
WHERE status = 'rejected'
ORDER BY reason, path;
