"""The SQLite backend: the :class:`GraphBackend` primitives as SQL over the store's indexes.

Nothing is loaded up front: opening reads the store's ``meta`` row, each primitive is a few
statements of :mod:`innograph.graph.sql` (exact names by the ``names`` table, keys and edges by
their primary and covering indexes, the ranked scores by their rank's partial index, first-seen
entities and relationships by ``first_issue``, evidence by doc id). Shortest paths are a
bidirectional breadth-first search, one statement per frontier, the smaller side expanded first.
The answers are those of :class:`innograph.queries.embedded.EmbeddedBackend` over the same graph
(tests/test_queries*.py ask both).
"""
from __future__ import annotations

import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from innograph.errors import InnographError, StoreError
from innograph.graph import sql
from innograph.graph.sqlite_store import connect
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, edge_type, entity_label
from innograph.queries.backend import (DERIVED_EDGE_PROPERTIES, EXTRACTED, FORM_SEPARATOR, Direction, paths_back,
                                      raw_evidence)
from innograph.queries.models import (ArticleInfo, CypherResult, EntityRef, EntitySummary, RawEdge,
                                      trusted)

_MENTIONED_IN = GraphRelType.MENTIONED_IN.value
_PUBLISHED_IN = GraphRelType.PUBLISHED_IN.value
_EXTRACTED_JSON = json.dumps(sorted(EXTRACTED))


