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

# A port strike, and the next day's story: a new opening paragraph over the whole of the first (a copy under a
# new opening: a reprint). The opening is long enough that the two bodies' first 500 letters share under 45%
# of their shingles, short enough that MinHash still proposes the pair.
STRIKE = (
    "鹿特丹港的码头工人周一起举行为期五天的罢工，要求资方在新的集体合同中把工资提高百分之八，并停止在"
    "集装箱码头扩大使用自动化吊车。工会说，约三千名工人参加了罢工，港区内四个主要集装箱码头几乎全部停摆，"
    "至少四十艘货轮在北海锚地等候靠泊。港务局发言人表示，罢工每天造成的损失估计超过一千万欧元，"
    "部分航运公司已把船只改派到安特卫普和汉堡。资方代表说，公司已经提出加薪百分之五的方案，"
    "但自动化是保持竞争力的必要投资，不可能放弃。荷兰经济部长呼吁双方尽快回到谈判桌，"
    "以免圣诞节前的货物运输受到更大影响。一些进口商担心，玩具和电子产品的到货将推迟一到两周，"
    "零售商已开始提醒顾客提前下单。工会领导人在码头门口对罢工工人讲话时说，如果资方在周五之前不作出让步，"
    "工会将考虑把罢工延长到下个月，并号召其他港口的工人举行声援行动。"
    "鹿特丹是欧洲最大的港口，去年处理的集装箱超过一千四百万标准箱，其中约三分之一来自亚洲。过去十年里，"
    "港口投入二十多亿欧元建设无人驾驶的自动导引车和远程操控的岸桥，码头的人工岗位因此减少了近四分之一。"
    "工会认为，资方把节省下来的成本变成了股东分红，却没有用来改善工人的待遇和培训。研究航运业的学者指出，"
    "欧洲各大港口都在推进自动化，劳资冲突今后可能更加频繁，而亚洲港口的自动化程度已经明显领先。"
)
STRIKE_NEXT_DAY_OPENING = (
    "鹿特丹港罢工进入第二天，工会和资方周二晚间在海牙举行的调解会谈没有取得进展，调解人说双方在自动化问题上"
    "的分歧仍然很大。与此同时，比利时安特卫普港的工会宣布，将在周四举行两小时的声援停工。荷兰政府表示将密切"
    "关注事态发展，交通部已要求港务局每天公布锚地等候船只的数量。一家大型零售集团的物流主管对本报说，他们已经"
    "租用铁路班列从意大利港口转运部分货物，但运力有限，成本也高出许多，部分商品的售价可能因此上调。以下是本报周一的报道："
)

# Two stories about one detained lawyer, each with its own opening and the same long biography appended:
# not copies of each other.
LAWYER_BIOGRAPHY = (
    "现年五十二岁的林志远是广州知名的人权律师，二零零八年起代理多宗土地征收和劳工维权案件，曾为被强拆的"
    "村民和讨薪的农民工出庭辩护。二零一五年七月，他在全国范围的律师大抓捕中被带走，以煽动颠覆国家政权罪被"
    "判处有期徒刑四年，二零一九年刑满释放后一直处于警方监控之下，律师执照也被吊销。他的妻子多次对外界表示，"
    "丈夫在狱中遭受长时间的剥夺睡眠和强迫坐小板凳，出狱后患有严重的高血压和失眠。联合国人权专家和欧盟曾"
    "多次呼吁中国当局停止骚扰林志远及其家人，北京则称这些呼吁干涉中国内政。林志远毕业于中山大学法学院，"
    "曾在一家外资律师事务所工作多年，二零零六年开办自己的律师事务所，专门为弱势群体提供免费法律援助，"
    "他代理的案件多次引起国内外媒体的关注。"
)
LAWYER_DETAINED = (
    "广州律师林志远的家人周三说，他在前往北京探望病重母亲的途中，于长沙火车站被数名便衣警察拦下并带走，"
    "至今下落不明，家人没有收到任何法律文书。长沙铁路公安处的值班人员在电话中说不了解情况，让家属去当地派出所"
    "询问，而派出所则称没有接到相关通知。林志远的朋友说，他上个月曾在社交媒体上发文，为一名被拘押的维权人士"
    "呼吁，此后多次被国保约谈。"
)
LAWYER_US_PROTEST = (
    "美国国务院发言人周五在例行记者会上点名批评中国拘押维权律师，称美方已就林志远案向北京提出交涉，"
    "要求立即释放他并允许他与家人和律师见面。发言人说，美国将继续与盟友一道关注中国的人权状况，并在联合国"
    "人权理事会本届会议上提出这一问题。中国驻美国大使馆随后发表声明，称有关律师涉嫌违法，中方依法处理，"
    "任何外国无权干涉。"
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
