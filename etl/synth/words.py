"""Word lists and sentence templates for synthetic stories, written for this project (not from the corpus).

Templates are simplified Chinese; traditional-script items are converted with OpenCC. Placeholders in
braces are filled by `etl.synth.story`: {place} {person} {official} {org} {n} {pct} {weekday} {day}
{month}, {kw} (a topic keyword) and {leader} {putin} {zelensky} (name variants).
"""

from __future__ import annotations

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶"
    "蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段"
    "雷黎史龙陶贺顾毛郝龚邵万钱严覃武戚"
)
GIVEN = (
    "安宁远方明华新文秋雨晨光子青云海宇嘉欣逸凡志诚思涵若溪一鸣"
    "佳怡晓峰静婷立伟春燕冬梅雪松建国永红小川乐天慧敏俊杰"
)

# Invented western names for quoted experts and NYT-style bylines.
WESTERN_NAMES = [
    "Anna Berger",
    "Lukas Hartwig",
    "Maria Sandoval",
    "Peter Lindqvist",
    "Clara Novak",
    "Jonas Ekberg",
    "Helen Whitcombe",
    "Samuel Okafor",
    "Ines Morel",
    "David Ashworth",
    "Laura Kessler",
    "Tomas Varga",
    "Rachel Pembrook",
    "Oliver Dunmore",
    "Sofia Lanza",
    "Martin Kowalczyk",
    "Emily Rutherford",
    "Felix Brandt",
]
WESTERN_NAMES_ZH = [
    "伯格",
    "哈特维希",
    "桑多瓦尔",
    "林德奎斯特",
    "诺瓦克",
    "埃克伯格",
    "惠特科姆",
    "奥卡福",
    "莫雷尔",
    "阿什沃思",
    "凯斯勒",
    "瓦尔加",
    "彭布鲁克",
    "邓莫尔",
    "兰扎",
    "科瓦尔奇克",
    "拉瑟福德",
    "布兰特",
]

PLACES = [
    "北京",
    "上海",
    "华盛顿",
    "纽约",
    "柏林",
    "巴黎",
    "伦敦",
    "布鲁塞尔",
    "莫斯科",
    "基辅",
    "东京",
    "首尔",
    "台北",
    "香港",
    "日内瓦",
    "开罗",
    "新德里",
    "曼谷",
    "悉尼",
    "维也纳",
    "华沙",
    "安卡拉",
    "雅加达",
    "马尼拉",
]
ORGS = [
    "联合国",
    "世界卫生组织",
    "国际货币基金组织",
    "世界银行",
    "欧洲议会",
    "七国集团",
    "东盟",
    "二十国集团",
    "国际原子能机构",
    "世界贸易组织",
    "非洲联盟",
    "联合国人权理事会",
]
OFFICIAL_ROLES = [
    "外交部发言人",
    "国防部长",
    "经济部长",
    "总理",
    "议会议长",
    "央行行长",
    "卫生部长",
    "总统府发言人",
]
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

# Name variants: which spelling an outlet uses is part of its style (RULES: no converter maps these).
LEADER_VARIANTS = {
    "trump": ("特朗普", "川普"),
    "putin": ("普京", "普丁"),
    "zelensky": ("泽连斯基", "泽伦斯基"),
}

