"""The Neo4j backend: the :class:`GraphBackend` primitives as Cypher in read transactions.

Every query text comes from :mod:`innograph.cypher` (labels and types from the ontology enums,
values as parameters). Evidence is read from the parallel lists the loader writes on each
relationship (``evidence_doc_ids``, ``evidence_sentences``, ``evidence_starts``, ``evidence_ends``).

Names are looked up and searched through the text index over each entity's ``search_key`` (its
name key and alias keys, each between spaces): an exact lookup is ``CONTAINS ' key '``, a search
``CONTAINS needle``, one character or Latin text included; a search is cut to the API's limit by
the server, in the API's order. Either way the API filters and ranks the candidates with the
same Python rules as the embedded backend. A database loaded before ``search_key`` was stored
falls back to the full-text index (two or more CJK characters, which the CJK analyzer indexes
as overlapping bigrams) or a scan of every name.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import READ_ACCESS
from neo4j.exceptions import ClientError, Neo4jError

from innograph import cypher as C
from innograph.config import Neo4jSettings
from innograph.errors import InnographError, InputError, QueryError, QueryRefused
from innograph.loaders.connection import CONNECTION_ERRORS, connect, reason, unavailable
from innograph.ontology import EntityLabel, edge_type
from innograph.queries.backend import Direction, key_label
from innograph.queries.models import (ArticleInfo, CypherResult, EntityRef, EntitySummary, RawEdge, RawEvidence,
                                      trusted)
from innograph.text import is_cjk, name_key

#: query types a server reports (EXPLAIN) that the cypher command runs: read only
READ_ONLY_QUERY_TYPES = frozenset({"r"})


def lucene_phrase(text: str) -> str:
    """``text`` as one quoted Lucene phrase, special characters escaped.

    >>> lucene_phrase('之江"实验室')
    '"之江\\\\"实验室"'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uses_fulltext(needle: str) -> bool:
    """Whether a normalised search text goes to the full-text index (two or more CJK only).

    >>> uses_fulltext("之江"), uses_fulltext("杭"), uses_fulltext("g60科创走廊")
    (True, False, False)
    """
    return len(needle) >= 2 and all(is_cjk(ch) for ch in needle)


def _summary(n: dict[str, Any]) -> EntitySummary | None:
    """An entity map (:data:`innograph.cypher.ENTITY_FIELDS`) as a summary. The loader writes the
    properties typed from validated records, so a map of those types is taken as it is
    (models.trusted: issue-diff reads thousands); anything else is validated (and refused)."""
    key = n["key"]
    label = key_label(key or "")
    if label is None:
        return None
    name, aliases, mentions = n["name"], n.get("aliases") or (), n.get("mention_count") or 0
    first, last = n.get("first_issue"), n.get("last_issue")
    if (isinstance(name, str) and type(mentions) is int and all(isinstance(a, str) for a in aliases)
            and (first is None or isinstance(first, str)) and (last is None or isinstance(last, str))):
        return trusted(EntitySummary, key=key, label=label, name=name, aliases=tuple(aliases), mention_count=mentions,
                       first_issue=first, last_issue=last)
    return EntitySummary(key=key, label=label, name=name, aliases=tuple(aliases), mention_count=mentions,
                         first_issue=first, last_issue=last)


def _ref(key: str, name: str) -> EntityRef:
    label = key_label(key)
    if label is None or not isinstance(name, str):  # not an entity as the loader writes one: validate (and refuse)
        return EntityRef(key=key, label=label, name=name)
    return trusted(EntityRef, key=key, label=label, name=name)


def _edge(e: list[Any]) -> RawEdge:
    """An edge list (:data:`innograph.cypher.EDGE_FIELDS`) as a RawEdge: typed rows from the typed
    lists the loader writes (an issue-diff reads thousands; validating each evidence item again
    cost a third of its time)."""
    source, source_name, target, target_name, type_, docs, sentences, starts, ends, count, own = e
    evidence = tuple([RawEvidence(str(d), str(s), int(a), int(b))
                      for d, s, a, b in zip(docs or (), sentences or (), starts or (), ends or ())])
    return RawEdge(_ref(source, source_name), _ref(target, target_name), edge_type(type_), evidence,
                   int(count or 1), {k: str(v) for k, v in own if v is not None})


