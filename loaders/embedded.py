"""The embedded store as a :class:`~innograph.loaders.base.GraphStore`: the SQLite file (or a
legacy JSON file) of :mod:`innograph.graph.store`, written under its lock.

>>> import tempfile
>>> from pathlib import Path
>>> from innograph.graph.model import InnoGraph, NodeRecord
>>> from innograph.ontology import EntityLabel
>>> graph = InnoGraph.from_records([NodeRecord(key="Lab:x", label=EntityLabel.Lab, name="x")], [])
>>> embedded = EmbeddedStore(Path(tempfile.mkdtemp()) / "graph.db")
>>> isinstance(embedded, GraphStore), embedded.write(graph).rows, embedded.read().count_by_label()
(True, 1, {'Lab': 1})
"""
from __future__ import annotations

import time
from pathlib import Path

from innograph.graph import store
from innograph.graph.model import InnoGraph
from innograph.loaders.base import GraphStore, LoadReport


class EmbeddedStore:
    """The store file at ``path`` (SQLite, or JSON for a ``.json`` path)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> InnoGraph:
        return store.load(self.path)

    def write(self, graph: InnoGraph) -> LoadReport:
        started = time.perf_counter()
        with store.locked(self.path):
            store.save(graph, self.path)
        return LoadReport(target=f"the embedded store {self.path}", nodes=graph.count_by_label(),
                          edges=graph.count_by_type(), batch_size=len(graph) or 1,
                          seconds=time.perf_counter() - started)


__all__ = ["EmbeddedStore", "GraphStore"]
