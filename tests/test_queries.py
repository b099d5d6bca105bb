"""The questions of the query layer, as a specification, run on BOTH backends.

Every test takes ``api`` (a :class:`QueryAPI`), parametrised over the embedded backend (the
fixture graph of ``tests/query_fixtures.py`` as it is, so rankings and first-seen
relationships are computed in memory; and as a build stores it, with the properties of
:func:`innograph.graph.analysis.annotate`), the SQLite backend (both graphs saved to a SQLite
store and asked by SQL) and the Neo4j backend (the stored graph loaded with
``Neo4jWriter``, so ranked questions and issue-diff read the stored properties' indexes;
tests/test_queries_stored.py asks a database loaded without them).
The expected answers were checked by hand against that fixture, so a test passing on both
backends also says the two answer alike; ``test_backends_agree`` compares whole result models.
"""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from innograph.errors import EntityNotFound, InnographError, QueryRefused
from innograph.graph.analysis import annotate
from innograph.ontology import EntityLabel, GraphRelType, RelType
from innograph.queries.api import QueryAPI
from innograph.queries.embedded import EmbeddedBackend
from tests import query_fixtures


fx = query_fixtures
K = fx.K
A1, A2, A3 = fx.A1, fx.A2, fx.A3
ECO = "余杭区环之江实验室创新生态圈"
POLICY = "《关于进一步加大颠覆性技术创新加快构筑科技成果转移转化首选地的若干措施》"
EVENT = "第十三届中国创新创业大赛颠覆性技术创新大赛"
FUND = "杭州市颠覆性技术成果转移转化投资基金"
HIK = "杭州海康威视数字技术股份有限公司"
DAHUA = "浙江大华技术股份有限公司"
ZERO = "杭州零磁医疗设备有限公司"
FAC = "极弱磁大科学装置"
BUAA = "北京航空航天大学"
AGENCY = "杭州市科学技术局"


@pytest.fixture(scope="module")
def embedded_api() -> QueryAPI:
    return QueryAPI(EmbeddedBackend(fx.fixture_graph()))


@pytest.fixture(scope="module")
def stored_api() -> QueryAPI:
    return QueryAPI(EmbeddedBackend(annotate(fx.fixture_graph())))


@pytest.fixture(scope="module")
def neo4j_api(load_into_neo4j):
    """The fixture graph as a build stores it, loaded into the test server (cleared before and after this module)."""
    return QueryAPI(load_into_neo4j(annotate(fx.fixture_graph())))


@pytest.fixture(scope="module")
def sqlite_api(tmp_path_factory) -> QueryAPI:
    """The fixture graph as it is, saved to a SQLite store (which then computes what it ranks by)."""
    return QueryAPI(fx.sqlite_backend(fx.fixture_graph(), tmp_path_factory.mktemp("sqlite") / "graph.db"))


@pytest.fixture(scope="module")
def sqlite_stored_api(tmp_path_factory) -> QueryAPI:
    """The fixture graph as a build stores it, in a SQLite store, asked by SQL."""
    return QueryAPI(fx.sqlite_backend(annotate(fx.fixture_graph()), tmp_path_factory.mktemp("sqlite") / "graph.db"))


