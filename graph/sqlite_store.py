"""The SQLite file of the embedded store: write a graph whole, read it back whole, open it to ask.

:func:`write` fills a new database file (the caller renames it over the store, see
:mod:`innograph.graph.store`); besides the records it stores what the questions read by index
(:mod:`innograph.graph.sql`): normalised names, the ranked scores and their ranks, each extracted
relationship's first issue, evidence doc ids. A graph that was not annotated
(:func:`innograph.graph.analysis.annotate`) gets them computed here, exactly as the in-memory
backend computes them for it, so the two answer alike.

:func:`payload` reads the records back in the shape of the JSON store, so both formats share
one validation (:func:`innograph.graph.store._fast_graph`, else the full pydantic path).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from innograph.cypher import BETWEENNESS, DEGREE, FIRST_ISSUE
from innograph.errors import StoreError, shown
from innograph.graph import sql
from innograph.ontology import EntityLabel, RelType
from innograph.text import FORM_SEPARATOR, name_keys

if TYPE_CHECKING:  # a question on the store reads it by SQL: no graph model, no networkx
    from innograph.graph.model import InnoGraph

FORMAT = "innograph-graph"
VERSION = 1
#: the first bytes of every SQLite 3 database file
MAGIC = b"SQLite format 3\x00"

_ENTITY_LABELS = frozenset(label.value for label in EntityLabel)
_EXTRACTED = frozenset(t.value for t in RelType)
_REBUILD = "rebuild it with 'innograph build' or pass another store"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _value(member: Any) -> Any:
    return getattr(member, "value", member)


def _annotations(graph: InnoGraph) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]],
                                           dict[tuple[str, str, str], str]]:
    """Per entity its scores and ranks, per extracted relationship its first issue: the stored
    ones, or computed as :class:`~innograph.queries.embedded.EmbeddedBackend` computes them."""
    from innograph.graph.analysis import centrality_properties, ranks, relationship_first_issues

    nodes = graph.nx.nodes
    entities = [k for k, d in graph.nx.nodes(data=True) if _value(d["label"]) in _ENTITY_LABELS]
    scores: dict[str, dict[str, float]] = {"mentions": {k: nodes[k].get("mention_count", 0) for k in entities}}
    computed = None
    for by, prop in (("degree", DEGREE), ("betweenness", BETWEENNESS)):
        if all(prop in (nodes[k].get("properties") or {}) for k in entities):
            scores[by] = {k: nodes[k]["properties"][prop] for k in entities}
        else:
            computed = computed if computed is not None else centrality_properties(graph)
            scores[by] = {k: computed.get(k, {}).get(prop, 0) for k in entities}
    names = {k: nodes[k]["name"] for k in entities}
    ranked = {by: ranks({k: float(s) for k, s in values.items()}, names) for by, values in scores.items()}
    firsts: dict[tuple[str, str, str], str] = {}
    missing = False
    for u, v, t, data in graph.nx.edges(keys=True, data=True):
        if t in _EXTRACTED:
            first = (data.get("properties") or {}).get(FIRST_ISSUE)
            if first is None:
                missing = True
            else:
                firsts[(u, v, t)] = first
    if missing:
        for ident, first in relationship_first_issues(graph).items():
            firsts.setdefault(ident, first)
    return scores, ranked, firsts


def write(graph: InnoGraph, path: Path) -> None:
    """Write ``graph`` into a new SQLite file at ``path`` (which must not hold a database yet)."""
    scores, ranked, firsts = _annotations(graph)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in sql.WRITE_PRAGMAS:
            conn.execute(pragma)
        conn.execute("BEGIN")
        for statement in sql.SCHEMA:
            conn.execute(statement)
        conn.executemany(sql.INSERT_META, [("format", FORMAT), ("version", VERSION)])
        node_rows, name_rows = [], []
        g = graph.nx
        for key in sorted(g.nodes):
            d = g.nodes[key]
            label = _value(d["label"])
            entity = label in _ENTITY_LABELS
            aliases = list(d.get("aliases", ()))
            forms = name_keys(d["name"], aliases) if entity else ()
            name_rows.extend((form, key) for form in forms)
            node_rows.append((
                key, label, d["name"], _json(aliases), _json(d.get("alias_counts") or {}),
                _json({a: _value(r) for a, r in (d.get("alias_reasons") or {}).items()}),
                d.get("mention_count", 0), d.get("first_issue"), d.get("last_issue"), _json(d.get("properties") or {}),
                int(entity), FORM_SEPARATOR.join(forms),
                scores["degree"].get(key) if entity else None, scores["betweenness"].get(key) if entity else None,
                *(ranked[by].get(key) for by in sql.RANK_COLUMNS)))
        conn.executemany(sql.INSERT_NODE, node_rows)
        conn.executemany(sql.INSERT_NAME, name_rows)
        edge_rows, doc_rows = [], []
        for ident, (u, v, t) in enumerate(sorted(g.edges(keys=True)), start=1):
            data = g.edges[u, v, t]
            evidence = [e if isinstance(e, dict) else e.model_dump(mode="json") for e in data.get("evidence") or ()]
            edge_rows.append((ident, u, v, t, _json(evidence), data.get("count", 1), _json(data.get("properties") or {}),
                              firsts.get((u, v, t)) if t in _EXTRACTED else None))
            if t in _EXTRACTED:
                doc_rows.extend((e["doc_id"], ident) for e in evidence)
        conn.executemany(sql.INSERT_EDGE, edge_rows)
        conn.executemany(sql.INSERT_EDGE_DOC, doc_rows)
        for statement in sql.INDEXES:
            conn.execute(statement)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def _invalid(path: Path, what: str) -> StoreError:
    return StoreError(f"the store {path} is unreadable: {what}: {_REBUILD}")


def is_sqlite(path: Path) -> bool:
    """Whether the file at ``path`` is a SQLite database (by its first bytes); False for no file."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to the store at ``path``, once its ``meta`` says it is a store this
    version reads (a :class:`StoreError` in one line otherwise)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            for pragma in sql.READ_PRAGMAS:
                conn.execute(pragma)
            tables = {row[0] for row in conn.execute(sql.TABLES)}
            meta = dict(conn.execute(sql.META)) if "meta" in tables else {}
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise _invalid(path, f"it is not a whole SQLite database ({exc})") from None
    if meta.get("format") != FORMAT or not {"nodes", "names", "edges", "edge_docs"} <= tables:
        conn.close()
        raise StoreError(f"{path} is not an innograph graph store: pass the file 'innograph build' wrote")
    version = meta.get("version")
    if version != VERSION:
        conn.close()
        newer = isinstance(version, int) and version > VERSION
        raise StoreError(f"the store {path} has version {version if isinstance(version, int) else shown(version)}; "
                         f"this innograph reads version {VERSION}: {'upgrade innograph' if newer else _REBUILD}")
    return conn


