"""Analysis on the fixture graph: hand-computed degrees, per-label rankings, communities, ego networks.

The entity projection of the fixture (extracted relationships and CO_MENTIONED, undirected,
one link per pair) gives these neighbours:

    之江实验室     6: 生态圈, 浙江大学, 余杭区, 朱世强, 之江科学论坛, 杭州市
    零磁医疗       5: 极弱磁装置, 生态圈, 启真, 浙江大学, 杭州市科学技术局
    生态圈         4: 之江实验室, 梦想小镇, 零磁医疗, 朱世强
    浙江大学       4: 之江实验室, 科创中心, 启真, 零磁医疗
    余杭区         4: 之江实验室, 之江科学论坛, 极弱磁装置, 杭州市
    极弱磁装置     3: 零磁医疗, 基金, 余杭区
    启真, 之江科学论坛, 朱世强, 杭州市, 杭州市科学技术局: 2
    科创中心, 条例, 梦想小镇, 基金: 1                       (40 / 2 = 20 links)
"""
from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from innograph.cli import run
from innograph.errors import EntityNotFound, InputError
from innograph.graph import store
from innograph.graph.analysis import (
    analyze, centrality, centrality_scores, communities, ego_network, entity_projection, find_entity,
)
from innograph.ontology import EntityLabel
from tests.graph_fixtures import (
    AGENCY, ECO, EVENT, FACILITY, FUND, HANGZHOU, INST, LAB, LINGCI, PERSON, PLATFORM, POLICY, QIZHEN, YUHANG,
    ZJU, sample_graph,
)

DEGREES = {
    LAB: 6, LINGCI: 5, ECO: 4, ZJU: 4, YUHANG: 4, FACILITY: 3,
    QIZHEN: 2, EVENT: 2, PERSON: 2, HANGZHOU: 2, AGENCY: 2,
    INST: 1, POLICY: 1, PLATFORM: 1, FUND: 1,
}


@pytest.fixture(scope="module")
def graph():
    return sample_graph()


def test_projection_has_entities_only(graph):
    projection = entity_projection(graph)
    assert sorted(projection.nodes) == sorted(DEGREES)
    assert projection.number_of_edges() == 20
    assert dict(projection.degree) == DEGREES
    assert projection.edges[LAB, ECO]["types"] == {"ANCHORED_BY", "CO_MENTIONED"}


def test_degree_ranking_matches_hand_count(graph):
    scores = centrality_scores(graph)
    assert [(c.key, c.degree) for c in scores[:2]] == [(LAB, 6), (LINGCI, 5)]
    # three entities tie at 4: betweenness breaks the tie
    assert {c.key for c in scores[2:5]} == {ECO, ZJU, YUHANG}
    assert [c.betweenness for c in scores[2:5]] == sorted((c.betweenness for c in scores[2:5]), reverse=True)
    assert [c.degree for c in scores] == sorted(DEGREES.values(), reverse=True)
    assert scores[0].degree_centrality == round(6 / 14, 6)
    # 零磁医疗 is the only way from the 浙江大学 side to 杭州市科学技术局 and its policy
    assert max(scores, key=lambda c: c.betweenness).key == LINGCI
    assert {c.key for c in scores if c.betweenness == 0} == {QIZHEN, EVENT, PERSON, HANGZHOU, INST, POLICY, PLATFORM, FUND}


def test_rankings_per_label(graph):
    rankings = {r.label: r for r in centrality(graph, top=10)}
    assert list(rankings) == [l for l in EntityLabel if l in rankings]  # ontology order
    assert len(rankings) == 13
    assert [c.name for c in rankings[EntityLabel.Company].top] == ["杭州零磁医疗设备有限公司", "浙江启真医疗科技有限公司"]
    assert [c.name for c in rankings[EntityLabel.Region].top] == ["余杭区", "杭州市"]
    assert rankings[EntityLabel.Region].count == 2
    only = centrality(graph, EntityLabel.Company, top=1)
    assert len(only) == 1 and only[0].count == 2 and [c.key for c in only[0].top] == [LINGCI]


