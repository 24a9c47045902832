"""Events across outlets: reprints (near-duplicate body text) and events (the same news, written apart).

Pure logic, no Dagster: `text` folds bodies and hashes shingles, `reprints` finds near-duplicate pairs with
MinHash LSH, `events` groups the articles reporting one happening within a time window, `digests` says which
articles are roundups that join no event, `cache` keeps each article's sketch and term counts and each
reprint check between builds (a day of new articles is then all a build sketches). Parameters:
etl/registries/events.yaml (`config`).
"""
