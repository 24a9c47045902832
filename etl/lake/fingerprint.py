"""Code version of the lake: what the partition files depend on besides the raw bytes.

The staged parse (the parser's version, the registries' content, the staged columns: etl/lake/stage.py), the
lake tables' schemas and LAKE_BUILD_VERSION (how a build assembles rows). A change in any of them makes
Dagster show the lake assets as changed and the partitions stale; editing a comment changes none of them.
"""

from __future__ import annotations

from functools import cache

from etl.fingerprint import combine
from etl.lake.build import LAKE_BUILD_VERSION
from etl.lake.schema import ARTICLE_VERSIONS, ARTICLES
from etl.lake.stage import parser_version


@cache
def lake_code_version() -> str:
    return combine(parser_version(), LAKE_BUILD_VERSION, str(ARTICLES), str(ARTICLE_VERSIONS))