def _types(types: Collection[str]) -> frozenset:
    return frozenset(edge_type(t) for t in types)


def to_plain(value: Any) -> Any:
    """A driver value as JSON-able Python: nodes, relationships and paths become dicts."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, "start": value.start_node.get("key") if value.start_node else None,
                "end": value.end_node.get("key") if value.end_node else None,
                **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [to_plain(n) for n in value.nodes],
                "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # temporal and spatial values


class Neo4jBackend:
    """:class:`GraphBackend` over a Neo4j database (every read in a read transaction)."""

    kind = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", *, owns_driver: bool = False,
                 settings: Neo4jSettings | None = None) -> None:

        self.driver = driver
        self.database = database
        self._owns_driver = owns_driver
        self.settings = settings or Neo4jSettings.from_env(database=database)

    @classmethod
    def from_env(cls, **overrides: str | None) -> "Neo4jBackend":
        """Connect with :class:`innograph.config.Neo4jSettings` (NEO4J_URI, NEO4J_PASSWORD ...)."""
        from innograph.config import Neo4jSettings

        settings = Neo4jSettings.from_env(**overrides)
        return cls(connect(settings), settings.database, owns_driver=True, settings=settings)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def __enter__(self) -> "Neo4jBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------------
    def _read(self, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        """Run ``(query, params)`` statements in one read transaction: each one's records as dicts."""
        def work(tx: neo4j.ManagedTransaction) -> list[list[dict[str, Any]]]:
            # dict(zip(...)), not Record.data(), which walks every nested value (0.8 s for an issue-diff)
            return [[dict(zip(r.keys(), r.values())) for r in tx.run(q, p)] for q, p in statements]

        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                return session.execute_read(work)
        except CONNECTION_ERRORS as exc:
            raise unavailable(self.settings, exc) from None
        except ClientError as exc:
            if (exc.code or "").endswith("ProcedureNotFound") or "entity_names" in (exc.message or ""):
                raise InnographError("Neo4j has no full-text index for names yet: run 'innograph neo4j init' "
                                     "(or 'innograph load', which creates it)") from None
            raise InnographError(f"Neo4j failed to answer: {reason(exc)}") from None

    def _one(self, cypher_text: str, **params: Any) -> list[dict[str, Any]]:
        return self._read([(cypher_text, params)])[0]

    def _entities_of(self, rows: list[dict[str, Any]]) -> list[EntitySummary]:
        out = {}
        for row in rows:
            s = _summary(row["n"])
            if s is not None:
                out[s.key] = s
        return [out[k] for k in sorted(out)]

    # -- nodes -------------------------------------------------------------------------------
    def lookup(self, name_key_: str) -> list[EntitySummary]:
        statements = [(C.q_lookup_by_key(), {"name_key": name_key_})]
        if name_key(name_key_):
            statements.append((C.Q_LOOKUP_BY_NAME, {"exact": f" {name_key_} "}))
        results = self._read(statements)  # one transaction, one round trip
        found = {s.key: s for s in self._entities_of(results[0])}
        named = self._summaries(results[1][0]["found"]) if len(results) > 1 else []
        if len(results) > 1 and not named and not self._search_keys_stored():
            named = self._entities_of(self._read([self._scan_candidates(name_key(name_key_))])[0])
        for s in named:
            if name_key(s.name) == name_key_ or any(name_key(a) == name_key_ for a in s.aliases):
                found[s.key] = s
        return [found[k] for k in sorted(found)]

    def entities(self, keys: Collection[str]) -> dict[str, EntitySummary]:
        by_label: dict[EntityLabel, list[str]] = defaultdict(list)
        for k in set(keys):
            label = key_label(k)
            if label is not None:
                by_label[label].append(k)
        if not by_label:
            return {}
        results = self._read([(C.q_entities(lab), {"keys": ks}) for lab, ks in sorted(by_label.items())])
        return {s.key: s for rows in results for s in self._entities_of(rows)}

    def search_candidates(self, text: str) -> list[EntitySummary]:
        needle = name_key(text)
        if not needle:
            return []
        found = self._summaries(self._one(C.Q_SEARCH_CANDIDATES, needle=needle)[0]["found"])
        if not found and not self._search_keys_stored():
            return self._entities_of(self._read([self._scan_candidates(needle)])[0])
        return found

    def ranked_search_candidates(self, text: str, label: EntityLabel | None, limit: int) -> list[EntitySummary]:
        """The ``limit`` best search hits for ``text`` (of ``label``), cut by the server in the query
        API's order (:func:`innograph.cypher.q_search_ranked`); the API ranks them again."""
        needle = name_key(text)
        if not needle:
            return []
        rows = self._one(C.q_search_ranked(label), needle=needle, exact=f" {needle} ", prefix=f" {needle}",
                         limit=limit)
        found = self._summaries(rows[0]["found"])
        if not found and not self._search_keys_stored():
            return [s for s in self._entities_of(self._read([self._scan_candidates(needle)])[0])
                    if label is None or s.label == label]
        return found

    def _search_keys_stored(self) -> bool:
        """Whether the entities carry ``search_key`` (else a database loaded before it was: scan names)."""
        return bool(self._one(C.Q_HAS_SEARCH_KEYS))

    @staticmethod
    def _scan_candidates(needle: str) -> tuple[str, dict[str, Any]]:
        """Candidates of a database without ``search_key``: the full-text index or a scan."""
        if uses_fulltext(needle):
            return C.Q_FULLTEXT_CANDIDATES, {"query": lucene_phrase(needle)}
        return C.Q_SCAN_CANDIDATES, {"needle": needle}

    @staticmethod
    def _summaries(maps: list[dict[str, Any]]) -> list[EntitySummary]:
        """Entity maps (one collected list) as summaries, sorted by key."""
        out = {}
        for n in maps:
            s = _summary(n)
            if s is not None:
                out[s.key] = s
        return [out[k] for k in sorted(out)]

    def all_names(self) -> list[str]:
        names: list[str] = []
        for row in self._one(C.Q_ALL_NAMES):
            names.append(row["name"])
            names.extend(row["aliases"])
        return names

    # -- edges -------------------------------------------------------------------------------
    def edges(self, key: str, direction: Direction, types: Collection[str]) -> list[RawEdge]:
        label = key_label(key)
        if label is None or not types:
            return []
        rows = self._one(C.q_edges(label, direction, _types(types)), key=key)
        edges = [_edge(r["e"]) for r in rows]
        if direction == "both":  # a self-loop is both out and in: list it once, as the embedded store does
            seen, unique = set(), []
            for e in edges:
                ident = (e.source.key, e.target.key, e.type.value)
                if ident not in seen:
                    seen.add(ident)
                    unique.append(e)
            edges = unique
        return edges

    def edges_between(self, pairs: Sequence[tuple[str, str]], types: Collection[str]) -> list[RawEdge]:
        groups: dict[tuple[EntityLabel, EntityLabel], list[list[str]]] = defaultdict(list)
        for a, b in pairs:
            la, lb = key_label(a), key_label(b)
            if la is not None and lb is not None:
                groups[(la, lb)].append([a, b])
        if not groups or not types:
            return []
        t = _types(types)
        results = self._read([(C.q_edges_between(la, lb, t), {"pairs": ps}) for (la, lb), ps in sorted(groups.items())])
        out, seen = [], set()
        for rows in results:
            for r in rows:
                e = _edge(r["e"])
                ident = (e.source.key, e.target.key, e.type.value)
                if ident not in seen:
                    seen.add(ident)
                    out.append(e)
        return out

    def shortest_paths(self, source: str, target: str, max_hops: int, types: Collection[str],
                       cap: int) -> list[tuple[str, ...]]:
        if source == target:
            return [(source,)]
        la, lb = key_label(source), key_label(target)
        if la is None or lb is None:
            return []
        rows = self._one(C.q_shortest_paths(la, lb, _types(types), max_hops), source=source, target=target, cap=cap)
        return [tuple(r["keys"]) for r in rows]

    # -- provenance --------------------------------------------------------------------------
    def articles(self, doc_ids: Collection[str]) -> dict[str, ArticleInfo]:
        rows = self._one(C.Q_ARTICLES, keys=[f"Article:{d}" for d in doc_ids])
        out = {}
        for r in rows:
            doc_id = r["key"].split(":", 1)[1]
            issue = r["issue"].split(":", 1)[1] if r["issue"] else None
            out[doc_id] = ArticleInfo(doc_id=doc_id, title=r["title"], issue=issue)
        return out

    def issues(self) -> list[str]:
        return sorted(r["key"].split(":", 1)[1] for r in self._one(C.Q_ISSUES))

    def issue_articles(self, issue: str) -> list[str]:
        return sorted(r["key"].split(":", 1)[1] for r in self._one(C.Q_ISSUE_ARTICLES, issue=f"Issue:{issue}"))

    # -- analysis ----------------------------------------------------------------------------
    def mention_scores(self, doc_ids: Collection[str] | None) -> list[tuple[str, float]]:
        if doc_ids is None:
            rows = self._one(C.Q_MENTION_COUNTS)
        else:
            pairs = self._one(C.Q_MENTIONS_IN_ARTICLES, keys=[f"Article:{d}" for d in doc_ids])[0]["found"]
            return [(key, float(score)) for key, score in pairs]
        return [(r["key"], float(r["score"])) for r in rows]

    def mention_scores_at_cut(self, doc_ids: Collection[str], label: EntityLabel | None,
                              limit: int) -> list[tuple[str, float]]:
        """(entity key, mentions in ``doc_ids``) of the entities (of ``label``) scoring > 0 whose
        score reaches the ``limit``-th best, ties at the cut included: a superset of the ``top``
        rows, cut by the server (:func:`innograph.cypher.q_mentions_in_articles_at_cut`)."""
        if limit < 1:
            return self.mention_scores(doc_ids)
        rows = self._one(C.q_mentions_in_articles_at_cut(label), keys=[f"Article:{d}" for d in doc_ids], limit=limit)
        return [(key, float(score)) for key, score in rows[0]["found"]]

    def relationship_pairs(self, doc_ids: Collection[str] | None) -> list[tuple[str, str]]:
        if doc_ids is None:
            rows = self._one(C.Q_RELATIONSHIP_PAIRS)
        else:
            rows = self._one(C.Q_RELATIONSHIP_PAIRS_IN, docs=list(doc_ids))
        return [(r["source"], r["target"]) for r in rows]

    def ranked_scores(self, by: str, label: EntityLabel | None, limit: int) -> list[tuple[str, float]] | None:
        """The ``limit`` best-ranked entities and their scores, from the stored rank's index; None
        when no entity carries the rank (a database loaded from a store written before)."""
        rows = self._one(C.q_ranked_scores(by, label), limit=limit)
        if not rows and not self._one(C.q_has_ranked_property(by)):
            return None
        return [(r["key"], float(r["score"])) for r in rows]

    def first_seen_entities(self, issue: str) -> list[EntitySummary]:
        return self._summaries(self._one(C.Q_FIRST_SEEN, issue=issue)[0]["found"])

    def first_seen_relationships(self, issue: str) -> list[RawEdge] | None:
        """Extracted relationships whose stored ``first_issue`` is ``issue`` (None: none is stored)."""
        found = self._one(C.q_first_seen_relationships(), issue=issue)[0]["found"]
        if not found and not self._one(C.q_has_first_issues())[0]["found"]:
            return None
        return [_edge(e) for e in found]

    def edges_with_evidence_in(self, doc_ids: Collection[str]) -> list[RawEdge]:
        return [_edge(e) for e in self._one(C.Q_EDGES_WITH_EVIDENCE_IN, docs=list(doc_ids))[0]["found"]]

    # -- ad hoc ------------------------------------------------------------------------------
    def query_type(self, query: str, params: dict[str, object]) -> str:
        """The query type the server reports for ``query`` (EXPLAIN: planned, not run)."""
        return self._explain(query, params)[0]

    def _explain(self, query: str, params: dict[str, object]) -> tuple[str, list[tuple[str, str]]]:
        """The query type and every (operator, details) of the plan of ``query``."""
        def explain(tx: neo4j.ManagedTransaction) -> tuple[str, list[tuple[str, str]]]:
            summary = tx.run("EXPLAIN " + query, params).consume()
            return summary.query_type, plan_operators(summary.plan)

        with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(explain)

    def check_read_only(self, query: str, params: dict[str, object]) -> str:
        """``query`` cleaned, if its plan only reads the graph; a :class:`QueryRefused` saying why not."""
        text = query.strip().rstrip(";").strip()
        if not text:
            raise InputError("empty query: pass a Cypher read query, e.g. 'MATCH (n:Lab) RETURN n.name LIMIT 5'")
        try:
            qtype, operators = self._explain(text, params)
        except CONNECTION_ERRORS as exc:
            raise unavailable(self.settings, exc) from None
        except (ClientError, Neo4jError) as exc:
            raise QueryError(f"Neo4j rejected the query: {_first_line(exc)}") from None
        refusal = refusal_reason(qtype, operators)
        if refusal is not None:
            raise QueryRefused(f"refused: the query {refusal}; the cypher command runs read-only queries "
                               "of the graph only")
        return text

    @contextmanager
    def cypher_rows(self, query: str, params: dict[str, object]) -> Iterator[tuple[tuple[str, ...], Iterator[tuple]]]:
        """Run a read-only ``query``: its columns and its rows as they stream from the server.

        Refused by plan (:func:`refusal_reason`); the transaction times out after
        ``settings.cypher_timeout`` seconds; iterating past ``settings.cypher_max_rows`` rows raises
        :class:`QueryError` (the rows before it have been yielded).
        """
        text = self.check_read_only(query, params)
        cap, timeout = self.settings.cypher_max_rows, self.settings.cypher_timeout
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session, \
                    session.begin_transaction(timeout=timeout) as tx:
                result = tx.run(text, params)
                columns = tuple(result.keys())

                def rows() -> Iterator[tuple]:
                    try:
                        for number, record in enumerate(result, start=1):
                            if number > cap:
                                raise QueryError(
                                    f"the query returns more than {cap:,} rows, the most the cypher command gives: "
                                    "add LIMIT or aggregate, or raise INNOGRAPH_CYPHER_MAX_ROWS")
                            yield tuple(to_plain(v) for v in record.values())
                    except (ClientError, Neo4jError) as exc:
                        raise self._query_error(exc, timeout) from None

                yield columns, rows()
        except InnographError:
            raise
        except CONNECTION_ERRORS as exc:
            raise unavailable(self.settings, exc) from None
        except (ClientError, Neo4jError) as exc:
            raise self._query_error(exc, timeout) from None

    @staticmethod
    def _query_error(exc: Neo4jError, timeout: float) -> QueryError:
        code = exc.code or ""
        if "TransactionTimedOut" in code or "Terminated" in code:
            return QueryError(f"the query ran longer than {timeout:g} s and was stopped: narrow it (LIMIT, "
                              "an index lookup) or raise INNOGRAPH_CYPHER_TIMEOUT")
        return QueryError(f"Neo4j rejected the query: {_first_line(exc)}")

    def cypher(self, query: str, params: dict[str, object]) -> CypherResult:
        """Run ``query`` read-only (see :meth:`cypher_rows`) and collect its rows."""
        with self.cypher_rows(query, params) as (columns, rows):
            return CypherResult(columns=columns, rows=tuple(rows))


