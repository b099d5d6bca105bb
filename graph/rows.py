"""The one row builder: what a node or relationship of the graph is as a property-graph row.

The Neo4j loader (:mod:`innograph.loaders.neo4j`), the ``neo4j-admin database import`` CSV
(:func:`write_admin_csv`) and ``innograph verify`` all use these rows, so a database imported
from the CSV equals one the loader wrote, and verify compares exactly what was written.

A node: its labels (its own and ``Entity`` for entities) and the properties ``key``, ``name``,
``aliases``, ``alias_count_names`` / ``alias_count_values`` (the ``alias_counts`` map as
parallel lists), ``alias_reason_names`` / ``alias_reason_values`` (the ``alias_reasons`` map:
why each alias was merged), ``mention_count``, ``first_issue``, ``last_issue``, and each entry of the
record's ``properties`` map. A relationship: ``count``, its ``properties`` entries, and its
evidence as parallel lists ``evidence_doc_ids``, ``evidence_sentences``, ``evidence_starts``,
``evidence_ends``. A value that is None or an empty list is left out: Neo4j cannot tell an
absent property from a null one, and ``neo4j-admin`` imports an empty array as no property.

>>> from innograph.ontology import EntityLabel
>>> node_properties(NodeRecord(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室",
...                            aliases=("之江",), alias_counts={"之江": 2}, mention_count=3))
... # doctest: +NORMALIZE_WHITESPACE
{'key': 'Lab:之江实验室', 'name': '之江实验室', 'aliases': ['之江'], 'alias_count_names': ['之江'],
 'alias_count_values': [2], 'mention_count': 3, 'search_key': ' 之江实验室 之江 '}
>>> node_labels(NodeRecord(key="Lab:x", label=EntityLabel.Lab, name="x"))
('Entity', 'Lab')
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import Evidence
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType, edge_type, node_label
from innograph.text import name_keys

#: the label every entity node carries besides its own (one key constraint over all entities)
ENTITY_LABEL = "Entity"
#: separates array items (and labels) in the admin CSV: a character no text of ours contains
ARRAY_DELIMITER = "\x1f"
#: an entity's name key and alias keys (:func:`innograph.text.name_key`), each between spaces, name
#: first: what Neo4j's text index answers name lookups (``CONTAINS ' key '``) and searches from
SEARCH_KEY = "search_key"


def search_key(name: str, aliases: Iterable[str]) -> str:
    """The derived ``search_key`` of an entity: a name key holds no space, so a space bounds each.

    >>> search_key("之江实验室", ["之江", "ZJ Lab", "之江"])
    ' 之江实验室 之江 zjlab '
    """
    return " " + " ".join(name_keys(name, aliases)) + " "


def _kept(value: Any) -> bool:
    return value is not None and value != [] and value != ()


def node_labels(node: NodeRecord) -> tuple[str, ...]:
    """The labels of a node, sorted."""
    return labels_of(node.label)


def node_properties(node: NodeRecord) -> dict[str, Any]:
    """The properties of a node: the record's ``properties`` map, then its own fields (which win),
    and for an entity the derived :data:`SEARCH_KEY`."""
    return _node_props(node.key, node.name, node.aliases, node.alias_counts, node.alias_reasons, node.mention_count,
                       node.first_issue, node.last_issue, node.properties, isinstance(node.label, EntityLabel))


def _node_props(key: str, name: str, aliases: Iterable[str], alias_counts: Mapping[str, int],
                alias_reasons: Mapping[str, Any], mention_count: int,
                first_issue: str | None, last_issue: str | None, properties: Mapping[str, Any],
                entity: bool) -> dict[str, Any]:
    props: dict[str, Any] = {k: v for k, v in properties.items() if _kept(v)}
    names = sorted(alias_counts)
    reasons = sorted(alias_reasons)
    props.update(key=key, name=name, aliases=list(aliases), alias_count_names=names,
                 alias_count_values=[alias_counts[n] for n in names], mention_count=mention_count,
                 alias_reason_names=reasons,
                 alias_reason_values=[getattr(alias_reasons[n], "value", alias_reasons[n]) for n in reasons],
                 first_issue=first_issue, last_issue=last_issue)
    if entity:
        props[SEARCH_KEY] = search_key(name, aliases)
    return {k: v for k, v in props.items() if _kept(v)}


def edge_properties(edge: EdgeRecord) -> dict[str, Any]:
    """The properties of a relationship: its ``properties`` map, ``count`` and evidence as parallel lists."""
    return _edge_props(edge.properties, edge.count, edge.evidence)


def _edge_props(properties: Mapping[str, Any], count: int,
                evidence: Iterable[Evidence | Mapping[str, Any]]) -> dict[str, Any]:
    props: dict[str, Any] = {k: v for k, v in properties.items() if _kept(v)}
    props["count"] = count
    items = list(evidence)
    if items:  # one pass, one type check per item (a load builds 300k of these)
        columns: tuple[list[Any], ...] = ([], [], [], [])
        for e in items:
            values = ((e["doc_id"], e["sentence"], e["start"], e["end"]) if isinstance(e, Mapping)
                      else (e.doc_id, e.sentence, e.start, e.end))
            for column, value in zip(columns, values):
                column.append(value)
        for name, column in zip(("doc_id", "sentence", "start", "end"), columns):
            props[f"evidence_{name}s"] = column
    return props


# -- rows of a whole graph, straight from its attributes (no record per node: a load of 400k rows) ---
def graph_node_rows(graph: InnoGraph) -> Iterator[tuple[str, EntityLabel | ProvenanceLabel, dict[str, Any]]]:
    """(key, label, :func:`node_properties`) of every node, read from the graph's attributes.

    >>> from innograph.ontology import EntityLabel
    >>> n = NodeRecord(key="Lab:x", label=EntityLabel.Lab, name="x", aliases=("x",), alias_counts={"x": 1})
    >>> [props == node_properties(n) for _, _, props in graph_node_rows(InnoGraph.from_records([n], []))]
    [True]
    """
    for key, data in graph.nx.nodes(data=True):
        lab = data["label"]
        lab = lab if isinstance(lab, (EntityLabel, ProvenanceLabel)) else node_label(str(lab))
        yield key, lab, _node_props(
            key, data.get("name", ""), data.get("aliases") or (), data.get("alias_counts") or {},
            data.get("alias_reasons") or {}, data.get("mention_count", 0), data.get("first_issue"), data.get("last_issue"),
            data.get("properties") or {}, isinstance(lab, EntityLabel))


def graph_edge_rows(graph: InnoGraph) -> Iterator[tuple[str, RelType | GraphRelType, str, dict[str, Any]]]:
    """(source, type, target, :func:`edge_properties`) of every relationship, read from the graph's attributes."""
    types: dict[str, RelType | GraphRelType] = {}
    for source, target, type_, data in graph.nx.edges(keys=True, data=True):
        kind = types.get(type_)
        if kind is None:
            kind = types[type_] = edge_type(str(type_))
        yield source, kind, target, _edge_props(data.get("properties") or {}, data.get("count", 1),
                                                data.get("evidence") or ())


