"""Network analysis of the entity graph: centrality per label, communities, ego networks.

Everything runs on the *entity projection*: an undirected simple graph of the entity nodes
(no Article or Issue nodes) joined by the extracted relationships and CO_MENTIONED edges;
parallel edges between two entities count once. The functions return frozen models; the
CLI only formats them.

>>> from innograph.graph.model import EdgeRecord, NodeRecord
>>> from innograph.ontology import EntityLabel, RelType
>>> g = InnoGraph.from_records(
...     [NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室", aliases=("之江",)),
...      NodeRecord(key="University:浙江大学", label=EntityLabel.University, name="浙江大学")],
...     [EdgeRecord(source="Lab:之江实验室", target="University:浙江大学", type=RelType.COLLABORATES_WITH)])
>>> find_entity(g, "之 江").key
'Lab:之江实验室'
>>> [e.name for e in ego_network(g, "浙江大学").nodes]
['浙江大学', '之江实验室']
"""
from __future__ import annotations

import networkx as nx

from collections import Counter
from collections.abc import Iterable

from innograph.cypher import BETWEENNESS, DEGREE, FIRST_ISSUE, RANK_PROPERTIES, RANKED_PROPERTIES
from innograph.errors import InputError
from innograph.identity import parse_label, resolve
from innograph.graph.model import InnoGraph, NodeRecord
from innograph.models import Frozen
from innograph.ontology import EntityLabel, GraphRelType, RelType
from innograph.text import name_key

LOUVAIN_SEED = 42
ANALYSIS_TYPES: frozenset[str] = frozenset(t.value for t in RelType) | {GraphRelType.CO_MENTIONED.value}
EXTRACTED_TYPES: frozenset[str] = frozenset(t.value for t in RelType)
#: above this many entities (with a relationship) betweenness is estimated from
#: BETWEENNESS_SAMPLES source nodes sampled with seed BETWEENNESS_SEED (networkx's ``k``)
EXACT_BETWEENNESS_MAX_NODES = 1000
BETWEENNESS_SAMPLES = 32
BETWEENNESS_SEED = 0


class Centrality(Frozen):
    key: str
    name: str
    label: EntityLabel
    degree: int  # distinct neighbours in the projection
    degree_centrality: float
    betweenness: float
    mention_count: int


class LabelRanking(Frozen):
    label: EntityLabel
    count: int  # entities of this label
    top: tuple[Centrality, ...]


class CommunityMember(Frozen):
    key: str
    name: str
    label: EntityLabel


class Community(Frozen):
    index: int  # 1 = the largest
    size: int
    members: tuple[CommunityMember, ...]  # by degree, then key


class EgoNode(Frozen):
    key: str
    name: str
    label: EntityLabel
    distance: int


class EgoEdge(Frozen):
    source: str
    target: str
    types: tuple[str, ...]


class EgoNetwork(Frozen):
    center: str
    name: str
    radius: int
    nodes: tuple[EgoNode, ...]  # by distance, then key
    edges: tuple[EgoEdge, ...]


class Analysis(Frozen):
    entities: int
    links: int  # edges of the projection
    label: EntityLabel | None = None
    overall: tuple[Centrality, ...]  # the top entities of every label (or of ``label``) together
    rankings: tuple[LabelRanking, ...]
    communities: tuple[Community, ...]
    ego: EgoNetwork | None = None


def entity_projection(graph: InnoGraph) -> nx.Graph:
    """The undirected entity graph; each edge's ``types`` lists the relationship types joining the pair."""
    projection = nx.Graph()
    # sorted, so that results (Louvain's above all) do not depend on insertion order
    for node in sorted(graph.nodes(), key=lambda n: n.key):
        if isinstance(node.label, EntityLabel):
            projection.add_node(node.key, name=node.name, label=node.label, mention_count=node.mention_count)
    for source, target, key in sorted(graph.nx.edges(keys=True)):
        if key not in ANALYSIS_TYPES or source == target:
            continue
        if source not in projection or target not in projection:
            continue
        if projection.has_edge(source, target):
            projection.edges[source, target]["types"].add(key)
        else:
            projection.add_edge(source, target, types={key})
    return projection