@pytest.fixture(params=["embedded", "stored", "sqlite", "sqlite_stored", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def api(request) -> QueryAPI:
    return request.getfixturevalue(f"{request.param}_api")


def names(refs) -> list[str]:
    return [r.name for r in refs]


# -- the fixture itself --------------------------------------------------------------------------
def test_fixture_mention_counts_match_mentioned_in_edges():
    for _label, name, _, mentions, *_ in fx.ENTITIES:
        assert sum(len(v) for v in fx.MENTIONS.get(name, {}).values()) == mentions, name


def test_fixture_evidence_offsets_point_into_article_text():
    graph = fx.fixture_graph()
    for edge in graph.edges():
        for ev in edge.evidence:
            assert fx.article_text(ev.doc_id)[ev.start:ev.end] == ev.sentence


# -- name resolution -----------------------------------------------------------------------------
@pytest.mark.parametrize("typed, key", [
    ("之江实验室", "Lab:之江实验室"),                       # canonical name
    ("浙大", "University:浙江大学"),                        # 简称
    ("北航", "University:北京航空航天大学"),
    ("市科技局", "Agency:杭州市科学技术局"),
    ("杭州 市科学技术局 ", "Agency:杭州市科学技术局"),      # spaces are not significant
    ("ＺＪＬａｂ", "Lab:之江实验室"),                        # full-width, any case
    ("zjlab", "Lab:之江实验室"),
    ("若干措施", "Policy:" + POLICY.strip("《》")),          # with or without 《》
    ("《若干措施》", "Policy:" + POLICY.strip("《》")),
    ("之江", "Lab:之江实验室"),                             # alias of a Lab (5 mentions) and a Fund (0)
    ("之江成果转化基金", "Fund:之江成果转化基金"),
    ("环之江实验室创新生态圈", "Ecosystem:" + ECO),
    ("Lab:之江实验室", "Lab:之江实验室"),                   # a graph key
])
def test_resolve_takes_names_as_users_type_them(api, typed, key):
    assert api.resolve(typed).key == key


@pytest.mark.parametrize("typed, message", [
    ("之江研究", "no entity named '之江研究'; did you mean 之江 or 之江实验室?"),
    ("浙江大", "no entity named '浙江大'; did you mean 浙江大学, 浙大 or 浙江大华技术股份有限公司?"),
    ("量子计算", "no entity named '量子计算'; try 'innograph search' with part of the name"),
])
def test_unknown_name_is_one_line_with_suggestions(api, typed, message):
    with pytest.raises(EntityNotFound) as err:
        api.profile(typed)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


# -- 1. profile ----------------------------------------------------------------------------------
def test_profile_of_an_agency(api):
    p = api.profile("市科技局")
    assert (p.entity.key, p.entity.label, p.entity.name) == (K(AGENCY), EntityLabel.Agency, AGENCY)
    assert (p.aliases, p.mention_count, p.first_issue, p.last_issue) == (("市科技局",), 4, "hzkj-2024-05", "hzkj-2024-06")
    assert p.outgoing == {}
    assert {t: names(r.other for r in rels) for t, rels in p.incoming.items()} == {
        "ISSUED_BY": [POLICY], "LEADS": ["楼秀华"], "ORGANIZED_BY": [EVENT]}
    leads = p.incoming["LEADS"][0]
    assert leads.properties == {"role": "局长"}
    assert [(e.sentence, e.doc_id, e.title, e.issue) for e in leads.evidence] == [
        ("市科技局局长楼秀华介绍了《若干措施》的主要内容。", A2, "颠覆性技术创新的杭州实践", "hzkj-2024-06")]


def test_profile_groups_both_directions_and_never_shows_provenance_or_co_mentions(api):
    p = api.profile("之江实验室")
    assert {t: names(r.other for r in rels) for t, rels in p.outgoing.items()} == {"COLLABORATES_WITH": ["浙江大学"]}
    assert {t: names(r.other for r in rels) for t, rels in p.incoming.items()} == {"ANCHORED_BY": [ECO]}
    collab = p.outgoing["COLLABORATES_WITH"][0]
    # evidence from two issues, in issue order
    assert [(e.issue, e.title) for e in collab.evidence] == [
        ("hzkj-2024-05", "打造环之江实验室创新生态圈"), ("hzkj-2024-06", "颠覆性技术创新的杭州实践")]


def test_profile_of_an_entity_without_relationships(api):
    p = api.profile("之江成果转化基金")
    assert (p.mention_count, p.first_issue, p.outgoing, p.incoming) == (0, None, {}, {})


# -- 2. related ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, rel, label, direction, expected", [
    ("浙大", None, None, "both", [("COLLABORATES_WITH", "in", "之江实验室"), ("COLLABORATES_WITH", "in", "杭州技术转移转化中心")]),
    ("浙大", None, EntityLabel.Lab, "both", [("COLLABORATES_WITH", "in", "之江实验室")]),
    ("浙大", None, None, "out", []),
    ("极弱磁大科学装置", None, None, "out", [("LOCATED_IN", "out", "杭州"), ("PART_OF", "out", BUAA)]),
    ("极弱磁大科学装置", None, None, "in", [("INCUBATED_BY", "in", ZERO)]),
    ("北航", RelType.AFFILIATED_WITH, None, "both", [("AFFILIATED_WITH", "in", "房建成")]),
    ("零磁医疗", "FUNDED_BY", None, "both", [("FUNDED_BY", "out", FUND)]),
    # CO_MENTIONED only when asked for
    ("零磁医疗", GraphRelType.CO_MENTIONED, None, "both", [("CO_MENTIONED", "in", AGENCY)]),
    ("海康威视", "CO_MENTIONED", EntityLabel.Company, "both", [("CO_MENTIONED", "in", DAHUA)]),
    ("海康威视", None, None, "both", [("MEMBER_OF", "out", ECO)]),
])
def test_related(api, name, rel, label, direction, expected):
    result = api.related(name, rel=rel, label=label, direction=direction)
    assert [(r.type.value, r.direction, r.other.name) for r in result.relationships] == expected
    for r in result.relationships:
        assert r.evidence and all(e.title and e.issue for e in r.evidence)


