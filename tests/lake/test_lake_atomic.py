"""The one atomic-write helper: readers see the old file or the new one; a failed write leaves no trace."""

from __future__ import annotations

import pytest

from etl.lake import atomic


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out" / "report.html"
    atomic.write_bytes_atomic(target, b"first")
    with pytest.raises(RuntimeError), atomic.replacing(target) as tmp:
        tmp.write_bytes(b"half of the sec")
        raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "state.json"
    atomic.write_bytes_atomic(target, b"old")
    with atomic.replacing(target) as tmp:
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # not visible until the block ends
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
