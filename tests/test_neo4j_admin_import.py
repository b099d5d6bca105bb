"""The archive path: ``scripts/neo4j-local import STORE`` writes the store as neo4j-admin CSV (the
loader's rows), stops the server, imports with the real tool from the assembled jars into the
instance's database (replacing what it held), starts it again and verifies; the questions work
on the imported database."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from innograph.config import Neo4jSettings
from innograph.graph import store as embedded
from innograph.graph.model import NodeRecord
from innograph.graph.rows import admin_import_arguments
from innograph.loaders.neo4j import Neo4jWriter
from innograph.ontology import EntityLabel
from tests import query_fixtures as fx

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"
BOLT = int(os.environ.get("NEO4J_THIRD_BOLT_PORT", "7694"))
HTTP = int(os.environ.get("NEO4J_THIRD_HTTP_PORT", "7484"))
PASSWORD = "imported-server-pw"

pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
                                                    reason="no Java for neo4j-admin")]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "NEO4J_DATABASE", "NEO4J_USERNAME")}
    return {**env, "NEO4J_LOCAL_HOME": str(home), "NEO4J_BOLT_PORT": str(BOLT), "NEO4J_HTTP_PORT": str(HTTP),
            "NEO4J_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A running server whose database held another graph, replaced by an import of the fixture store."""
    home = tmp_path_factory.mktemp("neo4j-imported")
    store = tmp_path_factory.mktemp("store") / "graph.json"
    embedded.save(fx.fixture_graph(), store)
    started = subprocess.run([str(SCRIPT), "start"], env=_env(home), capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    settings = Neo4jSettings(uri=f"bolt://127.0.0.1:{BOLT}", password=PASSWORD)
    try:
        other = fx.fixture_graph()
        other.upsert_node(NodeRecord(key="Lab:不在仓库的实验室", label=EntityLabel.Lab, name="不在仓库的实验室"))
        with Neo4jWriter(settings) as writer:
            writer.load(other)
        done = subprocess.run([str(SCRIPT), "import", str(store)], env=_env(home), capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        yield settings, done.stdout
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=_env(home), capture_output=True, text=True, timeout=300)


def test_the_import_replaces_the_database_and_verify_passes(imported):
    _, output = imported
    graph = fx.fixture_graph()
    edges = graph.nx.number_of_edges()
    assert f"ok: Neo4j holds the store's {len(graph)} nodes and {edges} relationships, every property equal" in output
    assert "neo4j-local: import of " in output


def test_an_import_of_no_store_says_so(tmp_path):
    missing = tmp_path / "nothing.json"
    done = subprocess.run([str(SCRIPT), "import", str(missing)], env=_env(tmp_path / "home"), capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, f"neo4j-local: error: no embedded store at {missing}\n")


def test_the_import_report_goes_beside_the_csv(tmp_path):
    assert f"--report-file={tmp_path / 'import.report'}" in admin_import_arguments(tmp_path)


def test_an_imported_database_equals_a_loaded_one(imported):
    with Neo4jWriter(imported[0]) as writer:
        assert writer.verify(fx.fixture_graph()).differences() == []


def test_the_questions_and_evidence_recipes_work_on_an_imported_database_once_its_schema_exists(imported):
    from innograph.queries.api import QueryAPI
    from innograph.queries.cookbook import recipe
    from innograph.queries.embedded import EmbeddedBackend
    from innograph.queries.neo4j_backend import Neo4jBackend

    settings, _ = imported
    with Neo4jWriter(settings) as writer:
        assert writer.schema().complete  # neo4j-admin imports data, not indexes: the import ran 'neo4j init'
        backend = Neo4jBackend(writer.driver, settings=settings)
        assert QueryAPI(backend).profile("浙大") == QueryAPI(EmbeddedBackend(fx.fixture_graph())).profile("浙大")
        evidence = recipe("evidence-of-type")
        assert backend.cypher(evidence.query, {"type": "MEMBER_OF"}).rows
