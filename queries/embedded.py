"""The in-memory backend: the :class:`GraphBackend` primitives over an :class:`InnoGraph`.

It asks a JSON store (loaded whole) and any graph in hand; a SQLite store, the default, is asked
by :class:`innograph.queries.sqlite_backend.SqliteBackend` without loading it (both answer alike).

It reads the networkx graph directly (no record re-validation per node), and keeps indexes
built once per store load: normalised name/alias -> keys, the article -> issue map and the
issue list (at construction); and, on first use, per ranked score the entities sorted by it
(the stored ``degree`` and ``betweenness`` properties, computed here by
:func:`innograph.graph.analysis.centrality_properties` for a graph that does not carry them),
and per issue the entities and relationships first seen in it.
"""
from __future__ import annotations

import gc
import heapq
from collections import defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path

from innograph.errors import InnographError
from innograph.graph.model import InnoGraph
from innograph.cypher import FIRST_ISSUE, RANKED_PROPERTIES
from innograph.ontology import EntityLabel, GraphRelType, edge_type, entity_label
from innograph.queries.backend import (DERIVED_EDGE_PROPERTIES, ENTITY_LABELS, EXTRACTED, FORM_SEPARATOR, Direction,
                                       paths_back, raw_evidence, search_rank)
from innograph.queries.models import (ArticleInfo, CypherResult, EntityRef, EntitySummary, RawEdge,
                                      trusted)
from innograph.text import name_key, name_keys

_MENTIONED_IN = GraphRelType.MENTIONED_IN.value
_PUBLISHED_IN = GraphRelType.PUBLISHED_IN.value


def _label(data: dict) -> str:
    label = data.get("label")
    return getattr(label, "value", label)


def _entity_label(data: dict) -> EntityLabel:
    label = data["label"]
    return label if isinstance(label, EntityLabel) else entity_label(label)


