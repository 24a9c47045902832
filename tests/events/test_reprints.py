"""Reprints on hand-written pairs: copies are found across scripts and outlets; rewrites, templates not."""

from __future__ import annotations

from datetime import timedelta

from handmade import FLOOD, FLOOD_RETOLD, T0, article, background, fixing, frame, to_traditional

from etl.events.detect import detect
from etl.events.text import fold


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
