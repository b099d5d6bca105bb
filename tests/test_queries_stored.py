"""What the questions rank and diff by, stored once where the store is written.

:func:`innograph.graph.analysis.annotate` stores ``degree`` and ``betweenness`` on every entity
and ``first_issue`` on every extracted relationship; ``innograph build`` calls it, the Neo4j
loader carries the properties over, and both backends answer ``top`` and ``issue-diff`` from
them (Neo4j through range indexes, read in order). A graph or database without them (written
before they were stored) is answered as before, by computing them.
"""
from __future__ import annotations

import networkx as nx
import pytest

from innograph import cypher
from innograph.graph import analysis
from innograph.graph.analysis import annotate, centrality_properties, relation_betweenness
from innograph.graph.rows import graph_node_digests, node_from_row, node_labels, node_properties
from innograph.ontology import EntityLabel, RelType
from innograph.queries.api import QueryAPI
from innograph.queries.embedded import EmbeddedBackend
from tests import query_fixtures as fx

ECO = "Ecosystem:余杭区环之江实验室创新生态圈"


def props(graph, key: str) -> dict:
    return graph.node(key).properties


# -- annotate ----------------------------------------------------------------------------------
def test_annotate_stores_degree_and_betweenness_of_the_extracted_relationships():
    graph = annotate(fx.fixture_graph())
    assert props(graph, ECO) == {"degree": 4, "betweenness": 0.1,
                                 "mentions_rank": 4, "degree_rank": 1, "betweenness_rank": 1}
    # no relationship and no mention: scores 0 and no rank
    assert props(graph, "Fund:之江成果转化基金") == {"degree": 0, "betweenness": 0.0}
    for node in graph.nodes():
        if node.label.value in ("Article", "Issue"):
            assert cypher.DEGREE not in node.properties
    # co-mentions are no relationship here: the sum of degrees is twice the extracted relationships
    extracted = [e for e in graph.edges() if isinstance(e.type, RelType)]
    assert sum(n.properties.get("degree", 0) for n in graph.nodes()) == 2 * len(extracted)


def test_annotate_stores_the_earliest_issue_of_each_relationships_evidence():
    graph = annotate(fx.fixture_graph())
    collab = graph.edge("Lab:之江实验室", "University:浙江大学", RelType.COLLABORATES_WITH)
    assert sorted({ev.doc_id for ev in collab.evidence}) == [fx.A1, fx.A2]  # evidence from 2024-05 and 2024-06
    assert collab.properties == {"first_issue": "hzkj-2024-05"}
    leads = graph.edge("Person:楼秀华", "Agency:杭州市科学技术局", RelType.LEADS)
    assert leads.properties == {"role": "局长", "first_issue": "hzkj-2024-06"}
    assert all("first_issue" not in e.properties for e in graph.edges() if not isinstance(e.type, RelType))


def test_annotate_is_idempotent_and_recomputes_from_the_whole_graph():
    once = annotate(fx.fixture_graph())
    twice = annotate(annotate(fx.fixture_graph()))
    assert graph_node_digests(once) == graph_node_digests(twice)
    stale = fx.fixture_graph()
    stale.nx.nodes[ECO]["properties"] = {"degree": 99, "betweenness": 9.0, "degree_rank": 7}
    assert props(annotate(stale), ECO) == props(once, ECO)


def test_stored_centrality_equals_what_top_computes():
    graph = fx.fixture_graph()
    computed = QueryAPI(EmbeddedBackend(graph))  # no stored properties: computed in memory
    stored = QueryAPI(EmbeddedBackend(annotate(fx.fixture_graph())))
    for by in ("mentions", "degree", "betweenness"):
        assert stored.top(by=by, limit=50) == computed.top(by=by, limit=50), by
    pairs = [(e.source, e.target) for e in graph.edges() if isinstance(e.type, RelType)]
    assert {k: v["betweenness"] for k, v in centrality_properties(graph).items() if v["betweenness"]} == {
        k: v for k, v in relation_betweenness(pairs).items() if v}


def test_ranks_are_the_order_top_lists_ties_in():
    graph = annotate(fx.fixture_graph())
    top = QueryAPI(EmbeddedBackend(fx.fixture_graph())).top(by="mentions", limit=100)  # computed, ties by name
    stored = sorted(((n.properties["mentions_rank"], n.key) for n in graph.nodes() if "mentions_rank" in n.properties))
    assert [k for _, k in stored] == [r.entity.key for r in top.rows]
    assert [r for r, _ in stored] == list(range(1, len(stored) + 1))


