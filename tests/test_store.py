"""The embedded store: malformed stores are one line and exit 2 in every command that reads one;
writes are locked, atomic and durable; concurrent builds keep both issues."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from innograph.cli import run
from innograph.graph import store
from tests import query_fixtures as fx

# Every command that reads the embedded store, with the arguments it needs besides --store.
STORE_COMMANDS = [
    ["aliases"], ["export", "--format", "json", "--out", "{tmp}/out.json"], ["analyze"], ["view", "--out", "{tmp}/v.html"],
    ["load", "--from-store"], ["verify"], ["profile", "浙大"], ["related", "浙大"], ["path", "浙大", "之江实验室"],
    ["members", "生态圈"], ["search", "之江"], ["top"], ["issue-diff", "hzkj-2024-06"],
]

NESTED = "[" * 100_000 + "]" * 100_000


def _valid() -> dict:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"valid-{os.getpid()}.json"
    store.save(fx.fixture_graph(), path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return payload


def _with(**changes) -> str:
    payload = _valid()
    payload.update(changes)
    return json.dumps(payload, ensure_ascii=False)


def _edge_to_nowhere() -> str:
    payload = _valid()
    payload["edges"][0]["target"] = "Lab:不存在"
    return json.dumps(payload, ensure_ascii=False)


def _bad_node() -> str:
    payload = _valid()
    payload["nodes"][0]["mention_count"] = "many"
    return json.dumps(payload, ensure_ascii=False)


REBUILD = "rebuild it with 'innograph build' or pass another store"
# (what the store file holds, the message after "innograph: error: "); {path} is the store.
MALFORMED = [
    (None, "the store {path} is a directory: pass the path of the file 'innograph build' wrote"),
    ("null", "{path} is not an innograph graph store: pass the file 'innograph build' wrote"),
    ("[]", "{path} is not an innograph graph store: pass the file 'innograph build' wrote"),
    ('"a string"', "{path} is not an innograph graph store: pass the file 'innograph build' wrote"),
    ("{not json", "the store {path} is unreadable: it is not JSON (Expecting property name enclosed in double quotes): " + REBUILD),
    (b"\xff\xfe\x00binary", "the store {path} is unreadable: it is not UTF-8 text: " + REBUILD),
    (NESTED, "the store {path} is unreadable: its JSON nests deeper than a store does (12 levels): " + REBUILD),
    (lambda: _with(nodes=None), "the store {path} is unreadable: 'nodes' and 'edges' must be lists: " + REBUILD),
    (lambda: _with(version=999), "the store {path} has version 999; this innograph reads version 1: upgrade innograph"),
    (lambda: _with(version="1"), "the store {path} has version '1'; this innograph reads version 1: " + REBUILD),
    (_edge_to_nowhere, "the store {path} is unreadable: an edge ends at 'Lab:不存在', which has no node record: " + REBUILD),
    (_bad_node, "the store {path} is unreadable: a record does not validate (mention_count: Input should be a valid "
                "integer, unable to parse string as an integer): " + REBUILD),
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=[c[0] for c in STORE_COMMANDS])
@pytest.mark.parametrize("content, message", MALFORMED, ids=[
    "directory", "null", "list", "string", "not-json", "binary", "nested", "nodes-null", "version-999",
    "version-text", "edge-to-missing-node", "invalid-record"])
def test_a_malformed_store_is_one_line_and_exit_2(command, content, message, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    path = tmp_path / "graph.json"
    if content is None:
        path.mkdir()
    else:
        content = content() if callable(content) else content
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert run([*argv, "--store", str(path)]) == 2
    assert capsys.readouterr().err == "innograph: error: " + message.format(path=path) + "\n"


def test_a_store_in_an_unwritable_place_is_one_line(tmp_path, capsys):
    assert run(["build", "--store", "/proc/innograph/graph.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("innograph: error: cannot write the store /proc/innograph/graph.json: ")
    assert err.endswith(": pass a store in a writable directory\n") and err.count("\n") == 1


def test_a_save_sweeps_what_a_killed_save_left_and_leaves_only_the_store(tmp_path):
    path = tmp_path / "graph.json"
    leftover = tmp_path / ".graph.json.abc123.tmp"
    leftover.write_text("half a store", encoding="utf-8")
    other = tmp_path / ".other.json.abc123.tmp"  # another store's: not ours to delete
    other.write_text("x", encoding="utf-8")
    store.save(fx.fixture_graph(), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.json.abc123.tmp", "graph.json"]
    assert store.load(path).count_by_label() == fx.fixture_graph().count_by_label()


ARTICLE = "{title}\n\n{body}\n"


def test_two_builds_into_one_store_at_once_keep_both(tmp_path):
    texts = {
        "alpha": ARTICLE.format(title="之江实验室建设新平台", body="之江实验室与浙江大学共同建设智能计算平台。" * 3),
        "beta": ARTICLE.format(title="西湖大学成立研究院", body="西湖大学与杭州市科学技术局签署合作协议。" * 3),
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    target = tmp_path / "graph.json"
    procs = [subprocess.Popen([sys.executable, "-m", "innograph.cli", "build", str(tmp_path / f"{name}.txt"),
                               "--article", "--store", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for name in texts]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    articles = {n.key for n in store.load(target).nodes() if n.key.startswith("Article:")}
    assert articles == {"Article:alpha", "Article:beta"}


def _full_path(path: Path):
    """The graph the full path (pydantic validation of every record) reads from ``path``."""
    from innograph.graph.model import InnoGraph

    return InnoGraph.from_records(*store._records(path, json.loads(path.read_text(encoding="utf-8"))))


def _attributes(graph) -> tuple[list, list]:
    return list(graph.nx.nodes(data=True)), list(graph.nx.edges(keys=True, data=True))


def test_a_store_as_saved_loads_by_the_fast_path_into_the_graph_the_full_path_reads(tmp_path):
    path = tmp_path / "graph.json"
    graph = fx.fixture_graph()
    store.save(graph, path)
    assert store._fast_graph(json.loads(path.read_text(encoding="utf-8"))) is not None
    loaded = store.load(path)
    assert _attributes(loaded) == _attributes(_full_path(path))
    again = tmp_path / "again.json"
    store.save(loaded, again)
    assert again.read_bytes() == path.read_bytes()


def test_an_older_store_without_merge_reasons_takes_the_full_path_and_loads(tmp_path):
    payload = _valid()
    for node in payload["nodes"]:
        del node["alias_reasons"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    assert store._fast_graph(json.loads(path.read_text(encoding="utf-8"))) is None
    assert _attributes(store.load(path)) == _attributes(_full_path(path))


def _deep_extra() -> dict:
    payload = _valid()
    payload["notes"] = json.loads("[" * 20 + "]" * 20)  # valid JSON, deeper than a store
    return payload


def _duplicate_node() -> dict:
    payload = _valid()
    payload["nodes"].append(payload["nodes"][0])
    return payload


def _bad_evidence() -> dict:
    payload = _valid()
    edge = next(e for e in payload["edges"] if e["evidence"])
    edge["evidence"][0]["start"] = "early"
    return payload


@pytest.mark.parametrize("payload, message", [
    (_deep_extra, "its JSON nests deeper than a store does (12 levels)"),
    (_duplicate_node, "two node records have the same key"),
    (_bad_evidence, "a record does not validate (evidence.0.start: Input should be a valid integer, unable to parse "
                    "string as an integer)"),
], ids=["deep-extra-key", "duplicate-node", "bad-evidence"])
def test_what_the_fast_path_refuses_gets_the_full_paths_message(payload, message, tmp_path):
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(payload(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:
        store.load(path)
    assert str(caught.value) == f"the store {path} is unreadable: {message}: {REBUILD}"
