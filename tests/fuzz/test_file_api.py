"""parse_file on what a raw folder may hold besides dumps: never a hang, always a record with a reason."""

from __future__ import annotations

import os
import threading

import pytest
from fuzzkit import violations

from etl.dumps.parse import parse_file

# A hang guard, not a speed bar: parse_file answers these in microseconds; a FIFO that is read blocks for
# ever, and then the test fails with a message instead of hanging the suite.
HANG_S = 60


def _parse(path):
    done: list = []
    worker = threading.Thread(target=lambda: done.append(parse_file(path)), daemon=True)
    worker.start()
    worker.join(HANG_S)
    assert not worker.is_alive(), f"parse_file({path}) still blocked after {HANG_S} s"
    assert done, f"parse_file({path}) raised instead of returning a record (traceback above)"
    rec = done[0]
    assert not violations(rec), violations(rec)
    return rec


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_rejected_not_read(tmp_path):
    # Regression: parse_file opened the FIFO and blocked forever waiting for a writer.
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    rec = _parse(fifo)
    assert (rec.status, rec.reason) == ("rejected", "unreadable") and "FIFO" in rec.detail


@pytest.mark.parametrize("make", ["folder", "missing", "broken_link", "device"])
def test_other_non_files_are_unreadable(make, tmp_path):
    path = tmp_path / "x.md"
    if make == "folder":
        path.mkdir()
    elif make == "broken_link":
        path.symlink_to(tmp_path / "gone.md")
    elif make == "device":
        path = "/dev/null"
    rec = _parse(path)
    assert (rec.status, rec.reason) == ("rejected", "unreadable")


def test_a_link_to_a_dump_is_read(tmp_path):
    target = tmp_path / "real.md"
    target.write_bytes(
        "<!--1595361137000-->\n[标题](https://www.dw.com/zh/x/a-1)\n------\n\n<p>正文</p>\n".encode()
    )
    (tmp_path / "link.md").symlink_to(target)
    assert _parse(tmp_path / "link.md").status == "ok"