def _parsed(path: Path, text: Any, column: str) -> Any:
    if type(text) is not str:
        raise _invalid(path, f"a record's {column} is not JSON text")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise _invalid(path, f"a record's {column} is not JSON") from None


def payload(path: Path) -> dict[str, Any]:
    """The store's records in the shape the JSON store has (``format``, ``version``, ``nodes``,
    ``edges``), for :func:`innograph.graph.store.load` to validate and build the graph from."""
    conn = connect(path)
    try:
        nodes = [{"key": key, "label": label, "name": name, "aliases": _parsed(path, aliases, "aliases"),
                  "alias_counts": _parsed(path, counts, "alias_counts"),
                  "alias_reasons": _parsed(path, reasons, "alias_reasons"), "mention_count": mentions,
                  "first_issue": first, "last_issue": last, "properties": _parsed(path, props, "properties")}
                 for key, label, name, aliases, counts, reasons, mentions, first, last, props
                 in conn.execute(sql.ALL_NODES)]
        edges = [{"source": source, "target": target, "type": type_, "evidence": _parsed(path, evidence, "evidence"),
                  "count": count, "properties": _parsed(path, props, "properties")}
                 for source, target, type_, evidence, count, props in conn.execute(sql.ALL_EDGES)]
    except sqlite3.DatabaseError as exc:
        raise _invalid(path, f"it is not a whole SQLite database ({exc})") from None
    finally:
        conn.close()
    return {"format": FORMAT, "version": VERSION, "nodes": nodes, "edges": edges}
