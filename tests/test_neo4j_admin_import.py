"""The neo4j-admin CSV, imported with the real tool from the assembled jars, is the graph the
loader writes: verify passes and the questions work on the imported database."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from innograph.config import Neo4jSettings
from innograph.graph.rows import admin_import_arguments, write_admin_csv
from innograph.loaders.neo4j import Neo4jWriter
from tests import query_fixtures as fx

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"
BOLT = int(os.environ.get("NEO4J_THIRD_BOLT_PORT", "7694"))
HTTP = int(os.environ.get("NEO4J_THIRD_HTTP_PORT", "7484"))
PASSWORD = "imported-server-pw"

pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
                                                    reason="no Java for neo4j-admin")]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "NEO4J_LOCAL_HOME": str(home), "NEO4J_BOLT_PORT": str(BOLT), "NEO4J_HTTP_PORT": str(HTTP),
            "NEO4J_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    home = tmp_path_factory.mktemp("neo4j-imported")
    assembled = subprocess.run([str(SCRIPT), "assemble"], env=_env(home), capture_output=True, text=True, timeout=600)
    assert assembled.returncode == 0, assembled.stderr
    csv_dir = tmp_path_factory.mktemp("csv")
    write_admin_csv(fx.fixture_graph(), csv_dir)
    conf = home / "conf"
    conf.mkdir()
    (conf / "neo4j.conf").write_text(f"server.directories.data={home / 'data'}\n", encoding="utf-8")
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    done = subprocess.run([java, "-Xmx512m", "-cp", str(ROOT / ".neo4j" / "lib" / "*"), "org.neo4j.cli.AdminTool",
                           *admin_import_arguments(csv_dir)],
                          env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    started = subprocess.run([str(SCRIPT), "start"], env=_env(home), capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    settings = Neo4jSettings(uri=f"bolt://127.0.0.1:{BOLT}", password=PASSWORD)
    try:
        yield settings
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=_env(home), capture_output=True, text=True, timeout=300)


def test_an_imported_database_equals_a_loaded_one(imported):
    with Neo4jWriter(imported) as writer:
        assert writer.verify(fx.fixture_graph()).differences() == []


def test_the_questions_and_evidence_recipes_work_on_an_imported_database_once_its_schema_exists(imported):
    from innograph.queries.api import QueryAPI
    from innograph.queries.cookbook import recipe
    from innograph.queries.embedded import EmbeddedBackend
    from innograph.queries.neo4j_backend import Neo4jBackend

    with Neo4jWriter(imported) as writer:
        writer.init_schema()  # neo4j-admin imports data, not indexes: the full-text index comes from init
        backend = Neo4jBackend(writer.driver, settings=imported)
        assert QueryAPI(backend).profile("浙大") == QueryAPI(EmbeddedBackend(fx.fixture_graph())).profile("浙大")
        evidence = recipe("evidence-of-type")
        assert backend.cypher(evidence.query, {"type": "MEMBER_OF"}).rows
