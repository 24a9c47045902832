"""`etl synth` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.cli import main


def test_writes_sample_and_truth_outside_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out, truth = tmp_path / "raw", tmp_path / "truth.jsonl"
    assert main(["synth", "--out", str(out), "--articles", "60", "--truth", str(truth)]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in rows] == files
    err = capsys.readouterr().err
    assert f"synth: {len(files)} files" in err and "files/s" in err
    # A second run into the folder it made is allowed and changes nothing.
    before = {f: (out / f).read_bytes() for f in files}
    assert main(["synth", "--out", str(out), "--articles", "60"]) == 0
    assert {f: (out / f).read_bytes() for f in files} == before


def test_default_out_is_the_raw_dir_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_RAW_DIR", str(tmp_path / "data" / "raw"))
    assert main(["synth", "--articles", "10", "--days", "2", "--start", "2024-01-01", "--seed", "5"]) == 0
    assert any((tmp_path / "data" / "raw").rglob("*.md"))


def test_refusals_explain_themselves(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "raw"
    out.mkdir()
    (out / "real.md").write_text("x", encoding="utf-8")
    assert main(["synth", "--out", str(out), "--articles", "5"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["synth", "--out", str(out), "--articles", "5", "--force"]) == 0
    assert main(["synth", "--out", str(tmp_path / "b"), "--truth", str(tmp_path / "b" / "t.jsonl")]) == 2
    assert "outside" in capsys.readouterr().err


def test_bad_date_is_an_argument_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--out", str(tmp_path / "raw"), "--start", "March 1st"])
    assert exc.value.code == 2
