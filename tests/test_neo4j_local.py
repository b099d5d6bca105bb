"""scripts/neo4j-local as an analyst uses it: a second server on a non-default port advertises
that port, keeps its files to its owner, refuses file URLs in LOAD CSV, restarts a server whose
pid is alive but whose Bolt is not, and assembles cypher-shell."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"
BOLT = int(os.environ.get("NEO4J_SECOND_BOLT_PORT", "7693"))
HTTP = int(os.environ.get("NEO4J_SECOND_HTTP_PORT", "7483"))
PASSWORD = "second-server-pw"

pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
                                                    reason="no Java for a local Neo4j server")]


def _script(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NEO4J_LOCAL_HOME": str(home), "NEO4J_BOLT_PORT": str(BOLT),
                   "NEO4J_HTTP_PORT": str(HTTP), "NEO4J_PASSWORD": PASSWORD, **env}
    return subprocess.run([str(SCRIPT), *args], env=environment, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def second_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("neo4j-second")
    started = _script(home, "start")
    assert started.returncode == 0, started.stderr
    yield home
    _script(home, "stop")


def test_a_server_on_another_port_advertises_that_port(second_server):
    from neo4j import GraphDatabase

    with GraphDatabase.driver(f"neo4j://127.0.0.1:{BOLT}", auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("CALL dbms.routing.getRoutingTable({}, 'neo4j') YIELD servers "
                                             "UNWIND servers AS s UNWIND s.addresses AS a RETURN DISTINCT a")
        assert {r["a"] for r in records} == {f"127.0.0.1:{BOLT}"}
        records, _, _ = driver.execute_query("RETURN 1 AS one")  # routed through the advertised address
        assert records[0]["one"] == 1


def test_the_instance_files_are_the_owners_only(second_server):
    assert stat.S_IMODE((second_server / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((second_server / "data" / "dbms" / "auth.ini").stat().st_mode) == 0o600
    assert stat.S_IMODE((second_server / "conf" / "neo4j.conf").stat().st_mode) == 0o600
    assert not list((second_server / "run").glob("*password*"))  # the argument file is gone


def test_load_csv_may_not_read_server_files(second_server):
    conf = (second_server / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    assert "dbms.security.allow_csv_import_from_file_urls=false" in conf.splitlines()


def test_start_after_a_kill_starts_a_server_and_leaves_a_reused_pid_alone(second_server):
    """After kill -9 the pid file may name another live program (a reused pid) or a zombie:
    start must not answer "already running", and must not stop that program."""
    assert _script(second_server, "stop").returncode == 0
    impostor = subprocess.Popen(["sleep", "600"])  # a live pid with no Bolt behind it
    try:
        (second_server / "run" / "neo4j.pid").write_text(f"{impostor.pid}\n", encoding="utf-8")
        assert _script(second_server, "status").returncode == 3
        started = _script(second_server, "start")
        assert started.returncode == 0, started.stderr
        assert "the pid file names no server of this instance" in started.stdout and "started Neo4j" in started.stdout
        assert _script(second_server, "status").returncode == 0
        assert impostor.poll() is None  # still running: not ours to stop
    finally:
        impostor.kill()
        impostor.wait()


def test_cypher_shell_is_assembled_and_logs_in_without_a_password_argument(second_server):
    shell = subprocess.run([str(SCRIPT), "shell", "--format", "plain"], input="RETURN 1 AS one;\n",
                           env={**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{BOLT}", "NEO4J_PASSWORD": PASSWORD},
                           capture_output=True, text=True, timeout=300)
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["one", "1"]