def test_related_refuses_provenance_types(api):
    with pytest.raises(InnographError, match="provenance"):
        api.related("之江实验室", rel="MENTIONED_IN")


def test_co_mention_count(api):
    (rel,) = api.related("大华股份", rel="CO_MENTIONED").relationships
    assert (rel.other.name, rel.count, len(rel.evidence)) == (HIK, 2, 2)


# -- 3. path -------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, max_hops, co, length, paths", [
    ("海康威视", "浙大", 4, False, 3, [[HIK, ECO, "之江实验室", "浙江大学"]]),
    ("海康威视", "浙大", 2, False, None, []),                         # too far
    ("零磁医疗", "房建成", 4, False, 3, [[ZERO, FAC, BUAA, "房建成"]]),
    ("大华股份", "海康威视", 4, False, 2, [[DAHUA, ECO, HIK]]),
    ("大华股份", "海康威视", 4, True, 1, [[DAHUA, HIK]]),             # a CO_MENTIONED shortcut
    ("零磁医疗", "楼秀华", 4, False, None, []),                       # only co-mentions join them
    ("零磁医疗", "楼秀华", 4, True, 2, [[ZERO, AGENCY, "楼秀华"]]),
    ("之江", "余杭区", 4, False, 2, [["之江实验室", ECO, "余杭区"]]),
    ("之江实验室", "之江实验室", 4, False, 0, [["之江实验室"]]),
])
def test_path(api, a, b, max_hops, co, length, paths):
    result = api.path(a, b, max_hops=max_hops, co_mentions=co)
    assert result.length == length
    assert [names(p.nodes) for p in result.paths] == paths
    for p in result.paths:
        assert all(n.key.split(":")[0] not in ("Article", "Issue") for n in p.nodes)
        assert len(p.hops) == len(p.nodes) - 1
        for hop in p.hops:
            assert hop.edges and all(e.evidence for e in hop.edges)


def test_path_hops_carry_their_evidence_and_direction(api):
    (path,) = api.path("零磁医疗", "房建成").paths
    assert [(e.type.value, e.head == hop.source.key, e.evidence[0].sentence)
            for hop in path.hops for e in hop.edges] == [
        ("INCUBATED_BY", True, "杭州零磁医疗设备有限公司是极弱磁大科学装置孵化出的第一家企业。"),
        ("PART_OF", True, "北京航空航天大学建设的极弱磁大科学装置落户杭州。"),
        ("AFFILIATED_WITH", False, "中国科学院院士、北京航空航天大学教授房建成长期从事极弱磁测量研究。"),
    ]


