"""The Dagster code location: everything under etl/defs/, one subfolder per domain."""

from __future__ import annotations

import dagster as dg

from etl.settings import PROJECT_ROOT

defs = dg.load_from_defs_folder(path_within_project=PROJECT_ROOT)
