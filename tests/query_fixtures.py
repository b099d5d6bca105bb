"""A small, realistic, hand-made graph for the query tests (both backends load this one graph).

Two issues of 《杭州科技》, three articles, sixteen entities. Every edge's evidence is a sentence
of the article text below, with its true offsets. The answers the tests pin were checked by
hand against this file.

Issue hzkj-2024-05
  A1 hzkj-2024-05-01 打造环之江实验室创新生态圈
Issue hzkj-2024-06
  A2 hzkj-2024-06-01 颠覆性技术创新的杭州实践
  A3 hzkj-2024-06-02 大科学装置赋能产业发展
"""
from __future__ import annotations

from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence, entity_key
from innograph.ontology import EntityLabel as L
from innograph.ontology import GraphRelType, ProvenanceLabel, RelType

ISSUES = {
    "hzkj-2024-05": {"journal": "杭州科技", "year": 2024, "number": "第5期"},
    "hzkj-2024-06": {"journal": "杭州科技", "year": 2024, "number": "第6期"},
}

A1 = "hzkj-2024-05-01"
A2 = "hzkj-2024-06-01"
A3 = "hzkj-2024-06-02"

ARTICLES = {
    A1: dict(issue="hzkj-2024-05", title="打造环之江实验室创新生态圈", section="创新生态", page=4, authors="王世锋",
             sentences=[
                 "余杭区环之江实验室创新生态圈以之江实验室为核心，集聚创新资源。",  # 0
                 "浙江大华技术股份有限公司、杭州海康威视数字技术股份有限公司已入驻环之江实验室创新生态圈。",  # 1
                 "之江实验室与浙江大学签署战略合作协议，共建智能计算平台。",  # 2
                 "市科技局将持续支持生态圈建设，大华股份和海康威视都将受益。",  # 3
             ]),
    A2: dict(issue="hzkj-2024-06", title="颠覆性技术创新的杭州实践", section="特别关注", page=2, authors="本刊记者",
             sentences=[
                 "杭州市科学技术局正式发布了《关于进一步加大颠覆性技术创新加快构筑科技成果转移转化首选地的若干措施》。",  # 0
                 "市科技局局长楼秀华介绍了《若干措施》的主要内容。",  # 1
                 "第十三届中国创新创业大赛颠覆性技术创新大赛由杭州市科学技术局主办。",  # 2
                 "杭州零磁医疗设备有限公司获得杭州市颠覆性技术成果转移转化投资基金的首批投资。",  # 3
                 "杭州技术转移转化中心与浙大合作，推动之江实验室等单位成果转化。",  # 4
                 "之江实验室与浙江大学联合攻关多个颠覆性技术项目。",  # 5
                 "零磁医疗负责人表示，市科技局的政策支持十分及时。",  # 6
             ]),
    A3: dict(issue="hzkj-2024-06", title="大科学装置赋能产业发展", section="科创平台", page=10, authors="张敏",
             sentences=[
                 "北京航空航天大学建设的极弱磁大科学装置落户杭州。",  # 0
                 "杭州零磁医疗设备有限公司是极弱磁大科学装置孵化出的第一家企业。",  # 1
                 "中国科学院院士、北京航空航天大学教授房建成长期从事极弱磁测量研究。",  # 2
                 "杭州极弱磁大科学装置还将带动零磁医疗等企业发展。",  # 3
             ]),
}

