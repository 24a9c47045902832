"""Events across outlets: reprints (near-duplicate body text) and events (the same news, written independently).

Pure logic, no Dagster: `text` normalises and shingles, `reprints` finds near-duplicate pairs with MinHash LSH,
`events` groups articles reporting the same happening within a time window, `digests` says which articles are
roundups that join no event. The warehouse build calls `find_reprints` and `find_events` on the lake's articles.
"""
