"""The embedded default store: one file of node and edge records, SQLite (the default) or JSON.

The format is the file's: :func:`load` reads a SQLite database (told by its first bytes,
:mod:`innograph.graph.sqlite_store`) or a JSON store (what innograph wrote before SQLite, still
read and written); :func:`save` writes JSON to a path ending in ``.json`` and SQLite to any other.
The default store is ``.innograph/graph.db``; where only an older ``.innograph/graph.json``
exists, that one (:func:`default_store`) until a command writes the store: it converts it first
(:func:`upgrade_legacy_default`). :func:`convert` writes a store in the other format.

Writes are safe (both formats):

* a writer holds an exclusive lock on ``<store>.lock`` (:func:`locked`) from reading the store to
  replacing it, so two builds into one store at once both keep their issues;
* the new store is written to a temporary file in the same directory, flushed and fsynced, then
  renamed over the store (and the directory fsynced), so a crash leaves the old store or the new
  one, never half of one; temporary files a killed run left behind are swept on the next write.

Reading refuses, in one line each, what is not a store this version wrote: a directory, a SQLite
database that is not a store or is damaged, not JSON, JSON nested deeper than a store is, another format or a newer version, records that do
not validate, an edge to a node the store does not have.

Reading is fast for a store exactly as :func:`save` writes it (every record with all its fields in
order, each value of exactly its JSON type): :func:`_fast_graph` checks that shape in one pass and
builds the graph's attributes from the parsed JSON directly. Anything else (an older store, a
hand-edited one, a malformed one) takes the full path: the nesting-depth guard, then pydantic
validation of every record, which loads what validates and words what does not. The fast path
accepts only what the full one accepts and yields the same graph (tested).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from innograph.errors import StoreError, shown
from innograph.graph import sqlite_store
# defined in paths, which a question on a SQLite store imports without this module's graph model
from innograph.graph.paths import DEFAULT_STORE, LEGACY_STORE, default_store, only_the_legacy_store
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence, MergeReason, ProgressCallback
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType

FORMAT = sqlite_store.FORMAT
VERSION = sqlite_store.VERSION
#: a store path with this suffix is written as JSON
JSON_SUFFIX = ".json"
TEMP_SUFFIX = ".tmp"
#: how long a writer waits for another one to finish
LOCK_TIMEOUT_SECONDS = 600.0
#: deeper JSON than a store ever has (store > nodes > node > properties > value) is refused before parsing
MAX_DEPTH = 12

_REBUILD = "rebuild it with 'innograph build' or pass another store"


def convert(source: Path, target: Path, progress: ProgressCallback | None = None) -> InnoGraph:
    """Write the store at ``source`` to ``target`` in ``target``'s format (see :func:`save`) and
    return its graph; ``source`` is left as it was. A file already at ``target`` is refused, so
    nothing is overwritten by mistake. ``progress`` is told 0, 1 and 2 steps of 2 (read, write).

    >>> import tempfile
    >>> from innograph.graph.model import NodeRecord
    >>> from innograph.ontology import EntityLabel
    >>> folder = Path(tempfile.mkdtemp())
    >>> graph = InnoGraph()
    >>> graph.upsert_node(NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室"))
    >>> save(graph, folder / "graph.json")
    >>> len(convert(folder / "graph.json", folder / "graph.db")), is_sqlite(folder / "graph.db")
    (1, True)
    """
    with locked(target):
        if target.exists():
            raise StoreError(f"a store is already at {target}: remove it first or write to another path")
        if progress is not None:
            progress(0, 2, f"reading {source}")
        graph = load(source)
        if progress is not None:
            progress(1, 2, f"writing {target}")
        save(graph, target)
        if progress is not None:
            progress(2, 2, "")
    return graph


def upgrade_legacy_default() -> Path | None:
    """Convert the older default store to the current one where it is the only one, before a
    command writes: no ``$INNOGRAPH_STORE``, no ``.innograph/graph.db``, a ``.innograph/graph.json``.
    Returns the JSON store converted (left as it was), or None when there was nothing to do.
    From then on :func:`default_store` is the SQLite store, which a question opens without
    reading the whole graph."""
    if "INNOGRAPH_STORE" in os.environ or not only_the_legacy_store():
        return None
    try:
        convert(LEGACY_STORE, DEFAULT_STORE)
    except StoreError:
        if not DEFAULT_STORE.exists():  # another run converting it at once is fine; anything else is not
            raise
    return LEGACY_STORE


def store_to_write(path: Path | None) -> tuple[Path, Path | None]:
    """The store a command that writes one writes: ``path``, else the default store, once an
    older JSON default is converted (:func:`upgrade_legacy_default`); and that JSON store, if one
    was converted now."""
    if path is not None:
        return path, None
    converted = upgrade_legacy_default()
    return default_store(), converted


def is_sqlite(path: Path) -> bool:
    """Whether the store at ``path`` is a SQLite database (False: JSON, or no file there)."""
    return sqlite_store.is_sqlite(path)


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive write lock of the store at ``path`` (waits for another writer)."""
    _make_parent(path)
    lock = _lock_path(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"the store {path} is being written by another run for over {timeout:.0f} s: "
                                     "wait for it to finish, or stop it") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _make_parent(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise StoreError(f"the store {path} is a directory: pass the path of a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(path, exc) from None


def _unwritable(path: Path, exc: OSError) -> StoreError:
    return StoreError(f"cannot write the store {path}: {exc.strerror or exc}: pass a store in a writable directory")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def sweep_temp_files(path: Path) -> list[Path]:
    """Delete the temporary files of the store at ``path`` that a killed run left behind.

    Called holding :func:`locked`: no other writer of this store is running, so every
    temporary file of this store is a leftover.
    """
    removed = []
    for leftover in path.parent.glob(f"{_temp_prefix(path)}*{TEMP_SUFFIX}"):
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            continue  # vanished meanwhile, or not ours to delete
    return removed


def save(graph: InnoGraph, path: Path) -> None:
    """Write ``graph`` to ``path`` atomically and durably (see the module docstring).

    Callers that read the store before writing it hold :func:`locked` around both. A path ending
    in ``.json`` gets the JSON store, any other the SQLite one.
    """
    _make_parent(path)
    if path.suffix != JSON_SUFFIX:
        _replace(path, lambda tmp: sqlite_store.write(graph, tmp))
        return
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "nodes": [n.model_dump(mode="json") for n in sorted(graph.nodes(), key=lambda n: n.key)],
        "edges": [e.model_dump(mode="json") for e in sorted(graph.edges(), key=lambda e: e.ident)],
    }

    def dump(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)

    _replace(path, dump)


def _replace(path: Path, fill: Callable[[Path], None]) -> None:
    """Write a temporary file beside ``path`` with ``fill``, fsync it, rename it over ``path``."""
    sweep_temp_files(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)  # an empty file: SQLite takes it for an empty database
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        fill(Path(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_directory(path.parent)
    except (OSError, sqlite3.OperationalError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _unwritable(path, exc if isinstance(exc, OSError) else OSError(str(exc))) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # file systems that cannot sync a directory
            raise
    finally:
        os.close(fd)


#: a JSON string (escapes included) and a bracket outside one, for :func:`_depth`
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (strings cut out by a regex, then a scan
    of the brackets alone: no recursion, and fast on a large store)."""
    depth = deepest = 0
    for ch in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_deep(path: Path, text: str) -> None:
    if _depth(text) > MAX_DEPTH:
        raise _invalid(path, f"its JSON nests deeper than a store does ({MAX_DEPTH} levels)")


def _invalid(path: Path, what: str) -> StoreError:
    return StoreError(f"the store {path} is unreadable: {what}: {_REBUILD}")


def _records(path: Path, payload: Any) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise StoreError(f"{path} is not an innograph graph store: pass the file 'innograph build' wrote")
    version = payload.get("version")
    if version != VERSION:
        raise StoreError(f"the store {path} has version {version if isinstance(version, int) else shown(version)}; this innograph reads version {VERSION}: "
                         f"{'upgrade innograph' if isinstance(version, int) and version > VERSION else _REBUILD}")
    nodes, edges = payload.get("nodes"), payload.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise _invalid(path, "'nodes' and 'edges' must be lists")
    try:
        node_records = [NodeRecord.model_validate(n) for n in nodes]
        edge_records = [EdgeRecord.model_validate(e) for e in edges]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "a record"
        raise _invalid(path, f"a record does not validate ({where}: {first['msg']})") from None
    keys = {n.key for n in node_records}
    if len(keys) != len(node_records):
        raise _invalid(path, "two node records have the same key")
    for edge in edge_records:
        for end in (edge.source, edge.target):
            if end not in keys:
                raise _invalid(path, f"an edge ends at {shown(end)}, which has no node record")
    return node_records, edge_records


#: the fields of each record, in the order :func:`save` writes them (the models' order)
_NODE_FIELDS = tuple(NodeRecord.model_fields)
_EDGE_FIELDS = tuple(EdgeRecord.model_fields)
_EVIDENCE_FIELDS = tuple(Evidence.model_fields)
_TOP_FIELDS = ("format", "version", "nodes", "edges")
#: JSON value -> member of the enums a record field takes (the unions' members have distinct values)
_NODE_LABELS = {m.value: m for m in (*EntityLabel, *ProvenanceLabel)}
_EDGE_TYPES = {m.value: m for m in (*RelType, *GraphRelType)}
_REASONS = {m.value: m for m in MergeReason}
_SCALARS = (str, int, float, bool)


def _scalars(properties: Any) -> bool:
    return type(properties) is dict and (not properties or all(v is None or type(v) in _SCALARS
                                                               for v in properties.values()))


def _optional_str(value: Any) -> bool:
    return value is None or type(value) is str


def _fast_graph(payload: Any) -> InnoGraph | None:
    """The graph in ``payload`` if it is exactly what :func:`save` writes, else None (see the
    module docstring): the attributes :meth:`InnoGraph.upsert_node` and ``upsert_edge`` would
    store for the validated records, built without validating them one by one."""
    if type(payload) is not dict or tuple(payload) != _TOP_FIELDS or payload["format"] != FORMAT \
            or type(payload["version"]) is not int or payload["version"] != VERSION:
        return None
    nodes, edges = payload["nodes"], payload["edges"]
    if type(nodes) is not list or type(edges) is not list:
        return None
    graph = nx.MultiDiGraph()
    add_node, add_edge = graph.add_node, graph.add_edge
    for n in nodes:
        if type(n) is not dict or tuple(n) != _NODE_FIELDS:
            return None
        key, label, name, aliases = n["key"], _NODE_LABELS.get(n["label"]), n["name"], n["aliases"]
        counts, reasons, mentions = n["alias_counts"], n["alias_reasons"], n["mention_count"]
        if type(key) is not str or key in graph or label is None or type(name) is not str \
                or type(aliases) is not list or not all(type(a) is str for a in aliases) \
                or type(counts) is not dict or not all(type(c) is int for c in counts.values()) \
                or type(reasons) is not dict or not all(type(r) is str and r in _REASONS for r in reasons.values()) \
                or type(mentions) is not int or not _optional_str(n["first_issue"]) \
                or not _optional_str(n["last_issue"]) or not _scalars(n["properties"]):
            return None
        add_node(key, label=label, name=name, aliases=tuple(aliases), alias_counts=counts,
                 alias_reasons={a: _REASONS[r] for a, r in reasons.items()}, mention_count=mentions,
                 first_issue=n["first_issue"], last_issue=n["last_issue"], properties=n["properties"])
    for e in edges:
        if type(e) is not dict or tuple(e) != _EDGE_FIELDS:
            return None
        source, target, type_, evidence, count = e["source"], e["target"], _EDGE_TYPES.get(e["type"]), \
            e["evidence"], e["count"]
        if type(source) is not str or source not in graph or type(target) is not str or target not in graph \
                or type_ is None or type(count) is not int or not _scalars(e["properties"]) \
                or type(evidence) is not list:
            return None
        for item in evidence:
            if type(item) is not dict or tuple(item) != _EVIDENCE_FIELDS or type(item["doc_id"]) is not str \
                    or type(item["sentence"]) is not str or type(item["start"]) is not int \
                    or type(item["end"]) is not int:
                return None
        add_edge(source, target, key=type_.value, type=type_, evidence=tuple(evidence), count=count,
                 properties=e["properties"])
    return InnoGraph(graph)


def load(path: Path) -> InnoGraph:
    """The graph in the store at ``path``; a :class:`StoreError` if it is missing or not a valid store."""
    if not path.exists():
        raise StoreError(f"no graph store at {path}: run 'innograph build' first or pass another store")
    if path.is_dir():
        raise StoreError(f"the store {path} is a directory: pass the path of the file 'innograph build' wrote")
    if sqlite_store.is_sqlite(path):
        payload = sqlite_store.payload(path)
        graph = _fast_graph(payload)
        return graph if graph is not None else InnoGraph.from_records(*_records(path, payload))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _invalid(path, "it is not UTF-8 text") from None
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror or exc}") from None
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        _refuse_deep(path, text)
        raise _invalid(path, f"it is not JSON ({getattr(exc, 'msg', type(exc).__name__)})") from None
    graph = _fast_graph(payload)
    if graph is not None:  # what save wrote: no deeper than a store is, every record valid
        return graph
    _refuse_deep(path, text)
    nodes, edges = _records(path, payload)
    return InnoGraph.from_records(nodes, edges)


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever :func:`save` replaces the store at ``path`` (None: no store there), so
    a writer can tell whether the graph it read unlocked is still the store once it holds the lock."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def load_or_empty(path: Path) -> InnoGraph:
    """The graph at ``path``, or an empty one when there is no store there yet."""
    return load(path) if path.exists() else InnoGraph()
