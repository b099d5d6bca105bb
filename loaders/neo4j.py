"""Writes the embedded graph to Neo4j, and checks that Neo4j holds the same graph.

>>> from innograph.config import Neo4jSettings
>>> w = Neo4jWriter(Neo4jSettings(password="x"))   # no connection until first use
>>> isinstance(w, GraphWriter)
True

The storage model (evidence as parallel lists, ``SET n = row.props``) and the way relationship
ends are matched are described in :mod:`innograph.cypher`. A load:

1. creates the schema if it is missing (constraints make MERGE both fast and safe when two
   loads run at once),
2. writes nodes, label by label, then relationships, grouped by (type, head end, tail end),
   each batch of ``batch_size`` rows in one managed transaction
   (``session.execute_write``, which retries transient errors such as deadlocks),
3. is idempotent: MERGE on ``key`` and SET from the record, so re-running a load that stopped
   part-way completes it and re-running a finished one changes nothing.
"""
from __future__ import annotations

import hashlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from pydantic import computed_field

from innograph import cypher
from innograph.config import Neo4jSettings
from innograph.errors import InnographError, LoadError, Neo4jUnavailable
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.loaders.base import GraphWriter, LoadReport
from innograph.models import Frozen
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType, node_label

DEFAULT_BATCH_SIZE = 5000
BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})

NodeLabel = EntityLabel | ProvenanceLabel
EdgeType = RelType | GraphRelType


# -- rows -------------------------------------------------------------------------------------
def node_properties(node: NodeRecord) -> dict[str, Any]:
    """The properties of a node: the record's ``properties`` map, then its own fields (which win).

    >>> node_properties(NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室",
    ...                            aliases=("之江",), alias_counts={"之江": 2}, mention_count=3))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'key': 'Lab:之江实验室', 'name': '之江实验室', 'aliases': ['之江'], 'alias_count_names': ['之江'],
     'alias_count_values': [2], 'mention_count': 3}
    """
    props: dict[str, Any] = {k: v for k, v in node.properties.items() if v is not None}
    names = sorted(node.alias_counts)
    props.update(
        key=node.key,
        name=node.name,
        aliases=list(node.aliases),
        alias_count_names=names,
        alias_count_values=[node.alias_counts[n] for n in names],
        mention_count=node.mention_count,
    )
    if node.first_issue is not None:
        props["first_issue"] = node.first_issue
    if node.last_issue is not None:
        props["last_issue"] = node.last_issue
    return props


def edge_properties(edge: EdgeRecord) -> dict[str, Any]:
    """The properties of a relationship: its ``properties`` map, ``count`` and evidence as parallel lists."""
    props: dict[str, Any] = {k: v for k, v in edge.properties.items() if v is not None}
    props.update(
        count=edge.count,
        evidence_doc_ids=[e.doc_id for e in edge.evidence],
        evidence_sentences=[e.sentence for e in edge.evidence],
        evidence_starts=[e.start for e in edge.evidence],
        evidence_ends=[e.end for e in edge.evidence],
    )
    return props