def test_path_lists_every_edge_of_a_hop(api):
    (path,) = api.path("大华股份", "海康威视", co_mentions=True).paths
    (hop,) = path.hops
    assert [(e.type.value, e.count) for e in hop.edges] == [("CO_MENTIONED", 2)]


def test_path_max_hops_must_be_positive(api):
    with pytest.raises(InnographError):
        api.path("浙大", "北航", max_hops=0)


# -- 4. members ----------------------------------------------------------------------------------
def test_members_of_an_ecosystem(api):
    m = api.members("环之江实验室创新生态圈")
    assert m.ecosystem.name == ECO
    assert names(m.regions) == ["余杭区"]
    assert [(x.role, x.type.value, x.entity.name) for x in m.members] == [
        ("anchor", "ANCHORED_BY", "之江实验室"), ("member", "MEMBER_OF", HIK), ("member", "MEMBER_OF", DAHUA)]
    assert m.members[0].evidence[0].sentence == "余杭区环之江实验室创新生态圈以之江实验室为核心，集聚创新资源。"
    assert m.members[1].evidence[0].title == "打造环之江实验室创新生态圈"


def test_members_of_something_that_is_no_ecosystem(api):
    with pytest.raises(EntityNotFound, match="'之江实验室' is a Lab, not an Ecosystem"):
        api.members("之江实验室")


# -- 5. search -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("之江", [("之江实验室", "alias"), ("之江成果转化基金", "alias"), (ECO, "substring")]),
    ("杭州", [("杭州", "name"), (AGENCY, "prefix"), (ZERO, "prefix"), (FAC, "prefix"),  # via 杭州极弱磁大科学装置
             (HIK, "prefix"), (FUND, "prefix"), ("杭州技术转移转化中心", "prefix")]),
    ("大学", [("浙江大学", "substring"), (BUAA, "substring")]),
    ("杭", [(AGENCY, "prefix"), (ZERO, "prefix"), (FAC, "prefix"), (HIK, "prefix"), ("杭州", "prefix"),
           (FUND, "prefix"), ("杭州技术转移转化中心", "prefix"), (ECO, "substring"), ("余杭区", "substring")]),
    ("ＺＪＬａｂ", [("之江实验室", "alias")]),
    ("jla", [("之江实验室", "substring")]),
    ("市科技局", [(AGENCY, "alias")]),
    ("《若干措施》", [(POLICY, "alias")]),
    ("科学技术", [(AGENCY, "substring")]),
    ("G60", []),
    ("  ", []),
])
def test_search_ranking(api, text, expected):
    assert [(h.entity.name, h.match) for h in api.search(text).hits] == expected


def test_search_limit_and_label(api):
    assert [h.entity.name for h in api.search("杭", limit=2).hits] == [AGENCY, ZERO]
    assert [h.entity.name for h in api.search("杭", label="Company").hits] == [ZERO, HIK]


# -- 6. top --------------------------------------------------------------------------------------
@pytest.mark.parametrize("by, issue, label, expected", [
    ("mentions", None, None, [("之江实验室", 5), (AGENCY, 4), (ZERO, 4), (ECO, 3), (FAC, 3)]),
    ("mentions", None, "Company", [(ZERO, 4), (HIK, 2), (DAHUA, 2)]),
    ("mentions", "hzkj-2024-05", None, [("之江实验室", 3), (ECO, 3), (HIK, 2), (DAHUA, 2), ("余杭区", 1)]),
    ("mentions", "hzkj-2024-06", None, [(ZERO, 4), (AGENCY, 3), (FAC, 3), (POLICY, 2), ("之江实验室", 2)]),
    ("degree", None, None, [(ECO, 4), (AGENCY, 3), (FAC, 3), ("之江实验室", 2), (BUAA, 2)]),
    ("degree", "hzkj-2024-06", "University", [(BUAA, 2), ("浙江大学", 2)]),
    # eco: 9 of the 10 pairs of the other five nodes; 之江实验室: the 4 pairs with 浙江大学
    ("betweenness", "hzkj-2024-05", None, [(ECO, 0.9), ("之江实验室", 0.4)]),
    ("betweenness", None, None, [(ECO, 0.1), ("之江实验室", 0.066667), (FAC, 0.066667), ("浙江大学", 0.041667),
                                 (BUAA, 0.033333)]),
])
def test_top(api, by, issue, label, expected):
    result = api.top(by=by, issue=issue, label=label, limit=5)
    assert [(r.entity.name, r.score) for r in result.rows] == expected
    assert [r.rank for r in result.rows] == list(range(1, len(expected) + 1))


