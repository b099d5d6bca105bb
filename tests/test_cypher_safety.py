"""Ad-hoc Cypher is safe to hand an analyst: decided by the plan, not the text.

Every form below, writes, file and URL reads, administration, procedures outside the allowlist,
hidden behind comments, look-alike characters, several statements or subqueries, exits 2 with
one line, reaches no URL, and leaves the graph exactly as it was. Reads run with a timeout and
a row cap.
"""
from __future__ import annotations

import http.server
import threading

import pytest

from innograph.cli import run
from innograph.loaders.neo4j import Neo4jWriter
from tests import query_fixtures as fx

pytestmark = pytest.mark.neo4j

FORMS = [
    "CREATE (n:Lab {key: 'Lab:x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.name = 'x'",
    "MERGE (n:Lab {key: 'Lab:x'})",
    "MATCH (n) REMOVE n.name",
    "MATCH (n:Lab) SET n:Company",
    "MATCH (n) WITH n LIMIT 1 DELETE n",
    "UNWIND [1] AS x MERGE (:Lab {key: 'Lab:m' + x})",
    "FOREACH (x IN [1] | CREATE (:Lab {key: 'Lab:f'}))",
    "CALL () { CREATE (:Lab {key: 'Lab:y'}) } RETURN 1",
    "MATCH (n) CALL (n) { SET n.x = 1 } RETURN count(*)",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "MATCH (n) WHERE EXISTS { MATCH (n)--() } SET n.y = 1",
    "CALL db.index.fulltext.queryNodes('entity_names', '\"之江\"') YIELD node SET node.x = 1",
    "LOAD CSV FROM 'http://127.0.0.1:{port}/x.csv' AS line RETURN line",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS line RETURN line",
    "MATCH (n) WITH n LIMIT 1 LOAD CSV FROM 'http://127.0.0.1:{port}/' + n.key AS line RETURN line",
    "SHOW TRANSACTIONS",
    "show transactions yield *",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW SETTINGS",
    "SHOW SETTINGS YIELD name, value RETURN name, value",
    "SHOW USERS",
    "SHOW DATABASES",
    "SHOW PROCEDURES",
    "SHOW FUNCTIONS",
    "SHOW SERVERS",
    "USE system SHOW USERS",
    "USE system MATCH (n) RETURN n",
    "CALL db.stats.collect('QUERIES')",
    "CALL db.stats.retrieve('QUERIES')",
    "CALL db.stats.clear('QUERIES')",
    "CALL dbms.listConfig()",
    "CALL dbms.components()",
    "CALL db.createLabel('Galaxy')",
    "CALL db.index.fulltext.drop('entity_names')",
    "CALL db.clearQueryCaches()",
    "CREATE INDEX tampered FOR (n:Lab) ON (n.tampered)",
    "DROP CONSTRAINT lab_key",
    "CREATE CONSTRAINT tampered IF NOT EXISTS FOR (n:Lab) REQUIRE n.tampered IS UNIQUE",
    "ALTER USER neo4j SET PASSWORD 'changed-password'",
    "STOP DATABASE neo4j",
    "/* a comment */ CREATE (:Lab {key: 'Lab:c'})",
    "MATCH (n) // a comment\nDETACH DELETE n",
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
    "RETURN 1; CREATE (:Lab {key: 'Lab:s'})",
    "ＣＲＥＡＴＥ (:Lab {key: 'Lab:fullwidth'})",
    "CRE\u200bATE (:Lab {key: 'Lab:zero-width'})",
    "MATCH (n) DETACH\u00a0DELETE n",
    "PROFILE MATCH (n) DETACH DELETE n",
    "EXPLAIN MATCH (n) DETACH DELETE n",
    "CALL apoc.load.json('http://127.0.0.1:{port}/')",
    "MATCH (n) RETURN n UNION MATCH (n) SET n.z = 1 RETURN n",
]


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"secret,data\n")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def loaded(load_into_neo4j, neo4j_settings, neo4j_driver):
    load_into_neo4j(fx.fixture_graph())
    return Neo4jWriter(neo4j_settings, driver=neo4j_driver)


@pytest.fixture
def cli_env(neo4j_settings, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)


@pytest.mark.parametrize("form", FORMS)
def test_anything_but_a_read_of_the_graph_is_refused_and_changes_nothing(form, loaded, endpoint, cli_env, capsys):
    assert len(FORMS) >= 40
    assert run(["cypher", form.replace("{port}", str(endpoint))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(("innograph: error: refused: the query ", "innograph: error: Neo4j rejected the query: ")), err
    assert _Recorder.requests == []
    assert loaded.verify(fx.fixture_graph()).differences() == []


READS = [
    ("CALL db.labels() YIELD label RETURN label ORDER BY label LIMIT 1", "label\nAgency\n"),
    ("CALL db.index.fulltext.queryNodes('entity_names', '\"之江\"') YIELD node RETURN count(node) AS n", "n\n3\n"),
    ("/* a comment */ MATCH (n:Lab) RETURN count(n) AS labs", "labs\n1\n"),
]


@pytest.mark.parametrize("query, csv_text", READS)
def test_reads_and_allowlisted_procedures_run(query, csv_text, loaded, cli_env, capsys):
    assert run(["cypher", query, "--format", "csv"]) == 0
    assert capsys.readouterr().out == csv_text


def test_a_query_past_the_row_cap_stops_with_a_clear_line(loaded, cli_env, monkeypatch, capsys):
    monkeypatch.setenv("INNOGRAPH_CYPHER_MAX_ROWS", "5")
    assert run(["cypher", "UNWIND range(1, 20000000) AS x RETURN x", "--format", "csv"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "x\n1\n2\n3\n4\n5\n"  # streamed: the rows before the cap are out
    assert captured.err == ("innograph: error: the query returns more than 5 rows, the most the cypher command gives: "
                            "add LIMIT or aggregate, or raise INNOGRAPH_CYPHER_MAX_ROWS\n")


def test_the_row_cap_keeps_json_output_whole(loaded, cli_env, monkeypatch, capsys):
    import json

    monkeypatch.setenv("INNOGRAPH_CYPHER_MAX_ROWS", "2")
    assert run(["cypher", "UNWIND range(1, 10) AS x RETURN x", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out) == {"columns": ["x"], "rows": [[1], [2]]}


def test_a_query_past_the_timeout_is_stopped(loaded, cli_env, monkeypatch, capsys):
    monkeypatch.setenv("INNOGRAPH_CYPHER_TIMEOUT", "1")
    query = ("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b UNWIND range(1, 3000) AS c "
             "WITH a, b, c WHERE a * b * c = -1 RETURN count(*) AS n")
    assert run(["cypher", query]) == 2
    assert capsys.readouterr().err == ("innograph: error: the query ran longer than 1 s and was stopped: narrow it "
                                       "(LIMIT, an index lookup) or raise INNOGRAPH_CYPHER_TIMEOUT\n")
