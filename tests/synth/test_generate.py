"""The generator: determinism, idempotent reruns, refusal of foreign folders, and what a sample contains."""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from etl.synth import EXPECTED_REASONS, SynthError, SynthSummary, generate, marker_path
from etl.synth.files import EXACT_ID_TOP
from etl.synth.plan import MALFORMED_KINDS

LAYOUTS = {
    "dw", "dw_hant", "dw_mixed", "dw_video", "voa", "rfi_afp", "rfi_own", "rfi_truncated", "reuters",
    "reuters_date_only", "nyt_2020", "nyt_2022", "bbc", "bbc_title_only", "cna", "rfa", "ft", "zaobao",
}  # fmt: skip
OUTLETS = {"dw", "voa", "rfi", "reuters", "nyt", "bbc", "cna", "rfa", "ft", "zaobao", "cdt"}


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_paths_and_mtimes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a" / "raw", 300, seed=7)
    second = generate(tmp_path / "b" / "raw", 300, seed=7)
    tree = _tree(first.out_dir)
    assert tree == _tree(second.out_dir)
    assert len(tree) == first.files == len(first.truth)
    assert [t.path for t in first.truth] == sorted(tree)
    assert first.truth == second.truth


def test_another_seed_another_sample(tmp_path: Path) -> None:
    a = generate(tmp_path / "a" / "raw", 200, seed=1)
    b = generate(tmp_path / "b" / "raw", 200, seed=2)
    assert _tree(a.out_dir) != _tree(b.out_dir)


def test_rerun_into_same_folder_rewrites_identical_tree_and_drops_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    generate(out, 300, seed=3)
    before = _tree(out)
    generate(out, 300, seed=3)
    assert _tree(out) == before
    smaller = generate(out, 100, seed=3)
    assert sorted(_tree(out)) == sorted(t.path for t in smaller.truth)


def test_refuses_a_foreign_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    out.mkdir()
    (out / "mine.md").write_text("a real dump\n", encoding="utf-8")
    with pytest.raises(SynthError, match=r"not made by `etl synth`.*--force"):
        generate(out, 20)
    summary = generate(out, 20, force=True)
    assert (out / "mine.md").read_text(encoding="utf-8") == "a real dump\n"
    assert summary.files == len(_tree(out)) - 1


def test_marker_lives_outside_the_raw_folder(sample: SynthSummary, sample_dir: Path) -> None:
    marker = marker_path(sample_dir)
    assert marker.parent == sample_dir.parent
    data = json.loads(marker.read_text(encoding="utf-8"))
    assert data["generator"] == "etl synth"
    assert data["files"] == sorted(t.path for t in sample.truth)
    assert not any(p.name.startswith(".") for p in sample_dir.rglob("*"))


def test_default_sample_size_and_fixed_date_range(sample: SynthSummary) -> None:
    assert 1400 <= sample.files <= 1650
    assert (sample.first_date, sample.last_date) == ("2024-03-01", "2024-04-14")
    assert sample.bytes == sum(t.size for t in sample.truth)


def test_every_outlet_and_layout_and_both_variants(sample: SynthSummary) -> None:
    assert set(sample.by_outlet) == OUTLETS
    assert {t.layout for t in sample.truth if t.layout} >= LAYOUTS
    variants = Counter(t.variant for t in sample.truth if t.variant)
    assert variants["jekyll"] > 0.5 * sample.files
    assert variants["exact"] > 0.2 * sample.files


def test_file_level_variety(sample: SynthSummary) -> None:
    truth = sample.truth
    assert any(t.crlf for t in truth)
    assert any(t.bom for t in truth)
    assert any(t.path.endswith(".txt") for t in truth)
    assert {"hans", "hant", "mixed"} <= {t.script for t in truth}
    assert any(t.compiled for t in truth)
    assert any(t.agencies_cited for t in truth)
    credited = Counter(a for t in truth for a in t.agencies_credited)
    assert {"AFP", "AP", "CNA", "Reuters", "dpa"} <= set(credited)


