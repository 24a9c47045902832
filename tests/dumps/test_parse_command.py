from __future__ import annotations

import json

from dumpmaker import dump

from etl.cli import main


def make_tree(root):
    (root / "b").mkdir()
    (root / "a.md").write_bytes(dump(title="甲", url="https://www.dw.com/zh/a/a-1"))
    (root / "b" / "c.txt").write_bytes(dump(title="乙", url="https://www.rfi.fr/cn/b"))
    (root / "b" / "empty.md").write_bytes(b"")
    (root / "b" / "notes.json").write_text("{}")  # not a dump file: ignored inside folders
    (root / ".hidden.md").write_bytes(dump())


def test_jsonl_one_record_per_file_in_sorted_order(tmp_path, capsys):
    make_tree(tmp_path)
    assert main(["parse", str(tmp_path), "--jsonl"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    assert [(r["title"], r["status"], r["reason"]) for r in rows] == [
        ("甲", "ok", None),
        ("乙", "ok", None),
        (None, "rejected", "empty_file"),
    ]
    assert err.strip().startswith("3 files, 2 ok, 1 rejected (empty_file 1)")
    assert err.strip().endswith(" s")


def test_parallel_output_keeps_order(tmp_path, capsys):
    for i in range(80):
        (tmp_path / f"{i:03d}.md").write_bytes(dump(title=f"标题{i}", url=f"https://www.dw.com/zh/x/a-{i}"))
    assert main(["parse", str(tmp_path), "--jsonl", "--workers", "2"]) == 0
    titles = [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()]
    assert titles == [f"标题{i}" for i in range(80)]


def test_table_output_and_explicit_files(tmp_path, capsys):
    make_tree(tmp_path)
    assert main(["parse", str(tmp_path / "a.md"), str(tmp_path / "b" / "empty.md")]) == 0
    out, err = capsys.readouterr()
    assert "甲" in out and "empty_file" in out and "dw" in out
    assert err.startswith("2 files, 1 ok, 1 rejected")


def test_wrong_arguments_exit_nonzero(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope")]) == 2
    assert "no such file" in capsys.readouterr().err