def _rank(entries: list[Centrality]) -> list[Centrality]:
    return sorted(entries, key=lambda c: (-c.degree, -c.betweenness, c.key))


def centrality_scores(graph: InnoGraph, label: EntityLabel | None = None,
                      projection: nx.Graph | None = None) -> list[Centrality]:
    """Every entity (of ``label``) by degree; ties by betweenness, then key.

    Degree centrality and betweenness are computed on the whole projection, then filtered.
    """
    projection = projection if projection is not None else entity_projection(graph)
    degree = nx.degree_centrality(projection) if len(projection) > 1 else {n: 0.0 for n in projection}
    betweenness = nx.betweenness_centrality(projection)
    entries = [
        Centrality(key=key, name=data["name"], label=data["label"], degree=projection.degree(key),
                   degree_centrality=round(degree[key], 6), betweenness=round(betweenness[key], 6),
                   mention_count=data["mention_count"])
        for key, data in projection.nodes(data=True)
        if label is None or data["label"] == label
    ]
    return _rank(entries)


def centrality(graph: InnoGraph, label: EntityLabel | None = None, top: int = 10,
               projection: nx.Graph | None = None) -> tuple[LabelRanking, ...]:
    """Per label (in ontology order), the ``top`` entities by degree (ties: betweenness, then key)."""
    return _rankings(centrality_scores(graph, label, projection), top)


def _rankings(scores: list[Centrality], top: int) -> tuple[LabelRanking, ...]:
    rankings = []
    for lab in EntityLabel:
        entries = [c for c in scores if c.label == lab]
        if entries:
            rankings.append(LabelRanking(label=lab, count=len(entries), top=tuple(entries[:max(top, 0)])))
    return tuple(rankings)


def communities(graph: InnoGraph, projection: nx.Graph | None = None) -> tuple[Community, ...]:
    """Louvain communities (seed 42), largest first; members by degree, then key."""
    projection = projection if projection is not None else entity_projection(graph)
    if len(projection) == 0:
        return ()
    found = nx.community.louvain_communities(projection, seed=LOUVAIN_SEED)
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    result = []
    for index, members in enumerate(ordered, start=1):
        keys = sorted(members, key=lambda k: (-projection.degree(k), k))
        result.append(Community(index=index, size=len(keys), members=tuple(
            CommunityMember(key=k, name=projection.nodes[k]["name"], label=projection.nodes[k]["label"]) for k in keys
        )))
    return tuple(result)


def _entity_names(graph: InnoGraph) -> list[tuple[NodeRecord, str]]:
    pairs = []
    for node in graph.nodes():
        if isinstance(node.label, EntityLabel):
            pairs.append((node, node.name))
            pairs.extend((node, alias) for alias in node.aliases)
    return pairs


class _GraphNames:
    """The graph as a :class:`~innograph.identity.NameIndex`."""

    def __init__(self, graph: InnoGraph) -> None:
        self.graph = graph
        self._by_name: dict[str, list[NodeRecord]] | None = None

    def lookup(self, key: str) -> list[NodeRecord]:
        if self._by_name is None:
            self._by_name = {}
            for node, text in _entity_names(self.graph):
                entry = self._by_name.setdefault(name_key(text), [])
                if node not in entry:
                    entry.append(node)
        return list(self._by_name.get(key, []))

    def entities(self, keys):  # noqa: ANN001, ANN201
        return {k: self.graph.node(k) for k in keys
                if self.graph.has_node(k) and isinstance(self.graph.node(k).label, EntityLabel)}

    def all_names(self) -> list[str]:
        return [text for _, text in _entity_names(self.graph)]


def find_entity(graph: InnoGraph, name: str) -> NodeRecord:
    """The entity whose name, alias, alias-table short form or key is ``name``
    (:func:`innograph.identity.resolve`, as the questions resolve names)."""
    from innograph.graph.aliases import AliasTable

    return resolve(_GraphNames(graph), name, short_forms=lambda: AliasTable.load().short_forms())