def node_rows(graph: InnoGraph) -> dict[NodeLabel, list[dict[str, Any]]]:
    """``{key, props}`` rows per label, sorted by key (a fixed lock order makes deadlocks rarer)."""
    rows: dict[NodeLabel, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes():
        rows[node.label].append({"key": node.key, "props": node_properties(node)})
    for group in rows.values():
        group.sort(key=lambda row: row["key"])
    return {lab: rows[lab] for lab in cypher.NODE_LABELS if lab in rows}


def _label_of(graph: InnoGraph, key: str) -> NodeLabel:
    """The label of an edge end, from its node record: a LoadError if the graph has none."""
    value = graph.nx.nodes[key].get("label") if key in graph.nx else None
    if value is None:
        raise LoadError(f"the graph has an edge to {key!r} but no node record for it: rebuild the store")
    return value if isinstance(value, (EntityLabel, ProvenanceLabel)) else node_label(str(value))


EdgeGroup = tuple[EdgeType, cypher.EndLabel, cypher.EndLabel]


def edge_rows(graph: InnoGraph) -> dict[EdgeGroup, list[dict[str, Any]]]:
    """``{source, target, props}`` rows per (type, head end, tail end) (see :func:`cypher.end_label`), sorted by ends."""
    rows: dict[EdgeGroup, list[dict[str, Any]]] = defaultdict(list)
    for edge in graph.edges():
        group = (edge.type, cypher.end_label(_label_of(graph, edge.source)), cypher.end_label(_label_of(graph, edge.target)))
        rows[group].append({"source": edge.source, "target": edge.target, "props": edge_properties(edge)})
    order = {value: i for i, value in enumerate((*cypher.EDGE_TYPES, cypher.ENTITY, *ProvenanceLabel))}
    ordered = sorted(rows, key=lambda g: (order[g[0]], order[g[1]], order[g[2]]))
    for group in rows.values():
        group.sort(key=lambda row: (row["source"], row["target"]))
    return {g: rows[g] for g in ordered}


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
    """Embedded graph (expected) against Neo4j (actual): counts per label and type, key checksums."""

    nodes: dict[str, CountDiff]
    edges: dict[str, CountDiff]
    node_checksum_expected: str
    node_checksum_actual: str
    edge_checksum_expected: str
    edge_checksum_actual: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.differences()

    def differences(self) -> list[str]:
        """One line per difference, empty when Neo4j holds exactly the embedded graph."""
        lines = [f"{name} nodes: {d.expected} in the store, {d.actual} in Neo4j" for name, d in self.nodes.items() if not d.ok]
        lines += [f"{name} relationships: {d.expected} in the store, {d.actual} in Neo4j" for name, d in self.edges.items() if not d.ok]
        if self.node_checksum_expected != self.node_checksum_actual:
            lines.append("node keys differ (checksum of the sorted keys)")
        if self.edge_checksum_expected != self.edge_checksum_actual:
            lines.append("relationships differ (checksum of the sorted (source, type, target))")
        return lines


def checksum(items: Iterable[str]) -> str:
    """SHA-256 of the sorted items, one per line.

    >>> checksum(["b", "a"]) == checksum(["a", "b"])
    True
    """
    digest = hashlib.sha256()
    for item in sorted(items):
        digest.update(item.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _edge_ident(source: str, type_: str, target: str) -> str:
    return f"{source}\t{type_}\t{target}"


# -- errors -----------------------------------------------------------------------------------
def unavailable(settings: Neo4jSettings, exc: BaseException) -> Neo4jUnavailable:
    """The one-line error for a server that cannot be reached or refuses the login."""
    if isinstance(exc, AuthError):
        return Neo4jUnavailable(
            f"Neo4j refused the credentials for user '{settings.username}' at {settings.uri}: set NEO4J_PASSWORD"
        )
    if isinstance(exc, ConfigurationError):
        return Neo4jUnavailable(f"cannot use NEO4J_URI {settings.uri!r}: {_reason(exc)} (e.g. bolt://127.0.0.1:7687)")
    if isinstance(exc, ClientError) and exc.code and exc.code.endswith("DatabaseNotFound"):
        return Neo4jUnavailable(f"Neo4j at {settings.uri} has no database {settings.database!r}: set NEO4J_DATABASE")
    return Neo4jUnavailable(
        f"cannot connect to Neo4j at {settings.uri}: {_reason(exc)} "
        "— start it with 'scripts/neo4j-local start' or set NEO4J_URI"
    )


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


_CONNECTION_ERRORS = (ServiceUnavailable, SessionExpired, AuthError, ConfigurationError)


# -- the writer -------------------------------------------------------------------------------
class Neo4jWriter(GraphWriter):
    """Loads an :class:`InnoGraph` into Neo4j; verifies Neo4j against it. Use as a context manager
    (or call :meth:`close`); pass ``driver`` to share one (the writer then leaves it open)."""

    def __init__(self, settings: Neo4jSettings, driver: Driver | None = None, *, progress: bool | None = None) -> None:
        self.settings = settings
        self._driver = driver
        self._owns_driver = driver is None
        self._checked = False
        self.progress = sys.stderr.isatty() if progress is None else progress

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
        """The driver, connected and logged in (checked once): a Neo4jUnavailable otherwise."""
        if self._driver is None:
            scheme = self.settings.uri.split("://", 1)[0] if "://" in self.settings.uri else ""
            if scheme not in BOLT_SCHEMES:
                raise unavailable(self.settings, ConfigurationError("not a Bolt URI (bolt:// or neo4j://)"))
            try:
                self._driver = GraphDatabase.driver(
                    self.settings.uri, auth=(self.settings.username, self.settings.password),
                    # Counting a type no graph has yet draws an "unknown type" warning: not news here.
                    notifications_min_severity="OFF",
                )
            except (ConfigurationError, ValueError) as exc:
                raise unavailable(self.settings, ConfigurationError(str(exc))) from exc
        if not self._checked:
            try:
                self._driver.verify_connectivity()
            except (*_CONNECTION_ERRORS, ClientError, DriverError, OSError) as exc:
                raise unavailable(self.settings, exc) from exc
            self._checked = True
        return self._driver

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Connection loss and login failures become Neo4jUnavailable; other server errors, LoadError."""
        try:
            yield
        except InnographError:
            raise
        except _CONNECTION_ERRORS as exc:
            raise unavailable(self.settings, exc) from exc
        except ClientError as exc:
            if (exc.code or "").endswith("DatabaseNotFound"):
                raise unavailable(self.settings, exc) from exc
            raise LoadError(f"Neo4j failed while {doing}: {_reason(exc)}") from exc
        except (Neo4jError, DriverError) as exc:
            raise LoadError(f"Neo4j failed while {doing}: {_reason(exc)}") from exc

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(
            query, params, database_=self.settings.database, routing_="r"
        )
        return [record.data() for record in records]

    # -- schema -------------------------------------------------------------------------------
    def init_schema(self, wait_seconds: int = 300) -> SchemaReport:
        """Create every constraint and index (idempotent) and wait until the indexes are online."""
        with self._errors("creating the schema"), self.driver.session(database=self.settings.database) as session:
            for statement in cypher.schema_statements():
                try:
                    session.run(statement).consume()
                except ClientError as exc:
                    # Two loads creating the same constraint at the same moment: the other one won.
                    if not (exc.code or "").endswith(("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists", "IndexAlreadyExists")):
                        raise
            session.run(cypher.AWAIT_INDEXES, seconds=wait_seconds).consume()
        return self.schema()

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
        return self.load(graph)

    def load(self, graph: InnoGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> LoadReport:
        """Write every node, then every relationship, in batches; see the module docstring."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        started = time.perf_counter()
        nodes = node_rows(graph)
        edges = edge_rows(graph)
        total = sum(map(len, nodes.values())) + sum(map(len, edges.values()))
        self.init_schema()
        written_nodes: dict[str, int] = {}
        written_edges: dict[str, int] = defaultdict(int)
        done = 0
        with _progress(self.progress, total) as advance, \
                self.driver.session(database=self.settings.database) as session:
            try:
                for node, rows in nodes.items():
                    query = cypher.merge_nodes(node)
                    for batch in batches(rows, batch_size):
                        session.execute_write(_run, query, batch)
                        done += len(batch)
                        advance(len(batch), f"{node.value} nodes")
                    written_nodes[node.value] = len(rows)
                for (type_, head, tail), rows in edges.items():
                    query = cypher.merge_relationships(type_, head, tail)
                    for batch in batches(rows, batch_size):
                        count = session.execute_write(_run_count, query, batch)
                        if count != len(batch):
                            raise LoadError(
                                f"{len(batch) - count} {type_.value} relationships from {head.value} to "
                                f"{tail.value} found no end node in Neo4j (was it cleared during the load?): "
                                "re-running the load completes it"
                            )
                        done += len(batch)
                        advance(len(batch), f"{type_.value} relationships")
                    written_edges[type_.value] += len(rows)
            except InnographError:
                raise
            except _CONNECTION_ERRORS as exc:
                raise Neo4jUnavailable(
                    f"{unavailable(self.settings, exc)} (the load stopped after {done} of {total} rows: "
                    "re-running it completes it)"
                ) from exc
            except (Neo4jError, DriverError, OSError) as exc:
                raise LoadError(
                    f"the load into Neo4j at {self.settings.uri} stopped after {done} of {total} rows "
                    f"({_reason(exc)}): re-running it completes it"
                ) from exc
        return LoadReport(
            target=f"Neo4j {self.settings.uri} (database {self.settings.database})",
            nodes=written_nodes,
            edges=dict(sorted(written_edges.items())),
            batch_size=batch_size,
            seconds=time.perf_counter() - started,
        )

    # -- verify -------------------------------------------------------------------------------
    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per ontology label (and ``Entity``) and relationships per type in Neo4j (zeros left out)."""
        with self._errors("counting"):
            nodes = {n.value: self._read(cypher.count_nodes(n))[0]["n"] for n in cypher.KEY_LABELS}
            edges = {t.value: self._read(cypher.count_relationships(t))[0]["n"] for t in cypher.EDGE_TYPES}
        return {k: v for k, v in nodes.items() if v}, {k: v for k, v in edges.items() if v}

    def verify(self, graph: InnoGraph) -> VerifyReport:
        """Compare Neo4j with ``graph``: counts per label and per type, and checksums of all keys."""
        actual_nodes, actual_edges = self.counts()
        expected_nodes, expected_edges = graph.count_by_label(), graph.count_by_type()
        entities = sum(n for label, n in expected_nodes.items() if label in EntityLabel.__members__)
        if entities:
            expected_nodes[cypher.ENTITY.value] = entities
        with self._errors("reading keys"):
            keys = [r["key"] if r["key"] is not None else "" for r in self._read(cypher.NODE_KEYS)]
            idents = [_edge_ident(r["source"] or "", r["type"], r["target"] or "") for r in self._read(cypher.RELATIONSHIP_IDENTS)]
        return VerifyReport(
            nodes={k: CountDiff(expected=expected_nodes.get(k, 0), actual=actual_nodes.get(k, 0))
                   for k in sorted(set(expected_nodes) | set(actual_nodes))},
            edges={k: CountDiff(expected=expected_edges.get(k, 0), actual=actual_edges.get(k, 0))
                   for k in sorted(set(expected_edges) | set(actual_edges))},
            node_checksum_expected=checksum(graph.nx.nodes),
            node_checksum_actual=checksum(keys),
            edge_checksum_expected=checksum(_edge_ident(s, t, o) for s, o, t in graph.nx.edges(keys=True)),
            edge_checksum_actual=checksum(idents),
        )

    def clear(self) -> None:
        """Delete every node and relationship (tests, benchmarks). The schema stays."""
        with self._errors("clearing the database"), self.driver.session(database=self.settings.database) as session:
            session.run(cypher.DELETE_ALL).consume()


def _run(tx: ManagedTransaction, query: str, rows: Sequence[dict[str, Any]]) -> None:
    tx.run(query, rows=list(rows)).consume()


def _run_count(tx: ManagedTransaction, query: str, rows: Sequence[dict[str, Any]]) -> int:
    record = tx.run(query, rows=list(rows)).single(strict=True)
    return int(record["written"])


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[int, str], None]]:
    """A rich progress bar on stderr with rows per second; a no-op when disabled."""
    if not enabled:
        yield lambda n, what: None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeElapsedColumn)
    from rich.text import Text

    class RowsPerSecond(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} rows/s" if speed else "- rows/s")

    with Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), RowsPerSecond(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("loading", total=total)
        yield lambda n, what: bar.update(task, advance=n, description=what)


__all__ = [
    "DEFAULT_BATCH_SIZE", "CountDiff", "LoadReport", "Neo4jWriter", "SchemaItem", "SchemaReport",
    "VerifyReport", "checksum", "edge_rows", "node_rows", "unavailable",
]
