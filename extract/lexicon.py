"""Vocabularies the rules are built on: name suffixes per label, generic words, boundary words.

These describe the *structure* of Chinese organisation names (a distinctive part, then a
type suffix), not any particular organisation. ``resources/regions_cn.txt`` (generated, see
``scripts/make_regions.py``) and ``resources/regions_world.txt`` are a gazetteer of
administrative places; ``resources/known_orgs.txt`` is a short, documented list of very
well-known brands whose names carry no suffix.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from innograph.ontology import EntityLabel as L

# (suffix, label). Matching takes the longest suffix at a position, so order does not matter.
SUFFIXES: tuple[tuple[str, L], ...] = (
    # Lab
    ("实验室", L.Lab),
    # University
    ("大学", L.University), ("学院", L.University), ("分校", L.University), ("校区", L.University),
    ("产教融合基地", L.University), ("博士学院", L.Platform),
    # Institute
    ("研究院", L.Institute), ("研究所", L.Institute), ("科学院", L.Institute), ("工程院", L.Institute),
    ("研究中心", L.Institute), ("研究部", L.Institute), ("分所", L.Institute), ("科创中心", L.Institute),
    ("研究局", L.Agency),
    # Facility
    ("大科学装置", L.Facility), ("科学装置", L.Facility), ("大装置", L.Facility), ("大设施", L.Facility),
    ("科技基础设施", L.Facility),
    # Ecosystem
    ("创新生态圈", L.Ecosystem), ("产业生态圈", L.Ecosystem), ("科创走廊", L.Ecosystem), ("科创大走廊", L.Ecosystem),
    ("创新走廊", L.Ecosystem), ("创新廊道", L.Ecosystem), ("高新区", L.Ecosystem), ("示范区", L.Ecosystem),
    ("科技城", L.Ecosystem), ("医药港", L.Ecosystem), ("科技园区", L.Ecosystem), ("科技园", L.Ecosystem),
    ("产业园", L.Ecosystem), ("生命科学园", L.Ecosystem), ("科学园", L.Ecosystem), ("药谷", L.Ecosystem),
    ("开发区", L.Ecosystem), ("产业园区", L.Ecosystem), ("创新园", L.Ecosystem), ("小镇", L.Ecosystem),
    ("科学城", L.Ecosystem), ("自贸区", L.Ecosystem), ("产业带", L.Ecosystem), ("硅谷", L.Ecosystem), ("硅巷", L.Ecosystem),
    ("生命园区", L.Ecosystem),
    # Company
    ("股份有限公司", L.Company), ("有限公司", L.Company), ("有限责任公司", L.Company), ("公司", L.Company),
    ("集团", L.Company), ("银行", L.Company), ("资本", L.Company), ("证券", L.Company), ("律师事务所", L.Company),
    # Platform
    ("技术转移转化中心", L.Platform), ("转移转化中心", L.Platform), ("成果转化中心", L.Platform), ("转化中心", L.Platform),
    ("概念验证中心", L.Platform), ("孵化中心", L.Platform), ("孵化器", L.Platform), ("加速器", L.Platform),
    ("创业中心", L.Platform), ("训练营", L.Platform), ("服务平台", L.Platform), ("公共服务平台", L.Platform),
    ("创新平台", L.Platform), ("联盟", L.Platform), ("协会", L.Platform), ("转化基地", L.Platform),
    ("孵化基地", L.Platform), ("众创空间", L.Platform), ("技术转移中心", L.Platform), ("许可办公室", L.Platform),
    ("转移办公室", L.Platform), ("大众协会", L.Platform),
    # Fund
    ("基金", L.Fund), ("投资基金", L.Fund), ("产业基金", L.Fund),
    # Agency
    ("人民政府", L.Agency), ("政府", L.Agency), ("委员会", L.Agency), ("管委会", L.Agency), ("管理委员会", L.Agency),
    ("科学技术局", L.Agency), ("科技局", L.Agency), ("科技厅", L.Agency), ("经信厅", L.Agency), ("发展局", L.Agency),
    ("监督管理局", L.Agency), ("管理局", L.Agency), ("药监局", L.Agency), ("知识产权局", L.Agency),
    ("教育局", L.Agency), ("财政局", L.Agency), ("人社局", L.Agency), ("发改委", L.Agency), ("经信局", L.Agency),
    ("教育部", L.Agency), ("科学技术部", L.Agency), ("科技部", L.Agency), ("工信部", L.Agency), ("财政部", L.Agency),
    ("商务部", L.Agency), ("工业和信息化部", L.Agency), ("高新技术司", L.Agency), ("火炬中心", L.Agency),
    ("产业开发中心", L.Agency), ("交流中心", L.Agency), ("促进组织", L.Agency), ("知识产权组织", L.Agency),
    ("省委", L.Agency), ("市委", L.Agency), ("区委", L.Agency), ("县委", L.Agency),
    ("科办", L.Agency), ("国务院", L.Agency),
    # Event
    ("大赛", L.Event), ("总决赛", L.Event), ("大会", L.Event), ("全会", L.Event), ("全体会议", L.Event),
    ("培训班", L.Event), ("论坛", L.Event), ("峰会", L.Event), ("博览会", L.Event), ("党代会", L.Event),
    ("部署会", L.Event), ("推进会", L.Event), ("发布会", L.Event), ("研讨会", L.Event), ("交流会", L.Event),
    ("第一会", L.Event), ("创新创业大赛", L.Event), ("挑战赛", L.Event), ("展览会", L.Event),
    # Policy: named plans and acts (a distinctive part is required, so 研发计划 alone is not one)
    ("法案", L.Policy), ("计划", L.Policy), ("条例", L.Policy), ("专项", L.Policy),
)

# Bare words that alone are never a name: a suffix preceded by nothing but these is generic.
GENERIC_WORDS: frozenset[str] = frozenset(
    """国家 全国 省级 省 市级 市 区级 区 县 重点 新型 高水平 一流 各 该 本 其 多家 多个 一批 若干 各类 各级 相关
    主要 优势 知名 龙头 头部 顶尖 科研 创新 高端 研究型 综合性 国际 全球 世界 海外 国内 地方 科技型 高新技术 中小
    企业 新兴 未来 现代 重大 大型 中国特色 双一流 在杭 驻杭 杭 联合 共建 合作 民营 外资 国有 大 小 中 高 新 老
    中外 中小型 专业 专业化 市场化 标准化 一个 一家 这家 这个 此 等 及 和 与 或 的 两 三 四 五 六 七 八 九 十 百 千
    万 家 个 批 所 类 项 级 型 性 化 首个 首家 第一 唯一 高校 院校 院所 科研院所 机构 平台 载体 基地 中心 园区
    产业 技术 成果 转化 转移 创业 孵化 概念 验证 众创 研发 研究 试验 实验 临床 医学 生物 医药 制造 数字 智能
    自主 创投 私募 天使 风投 风险 引导 独角兽 初创 咨询 猎头 清算 担保 会计师事务所 社会 中介 金融 律师 科技
    地区 战略 特色 高能级 高质量 国家级 省级 市级 区级 领军 标杆 示范 孵化 硬件 种子 企业院士 工作站 名校
    伙伴 学术 顶级 知名 全新 首批 大学 学院 科学 工程 应用 基础 前沿 颠覆性 新兴 未来 人才 智库 投资 融资
    服务 公共 高等 职业 技术型 项目 财税 医疗 产学研 产学研医
    证券 物业 管理 投资机构 行业 联邦 离岸 商业化 模式 中试 先进 国内外 军民融合 重大 全国国家 传统 本地 当地 外地 周边 核心 重要 领先 一流大学 跨国 全球性 区域性 区域
    """.split()
)

# Level, quantity and quality words: a region followed by nothing else names a category
# (杭州市重点实验室), where a region followed by content words names a thing (纽约合作基金).
MODIFIER_WORDS: frozenset[str] = frozenset(
    """国家 全国 省级 省 市级 市 区级 区 县 重点 新型 高水平 一流 各 该 本 其 多家 多个 一批 若干 各类 各级 相关
    主要 优势 知名 龙头 头部 顶尖 综合性 大型 重大 首个 首家 第一 唯一 高校 院校 院所 科研院所 机构 平台 载体 基地
    中心 园区 企业 国家级 高能级 高质量 领军 标杆 本地 当地 核心 重要 领先 一个 一家 这家 这个 此 等 及 和 与 或 的
    新 大 小 中 高 老 全市 全省 全区 地区 特色 传统 周边 区域 区域性 全球性 跨国 首批 各地 科技型 中小 中小型
    """.split()
)

# Words that end a name on its left: a name never starts with or runs across them.
BOUNDARY_WORDS: tuple[str, ...] = tuple(
    sorted(
        set(
            """由 在 与 和 及 以及 同 向 对 以 为 是 的 将 把 被 从 于 至 到 并 或 且 而 也 都 又 还 已 已经 正 就 才 只
            位于 依托 依靠 支持 推动 推进 成立 设立 引进 引入 引导 联合 携手 包括 如 例如 比如 其中 落户 入驻 获批
            组建 牵头 发布 出台 印发 主办 承办 协办 举办 召开 开幕 签署 签约 共建 建设 打造 布局 加快 围绕 聚焦 面向 服务
            通过 拥有 集聚 汇聚 吸引 诞生 孵化出 培育 形成 成为 作为 属于 来自 前往 走进 参观 考察 调研 介绍 表示 指出
            认为 强调 提出 提到 显示 就读于 毕业于 任职于 就职于 会同 协同 联动 首创 晋级 助推 含 委托 充分发挥 发挥 激活 规定 所在 据 根据 按照 参照 借鉴 学习 对标 相比 相较 例 包含 涵盖 覆盖 涉及 获得 获 荣获 授予
            颁授 颁发 领受 代表 出席 参加 参与 实施 开展 启动 设有 设 建 建立 建成 投入 入选 认定 评为 依据 基于
            助力 带动 促进 鼓励 完善 提升 构建 构筑 强化 深化 优化 搭建 探索 发挥 推出 成功 持续 积极 不断 全面 进一步
            首次 正式 目前 此外 同时 近年来 当前 其 这里 这 那 该 此 这些 那些 各 每 诸如 像 有 是否 即 即为 称 名为 简称
            俗称 又称 旗下 下属 所属 期间 之间 之一 届时 随后 后 前 之后 之前 以来 下一步 近日 今年
            去年 日前 经过 结合 整合 利用 运用 采用 采取 做好 做强 做大 培养 招引 招商 对接 承接 引领 率先 迈向
            担任 兼任 任 曾任 现任 作者 系 据悉 截至 累计 共 共有 合计 分别 先后 相继 陆续 纷纷 均 皆 总 全
            各地 一 一个 一家 一批 多 多家 众多 大量 诸多 若干 一些 部分 大批 大部分 近 约 超过 达 达到 逾
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# Category nouns that close a description in front of a name (新型研发机构之江实验室).
CATEGORY_WORDS: tuple[str, ...] = (
    "研发机构", "机构", "企业", "龙头企业", "高校", "院所", "单位", "科研院所", "平台", "载体", "城市", "地区",
    "园区", "基地", "项目", "团队", "品牌", "药企", "巨头", "公司", "省份", "名校", "伙伴", "合作伙伴",
    "学府", "组织", "部门", "医院", "人才",
)

