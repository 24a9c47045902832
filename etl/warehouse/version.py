"""The warehouse code version, in a module of its own: the planner (etl.lake.plan) compares it with the one a
warehouse was built with, and must not pay for importing the build (DuckDB, the events step, jieba)."""

from __future__ import annotations

from pathlib import Path

from etl.fingerprint import REGISTRIES_DIR, combine, registries_fingerprint

# The version of what the warehouse build makes of a lake: the SQL files and the Python computing inputs
# (sources, keyword trends, registry dimensions, reprints and events in etl/events). Bump it with any change
# that alters a table's rows or columns; a comment edit or a refactor leaves it, and nothing is rebuilt.
# 2: reprints, events, event_articles; inferred rows and source_article_id in article_agencies.
# 3: the events step streams bodies and keeps each article's 20 best links a day (890 corpus events, was 891).
# 4: an event's label is its member most similar to the others, the member itself left out (ties: the first
#    report); counting its similarity with itself, ~1 give or take float noise, decided two-article events.
# 5: events: similarity halved every 84 h between two articles, stock notices cut out of the leads and
#    attribution words dropped, one outlet's articles 18 h apart (was 12 h) never in one event (926 corpus
#    events, was 889).
# 6: reprints: a pair is also a reprint when the smaller text lies largely inside the other, in its order,
#    over the 800 characters verified (a copy under a new opening paragraph; 122 corpus reprint pairs, was
#    111).
WAREHOUSE_VERSION = "6"


def code_version(registries_dir: Path = REGISTRIES_DIR) -> str:
    """WAREHOUSE_VERSION and the registries' content: editing the taxonomy changes it, so the UI shows the
    warehouse assets changed."""
    return combine(WAREHOUSE_VERSION, registries_fingerprint(registries_dir))
