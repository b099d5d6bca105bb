"""The Neo4j store against a real server: schema, load, idempotence, concurrency, full-text, errors."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from innograph import cypher
from innograph.cli import run
from innograph.config import Neo4jSettings
from innograph.errors import InnographError
from innograph.graph import store as embedded
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.loaders.neo4j import Neo4jWriter
from innograph.models import Evidence
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

pytestmark = pytest.mark.neo4j

ARTICLE = "Article:hzkj-2024-06-01"
ISSUE = "Issue:hzkj-2024-06"


def _entity(label: EntityLabel, name: str, aliases: tuple[str, ...] = (), mentions: int = 1) -> NodeRecord:
    return NodeRecord(
        key=f"{label.value}:{name}", label=label, name=name, aliases=aliases,
        alias_counts={a: 1 for a in aliases}, mention_count=mentions,
        first_issue="hzkj-2024-06", last_issue="hzkj-2024-06",
    )


def _mentioned(key: str, sentence: str, start: int) -> EdgeRecord:
    return EdgeRecord(
        source=key, target=ARTICLE, type=GraphRelType.MENTIONED_IN,
        evidence=(Evidence(doc_id="hzkj-2024-06-01", sentence=sentence, start=start, end=start + len(sentence)),),
    )


def sample_graph() -> InnoGraph:
    """A few labs and universities, an article in an issue, evidence in Chinese, a collaboration."""
    s1 = "之江实验室与浙江大学共同建设智能计算平台。"
    s2 = "西湖实验室依托西湖大学建设。"
    nodes = [
        _entity(EntityLabel.Lab, "之江实验室", ("之江",), 3),
        _entity(EntityLabel.Lab, "西湖实验室", (), 1),
        _entity(EntityLabel.University, "浙江大学", ("浙大",), 2),
        _entity(EntityLabel.University, "西湖大学", (), 1),
        _entity(EntityLabel.Region, "杭州", (), 1),
        NodeRecord(key=ARTICLE, label=ProvenanceLabel.Article, name="打造创新策源地",
                   properties={"doc_id": "hzkj-2024-06-01", "title": "打造创新策源地", "issue_key": "hzkj-2024-06",
                               "page": 12, "section": None}),
        NodeRecord(key=ISSUE, label=ProvenanceLabel.Issue, name="杭州科技 2024年第6期",
                   properties={"journal": "杭州科技", "year": 2024, "number": "第6期"}),
    ]
    edges = [
        _mentioned("Lab:之江实验室", s1, 0),
        _mentioned("University:浙江大学", s1, 0),
        _mentioned("Lab:西湖实验室", s2, 22),
        _mentioned("University:西湖大学", s2, 22),
        EdgeRecord(source=ARTICLE, target=ISSUE, type=GraphRelType.PUBLISHED_IN),
        EdgeRecord(source="Lab:之江实验室", target="University:浙江大学", type=RelType.COLLABORATES_WITH,
                   evidence=(Evidence(doc_id="hzkj-2024-06-01", sentence=s1, start=0, end=len(s1)),), count=1),
        EdgeRecord(source="Lab:之江实验室", target="Region:杭州", type=RelType.LOCATED_IN, count=2,
                   properties={"since": "2017"}),
    ]
    return InnoGraph.from_records(nodes, edges)


def snapshot(writer: Neo4jWriter) -> tuple[list, list]:
    """Every node's labels and properties, every relationship's ends, type and properties."""
    nodes = writer._read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.key")
    rels = writer._read(
        "MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS props ORDER BY a, t, b"
    )
    return nodes, rels


# -- schema ---------------------------------------------------------------------------------
def test_schema_is_created_idempotently(neo4j_writer: Neo4jWriter) -> None:
    first = neo4j_writer.init_schema()
    second = neo4j_writer.init_schema()
    assert first.missing == () and second.complete
    assert {c.name for c in first.constraints} == {c.name for c in second.constraints}
    assert {i.name for i in first.indexes} == {i.name for i in second.indexes}
    constraints = {c.name: c for c in second.constraints}
    for label in (*EntityLabel, *ProvenanceLabel, cypher.ENTITY):
        c = constraints[cypher.constraint_name(label)]
        assert c.kind == "UNIQUENESS" and c.labels_or_types == (label.value,) and c.properties == ("key",)
    [fulltext] = neo4j_writer._read(
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options WHERE name = $name "
        "RETURN labelsOrTypes, properties, options", name=cypher.FULLTEXT_INDEX)
    assert set(fulltext["labelsOrTypes"]) == {label.value for label in EntityLabel}
    assert fulltext["properties"] == ["name", "aliases"]
    assert fulltext["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"


# -- load and verify ------------------------------------------------------------------------
def test_load_writes_the_embedded_counts_and_verifies(neo4j_writer: Neo4jWriter) -> None:
    graph = sample_graph()
    report = neo4j_writer.load(graph, batch_size=2)
    assert report.nodes == graph.count_by_label()
    assert report.edges == graph.count_by_type()
    assert report.rows == len(graph) + graph.nx.number_of_edges() and report.rows_per_second > 0
    assert neo4j_writer.counts() == ({**graph.count_by_label(), "Entity": 5}, graph.count_by_type())
    verdict = neo4j_writer.verify(graph)
    assert verdict.ok, verdict.differences()

    [lab] = neo4j_writer._read("MATCH (n:Lab {key: 'Lab:之江实验室'}) RETURN properties(n) AS p, labels(n) AS labels")
    assert sorted(lab["labels"]) == ["Entity", "Lab"]
    assert lab["p"] == {
        "key": "Lab:之江实验室", "name": "之江实验室", "aliases": ["之江"], "alias_count_names": ["之江"],
        "alias_count_values": [1], "mention_count": 3, "first_issue": "hzkj-2024-06", "last_issue": "hzkj-2024-06",
        "search_key": " 之江实验室 之江 ",  # derived: the name key and alias keys the text index answers lookups from
    }
    [article] = neo4j_writer._read("MATCH (n:Article) RETURN properties(n) AS p")
    assert article["p"]["page"] == 12 and article["p"]["issue_key"] == "hzkj-2024-06" and "section" not in article["p"]
    [evidence] = neo4j_writer._read(
        "MATCH (:University {key: 'University:浙江大学'})-[r:MENTIONED_IN]->(:Article) RETURN properties(r) AS p")
    assert evidence["p"] == {
        "count": 1, "evidence_doc_ids": ["hzkj-2024-06-01"],
        "evidence_sentences": ["之江实验室与浙江大学共同建设智能计算平台。"], "evidence_starts": [0], "evidence_ends": [21],
    }
    [located] = neo4j_writer._read("MATCH (:Lab)-[r:LOCATED_IN]->(:Region) RETURN r.count AS c, r.since AS since")
    assert located == {"c": 2, "since": "2017"}


def test_verify_reports_what_differs(neo4j_writer: Neo4jWriter) -> None:
    graph = sample_graph()
    neo4j_writer.load(graph)
    neo4j_writer.driver.execute_query("MATCH (n:Region) DETACH DELETE n")
    verdict = neo4j_writer.verify(graph)
    assert not verdict.ok
    assert verdict.nodes["Region"].expected == 1 and verdict.nodes["Region"].actual == 0
    assert verdict.edges["LOCATED_IN"].actual == 0
    assert "nodes differ in keys, labels or properties (e.g. Region:杭州)" in verdict.differences()


# Each tampering of a loaded graph: verify sees it, and the fix it names (a sync) undoes it.
TAMPERINGS = [
    "MATCH (n {key: 'Lab:之江实验室'}) SET n.name = '之江'",
    "MATCH (n {key: 'Lab:之江实验室'}) SET n.mention_count = 99",
    "MATCH (n {key: 'University:浙江大学'}) SET n.aliases = ['浙大', '浙江大学城']",
    "MATCH ()-[r:MENTIONED_IN]->() WITH r LIMIT 1 SET r.evidence_sentences = ['改过的句子。']",
    "MATCH (n {key: 'Lab:西湖实验室'}) SET n.tampered = true",
    "MATCH (n {key: 'Lab:西湖实验室'}) SET n:Company",
    "MATCH (n {key: 'Lab:西湖实验室'}) REMOVE n:Entity",
    "CREATE (:Lab:Entity {key: 'Lab:不在库里', name: '不在库里'})",
    "CREATE (:Lab {name: 'no key'})",
    "MATCH (a {key: 'Lab:之江实验室'}), (b {key: 'Lab:西湖实验室'}) CREATE (a)-[:PART_OF {count: 1}]->(b)",
    "MATCH (a {key: 'Lab:之江实验室'})-[r:COLLABORATES_WITH]->(b) CREATE (a)-[:COLLABORATES_WITH {count: 1}]->(b)",
    "MATCH ()-[r:LOCATED_IN]->() DELETE r",
    "MATCH ()-[r:COLLABORATES_WITH]->() SET r.count = 7",
]


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_verify_sees_every_tampering_and_a_sync_undoes_it(neo4j_writer: Neo4jWriter, tampering: str) -> None:
    graph = sample_graph()
    neo4j_writer.load(graph)
    assert neo4j_writer.verify(graph).ok
    neo4j_writer.driver.execute_query(tampering)
    assert not neo4j_writer.verify(graph).ok
    neo4j_writer.load(graph, sync=True)
    assert neo4j_writer.verify(graph).differences() == []


def test_a_sync_after_a_rename_and_a_deletion_leaves_neo4j_equal_to_the_store(neo4j_writer: Neo4jWriter) -> None:
    before = sample_graph()
    neo4j_writer.load(before)
    after = InnoGraph()
    renamed = {"University:浙江大学": "University:浙大"}  # a new alias table row renames the node
    for node in before.nodes():
        if node.key == "Lab:西湖实验室":
            continue  # and a rule change drops this one
        key = renamed.get(node.key, node.key)
        after.upsert_node(node.model_copy(update={"key": key, "name": key.split(":", 1)[1]}))
    for edge in before.edges():
        if "Lab:西湖实验室" in (edge.source, edge.target):
            continue
        after.upsert_edge(edge.model_copy(update={"source": renamed.get(edge.source, edge.source),
                                                  "target": renamed.get(edge.target, edge.target)}))
    assert not neo4j_writer.verify(after).ok
    report = neo4j_writer.load(after, sync=True)
    assert report.nodes_deleted == 2  # the old 浙江大学 and 西湖实验室
    assert neo4j_writer.verify(after).differences() == []
    again = neo4j_writer.load(after, sync=True)  # idempotent
    assert (again.nodes_deleted, again.relationships_deleted) == (0, 0)


def test_reloading_the_same_graph_changes_nothing(neo4j_writer: Neo4jWriter) -> None:
    graph = sample_graph()
    neo4j_writer.load(graph, batch_size=3)
    before = snapshot(neo4j_writer)
    counts = neo4j_writer.counts()
    neo4j_writer.load(graph, batch_size=5)
    assert neo4j_writer.counts() == counts
    assert snapshot(neo4j_writer) == before
    assert neo4j_writer.verify(graph).ok


def test_a_later_merged_graph_replaces_aliases_and_counts(neo4j_writer: Neo4jWriter) -> None:
    neo4j_writer.load(sample_graph())
    merged = sample_graph()
    merged.upsert_node(NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室",
                                  aliases=("之江", "ZJLab"), alias_counts={"之江": 1, "ZJLab": 2}, mention_count=7,
                                  first_issue="hzkj-2024-06", last_issue="hzkj-2024-07"))
    neo4j_writer.load(merged)
    [lab] = neo4j_writer._read("MATCH (n:Lab {key: 'Lab:之江实验室'}) RETURN n AS n")
    assert lab["n"]["aliases"] == ["之江", "ZJLab"] and lab["n"]["mention_count"] == 7
    assert lab["n"]["last_issue"] == "hzkj-2024-07"
    assert neo4j_writer.verify(merged).ok


def test_concurrent_loads_of_overlapping_graphs_make_no_duplicates(
    neo4j_writer: Neo4jWriter, neo4j_settings: Neo4jSettings
) -> None:
    def graph(offset: int) -> InnoGraph:
        base = sample_graph()
        for i in range(offset, offset + 60):  # 30 shared labs between the two graphs
            key = f"Lab:实验室{i:03d}"
            base.upsert_node(_entity(EntityLabel.Lab, f"实验室{i:03d}"))
            base.upsert_edge(_mentioned(key, f"实验室{i:03d}参与研究。", i))
            base.upsert_edge(EdgeRecord(source=key, target="University:浙江大学", type=RelType.COLLABORATES_WITH))
        return base

    first, second = graph(0), graph(30)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def load(g: InnoGraph) -> None:
        try:
            with Neo4jWriter(neo4j_settings) as writer:
                barrier.wait()
                writer.load(g, batch_size=7)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(g,)) for g in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert neo4j_writer._read(cypher.DUPLICATE_KEYS, limit=5) == []
    union = sample_graph()
    for g in (first, second):
        for node in g.nodes():
            union.upsert_node(node)
        for edge in g.edges():
            union.upsert_edge(edge)
    assert len(union) == 7 + 90
    assert neo4j_writer.counts() == ({**union.count_by_label(), "Entity": 95}, union.count_by_type())
    assert neo4j_writer.verify(union).ok


# -- full-text ------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "key"), [
    ("之江实验室", "Lab:之江实验室"),
    ("浙大", "University:浙江大学"),  # a two-character alias
    ("西湖大学", "University:西湖大学"),
])
def test_fulltext_finds_chinese_names_and_aliases(neo4j_writer: Neo4jWriter, query: str, key: str) -> None:
    neo4j_writer.load(sample_graph())
    hits = neo4j_writer._read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score RETURN node.key AS key ORDER BY score DESC",
        index=cypher.FULLTEXT_INDEX, q=query)
    assert hits and hits[0]["key"] == key


# -- command line ---------------------------------------------------------------------------
def test_cli_loads_the_store_and_verifies_it(
    neo4j_writer: Neo4jWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graph.json"
    embedded.save(sample_graph(), path)
    assert run(["load", "--from-store", "--store", str(path), "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "loaded 7 nodes and 7 relationships" in out
    assert run(["verify", "--store", str(path)]) == 0
    assert "ok: Neo4j holds the store's 7 nodes and 7 relationships" in capsys.readouterr().out

    neo4j_writer.driver.execute_query("MATCH ()-[r:PUBLISHED_IN]->() DELETE r")
    assert run(["verify", "--store", str(path)]) == 5
    err = capsys.readouterr().err
    assert err.startswith("innograph: error: Neo4j differs from the store (PUBLISHED_IN relationships: 1 in the store, 0 in Neo4j;")
    assert run(["load", "--store", str(path)]) == 0
    assert run(["verify", "--store", str(path)]) == 0


def test_cli_init_and_schema(neo4j_writer: Neo4jWriter, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["neo4j", "init"]) == 0
    assert capsys.readouterr().out.startswith(f"schema ready: {len(cypher.KEY_LABELS)} constraints")
    assert run(["neo4j", "schema"]) == 0
    out = capsys.readouterr().out
    assert "entity_names" in out and "FULLTEXT" in out and "missing" not in out


def test_cli_bad_credentials_is_one_line(neo4j_driver, neo4j_settings: Neo4jSettings, monkeypatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    code = run(["neo4j", "schema", "--uri", neo4j_settings.uri, "--username", "neo4j"])
    assert code == 4
    assert capsys.readouterr().err == (
        f"innograph: error: Neo4j refused the credentials for user 'neo4j' at {neo4j_settings.uri}: "
        "set NEO4J_USERNAME and NEO4J_PASSWORD\n"
    )


def test_cli_unknown_database_is_one_line(neo4j_driver, neo4j_settings: Neo4jSettings,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["neo4j", "schema", "--database", "nosuchdb"]) == 4
    assert capsys.readouterr().err == (
        f"innograph: error: Neo4j at {neo4j_settings.uri} has no database 'nosuchdb': set NEO4J_DATABASE\n"
    )


def test_concurrent_first_loads_into_a_database_without_a_schema_all_succeed(neo4j_writer: Neo4jWriter,
                                                                            neo4j_settings: Neo4jSettings) -> None:
    for statement in cypher.drop_schema_statements():
        neo4j_writer.driver.execute_query(statement)
    assert len(neo4j_writer.schema().missing) == len(cypher.expected_schema())
    graph = sample_graph()
    failures: list[BaseException] = []

    def load() -> None:
        try:
            with Neo4jWriter(neo4j_settings) as writer:  # its own driver, as four 'innograph load' would have
                writer.load(graph, batch_size=2)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert neo4j_writer.schema().complete
    assert neo4j_writer.verify(graph).differences() == []


def _records(graph: InnoGraph) -> tuple[list, list]:
    """The graph's records, properties that are None left out (Neo4j has no null properties)."""
    def node(n: NodeRecord) -> dict:
        return n.model_copy(update={"properties": {k: v for k, v in n.properties.items() if v is not None}}).model_dump(mode="json")

    return (sorted((node(n) for n in graph.nodes()), key=lambda d: d["key"]),
            sorted((e.model_dump(mode="json") for e in graph.edges()), key=lambda d: (d["source"], d["type"], d["target"])))