def ego_network(graph: InnoGraph, name: str, radius: int = 1, projection: nx.Graph | None = None) -> EgoNetwork:
    """The entities within ``radius`` links of the entity named ``name``, and the links among them."""
    if radius < 0:
        raise InputError(f"an ego network's radius is 0 or more, not {radius}")
    center = find_entity(graph, name)
    projection = projection if projection is not None else entity_projection(graph)
    ego = nx.ego_graph(projection, center.key, radius=radius)
    distance = nx.single_source_shortest_path_length(ego, center.key)
    nodes = sorted(ego.nodes, key=lambda k: (distance[k], k))
    edges = sorted((tuple(sorted((u, v))) for u, v in ego.edges))
    return EgoNetwork(
        center=center.key, name=center.name, radius=radius,
        nodes=tuple(EgoNode(key=k, name=ego.nodes[k]["name"], label=ego.nodes[k]["label"], distance=distance[k])
                    for k in nodes),
        edges=tuple(EgoEdge(source=u, target=v, types=tuple(sorted(ego.edges[u, v]["types"]))) for u, v in edges),
    )


def analyze(graph: InnoGraph, label: EntityLabel | str | None = None, top: int = 10,
            ego: str | None = None, radius: int = 1) -> Analysis:
    """Centrality rankings, communities and (with ``ego``) one entity's ego network."""
    if isinstance(label, str) and not isinstance(label, EntityLabel):
        label = parse_label(label)
    if top < 1:
        raise InputError(f"the number of entities to list must be at least 1, not {top}")
    projection = entity_projection(graph)
    scores = centrality_scores(graph, label, projection)
    return Analysis(
        entities=projection.number_of_nodes(), links=projection.number_of_edges(), label=label,
        overall=tuple(scores[:top]),
        rankings=_rankings(scores, top),
        communities=communities(graph, projection),
        ego=ego_network(graph, ego, radius, projection) if ego is not None else None,
    )


# -- the stored properties the questions rank and diff by -----------------------------------------
def relation_betweenness(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Normalised betweenness over the undirected simple graph of ``pairs``, rounded to 6 places.

    Exact up to :data:`EXACT_BETWEENNESS_MAX_NODES` nodes; above, estimated from
    :data:`BETWEENNESS_SAMPLES` sources sampled with seed :data:`BETWEENNESS_SEED`. Nodes and
    edges are added in sorted order, so the sample is the same whoever gave the pairs.

    >>> relation_betweenness([("a", "b"), ("b", "c")])
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    edges = sorted({tuple(sorted(p)) for p in pairs if p[0] != p[1]})
    graph = nx.Graph()
    graph.add_nodes_from(sorted({k for e in edges for k in e}))
    graph.add_edges_from(edges)
    sampled = graph.number_of_nodes() > EXACT_BETWEENNESS_MAX_NODES
    scores = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLES if sampled else None, normalized=True,
                                       seed=BETWEENNESS_SEED if sampled else None)
    return {node: round(score, 6) for node, score in scores.items()}


def _is_entity(data: dict) -> bool:
    return isinstance(data.get("label"), EntityLabel)


def relation_pairs(graph: InnoGraph) -> list[tuple[str, str]]:
    """(head, tail) of every extracted relationship between two entities."""
    g = graph.nx
    return [(u, v) for u, v, t in g.edges(keys=True)
            if t in EXTRACTED_TYPES and _is_entity(g.nodes[u]) and _is_entity(g.nodes[v])]


