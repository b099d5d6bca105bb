"""Exports of the graph: GraphML and GEXF (for Gephi), node-link JSON, and neo4j-admin import CSV.

GraphML and GEXF hold scalar attributes only: lists are joined with ``" | "``, evidence is
flattened to ``[doc_id] sentence`` text, ``None`` is dropped. Both formats name things alike:
a node's ``label`` is its display name (what Gephi shows) and ``kind`` its ontology label; an
edge has a unique ``id``, its relationship type as ``kind`` and ``label``, and ``weight`` = its
``count`` (sentences that state it, or that co-mention the pair).

GEXF is version 1.3: the relationship type is the edge's own ``kind`` (so that Gephi keeps an
extracted relationship and a co-mention between the same pair as two edges), nodes carry
``viz:color`` by label and ``viz:size`` by mentions, edges ``viz:color`` by type, all from the
one palette (:mod:`innograph.graph.palette`).

The node-link JSON keeps every field and reads back into an equal :class:`InnoGraph`
(:func:`from_node_link`). The CSV pair is the loader's own rows (:mod:`innograph.graph.rows`) for
``neo4j-admin database import``: ``nodes.csv`` with ``key:ID`` and ``:LABEL``,
``relationships.csv`` with ``:START_ID``, ``:END_ID`` and ``:TYPE``, so a database imported
from it equals one the loader wrote (import it with the array delimiter the rows use).

Every file is written to a temporary file beside it and renamed into place when complete.

>>> ExportFormat.parse("GEXF")
<ExportFormat.gexf: 'gexf'>
>>> flatten_evidence(())
''
>>> join_list(["之江", "之江实验室"])
'之江 | 之江实验室'
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx

from innograph.errors import ExportError
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.graph.palette import load_palette, rgb
from innograph.graph.rows import admin_csv_tables
from innograph.graph.select import Selection, select
from innograph.models import Evidence
from innograph.ontology import EntityLabel

LIST_SEPARATOR = " | "
ARRAY_DELIMITER = ";"  # neo4j-admin's default --array-delimiter



class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: str) -> "ExportFormat":
        """The format named ``value`` (any case); an unknown name is an :class:`ExportError`.

        >>> ExportFormat.parse("xml")
        Traceback (most recent call last):
        ...
        innograph.errors.ExportError: unknown export format 'xml': use one of graphml, gexf, json, csv
        """
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(f.value for f in cls)
            raise ExportError(f"unknown export format '{value}': use one of {names}") from None


# -- flattening ----------------------------------------------------------------------------
def join_list(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def flatten_evidence(evidence: Iterable[Evidence]) -> str:
    """Evidence as one line of text: ``[doc_id] sentence`` joined with ``" | "``.

    >>> flatten_evidence([Evidence(doc_id="d1", sentence="之江实验室位于\\n余杭区。", start=0, end=9)])
    '[d1] 之江实验室位于 余杭区。'
    """
    return join_list(f"[{e.doc_id}] {one_line(e.sentence)}" for e in evidence)


def one_line(text: str) -> str:
    return " ".join(text.split())


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return join_list(f"{k}={v}" for k, v in value.items()) if value else None
    if isinstance(value, (list, tuple, set, frozenset)):
        return join_list(value) if value else None
    return str(value)


def _put(attrs: dict[str, Any], name: str, value: Any) -> None:
    value = _scalar(value)
    if value is None or value == "":
        return
    while name in attrs:  # a property whose name a field already uses
        name = f"prop_{name}"
    attrs[name] = value


def node_attributes(node: NodeRecord) -> dict[str, Any]:
    """Scalar attributes of a node for GraphML and GEXF."""
    attrs: dict[str, Any] = {"label": node.name, "kind": node.label.value, "name": node.name}
    _put(attrs, "aliases", node.aliases)
    _put(attrs, "alias_counts", node.alias_counts)
    attrs["mention_count"] = node.mention_count
    _put(attrs, "first_issue", node.first_issue)
    _put(attrs, "last_issue", node.last_issue)
    for name, value in sorted(node.properties.items()):
        _put(attrs, name, value)
    return attrs


def edge_id(edge: EdgeRecord) -> str:
    """The unique id of an edge (there is at most one per source, type and target).

    >>> from innograph.ontology import RelType
    >>> edge_id(EdgeRecord(source="Company:a", target="Lab:b", type=RelType.INCUBATED_BY))
    'Company:a|INCUBATED_BY|Lab:b'
    """
    return f"{edge.source}|{edge.type.value}|{edge.target}"


def edge_attributes(edge: EdgeRecord) -> dict[str, Any]:
    """Scalar attributes of an edge for GraphML and GEXF."""
    attrs: dict[str, Any] = {"id": edge_id(edge), "kind": edge.type.value, "label": edge.type.value,
                             "weight": float(edge.count), "count": edge.count}
    _put(attrs, "evidence", flatten_evidence(edge.evidence))
    for name, value in sorted(edge.properties.items()):
        _put(attrs, name, value)
    return attrs


def _unify_types(items: Iterable[dict[str, Any]]) -> None:
    """Make each attribute one type across all items (GraphML and GEXF declare one per key)."""
    items = list(items)
    kinds: dict[str, set[type]] = {}
    for attrs in items:
        for name, value in attrs.items():
            kinds.setdefault(name, set()).add(type(value))
    for name, seen in kinds.items():
        if len(seen) == 1 or seen <= {int, float}:
            continue
        for attrs in items:
            if name in attrs:
                attrs[name] = str(attrs[name])


def _typed_attributes(graph: InnoGraph) -> tuple[list[NodeRecord], list[EdgeRecord], list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges in key order with their attributes, each attribute of one type across the file."""
    nodes = sorted(graph.nodes(), key=lambda n: n.key)
    edges = sorted(graph.edges(), key=lambda e: e.ident)
    node_attrs = [node_attributes(n) for n in nodes]
    edge_attrs = [edge_attributes(e) for e in edges]
    _unify_types(node_attrs)
    _unify_types(edge_attrs)
    return nodes, edges, node_attrs, edge_attrs