# (label, canonical name, aliases, mention_count, first issue, last issue)
ENTITIES = [
    (L.Lab, "之江实验室", ("之江", "ZJLab"), 5, "hzkj-2024-05", "hzkj-2024-06"),
    (L.Ecosystem, "余杭区环之江实验室创新生态圈", ("环之江实验室创新生态圈", "生态圈"), 3, "hzkj-2024-05", "hzkj-2024-05"),
    (L.University, "浙江大学", ("浙大",), 3, "hzkj-2024-05", "hzkj-2024-06"),
    (L.Company, "浙江大华技术股份有限公司", ("大华股份",), 2, "hzkj-2024-05", "hzkj-2024-05"),
    (L.Company, "杭州海康威视数字技术股份有限公司", ("海康威视",), 2, "hzkj-2024-05", "hzkj-2024-05"),
    (L.Region, "余杭区", (), 1, "hzkj-2024-05", "hzkj-2024-05"),
    (L.Agency, "杭州市科学技术局", ("市科技局",), 4, "hzkj-2024-05", "hzkj-2024-06"),
    (L.Policy, "《关于进一步加大颠覆性技术创新加快构筑科技成果转移转化首选地的若干措施》", ("《若干措施》",), 2,
     "hzkj-2024-06", "hzkj-2024-06"),
    (L.Person, "楼秀华", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Event, "第十三届中国创新创业大赛颠覆性技术创新大赛", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Company, "杭州零磁医疗设备有限公司", ("零磁医疗",), 4, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Fund, "杭州市颠覆性技术成果转移转化投资基金", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Platform, "杭州技术转移转化中心", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Facility, "极弱磁大科学装置", ("杭州极弱磁大科学装置",), 3, "hzkj-2024-06", "hzkj-2024-06"),
    (L.University, "北京航空航天大学", ("北航",), 2, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Person, "房建成", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    (L.Region, "杭州", (), 1, "hzkj-2024-06", "hzkj-2024-06"),
    # a second entity answering to 之江: the exact-name rule must still pick the Lab for 之江实验室,
    # and the most-mentioned rule the Lab for 之江 (alias of both)
    (L.Fund, "之江成果转化基金", ("之江",), 0, None, None),
]

NAME = {name: entity_key(label, name) for label, name, *_ in ENTITIES}


def K(name: str) -> str:
    """The graph key of a fixture entity by canonical name."""
    return NAME[name]


# (head, type, tail, [(doc, sentence index)], properties)
RELATIONS = [
    ("余杭区环之江实验室创新生态圈", RelType.ANCHORED_BY, "之江实验室", [(A1, 0)], {}),
    ("余杭区环之江实验室创新生态圈", RelType.LOCATED_IN, "余杭区", [(A1, 0)], {}),
    ("浙江大华技术股份有限公司", RelType.MEMBER_OF, "余杭区环之江实验室创新生态圈", [(A1, 1)], {}),
    ("杭州海康威视数字技术股份有限公司", RelType.MEMBER_OF, "余杭区环之江实验室创新生态圈", [(A1, 1)], {}),
    ("之江实验室", RelType.COLLABORATES_WITH, "浙江大学", [(A1, 2), (A2, 5)], {}),
    ("《关于进一步加大颠覆性技术创新加快构筑科技成果转移转化首选地的若干措施》", RelType.ISSUED_BY, "杭州市科学技术局",
     [(A2, 0)], {}),
    ("楼秀华", RelType.LEADS, "杭州市科学技术局", [(A2, 1)], {"role": "局长"}),
    ("第十三届中国创新创业大赛颠覆性技术创新大赛", RelType.ORGANIZED_BY, "杭州市科学技术局", [(A2, 2)], {}),
    ("杭州零磁医疗设备有限公司", RelType.FUNDED_BY, "杭州市颠覆性技术成果转移转化投资基金", [(A2, 3)], {}),
    ("杭州技术转移转化中心", RelType.COLLABORATES_WITH, "浙江大学", [(A2, 4)], {}),
    ("杭州零磁医疗设备有限公司", RelType.INCUBATED_BY, "极弱磁大科学装置", [(A3, 1)], {}),
    ("极弱磁大科学装置", RelType.PART_OF, "北京航空航天大学", [(A3, 0)], {}),
    ("极弱磁大科学装置", RelType.LOCATED_IN, "杭州", [(A3, 0)], {}),
    ("房建成", RelType.AFFILIATED_WITH, "北京航空航天大学", [(A3, 2)], {}),
]

# (a, b, [(doc, sentence index)]) -- two entities in one sentence (relations' sentences not repeated)
CO_MENTIONS = [
    ("之江实验室", "杭州海康威视数字技术股份有限公司", [(A1, 1)]),
    ("浙江大华技术股份有限公司", "杭州海康威视数字技术股份有限公司", [(A1, 1), (A1, 3)]),
    ("杭州市科学技术局", "杭州零磁医疗设备有限公司", [(A2, 6)]),
    ("杭州市科学技术局", "余杭区环之江实验室创新生态圈", [(A1, 3)]),
]

# entity -> {doc: [sentence indexes]}: MENTIONED_IN evidence (count = number of sentences)
MENTIONS = {
    "之江实验室": {A1: [0, 1, 2], A2: [4, 5]},
    "余杭区环之江实验室创新生态圈": {A1: [0, 1, 3]},
    "浙江大学": {A1: [2], A2: [4, 5]},
    "浙江大华技术股份有限公司": {A1: [1, 3]},
    "杭州海康威视数字技术股份有限公司": {A1: [1, 3]},
    "余杭区": {A1: [0]},
    "杭州市科学技术局": {A1: [3], A2: [0, 2, 6]},
    "《关于进一步加大颠覆性技术创新加快构筑科技成果转移转化首选地的若干措施》": {A2: [0, 1]},
    "楼秀华": {A2: [1]},
    "第十三届中国创新创业大赛颠覆性技术创新大赛": {A2: [2]},
    "杭州零磁医疗设备有限公司": {A2: [3, 6], A3: [1, 3]},
    "杭州市颠覆性技术成果转移转化投资基金": {A2: [3]},
    "杭州技术转移转化中心": {A2: [4]},
    "极弱磁大科学装置": {A3: [0, 1, 3]},
    "北京航空航天大学": {A3: [0, 2]},
    "房建成": {A3: [2]},
    "杭州": {A3: [0]},
}


def article_text(doc_id: str) -> str:
    return "".join(ARTICLES[doc_id]["sentences"])


def evidence(doc_id: str, index: int) -> Evidence:
    sentences = ARTICLES[doc_id]["sentences"]
    start = sum(len(s) for s in sentences[:index])
    return Evidence(doc_id=doc_id, sentence=sentences[index], start=start, end=start + len(sentences[index]))


def fixture_graph() -> InnoGraph:
    """The fixture as an :class:`InnoGraph` (a fresh one each call)."""
    g = InnoGraph()
    for key, props in ISSUES.items():
        g.upsert_node(NodeRecord(key=f"Issue:{key}", label=ProvenanceLabel.Issue, name=f"{props['journal']} {key}",
                                 properties=dict(props)))
    for doc_id, art in ARTICLES.items():
        g.upsert_node(NodeRecord(key=f"Article:{doc_id}", label=ProvenanceLabel.Article, name=art["title"],
                                 properties={"doc_id": doc_id, "title": art["title"], "section": art["section"],
                                             "page": art["page"], "authors": art["authors"]}))
        g.upsert_edge(EdgeRecord(source=f"Article:{doc_id}", target=f"Issue:{art['issue']}",
                                 type=GraphRelType.PUBLISHED_IN))
    for label, name, aliases, mentions, first, last in ENTITIES:
        g.upsert_node(NodeRecord(key=K(name), label=label, name=name, aliases=aliases,
                                 alias_counts={a: 1 for a in aliases}, mention_count=mentions,
                                 first_issue=first, last_issue=last))
    for name, docs in MENTIONS.items():
        for doc_id, indexes in docs.items():
            g.upsert_edge(EdgeRecord(source=K(name), target=f"Article:{doc_id}", type=GraphRelType.MENTIONED_IN,
                                     evidence=tuple(evidence(doc_id, i) for i in indexes), count=len(indexes)))
    for head, rel, tail, where, props in RELATIONS:
        g.upsert_edge(EdgeRecord(source=K(head), target=K(tail), type=rel,
                                 evidence=tuple(evidence(d, i) for d, i in where), properties=props))
    for a, b, where in CO_MENTIONS:
        g.upsert_edge(EdgeRecord(source=K(a), target=K(b), type=GraphRelType.CO_MENTIONED,
                                 evidence=tuple(evidence(d, i) for d, i in where), count=len(where)))
    return g


def sqlite_backend(graph: InnoGraph, path):  # noqa: ANN001, ANN201 - a Path; the backend
    """``graph`` saved to a SQLite store at ``path``, and the SQLite backend asking it."""
    from innograph.graph import store
    from innograph.queries.sqlite_backend import SqliteBackend

    store.save(graph, path)
    assert store.is_sqlite(path)
    return SqliteBackend(path)