# Topic code (as in etl/registries/topics.yaml) -> keywords a story of that topic carries, title templates
# and sentence templates. {kw} is replaced by one of the topic's keywords, {leader} {putin} {zelensky} by
# outlet-specific name variants.
TOPICS: dict[str, dict[str, list[str]]] = {
    "russia_ukraine": {
        "kw": ["乌克兰", "俄乌战争", "顿巴斯", "基辅"],
        "titles": [
            "{kw}前线再传激战 {place}呼吁增加援助",
            "{putin}：不会在{kw}问题上让步",
            "{zelensky}访问{place} 寻求更多防空系统",
            "分析：{kw}冲突进入第三年，谈判前景黯淡",
        ],
        "sentences": [
            "{zelensky}{weekday}在视频讲话中表示，{kw}东部的局势依然十分紧张。",
            "{putin}此前多次声称，俄罗斯在{kw}的行动“达到了预期目标”。",
            "据当地官员介绍，过去24小时内{kw}有{n}处民用设施遭到袭击。",
            "西方国家正在讨论如何利用被冻结的俄罗斯资产支持{kw}重建。",
        ],
    },
    "nato": {
        "kw": ["北约", "北大西洋公约组织"],
        "titles": ["{kw}外长会议聚焦东翼防务", "{kw}秘书长：成员国须提高军费", "{place}加入{kw}进程再获进展"],
        "sentences": [
            "{kw}成员国的国防开支目标是国内生产总值的2%，目前仍有{n}个国家未达标。",
            "{kw}官员{weekday}在{place}表示，联盟将在东翼增派部队。",
            "分析人士认为，{kw}的扩大改变了欧洲的安全格局。",
        ],
    },
    "taiwan": {
        "kw": ["台湾", "台海", "两岸关系"],
        "titles": [
            "{kw}局势受关注 {place}呼吁保持克制",
            "军机再度进入{kw}周边空域",
            "学者谈{kw}：对话仍有空间",
        ],
        "sentences": [
            "台湾国防部{weekday}称，共侦测到{n}架次军机在{kw}周边活动。",
            "北京一再表示，{kw}问题是中国内政，不容外国干涉。",
            "美国国务院发言人说，华盛顿致力于维护{kw}的和平与稳定。",
        ],
    },
    "covid19": {
        "kw": ["新冠", "新冠病毒", "疫情"],
        "titles": ["{kw}后遗症研究获新发现", "{place}报告{kw}病例回升", "回顾{kw}三年：医疗体系的教训"],
        "sentences": [
            "卫生部门数据显示，上周新增{kw}病例{n}例，比前一周上升{pct}。",
            "专家提醒，老年人仍应按时接种{kw}疫苗加强针。",
            "{kw}大流行期间推迟的手术至今仍未全部完成。",
        ],
    },
    "trade_tariffs": {
        "kw": ["关税", "贸易战", "贸易摩擦"],
        "titles": [
            "{place}宣布对进口电动车加征{kw}",
            "{leader}威胁扩大{kw} 市场担忧升温",
            "欧盟与中国就{kw}展开磋商",
        ],
        "sentences": [
            "{leader}表示，如果再次当选，将对所有进口商品征收更高的{kw}。",
            "经济学家警告，新一轮{kw}可能推高消费品价格。",
            "商务部回应称，将采取必要措施应对{kw}，维护企业的合法权益。",
        ],
    },
    "us_china": {
        "kw": ["中美关系", "美中关系"],
        "titles": ["{kw}：高层通话后紧张局势略有缓和", "美国国务卿访华 {kw}能否止跌"],
        "sentences": [
            "双方同意恢复多个工作层级的沟通渠道，为{kw}降温。",
            "分析人士指出，{kw}仍面临技术出口管制等结构性分歧。",
        ],
    },
    "hong_kong": {
        "kw": ["香港", "港区国安法", "港府"],
        "titles": ["{kw}二十三条立法完成 外界关注自由空间", "{kw}法院就社运人士案作出裁决"],
        "sentences": [
            "{kw}特区政府强调，相关立法是为了填补国家安全的漏洞。",
            "多名{kw}民主派人士被控违反{kw}，案件审理持续数月。",
        ],
    },
    "xinjiang": {
        "kw": ["新疆", "维吾尔"],
        "titles": ["人权组织发布{kw}强迫劳动新报告", "欧洲企业调查{kw}供应链"],
        "sentences": [
            "研究人员指出，{kw}地区的棉花仍出现在全球供应链中。",
            "北京否认在{kw}存在任何侵犯人权的行为。",
        ],
    },
    "middle_east": {
        "kw": ["加沙", "以色列", "哈马斯", "中东"],
        "titles": ["{kw}停火谈判在{place}重启", "联合国警告{kw}人道危机加剧"],
        "sentences": [
            "据当地卫生部门统计，{kw}冲突已造成数万人死亡。",
            "调解方希望在斋月前促成{kw}的临时停火。",
            "国际救援组织说，进入{kw}的援助卡车数量远远不够。",
        ],
    },
    "korean_peninsula": {
        "kw": ["朝鲜", "朝鲜半岛", "平壤"],
        "titles": ["{kw}再度试射弹道导弹", "韩美联合军演 {kw}发出警告"],
        "sentences": [
            "韩国联合参谋本部说，{kw}{weekday}清晨向东部海域发射了一枚导弹。",
            "日本政府表示，{kw}的导弹落在日本专属经济区之外。",
        ],
    },
    "japan": {
        "kw": ["日本", "日本政府"],
        "titles": ["{kw}央行结束负利率政策", "{kw}首相内阁支持率再创新低"],
        "sentences": [
            "{kw}央行{weekday}宣布上调政策利率，这是十七年来的首次加息。",
            "{kw}经济界人士认为，工资上涨为货币政策正常化创造了条件。",
        ],
    },
    "south_china_sea": {
        "kw": ["南海", "南沙", "黄岩岛"],
        "titles": ["{kw}再起摩擦 菲律宾指控海警船使用水炮", "东盟外长关注{kw}局势"],
        "sentences": [
            "菲律宾海岸警卫队说，中国海警船在{kw}附近对其补给船发射水炮。",
            "中方表示，有关海域是中国领土，要求菲方停止挑衅。",
        ],
    },
    "climate": {
        "kw": ["气候变化", "全球变暖", "碳排放"],
        "titles": ["报告：去年是有记录以来最热的一年 {kw}加速", "{place}承诺在2050年前实现碳中和"],
        "sentences": [
            "科学家警告，{kw}导致的极端天气事件越来越频繁。",
            "发展中国家要求富裕国家为应对{kw}提供更多资金。",
        ],
    },
    "economy_markets": {
        "kw": ["股市", "通胀", "经济增长"],
        "titles": ["{kw}数据好于预期 市场情绪回暖", "央行维持利率不变 {kw}压力犹存"],
        "sentences": [
            "最新数据显示，{month}份消费者价格指数同比上涨{pct}，{kw}压力有所缓解。",
            "亚洲{kw}{weekday}普遍收高，投资者等待央行的利率决议。",
            "分析师预计今年的{kw}将放缓至{pct}左右。",
        ],
    },
    "tech_chips": {
        "kw": ["芯片", "半导体", "人工智能"],
        "titles": ["美国收紧{kw}出口管制", "{place}投资百亿扶持{kw}产业"],
        "sentences": [
            "新规将限制先进{kw}及其制造设备对华出口。",
            "业内人士说，{kw}供应链的重组需要数年时间。",
            "多家公司{weekday}公布财报，{kw}相关业务收入增长{pct}。",
        ],
    },
    "eu": {
        "kw": ["欧盟", "欧洲联盟"],
        "titles": ["{kw}峰会讨论扩大议题", "{kw}就移民改革达成协议"],
        "sentences": [
            "{kw}成员国领导人{weekday}在布鲁塞尔举行峰会。",
            "{kw}委员会主席表示，联盟必须减少对单一供应国的依赖。",
        ],
    },
    "german_politics": {
        "kw": ["德国联邦议院", "朔尔茨", "德国政府"],
        "titles": ["{kw}辩论预算方案 执政联盟分歧公开化", "{kw}通过大麻部分合法化法案"],
        "sentences": [
            "{kw}{weekday}以多数票通过了一项颇具争议的法案。",
            "反对党批评{kw}在经济政策上摇摆不定。",
        ],
    },
    "elections": {
        "kw": ["大选", "选举", "初选"],
        "titles": ["{leader}在{kw}中大胜 党内提名几成定局", "{place}{kw}投票率创新高"],
        "sentences": [
            "{leader}在{kw}中获得了超过{pct}的选票。",
            "选举委员会说，{kw}计票工作预计将在{weekday}完成。",
        ],
    },
    "human_rights": {
        "kw": ["人权", "异见人士", "维权"],
        "titles": ["{org}发表报告批评{kw}状况恶化", "{kw}律师获释后仍受监控"],
        "sentences": [
            "{org}在报告中说，{kw}状况在过去一年进一步恶化。",
            "{kw}团体呼吁国际社会关注被拘押者的健康状况。",
        ],
    },
    "tibet": {
        "kw": ["西藏", "达赖喇嘛"],
        "titles": ["{kw}寄宿学校引发关注", "流亡藏人纪念{kw}抗暴周年"],
        "sentences": [
            "人权组织说，{kw}的儿童被大量送往寄宿学校。",
            "中国政府表示，{kw}的经济社会发展取得了巨大成就。",
        ],
    },
}