def _array(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


F = TypeVar("F", bound=Callable[..., Any])
#: what a record of a damaged or hand-edited store can raise while it is turned into a model
_UNREADABLE = (sqlite3.DatabaseError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError)


def _guarded(method: F) -> F:
    """``method`` with what a damaged store raises turned into one line (records are not validated
    up front, as :func:`innograph.graph.store.load` does: that would read the whole store)."""
    @functools.wraps(method)
    def guarded(self: "SqliteBackend", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except InnographError:
            raise
        except _UNREADABLE as exc:
            raise StoreError(f"the store {self.path} is unreadable: a record does not read ({type(exc).__name__}: "
                             f"{exc}): rebuild it with 'innograph build' or pass another store") from None
    return guarded  # type: ignore[return-value]


class SqliteBackend:
    """:class:`GraphBackend` over the SQLite store at a path (read-only)."""

    kind = "embedded"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = connect(path)
        self._refs: dict[str, EntityRef] = {}

    @classmethod
    def from_store(cls, path: Path) -> "SqliteBackend":
        return cls(path)

    def close(self) -> None:
        self.db.close()

    # -- rows -> models ------------------------------------------------------------------------
    # The rows were validated records when the store was written (STRICT tables and CHECKs keep
    # them so): the models are built without validating them again (models.trusted), edges and
    # evidence as typed rows (RawEdge, RawEvidence); a damaged
    # record raises while it is read, which _guarded turns into one line.
    @staticmethod
    def _summary(row: tuple) -> EntitySummary:
        key, label, name, aliases, mentions, first, last = row
        return trusted(EntitySummary, key=key, label=entity_label(label), name=name,
                       aliases=tuple(json.loads(aliases)) if aliases != "[]" else (), mention_count=mentions,
                       first_issue=first, last_issue=last)

    def _ref(self, key: str, label: str, name: str) -> EntityRef:
        ref = self._refs.get(key)
        if ref is None:
            ref = self._refs[key] = trusted(EntityRef, key=key, label=entity_label(label), name=name)
        return ref

    def _raw(self, row: tuple, evidence: list[dict], properties: dict) -> RawEdge:
        """An edge row, its evidence and properties decoded (:meth:`_edges` decodes every row's at once)."""
        source, slabel, sname, target, tlabel, tname, etype, _, count, _ = row
        return RawEdge(
            self._ref(source, slabel, sname), self._ref(target, tlabel, tname), edge_type(etype),
            raw_evidence(evidence),
            count,
            {k: str(v) for k, v in properties.items() if v is not None and k not in DERIVED_EDGE_PROPERTIES})

    def _edges(self, statement: str, *params: object) -> list[RawEdge]:
        rows = self.db.execute(statement, params).fetchall()
        if not rows:
            return []
        # every row's evidence and properties (JSON each) in one decode each: two calls instead of thousands
        evidence = json.loads("[" + ",".join(row[7] for row in rows) + "]")
        properties = json.loads("[" + ",".join(row[9] for row in rows) + "]")
        return [self._raw(row, ev, props) for row, ev, props in zip(rows, evidence, properties, strict=True)]

    # -- nodes ---------------------------------------------------------------------------------
    @_guarded
    def lookup(self, name_key: str) -> list[EntitySummary]:
        return [self._summary(r) for r in self.db.execute(sql.LOOKUP, (name_key,))]

    @_guarded
    def entities(self, keys: Collection[str]) -> dict[str, EntitySummary]:
        found = {r[0]: self._summary(r) for r in self.db.execute(sql.ENTITIES, (_array(keys),))}
        return {k: found[k] for k in dict.fromkeys(keys) if k in found}

    @_guarded
    def search_candidates(self, text: str) -> list[EntitySummary]:
        from innograph.text import name_key

        needle = name_key(text)
        if not needle:
            return []
        return [self._summary(r) for r in self.db.execute(sql.SEARCH, (needle,))]

    @_guarded
    def ranked_search_candidates(self, text: str, label: EntityLabel | None, limit: int) -> list[EntitySummary]:
        """The ``limit`` best search hits for ``text`` (of ``label``), ranked and cut by SQLite in the
        query API's order (:data:`innograph.graph.sql.SEARCH_RANKED`); the API ranks them again."""
        from innograph.text import name_key

        needle = name_key(text)
        if not needle:
            return []
        if label is None:
            rows = self.db.execute(sql.SEARCH_RANKED, (needle, FORM_SEPARATOR, limit))
        else:
            rows = self.db.execute(sql.SEARCH_RANKED_LABEL, (needle, FORM_SEPARATOR, limit, label.value))
        return [self._summary(r) for r in rows]

    @_guarded
    def all_names(self) -> list[str]:
        names: list[str] = []
        for name, aliases in self.db.execute(sql.ALL_NAMES):
            names.append(name)
            names.extend(json.loads(aliases))
        return names

    # -- edges ---------------------------------------------------------------------------------
    def _is_entity(self, key: str) -> bool:
        return self.db.execute(sql.IS_ENTITY, (key,)).fetchone() is not None

    @_guarded
    def edges(self, key: str, direction: Direction, types: Collection[str]) -> list[RawEdge]:
        if not self._is_entity(key):
            return []
        wanted = _array(sorted(types))
        out: list[RawEdge] = []
        if direction in ("out", "both"):
            out += self._edges(sql.EDGES_OUT, key, wanted)
        if direction in ("in", "both"):
            out += [e for e in self._edges(sql.EDGES_IN, key, wanted)
                    if not (direction == "both" and e.source.key == key)]
        return out

    @_guarded
    def edges_between(self, pairs: Sequence[tuple[str, str]], types: Collection[str]) -> list[RawEdge]:
        wanted = _array(sorted(types))
        out: list[RawEdge] = []
        seen: set[tuple[str, str, str]] = set()
        for a, b in pairs:
            for u, v in ((a, b), (b, a)):
                for edge in self._edges(sql.EDGES_FROM_TO, u, v, wanted):
                    ident = (u, v, edge.type.value)
                    if ident not in seen:
                        seen.add(ident)
                        out.append(edge)
        return out

    def _step(self, frontier: list[str], wanted: str) -> dict[str, list[str]]:
        """Frontier node -> its entity neighbours over the types (either direction)."""
        found: dict[str, list[str]] = defaultdict(list)
        for node, neighbour in self.db.execute(sql.NEIGHBOURS, (_array(frontier), wanted)):
            found[node].append(neighbour)
        return found

    @_guarded
    def shortest_paths(self, source: str, target: str, max_hops: int, types: Collection[str],
                       cap: int) -> list[tuple[str, ...]]:
        if source == target:
            return [(source,)]
        wanted = _array(sorted(types))
        # per side: distance from its end, and each node's neighbours one step nearer that end
        dist = ({source: 0}, {target: 0})
        nearer: tuple[dict[str, list[str]], dict[str, list[str]]] = (defaultdict(list), defaultdict(list))
        frontiers = ([source], [target])
        depth = [0, 0]
        meeting: list[str] = []
        while not meeting and frontiers[0] and frontiers[1] and depth[0] + depth[1] < max_hops:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            depth[side] += 1
            mine, other = dist[side], dist[1 - side]
            nxt: list[str] = []
            for node, neighbours in sorted(self._step(frontiers[side], wanted).items()):
                for nb in neighbours:
                    if nb not in mine:
                        mine[nb] = depth[side]
                        nxt.append(nb)
                    if mine[nb] == depth[side]:
                        nearer[side][nb].append(node)
            frontiers = (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)
            # the first nodes both sides reached: every shortest path crosses exactly one of them
            meeting = sorted(k for k in nxt if k in other)
        paths: list[tuple[str, ...]] = []
        for middle in meeting:
            for head in paths_back(middle, source, nearer[0], cap - len(paths)):
                for tail in paths_back(middle, target, nearer[1], cap - len(paths)):
                    paths.append((*head, *reversed(tail[:-1])))
                    if len(paths) >= cap:
                        return paths
        return paths

    # -- provenance ----------------------------------------------------------------------------
    @_guarded
    def articles(self, doc_ids: Collection[str]) -> dict[str, ArticleInfo]:
        keys = [f"Article:{d}" for d in doc_ids]
        rows = {key: (name, props, issue) for key, name, props, issue
                in self.db.execute(sql.ARTICLES, (_PUBLISHED_IN, _array(keys)))}
        out = {}
        for doc_id, key in zip(doc_ids, keys):
            if key in rows:
                name, props, issue = rows[key]
                out[doc_id] = ArticleInfo(doc_id=doc_id, title=json.loads(props).get("title") or name,
                                          issue=issue.split(":", 1)[1] if issue is not None else None)
        return out

    @_guarded
    def issues(self) -> list[str]:
        return sorted(k.split(":", 1)[1] for (k,) in self.db.execute(sql.ISSUES, (ProvenanceLabel.Issue.value,)))

    @_guarded
    def issue_articles(self, issue: str) -> list[str]:
        return sorted(k.split(":", 1)[1] for (k,) in self.db.execute(sql.ISSUE_ARTICLES, (f"Issue:{issue}", _PUBLISHED_IN)))

    # -- analysis ------------------------------------------------------------------------------
    @_guarded
    def mention_scores(self, doc_ids: Collection[str] | None) -> list[tuple[str, float]]:
        if doc_ids is None:
            return [(k, float(m)) for k, m in self.db.execute(sql.MENTIONS_ALL)]
        articles = _array(f"Article:{d}" for d in doc_ids)
        return [(k, float(m)) for k, m in self.db.execute(sql.MENTIONS_IN, (articles, _MENTIONED_IN))]

    @_guarded
    def relationship_pairs(self, doc_ids: Collection[str] | None) -> list[tuple[str, str]]:
        if doc_ids is None:
            return [tuple(r) for r in self.db.execute(sql.PAIRS_ALL, (_EXTRACTED_JSON,))]
        return [tuple(r) for r in self.db.execute(sql.PAIRS_IN, (_array(doc_ids), _EXTRACTED_JSON))]

    @_guarded
    def ranked_scores(self, by: str, label: EntityLabel | None, limit: int) -> list[tuple[str, float]]:
        if by not in sql.RANK_COLUMNS:
            raise ValueError(f"no ranked score {by!r}")
        params = (limit,) if label is None else (label.value, limit)
        return [(k, float(s)) for k, s in self.db.execute(sql.ranked(by, label is not None), params)]

    @_guarded
    def first_seen_entities(self, issue: str) -> list[EntitySummary]:
        return [self._summary(r) for r in self.db.execute(sql.FIRST_SEEN_ENTITIES, (issue,))]

    @_guarded
    def first_seen_relationships(self, issue: str) -> list[RawEdge]:
        return self._edges(sql.FIRST_SEEN_EDGES, issue)

    @_guarded
    def edges_with_evidence_in(self, doc_ids: Collection[str]) -> list[RawEdge]:
        return self._edges(sql.EDGES_WITH_EVIDENCE_IN, _array(doc_ids), _EXTRACTED_JSON)

    def cypher(self, query: str, params: dict[str, object]) -> CypherResult:
        raise InnographError("the cypher command needs Neo4j: set NEO4J_URI (and NEO4J_PASSWORD) or ask the neo4j backend")