def test_malformed_files_of_every_kind(sample: SynthSummary) -> None:
    kinds = Counter(t.malformed for t in sample.truth if t.malformed)
    assert set(kinds) == set(MALFORMED_KINDS)
    assert 0.005 * sample.files <= sum(kinds.values()) <= 0.02 * sample.files
    for t in sample.truth:
        if t.malformed in EXPECTED_REASONS:
            assert (t.status, t.reason) == ("rejected", EXPECTED_REASONS[t.malformed])


def test_recaptures_exercise_dedup_and_partitioning(sample: SynthSummary) -> None:
    captures = defaultdict(list)
    for t in sample.truth:
        if t.article_key:
            captures[t.article_key].append(t)
    again = [group for group in captures.values() if len(group) > 1]
    assert len(again) > 0.04 * len(captures)
    kinds = Counter(k for t in sample.truth for k in t.recapture_kinds)
    assert {"title_changed", "url_variant", "feed_time_changed", "pub_date_changed"} <= set(kinds)
    assert any(len({t.url for t in g}) > 1 for g in again)
    assert any(len({t.title for t in g}) > 1 for g in again)
    split_dates = [g for g in again if len({t.pub_date for t in g}) > 1]
    assert split_dates
    for group in again:
        assert len({t.article_pub_date for t in group}) == 1
        assert group[0].article_pub_date == min(t.pub_date for t in group)


def test_archive_paths(sample: SynthSummary) -> None:
    exact_ids, forms = [], Counter()
    for t in sample.truth:
        if t.variant == "jekyll":
            assert re.fullmatch(r"_posts/\d{4}-\d{2}-\d{2}-.+\.md", t.path), t.path
        else:  # articles/<outlet>/<id>.md or _posts/<outlet folder>/<id>_<title>.md
            m = re.fullmatch(r"articles/[a-z]+/(\d+)\.(md|txt)|_posts/[^/]+/(\d+)_[^/]+\.(md|txt)", t.path)
            assert m, t.path
            exact_ids.append(int(m.group(1) or m.group(3)))
            forms[t.path[:5]] += 1
    assert set(forms) == {"artic", "_post"}
    assert max(exact_ids) == EXACT_ID_TOP
    assert len(exact_ids) == len(set(exact_ids))


def test_file_layout_of_both_variants(sample: SynthSummary, sample_dir: Path) -> None:
    dated = 0
    for t in sample.truth:
        if t.malformed:
            continue
        text = (sample_dir / t.path).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        if t.variant == "jekyll":
            front, rest = text[4:].split("\n---\n", 1)
            assert text.startswith("---\nlayout: post\ntitle: ")
            assert re.search(r"^date: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$", front, re.M)
            assert "\n------\n\n<div>\n" in rest
            assert rest.endswith("\n</div>\n")
        else:
            rest = text
        if t.feed_published_at is None:  # China Digital Times: a `日期：` line instead of the comment
            link, rule, date_line, blank, _body = rest.split("\n", 4)
            assert re.fullmatch(r"日期：\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000", date_line)
            dated += 1
        else:
            comment, link, rule, blank, _body = rest.split("\n", 4)
            assert re.fullmatch(r"<!--\d{13}-->", comment)
        assert link.startswith("[") and link.endswith(f"]({t.url})")
        assert (rule, blank) == ("------", "")
    assert dated


def test_mtimes_follow_capture_times(sample: SynthSummary, sample_dir: Path) -> None:
    for t in sample.truth[:200]:
        assert os.stat(sample_dir / t.path).st_mtime == t.mtime


def test_other_start_and_span(tmp_path: Path) -> None:
    summary = generate(tmp_path / "raw", 200, days=3, start=date(2022, 12, 30))
    assert summary.first_date >= "2022-12-30"
    assert summary.last_date <= "2023-01-01"


def test_without_truth_keeps_no_per_file_records(tmp_path: Path) -> None:
    """keep_truth=False (large samples) keeps no per-file truth; the generation rate is in bench/guards.py."""
    summary = generate(tmp_path / "raw", 300, keep_truth=False)
    assert summary.truth == []
    assert summary.files >= 300
