"""What every graph writer (a store other than the embedded one) offers, and what it reports.

>>> r = LoadReport(target="x", nodes={"Lab": 3}, edges={"MENTIONED_IN": 5}, batch_size=100, seconds=2.0)
>>> r.rows, r.rows_per_second
(8, 4.0)
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import computed_field

from innograph.graph.model import InnoGraph
from innograph.models import Frozen


class LoadReport(Frozen):
    """What one load wrote: rows per node label and per relationship type, and how fast."""

    target: str
    nodes: dict[str, int]
    edges: dict[str, int]
    batch_size: int
    seconds: float
    nodes_deleted: int = 0  # by a sync: what Neo4j held and the store did not
    relationships_deleted: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.edges.values())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        """One line: rows written, time, rate."""
        deleted = (f", after deleting {self.nodes_deleted} nodes and {self.relationships_deleted} relationships "
                   "the store does not have" if self.nodes_deleted or self.relationships_deleted else "")
        return (
            f"loaded {sum(self.nodes.values())} nodes and {sum(self.edges.values())} relationships "
            f"into {self.target} in {self.seconds:.1f}s ({self.rows_per_second:,.0f} rows/s, batches of {self.batch_size})"
            + deleted
        )


@runtime_checkable
class GraphStore(Protocol):
    """Where a whole graph lives: the embedded JSON file (:class:`innograph.loaders.embedded.EmbeddedStore`)
    or a Neo4j database (:class:`innograph.loaders.neo4j.Neo4jWriter`), side by side.

    ``write`` makes the store hold exactly ``graph`` (a Neo4j write is a sync); ``read``
    returns what it holds, so ``store.write(g); store.read()`` equals ``g``.
    """

    def read(self) -> InnoGraph: ...

    def write(self, graph: InnoGraph) -> LoadReport: ...


@runtime_checkable
class GraphWriter(Protocol):
    """A store the embedded graph can be written to; writing the same graph twice changes nothing."""

    def write(self, graph: InnoGraph) -> LoadReport: ...