def flat_graph(graph: InnoGraph) -> nx.MultiDiGraph:
    """A copy of the graph with scalar attributes only, edges keyed by their unique id.

    >>> from innograph.ontology import EntityLabel
    >>> g = InnoGraph.from_records([NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室",
    ...                                        aliases=("之江",), first_issue=None)], [])
    >>> flat_graph(g).nodes["Lab:之江实验室"]
    {'label': '之江实验室', 'kind': 'Lab', 'name': '之江实验室', 'aliases': '之江', 'mention_count': 0}
    """
    flat = nx.MultiDiGraph()
    nodes, edges, node_attrs, edge_attrs = _typed_attributes(graph)
    for node, attrs in zip(nodes, node_attrs):
        flat.add_node(node.key, **attrs)
    for edge, attrs in zip(edges, edge_attrs):
        flat.add_edge(edge.source, edge.target, key=attrs["id"], **attrs)
    return flat


# -- node-link JSON ------------------------------------------------------------------------
def node_link(graph: InnoGraph) -> dict[str, Any]:
    """Node-link data (``edges`` key) whose attributes are the records' JSON fields."""
    plain = nx.MultiDiGraph()
    for node in sorted(graph.nodes(), key=lambda n: n.key):
        plain.add_node(node.key, **node.model_dump(mode="json", exclude={"key"}))
    for edge in sorted(graph.edges(), key=lambda e: e.ident):
        plain.add_edge(edge.source, edge.target, key=edge.type.value,
                       **edge.model_dump(mode="json", exclude={"source", "target"}))
    return nx.node_link_data(plain, edges="edges")


def from_node_link(data: Mapping[str, Any]) -> InnoGraph:
    """Read node-link data written by :func:`node_link` back into an :class:`InnoGraph`."""
    plain = nx.node_link_graph(dict(data), directed=True, multigraph=True, edges="edges")
    nodes = [NodeRecord(key=key, **attrs) for key, attrs in plain.nodes(data=True)]
    edges = [EdgeRecord(source=u, target=v, **attrs) for u, v, attrs in plain.edges(data=True)]
    return InnoGraph.from_records(nodes, edges)


# -- neo4j-admin CSV -----------------------------------------------------------------------
_CSV_TYPES = {bool: "boolean", int: "int", float: "double"}