# Filler sentences carrying no topic keyword.
FILLER = [
    "{official}{weekday}在记者会上说，政府将在{day}日前公布具体方案。",
    "这一决定在社交媒体上引发了广泛讨论，不少网民表示支持。",
    "{person}对记者说：“我们需要更多的时间来评估这些措施的效果。”",
    "据估计，相关项目的总投资约为{n}亿美元。",
    "当地居民说，过去几个月物价明显上涨，生活压力越来越大。",
    "{org}的一份报告指出，有{pct}的受访者对未来表示担忧。",
    "批评者认为，这项政策缺乏透明度，也没有充分征求公众意见。",
    "{place}市政府表示，将从下个月起试行新的交通管理办法。",
    "一位不愿透露姓名的官员说，谈判仍在进行中，结果尚难预料。",
    "专家指出，问题的根源在于长期投入不足。",
    "该计划预计将创造约{n}个就业机会。",
    "{person}是{place}一所大学的研究员，长期关注这一领域。",
    "事件发生后，警方封锁了现场，并展开调查。",
    "有观察人士认为，这一变化反映出决策层的优先顺序正在调整。",
    "相关部门尚未就此发表评论。",
    "组织者说，活动吸引了约{n}名参与者。",
    "{official}强调，政府会继续与各方保持沟通。",
    "统计数据显示，{month}份的相关指标比去年同期增长{pct}。",
    "{person}表示，这样的结果“并不令人意外”。",
    "许多企业已经开始调整经营策略，以应对新的环境。",
    "议会预计将在下周就该法案进行表决。",
    "{place}的抗议活动持续了数个小时，大体上和平进行。",
]