# -- back from rows (a graph read from Neo4j) ----------------------------------------------------
_NODE_FIELDS = frozenset({"key", "name", "aliases", "alias_count_names", "alias_count_values", "alias_reason_names",
                          "alias_reason_values", "mention_count", "first_issue", "last_issue", SEARCH_KEY})
_EDGE_FIELDS = frozenset({"count", "evidence_doc_ids", "evidence_sentences", "evidence_starts", "evidence_ends"})


def node_from_row(labels: Iterable[str], props: Mapping[str, Any]) -> NodeRecord:
    """The record :func:`node_properties` made ``props`` from (the inverse, for a graph read back).

    >>> from innograph.ontology import EntityLabel
    >>> n = NodeRecord(key="Lab:x", label=EntityLabel.Lab, name="x", aliases=("x", "X"), alias_counts={"X": 2},
    ...                alias_reasons={"X": "same name up to width, spaces, quotes or 《》"})
    >>> node_from_row(node_labels(n), node_properties(n)) == n
    True
    """
    own = [label for label in labels if label != ENTITY_LABEL]
    if len(own) != 1:
        raise ValueError(f"a node has one ontology label besides {ENTITY_LABEL}, not {sorted(labels)}")
    names, values = props.get("alias_count_names") or [], props.get("alias_count_values") or []
    merged, reasons = props.get("alias_reason_names") or [], props.get("alias_reason_values") or []
    return NodeRecord(key=props["key"], label=node_label(own[0]), name=props.get("name", ""),
                      aliases=tuple(props.get("aliases") or ()), alias_counts=dict(zip(names, values)),
                      alias_reasons=dict(zip(merged, reasons)),
                      mention_count=props.get("mention_count", 0), first_issue=props.get("first_issue"),
                      last_issue=props.get("last_issue"),
                      properties={k: v for k, v in props.items() if k not in _NODE_FIELDS})


