"""The burst rule on crafted series: z >= 3, >= 3 articles, >= twice the baseline, a rising share of the
day's articles, 7 active days of history."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import handmade_lake
import pytest

from etl.warehouse.build import build_warehouse

START = date(2024, 1, 1)
# topic -> articles per day (35 days); the last day is the one under test unless noted
SERIES = {
    "steady_then_spike": [1] * 34 + [5],  # baseline 1, sd 0 (floored to 1): z 4, ratio 5 -> burst
    "spike_below_minimum": [0] * 34 + [2],  # z 2 and only 2 articles -> no burst
    "noisy_high": [0, 6] * 17 + [8],  # baseline 3, sd 3: z 1.67 -> no burst
    "quiet_month_then_spike": [0] * 29 + [4, 0, 0, 0, 0, 0],  # day 29, after 28 quiet days: burst
    "new_story": [0] * 3 + [5] + [0] * 31,  # day 3: only 3 days of history -> no burst
    "high_baseline": [10] * 34 + [18],  # z 8 (sd floored at 1) but ratio 1.8 < 2 -> no burst
}


@pytest.fixture(scope="module")
def timeline(tmp_path_factory, registries_dir):
    root = tmp_path_factory.mktemp("bursts")
    rows = []
    for topic, counts in SERIES.items():
        for day, n in enumerate(counts):
            for k in range(n):
                d = START + timedelta(days=day)
                rows.append(handmade_lake.article(f"{topic}-{day}-{k}", d, topics={topic: (1, False)}))
    rows.append(
        handmade_lake.article("spine-end", START + timedelta(days=34))
    )  # the calendar covers all 35 days
    lake = handmade_lake.write_lake(root / "lake", rows)
    result = build_warehouse(lake, root / "w.duckdb", registries_dir)
    con = duckdb.connect(str(result.path), read_only=True)
    data = {
        (topic, (day - START).days): (articles, is_burst, z)
        for topic, day, articles, is_burst, z in con.execute(
            "SELECT topic, pub_date, articles, is_burst, z_score FROM topic_timeline"
        ).fetchall()
    }
    con.close()
    return data


def bursts(timeline, topic):
    return [day for (t, day), (_, is_burst, _) in sorted(timeline.items()) if t == topic and is_burst]


def test_a_spike_over_a_steady_baseline_is_a_burst(timeline):
    assert bursts(timeline, "steady_then_spike") == [34]
    assert timeline[("steady_then_spike", 34)][2] == pytest.approx(4.0)


def test_a_small_spike_is_not_a_burst(timeline):
    assert bursts(timeline, "spike_below_minimum") == []


def test_a_spike_within_the_noise_is_not_a_burst(timeline):
    assert timeline[("noisy_high", 34)][2] == pytest.approx((8 - 3) / 3)
    assert bursts(timeline, "noisy_high") == []


def test_history_is_needed(timeline):
    assert bursts(timeline, "new_story") == []
    assert bursts(timeline, "quiet_month_then_spike") == [29]


def test_ratio_over_baseline_is_needed(timeline):
    assert timeline[("high_baseline", 34)][2] == pytest.approx(8.0)
    assert bursts(timeline, "high_baseline") == []


def test_every_series_is_zero_filled(timeline):
    for topic in SERIES:
        assert [timeline[(topic, d)][0] for d in range(35)] == SERIES[topic]


def test_days_the_archive_was_not_collecting_are_no_history(tmp_path, registries_dir):
    # 4 active days, a 20-day gap with no articles at all, then 5 articles: only 4 active days of history
    rows = [
        handmade_lake.article(f"early-{d}", START + timedelta(days=d), topics={"covid": (1, False)})
        for d in range(4)
    ]
    rows += [
        handmade_lake.article(f"late-{k}", START + timedelta(days=24), topics={"covid": (1, False)})
        for k in range(5)
    ]
    result = build_warehouse(
        handmade_lake.write_lake(tmp_path / "lake", rows), tmp_path / "w.duckdb", registries_dir
    )
    con = duckdb.connect(str(result.path), read_only=True)
    row = con.execute(
        "SELECT baseline_days, baseline_28d, is_burst FROM topic_timeline "
        "WHERE topic = 'covid' AND articles = 5"
    ).fetchone()
    con.close()
    assert row == (4, 1.0, False)


def test_a_rise_in_the_whole_archive_is_not_a_burst(tmp_path, registries_dir):
    # 20 days of 10 articles (2 on covid), then a day of 50 (10 on covid): the count jumps, the share does not
    rows = []
    for d, (total, on_topic) in enumerate([(10, 2)] * 20 + [(50, 10)]):
        day = START + timedelta(days=d)
        rows += [
            handmade_lake.article(f"a-{d}-{k}", day, topics={"covid": (1, False)} if k < on_topic else None)
            for k in range(total)
        ]
    result = build_warehouse(
        handmade_lake.write_lake(tmp_path / "lake", rows), tmp_path / "w.duckdb", registries_dir
    )
    con = duckdb.connect(str(result.path), read_only=True)
    z, share, baseline_share, is_burst = con.execute(
        "SELECT z_score, share, baseline_share, is_burst FROM topic_timeline "
        "WHERE topic = 'covid' AND articles = 10"
    ).fetchone()
    con.close()
    assert z >= 3 and share == pytest.approx(baseline_share) and not is_burst


def test_a_story_that_is_only_ever_a_secondary_topic_still_bursts(tmp_path, registries_dir):
    # covid rides along with the main story (russia_ukraine, higher score) on every article: it is never the
    # primary topic, yet a jump of articles on it is a burst, since bursts count every kept topic
    rows = []
    for d, (total, on_topic) in enumerate([(10, 1)] * 20 + [(10, 6)]):
        day = START + timedelta(days=d)
        rows += [
            handmade_lake.article(
                f"s-{d}-{k}",
                day,
                topics={"russia_ukraine": (3, True, 0.9), "covid": (1, False, 0.6)} if k < on_topic else None,
            )
            for k in range(total)
        ]
    result = build_warehouse(
        handmade_lake.write_lake(tmp_path / "lake", rows), tmp_path / "w.duckdb", registries_dir
    )
    con = duckdb.connect(str(result.path), read_only=True)
    last = START + timedelta(days=20)
    got = con.execute(
        "SELECT articles, primary_articles, is_burst FROM topic_timeline "
        "WHERE topic = 'covid' AND pub_date = ?",
        [last],
    ).fetchone()
    lifecycle = con.execute(
        "SELECT total_articles, total_primary_articles FROM topic_lifecycle WHERE topic = 'covid'"
    ).fetchone()
    con.close()
    assert got == (6, 0, True)
    assert lifecycle == (26, 0)
