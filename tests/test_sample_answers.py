"""Answers about the sample issue, checked by hand against its text, on both backends.

The graph is what ``innograph build`` makes of the bundled issue; the Neo4j side loads that
same graph into the test server. Each expected answer cites the sentence it comes from.
"""
from __future__ import annotations

import pytest

from innograph.api import build_graph, sample_path
from innograph.graph.aliases import AliasTable
from innograph.ontology import RelType
from innograph.queries.api import QueryAPI
from innograph.queries.embedded import EmbeddedBackend


@pytest.fixture(scope="module")
def sample_graph():
    return build_graph([sample_path()], aliases=AliasTable.load()).graph


@pytest.fixture(scope="module")
def embedded_api(sample_graph) -> QueryAPI:
    return QueryAPI(EmbeddedBackend(sample_graph))


@pytest.fixture(scope="module")
def neo4j_api(load_into_neo4j, sample_graph):
    return QueryAPI(load_into_neo4j(sample_graph))


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def api(request) -> QueryAPI:
    return request.getfixturevalue(f"{request.param}_api")


def _others(related, rel: RelType) -> set[str]:
    return {r.other.name for r in related.relationships if r.type == rel.value}


def test_what_incubated_the_zero_field_company(api: QueryAPI) -> None:
    # a05: 杭州极弱磁大科学装置孵化的杭州零磁医疗设备有限公司…
    # a06: 北航超高灵敏极弱磁场和惯性测量大科学装置孵化出杭州零磁医疗设备有限公司 (the name is cut at 和)
    related = api.related("杭州零磁医疗设备有限公司", rel=RelType.INCUBATED_BY, direction="out")
    assert "极弱磁大科学装置" in _others(related, RelType.INCUBATED_BY)


def test_which_ecosystem_zhijiang_lab_anchors(api: QueryAPI) -> None:
    # a04: 首批规划建设…余杭区环之江实验室创新生态圈…
    related = api.related("之江实验室", rel=RelType.ANCHORED_BY, direction="in")
    assert _others(related, RelType.ANCHORED_BY) == {"余杭区环之江实验室创新生态圈"}


def test_who_wrote_the_transfer_index_study_and_where_they_work(api: QueryAPI) -> None:
    # a09 byline: □ 文 / 王世锋 杭州市职业技术学院
    profile = api.profile("王世锋")
    affiliated = profile.outgoing[RelType.AFFILIATED_WITH.value]
    assert "杭州市职业技术学院" in {r.other.name for r in affiliated}
    assert any(e.title == "杭州市科技成果转化指数研究" for r in affiliated for e in r.evidence)


def test_who_organised_the_disruptive_technology_final(api: QueryAPI) -> None:
    # a03: 由工信部火炬高技术产业开发中心主办,杭州市人民政府、浙江省科技厅、浙江省经信厅承办…
    related = api.related("第十三届中国创新创业大赛颠覆性技术创新大赛总决赛", rel=RelType.ORGANIZED_BY)
    organisers = _others(related, RelType.ORGANIZED_BY)
    # 浙江省科技厅 is stored under its official name (the reviewed alias table, data/aliases.csv)
    assert {"工信部火炬高技术产业开发中心", "杭州市人民政府", "浙江省科学技术厅"} <= organisers


def test_who_leads_the_city_science_bureau(api: QueryAPI) -> None:
    # a03: 市科技局局长楼秀华表示…
    related = api.related("市科技局", rel=RelType.LEADS, direction="in")
    assert "楼秀华" in _others(related, RelType.LEADS)


def test_members_of_the_pharma_harbour(api: QueryAPI) -> None:
    # a13: 杭州医药港…集聚了辉瑞生物、默沙东等1700余家生物医药企业
    members = api.members("杭州医药港")
    assert {"默沙东", "辉瑞生物"} <= {m.entity.name for m in members.members}


@pytest.mark.neo4j
def test_cli_load_of_the_sample_equals_the_embedded_store(neo4j_driver, tmp_path, capsys) -> None:
    from innograph.cli import run

    store_path = tmp_path / "graph.json"
    assert run(["load", "--store", str(store_path)]) == 0  # extracts the bundled sample first
    assert run(["load", "--store", str(store_path)]) == 0  # a second load changes nothing
    capsys.readouterr()
    assert run(["verify", "--store", str(store_path)]) == 0, capsys.readouterr().out