def _first_line(exc: Neo4jError) -> str:
    message = (exc.message or str(exc)).strip().splitlines()
    return message[0] if message else type(exc).__name__


def plan_operators(plan: Any) -> list[tuple[str, str]]:
    """(operator without the ``@neo4j`` suffix, details) of every step of an EXPLAIN plan."""
    found: list[tuple[str, str]] = []
    stack = [plan] if plan else []
    while stack:
        step = stack.pop()
        operator = str(step.get("operatorType", "")).split("@", 1)[0]
        found.append((operator, str(step.get("args", {}).get("Details", ""))))
        stack.extend(step.get("children", []))
    return found


#: plan operators that only read the graph (Neo4j 5 Community); any other operator is refused
READ_OPERATORS = frozenset("""
ProduceResults Projection Filter Limit Skip Sort PartialSort Top PartialTop Distinct OrderedDistinct
Aggregation EagerAggregation OrderedAggregation Unwind Eager Optional Argument ArgumentTracker EmptyResult EmptyRow
AllNodesScan NodeByLabelScan UnionNodeByLabelsScan IntersectionNodeByLabelsScan SubtractionNodeByLabelsScan
NodeIndexSeek NodeUniqueIndexSeek NodeIndexScan NodeIndexContainsScan NodeIndexEndsWithScan NodeIndexSeekByRange
NodeUniqueIndexSeekByRange MultiNodeIndexSeek AssertingMultiNodeIndexSeek NodeByIdSeek NodeByElementIdSeek
DirectedRelationshipTypeScan UndirectedRelationshipTypeScan DirectedAllRelationshipsScan UndirectedAllRelationshipsScan
DirectedRelationshipIndexSeek UndirectedRelationshipIndexSeek DirectedRelationshipIndexScan UndirectedRelationshipIndexScan
DirectedRelationshipIndexContainsScan UndirectedRelationshipIndexContainsScan DirectedRelationshipIndexEndsWithScan
UndirectedRelationshipIndexEndsWithScan DirectedRelationshipIndexSeekByRange UndirectedRelationshipIndexSeekByRange
DirectedUnionRelationshipTypesScan UndirectedUnionRelationshipTypesScan
DirectedRelationshipByIdSeek UndirectedRelationshipByIdSeek DirectedRelationshipByElementIdSeek
UndirectedRelationshipByElementIdSeek NodeCountFromCountStore RelationshipCountFromCountStore
Expand(All) Expand(Into) OptionalExpand(All) OptionalExpand(Into) VarLengthExpand(All) VarLengthExpand(Into)
VarLengthExpand(Pruning) VarLengthExpand(Pruning,BFS) BFSPruningVarExpand ProjectEndpoints ShortestPath
StatefulShortestPath(All) StatefulShortestPath(Into) Trail Repeat(Trail) NullifyMetadata CacheProperties
Apply SemiApply AntiSemiApply SelectOrSemiApply SelectOrAntiSemiApply LetSemiApply LetAntiSemiApply
LetSelectOrSemiApply LetSelectOrAntiSemiApply ConditionalApply AntiConditionalApply RollUpApply
CartesianProduct NodeHashJoin ValueHashJoin NodeLeftOuterHashJoin NodeRightOuterHashJoin Union OrderedUnion
TriadicSelection TriadicBuild TriadicFilter AssertSameNode AssertSameRelationship ProcedureCall
""".split())

