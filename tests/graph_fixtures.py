"""A small, realistic InnoGraph built by hand for the export, analysis and view tests.

Two articles of one issue of 杭州科技, fifteen entities. Each sentence lists the entities it
mentions (with the surface form used); MENTIONED_IN evidence, mention counts, alias counts and
CO_MENTIONED edges (one per co-mentioned pair, ``count`` = sentences) all follow from that
table, the extracted relationships are listed one by one.

>>> g = sample_graph()
>>> len(g), g.count_by_label()["Article"], g.count_by_label()["Lab"]
(18, 2, 1)
>>> g.node("Lab:之江实验室").aliases
('之江',)
"""
from __future__ import annotations

from itertools import combinations

from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence, entity_key
from innograph.ontology import EntityLabel as L
from innograph.ontology import GraphRelType, ProvenanceLabel, RelType

ISSUE_KEY = "hzkj-2024-06"
DOC1 = "hzkj-2024-06-01"
DOC2 = "hzkj-2024-06-02"

ARTICLES = {
    DOC1: {"title": "环之江实验室创新生态圈：从一座实验室到一片创新森林", "section": "封面故事",
           "page": 4, "authors": "李明、王芳"},
    DOC2: {"title": "零磁医疗：让极弱磁测量走进临床", "section": "创新企业", "page": 12, "authors": "张华"},
}

# label, canonical name, aliases
ENTITIES: list[tuple[L, str, tuple[str, ...]]] = [
    (L.Lab, "之江实验室", ("之江",)),
    (L.Ecosystem, "余杭区环之江实验室创新生态圈", ("生态圈",)),
    (L.University, "浙江大学", ("浙大",)),
    (L.Institute, "浙江大学杭州国际科创中心", ("浙大杭州国际科创中心",)),
    (L.Agency, "杭州市科学技术局", ("杭州市科技局",)),
    (L.Policy, "《杭州市科技创新条例》", ()),
    (L.Person, "朱世强", ()),
    (L.Platform, "梦想小镇", ()),
    (L.Event, "之江科学论坛", ()),
    (L.Region, "余杭区", ()),
    (L.Region, "杭州市", ()),
    (L.Company, "杭州零磁医疗设备有限公司", ("零磁医疗",)),
    (L.Facility, "极弱磁大科学装置", ()),
    (L.Fund, "杭州市科技创新基金", ()),
    (L.Company, "浙江启真医疗科技有限公司", ()),
]

LAB = "Lab:之江实验室"
ECO = "Ecosystem:余杭区环之江实验室创新生态圈"
ZJU = "University:浙江大学"
INST = "Institute:浙江大学杭州国际科创中心"
AGENCY = "Agency:杭州市科学技术局"
POLICY = "Policy:杭州市科技创新条例"
PERSON = "Person:朱世强"
PLATFORM = "Platform:梦想小镇"
EVENT = "Event:之江科学论坛"
YUHANG = "Region:余杭区"
HANGZHOU = "Region:杭州市"
LINGCI = "Company:杭州零磁医疗设备有限公司"
FACILITY = "Facility:极弱磁大科学装置"
FUND = "Fund:杭州市科技创新基金"
QIZHEN = "Company:浙江启真医疗科技有限公司"

# doc_id, sentence, [(entity key, surface form)]
SENTENCES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (DOC1, "余杭区环之江实验室创新生态圈以之江实验室为核心，集聚了一批高能级创新平台。",
     [(ECO, "余杭区环之江实验室创新生态圈"), (LAB, "之江实验室")]),
    (DOC1, "之江实验室与浙江大学在智能计算领域开展深度合作。", [(LAB, "之江实验室"), (ZJU, "浙江大学")]),
    (DOC1, "之江实验室位于杭州市余杭区。", [(LAB, "之江实验室"), (HANGZHOU, "杭州市"), (YUHANG, "余杭区")]),
    (DOC1, "浙大杭州国际科创中心是浙江大学的重要组成部分。",
     [(INST, "浙大杭州国际科创中心"), (ZJU, "浙江大学")]),
    (DOC1, "杭州市科学技术局发布了《杭州市科技创新条例》实施细则。",
     [(AGENCY, "杭州市科学技术局"), (POLICY, "《杭州市科技创新条例》")]),
    (DOC1, "之江实验室主任朱世强表示，生态圈将持续吸引创新企业入驻。",
     [(LAB, "之江实验室"), (PERSON, "朱世强"), (ECO, "生态圈")]),
    (DOC1, "梦想小镇作为生态圈成员，已孵化上千家初创企业。", [(PLATFORM, "梦想小镇"), (ECO, "生态圈")]),
    (DOC1, "之江科学论坛由之江主办，今年在余杭区举行。",
     [(EVENT, "之江科学论坛"), (LAB, "之江"), (YUHANG, "余杭区")]),
    (DOC2, "杭州零磁医疗设备有限公司孵化自极弱磁大科学装置。",
     [(LINGCI, "杭州零磁医疗设备有限公司"), (FACILITY, "极弱磁大科学装置")]),
    (DOC2, "极弱磁大科学装置获得杭州市科技创新基金支持。",
     [(FACILITY, "极弱磁大科学装置"), (FUND, "杭州市科技创新基金")]),
    (DOC2, "零磁医疗已加入余杭区环之江实验室创新生态圈。",
     [(LINGCI, "零磁医疗"), (ECO, "余杭区环之江实验室创新生态圈")]),
    (DOC2, "浙江启真医疗科技有限公司由浙大孵化，与零磁医疗开展合作。",
     [(QIZHEN, "浙江启真医疗科技有限公司"), (ZJU, "浙大"), (LINGCI, "零磁医疗")]),
    (DOC2, "极弱磁大科学装置位于余杭区。", [(FACILITY, "极弱磁大科学装置"), (YUHANG, "余杭区")]),
    (DOC2, "杭州市科技局将继续支持零磁医疗等企业发展。",
     [(AGENCY, "杭州市科技局"), (LINGCI, "零磁医疗")]),
]