def test_betweenness_is_sampled_above_the_threshold_with_the_documented_seed(monkeypatch):
    pairs = [(f"n{i:02d}", f"n{i + 1:02d}") for i in range(40)] + [("n05", "n30"), ("n10", "n20")]
    exact = relation_betweenness(pairs)
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_MAX_NODES", 20)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 8)
    sampled = relation_betweenness(list(reversed(pairs)))  # the same sample whatever the order of the pairs
    g = nx.Graph()
    g.add_nodes_from(sorted({k for p in pairs for k in p}))
    g.add_edges_from(sorted(tuple(sorted(p)) for p in pairs))
    expected = nx.betweenness_centrality(g, k=8, normalized=True, seed=analysis.BETWEENNESS_SEED)
    assert sampled == {k: round(v, 6) for k, v in expected.items()}
    assert sampled != exact


def test_stored_properties_travel_as_node_rows_and_back():
    graph = annotate(fx.fixture_graph())
    node = graph.node(ECO)
    row = node_properties(node)
    assert row["degree"] == 4 and row["betweenness"] == 0.1
    assert node_from_row(node_labels(node), row) == node


def test_a_relationships_first_issue_is_not_shown_as_its_own_property():
    api = QueryAPI(EmbeddedBackend(annotate(fx.fixture_graph())))
    [lead] = api.related("市科技局", rel="LEADS").relationships
    assert lead.properties == {"role": "局长"}


def test_build_stores_the_properties(tmp_path):
    from innograph import api
    from innograph.graph import store

    path = tmp_path / "graph.json"
    api.build([api.sample_path()], path)
    graph = store.load(path)
    entities = [n for n in graph.nodes() if n.label.value not in ("Article", "Issue")]
    assert all({"degree", "betweenness"} <= set(n.properties) for n in entities)
    assert graph_node_digests(graph) == graph_node_digests(annotate(store.load(path)))
    extracted = [e for e in graph.edges() if isinstance(e.type, RelType)]
    assert extracted and all(e.properties["first_issue"] == "hzkj-2024-06" for e in extracted)


# -- Neo4j: served by the indexes, and a database loaded without the properties ---------------
@pytest.fixture(scope="module")
def unannotated_neo4j(load_into_neo4j):
    return QueryAPI(load_into_neo4j(fx.fixture_graph()))


@pytest.mark.neo4j
def test_a_database_without_the_stored_properties_is_answered_by_computing_them(unannotated_neo4j):
    embedded = QueryAPI(EmbeddedBackend(annotate(fx.fixture_graph())))
    assert unannotated_neo4j.backend.ranked_scores("betweenness", None, 5) is None
    assert unannotated_neo4j.backend.first_seen_relationships("hzkj-2024-05") is None
    for by in ("mentions", "degree", "betweenness"):
        assert unannotated_neo4j.top(by=by, limit=20) == embedded.top(by=by, limit=20), by
    for issue in ("hzkj-2024-05", "hzkj-2024-06"):
        assert unannotated_neo4j.issue_diff(issue) == embedded.issue_diff(issue)


@pytest.mark.neo4j
def test_ranked_questions_and_issue_diff_read_indexes_not_labels(unannotated_neo4j):
    backend = unannotated_neo4j.backend
    backend.driver.execute_query(cypher.AWAIT_INDEXES, seconds=60, database_=backend.database)
    plans = {f"top {by}": (cypher.q_ranked_scores(by, None), {"limit": 10}) for by in cypher.RANKED_PROPERTIES}
    plans["top degree --label Lab"] = (cypher.q_ranked_scores("degree", EntityLabel.Lab), {"limit": 10})
    plans["first-seen entities"] = (cypher.Q_FIRST_SEEN, {"issue": "x"})
    plans["first-seen relationships"] = (cypher.q_first_seen_relationships(), {"issue": "x"})
    for what, (query, params) in plans.items():
        operators = [op for op, _ in backend._explain(query, params)[1]]
        assert not {"NodeByLabelScan", "AllNodesScan", "DirectedRelationshipTypeScan",
                    "UndirectedRelationshipTypeScan", "Sort", "Top"} & set(operators), (what, operators)
        assert any("Index" in op for op in operators), (what, operators)