def test_top_unknown_issue(api):
    with pytest.raises(EntityNotFound, match="no issue named 'hzkj-2024-6'; did you mean hzkj-2024-06"):
        api.top(issue="hzkj-2024-6")


# -- 7. issue-diff -------------------------------------------------------------------------------
def test_issue_diff_first_issue(api):
    d = api.issue_diff("hzkj-2024-05")
    assert names(d.entities) == [AGENCY, HIK, DAHUA, ECO, "之江实验室", "余杭区", "浙江大学"]  # by label, then name
    assert [(r.type.value, r.head.name, r.tail.name) for r in d.relationships] == [
        ("ANCHORED_BY", ECO, "之江实验室"), ("COLLABORATES_WITH", "之江实验室", "浙江大学"), ("LOCATED_IN", ECO, "余杭区"),
        ("MEMBER_OF", HIK, ECO), ("MEMBER_OF", DAHUA, ECO)]
    collab = d.relationships[1]
    assert [e.issue for e in collab.evidence] == ["hzkj-2024-05"]  # only this issue's evidence


def test_issue_diff_leaves_out_what_an_earlier_issue_had(api):
    d = api.issue_diff("Issue:hzkj-2024-06")
    assert d.issue == "hzkj-2024-06"
    assert "之江实验室" not in names(d.entities) and len(d.entities) == 10
    rels = [(r.type.value, r.head.name, r.tail.name) for r in d.relationships]
    assert ("COLLABORATES_WITH", "之江实验室", "浙江大学") not in rels  # seen in 2024-05 already
    assert rels == [
        ("AFFILIATED_WITH", "房建成", BUAA), ("COLLABORATES_WITH", "杭州技术转移转化中心", "浙江大学"),
        ("FUNDED_BY", ZERO, FUND), ("INCUBATED_BY", ZERO, FAC), ("ISSUED_BY", POLICY, AGENCY),
        ("LEADS", "楼秀华", AGENCY), ("LOCATED_IN", FAC, "杭州"), ("ORGANIZED_BY", EVENT, AGENCY),
        ("PART_OF", FAC, BUAA)]


# -- results are frozen, strict, JSON-able -------------------------------------------------------
def test_results_are_frozen_and_strict(api):
    p = api.profile("浙大")
    with pytest.raises(ValidationError, match="frozen"):
        p.mention_count = 0
    dumped = p.model_dump(mode="json")
    assert type(p).model_validate(dumped) == p
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        type(p).model_validate({**dumped, "surprise": 1})


