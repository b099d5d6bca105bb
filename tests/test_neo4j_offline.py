"""Neo4j pieces that need no server: Cypher generation, rows, errors for an unreachable server."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innograph import cypher
from innograph.cli import run
from innograph.loaders.neo4j import disjoint_rounds, edge_rows, node_rows
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType


def test_labels_and_types_only_come_from_the_enums() -> None:
    with pytest.raises(TypeError):
        cypher.merge_nodes("Lab")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher.merge_relationships("KNOWS", cypher.ENTITY, cypher.ENTITY)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher.merge_relationships(RelType.PART_OF, "Entity", cypher.ENTITY)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cypher.create_property_index(EntityLabel.Lab, "name) DETACH DELETE (n")


def test_schema_covers_every_label() -> None:
    statements = cypher.schema_statements()
    for label in (*EntityLabel, *ProvenanceLabel, cypher.ENTITY):
        assert cypher.create_key_constraint(label) in statements
    assert all("IF NOT EXISTS" in s for s in statements)
    assert "'cjk'" in statements[-1] and "n.aliases" in statements[-1]
    assert set(cypher.expected_schema()) >= {cypher.FULLTEXT_INDEX, "lab_key", "article_key", "issue_key", "entity_key", "entity_name"}


def test_rows_are_grouped_by_label_and_by_end_labels() -> None:
    from tests.test_neo4j import sample_graph  # the same synthetic graph the server tests load

    graph = sample_graph()
    nodes = node_rows(graph)
    assert [len(nodes[label]) for label in (EntityLabel.Lab, EntityLabel.University, ProvenanceLabel.Article)] == [2, 2, 1]
    edges = edge_rows(graph)
    assert list(edges) == [  # one group per (type, head end, tail end), in enum order
        (RelType.LOCATED_IN, cypher.ENTITY, cypher.ENTITY),
        (RelType.COLLABORATES_WITH, cypher.ENTITY, cypher.ENTITY),
        (GraphRelType.MENTIONED_IN, cypher.ENTITY, ProvenanceLabel.Article),
        (GraphRelType.PUBLISHED_IN, ProvenanceLabel.Article, ProvenanceLabel.Issue),
    ]
    mentions = edges[(GraphRelType.MENTIONED_IN, cypher.ENTITY, ProvenanceLabel.Article)]
    assert [row["source"] for row in mentions] == ["Lab:之江实验室", "Lab:西湖实验室", "University:浙江大学", "University:西湖大学"]
    assert mentions[2]["props"]["evidence_sentences"] == ["之江实验室与浙江大学共同建设智能计算平台。"]


def test_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "whatever-password")
    assert run(["neo4j", "schema", "--uri", "bolt://127.0.0.1:9"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("innograph: error: cannot connect to Neo4j at bolt://127.0.0.1:9: ")
    assert err.endswith(" — start it with 'scripts/neo4j-local start' or set NEO4J_URI\n")
    assert err.count("\n") == 1


SECRET = "s3cret-pw"

# A URI the driver cannot use is one line, exit 4, and never shows a password it holds.
BAD_URIS = [
    ("http://127.0.0.1:7474", "'http://127.0.0.1:7474': not a Bolt URI: use bolt://HOST:PORT or neo4j://HOST:PORT"),
    ("bolt://::::", "'bolt://::::': it does not parse (Port could not be cast to integer value as ':::')"),
    (f"bolt://neo4j:{SECRET}@127.0.0.1:7687", "'bolt://neo4j:***@127.0.0.1:7687': it holds credentials: "
                                             "give the user and password in NEO4J_USERNAME and NEO4J_PASSWORD instead"),
    (f"neo4j://{SECRET}@127.0.0.1", "'neo4j://***@127.0.0.1': it holds credentials: "
                                    "give the user and password in NEO4J_USERNAME and NEO4J_PASSWORD instead"),
    ("bolt://127.0.0.1:7687?policy=x", "'bolt://127.0.0.1:7687?policy=x': only neo4j:// URIs take a routing context after '?'"),
    ("bolt://[::1:7687", "'bolt://[::1:7687': it does not parse (Invalid IPv6 URL)"),
    ("bolt://", "'bolt://': it names no host"),
    ("bolt://127.0.0.1:7687/db", "'bolt://127.0.0.1:7687/db': a Bolt URI has no path or fragment"),
    ("bolt://127.0.0.1:99999", "'bolt://127.0.0.1:99999': it does not parse (Port out of range 0-65535)"),
    ("127.0.0.1:7687", "'127.0.0.1:7687': not a Bolt URI: use bolt://HOST:PORT or neo4j://HOST:PORT"),
]


@pytest.mark.parametrize("uri, why", BAD_URIS)
def test_a_uri_the_driver_cannot_use_is_one_line_without_its_password(uri, why, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEO4J_URI", uri)
    assert run(["neo4j", "schema"]) == 4
    err = capsys.readouterr().err
    assert err == f"innograph: error: cannot use the Neo4j URI {why} (e.g. bolt://127.0.0.1:7687)\n"
    assert SECRET not in err


def test_an_unreachable_server_with_credentials_in_a_message_shows_none(monkeypatch, capsys) -> None:
    from innograph.config import Neo4jSettings
    from innograph.loaders.connection import unavailable

    settings = Neo4jSettings(uri=f"bolt://neo4j:{SECRET}@127.0.0.1:9", password=SECRET)
    message = str(unavailable(settings, OSError(f"connect to bolt://neo4j:{SECRET}@127.0.0.1:9 refused")))
    assert SECRET not in message and "bolt://neo4j:***@127.0.0.1:9" in message


def test_the_password_option_warns_that_others_can_see_it(monkeypatch, capsys) -> None:
    assert run(["neo4j", "schema", "--uri", "bolt://127.0.0.1:9", "--password", SECRET]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("innograph: warning: a password on the command line is visible to every user of this machine "
                      "(ps, shell history): set NEO4J_PASSWORD instead")
    assert SECRET not in "".join(err)


def test_load_of_files_and_the_store_at_once_says_what_to_give(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["load", str(tmp_path / "a.txt"), "--from-store"]) == 2
    assert capsys.readouterr().err == "innograph: error: give either article files or --from-store, not both\n"


def test_an_edge_without_its_node_record_is_a_load_error() -> None:
    from innograph.errors import LoadError
    from innograph.graph.model import EdgeRecord, InnoGraph

    graph = InnoGraph()
    graph.upsert_edge(EdgeRecord(source="Lab:甲", target="Lab:乙", type=RelType.PART_OF))
    with pytest.raises(LoadError, match="no node record for it"):
        edge_rows(graph)


def test_settings_read_a_dotenv_file_beneath_the_environment(tmp_path, monkeypatch) -> None:
    from innograph.config import Neo4jSettings

    (tmp_path / ".env").write_text("# compose's file\nNEO4J_URI=bolt://127.0.0.1:7999\nNEO4J_PASSWORD='from file'\n"
                                   "INNOGRAPH_CYPHER_MAX_ROWS=7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "INNOGRAPH_CYPHER_MAX_ROWS"):
        monkeypatch.delenv(name, raising=False)
    settings = Neo4jSettings.from_env()
    assert (settings.uri, settings.password, settings.cypher_max_rows) == ("bolt://127.0.0.1:7999", "from file", 7)
    monkeypatch.setenv("NEO4J_PASSWORD", "from the environment")
    assert Neo4jSettings.from_env().password == "from the environment"


def test_a_bad_limit_setting_is_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("INNOGRAPH_CYPHER_TIMEOUT", "soon")
    assert run(["cypher", "RETURN 1"]) == 2
    assert capsys.readouterr().err == (
        "innograph: error: INNOGRAPH_CYPHER_TIMEOUT is not usable: Input should be a valid number, "
        "unable to parse string as a number\n")


def test_an_alias_table_that_is_not_utf8_is_one_line(tmp_path, capsys) -> None:
    table = tmp_path / "aliases.csv"
    table.write_bytes("label,alias,canonical,note\nUniversity,浙大,浙江大学,\n".encode("gb18030"))
    from innograph.graph import store
    from tests import query_fixtures as fx

    store.save(fx.fixture_graph(), tmp_path / "graph.json")
    assert run(["aliases", "--aliases", str(table), "--store", str(tmp_path / "graph.json")]) == 2
    assert capsys.readouterr().err == f"innograph: error: the alias table {table} is not UTF-8 text: save it as UTF-8 CSV\n"


@given(pairs=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=80),
       workers=st.integers(1, 4), size=st.integers(1, 9))
def test_relationship_rounds_hold_every_row_once_and_no_two_batches_of_a_round_share_an_end(pairs, workers, size):
    rows = [{"source": f"n{a}", "target": f"n{b}", "i": i} for i, (a, b) in enumerate(pairs)]
    rounds = list(disjoint_rounds(rows, workers, size))
    assert sorted(r["i"] for round_ in rounds for batch in round_ for r in batch) == list(range(len(rows)))
    for round_ in rounds:
        assert 1 <= len(round_) <= workers and all(1 <= len(batch) <= size for batch in round_)
        ends = [{r["source"] for r in batch} | {r["target"] for r in batch} for batch in round_]
        assert all(not ends[i] & ends[j] for i in range(len(ends)) for j in range(i + 1, len(ends)))