# type, head, tail, index into SENTENCES of the evidence, properties
RELATIONS: list[tuple[RelType, str, str, int, dict[str, str]]] = [
    (RelType.ANCHORED_BY, ECO, LAB, 0, {}),
    (RelType.COLLABORATES_WITH, LAB, ZJU, 1, {}),
    (RelType.LOCATED_IN, LAB, YUHANG, 2, {}),
    (RelType.PART_OF, INST, ZJU, 3, {}),
    (RelType.ISSUED_BY, POLICY, AGENCY, 4, {}),
    (RelType.LEADS, PERSON, LAB, 5, {"role": "主任"}),
    (RelType.MEMBER_OF, PLATFORM, ECO, 6, {}),
    (RelType.ORGANIZED_BY, EVENT, LAB, 7, {}),
    (RelType.LOCATED_IN, EVENT, YUHANG, 7, {}),
    (RelType.INCUBATED_BY, LINGCI, FACILITY, 8, {}),
    (RelType.FUNDED_BY, FACILITY, FUND, 9, {}),
    (RelType.MEMBER_OF, LINGCI, ECO, 10, {}),
    (RelType.INCUBATED_BY, QIZHEN, ZJU, 11, {}),
    (RelType.COLLABORATES_WITH, QIZHEN, LINGCI, 11, {}),
    (RelType.LOCATED_IN, FACILITY, YUHANG, 12, {}),
]


def _evidence(index: int) -> Evidence:
    doc_id, sentence, _ = SENTENCES[index]
    # offsets: the sentences of one article laid end to end
    start = sum(len(s) for d, s, _ in SENTENCES[:index] if d == doc_id)
    return Evidence(doc_id=doc_id, sentence=sentence, start=start, end=start + len(sentence))


def sample_graph() -> InnoGraph:
    """The fixture graph: 15 entities, 2 articles, 1 issue (18 nodes)."""
    keys = {entity_key(label, name): (label, name, aliases) for label, name, aliases in ENTITIES}
    alias_counts: dict[str, dict[str, int]] = {key: {} for key in keys}
    mentions: dict[tuple[str, str], list[Evidence]] = {}
    co: dict[tuple[str, str], list[Evidence]] = {}
    for index, (doc_id, _, found) in enumerate(SENTENCES):
        evidence = _evidence(index)
        for key, surface in found:
            assert key in keys, key
            alias_counts[key][surface] = alias_counts[key].get(surface, 0) + 1
            mentions.setdefault((key, doc_id), []).append(evidence)
        for a, b in combinations(sorted({key for key, _ in found}), 2):
            co.setdefault((a, b), []).append(evidence)

    nodes: list[NodeRecord] = []
    for key, (label, name, aliases) in keys.items():
        nodes.append(NodeRecord(
            key=key, label=label, name=name, aliases=aliases, alias_counts=alias_counts[key],
            mention_count=sum(alias_counts[key].values()), first_issue=ISSUE_KEY, last_issue=ISSUE_KEY,
        ))
    for doc_id, props in ARTICLES.items():
        nodes.append(NodeRecord(key=f"Article:{doc_id}", label=ProvenanceLabel.Article,
                                name=str(props["title"]), properties=dict(props)))
    nodes.append(NodeRecord(
        key=f"Issue:{ISSUE_KEY}", label=ProvenanceLabel.Issue, name="杭州科技 2024年第6期",
        properties={"journal": "杭州科技", "year": 2024, "number": "第6期", "date": "2024年6月", "issn": None},
    ))

    edges: list[EdgeRecord] = []
    for (key, doc_id), evidence in mentions.items():
        edges.append(EdgeRecord(source=key, target=f"Article:{doc_id}", type=GraphRelType.MENTIONED_IN,
                                evidence=tuple(evidence), count=len(evidence)))
    for doc_id in ARTICLES:
        edges.append(EdgeRecord(source=f"Article:{doc_id}", target=f"Issue:{ISSUE_KEY}",
                                type=GraphRelType.PUBLISHED_IN))
    for type_, head, tail, index, props in RELATIONS:
        edges.append(EdgeRecord(source=head, target=tail, type=type_, evidence=(_evidence(index),),
                                properties=dict(props)))
    for (a, b), evidence in co.items():
        edges.append(EdgeRecord(source=a, target=b, type=GraphRelType.CO_MENTIONED,
                                evidence=tuple(evidence), count=len(evidence)))
    return InnoGraph.from_records(nodes, edges)
