"""The SQLite store: the same graph as the JSON store, one-line errors for what is not one, and a
query backend that asks SQL instead of loading the graph, answering as the in-memory one does.

(Every question of tests/test_queries.py is also asked of the SQLite backend; here: the store
itself, and random graphs for the primitives whose SQL is the most involved.)
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innograph.cli import run
from innograph.graph import sql, sqlite_store, store
from innograph.graph.analysis import annotate
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence
from innograph.ontology import EntityLabel, GraphRelType, RelType
from innograph.queries.api import QueryAPI, open_backend
from innograph.queries.embedded import EmbeddedBackend
from innograph.queries.sqlite_backend import SqliteBackend
from tests import query_fixtures as fx
from tests.test_store import REBUILD, STORE_COMMANDS


def _attributes(graph: InnoGraph) -> tuple[list, list]:
    """Node and edge attributes, order-free."""
    key = lambda row: json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)  # noqa: E731
    return (sorted((store_row for store_row in graph.nx.nodes(data=True)), key=key),
            sorted((store_row for store_row in graph.nx.edges(keys=True, data=True)), key=key))


# -- the same graph as the JSON store ------------------------------------------------------------
@pytest.mark.parametrize("graph", [fx.fixture_graph, lambda: annotate(fx.fixture_graph()), InnoGraph],
                         ids=["fixture", "annotated", "empty"])
def test_a_sqlite_store_holds_the_graph_the_json_store_holds(graph, tmp_path):
    store.save(graph(), tmp_path / "graph.db")
    store.save(graph(), tmp_path / "graph.json")
    assert store.is_sqlite(tmp_path / "graph.db") and not store.is_sqlite(tmp_path / "graph.json")
    from_sqlite, from_json = store.load(tmp_path / "graph.db"), store.load(tmp_path / "graph.json")
    assert _attributes(from_sqlite) == _attributes(from_json) == _attributes(graph())


def test_the_format_is_the_files_not_the_name(tmp_path):
    """load reads either format whatever the file is called; save writes JSON only to a .json path."""
    store.save(fx.fixture_graph(), tmp_path / "graph.db")
    (tmp_path / "graph.db").rename(tmp_path / "store.bin")
    assert _attributes(store.load(tmp_path / "store.bin")) == _attributes(fx.fixture_graph())
    store.save(fx.fixture_graph(), tmp_path / "store")
    assert store.is_sqlite(tmp_path / "store")


NAMES = st.text(alphabet="之江实验室浙大杭州AB ", min_size=1, max_size=6).map(str.strip).filter(bool)


@st.composite
def graphs(draw) -> InnoGraph:
    """Random entity graphs: labels, names with aliases, extracted and co-mention edges with evidence."""
    count = draw(st.integers(1, 9))
    labels = draw(st.lists(st.sampled_from([EntityLabel.Lab, EntityLabel.University, EntityLabel.Company]),
                           min_size=count, max_size=count))
    nodes = [NodeRecord(key=f"{lab.value}:n{i}", label=lab, name=draw(NAMES),
                        aliases=tuple(draw(st.lists(NAMES, max_size=2, unique=True))), mention_count=draw(st.integers(0, 5)))
             for i, lab in enumerate(labels)]
    types = st.sampled_from([RelType.COLLABORATES_WITH, RelType.MEMBER_OF, RelType.PART_OF, GraphRelType.CO_MENTIONED])
    edges = {}
    for _ in range(draw(st.integers(0, 20))):
        a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        t = draw(types)
        evidence = tuple(Evidence(doc_id=f"d{draw(st.integers(0, 2))}", sentence="句子", start=0, end=2)
                         for _ in range(draw(st.integers(0, 2))))
        edges[(a.key, b.key, t)] = EdgeRecord(source=a.key, target=b.key, type=t, evidence=evidence,
                                              count=draw(st.integers(1, 3)))
    return InnoGraph.from_records(nodes, edges.values())


SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(graph=graphs(), annotated=st.booleans())
def test_random_graphs_round_trip_through_sqlite(graph, annotated, tmp_path_factory):
    graph = annotate(graph) if annotated else graph
    path = tmp_path_factory.mktemp("rt") / "graph.db"
    store.save(graph, path)
    assert _attributes(store.load(path)) == _attributes(graph)


def _paths_and_edges(backend, keys, types, max_hops):
    edges = {(k, d): sorted((e.source.key, e.target.key, e.type.value, e.count) for e in backend.edges(k, d, types))
             for k in keys for d in ("in", "out", "both")}
    paths = {(a, b): sorted(backend.shortest_paths(a, b, max_hops, types, cap=10_000)) for a in keys for b in keys}
    return edges, paths


@SLOW
@given(graph=graphs(), co_mentions=st.booleans(), max_hops=st.integers(1, 5))
def test_random_graphs_get_the_same_edges_and_shortest_paths_from_both_embedded_backends(
        graph, co_mentions, max_hops, tmp_path_factory):
    path = tmp_path_factory.mktemp("bfs") / "graph.db"
    store.save(graph, path)
    types = {t.value for t in RelType} | ({GraphRelType.CO_MENTIONED.value} if co_mentions else set())
    keys = sorted(graph.nx.nodes)
    sqlite = SqliteBackend(path)
    try:
        assert _paths_and_edges(sqlite, keys, types, max_hops) == _paths_and_edges(EmbeddedBackend(graph), keys, types,
                                                                                  max_hops)
        memory = EmbeddedBackend(graph)
        for text in ("之", "江实", "A", "浙大 "):
            assert sorted(e.key for e in sqlite.search_candidates(text)) == sorted(
                e.key for e in memory.search_candidates(text))
        for by in ("mentions", "degree", "betweenness"):
            assert sqlite.ranked_scores(by, None, 5) == memory.ranked_scores(by, None, 5)
            assert sqlite.ranked_scores(by, EntityLabel.Lab, 5) == memory.ranked_scores(by, EntityLabel.Lab, 5)
    finally:
        sqlite.close()


# -- the query backend reads SQL, not the graph --------------------------------------------------
def test_open_backend_asks_a_sqlite_store_by_sql_without_loading_it(tmp_path, monkeypatch):
    path = tmp_path / "graph.db"
    store.save(annotate(fx.fixture_graph()), path)

    def refuse(_path):  # noqa: ANN001, ANN202
        raise AssertionError("the SQLite backend loaded the whole store")

    monkeypatch.setattr(store, "load", refuse)
    backend = open_backend("embedded", path)
    assert isinstance(backend, SqliteBackend)
    expected = QueryAPI(EmbeddedBackend(annotate(fx.fixture_graph())))
    api = QueryAPI(backend)
    assert api.profile("浙大") == expected.profile("浙大")
    assert api.path("海康威视", "浙大") == expected.path("海康威视", "浙大")
    assert api.top(by="betweenness") == expected.top(by="betweenness")
    assert api.issue_diff("hzkj-2024-06") == expected.issue_diff("hzkj-2024-06")


def test_open_backend_loads_a_json_store_into_memory(tmp_path):
    path = tmp_path / "graph.json"
    store.save(fx.fixture_graph(), path)
    assert isinstance(open_backend("embedded", path), EmbeddedBackend)


def test_a_backend_opened_before_a_save_keeps_answering_from_the_store_it_opened(tmp_path):
    path = tmp_path / "graph.db"
    store.save(fx.fixture_graph(), path)
    before = SqliteBackend(path)
    smaller = fx.fixture_graph()
    smaller.nx.remove_node(fx.K("浙江大学"))
    store.save(smaller, path)  # renamed over the file the backend has open
    assert [e.name for e in before.lookup("浙大")] == ["浙江大学"]
    assert SqliteBackend(path).lookup("浙大") == []


# -- what is not a store: one line, exit 2 -------------------------------------------------------
def _sqlite_with(path: Path, *statements: str) -> None:
    store.save(fx.fixture_graph(), path)
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _other_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()


MALFORMED_SQLITE = [
    (_other_database, "{path} is not an innograph graph store: pass the file 'innograph build' wrote"),
    (lambda p: _sqlite_with(p, "DROP TABLE names"), "{path} is not an innograph graph store: pass the file 'innograph build' wrote"),
    (lambda p: _sqlite_with(p, "UPDATE meta SET value = 999 WHERE name = 'version'"),
     "the store {path} has version 999; this innograph reads version 1: upgrade innograph"),
    (lambda p: _sqlite_with(p, "UPDATE meta SET value = '1' WHERE name = 'version'"),
     "the store {path} has version '1'; this innograph reads version 1: " + REBUILD),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32),
     "the store {path} is unreadable: it is not a whole SQLite database (file is not a database): " + REBUILD),
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=[c[0] for c in STORE_COMMANDS])
@pytest.mark.parametrize("make, message", MALFORMED_SQLITE, ids=[
    "another-database", "a-table-missing", "version-999", "version-text", "damaged"])
def test_a_malformed_sqlite_store_is_one_line_and_exit_2(command, make, message, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    path = tmp_path / "graph.db"
    make(path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert run([*argv, "--store", str(path)]) == 2
    assert capsys.readouterr().err == "innograph: error: " + message.format(path=path) + "\n"


@pytest.mark.parametrize("statement", [
    "UPDATE nodes SET label = 'Planet' WHERE rowid = 1",
    "UPDATE nodes SET mention_count = 'many' WHERE rowid = 1",
    "UPDATE nodes SET aliases = '{}' WHERE rowid = 1",
    "UPDATE nodes SET properties = 'not json' WHERE rowid = 1",
    "UPDATE edges SET type = 'LIKES' WHERE id = 1",
    "UPDATE edges SET evidence = '{}' WHERE id = 1",
], ids=["label", "mentions-text", "aliases-map", "properties-not-json", "edge-type", "evidence-map"])
def test_a_record_of_the_wrong_type_or_kind_cannot_be_written_into_a_store(statement, tmp_path):
    with pytest.raises((sqlite3.IntegrityError, sqlite3.OperationalError)):  # a CHECK, or json_type refusing it
        _sqlite_with(tmp_path / "graph.db", statement)


def test_an_edge_to_a_missing_node_is_refused_on_load(tmp_path):
    path = tmp_path / "graph.db"
    _sqlite_with(path, "UPDATE edges SET target = 'Lab:不存在' WHERE id = 1")
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert str(caught.value) == (f"the store {path} is unreadable: an edge ends at 'Lab:不存在', which has no node "
                                 f"record: {REBUILD}")


def test_a_record_a_question_cannot_read_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    path = tmp_path / "graph.db"
    _sqlite_with(path, "UPDATE edges SET evidence = '[{\"doc\": 1}]' WHERE type = 'ANCHORED_BY'")
    assert run(["members", "生态圈", "--store", str(path)]) == 2
    assert capsys.readouterr().err == (f"innograph: error: the store {path} is unreadable: a record does not read "
                                       f"(KeyError: 'doc_id'): {REBUILD}\n")


# -- the default store, and the one older versions wrote -----------------------------------------
def _working_folder(tmp_path, monkeypatch, present, env):
    """Work in ``tmp_path`` holding the stores ``present``, with ``$INNOGRAPH_STORE`` = ``env`` (None: unset)."""
    monkeypatch.chdir(tmp_path)
    if env is None:
        monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    else:
        monkeypatch.setenv("INNOGRAPH_STORE", env)
    for name in present:
        store.save(fx.fixture_graph(), Path(name))


@pytest.mark.parametrize("present, env, expected", [
    ((), None, ".innograph/graph.db"),
    ((".innograph/graph.json",), None, ".innograph/graph.json"),
    ((".innograph/graph.json", ".innograph/graph.db"), None, ".innograph/graph.db"),
    ((".innograph/graph.json",), "elsewhere/g.db", "elsewhere/g.db"),
], ids=["none", "only-the-older-json", "both", "env"])
def test_the_default_store(present, env, expected, tmp_path, monkeypatch):
    _working_folder(tmp_path, monkeypatch, present, env)
    assert store.default_store() == Path(expected)


def test_a_sqlite_save_sweeps_leftovers_and_leaves_only_the_store(tmp_path):
    path = tmp_path / "graph.db"
    (tmp_path / ".graph.db.abc123.tmp").write_text("half a store", encoding="utf-8")
    store.save(fx.fixture_graph(), path)
    store.save(fx.fixture_graph(), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.db"]


def test_an_unwritable_sqlite_store_is_one_line(capsys):
    assert run(["build", "--store", "/proc/innograph/graph.db"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("innograph: error: cannot write the store /proc/innograph/graph.db: ")
    assert err.endswith(": pass a store in a writable directory\n") and err.count("\n") == 1


# -- converting a store, and the older default converted before a write ----------------------------
@pytest.mark.parametrize("source_name, target_name, target_is_sqlite", [
    ("graph.json", "graph.db", True),
    ("graph.db", "graph.json", False),
    ("graph.json", "copy.json", False),
], ids=["json-to-sqlite", "sqlite-to-json", "json-to-json"])
def test_convert_writes_the_same_graph_in_the_target_format_and_leaves_the_source(
        source_name, target_name, target_is_sqlite, tmp_path):
    graph = annotate(fx.fixture_graph())
    source, target = tmp_path / source_name, tmp_path / target_name
    store.save(graph, source)
    before = source.read_bytes()
    steps: list[tuple[int, int, str]] = []
    converted = store.convert(source, target, lambda done, total, doing: steps.append((done, total, doing)))
    assert steps == [(0, 2, f"reading {source}"), (1, 2, f"writing {target}"), (2, 2, "")]
    assert store.is_sqlite(target) is target_is_sqlite
    assert _attributes(store.load(target)) == _attributes(graph) == _attributes(converted)
    assert source.read_bytes() == before


def test_convert_refuses_a_target_that_exists_and_writes_nothing(tmp_path, capsys):
    source, target = tmp_path / "graph.json", tmp_path / "graph.db"
    store.save(fx.fixture_graph(), source)
    target.write_bytes(b"something else")
    assert run(["convert", str(source), str(target)]) == 2
    assert capsys.readouterr().err == (f"innograph: error: a store is already at {target}: "
                                       "remove it first or write to another path\n")
    assert target.read_bytes() == b"something else"


def test_convert_of_a_missing_store_is_one_line(tmp_path, capsys):
    assert run(["convert", str(tmp_path / "none.json"), str(tmp_path / "graph.db")]) == 2
    assert capsys.readouterr().err == (f"innograph: error: no graph store at {tmp_path / 'none.json'}: "
                                       "run 'innograph build' first or pass another store\n")
    assert not (tmp_path / "graph.db").exists()


def test_the_convert_command_defaults_to_the_older_store_and_reports(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    graph = fx.fixture_graph()
    store.save(graph, Path(".innograph/graph.json"))
    assert run(["convert", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["source"], report["target"], report["format"]) == (".innograph/graph.json", ".innograph/graph.db", "sqlite")
    assert (report["nodes"], report["edges"]) == (len(graph), graph.nx.number_of_edges())
    assert store.default_store() == Path(".innograph/graph.db")


@pytest.mark.parametrize("present, env, converted", [
    ((), None, False),
    ((".innograph/graph.json",), None, True),
    ((".innograph/graph.json", ".innograph/graph.db"), None, False),
    ((".innograph/graph.json",), "elsewhere/g.db", False),
], ids=["none", "only-the-older-json", "both", "env"])
def test_the_older_default_is_converted_only_where_it_is_the_default(present, env, converted, tmp_path, monkeypatch):
    _working_folder(tmp_path, monkeypatch, present, env)
    before = {name: Path(name).read_bytes() for name in present}
    assert store.upgrade_legacy_default() == (Path(".innograph/graph.json") if converted else None)
    assert {name: Path(name).read_bytes() for name in present} == before  # nothing present is rewritten
    assert Path(".innograph/graph.db").exists() is (converted or ".innograph/graph.db" in present)
    assert not Path("elsewhere/g.db").exists()


def test_a_build_into_the_older_default_converts_it_first_and_keeps_its_articles(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    legacy = fx.fixture_graph()
    store.save(legacy, Path(".innograph/graph.json"))
    article = tmp_path / "article.txt"
    article.write_text("之江实验室与浙江大学签署合作协议，共建智能计算平台。", encoding="utf-8")
    assert run(["build", str(article), "--article", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ("converted the older store .innograph/graph.json to .innograph/graph.db (SQLite), "
                            "the store from now on; .innograph/graph.json is left as it was\n")
    assert json.loads(captured.out)["store"] == ".innograph/graph.db"
    built = store.load(Path(".innograph/graph.db"))
    assert {n.key for n in legacy.nodes()} <= {n.key for n in built.nodes()}
    assert any(n.key.startswith("Article:") and n.key not in {m.key for m in legacy.nodes()} for n in built.nodes())
    assert _attributes(store.load(Path(".innograph/graph.json"))) == _attributes(legacy)


def test_a_load_into_the_older_default_converts_it_before_it_extracts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    store.save(fx.fixture_graph(), Path(".innograph/graph.json"))
    article = tmp_path / "article.txt"
    article.write_text("之江实验室与浙江大学签署合作协议，共建智能计算平台。", encoding="utf-8")
    assert run(["load", str(article), "--uri", "bolt://127.0.0.1:9"]) == 4  # no server there: the store is written first
    first = capsys.readouterr().err.splitlines()[0]
    assert first == ("converted the older store .innograph/graph.json to .innograph/graph.db (SQLite), "
                     "the store from now on; .innograph/graph.json is left as it was")
    assert len(store.load(Path(".innograph/graph.db"))) > len(fx.fixture_graph())


def test_an_edge_list_reads_its_ends_from_the_covering_index(tmp_path):
    path = tmp_path / "graph.db"
    store.save(annotate(fx.fixture_graph()), path)
    conn = sqlite_store.connect(path)
    try:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql.FIRST_SEEN_EDGES, ("hzkj-2024-06",))]
    finally:
        conn.close()
    assert sum("USING COVERING INDEX nodes_ends" in step for step in plan) == 2, plan
