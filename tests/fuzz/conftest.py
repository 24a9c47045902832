"""Seeds for the fuzz tests: real dumps read from ../shared/corpus at test time, and synthetic ones."""

from __future__ import annotations

import random

import pytest
from fuzzkit import corpus_files, synth_dumps

REAL_SAMPLE = 40  # real dumps per test run: a fixed, spread-out sample (both variants, every outlet)


@pytest.fixture(scope="session")
def real_dumps(corpus_dir) -> list[bytes]:
    files = corpus_files(corpus_dir)
    picked = random.Random(5).sample(files, REAL_SAMPLE)
    jekyll = [f for f in files if "_posts" in f.parts][:: max(1, len(files) // 7)][:4]
    return [f.read_bytes() for f in picked + jekyll]


@pytest.fixture(scope="session")
def synthetic_dumps() -> list[bytes]:
    return synth_dumps(21, seed=3)