#: families of read operators whose names carry variants in brackets or suffixes (Top1WithTies, VarLengthExpand(Pruning,BFS,All))
READ_OPERATOR_FAMILIES = ("Expand(", "OptionalExpand(", "VarLengthExpand(", "Top", "PartialTop", "StatefulShortestPath(",
                          "Repeat(", "BFSPruningVarExpand", "ShortestPath")

#: procedures an analyst's query may call: names, labels, types, the schema, the name index
ALLOWED_PROCEDURES = ("db.index.fulltext.queryNodes", "db.labels", "db.relationshipTypes", "db.propertyKeys",
                      "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties")


def refusal_reason(query_type: str, operators: list[tuple[str, str]]) -> str | None:
    """Why a planned query may not run (None: it only reads the graph).

    >>> refusal_reason("r", [("ProduceResults", "n"), ("AllNodesScan", "n")]) is None
    True
    >>> refusal_reason("r", [("ProduceResults", ""), ("LoadCSV", "line")])
    'reads files or URLs (LOAD CSV)'
    >>> refusal_reason("r", [("ProcedureCall", "db.stats.retrieve($section) :: (section :: STRING)")])
    'calls db.stats.retrieve, which is not one of db.index.fulltext.queryNodes, db.labels, db.relationshipTypes, db.propertyKeys, db.schema.visualization, db.schema.nodeTypeProperties, db.schema.relTypeProperties'
    """
    kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or the server"}
    if query_type != "r":
        return kinds.get(query_type, f"is of type {query_type!r}")
    for operator, details in operators:
        if operator == "LoadCSV":
            return "reads files or URLs (LOAD CSV)"
        if operator == "ProcedureCall":
            name = details.split("(", 1)[0].strip()
            if name not in ALLOWED_PROCEDURES:
                return f"calls {name or 'a procedure'}, which is not one of {', '.join(ALLOWED_PROCEDURES)}"
        elif operator.startswith(("Show", "Terminate")) or operator in ("SystemProcedureCall", "AdministrationCommand"):
            return f"administers the server ({operator})"
        elif operator not in READ_OPERATORS and not operator.startswith(READ_OPERATOR_FAMILIES):
            return f"uses {operator}, which is not a read of the graph"
    return None