# The records of the store were validated when it was read (or built as validated records): the
# models handed to the API are built without validating them again (models.trusted), and edges and
# evidence go as typed rows, which is most of a question's time when it touches thousands of nodes
# (issue-diff, a one-character search).
class EmbeddedBackend:
    """:class:`GraphBackend` over an :class:`InnoGraph` (the default store, no server)."""

    kind = "embedded"

    def __init__(self, graph: InnoGraph) -> None:
        self.graph = graph
        self.g = graph.nx
        self._entity_keys = [k for k, d in self.g.nodes(data=True) if _label(d) in ENTITY_LABELS]
        by_name: dict[str, set[str]] = defaultdict(set)
        # (key, normalised name and aliases joined by a separator no name has, mentions, name, label)
        # for substring search, ranked without building a summary per candidate
        self._search_rows: list[tuple[str, str, int, str, str]] = []
        for key in self._entity_keys:
            data = self.g.nodes[key]
            forms = name_keys(data["name"], data.get("aliases", ()))
            for form in forms:
                by_name[form].add(key)
            self._search_rows.append((key, FORM_SEPARATOR.join(forms), data.get("mention_count", 0), data["name"],
                                      _label(data)))
        # sorted tuples of keys, not sets: the garbage collector stops walking a tuple of strings,
        # it walks every set (a hundred thousand of them at 100k entities) at each full collection
        self._by_name: dict[str, tuple[str, ...]] = {form: tuple(sorted(keys)) for form, keys in by_name.items()}
        self._article_issue: dict[str, str] = {}
        for source, target, etype in self.g.edges(keys=True):
            if etype == _PUBLISHED_IN:
                self._article_issue[source] = target.split(":", 1)[1]
        self._issues = sorted(k.split(":", 1)[1] for k, d in self.g.nodes(data=True) if _label(d) == "Issue")
        # built on first use
        self._ranked: dict[tuple[str, str | None], list[tuple[str, float]]] = {}
        self._first_seen: dict[str, list[str]] | None = None
        self._centrality: dict[str, dict[str, int | float]] | None = None
        self._refs: dict[str, EntityRef] = {}
        self._first_seen_edges: dict[str, list[tuple[str, str, str, dict]]] | None = None

    @classmethod
    def from_store(cls, path: Path) -> "EmbeddedBackend":
        """The backend over the store at ``path``, for a process that asks it questions.

        The graph is read-only from here on: ``gc.freeze()`` moves it out of the collector's
        generations, so a full collection no longer walks every node and edge of a large store
        in the middle of a question (p95 at 100k entities: 2 s -> 0.2 s for issue-diff).
        """
        from innograph.graph import store

        backend = cls(store.load(path))
        gc.freeze()
        return backend

    # -- nodes -----------------------------------------------------------------------------
    def _summary(self, key: str) -> EntitySummary:
        d = self.g.nodes[key]
        return trusted(EntitySummary, key=key, label=_entity_label(d), name=d["name"],
                       aliases=tuple(d.get("aliases", ())), mention_count=d.get("mention_count", 0),
                       first_issue=d.get("first_issue"), last_issue=d.get("last_issue"))

    def _ref(self, key: str) -> EntityRef:
        ref = self._refs.get(key)
        if ref is None:  # frozen: one per entity, built when first asked for
            d = self.g.nodes[key]
            ref = self._refs[key] = trusted(EntityRef, key=key, label=_entity_label(d), name=d["name"])
        return ref

    def _is_entity(self, key: str) -> bool:
        return key in self.g and _label(self.g.nodes[key]) in ENTITY_LABELS

    def lookup(self, name_key: str) -> list[EntitySummary]:
        return [self._summary(k) for k in self._by_name.get(name_key, ())]

    def entities(self, keys: Collection[str]) -> dict[str, EntitySummary]:
        return {k: self._summary(k) for k in keys if self._is_entity(k)}

    def search_candidates(self, text: str) -> list[EntitySummary]:
        needle = name_key(text)
        if not needle:
            return []
        return [self._summary(k) for k, forms, *_ in self._search_rows if needle in forms]

    def ranked_search_candidates(self, text: str, label: EntityLabel | None, limit: int) -> list[EntitySummary]:
        """The ``limit`` best search hits for ``text`` (of ``label``) in the query API's order
        (match rank by :func:`~innograph.queries.backend.search_rank`, most mentioned, name, key),
        summaries built for those only; the API ranks them again."""
        needle = name_key(text)
        if not needle:
            return []
        wanted = label.value if label is not None else None
        ranked = ((rank, -mentions, name, key) for key, forms, mentions, name, lab in self._search_rows
                  if needle in forms and (wanted is None or lab == wanted)
                  and (rank := search_rank(needle, forms)) is not None)
        return [self._summary(key) for *_, key in heapq.nsmallest(limit, ranked)]

    def all_names(self) -> list[str]:
        names: list[str] = []
        for key in self._entity_keys:
            d = self.g.nodes[key]
            names.append(d["name"])
            names.extend(d.get("aliases", ()))
        return names

    # -- edges -----------------------------------------------------------------------------
    def _raw(self, source: str, target: str, etype: str, data: dict) -> RawEdge:
        properties = data.get("properties")
        return RawEdge(
            self._ref(source), self._ref(target), edge_type(etype), raw_evidence(data.get("evidence")),
            data.get("count", 1),
            {k: str(v) for k, v in properties.items() if v is not None and k not in DERIVED_EDGE_PROPERTIES}
            if properties else {})

    def edges(self, key: str, direction: Direction, types: Collection[str]) -> list[RawEdge]:
        if not self._is_entity(key):
            return []
        out: list[RawEdge] = []
        if direction in ("out", "both"):
            for _, target, etype, data in self.g.out_edges(key, keys=True, data=True):
                if etype in types and self._is_entity(target):
                    out.append(self._raw(key, target, etype, data))
        if direction in ("in", "both"):
            for source, _, etype, data in self.g.in_edges(key, keys=True, data=True):
                if etype in types and self._is_entity(source) and not (direction == "both" and source == key):
                    out.append(self._raw(source, key, etype, data))
        return out

    def edges_between(self, pairs: Sequence[tuple[str, str]], types: Collection[str]) -> list[RawEdge]:
        out: list[RawEdge] = []
        seen: set[tuple[str, str, str]] = set()
        for a, b in pairs:
            for u, v in ((a, b), (b, a)):
                for etype, data in (self.g.get_edge_data(u, v) or {}).items():
                    if etype in types and (u, v, etype) not in seen:
                        seen.add((u, v, etype))
                        out.append(self._raw(u, v, etype, data))
        return out

    def _neighbours(self, key: str, types: Collection[str]) -> set[str]:
        found = {v for _, v, t in self.g.out_edges(key, keys=True) if t in types}
        found.update(u for u, _, t in self.g.in_edges(key, keys=True) if t in types)
        found.discard(key)
        return found

    def shortest_paths(self, source: str, target: str, max_hops: int, types: Collection[str],
                       cap: int) -> list[tuple[str, ...]]:
        if source == target:
            return [(source,)]
        # breadth-first from source, recording every predecessor at the shortest distance
        dist = {source: 0}
        preds: dict[str, list[str]] = defaultdict(list)
        frontier = [source]
        depth = 0
        while frontier and target not in dist and depth < max_hops:
            depth += 1
            nxt: list[str] = []
            for node in frontier:
                for nb in self._neighbours(node, types):
                    if not self._is_entity(nb):
                        continue
                    if nb not in dist:
                        dist[nb] = depth
                        nxt.append(nb)
                    if dist[nb] == depth:
                        preds[nb].append(node)
            frontier = nxt
        if target not in dist:
            return []
        return paths_back(target, source, preds, cap)

    # -- provenance ------------------------------------------------------------------------
    def articles(self, doc_ids: Collection[str]) -> dict[str, ArticleInfo]:
        out = {}
        for doc_id in doc_ids:
            key = f"Article:{doc_id}"
            if key in self.g:
                props = self.g.nodes[key].get("properties") or {}
                issue = self._article_issue.get(key)
                out[doc_id] = ArticleInfo(doc_id=doc_id, title=props.get("title") or self.g.nodes[key].get("name"),
                                          issue=issue)
        return out

    def issues(self) -> list[str]:
        return list(self._issues)

    def issue_articles(self, issue: str) -> list[str]:
        key = f"Issue:{issue}"
        if key not in self.g:
            return []
        return sorted(u.split(":", 1)[1] for u, _, t in self.g.in_edges(key, keys=True) if t == _PUBLISHED_IN)

    # -- analysis --------------------------------------------------------------------------
    def mention_scores(self, doc_ids: Collection[str] | None) -> list[tuple[str, float]]:
        if doc_ids is None:
            return [(k, float(self.g.nodes[k].get("mention_count", 0))) for k in self._entity_keys]
        scores: dict[str, float] = defaultdict(float)
        for doc_id in doc_ids:
            akey = f"Article:{doc_id}"
            if akey not in self.g:
                continue
            for u, _, t, data in self.g.in_edges(akey, keys=True, data=True):
                if t == _MENTIONED_IN and self._is_entity(u):
                    scores[u] += data.get("count", 1)
        return list(scores.items())

    def _extracted(self):
        for u, v, t, data in self.g.edges(keys=True, data=True):
            if t in EXTRACTED and self._is_entity(u) and self._is_entity(v):
                yield u, v, t, data

    def relationship_pairs(self, doc_ids: Collection[str] | None) -> list[tuple[str, str]]:
        docs = None if doc_ids is None else set(doc_ids)
        return [(u, v) for u, v, _, data in self._extracted()
                if docs is None or any(e.doc_id in docs for e in raw_evidence(data.get("evidence")))]

    def _scores(self, by: str) -> dict[str, float]:
        prop = RANKED_PROPERTIES[by]
        nodes = self.g.nodes
        if by == "mentions":
            return {k: float(nodes[k].get(prop, 0)) for k in self._entity_keys}
        if all(prop in (nodes[k].get("properties") or {}) for k in self._entity_keys):
            return {k: float(nodes[k]["properties"][prop]) for k in self._entity_keys}
        if self._centrality is None:  # a graph written without them: computed once, here
            from innograph.graph.analysis import centrality_properties

            self._centrality = centrality_properties(self.graph)
        return {k: float(self._centrality.get(k, {}).get(prop, 0)) for k in self._entity_keys}

    def _ranking(self, by: str, label: EntityLabel | None) -> list[tuple[str, float]]:
        """(key, score) of the entities (of ``label``) scoring > 0, in ``top``'s order: score
        descending, then name, then key (the order of the stored ranks)."""
        index = (by, label.value if label is not None else None)
        if index not in self._ranked:
            if (by, None) not in self._ranked:
                scores = self._scores(by)
                nodes = self.g.nodes
                ordered = sorted((k for k, s in scores.items() if s > 0),
                                 key=lambda k: (-scores[k], nodes[k]["name"], k))
                self._ranked[(by, None)] = [(k, scores[k]) for k in ordered]
            if label is not None:
                self._ranked[index] = [(k, s) for k, s in self._ranked[(by, None)]
                                       if _label(self.g.nodes[k]) == label.value]
        return self._ranked[index]

    def ranked_scores(self, by: str, label: EntityLabel | None, limit: int) -> list[tuple[str, float]]:
        return self._ranking(by, label)[:limit]

    def first_seen_entities(self, issue: str) -> list[EntitySummary]:
        if self._first_seen is None:
            self._first_seen = defaultdict(list)
            for k in self._entity_keys:
                first = self.g.nodes[k].get("first_issue")
                if first is not None:
                    self._first_seen[first].append(k)
        return [self._summary(k) for k in self._first_seen.get(issue, ())]

    def first_seen_relationships(self, issue: str) -> list[RawEdge]:
        if self._first_seen_edges is None:
            self._first_seen_edges = defaultdict(list)
            computed = None
            for u, v, t, data in self.g.edges(keys=True, data=True):
                if t not in EXTRACTED:  # extracted types join entities only (the ontology's signatures)
                    continue
                first = (data.get("properties") or {}).get(FIRST_ISSUE)
                if first is None:
                    if computed is None:  # a graph written without them: computed once, here
                        from innograph.graph.analysis import relationship_first_issues

                        computed = relationship_first_issues(self.graph)
                    first = computed.get((u, v, t))
                if first is not None:
                    self._first_seen_edges[first].append((u, v, t, data))  # the edge's own attributes
        raw = self._raw
        return [raw(u, v, t, data) for u, v, t, data in self._first_seen_edges.get(issue, ())]

    def edges_with_evidence_in(self, doc_ids: Collection[str]) -> list[RawEdge]:
        docs = set(doc_ids)
        return [self._raw(u, v, t, data) for u, v, t, data in self._extracted()
                if any(e.doc_id in docs for e in raw_evidence(data.get("evidence")))]

    def cypher(self, query: str, params: dict[str, object]) -> CypherResult:
        raise InnographError("the cypher command needs Neo4j: set NEO4J_URI (and NEO4J_PASSWORD) or ask the neo4j backend")
