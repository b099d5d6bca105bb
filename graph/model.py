"""The graph model: typed node and edge records over a networkx MultiDiGraph.

Every store writer and query backend exchanges :class:`NodeRecord` and :class:`EdgeRecord`;
the networkx graph underneath holds their fields as attributes so networkx algorithms run on
it directly.

Node ids are keys: ``Label:normalised-name`` for entities, ``Article:<doc_id>``,
``Issue:<issue key>``. There is at most one edge per (source, target, type); its evidence
accumulates.

>>> g = InnoGraph()
>>> g.upsert_node(NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室"))
>>> g.node("Lab:之江实验室").name
'之江实验室'
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx
from pydantic import Field

from innograph.models import Evidence, Frozen, MergeReason
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

Scalar = str | int | float | bool


class NodeRecord(Frozen):
    key: str
    label: EntityLabel | ProvenanceLabel
    name: str
    aliases: tuple[str, ...] = ()
    alias_counts: dict[str, int] = Field(default_factory=dict)
    # alias -> why it was merged into this node (empty in a store written before reasons were kept)
    alias_reasons: dict[str, MergeReason] = Field(default_factory=dict)
    mention_count: int = 0
    first_issue: str | None = None
    last_issue: str | None = None
    properties: dict[str, Scalar | None] = Field(default_factory=dict)  # Article/Issue metadata


class EdgeRecord(Frozen):
    source: str
    target: str
    type: RelType | GraphRelType
    evidence: tuple[Evidence, ...] = ()
    count: int = 1
    properties: dict[str, Scalar | None] = Field(default_factory=dict)

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.type.value)


class InnoGraph:
    """A MultiDiGraph whose node and edge attributes are the records' fields."""

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.nx: nx.MultiDiGraph = graph if graph is not None else nx.MultiDiGraph()

    # -- nodes ---------------------------------------------------------------------------
    def upsert_node(self, record: NodeRecord) -> None:
        self.nx.add_node(record.key, **record.model_dump(exclude={"key"}))

    def has_node(self, key: str) -> bool:
        return key in self.nx

    def node(self, key: str) -> NodeRecord:
        return NodeRecord(key=key, **self.nx.nodes[key])

    def nodes(self, label: EntityLabel | ProvenanceLabel | None = None) -> Iterator[NodeRecord]:
        for key, data in self.nx.nodes(data=True):
            if label is None or data["label"] == label:
                yield NodeRecord(key=key, **data)

    # -- edges ---------------------------------------------------------------------------
    def upsert_edge(self, record: EdgeRecord) -> None:
        self.nx.add_edge(record.source, record.target, key=record.type.value,
                         **record.model_dump(exclude={"source", "target"}))

    def edge(self, source: str, target: str, type_: RelType | GraphRelType) -> EdgeRecord | None:
        data = self.nx.get_edge_data(source, target, key=type_.value)
        return None if data is None else EdgeRecord(source=source, target=target, **data)

    def edges(self, type_: RelType | GraphRelType | None = None) -> Iterator[EdgeRecord]:
        for source, target, key, data in self.nx.edges(keys=True, data=True):
            if type_ is None or key == type_.value:
                yield EdgeRecord(source=source, target=target, **data)

    # -- summaries -----------------------------------------------------------------------
    def count_by_label(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, data in self.nx.nodes(data=True):
            label = str(data["label"].value if hasattr(data["label"], "value") else data["label"])
            counts[label] = counts.get(label, 0) + 1
        return dict(sorted(counts.items()))

    def count_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, _, key in self.nx.edges(keys=True):
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    def __len__(self) -> int:
        return self.nx.number_of_nodes()

    @classmethod
    def from_records(cls, nodes: Iterable[NodeRecord], edges: Iterable[EdgeRecord]) -> "InnoGraph":
        graph = cls()
        for node in nodes:
            graph.upsert_node(node)
        for edge in edges:
            graph.upsert_edge(edge)
        return graph