def edge_from_row(source: str, type_: str, target: str, props: Mapping[str, Any]) -> EdgeRecord:
    """The record :func:`edge_properties` made ``props`` from."""
    lists = [props.get(name) or [] for name in ("evidence_doc_ids", "evidence_sentences", "evidence_starts", "evidence_ends")]
    return EdgeRecord(source=source, target=target, type=edge_type(type_),
                      evidence=tuple(Evidence(doc_id=d, sentence=s, start=a, end=b) for d, s, a, b in zip(*lists)),
                      count=props.get("count", 1), properties={k: v for k, v in props.items() if k not in _EDGE_FIELDS})


# -- checksums (verify) --------------------------------------------------------------------------
def node_digest(key: str, labels: Iterable[str], props: Mapping[str, Any]) -> str:
    """One node as a line: key, sorted labels, properties as canonical JSON."""
    return json.dumps([key, sorted(labels), props], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def edge_digest(source: str, type_: str, target: str, props: Mapping[str, Any]) -> str:
    return json.dumps([source, type_, target, props], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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


def labels_of(node: EntityLabel | ProvenanceLabel) -> tuple[str, ...]:
    """The labels a node of label ``node`` carries, sorted (:func:`node_labels`)."""
    return tuple(sorted({node.value, ENTITY_LABEL})) if isinstance(node, EntityLabel) else (node.value,)


def graph_node_digests(graph: InnoGraph) -> dict[str, str]:
    """key -> digest of every node of ``graph`` as the loader writes it."""
    return {key: node_digest(key, labels_of(lab), props) for key, lab, props in graph_node_rows(graph)}


def graph_edge_digests(graph: InnoGraph) -> dict[tuple[str, str, str], str]:
    """(source, type, target) -> digest of every relationship of ``graph`` as the loader writes it."""
    return {(s, t.value, o): edge_digest(s, t.value, o, props) for s, t, o, props in graph_edge_rows(graph)}


# -- neo4j-admin import CSV ----------------------------------------------------------------------
def _column_type(values: list[Any]) -> str:
    """The neo4j-admin type of a column from its values (lists give arrays)."""
    items = [x for v in values for x in (v if isinstance(v, list) else [v])]
    array = "[]" if any(isinstance(v, list) for v in values) else ""
    if items and all(isinstance(x, bool) for x in items):
        return "boolean" + array
    if items and all(isinstance(x, int) and not isinstance(x, bool) for x in items):
        return "long" + array
    if items and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
        return "double" + array
    return "string" + array


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table(rows: list[dict[str, Any]], fixed: list[str]) -> tuple[list[str], list[str], list[list[str]]]:
    names = sorted({k for r in rows for k in r} - set(fixed))
    header = [f"{name}:{_column_type([r[name] for r in rows if name in r])}" for name in names]
    return names, header, [[_cell(r.get(name)) for name in names] for r in rows]


def admin_csv_tables(graph: InnoGraph) -> dict[str, list[list[str]]]:
    """``nodes.csv`` and ``relationships.csv`` as header + rows for ``neo4j-admin database import full``."""
    nodes = sorted(graph_node_rows(graph), key=lambda n: n[0])
    names, header, cells = _table([{k: v for k, v in props.items() if k != "key"} for _, _, props in nodes], [])
    node_table = [["key:ID", ":LABEL", *header]]
    node_table += [[key, ARRAY_DELIMITER.join(labels_of(lab)), *row] for (key, lab, _), row in zip(nodes, cells)]
    edges = sorted(graph_edge_rows(graph), key=lambda e: (e[0], e[2], e[1].value))
    _, header, cells = _table([props for *_, props in edges], [])
    edge_table = [[":START_ID", ":END_ID", ":TYPE", *header]]
    edge_table += [[source, target, type_.value, *row] for (source, type_, target, _), row in zip(edges, cells)]
    return {"nodes.csv": node_table, "relationships.csv": edge_table}


def write_admin_csv(graph: InnoGraph, directory: Path) -> list[Path]:
    """Write the admin import CSV pair into ``directory``; import it with :func:`admin_import_arguments`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in admin_csv_tables(graph).items():
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table)
        written.append(path)
    return written


def admin_import_arguments(directory: Path, database: str = "neo4j") -> list[str]:
    """The arguments of ``neo4j-admin database import full`` for the CSV pair in ``directory``."""
    return ["database", "import", "full", database, f"--nodes={directory / 'nodes.csv'}",
            f"--relationships={directory / 'relationships.csv'}", f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true", "--overwrite-destination=true", f"--report-file={directory / 'import.report'}"]
