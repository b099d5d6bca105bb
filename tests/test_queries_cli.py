"""The query commands: tables by default, ``--format json`` = ``model_dump(mode="json")``, one-line errors."""
from __future__ import annotations

import csv
import io
import json

import pytest

from innograph.cli import run
from innograph.graph import store
from innograph.queries.api import QueryAPI, default_backend_kind
from innograph.queries.embedded import EmbeddedBackend
from tests import query_fixtures as fx


@pytest.fixture(params=["graph.db", "graph.json"])
def graph_store(request, tmp_path, monkeypatch):
    """The fixture graph in a SQLite store (asked by SQL) and in a JSON one (loaded into memory)."""
    path = tmp_path / request.param
    store.save(fx.fixture_graph(), path)
    monkeypatch.setenv("INNOGRAPH_STORE", str(path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return path


@pytest.fixture
def api(graph_store) -> QueryAPI:
    """The in-memory backend over the store's graph: what the command on either store must print."""
    return QueryAPI(EmbeddedBackend(store.load(graph_store)))


@pytest.mark.parametrize("argv, call", [
    (["profile", "浙大"], lambda api: api.profile("浙大")),
    (["related", "之江", "--rel", "co_mentioned"], lambda api: api.related("之江", rel="CO_MENTIONED")),
    (["related", "市科技局", "--direction", "in", "--label", "Person"],
     lambda api: api.related("市科技局", direction="in", label="Person")),
    (["path", "海康威视", "浙大", "--max-hops", "3"], lambda api: api.path("海康威视", "浙大", max_hops=3)),
    (["path", "零磁医疗", "楼秀华", "--co-mentions"], lambda api: api.path("零磁医疗", "楼秀华", co_mentions=True)),
    (["members", "生态圈"], lambda api: api.members("生态圈")),
    (["search", "杭", "-n", "3"], lambda api: api.search("杭", limit=3)),
    (["top", "--by", "degree", "--issue", "hzkj-2024-06"], lambda api: api.top(by="degree", issue="hzkj-2024-06")),
    (["issue-diff", "hzkj-2024-05"], lambda api: api.issue_diff("hzkj-2024-05")),
])
def test_json_output_is_the_result_model(api, capsys, argv, call):
    assert run([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == call(api).model_dump(mode="json")


@pytest.mark.parametrize("argv, shows", [
    (["profile", "市科技局"], ["杭州市科学技术局", "Agency", "市科技局", "LEADS", "楼秀华"]),
    (["members", "生态圈"], ["anchor", "之江实验室", "member"]),
    (["search", "之江"], ["之江实验室", "alias", "substring"]),
    (["top"], ["top by mentions", "之江实验室"]),
    (["path", "零磁医疗", "楼秀华"], ["no connection", "--co-mentions"]),
])
def test_tables_by_default(graph_store, capsys, argv, shows):
    assert run(argv) == 0
    out = capsys.readouterr().out
    for text in shows:
        assert text in out


def test_unknown_name_is_one_line_on_stderr_with_exit_3(graph_store, capsys):
    assert run(["profile", "之江研究"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "innograph: error: no entity named '之江研究'; did you mean 之江 or 之江实验室?\n"


def test_missing_store_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert run(["search", "之江", "--store", str(tmp_path / "none.json")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_default_backend_follows_neo4j_uri(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert default_backend_kind() == "embedded"
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    assert default_backend_kind() == "neo4j"


def test_cypher_on_the_embedded_backend_says_it_needs_neo4j(graph_store, capsys):
    assert run(["cypher", "MATCH (n) RETURN n", "--backend", "embedded"]) == 1
    assert "needs Neo4j" in capsys.readouterr().err


@pytest.fixture
def loaded_neo4j(neo4j_settings, neo4j_driver, monkeypatch):
    from innograph.loaders.neo4j import Neo4jWriter

    writer = Neo4jWriter(neo4j_settings, driver=neo4j_driver)
    writer.clear()
    writer.load(fx.fixture_graph())
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    yield
    writer.clear()


@pytest.mark.neo4j
def test_cypher_command_formats_and_params(loaded_neo4j, capsys):
    query = "MATCH (n) WHERE $alias IN n.aliases RETURN n.name AS name, n.mention_count AS mentions ORDER BY name"
    assert run(["cypher", query, "--param", "alias=之江", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["name", "mentions"], ["之江实验室", "5"], ["之江成果转化基金", "0"]]
    assert run(["cypher", query, "-p", "alias=之江", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"columns": ["name", "mentions"],
                                                   "rows": [["之江实验室", 5], ["之江成果转化基金", 0]]}
    assert run(["cypher", query, "-p", "alias=之江"]) == 0
    assert "之江成果转化基金" in capsys.readouterr().out


@pytest.mark.neo4j
def test_cypher_command_refuses_writes_in_one_line(loaded_neo4j, capsys):
    assert run(["cypher", "MATCH (n) DETACH DELETE n"]) == 2
    assert capsys.readouterr().err == (
        "innograph: error: refused: the query writes; the cypher command runs read-only queries of the graph only\n")


@pytest.mark.neo4j
def test_default_backend_is_neo4j_when_neo4j_uri_is_set(loaded_neo4j, capsys):
    assert run(["profile", "浙大", "--format", "json", "--store", "/nonexistent/graph.json"]) == 0
    assert json.loads(capsys.readouterr().out)["entity"]["name"] == "浙江大学"


# -- a hub's profile: a readable table, the whole JSON -------------------------------------------
def _hub_store(tmp_path, monkeypatch):
    """A region 25 companies are located in and 2 agencies lead... of: the hub of a larger graph."""
    from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
    from innograph.models import Evidence, entity_key
    from innograph.ontology import EntityLabel, RelType

    g = InnoGraph()
    hub = entity_key(EntityLabel.Region, "中心区")
    g.upsert_node(NodeRecord(key=hub, label=EntityLabel.Region, name="中心区", mention_count=1))
    for i in range(25):
        key = entity_key(EntityLabel.Company, f"公司{i:02d}")
        g.upsert_node(NodeRecord(key=key, label=EntityLabel.Company, name=f"公司{i:02d}", mention_count=1))
        g.upsert_edge(EdgeRecord(source=key, target=hub, type=RelType.LOCATED_IN,
                                 evidence=(Evidence(doc_id="d-01", sentence=f"公司{i:02d}位于中心区。", start=0, end=9),)))
    for i in range(2):
        key = entity_key(EntityLabel.Region, f"城区{i}")
        g.upsert_node(NodeRecord(key=key, label=EntityLabel.Region, name=f"城区{i}", mention_count=1))
        g.upsert_edge(EdgeRecord(source=hub, target=key, type=RelType.PART_OF))
    path = tmp_path / "graph.db"
    store.save(g, path)
    monkeypatch.setenv("INNOGRAPH_STORE", str(path))
    monkeypatch.delenv("NEO4J_URI", raising=False)


@pytest.mark.parametrize("argv, listed, hidden, says", [
    ([], 20, 5, ["… 5 more", "relationships (22 of 27)", "5 more not shown: --all lists every one, --format json gives them all"]),
    (["--per-type", "3"], 3, 22, ["… 22 more", "relationships (5 of 27)", "22 more not shown"]),
    (["--per-type", "25"], 25, 0, []),
    (["--all"], 25, 0, []),
])
def test_profile_of_a_hub_lists_the_first_of_each_type(tmp_path, monkeypatch, capsys, argv, listed, hidden, says):
    _hub_store(tmp_path, monkeypatch)
    assert run(["profile", "中心区", *argv]) == 0
    out = capsys.readouterr().out
    companies = [f"公司{i:02d}" for i in range(25)]
    assert [c for c in companies if c in out] == companies[:listed]  # the first by name
    assert "城区0" in out and "城区1" in out  # the other type, in full
    for text in says:
        assert text in out
    if not hidden:
        assert "more" not in out


def test_profile_json_of_a_hub_has_every_relationship(tmp_path, monkeypatch, capsys):
    _hub_store(tmp_path, monkeypatch)
    assert run(["profile", "中心区", "--format", "json"]) == 0
    profile = json.loads(capsys.readouterr().out)
    assert len(profile["incoming"]["LOCATED_IN"]) == 25 and len(profile["outgoing"]["PART_OF"]) == 2


def test_profile_help_says_what_the_table_leaves_out(capsys):
    assert run(["profile", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    for text in ("--per-type", "--all", "List every relationship in the table.", "counted in a '… K more' row",
                 "--format json gives every relationship"):
        assert text in out