def test_analyze_label_filter_and_top(graph):
    result = analyze(graph, label="company", top=1)
    assert result.label is EntityLabel.Company
    assert [c.key for c in result.overall] == [LINGCI]
    assert result.entities == 15 and result.links == 20
    with pytest.raises(InputError, match="unknown entity label 'Article'"):
        analyze(graph, label="Article")
    with pytest.raises(InputError, match="the number of entities to list must be at least 1"):
        analyze(graph, top=0)


def test_communities_are_seeded_and_cover_the_entities(graph):
    first = communities(graph)
    assert first == communities(sample_graph())
    members = [m.key for c in first for m in c.members]
    assert sorted(members) == sorted(DEGREES)
    assert [c.size for c in first] == sorted((c.size for c in first), reverse=True)
    where = {m.key: c.index for c in first for m in c.members}
    # an entity with one link sits in its neighbour's community
    for leaf, neighbour in ((FUND, FACILITY), (PLATFORM, ECO), (INST, ZJU), (POLICY, AGENCY)):
        assert where[leaf] == where[neighbour]


def test_ego_network_by_alias(graph):
    ego = ego_network(graph, "之江", radius=1)
    assert ego.center == LAB and ego.name == "之江实验室"
    assert {n.key for n in ego.nodes} == {LAB, ECO, ZJU, YUHANG, PERSON, EVENT, HANGZHOU}
    assert ego.nodes[0].key == LAB and ego.nodes[0].distance == 0
    assert len(ego.edges) == 9  # 6 spokes + 生态圈–朱世强, 余杭区–之江科学论坛, 余杭区–杭州市
    two = ego_network(graph, "之江实验室", radius=2)
    assert {n.key for n in two.nodes if n.distance == 2} == {PLATFORM, LINGCI, INST, QIZHEN, FACILITY}


def test_find_entity_by_name_alias_key_and_spacing(graph):
    assert find_entity(graph, "浙大").key == ZJU
    assert find_entity(graph, " 之江 实验室 ").key == LAB
    assert find_entity(graph, "杭州市科技创新条例").key == POLICY  # 《》 ignored
    assert find_entity(graph, LAB).key == LAB


def test_unknown_name_names_the_closest_matches(graph):
    with pytest.raises(EntityNotFound) as info:
        find_entity(graph, "之江实验")
    assert str(info.value) == "no entity named '之江实验'; did you mean 之江实验室, 之江 or 余杭区环之江实验室创新生态圈?"
    with pytest.raises(EntityNotFound) as info:
        find_entity(graph, "清华大学")
    assert str(info.value) == "no entity named '清华大学'; did you mean 浙江大学?"
    with pytest.raises(EntityNotFound) as info:
        find_entity(graph, "MIT")
    assert str(info.value) == "no entity named 'MIT'; try 'innograph search' with part of the name"


def test_results_are_frozen_models(graph):
    result = analyze(graph, ego="之江")
    with pytest.raises(ValidationError):
        result.entities = 3
    with pytest.raises(ValidationError):
        type(result.overall[0]).model_validate({**result.overall[0].model_dump(), "extra": 1})


def test_cli_analyze_table_json_and_unknown_name(graph, tmp_path, capsys):
    path = tmp_path / "graph.json"
    store.save(graph, path)
    assert run(["analyze", "--store", str(path), "--ego", "之江", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Ego network of 之江实验室 (radius 1): 7 entities, 9 links" in out
    assert "Communities (Louvain, seed 42)" in out and "之江实验室" in out
    assert run(["analyze", "--store", str(path), "--format", "json", "--label", "Company"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == analyze(store.load(path), label="Company").model_dump(mode="json")
    assert run(["analyze", "--store", str(path), "--ego", "之江实验"]) == 3
    assert capsys.readouterr().err == (
        "innograph: error: no entity named '之江实验'; did you mean 之江实验室, 之江 or 余杭区环之江实验室创新生态圈?\n")
    assert run(["analyze", "--store", str(path), "--format", "xml"]) == 2
    assert capsys.readouterr().err == ("innograph: error: Invalid value for '--format' / '-f': 'xml' is not one of "
                                       "'table', 'json' (see 'innograph analyze --help')\n")
