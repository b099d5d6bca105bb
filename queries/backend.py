"""The :class:`GraphBackend` protocol: the few primitive reads every question is built from.

The questions themselves (name resolution, ranking, grouping, evidence resolution) live once,
in :mod:`innograph.queries.api`, over these primitives, so every backend answers alike:

* :class:`innograph.queries.sqlite_backend.SqliteBackend` asks the SQLite store (the embedded
  default) by SQL over its indexes, without loading the graph;
* :class:`innograph.queries.embedded.EmbeddedBackend` reads the networkx graph in memory (a
  legacy JSON store, or a graph built in the process);
* :class:`innograph.queries.neo4j_backend.Neo4jBackend` runs Cypher from
  :mod:`innograph.cypher` in read transactions.

"Entity" below means a node with an :class:`~innograph.ontology.EntityLabel`; provenance
nodes (``Article``, ``Issue``) are never returned as entities, and only the extracted
relationship types (plus ``CO_MENTIONED`` where the caller passes it) join entities.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from innograph.cypher import FIRST_ISSUE
from innograph.identity import key_label  # noqa: F401 - re-exported for the backends
from innograph.ontology import EntityLabel, GraphRelType, RelType
from innograph.text import FORM_SEPARATOR
from innograph.queries.models import ArticleInfo, CypherResult, EntitySummary, RawEdge, RawEvidence

Direction = Literal["in", "out", "both"]

#: the types that join entities in the questions' sense (CO_MENTIONED only when asked)
EXTRACTED: frozenset[str] = frozenset(t.value for t in RelType)
WITH_CO_MENTIONS: frozenset[str] = EXTRACTED | {GraphRelType.CO_MENTIONED.value}
ENTITY_LABELS: frozenset[str] = frozenset(label.value for label in EntityLabel)
#: relationship properties the store derives for the questions (not shown as a relationship's own)
DERIVED_EDGE_PROPERTIES: frozenset[str] = frozenset({FIRST_ISSUE})


def search_rank(needle: str, forms: str) -> int | None:
    """The rank :func:`innograph.queries.api.match_kind` gives an entity for the normalised query
    ``needle``, from its ``forms`` (its name key first, then its alias keys, each once, joined by
    :data:`FORM_SEPARATOR`): 0 exact name, 1 exact alias, 2 prefix of either, 3 substring, None
    no match. A few string searches instead of normalising every name and alias again, so the
    backends can rank thousands of candidates (a one-character search) and hand the API the
    best ones only.

    >>> forms = FORM_SEPARATOR.join(["浙江大学", "浙大"])
    >>> [search_rank(q, forms) for q in ("浙江大学", "浙大", "浙江", "大学", "复旦")]
    [0, 1, 2, 3, None]
    """
    sep = FORM_SEPARATOR
    if not needle or needle not in forms:
        return None
    if sep in needle:  # no normalised text holds it; ranked form by form all the same
        keys = forms.split(sep)
        ranks = [0 if i == 0 and k == needle else 1 if k == needle else 2 if k.startswith(needle) else 3
                 for i, k in enumerate(keys) if needle in k]
        return min(ranks) if ranks else None
    if forms.startswith(needle):
        if len(forms) == len(needle) or forms[len(needle)] == sep:
            return 0
        return 1 if f"{sep}{needle}{sep}" in f"{forms}{sep}" else 2
    if f"{sep}{needle}" in forms:
        return 1 if f"{sep}{needle}{sep}" in f"{forms}{sep}" else 2
    return 3


def raw_evidence(items: Iterable[Any] | None) -> tuple[RawEvidence, ...]:
    """Stored evidence items as rows: dicts (``doc_id``, ``sentence``, optional ``start`` and
    ``end``, as the stores write them) or :class:`~innograph.models.Evidence` records.

    >>> raw_evidence([{"doc_id": "d1", "sentence": "之江实验室牵头。"}])
    (RawEvidence(doc_id='d1', sentence='之江实验室牵头。', start=0, end=0),)
    """
    if not items:
        return ()
    return tuple([RawEvidence(item["doc_id"], item["sentence"], item.get("start", 0), item.get("end", 0))
                  if type(item) is dict else RawEvidence(item.doc_id, item.sentence, item.start, item.end)
                  for item in items])


def paths_back(start: str, end: str, nearer: dict[str, list[str]], cap: int) -> list[tuple[str, ...]]:
    """Up to ``cap`` key sequences end .. start, following ``nearer`` (each key's neighbours one hop
    nearer ``end`` in a breadth-first search) from ``start`` back to ``end``.

    >>> paths_back("c", "a", {"c": ["b"], "b": ["a"]}, 10)
    [('a', 'b', 'c')]
    """
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
    while stack and len(paths) < cap:
        node, suffix = stack.pop()
        if node == end:
            paths.append(suffix)
            continue
        for p in nearer[node]:
            stack.append((p, (p, *suffix)))
    return paths


@runtime_checkable
class GraphBackend(Protocol):
    """The primitives every backend has. Two more a backend may have, which the API then asks
    instead of ranking every candidate itself: ``ranked_search_candidates(text, label, limit)``
    (the ``limit`` best search hits in the API's order: all three backends) and
    ``mention_scores_at_cut(doc_ids, label, limit)`` (the mention scores in ``doc_ids`` at or
    above the ``limit``-th best, ties included: Neo4j, where the scores would cross the wire)."""

    kind: str  # "embedded" or "neo4j"

    def lookup(self, name_key: str) -> list[EntitySummary]:
        """Entities whose name or one of whose aliases has exactly this ``name_key``."""

    def entities(self, keys: Collection[str]) -> dict[str, EntitySummary]:
        """The entities with these keys (missing keys are left out)."""

    def search_candidates(self, text: str) -> list[EntitySummary]:
        """A superset of the entities whose name or an alias contains ``name_key(text)``."""

    def all_names(self) -> list[str]:
        """Every entity name and alias (for 'did you mean' suggestions)."""

    def edges(self, key: str, direction: Direction, types: Collection[str]) -> list[RawEdge]:
        """Edges of ``types`` at entity ``key``: ``out`` where it is the head, ``in`` the tail."""

    def edges_between(self, pairs: Sequence[tuple[str, str]], types: Collection[str]) -> list[RawEdge]:
        """Edges of ``types`` joining each pair, in either direction."""

    def shortest_paths(self, source: str, target: str, max_hops: int, types: Collection[str],
                       cap: int) -> list[tuple[str, ...]]:
        """Key sequences of the shortest undirected paths over ``types`` (at most ``cap`` of them)."""

    def articles(self, doc_ids: Collection[str]) -> dict[str, ArticleInfo]:
        """Title and issue key of each article."""

    def issues(self) -> list[str]:
        """Every issue key, in issue order (keys sort chronologically: journal-year-number)."""

    def issue_articles(self, issue: str) -> list[str]:
        """doc ids of the articles PUBLISHED_IN that issue."""

    def mention_scores(self, doc_ids: Collection[str] | None) -> list[tuple[str, float]]:
        """(entity key, mentions): ``mention_count``, or summed MENTIONED_IN counts into ``doc_ids``."""

    def relationship_pairs(self, doc_ids: Collection[str] | None) -> list[tuple[str, str]]:
        """(head, tail) of every extracted relationship (with evidence in ``doc_ids`` if given)."""

    def ranked_scores(self, by: str, label: EntityLabel | None, limit: int) -> list[tuple[str, float]] | None:
        """(key, score) of the ``limit`` first entities (of ``label`` if given) scoring > 0 by the
        whole graph's ``mentions``, ``degree`` or ``betweenness``, in ``top``'s order (score
        descending, name, key), from the stored scores and ranks and their indexes; None when the
        graph does not carry them (the API then computes the scores)."""

    def first_seen_entities(self, issue: str) -> list[EntitySummary]:
        """Entities whose ``first_issue`` is ``issue``."""

    def first_seen_relationships(self, issue: str) -> list[RawEdge] | None:
        """Extracted relationships whose stored ``first_issue`` (earliest evidence) is ``issue``;
        None when the graph does not carry it (the API then reads the issue's evidence)."""

    def edges_with_evidence_in(self, doc_ids: Collection[str]) -> list[RawEdge]:
        """Extracted relationships with at least one evidence sentence from ``doc_ids``."""

    def cypher(self, query: str, params: dict[str, object]) -> CypherResult:
        """Run a read-only ad-hoc query (Neo4j only)."""
