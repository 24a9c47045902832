"""Hand-written articles for the event and reprint tests (invented news, written for these tests).

`background(n)` adds unrelated synthetic stories (etl/synth's templates) so that word weights (IDF) are
those of a mixed archive rather than of the few articles under test."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import opencc
import polars as pl

from etl.synth.shape import SHAPES
from etl.synth.story import make_story

T0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)

FLOOD = (
    "江西省防汛指挥部周二通报，连日暴雨导致赣江中游水位在四十八小时内上涨三米多，吉安市两个县的十二个乡镇"
    "被洪水围困，当局已紧急转移两万三千名居民。指挥部说，截至周二中午，洪水造成七人死亡、四人失踪，"
    "另有六百多间民房倒塌。省政府派出的工作组正在灾区协调救援物资，武警部队动用冲锋舟在被淹村庄搜救"
    "滞留老人和儿童。气象部门预计，未来三天江西北部仍有大到暴雨，赣江和抚河沿岸的堤防将面临更大压力。"
    "当地农民说，今年的早稻即将收割，大水漫过稻田后损失难以估计。有居民在社交媒体上批评地方政府预警"
    "太晚，称洪水进村时很多人还在睡梦中。吉安市官员回应说，预警信息在凌晨已经通过短信发出，"
    "但部分山区信号不好，没有及时送达。"
)

# The same flood told in other words: the same event, not a copy.
FLOOD_RETOLD = (
    "暴雨持续袭击中国南方，江西吉安一带灾情最重。据官方媒体报道，洪水已致七人遇难，数万人被迫离开家园。"
    "救援人员乘船进入被淹的村庄，把困在屋顶上的村民接到安全地带。专家指出，近年来极端降雨越来越频繁，"
    "而许多县城的排水系统和堤坝建于几十年前，难以应对这样的雨量。中央政府已拨出一亿元应急资金。"
)

FIXING = (
    "本台根据外汇交易中心公布的人民币汇率形成机制测算，人民币兑美元中间价今日预计会开在{rate}元附近，"
    "较上日{move}约{points}点。上日人民币兑美元即期收报{spot}元，而中间价则为{mid}元。根据定价机制，今日中间价"
    "变动中，有{supply}点反映市场供求影响，另有{basket}点反映的是隔夜一篮子汇率基本保持不变所需要的点数，"
    "逆周期因子影响暂未发生作用。本台测算的上日中间价和外汇交易中心公布的实际值偏差{gap}点。二零一六年以来，"
    "中国初步形成收盘汇率加一篮子货币汇率变化的人民币对美元汇率中间价形成机制，此后又多次调整参考时段。"
)


def fixing(day: int) -> str:
    rng = random.Random(day)
    return FIXING.format(
        rate=f"6.{rng.randint(4000, 9999)}",
        move=rng.choice(["升", "贬"]),
        points=rng.randint(10, 300),
        spot=f"6.{rng.randint(4000, 9999)}",
        mid=f"6.{rng.randint(4000, 9999)}",
        supply=rng.randint(1, 99),
        basket=rng.randint(1, 199),
        gap=rng.randint(1, 50),
    )


def to_traditional(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


def article(article_id, outlet, title, body, at, script="hans", digest=False, topic=None) -> dict:
    return {
        "article_id": article_id,
        "outlet": outlet,
        "title": title,
        "body_text": body,
        "published_at": at,
        "script": script,
        "digest": digest,
        "primary_topic": topic,
    }


def background(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    shape = next(iter(SHAPES.values()))
    rows = []
    for number in range(n):
        story = make_story(rng, traditional_style=False, shape=shape)
        at = T0 - timedelta(days=10) + timedelta(hours=rng.uniform(0, 24 * 20))
        rows.append(
            article(
                f"bg{number:03d}",
                rng.choice(["dw", "voa", "rfi"]),
                story.title,
                "\n".join(story.paragraphs),
                at,
            )
        )
    return rows


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows).with_columns(pl.col("published_at").dt.cast_time_unit("us"))