def _csv_text(table: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


# -- writing -------------------------------------------------------------------------------
def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``."""
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory, pass a file path with --out")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an export is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_text(text: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
    return write


def export(graph: InnoGraph, fmt: ExportFormat | str, out: Path, selection: Selection | None = None) -> list[Path]:
    """Write ``graph`` (the part ``selection`` keeps) in format ``fmt`` to ``out`` (a directory for
    csv) and return the files written."""
    fmt = fmt if isinstance(fmt, ExportFormat) else ExportFormat.parse(fmt)
    out = Path(out)
    if selection is not None:
        graph = select(graph, selection)
    if fmt is ExportFormat.csv:
        if out.exists() and not out.is_dir():
            raise ExportError(f"cannot write CSV to {out}: it is a file, pass a directory with --out")
        files = []
        # the loader's own rows (graph.rows), so an imported database equals a loaded one
        for name, table in admin_csv_tables(graph).items():
            target = out / name
            atomic_write(target, _write_text(_csv_text(table)))
            files.append(target)
        return files
    if fmt is ExportFormat.json:
        text = json.dumps(node_link(graph), ensure_ascii=False, indent=1)
        atomic_write(out, _write_text(text + "\n"))
    elif fmt is ExportFormat.graphml:
        flat = flat_graph(graph)
        for _, _, attrs in flat.edges(data=True):
            del attrs["id"]  # the edge element's own id (the multigraph key) carries it
        # key ids d0, d1 ...: node and edge attributes may share a name (label), key ids may not
        atomic_write(out, lambda tmp: nx.write_graphml(flat, tmp, encoding="utf-8"))
    else:
        tree = gexf_tree(graph)
        atomic_write(out, lambda tmp: tree.write(tmp, encoding="utf-8", xml_declaration=True))
    return [out]


# -- GEXF 1.3 ------------------------------------------------------------------------------
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# attributes that are GEXF's own on <node> and <edge> (not declared as data columns)
_NATIVE_NODE = ("label",)
_NATIVE_EDGE = ("id", "kind", "label", "weight")


def _gexf_type(values: set[type]) -> str:
    if values <= {bool}:
        return "boolean"
    if values <= {int}:
        return "integer"
    if values <= {int, float}:
        return "double"
    return "string"


def _gexf_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _declare(graph_el: ET.Element, cls: str, items: list[dict[str, Any]], native: tuple[str, ...]) -> list[str]:
    """Declare the data columns of ``items`` (``<attributes class=...>``) and return their names."""
    kinds: dict[str, set[type]] = {}
    for attrs in items:
        for name, value in attrs.items():
            if name not in native:
                kinds.setdefault(name, set()).add(type(value))
    columns = ET.SubElement(graph_el, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
    for name, seen in kinds.items():
        ET.SubElement(columns, f"{{{GEXF_NS}}}attribute", {"id": name, "title": name, "type": _gexf_type(seen)})
    return list(kinds)


def _attvalues(parent: ET.Element, attrs: dict[str, Any], columns: list[str]) -> None:
    values = ET.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for name in columns:
        if name in attrs:
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": name, "value": _gexf_value(attrs[name])})


def _color(parent: ET.Element, colour: str) -> None:
    r, g, b = rgb(colour)
    ET.SubElement(parent, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b)})


def gexf_tree(graph: InnoGraph) -> ET.ElementTree:
    """The graph as a GEXF 1.3 document (directed; each edge's relationship type is its ``kind``).

    >>> from innograph.ontology import RelType
    >>> g = InnoGraph.from_records([NodeRecord(key="Lab:a", label=EntityLabel.Lab, name="a", mention_count=3),
    ...                             NodeRecord(key="Company:b", label=EntityLabel.Company, name="b")],
    ...                            [EdgeRecord(source="Company:b", target="Lab:a", type=RelType.INCUBATED_BY, count=2)])
    >>> edge = gexf_tree(g).getroot().find(".//{http://gexf.net/1.3}edge")
    >>> edge.get("kind"), edge.get("weight"), edge.get("source")
    ('INCUBATED_BY', '2.0', 'Company:b')
    """
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    ET.register_namespace("xsi", _XSI_NS)
    palette = load_palette()
    nodes, edges, node_attrs, edge_attrs = _typed_attributes(graph)
    most = max((n.mention_count for n in nodes if isinstance(n.label, EntityLabel)), default=0)

    root = ET.Element(f"{{{GEXF_NS}}}gexf", {
        "version": "1.3", f"{{{_XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "innograph"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = (
        "Innovation entities and their relationships, with the articles and issues that state them")
    graph_el = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_columns = _declare(graph_el, "node", node_attrs, _NATIVE_NODE)
    edge_columns = _declare(graph_el, "edge", edge_attrs, _NATIVE_EDGE)

    nodes_el = ET.SubElement(graph_el, f"{{{GEXF_NS}}}nodes", {"count": str(len(nodes))})
    for node, attrs in zip(nodes, node_attrs):
        el = ET.SubElement(nodes_el, f"{{{GEXF_NS}}}node", {"id": node.key, "label": str(attrs["label"])})
        _attvalues(el, attrs, node_columns)
        _color(el, palette.label_color(node.label))
        size = palette.node_size(node.mention_count, most) if isinstance(node.label, EntityLabel) else palette.size_range.min
        ET.SubElement(el, f"{{{VIZ_NS}}}size", {"value": str(size)})

    edges_el = ET.SubElement(graph_el, f"{{{GEXF_NS}}}edges", {"count": str(len(edges))})
    for edge, attrs in zip(edges, edge_attrs):
        el = ET.SubElement(edges_el, f"{{{GEXF_NS}}}edge", {
            "id": attrs["id"], "source": edge.source, "target": edge.target, "kind": attrs["kind"],
            "label": attrs["label"], "weight": str(attrs["weight"])})
        _attvalues(el, attrs, edge_columns)
        _color(el, palette.type_color(edge.type))
    ET.indent(root, space=" ")
    return ET.ElementTree(root)
