"""Synthetic files are shaped like the real dumps: sizes and markup weight, measured against ../shared/corpus
at test time (statistics only). Benchmarks on synthetic archives then measure what real archives cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.synth import SynthSummary
from etl.synth.measure import FileStats, dump_paths, measure, quantile

SIZE_QUANTILES = (0.25, 0.50, 0.75, 0.90)
SIZE_TOLERANCE = 0.20  # relative, per quantile
OUTLET_MEDIAN_TOLERANCE = 0.25  # relative; outlets with enough files on both sides
MARKUP_TOLERANCE = 0.06  # absolute difference of the markup share of body bytes


@pytest.fixture(scope="module")
def corpus_stats(corpus_dir: Path) -> list[FileStats]:
    return measure(list(dump_paths(corpus_dir))[::3])  # ~4,000 files in a stable order: a fair sample


@pytest.fixture(scope="module")
def synth_stats(sample_dir: Path) -> list[FileStats]:
    return measure(dump_paths(sample_dir))


def _markup(stats: list[FileStats]) -> float:
    return 1 - sum(s.text_bytes for s in stats) / sum(s.body_bytes for s in stats)


def test_file_size_quantiles_match_the_corpus(corpus_stats: list[FileStats], synth_stats: list[FileStats]):
    real = [s.bytes for s in corpus_stats]
    ours = [s.bytes for s in synth_stats]
    off = {}
    for q in SIZE_QUANTILES:
        want, got = quantile(real, q), quantile(ours, q)
        if abs(got / want - 1) > SIZE_TOLERANCE:
            off[f"p{round(q * 100)}"] = (round(want), round(got))
    assert not off, f"size quantiles (corpus bytes, synthetic bytes) off by more than 20%: {off}"
    assert quantile(ours, 0.99) > 3 * quantile(ours, 0.5), "no long tail"


def test_outlet_medians_match_the_corpus(corpus_stats: list[FileStats], synth_stats: list[FileStats]):
    def medians(stats: list[FileStats]) -> dict[str, tuple[int, float]]:
        by_outlet: dict[str, list[int]] = {}
        for s in stats:
            by_outlet.setdefault(s.outlet, []).append(s.bytes)
        return {o: (len(v), quantile(v, 0.5)) for o, v in by_outlet.items()}

    real, ours = medians(corpus_stats), medians(synth_stats)
    compared = [o for o in ours if o != "other" and o in real and min(real[o][0], ours[o][0]) >= 100]
    assert len(compared) >= 5, compared
    off = {
        o: (round(real[o][1]), round(ours[o][1]))
        for o in compared
        if abs(ours[o][1] / real[o][1] - 1) > OUTLET_MEDIAN_TOLERANCE
    }
    assert not off, f"median file size per outlet (corpus, synthetic) off by more than 25%: {off}"


def test_markup_to_text_ratio_is_comparable(corpus_stats: list[FileStats], synth_stats: list[FileStats]):
    real, ours = _markup(corpus_stats), _markup(synth_stats)
    assert abs(real - ours) <= MARKUP_TOLERANCE, (
        f"markup share of body bytes: corpus {real:.2f}, ours {ours:.2f}"
    )


def test_measure_reads_the_sample_like_its_truth(sample: SynthSummary, synth_stats: list[FileStats]):
    """The statistics see every generated file, and the outlet each was written for."""
    assert len(synth_stats) == sample.files
    assert sum(s.bytes for s in synth_stats) == sample.bytes
    assert {s.outlet for s in synth_stats} - {"other"} == set(sample.by_outlet)