# Verbs that occur inside names (技术转移转化中心, 投资运营有限公司); every other verb ends a name.
NAME_VERBS: frozenset[str] = frozenset(
    """创新 创业 开发 转化 转移 孵化 验证 研究 发展 促进 交流 管理 服务 投资 运营 监督 培育 研发 制造 设计 应用
    检测 合作 共享 融合 引领 驱动 计算 生产 经营 保护 认证 咨询 评估 加速 实验 试验 教育 创造 许可 激励 测试 监测
    推广 示范 集成 控制 信息 医疗 调控 自主 颠覆性 精准 智慧 精密 培养 开放 建设 规划 改革 创意 提升 振兴 治理 监管 统筹 协同 联合
    融资 担保 产业化 智造 环 航空 生物 健康 工程 技术 科技 成果 知识 产权 经济
    """.split()
)

# Title words that mark a person's head role (LEADS) or a deputy/member role (AFFILIATED_WITH).
HEAD_ROLES: tuple[str, ...] = (
    "市长", "区长", "县长", "省长", "局长", "厅长", "部长", "院长", "校长", "所长", "主任", "书记", "董事长",
    "总经理", "理事长", "会长", "主席", "总裁", "首席执行官", "CEO", "创始人", "处长", "司长", "秘书长", "总编", "主编", "社长", "执行主任",
)
DEPUTY_ROLES: tuple[str, ...] = (
    "副市长", "副区长", "副省长", "副局长", "副厅长", "副部长", "副院长", "副校长", "副所长", "副主任", "副书记",
    "副董事长", "副总经理", "副司长", "总工", "合伙人", "创始合伙人", "特聘教授", "副理事长", "副会长", "副主席", "副总裁", "常委", "委员", "院士", "教授", "研究员",
    "副研究员", "首席科学家", "科学家", "总工程师", "工程师", "博士", "合伙人", "副秘书长", "二级巡视员", "巡视员",
    "处长", "执行副主任",
)

COMMON_SURNAMES: frozenset[str] = frozenset(
    """王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁
    潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱
    江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施 文 牛 樊 葛 邢 安
    齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌
    毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时
    穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵
    苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 楼 胥 傅 吴 柏
    """.split()
)


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """Gazetteer: region name -> kind (country, province, city, district).

    >>> regions()["余杭区"]
    'district'
    """
    table: dict[str, str] = {}
    for name_of_file in ("regions_cn.txt", "regions_world.txt"):
        text = resources.files("innograph.extract").joinpath(f"resources/{name_of_file}").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, kind, *_ = line.split("\t")
                table.setdefault(name, kind)
    return table


@lru_cache(maxsize=1)
def known_orgs() -> dict[str, tuple[L, tuple[str, ...]]]:
    """Well-known brands without a suffix: name -> (label, aliases)."""
    table: dict[str, tuple[L, tuple[str, ...]]] = {}
    text = resources.files("innograph.extract").joinpath("resources/known_orgs.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, label, *rest = line.split("\t")
            aliases = tuple(a for a in (rest[0].split(",") if rest else []) if a)
            table[name] = (L(label), aliases)
    return table
