"""One synthetic sample per test session (generation is deterministic, so sharing it is safe)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.synth import SynthSummary, generate

SAMPLE_ARTICLES = 1400  # the default sample size: ~1,550 files


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SynthSummary:
    return generate(tmp_path_factory.mktemp("synth") / "raw", SAMPLE_ARTICLES)


@pytest.fixture(scope="session")
def sample_dir(sample: SynthSummary) -> Path:
    return sample.out_dir
