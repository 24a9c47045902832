"""Reprints on hand-written pairs: copies are found across scripts and outlets; rewrites, templates not."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from handmade import (
    FLOOD,
    FLOOD_RETOLD,
    LAWYER_BIOGRAPHY,
    LAWYER_DETAINED,
    LAWYER_US_PROTEST,
    STRIKE,
    STRIKE_NEXT_DAY_OPENING,
    T0,
    article,
    background,
    fixing,
    frame,
    to_traditional,
)
from polars.testing import assert_frame_equal

from etl.events.config import ReprintParams, load
from etl.events.detect import detect, detect_source
from etl.events.reprints import _FoldedRows
from etl.events.source import FrameSource
from etl.events.text import fold, fold_batch, shingle_hashes


def test_fold_maps_scripts_and_drops_punctuation():
    assert fold("報導：美國 Hello, World！ 12", "hant") == "报导美国helloworld12"
    assert fold("同一句话。", "hans") == fold("同一句話。", "hant")


def test_a_traditional_copy_with_a_credit_line_is_a_reprint_of_the_earlier_article():
    copy = "（中央社記者綜合報導）" + to_traditional(FLOOD[: len(FLOOD) - 40])  # trimmed at the end
    rows = [
        article("src", "rfa", "江西洪灾七人死亡 两万多人转移", FLOOD, T0),
        article("copy", "cna", "江西洪災七死 兩萬多人轉移", copy, T0 + timedelta(hours=5), script="hant"),
        *background(30),
    ]
    reprints = detect(frame(rows)).reprints
    assert reprints.select("article_id", "source_article_id").rows() == [("copy", "src")]
    row = reprints.row(0, named=True)
    assert row["lag_seconds"] == 5 * 3600
    assert row["same_outlet"] is False
    assert row["similarity"] >= 0.45


def test_the_source_is_the_earlier_publication_whatever_the_input_order():
    rows = [
        article("late", "cdt", "转载：江西洪灾", FLOOD, T0 + timedelta(days=3)),
        article("early", "voa", "江西洪灾", FLOOD, T0),
    ]
    assert detect(frame(rows)).reprints.select("article_id", "source_article_id").rows() == [
        ("late", "early")
    ]


def test_the_same_event_in_other_words_is_not_a_reprint():
    rows = [
        article("a", "rfa", "江西洪灾七人死亡", FLOOD, T0),
        article("b", "dw", "江西洪灾致七人遇难", FLOOD_RETOLD, T0 + timedelta(hours=2)),
        *background(20),
    ]
    assert detect(frame(rows)).reprints.height == 0


def test_an_outlets_daily_template_with_other_figures_is_not_a_reprint_but_a_repost_is():
    rows = [
        article("day1", "reuters", "人民币中间价料开在6.5378元附近", fixing(1), T0),
        article("day2", "reuters", "人民币中间价料开在6.5485元附近", fixing(2), T0 + timedelta(days=1)),
        article(
            "repost", "reuters", "人民币中间价料开在6.5485元附近", fixing(2), T0 + timedelta(days=1, hours=1)
        ),
    ]
    pairs = detect(frame(rows)).reprints.select("article_id", "source_article_id").rows()
    assert pairs == [("repost", "day2")]


def test_a_copy_under_a_new_opening_paragraph_is_a_reprint():
    """The next day's story opens with two new paragraphs and then repeats the first whole: their openings
    share too little for the Jaccard rule, but the first lies inside the second, in its order."""
    rows = [
        article("monday", "dw", "鹿特丹港工人罢工", STRIKE, T0),
        article(
            "tuesday",
            "dw",
            "鹿特丹港罢工调解无果",
            STRIKE_NEXT_DAY_OPENING + STRIKE,
            T0 + timedelta(hours=30),
        ),
        *background(30),
    ]
    reprints = detect(frame(rows)).reprints
    assert reprints.select("article_id", "source_article_id").rows() == [("tuesday", "monday")]
    assert reprints["similarity"][0] < load().reprints.min_jaccard  # found by containment, not by Jaccard


def test_two_stories_sharing_one_stock_paragraph_are_not_reprints():
    """A detained lawyer's biography appended to two developments (his detention; Washington's protest two
    days later): most of each text is the other's, but neither opening is in the other."""
    rows = [
        article("detained", "rfa", "维权律师林志远在长沙被带走", LAWYER_DETAINED + LAWYER_BIOGRAPHY, T0),
        article(
            "protest",
            "voa",
            "美国务院要求中国释放林志远",
            LAWYER_US_PROTEST + LAWYER_BIOGRAPHY,
            T0 + timedelta(days=2),
        ),
        *background(30),
    ]
    assert detect(frame(rows)).reprints.height == 0


def test_reprints_do_not_depend_on_how_the_bodies_are_handed_out():
    """Bodies come to the checks in batches of any order (a DuckDB scan's order); a body holding a character
    beyond the BMP (stored as 32-bit code points) is checked like the others."""
    rare = "𠮷野家"  # 𠮷: a CJK Extension B character
    rows = [
        article("src", "rfa", "江西洪灾七人死亡", rare + FLOOD, T0),
        article(
            "copy",
            "cna",
            "江西洪災七死",
            rare + to_traditional(FLOOD),
            T0 + timedelta(hours=5),
            script="hant",
        ),
        article("b", "dw", "江西洪灾致七人遇难", FLOOD_RETOLD, T0 + timedelta(hours=2)),
        *background(30),
    ]
    articles = frame(rows)
    source = FrameSource(articles)
    expected = detect(articles).reprints
    assert expected.select("article_id", "source_article_id").rows() == [("copy", "src")]

    def shuffled_batches(wanted):
        order = np.random.default_rng(4).permutation(len(wanted))
        for start in range(0, len(order), 3):
            some = np.asarray(wanted)[order[start : start + 3]]
            yield some, articles["body_text"].gather(some).to_arrow()

    source.bodies = shuffled_batches
    assert_frame_equal(detect_source(source).reprints, expected)


def test_folded_rows_hold_what_folding_and_shingling_the_bodies_give():
    """Rows are folded as their bodies come and kept in a fixed-width array: shingling them from it gives what
    fold_batch and shingle_hashes give on the bodies themselves (traditional script, a text past max_chars, an
    empty body, a character beyond the BMP, which needs 32 bits)."""
    params = ReprintParams()
    bodies = [FLOOD, to_traditional(FLOOD_RETOLD), None, "𠮷野家" + FLOOD * 2, "短"]
    scripts = ["hans", "hant", "hans", "hans", None]
    rows = np.array([3, 10, 11, 40, 41])
    folded = _FoldedRows(rows, params.max_chars)
    script_of = dict(zip(rows.tolist(), scripts, strict=True))  # scripts of the rows, looked up by row
    folded.add(rows[[3, 0]], [bodies[3], bodies[0]], script_of, params)  # batches in any order
    folded.add(rows[[4, 2, 1]], [bodies[4], bodies[2], bodies[1]], script_of, params)
    points, offsets = fold_batch(bodies, scripts, params.max_chars)
    expected = (points, offsets, *shingle_hashes(points, offsets, params.shingle_chars))
    for got, want in zip(folded.shingled(np.arange(len(rows)), params), expected, strict=True):
        assert np.array_equal(got, want)
    assert folded.points.dtype == np.uint32