# -- the two backends agree ----------------------------------------------------------------------
QUESTIONS = [
    ("profile", ("之江实验室",), {}), ("profile", ("市科技局",), {}), ("profile", ("零磁医疗",), {}),
    ("profile", ("北航",), {}), ("profile", ("杭州",), {}),
    ("related", ("浙大",), {}), ("related", ("之江",), {"rel": "CO_MENTIONED"}),
    ("related", ("市科技局",), {"direction": "in", "label": "Person"}),
    ("path", ("海康威视", "浙大"), {}), ("path", ("零磁医疗", "楼秀华"), {"co_mentions": True}),
    ("path", ("房建成", "楼秀华"), {"co_mentions": True, "max_hops": 6}),
    ("path", ("余杭区", "杭州"), {"co_mentions": True, "max_hops": 8}),
    ("members", ("生态圈",), {}),
    ("search", ("之江",), {}), ("search", ("杭",), {}), ("search", ("技术",), {}), ("search", ("zj",), {}),
    ("top", (), {"by": "mentions"}), ("top", (), {"by": "degree", "limit": 20}),
    ("top", (), {"by": "betweenness", "issue": "hzkj-2024-06", "limit": 20}),
    ("issue_diff", ("hzkj-2024-05",), {}), ("issue_diff", ("hzkj-2024-06",), {}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize("method, args, kwargs", QUESTIONS, ids=[f"{m}{a}{k or ''}" for m, a, k in QUESTIONS])
def test_backends_agree(embedded_api, neo4j_api, method, args, kwargs):
    assert getattr(neo4j_api, method)(*args, **kwargs) == getattr(embedded_api, method)(*args, **kwargs)


@pytest.mark.parametrize("other", ["stored", "sqlite", "sqlite_stored"])
@pytest.mark.parametrize("method, args, kwargs", QUESTIONS, ids=[f"{m}{a}{k or ''}" for m, a, k in QUESTIONS])
def test_embedded_backends_agree(request, embedded_api, other, method, args, kwargs):
    asked = request.getfixturevalue(f"{other}_api")
    assert getattr(asked, method)(*args, **kwargs) == getattr(embedded_api, method)(*args, **kwargs)


# -- 8. cypher (Neo4j only) ----------------------------------------------------------------------
def test_cypher_needs_neo4j(embedded_api):
    with pytest.raises(InnographError, match="needs Neo4j"):
        embedded_api.cypher("MATCH (n) RETURN n LIMIT 1")


@pytest.mark.neo4j
def test_cypher_reads_with_parameters(neo4j_api):
    result = neo4j_api.cypher("MATCH (n:Lab) WHERE $alias IN n.aliases RETURN n.name AS name, n.mention_count AS m",
                              {"alias": "之江"})
    assert result.columns == ("name", "m")
    assert result.rows == (("之江实验室", 5),)


@pytest.mark.neo4j
def test_cypher_returns_nodes_and_paths_as_dicts(neo4j_api):
    result = neo4j_api.cypher("MATCH p = (c:Company {key: $k})-[:INCUBATED_BY]->(f) RETURN c, p",
                              {"k": K(ZERO)})
    (company, path), = result.rows
    assert "Company" in company["labels"] and company["name"] == ZERO
    assert [n["name"] for n in path["nodes"]] == [ZERO, FAC]
    assert path["relationships"][0]["type"] == "INCUBATED_BY"


@pytest.mark.neo4j
@pytest.mark.parametrize("query, says", [
    ("CREATE (n:Lab {key: 'Lab:x', name: 'x'})", "writes"),
    ("MATCH (n) DETACH DELETE n", "writes"),
    ("MATCH (n:Lab) SET n.name = 'x' RETURN n", "reads and writes"),
    ("MERGE (n:Lab {key: $k}) RETURN n", "reads and writes"),
    ("MATCH (n:Lab) CALL (n) { CREATE (:Lab {key: 'Lab:y'}) } RETURN count(*)", "reads and writes"),
    ("CREATE INDEX lab_probe IF NOT EXISTS FOR (n:Lab) ON (n.probe)", "changes the schema or the server"),
    ("DROP CONSTRAINT lab_key", "changes the schema or the server"),
])
def test_cypher_refuses_writes(neo4j_api, query, says):
    with pytest.raises(QueryRefused) as err:
        neo4j_api.cypher(query, {"k": "Lab:x"})
    assert str(err.value) == f"refused: the query {says}; the cypher command runs read-only queries of the graph only"
    # and nothing was written
    assert neo4j_api.cypher("MATCH (n) RETURN count(n) AS n", {}).rows == ((len(fx.fixture_graph()),),)


@pytest.mark.neo4j
def test_cypher_syntax_error_is_one_line(neo4j_api):
    with pytest.raises(InnographError) as err:
        neo4j_api.cypher("MATC (n) RETURN n", {})
    assert str(err.value).startswith("Neo4j rejected the query: Invalid input 'MATC'")
    assert "\n" not in str(err.value)