CAPTIONS = [
    "资料照片：{place}街头的行人。",
    "{place}的一处会议现场。",
    "{person}在发布会上讲话。",
    "图为{place}港口的集装箱码头。",
    "{weekday}在{place}举行的集会。",
]

# In-text citations: cite an agency without crediting it ({a} is the agency's Chinese name).
CITATION_TEMPLATES = [
    "据{a}报道，{clause}",
    "{person}告诉{a}：“{quote}”",
    "{a}援引知情人士的话说，{clause}",
    "据{a}等媒体报道，{clause}",
]
CITATION_CLAUSES = [
    "双方的会谈持续了大约两个小时。",
    "相关文件已经提交给了议会。",
    "有关方面正在评估下一步行动。",
    "事件造成至少{n}人受伤。",
]
CITATION_QUOTES = ["我们会继续关注事态发展。", "这并不是一个容易的决定。", "局势仍然非常不确定。"]

FEEDX_DOMAINS = ["feedx.xyz", "feedx.top", "feedx.run", "feedx.site"]

# Outlet display names used in Jekyll front matter (author/tags/categories).
JEKYLL_AUTHORS = {
    "dw": "德国之声",
    "voa": "美国之音",
    "rfi": "法广",
    "reuters": "路透",
    "nyt": "纽约时报",
    "bbc": "BBC",
    "cna": "(臺)中央社CNA",
    "rfa": "自由亚洲电台",
    "ft": "金融时报",
    "zaobao": "联合早报",
    "cdt": "中国数字时代",
}
# Folder names of the second exact-variant path form, `_posts/<folder>/<id>_<title>.md`.
POSTS_FOLDERS = {**JEKYLL_AUTHORS, "dw": "德国之声", "cna": "中央社", "nyt": "纽约时报", "ft": "金融时报"}

RFI_PROGRAMMES = ["要闻分析", "法国世界报", "国际纵横", "文化时空"]