def test_both_graph_stores_hold_exactly_what_is_written(neo4j_writer: Neo4jWriter, tmp_path: Path) -> None:
    from innograph.loaders.base import GraphStore
    from innograph.loaders.embedded import EmbeddedStore

    graph = sample_graph()
    for graph_store in (EmbeddedStore(tmp_path / "graph.json"), neo4j_writer):
        assert isinstance(graph_store, GraphStore)
        graph_store.write(graph)
        assert _records(graph_store.read()) == _records(graph)


def test_verify_names_the_fix_and_the_fix_works(neo4j_writer: Neo4jWriter, neo4j_settings: Neo4jSettings,
                                                tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    path = tmp_path / "graph.json"
    embedded.save(sample_graph(), path)
    assert run(["load", "--from-store", "--store", str(path)]) == 0
    neo4j_writer.driver.execute_query("MATCH (n {key: 'Lab:之江实验室'}) SET n.name = '之江', n:Company")
    capsys.readouterr()
    assert run(["verify", "--store", str(path)]) == 5
    assert capsys.readouterr().err == (
        "innograph: error: Neo4j differs from the store (Company nodes: 0 in the store, 1 in Neo4j; nodes differ in "
        "keys, labels or properties (e.g. Lab:之江实验室)): run 'innograph load --from-store --sync --store "
        f"{path}' to make Neo4j equal the store\n")
    assert run(["load", "--from-store", "--sync", "--store", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(
        ", after deleting 1 nodes and 0 relationships the store does not have")  # the node with its three
    assert run(["verify", "--store", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "ok: Neo4j holds the store's 7 nodes and 7 relationships, every property equal")


def _sample_api(neo4j_writer: Neo4jWriter, neo4j_settings):  # noqa: ANN202
    from innograph.queries.api import QueryAPI
    from innograph.queries.neo4j_backend import Neo4jBackend

    return QueryAPI(Neo4jBackend(neo4j_writer.driver, neo4j_settings.database, settings=neo4j_settings))


def _answers(api) -> tuple:  # noqa: ANN001
    return (api.search("之江"), api.search("江"), api.search("zj"), api.profile("之江"), api.profile("之江实验室"))


def test_names_are_looked_up_and_searched_without_the_full_text_index(neo4j_writer: Neo4jWriter, neo4j_settings) -> None:
    neo4j_writer.load(sample_graph())
    api = _sample_api(neo4j_writer, neo4j_settings)
    before = _answers(api)
    assert [h.entity.name for h in before[0].hits] == ["之江实验室"]
    neo4j_writer.driver.execute_query(f"DROP INDEX {cypher.FULLTEXT_INDEX} IF EXISTS")
    assert _answers(api) == before  # the text index over search_key answers them
    neo4j_writer.init_schema()


def test_a_database_loaded_before_search_keys_answers_alike_and_says_what_to_do_without_the_full_text_index(
        neo4j_writer: Neo4jWriter, neo4j_settings) -> None:

    neo4j_writer.load(sample_graph())
    api = _sample_api(neo4j_writer, neo4j_settings)
    before = _answers(api)
    neo4j_writer.driver.execute_query(f"MATCH (n:Entity) REMOVE n.{cypher.SEARCH_KEY}")
    assert _answers(api) == before  # the full-text index and a scan of the names instead
    neo4j_writer.driver.execute_query(f"DROP INDEX {cypher.FULLTEXT_INDEX} IF EXISTS")
    with pytest.raises(InnographError) as info:
        api.search("之江")
    assert str(info.value) == ("Neo4j has no full-text index for names yet: run 'innograph neo4j init' "
                               "(or 'innograph load', which creates it)")
    neo4j_writer.clear()
    neo4j_writer.init_schema()


@pytest.mark.parametrize(("query", "params", "operator", "index"), [
    (cypher.Q_LOOKUP_BY_NAME, {"exact": " 之江 "}, "NodeIndexContainsScan", cypher.TEXT_INDEX),
    (cypher.Q_SEARCH_CANDIDATES, {"needle": "江"}, "NodeIndexContainsScan", cypher.TEXT_INDEX),
    (cypher.q_search_ranked(None), {"needle": "江", "exact": " 江 ", "prefix": " 江", "limit": 20},
     "NodeIndexContainsScan", cypher.TEXT_INDEX),
    (cypher.q_search_ranked(EntityLabel.Lab), {"needle": "江", "exact": " 江 ", "prefix": " 江", "limit": 20},
     "NodeIndexContainsScan", cypher.TEXT_INDEX),
    (cypher.Q_FIRST_SEEN, {"issue": "hzkj-2024-06"}, "NodeIndexSeek", "entity_first_issue"),
    (cypher.q_first_seen_relationships(), {"issue": "hzkj-2024-06"}, "DirectedRelationshipIndexSeek",
     "rel_part_of_first_issue"),
])
def test_the_name_and_issue_questions_are_planned_on_their_indexes(neo4j_writer: Neo4jWriter, query: str,
                                                                     params: dict, operator: str, index: str) -> None:
    from innograph.queries.neo4j_backend import plan_operators

    neo4j_writer.load(sample_graph())
    with neo4j_writer.driver.session(database=neo4j_writer.settings.database) as session:
        plan = session.run("EXPLAIN " + query, params).consume().plan
    by_index = {cypher.TEXT_INDEX: "TEXT INDEX n:Entity(search_key)", "entity_first_issue": "RANGE INDEX n:Entity(first_issue)",
                "rel_part_of_first_issue": "RANGE INDEX (a)-[r:PART_OF(first_issue)]->(b)"}
    steps = plan_operators(plan)
    assert any(op == operator and by_index[index] in details for op, details in steps), steps
    assert not any(op in ("AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan") for op, _ in steps), steps


def test_keys_created_by_another_client_after_the_check_are_merged_not_duplicated(
    neo4j_writer: Neo4jWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = sample_graph()
    neo4j_writer.load(graph)
    # The race: every key was absent when checked, and another load has written them since.
    monkeypatch.setattr(neo4j_writer, "_split_new", lambda node, rows: (rows, []))
    neo4j_writer.load(graph, batch_size=2)
    assert neo4j_writer._read(cypher.DUPLICATE_KEYS, limit=5) == []
    assert neo4j_writer.verify(graph).differences() == []


def test_a_load_into_an_empty_database_ends_with_every_index_online(neo4j_writer: Neo4jWriter) -> None:
    neo4j_writer.clear()
    neo4j_writer.init_schema()
    report = neo4j_writer.load(sample_graph(), batch_size=3, workers=3)
    assert neo4j_writer.schema().complete
    assert report.rows == 14 and neo4j_writer.verify(sample_graph()).ok


@pytest.mark.parametrize("relationship_workers", [2, 3])
def test_relationships_written_in_rounds_at_once_load_and_reload_the_same_graph(neo4j_writer: Neo4jWriter,
                                                                               relationship_workers: int) -> None:
    neo4j_writer.clear()
    graph = sample_graph()
    neo4j_writer.load(graph, batch_size=1, workers=2, relationship_workers=relationship_workers)
    assert neo4j_writer.verify(graph).differences() == []
    neo4j_writer.load(graph, batch_size=2, workers=2, relationship_workers=relationship_workers)
    assert neo4j_writer.verify(graph).differences() == []


def test_a_load_with_no_transaction_at_all_is_refused(neo4j_writer: Neo4jWriter) -> None:
    with pytest.raises(InnographError, match="^the number of parallel transactions must be at least 1$"):
        neo4j_writer.load(sample_graph(), workers=0)
    with pytest.raises(InnographError, match="^the number of parallel transactions must be at least 1$"):
        neo4j_writer.load(sample_graph(), relationship_workers=0)
