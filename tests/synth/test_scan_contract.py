"""Every file of a synthetic sample is a dump the pipeline must account for (`.md` and `.txt`, issue 2)."""

from __future__ import annotations

from pathlib import Path

from etl.lake import manifest
from etl.synth import SynthSummary


def test_manifest_scan_sees_every_generated_file(sample: SynthSummary, sample_dir: Path) -> None:
    seen = manifest.scan_raw(sample_dir)
    missing = sorted({t.path for t in sample.truth} - set(seen))
    assert not missing, f"{len(missing)} generated dumps not scanned, e.g. {missing[:5]}"
    for truth in sample.truth[:100]:
        assert seen[truth.path][0] == truth.size
