"""Writes the embedded graph to Neo4j, and checks that Neo4j holds the same graph.

>>> from innograph.config import Neo4jSettings
>>> w = Neo4jWriter(Neo4jSettings(password="x"))   # no connection until first use
>>> isinstance(w, GraphWriter), isinstance(w, GraphStore)
(True, True)

The storage model (evidence as parallel lists, ``SET n = row.props``) and the way relationship
ends are matched are described in :mod:`innograph.cypher`. A load:

1. builds its rows straight from the graph's attributes (:func:`innograph.graph.rows.graph_node_rows`),
   with Python's cyclic garbage collector paused for the whole load (:func:`innograph.collector.collector_paused`:
   each collection walked the whole graph, and made the rows of a big graph cost twice as much),
2. creates the schema if it is missing (constraints make MERGE both fast and safe when two
   loads run at once); into an empty database only the key constraints come first, and the
   other indexes (dropped if present) are created once the data is written: one population
   is faster than an update at every write,
3. writes nodes, label by label: keys a bulk check finds absent with ``CREATE`` (static labels,
   no lookup), the others with ``MERGE``; a CREATE batch that a key constraint refuses (another
   client created a key meanwhile) is written again with MERGE; ``workers`` node batches at once,
4. then relationships, grouped by (type, head end, tail end), with MERGE, in rounds of
   ``relationship_workers`` batches at once (1 by default) that share no end node (:func:`disjoint_rounds`: MERGE locks both
   ends, and two batches sharing ends deadlocked), each batch of ``batch_size`` rows in one
   managed transaction (``session.execute_write``, which retries transient errors),
5. is idempotent: MERGE on ``key`` and SET from the record, so re-running a load that stopped
   part-way completes it and re-running a finished one changes nothing.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, ConstraintError, DriverError, Neo4jError
from pydantic import computed_field

from innograph import cypher
from innograph.collector import collector_paused
from innograph.config import Neo4jSettings
from innograph.errors import InnographError, LoadError, Neo4jUnavailable
from innograph.graph.model import InnoGraph
from innograph.graph.rows import (checksum, edge_digest, edge_properties, graph_edge_digests, graph_edge_rows,
                                  graph_node_digests, graph_node_rows, node_digest, node_properties)
from innograph.loaders.base import GraphStore, GraphWriter, LoadReport
from innograph.loaders.connection import CONNECTION_ERRORS, connect, is_transient, reason, server_errors, unavailable
from innograph.models import Frozen, ProgressCallback
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType, node_label

DEFAULT_BATCH_SIZE = 5000
#: transactions at once: node batches (the load's nodes share no lock), and relationship batches
#: partitioned so that no two at once share an end node (MERGE locks both ends; batches of one
#: type cut in key order share articles and regions, and two of those at once deadlocked)
DEFAULT_WORKERS = 2
#: relationship transactions at once (rounds sharing no end node). 1: on the 2-core machine two
#: at once were no clear gain (whole load, same runs: 12,941 against 14,620 rows/s in one run,
#: 11,870 against 9,735 in the next): the server and the client share the cores, and batches
#: still wait on the relationship records at the head of their ends' chains, which a
#: relationship between two batches' nodes links (now and then a deadlock, retried).
DEFAULT_RELATIONSHIP_WORKERS = 1
#: keys per query of the bulk check of which keys a label already holds
EXISTING_CHUNK = 20000
#: attempts at a schema statement that another client's statement blocks (deadlock, rule being created)
SCHEMA_ATTEMPTS = 8

NodeLabel = EntityLabel | ProvenanceLabel
EdgeType = RelType | GraphRelType


# -- rows (built by innograph.graph.rows) ------------------------------------------------
def node_rows(graph: InnoGraph) -> dict[NodeLabel, list[dict[str, Any]]]:
    """``{key, props}`` rows per label, sorted by key (a fixed lock order makes deadlocks rarer)."""
    rows: dict[NodeLabel, list[dict[str, Any]]] = defaultdict(list)
    for key, node, props in graph_node_rows(graph):
        rows[node].append({"key": key, "props": props})
    for group in rows.values():
        group.sort(key=lambda row: row["key"])
    return {lab: rows[lab] for lab in cypher.NODE_LABELS if lab in rows}


EdgeGroup = tuple[EdgeType, cypher.EndLabel, cypher.EndLabel]


def edge_rows(graph: InnoGraph) -> dict[EdgeGroup, list[dict[str, Any]]]:
    """``{source, target, props}`` rows per (type, head end, tail end) (see :func:`cypher.end_label`), sorted by ends."""
    ends: dict[str, cypher.EndLabel] = {}

    def end(key: str) -> cypher.EndLabel:
        found = ends.get(key)
        if found is None:
            value = graph.nx.nodes[key].get("label") if key in graph.nx else None
            if value is None:
                raise LoadError(f"the graph has an edge to {key!r} but no node record for it: rebuild the store")
            found = ends[key] = cypher.end_label(
                value if isinstance(value, (EntityLabel, ProvenanceLabel)) else node_label(str(value)))
        return found

    rows: dict[EdgeGroup, list[dict[str, Any]]] = defaultdict(list)
    for source, type_, target, props in graph_edge_rows(graph):
        rows[(type_, end(source), end(target))].append({"source": source, "target": target, "props": props})
    order = {value: i for i, value in enumerate((*cypher.EDGE_TYPES, cypher.ENTITY, *ProvenanceLabel))}
    ordered = sorted(rows, key=lambda g: (order[g[0]], order[g[1]], order[g[2]]))
    for group in rows.values():
        group.sort(key=lambda row: (row["source"], row["target"]))
    return {g: rows[g] for g in ordered}


def disjoint_rounds(rows: Sequence[dict[str, Any]], workers: int, size: int) -> Iterator[list[list[dict[str, Any]]]]:
    """``rows`` (relationship rows) as rounds of at most ``workers`` batches of at most ``size``
    rows, where no two batches of a round share an end node: MERGE locks both ends, so batches
    of one round can run at once without waiting for (or deadlocking against) each other.

    Greedy: a row goes to the batch that already holds one of its ends, or, both ends free, to
    the smallest batch; a row whose ends two batches hold waits for a later round.

    >>> rows = [{"source": s, "target": t} for s, t in [("a", "x"), ("b", "y"), ("a", "y"), ("c", "z")]]
    >>> [[[r["source"] + r["target"] for r in b] for b in round_] for round_ in disjoint_rounds(rows, 2, 10)]
    [[['ax', 'cz'], ['by']], [['ay']]]
    >>> all(not ({r["source"] for r in b} | {r["target"] for r in b}) & ({r["source"] for r in c} | {r["target"] for r in c})
    ...     for round_ in disjoint_rounds(rows * 3, 3, 2) for i, b in enumerate(round_) for c in round_[i + 1:])
    True
    """
    pending = list(rows)
    while pending:
        owner: dict[str, int] = {}
        round_: list[list[dict[str, Any]]] = [[] for _ in range(workers)]
        deferred: list[dict[str, Any]] = []
        full = index = 0
        while index < len(pending) and full < workers:
            row = pending[index]
            index += 1
            s, t = row["source"], row["target"]
            hs, ht = owner.get(s), owner.get(t)
            if hs is None and ht is None:
                i = min(range(workers), key=lambda j: len(round_[j]))
            elif hs is None or ht is None or hs == ht:
                i = hs if hs is not None else ht  # type: ignore[assignment]
            else:
                deferred.append(row)
                continue
            batch = round_[i]
            if len(batch) >= size:
                deferred.append(row)
                continue
            batch.append(row)
            owner[s] = owner[t] = i
            if len(batch) == size:
                full += 1
        pending = deferred + pending[index:]
        yield [b for b in round_ if b]


def batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    """
    >>> [len(b) for b in batches([{}] * 5, 2)]
    [2, 2, 1]
    """
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


# -- reports ----------------------------------------------------------------------------------
class SchemaItem(Frozen):
    name: str
    kind: str  # e.g. UNIQUENESS, RANGE, FULLTEXT, LOOKUP
    labels_or_types: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    state: str | None = None  # indexes: ONLINE, POPULATING, FAILED


class SchemaReport(Frozen):
    """What the database holds, and which of the constraints and indexes init_schema makes it lacks."""

    constraints: tuple[SchemaItem, ...]
    indexes: tuple[SchemaItem, ...]
    missing: tuple[str, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        return not self.missing and all(i.state in (None, "ONLINE") for i in self.indexes)


class CountDiff(Frozen):
    expected: int
    actual: int

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


class VerifyReport(Frozen):
    """Embedded graph (expected) against Neo4j (actual): counts per label and type, and checksums of
    every node's labels and properties and every relationship's properties."""

    nodes: dict[str, CountDiff]
    edges: dict[str, CountDiff]
    node_checksum_expected: str
    node_checksum_actual: str
    edge_checksum_expected: str
    edge_checksum_actual: str
    nodes_differing: tuple[str, ...] = ()  # keys (at most a few) whose labels or properties differ
    edges_differing: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.differences()

    def differences(self) -> list[str]:
        """One line per difference, empty when Neo4j holds exactly the embedded graph."""
        lines = [f"{name} nodes: {d.expected} in the store, {d.actual} in Neo4j" for name, d in self.nodes.items() if not d.ok]
        lines += [f"{name} relationships: {d.expected} in the store, {d.actual} in Neo4j" for name, d in self.edges.items() if not d.ok]
        if self.node_checksum_expected != self.node_checksum_actual:
            lines.append("nodes differ in keys, labels or properties"
                         + (f" (e.g. {', '.join(self.nodes_differing)})" if self.nodes_differing else ""))
        if self.edge_checksum_expected != self.edge_checksum_actual:
            lines.append("relationships differ in ends, types or properties"
                         + (f" (e.g. {', '.join(self.edges_differing)})" if self.edges_differing else ""))
        return lines


class SyncReport(Frozen):
    """What a sync deleted before loading: nodes and relationships the store does not have as they are."""

    nodes_deleted: int
    relationships_deleted: int


def _edge_ident(source: str, type_: str, target: str) -> str:
    return f"{source} -[{type_}]-> {target}"


def _examples(expected: dict, actual: dict, limit: int = 3) -> tuple[str, ...]:
    keys = sorted({k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k)}, key=str)
    return tuple(str(k if isinstance(k, str) else _edge_ident(*k)) for k in keys[:limit])


# -- the writer -------------------------------------------------------------------------------
class Neo4jWriter(GraphWriter, GraphStore):
    """Loads an :class:`InnoGraph` into Neo4j; verifies Neo4j against it. Use as a context manager
    (or call :meth:`close`); pass ``driver`` to share one (the writer then leaves it open).

    ``progress``, when given, is called as rows are written (see :class:`~innograph.models.ProgressCallback`).
    """

    def __init__(self, settings: Neo4jSettings, driver: Driver | None = None, *,
                 progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self._driver = driver
        self._owns_driver = driver is None
        self.progress = progress
        #: seconds of each phase of the last load: rows, schema, nodes, relationships, indexes
        self.phase_seconds: dict[str, float] = {}

    # -- connection ---------------------------------------------------------------------------
    def __enter__(self) -> "Neo4jWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None and self._owns_driver:
            self._driver.close()
            self._driver = None

    @property
    def driver(self) -> Driver:
        """The driver, connected and logged in (:func:`innograph.loaders.connection.connect`)."""
        if self._driver is None:
            self._driver = connect(self.settings)
        return self._driver

    def _errors(self, doing: str):  # noqa: ANN202
        return server_errors(self.settings, doing)

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.settings.database, routing_="r")
        return [record.data() for record in records]

    # -- schema -------------------------------------------------------------------------------
    def init_schema(self, wait_seconds: int = 300) -> SchemaReport:
        """Create every constraint and index (idempotent) and wait until the indexes are online.

        Safe when several clients create it at once: a statement that deadlocks against another
        client's (or finds the same rule being created) is retried, and a rule that now exists
        is what was wanted.
        """
        self._schema_statements(cypher.schema_statements(), wait_seconds)
        return self.schema()

    def _schema_statements(self, statements: Sequence[str], wait_seconds: int | None = None) -> None:
        """Run schema statements, retrying one another client's statement blocks; then, given
        ``wait_seconds``, wait until the indexes are online."""
        with self._errors("creating the schema"), self.driver.session(database=self.settings.database) as session:
            for statement in statements:
                for attempt in range(SCHEMA_ATTEMPTS):
                    try:
                        session.run(statement).consume()
                        break
                    except ClientError as exc:
                        if (exc.code or "").endswith(("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists",
                                                      "IndexAlreadyExists")):
                            break
                        if not is_transient(exc) or attempt == SCHEMA_ATTEMPTS - 1:
                            raise
                    except Neo4jError as exc:
                        if not is_transient(exc) or attempt == SCHEMA_ATTEMPTS - 1:
                            raise
                    time.sleep(0.05 * 2 ** attempt)  # back off: the other client's statement finishes first
            if wait_seconds is not None:
                session.run(cypher.AWAIT_INDEXES, seconds=wait_seconds).consume()

    def schema(self) -> SchemaReport:
        """The constraints and indexes that exist, and those of :func:`cypher.expected_schema` missing."""
        with self._errors("reading the schema"):
            constraints = tuple(
                SchemaItem(name=r["name"], kind=r["type"], labels_or_types=tuple(r["labelsOrTypes"] or ()),
                           properties=tuple(r["properties"] or ()))
                for r in self._read(cypher.SHOW_CONSTRAINTS)
            )
            indexes = tuple(
                SchemaItem(name=r["name"], kind=r["type"], labels_or_types=tuple(r["labelsOrTypes"] or ()),
                           properties=tuple(r["properties"] or ()), state=r["state"])
                for r in self._read(cypher.SHOW_INDEXES)
            )
        present = {c.name for c in constraints} | {i.name for i in indexes}
        missing = tuple(name for name in cypher.expected_schema() if name not in present)
        return SchemaReport(constraints=constraints, indexes=indexes, missing=missing)

    # -- load ---------------------------------------------------------------------------------
    def write(self, graph: InnoGraph) -> LoadReport:
        """:class:`~innograph.loaders.base.GraphStore`: afterwards Neo4j holds exactly ``graph``."""
        return self.load(graph, sync=True)

    def load(self, graph: InnoGraph, batch_size: int = DEFAULT_BATCH_SIZE, *, sync: bool = False,
             workers: int = DEFAULT_WORKERS, relationship_workers: int = DEFAULT_RELATIONSHIP_WORKERS) -> LoadReport:
        """Write every node, then every relationship, in batches; see the module docstring.

        ``sync``: first delete what Neo4j holds and ``graph`` does not hold as it is (nodes of other
        keys or labels, relationships of other ends or types, duplicates), so that afterwards
        Neo4j equals ``graph``; the load then rewrites every property. ``workers``: transactions
        of node batches run at once (nodes of one load never share a lock); ``relationship_workers``:
        relationship batches at once, in rounds sharing no end node.
        """
        if batch_size < 1:
            raise InnographError("the batch size must be at least 1")
        if workers < 1 or relationship_workers < 1:
            raise InnographError("the number of parallel transactions must be at least 1")
        with collector_paused():  # building the rows walked the graph at every collection
            return self._load(graph, batch_size, sync, workers, relationship_workers)

    def _load(self, graph: InnoGraph, batch_size: int, sync: bool, workers: int, relationship_workers: int) -> LoadReport:
        started = time.perf_counter()
        nodes = node_rows(graph)
        edges = edge_rows(graph)
        total = sum(map(len, nodes.values())) + sum(map(len, edges.values()))
        phases: dict[str, float] = {"rows": time.perf_counter() - started}
        mark = time.perf_counter()
        deferred = self._prepare_schema()
        deleted = self.delete_extra(graph, batch_size) if sync else None
        phases["schema"] = time.perf_counter() - mark
        self.phase_seconds = phases
        progress = _Progress(self, total)
        mark = time.perf_counter()
        try:
            jobs: list[tuple[str, str | None, Sequence[dict[str, Any]], str]] = []
            for node, rows in nodes.items():
                new, old = self._split_new(node, rows)
                jobs += [(cypher.create_nodes(node), cypher.merge_nodes(node), b, f"{node.value} nodes")
                         for b in batches(new, batch_size)]
                jobs += [(cypher.merge_nodes(node), None, b, f"{node.value} nodes") for b in batches(old, batch_size)]
            self._run_parallel(jobs, workers, progress)
            phases["nodes"] = time.perf_counter() - mark
            mark = time.perf_counter()
            self._write_relationships(edges, batch_size, relationship_workers, progress)
            phases["relationships"] = time.perf_counter() - mark
        except InnographError:
            raise
        except CONNECTION_ERRORS as exc:
            raise Neo4jUnavailable(
                f"{unavailable(self.settings, exc)} (the load stopped after {progress.done} of {total} rows: "
                "re-running it completes it)"
            ) from None
        except (Neo4jError, DriverError, OSError) as exc:
            raise LoadError(
                f"the load into Neo4j at {self.settings.uri} stopped after {progress.done} of {total} rows "
                f"({reason(exc)}): re-running it completes it"
            ) from None
        mark = time.perf_counter()
        if deferred:
            self.init_schema()
        phases["indexes"] = time.perf_counter() - mark
        written_edges: dict[str, int] = defaultdict(int)
        for (type_, _, _), rows in edges.items():
            written_edges[type_.value] += len(rows)
        return LoadReport(
            target=f"Neo4j {self.settings.uri} (database {self.settings.database})",
            nodes={node.value: len(rows) for node, rows in nodes.items()},
            edges=dict(sorted(written_edges.items())),
            batch_size=batch_size,
            seconds=time.perf_counter() - started,
            nodes_deleted=deleted.nodes_deleted if deleted else 0,
            relationships_deleted=deleted.relationships_deleted if deleted else 0,
        )

    def _prepare_schema(self) -> bool:
        """The schema a load needs; True when the indexes besides the key constraints are left to the end.

        Into an empty database only the key constraints (which MERGE and MATCH use) are created
        first and the other indexes are dropped if present: populating them once after the load
        is faster than updating them at every write. Otherwise the whole schema is created first.
        """
        with self._errors("reading the database"):
            empty = not self._read(cypher.ANY_NODE_AT_ALL)
        if not empty:
            self.init_schema()
            return False
        self._schema_statements([cypher.create_key_constraint(node) for node in cypher.KEY_LABELS]
                                + cypher.drop_secondary_index_statements())
        return True

    def _write_relationships(self, edges: dict[EdgeGroup, list[dict[str, Any]]], batch_size: int, workers: int,
                             progress: "_Progress") -> None:
        """MERGE every relationship row, group by group, in rounds of ``workers`` batches at once that
        share no end node (:func:`disjoint_rounds`): concurrent batches never wait on each other's
        locks, so they cannot deadlock; each batch checks that every row found both its ends."""
        session = _SessionPerThread(self.driver, self.settings.database)

        def run(query: str, rows: Sequence[dict[str, Any]], group: EdgeGroup) -> int:
            count = session().execute_write(_run_count, query, rows)
            if count != len(rows):
                type_, head, tail = group
                raise LoadError(
                    f"{len(rows) - count} {type_.value} relationships from {head.value} to "
                    f"{tail.value} found no end node in Neo4j (was it cleared during the load?): "
                    "re-running the load completes it"
                )
            return len(rows)

        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for group, rows in edges.items():
                    query, what = cypher.merge_relationships(*group), f"{group[0].value} relationships"
                    for round_ in disjoint_rounds(rows, workers, batch_size):
                        if len(round_) == 1:
                            progress.add(run(query, round_[0], group), what)
                            continue
                        futures = [pool.submit(run, query, b, group) for b in round_]
                        for written in _results(futures, futures):
                            progress.add(written, what)
        finally:
            session.close_all()

    def _split_new(self, node: NodeLabel, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``rows`` whose key no ``node`` node holds (checked in bulk), and the others."""
        with self._errors("reading which keys exist"):
            if not self._read(cypher.any_node(node)):
                return rows, []
            present: set[str] = set()
            for chunk in batches(rows, EXISTING_CHUNK):
                present.update(r["key"] for r in self._read(cypher.existing_keys(node), keys=[r["key"] for r in chunk]))
        return [r for r in rows if r["key"] not in present], [r for r in rows if r["key"] in present]

    def _run_parallel(self, jobs: list[tuple[str, str | None, Sequence[dict[str, Any]], str]], workers: int,
                      progress: "_Progress") -> None:
        """Run each (query, fallback, rows, what) in its own managed transaction, ``workers`` at a time.
        A CREATE batch that a key constraint refuses (another client created one of its keys since
        it was checked) is written again with its fallback, the MERGE."""
        session = _SessionPerThread(self.driver, self.settings.database)

        def run(job: tuple[str, str | None, Sequence[dict[str, Any]], str]) -> tuple[int, str]:
            query, fallback, rows, what = job
            try:
                session().execute_write(_run, query, rows)
            except ConstraintError:
                if fallback is None:
                    raise
                session().execute_write(_run, fallback, rows)
            return len(rows), what

        try:
            if workers == 1 or len(jobs) < 2:
                for job in jobs:
                    progress.add(*run(job))
                return
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(run, job) for job in jobs]
                for done in _results(futures, as_completed(futures)):
                    progress.add(*done)
        finally:
            session.close_all()

    def delete_extra(self, graph: InnoGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> SyncReport:
        """Delete, in batches, the nodes and relationships of Neo4j that ``graph`` does not have as they are.

        A node is kept when ``graph`` has its key with the same labels (its properties are
        rewritten by the load); a relationship when ``graph`` has its (source, type, target) and it
        is the first of that triple. What is deleted is written again by the load that follows.
        """
        expected_labels = {n.key: sorted(labels) for n, labels in _labelled(graph)}
        expected_edges = {(e.source, e.type.value, e.target) for e in graph.edges()}
        with self._errors("reading what to delete"):
            stale_nodes = [r["id"] for r in self._read(cypher.NODE_IDENTS)
                           if r["key"] is None or expected_labels.get(r["key"]) != sorted(r["labels"])]
            seen: set[tuple[str, str, str]] = set()
            stale_edges = []
            for r in self._read(cypher.RELATIONSHIP_ELEMENT_IDENTS):
                ident = (r["source"], r["type"], r["target"])
                if ident not in expected_edges or ident in seen:
                    stale_edges.append(r["id"])
                seen.add(ident)
        with self._errors("deleting what the store does not have"), \
                self.driver.session(database=self.settings.database) as session:
            for batch in batches(stale_edges, batch_size):
                session.execute_write(_run_ids, cypher.DELETE_RELATIONSHIPS_BY_ID, batch)
            for batch in batches(stale_nodes, batch_size):
                session.execute_write(_run_ids, cypher.DELETE_NODES_BY_ID, batch)
        return SyncReport(nodes_deleted=len(stale_nodes), relationships_deleted=len(stale_edges))

    # -- read -------------------------------------------------------------------------------
    def read(self) -> InnoGraph:
        """The graph Neo4j holds, as records (the inverse of the load's rows)."""
        from innograph.graph.rows import edge_from_row, node_from_row

        with self._errors("reading the graph"):
            nodes = [node_from_row(r["labels"], r["props"]) for r in self._read(cypher.NODE_DIGEST_ROWS)
                     if r["key"] is not None]
            edges = [edge_from_row(r["source"], r["type"], r["target"], r["props"])
                     for r in self._read(cypher.RELATIONSHIP_DIGEST_ROWS)]
        return InnoGraph.from_records(nodes, edges)

    # -- verify -------------------------------------------------------------------------------
    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per ontology label (and ``Entity``) and relationships per type in Neo4j (zeros left out)."""
        with self._errors("counting"):
            nodes = {n.value: self._read(cypher.count_nodes(n))[0]["n"] for n in cypher.KEY_LABELS}
            edges = {t.value: self._read(cypher.count_relationships(t))[0]["n"] for t in cypher.EDGE_TYPES}
        return {k: v for k, v in nodes.items() if v}, {k: v for k, v in edges.items() if v}

    def verify(self, graph: InnoGraph) -> VerifyReport:
        """Compare Neo4j with ``graph``: counts per label and type, and checksums of every node's key,
        labels and properties and every relationship's ends, type and properties."""
        actual_nodes, actual_edges = self.counts()
        expected_nodes, expected_edges = graph.count_by_label(), graph.count_by_type()
        entities = sum(n for label, n in expected_nodes.items() if label in EntityLabel.__members__)
        if entities:
            expected_nodes[cypher.ENTITY.value] = entities
        expected_node_digests = graph_node_digests(graph)
        expected_edge_digests = graph_edge_digests(graph)
        with self._errors("reading the graph"):
            node_digests: dict[str, str] = {}
            unkeyed = []
            for r in self._read(cypher.NODE_DIGEST_ROWS):
                digest = node_digest(r["key"] or "", r["labels"], r["props"])
                if r["key"] is None or r["key"] in node_digests:
                    unkeyed.append(digest)
                else:
                    node_digests[r["key"]] = digest
            edge_digests: dict[tuple[str, str, str], str] = {}
            extra_edges = []
            for r in self._read(cypher.RELATIONSHIP_DIGEST_ROWS):
                ident = (r["source"] or "", r["type"], r["target"] or "")
                digest = edge_digest(*ident, r["props"])
                if ident in edge_digests:
                    extra_edges.append(digest)
                else:
                    edge_digests[ident] = digest
        return VerifyReport(
            nodes={k: CountDiff(expected=expected_nodes.get(k, 0), actual=actual_nodes.get(k, 0))
                   for k in sorted(set(expected_nodes) | set(actual_nodes))},
            edges={k: CountDiff(expected=expected_edges.get(k, 0), actual=actual_edges.get(k, 0))
                   for k in sorted(set(expected_edges) | set(actual_edges))},
            node_checksum_expected=checksum(expected_node_digests.values()),
            node_checksum_actual=checksum([*node_digests.values(), *unkeyed]),
            edge_checksum_expected=checksum(expected_edge_digests.values()),
            edge_checksum_actual=checksum([*edge_digests.values(), *extra_edges]),
            nodes_differing=_examples(expected_node_digests, node_digests),
            edges_differing=_examples(expected_edge_digests, edge_digests),
        )

    def clear(self) -> None:
        """Delete every node and relationship (tests, benchmarks). The schema stays."""
        with self._errors("clearing the database"), self.driver.session(database=self.settings.database) as session:
            session.run(cypher.DELETE_ALL).consume()


def _labelled(graph: InnoGraph):  # noqa: ANN202
    from innograph.graph.rows import node_labels

    return ((n, node_labels(n)) for n in graph.nodes())


class _Progress:
    """Rows written so far, reported to the writer's progress callback (from one thread at a time)."""

    def __init__(self, writer: Neo4jWriter, total: int) -> None:
        self.writer, self.total, self.done = writer, total, 0

    def add(self, rows: int, what: str) -> None:
        self.done += rows
        if self.writer.progress is not None:
            self.writer.progress(self.done, self.total, what)


def _results(futures: Sequence[Future], order: Iterable[Future]) -> Iterator[Any]:
    """The results of ``futures`` in ``order``; the first that raises cancels the ones not started."""
    try:
        for future in order:
            yield future.result()
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def _run(tx: ManagedTransaction, query: str, rows: Sequence[dict[str, Any]]) -> None:
    tx.run(query, rows=list(rows)).consume()


def _run_ids(tx: ManagedTransaction, query: str, ids: Sequence[str]) -> None:
    tx.run(query, ids=list(ids)).consume()


class _SessionPerThread:
    """One driver session per worker thread (a session is not thread-safe), opened on first use
    and all closed by :meth:`close_all`."""

    def __init__(self, driver: Driver, database: str) -> None:
        self._driver, self._database = driver, database
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        if not hasattr(self._local, "session"):
            self._local.session = self._driver.session(database=self._database)
            with self._lock:
                self._sessions.append(self._local.session)
        return self._local.session

    def close_all(self) -> None:
        for opened in self._sessions:
            opened.close()


def _run_count(tx: ManagedTransaction, query: str, rows: Sequence[dict[str, Any]]) -> int:
    record = tx.run(query, rows=list(rows)).single(strict=True)
    return int(record["written"])


__all__ = [
    "DEFAULT_BATCH_SIZE", "CountDiff", "LoadReport", "Neo4jWriter", "SchemaItem", "SchemaReport", "SyncReport",
    "VerifyReport", "checksum", "edge_properties", "edge_rows", "node_properties", "node_rows", "unavailable",
]