def centrality_properties(graph: InnoGraph) -> dict[str, dict[str, int | float]]:
    """Entity key -> {``degree``, ``betweenness``} over the extracted relationships (not co-mentions).

    ``degree`` counts the extracted relationships at the entity, either direction (``top --by
    degree``); ``betweenness`` is :func:`relation_betweenness` of them. Every entity gets both
    (0 when it has no relationship).
    """
    pairs = relation_pairs(graph)
    degree = Counter(k for pair in pairs for k in pair)
    between = relation_betweenness(pairs)
    return {key: {DEGREE: degree.get(key, 0), BETWEENNESS: between.get(key, 0.0)}
            for key, data in graph.nx.nodes(data=True) if _is_entity(data)}


def article_issues(graph: InnoGraph) -> dict[str, str]:
    """doc id -> issue key of every article PUBLISHED_IN an issue."""
    published = GraphRelType.PUBLISHED_IN.value
    return {u.split(":", 1)[1]: v.split(":", 1)[1] for u, v, t in graph.nx.edges(keys=True) if t == published}


def relationship_first_issues(graph: InnoGraph) -> dict[tuple[str, str, str], str]:
    """(head, tail, type) -> the earliest issue of its evidence, for every extracted relationship that has one."""
    issue_of = article_issues(graph)
    out = {}
    for u, v, t, data in graph.nx.edges(keys=True, data=True):
        if t not in EXTRACTED_TYPES:
            continue
        issues = [issue_of[d] for d in (_doc_id(e) for e in data.get("evidence") or ()) if d in issue_of]
        if issues:
            out[(u, v, t)] = min(issues)
    return out


def _doc_id(evidence: object) -> str:
    return evidence["doc_id"] if isinstance(evidence, dict) else evidence.doc_id


def ranks(scores: dict[str, float], names: dict[str, str]) -> dict[str, int]:
    """Key -> rank (1 = best) of the keys scoring > 0: score descending, then name, then key,
    the order ``top`` lists entities in.

    >>> ranks({"a": 1, "b": 3, "c": 1, "d": 0}, {"a": "y", "b": "z", "c": "x", "d": "w"})
    {'b': 1, 'c': 2, 'a': 3}
    """
    ordered = sorted((k for k, s in scores.items() if s > 0), key=lambda k: (-scores[k], names[k], k))
    return {k: i for i, k in enumerate(ordered, start=1)}


_DERIVED_NODE_PROPERTIES = frozenset({DEGREE, BETWEENNESS, *RANK_PROPERTIES.values()})


def annotate(graph: InnoGraph) -> InnoGraph:
    """Store what the questions rank and diff by as properties, once, where the store is written.

    Every entity gets ``degree`` and ``betweenness`` (:func:`centrality_properties`) in its
    ``properties``, and ``mentions_rank``, ``degree_rank``, ``betweenness_rank`` (:func:`ranks`)
    where that score is > 0; every extracted relationship ``first_issue``, the earliest issue of
    its evidence (:func:`relationship_first_issues`). All are recomputed from the whole graph
    on every call, so a merged issue updates them. Returns ``graph``, changed in place.
    """
    nodes = graph.nx.nodes
    centrality = centrality_properties(graph)
    names = {k: nodes[k]["name"] for k in centrality}
    scores = {by: {k: (nodes[k].get(prop, 0) if by == "mentions" else centrality[k][prop]) for k in centrality}
              for by, prop in RANKED_PROPERTIES.items()}
    ranked = {by: ranks(scores[by], names) for by in RANKED_PROPERTIES}
    for key, values in centrality.items():
        data = nodes[key]
        props = {k: v for k, v in (data.get("properties") or {}).items() if k not in _DERIVED_NODE_PROPERTIES}
        props.update(values)
        props.update({RANK_PROPERTIES[by]: ranked[by][key] for by in RANKED_PROPERTIES if key in ranked[by]})
        data["properties"] = props
    firsts = relationship_first_issues(graph)
    for u, v, t, data in graph.nx.edges(keys=True, data=True):
        if t not in EXTRACTED_TYPES:
            continue
        props = {k: x for k, x in (data.get("properties") or {}).items() if k != FIRST_ISSUE}
        if (u, v, t) in firsts:
            props[FIRST_ISSUE] = firsts[(u, v, t)]
        data["properties"] = props
    return graph
