"""Deterministic synthetic dump files for demos, tests and benchmarks (`etl synth`).

`generate(out_dir, articles, days, start, seed)` writes the files and returns a `SynthSummary` whose `truth`
holds one `FileTruth` per file: what a correct parser must make of it.
"""

from etl.synth.generate import (
    DEFAULT_ARTICLES,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    SynthError,
    SynthSummary,
    generate,
    marker_path,
)
from etl.synth.truth import EXPECTED_REASONS, FileTruth

__all__ = [
    "DEFAULT_ARTICLES",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "EXPECTED_REASONS",
    "FileTruth",
    "SynthError",
    "SynthSummary",
    "generate",
    "marker_path",
]
