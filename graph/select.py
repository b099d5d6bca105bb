"""Parts of a graph that researchers ask for: some labels, some relationship types, one issue,
without provenance, co-mentions seen at least N times. Exports and the view share it.

>>> from tests.graph_fixtures import sample_graph
>>> g = sample_graph()
>>> part = select(g, Selection(provenance=False, types=frozenset({RelType.LEADS})))
>>> sorted(part.count_by_type().items()), "Article" in part.count_by_label()
([('LEADS', 1)], False)
>>> sorted(parse_labels("Lab, university"))
[<EntityLabel.Lab: 'Lab'>, <EntityLabel.University: 'University'>]
>>> parse_types("LEADS,nope")
Traceback (most recent call last):
...
innograph.errors.InputError: unknown relationship type 'nope': use some of LOCATED_IN, PART_OF, MEMBER_OF, ANCHORED_BY, INCUBATED_BY, COLLABORATES_WITH, ISSUED_BY, FUNDED_BY, ORGANIZED_BY, LEADS, AFFILIATED_WITH, MENTIONED_IN, PUBLISHED_IN, CO_MENTIONED
"""
from __future__ import annotations

from pydantic import Field

from innograph.errors import InputError
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Frozen
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

EdgeType = RelType | GraphRelType
_ALL_TYPES: tuple[EdgeType, ...] = tuple(RelType) + tuple(GraphRelType)


class Selection(Frozen):
    """Which part of the graph to keep. ``None`` keeps every label or type."""

    labels: frozenset[EntityLabel] | None = None
    types: frozenset[RelType | GraphRelType] | None = None
    issue: str | None = None
    provenance: bool = True  # Article and Issue nodes, MENTIONED_IN and PUBLISHED_IN edges
    min_count: int = Field(default=1, ge=1)  # CO_MENTIONED edges seen in fewer sentences are dropped

    @property
    def everything(self) -> bool:
        return self == Selection()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def parse_labels(text: str) -> frozenset[EntityLabel]:
    """Entity labels named in ``text`` (comma-separated, any case)."""
    by_name = {l.value.lower(): l for l in EntityLabel}
    labels = set()
    for name in _split(text):
        if name.lower() not in by_name:
            raise InputError(f"unknown label '{name}': use some of {', '.join(l.value for l in EntityLabel)}")
        labels.add(by_name[name.lower()])
    if not labels:
        raise InputError(f"no label given: use some of {', '.join(l.value for l in EntityLabel)}")
    return frozenset(labels)


def parse_types(text: str) -> frozenset[EdgeType]:
    """Relationship types named in ``text`` (comma-separated, any case)."""
    by_name = {t.value.lower(): t for t in _ALL_TYPES}
    types = set()
    for name in _split(text):
        if name.lower() not in by_name:
            raise InputError(f"unknown relationship type '{name}': use some of {', '.join(t.value for t in _ALL_TYPES)}")
        types.add(by_name[name.lower()])
    if not types:
        raise InputError(f"no relationship type given: use some of {', '.join(t.value for t in _ALL_TYPES)}")
    return frozenset(types)


def issue_articles(graph: InnoGraph, issue: str) -> set[str]:
    """Doc ids of the articles published in ``issue``; an issue the graph lacks is an :class:`InputError`."""
    key = f"Issue:{issue}"
    if not graph.has_node(key):
        known = sorted(n.key.split(":", 1)[1] for n in graph.nodes(ProvenanceLabel.Issue))
        raise InputError(f"no issue '{issue}' in the graph: it holds {', '.join(known) or 'no issue'}")
    return {source.split(":", 1)[1] for source, _, k in graph.nx.in_edges(key, keys=True)
            if k == GraphRelType.PUBLISHED_IN.value}


def _in_issue(edge: EdgeRecord, docs: set[str]) -> EdgeRecord | None:
    """The edge restricted to the evidence of ``docs`` (None when it has none there)."""
    if not edge.evidence:
        return edge
    kept = tuple(e for e in edge.evidence if e.doc_id in docs)
    if not kept:
        return None
    return edge if len(kept) == len(edge.evidence) else edge.model_copy(update={"evidence": kept, "count": len(kept)})


def select(graph: InnoGraph, selection: Selection) -> InnoGraph:
    """A new graph with the part of ``graph`` that ``selection`` keeps (``graph`` is not changed)."""
    if selection.everything:
        return graph
    docs = issue_articles(graph, selection.issue) if selection.issue is not None else None
    nodes: dict[str, NodeRecord] = {}
    for node in graph.nodes():
        if isinstance(node.label, ProvenanceLabel):
            if not selection.provenance:
                continue
            if docs is not None and node.key not in {f"Article:{d}" for d in docs} | {f"Issue:{selection.issue}"}:
                continue
        elif selection.labels is not None and node.label not in selection.labels:
            continue
        nodes[node.key] = node
    if docs is not None:  # entities of the issue's articles, with the mentions made there
        mentions: dict[str, int] = {}
        for edge in graph.edges(GraphRelType.MENTIONED_IN):
            if edge.target.split(":", 1)[1] in docs:
                mentions[edge.source] = mentions.get(edge.source, 0) + edge.count
        nodes = {key: (node if isinstance(node.label, ProvenanceLabel)
                       else node.model_copy(update={"mention_count": mentions[key]}))
                 for key, node in nodes.items()
                 if isinstance(node.label, ProvenanceLabel) or key in mentions}
    edges = []
    for edge in graph.edges():
        if edge.source not in nodes or edge.target not in nodes:
            continue
        if selection.types is not None and edge.type not in selection.types:
            continue
        if docs is not None and (edge := _in_issue(edge, docs)) is None:
            continue
        if edge.type is GraphRelType.CO_MENTIONED and edge.count < selection.min_count:
            continue
        edges.append(edge)
    return InnoGraph.from_records(nodes.values(), edges)
