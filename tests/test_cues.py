"""The relation cue table is data (resources/relation_cues.toml), run by one generic matcher."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from innograph.extract import cues
from innograph.extract.relation_scorer import PlacedMention
from innograph.extract.relations import SentenceMentions
from innograph.models import Entity
from innograph.ontology import EntityLabel as L

RULE = """
[[cue]]
name = "incubated"
pattern = "孵化出"
relation = "INCUBATED_BY"
head = "after"
before = { labels = ["Lab"], take = "nearest" }
after = { labels = ["Company"], take = "all" }
"""


def _with(old: str, new: str) -> str:
    assert old in RULE
    return RULE.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (RULE + RULE, "cue incubated is defined twice"),
        (_with('labels = ["Company"]', 'labels = ["Person"]'), "the ontology has no INCUBATED_BY from Person to Lab"),
        (_with('labels = ["Lab"]', 'labels = ["Laboratory"]'), "Laboratory"),
        (_with('pattern = "孵化出"', 'pattern = "孵化(出"'), "cue incubated: pattern does not compile"),
        (_with('take = "all"', 'take = "nearest"'), "before takes nearest or run, after takes first, all or list"),
        (_with('relation = "INCUBATED_BY"', 'relation = "INVENTED_BY"'), "INVENTED_BY"),
        (_with('head = "after"', 'head = "after"\nback_reference = true'), "no back-reference words are listed"),
    ],
)
def test_contradictions_in_the_cue_table_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        cues.parse_cue_table(text)
    assert message in str(raised.value)


def test_the_shipped_cue_table_loads_and_is_what_the_matcher_runs() -> None:
    from importlib import resources

    text = resources.files("innograph.extract").joinpath("resources/relation_cues.toml").read_text(encoding="utf-8")
    assert cues.parse_cue_table(text) == cues.CUES
    assert {"incubated", "issued", "hosted", "built-by-region"} <= {c.name for c in cues.CUES.cues}


def _sentence(text: str, *names: tuple[str, L]) -> SentenceMentions:
    placed, at = [], 0
    for name, label in names:
        at = text.index(name, at)
        placed.append(PlacedMention(Entity(label=label, name=name), at, at + len(name)))
        at += len(name)
    return SentenceMentions(text, 0, placed)


# sentence, its names in order, the (head, relationship, tail) the table reads
CASES = [
    ("极弱磁大科学装置孵化出杭州零磁医疗设备有限公司、杭州诺驰生命科学有限公司。",
     [("极弱磁大科学装置", L.Facility), ("杭州零磁医疗设备有限公司", L.Company), ("杭州诺驰生命科学有限公司", L.Company)],
     {("杭州零磁医疗设备有限公司", "INCUBATED_BY", "极弱磁大科学装置"), ("杭州诺驰生命科学有限公司", "INCUBATED_BY", "极弱磁大科学装置")}),
    ("之江实验室建成以来，这里诞生了杭州某某科技有限公司。",
     [("之江实验室", L.Lab), ("杭州某某科技有限公司", L.Company)],
     {("杭州某某科技有限公司", "INCUBATED_BY", "之江实验室")}),
    ("浙江省科学技术厅、浙江省财政厅联合印发《浙江省科技创新若干措施》。",
     [("浙江省科学技术厅", L.Agency), ("浙江省财政厅", L.Agency), ("《浙江省科技创新若干措施》", L.Policy)],
     {("《浙江省科技创新若干措施》", "ISSUED_BY", "浙江省科学技术厅"), ("《浙江省科技创新若干措施》", "ISSUED_BY", "浙江省财政厅")}),
    ("北京市、河北省及雄安新区共同举行雄安新区中关村科技园揭牌仪式。",
     [("北京市", L.Region), ("河北省", L.Region), ("雄安新区", L.Region), ("雄安新区中关村科技园揭牌仪式", L.Event)],
     {("雄安新区中关村科技园揭牌仪式", "ORGANIZED_BY", r) for r in ("北京市", "河北省", "雄安新区")}),
    # 在杭州举行: the city is where, not who
    ("本届大会在杭州举行第二届数字创新大会。", [("杭州", L.Region), ("第二届数字创新大会", L.Event)], set()),
    ("天津高标准建设天开高教科创园。", [("天津", L.Region), ("天开高教科创园", L.Ecosystem)],
     {("天开高教科创园", "LOCATED_IN", "天津")}),
    # the region is not the subject of its clause: no location
    ("按照规划，支持天津企业建设天开高教科创园。", [("天津", L.Region), ("天开高教科创园", L.Ecosystem)], set()),
    ("苏州工业园区是苏州市转型创新的主战场。", [("苏州工业园区", L.Ecosystem), ("苏州市", L.Region)],
     {("苏州工业园区", "LOCATED_IN", "苏州市")}),
    ("据介绍，园区内的苏州工业园区是苏州市的主战场。", [("苏州工业园区", L.Ecosystem), ("苏州市", L.Region)], set()),
    ("西湖大学旗下杭州西湖生物科技有限公司发布新品。", [("西湖大学", L.University), ("杭州西湖生物科技有限公司", L.Company)],
     {("杭州西湖生物科技有限公司", "PART_OF", "西湖大学")}),
    # 成立 needs a unit before it; a company founding a company is not parenthood by this cue
    ("某某集团成立了杭州某某科技有限公司。", [("某某集团", L.Company), ("杭州某某科技有限公司", L.Company)], set()),
]


@pytest.mark.parametrize(("text", "names", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_the_table_reads(text: str, names: list[tuple[str, L]], expected: set[tuple[str, str, str]]) -> None:
    found = {(head.name, rel.value, tail.name) for rel, head, tail in cues.matches(_sentence(text, *names))}
    assert found == expected
