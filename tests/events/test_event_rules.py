"""The rules that keep events to one happening (etl/registries/events.yaml): similarity fading with the time
between two reports, stock notices cut out of the leads, attribution words left out."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from handmade import T0, article, background, frame
from test_events import DEAL_DW, _event_of

from etl.events import config as events_config
from etl.events.detect import detect
from etl.events.terms import _leads

# The same deal as DEAL_DW, from another angle: exporters' hopes, few words in common.
DEAL_EXPORTERS = article(
    "bbc1",
    "bbc",
    "越南水产商看好欧洲市场 岘港渔港改造引关注",
    "越南水产出口商表示，欧盟资金将让岘港渔港的冷链设施跟上欧洲标准，出口有望增长。不过渔民代表担心码头搬迁，"
    "学者则提醒越南政府应公开招标程序。",
    T0,
)
NYT_NOTICE = "（欢迎点击此处订阅NYT简报，我们将在每个工作日发送最新内容至您的邮箱。）"
# Two NYT stories of one morning on unrelated subjects: only the newsletter note and the credit are shared.
NYT_FLOOD = article(
    "nyt1",
    "nyt",
    "吉大港山体滑坡",
    NYT_NOTICE + "路透社报道，吉大港暴雨引发山体滑坡。",
    T0,
)
NYT_CHESS = article(
    "nyt2",
    "nyt",
    "卡尔森卫冕棋王",
    NYT_NOTICE + "路透社报道，卡尔森在迪拜卫冕棋王。",
    T0 + timedelta(hours=2),
)


def _with(**events) -> events_config.Config:
    cfg = events_config.load()
    return dataclasses.replace(cfg, events=dataclasses.replace(cfg.events, **events))


def _found(rows, cfg=None):
    return detect(frame([*rows, *background(40)]), cfg)


def test_the_further_apart_two_reports_are_the_more_they_must_share():
    for hours in (2, 30, 48):  # the same deal reported later the same week, in fewer common words
        later = {**DEAL_EXPORTERS, "published_at": T0 + timedelta(hours=hours)}
        assert _event_of(_found([DEAL_DW, later]), "dw1") is not None, hours
    late = {**DEAL_EXPORTERS, "published_at": T0 + timedelta(hours=66)}
    assert _event_of(_found([DEAL_DW, late]), "dw1") is None
    # without the fading, the window alone would let them meet
    assert _event_of(_found([DEAL_DW, late], _with(half_life_hours=None)), "dw1") is not None


def test_stories_sharing_only_a_stock_notice_and_a_credit_are_no_event():
    assert _event_of(_found([NYT_FLOOD, NYT_CHESS]), "nyt1") is None
    # left in, the notice and the credit would make the two stories one event
    bare = _with(lead_boilerplate=(), attribution_words=())
    assert _event_of(_found([NYT_FLOOD, NYT_CHESS], bare), "nyt1") is not None


def test_a_stock_notice_is_cut_out_of_the_lead_and_the_lead_stays_whole():
    patterns = events_config.load().events.lead_boilerplate
    bodies = [
        "（德國之聲中文網）" + "甲" * 400,  # traditional, longer than the lead
        "（德国之声中文网）" + "乙" * 10,
        "路透北京7月15日 - 丙丁",
        None,
    ]
    assert _leads(bodies, 300, patterns).to_list() == ["甲" * 300, "乙" * 10, "丙丁", ""]
    assert _leads(bodies, 5, ()).to_list() == ["（德國之聲", "（德国之声", "路透北京7", ""]
