"""The embedded default store: one JSON file of node and edge records.

Writes go to a temporary file that replaces the store only when complete, so a failed
run never leaves a half-written store.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from innograph.errors import StoreError
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord

FORMAT = "innograph-graph"
VERSION = 1
DEFAULT_STORE = Path(".innograph") / "graph.json"


def default_store() -> Path:
    """The store path: ``$INNOGRAPH_STORE`` or ``.innograph/graph.json`` under the working directory."""
    return Path(os.environ.get("INNOGRAPH_STORE", DEFAULT_STORE))


def save(graph: InnoGraph, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "nodes": [n.model_dump(mode="json") for n in sorted(graph.nodes(), key=lambda n: n.key)],
        "edges": [e.model_dump(mode="json") for e in sorted(graph.edges(), key=lambda e: e.ident)],
    }
    fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path) -> InnoGraph:
    if not path.exists():
        raise StoreError(f"no graph store at {path}: run 'innograph build' first or pass --store PATH")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != FORMAT:
            raise StoreError(f"{path} is not an innograph graph store: pass the file 'innograph build' wrote")
        nodes = [NodeRecord.model_validate(n) for n in payload["nodes"]]
        edges = [EdgeRecord.model_validate(e) for e in payload["edges"]]
    except (json.JSONDecodeError, KeyError, ValidationError, UnicodeDecodeError) as exc:
        raise StoreError(f"graph store {path} is unreadable ({type(exc).__name__}): rebuild it with 'innograph build'") from exc
    return InnoGraph.from_records(nodes, edges)


def load_or_empty(path: Path) -> InnoGraph:
    return load(path) if path.exists() else InnoGraph()
