"""Exports: GraphML and GEXF re-read by networkx, node-link JSON round trip, neo4j-admin CSV."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from innograph.cli import run
from innograph.errors import ExportError, InnographError
from innograph.graph import export as export_module
from innograph.graph import store
from innograph.graph.export import ExportFormat, export, from_node_link, node_link
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.graph.palette import load_palette, rgb
from innograph.graph.select import Selection, parse_labels, parse_types
from innograph.models import Evidence
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType
from tests.graph_fixtures import LAB, LINGCI, PERSON, sample_graph

SCALARS = (str, int, float, bool)
LABEL_VALUES = {l.value for l in EntityLabel} | {l.value for l in ProvenanceLabel}
TYPE_VALUES = {t.value for t in RelType} | {t.value for t in GraphRelType}
ORDER = [t.value for t in RelType] + [t.value for t in GraphRelType]


@pytest.fixture
def graph() -> InnoGraph:
    return sample_graph()


def two_issue_graph() -> InnoGraph:
    """The sample graph plus a second issue whose one article mentions 之江实验室 and a new company."""
    g = sample_graph()
    doc = "hzkj-2024-07-01"
    sentence = Evidence(doc_id=doc, sentence="新公司由之江实验室孵化。", start=0, end=12)
    g.upsert_node(NodeRecord(key="Issue:hzkj-2024-07", label=ProvenanceLabel.Issue, name="杭州科技 2024-07"))
    g.upsert_node(NodeRecord(key=f"Article:{doc}", label=ProvenanceLabel.Article, name="新公司"))
    g.upsert_node(NodeRecord(key="Company:新公司", label=EntityLabel.Company, name="新公司", mention_count=1,
                             first_issue="hzkj-2024-07", last_issue="hzkj-2024-07"))
    g.upsert_edge(EdgeRecord(source=f"Article:{doc}", target="Issue:hzkj-2024-07", type=GraphRelType.PUBLISHED_IN))
    for key in (LAB, "Company:新公司"):
        g.upsert_edge(EdgeRecord(source=key, target=f"Article:{doc}", type=GraphRelType.MENTIONED_IN,
                                 evidence=(sentence,), count=1))
    g.upsert_edge(EdgeRecord(source="Company:新公司", target=LAB, type=RelType.INCUBATED_BY, evidence=(sentence,)))
    old = g.edge(LAB, "Ecosystem:余杭区环之江实验室创新生态圈", RelType.ANCHORED_BY) or \
        g.edge("Ecosystem:余杭区环之江实验室创新生态圈", LAB, RelType.ANCHORED_BY)
    assert old is not None and all(e.doc_id != doc for e in old.evidence)
    return g


def _records(graph: InnoGraph) -> tuple[list[dict], list[dict]]:
    nodes = sorted((n.model_dump(mode="json") for n in graph.nodes()), key=lambda d: d["key"])
    edges = sorted((e.model_dump(mode="json") for e in graph.edges()),
                   key=lambda d: (d["source"], d["target"], d["type"]))
    return nodes, edges


def _assert_scalar(g: nx.MultiDiGraph) -> None:
    for node, attrs in g.nodes(data=True):
        for name, value in attrs.items():
            assert isinstance(value, SCALARS), (node, name, value)
            assert value is not None
    for u, v, attrs in g.edges(data=True):
        for name, value in attrs.items():
            assert isinstance(value, SCALARS), (u, v, name, value)


def _no_temp_files(directory: Path) -> None:
    assert not [p.name for p in directory.iterdir() if p.name.startswith(".")]


def test_graphml_rereads_with_equal_counts_and_scalar_attributes(graph, tmp_path):
    out = tmp_path / "g.graphml"
    assert export(graph, "graphml", out) == [out]
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_nodes() == graph.nx.number_of_nodes() == 18
    assert g.number_of_edges() == graph.nx.number_of_edges()
    _assert_scalar(g)
    lab = g.nodes[LAB]
    assert lab["label"] == "之江实验室" and lab["kind"] == "Lab" and lab["aliases"] == "之江"
    assert lab["mention_count"] == 5
    assert lab["alias_counts"] == "之江实验室=4 | 之江=1"
    assert "title" in g.nodes["Article:hzkj-2024-06-01"]
    assert "issn" not in g.nodes["Issue:hzkj-2024-06"]  # None dropped
    ids = [key for _, _, key in g.edges(keys=True)]
    assert len(ids) == len(set(ids))
    leads = g.get_edge_data(PERSON, LAB, key=f"{PERSON}|LEADS|{LAB}")
    assert leads["kind"] == "LEADS" and leads["role"] == "主任" and "type" not in leads
    assert leads["evidence"] == "[hzkj-2024-06-01] 之江实验室主任朱世强表示，生态圈将持续吸引创新企业入驻。"
    assert {attrs["kind"] for _, _, attrs in g.edges(data=True)} <= TYPE_VALUES
    co = [a for _, _, a in g.edges(data=True) if a["kind"] == "CO_MENTIONED"]
    assert all(a["weight"] == a["count"] for _, _, a in g.edges(data=True)) and max(a["count"] for a in co) > 1
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    key_ids = [k.get("id") for k in root.findall("g:key", ns)]
    assert len(key_ids) == len(set(key_ids))
    edge_ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(edge_ids) == len(set(edge_ids)) == graph.nx.number_of_edges()
    _no_temp_files(tmp_path)


GEXF = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def _gexf(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def _attvalues(element: ET.Element) -> dict[str, str]:
    return {a.get("for"): a.get("value") for a in element.iterfind("g:attvalues/g:attvalue", GEXF)}


def test_gexf_is_version_1_3_with_the_relationship_type_as_each_edges_kind(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, ExportFormat.gexf, out)
    root = _gexf(out)
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph_el = root.find("g:graph", GEXF)
    assert graph_el.get("defaultedgetype") == "directed" and graph_el.get("name") is None
    edges = root.findall(".//g:edge", GEXF)
    assert len(edges) == graph.nx.number_of_edges() == 56
    assert len({e.get("id") for e in edges}) == len(edges)
    assert {e.get("type") for e in edges} == {None}  # the direction is the graph's default
    by_kind = {}
    for e in edges:
        by_kind[e.get("kind")] = by_kind.get(e.get("kind"), 0) + 1
    assert by_kind == graph.count_by_type()
    # an extracted relationship and a co-mention between the same pair are two edges of two kinds
    pairs = {}
    for e in edges:
        pairs.setdefault((e.get("source"), e.get("target")), set()).add(e.get("kind"))
    assert any(len(kinds) > 1 and "CO_MENTIONED" in kinds for kinds in pairs.values())


def test_gexf_weights_are_counts_and_one_attribute_naming_holds(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, "gexf", out)
    root = _gexf(out)
    names = {a.get("id") for a in root.iterfind(".//g:attribute", GEXF)}
    assert not names & {"rel_type", "type", "networkx_key", "label", "id", "weight"}
    for e in root.iterfind(".//g:edge", GEXF):
        values = _attvalues(e)
        assert float(e.get("weight")) == int(values["count"])
        assert e.get("label") == e.get("kind")
    counts = [int(_attvalues(e)["count"]) for e in root.iterfind(".//g:edge[@kind='CO_MENTIONED']", GEXF)]
    assert max(counts) > 1  # weights are not all 1.0
    lab = root.find(f".//g:node[@id='{LAB}']", GEXF)
    assert lab.get("label") == "之江实验室" and _attvalues(lab)["kind"] == "Lab" and _attvalues(lab)["aliases"] == "之江"


def test_gexf_viz_colours_come_from_the_palette_and_sizes_from_mentions(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, "gexf", out)
    palette = load_palette()
    sizes = {}
    for node in _gexf(out).iterfind(".//g:node", GEXF):
        colour = node.find("viz:color", GEXF)
        kind = _attvalues(node)["kind"]
        assert (int(colour.get("r")), int(colour.get("g")), int(colour.get("b"))) == rgb(palette.labels[kind])
        sizes[node.get("id")] = (float(node.find("viz:size", GEXF).get("value")), graph.node(node.get("id")).mention_count)
    entity_sizes = sorted(v for k, v in sizes.items() if not k.startswith(("Article:", "Issue:")))
    assert [size for size, _ in entity_sizes] == sorted(size for size, _ in entity_sizes)
    assert entity_sizes[-1] == (palette.size_range.max, max(m for _, m in entity_sizes))
    assert len({size for size, _ in entity_sizes}) > 3
    for edge in _gexf(out).iterfind(".//g:edge", GEXF):
        colour = edge.find("viz:color", GEXF)
        assert "#%02x%02x%02x" % tuple(int(colour.get(c)) for c in "rgb") == palette.relationships[edge.get("kind")]


def test_gexf_rereads_in_networkx(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, "gexf", out)
    g = nx.read_gexf(out)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 18 and g.number_of_edges() == graph.nx.number_of_edges()
    assert g.nodes[LAB]["label"] == "之江实验室" and g.nodes[LAB]["kind"] == "Lab"
    _no_temp_files(tmp_path)


# -- what researchers export ------------------------------------------------------------------
def _count_by_type(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in _gexf(path).iterfind(".//g:edge", GEXF):
        counts[e.get("kind")] = counts.get(e.get("kind"), 0) + 1
    return counts


def _kinds(path: Path) -> set[str]:
    return {_attvalues(n)["kind"] for n in _gexf(path).iterfind(".//g:node", GEXF)}


def test_without_provenance_there_are_no_articles_issues_or_their_edges(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, "gexf", out, Selection(provenance=False))
    assert not _kinds(out) & {"Article", "Issue"} and len(_kinds(out)) == 13
    assert not set(_count_by_type(out)) & {"MENTIONED_IN", "PUBLISHED_IN"}
    assert _count_by_type(out)["CO_MENTIONED"] == 20


def test_labels_and_relationship_types_keep_only_what_is_named(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, "gexf", out, Selection(labels=parse_labels("Lab,Ecosystem,Person"), types=parse_types("anchored_by,leads"),
                                         provenance=False))
    assert _kinds(out) == {"Lab", "Ecosystem", "Person"}
    assert _count_by_type(out) == {"ANCHORED_BY": 1, "LEADS": 1}


def test_min_count_drops_rarer_co_mentions_only(graph, tmp_path):
    out = tmp_path / "g.gexf"
    all_counts = [e.count for e in graph.edges(GraphRelType.CO_MENTIONED)]
    export(graph, "gexf", out, Selection(min_count=2))
    assert _count_by_type(out)["CO_MENTIONED"] == sum(1 for c in all_counts if c >= 2) < len(all_counts)
    assert _count_by_type(out)["LEADS"] == 1  # an extracted relationship seen once stays


def test_issue_keeps_its_articles_entities_and_evidence(tmp_path):
    two = two_issue_graph()
    out = tmp_path / "g.json"
    export(two, "json", out, Selection(issue="hzkj-2024-07"))
    back = from_node_link(json.loads(out.read_text(encoding="utf-8")))
    assert {n.key for n in back.nodes()} == {"Issue:hzkj-2024-07", "Article:hzkj-2024-07-01", LAB, "Company:新公司"}
    assert back.node(LAB).mention_count == 1  # the mentions made in that issue
    [edge] = [e for e in back.edges() if e.type is RelType.INCUBATED_BY]
    assert edge.count == 1 and {e.doc_id for e in edge.evidence} == {"hzkj-2024-07-01"}


def test_unknown_issue_label_or_type_is_one_line_error(graph, tmp_path, capsys):
    store_path = tmp_path / "graph.json"
    store.save(graph, store_path)
    cases = [
        (["--issue", "hzkj-1999-01"], "no issue 'hzkj-1999-01' in the graph: it holds hzkj-2024-06"),
        (["--labels", "Lab,Labs"], "unknown label 'Labs': use some of " + ", ".join(l.value for l in EntityLabel)),
        (["--rels", "KNOWS"], "unknown relationship type 'KNOWS': use some of " + ", ".join(sorted(TYPE_VALUES, key=ORDER.index))),
    ]
    for options, message in cases:
        code = run(["export", "--format", "gexf", "--out", str(tmp_path / "g.gexf"), "--store", str(store_path), *options])
        assert (code, capsys.readouterr().err) == (2, f"innograph: error: {message}\n")
    assert not (tmp_path / "g.gexf").exists()


def test_cli_export_options(graph, tmp_path, capsys):
    store_path = tmp_path / "graph.json"
    store.save(graph, store_path)
    out = tmp_path / "g.gexf"
    assert run(["export", "-f", "gexf", "-o", str(out), "--store", str(store_path), "--no-provenance",
                "--labels", "Lab,Ecosystem,Company", "--rels", "ANCHORED_BY,CO_MENTIONED,INCUBATED_BY",
                "--min-count", "2", "--issue", "hzkj-2024-06"]) == 0
    assert _kinds(out) == {"Lab", "Ecosystem", "Company"}
    assert set(_count_by_type(out)) <= {"ANCHORED_BY", "CO_MENTIONED", "INCUBATED_BY"}
    assert capsys.readouterr().out.startswith(f"wrote {len(_gexf(out).findall('.//g:node', GEXF))} nodes and ")


def test_json_round_trips_into_an_equal_graph(graph, tmp_path):
    out = tmp_path / "g.json"
    export(graph, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data
    assert data["multigraph"] is True and data["directed"] is True
    back = from_node_link(data)
    assert _records(back) == _records(graph)
    assert back.node(LAB).alias_counts == {"之江实验室": 4, "之江": 1}
    assert back.edge(PERSON, LAB, RelType.LEADS).evidence == graph.edge(PERSON, LAB, RelType.LEADS).evidence


def test_json_round_trip_of_an_empty_graph():
    assert _records(from_node_link(node_link(InnoGraph()))) == ([], [])


def test_csv_is_the_loaders_rows_for_neo4j_admin_import(graph, tmp_path):
    from innograph.graph.rows import ARRAY_DELIMITER, admin_csv_tables

    files = export(graph, "csv", tmp_path / "csv")
    assert [f.name for f in files] == ["nodes.csv", "relationships.csv"]
    with files[0].open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with files[1].open(encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    assert {"nodes.csv": nodes, "relationships.csv": rels} == admin_csv_tables(graph)
    assert nodes[0][:2] == ["key:ID", ":LABEL"] and rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert len(nodes) - 1 == 18 and len(rels) - 1 == graph.nx.number_of_edges()
    by_key = {row[0]: dict(zip(nodes[0], row)) for row in nodes[1:]}
    assert "Company" in by_key[LINGCI][":LABEL"].split(ARRAY_DELIMITER)
    assert {label for row in nodes[1:] for label in row[1].split(ARRAY_DELIMITER)} <= LABEL_VALUES | {"Entity"}
    assert {row[2] for row in rels[1:]} <= TYPE_VALUES
    _no_temp_files(tmp_path / "csv")


def test_csv_arrays_use_the_rows_delimiter(tmp_path):
    from innograph.graph.model import NodeRecord
    from innograph.graph.rows import ARRAY_DELIMITER

    g = InnoGraph.from_records([NodeRecord(key="University:浙江大学", label=EntityLabel.University,
                                           name="浙江大学", aliases=("浙大", "ZJU"))], [])
    export(g, "csv", tmp_path)
    rows = list(csv.reader((tmp_path / "nodes.csv").open(encoding="utf-8")))
    aliases = next(i for i, column in enumerate(rows[0]) if column.startswith("aliases"))
    assert rows[1][aliases].split(ARRAY_DELIMITER) == ["浙大", "ZJU"]


def test_bad_format_is_one_line_error(tmp_path, capsys):
    with pytest.raises(ExportError) as info:
        export(sample_graph(), "xml", tmp_path / "g.xml")
    assert str(info.value) == "unknown export format 'xml': use one of graphml, gexf, json, csv"
    store_path = tmp_path / "graph.json"
    store.save(sample_graph(), store_path)
    code = run(["export", "--format", "xml", "--out", str(tmp_path / "g.xml"), "--store", str(store_path)])
    assert code == 2
    assert capsys.readouterr().err == (
        "innograph: error: unknown export format 'xml': use one of graphml, gexf, json, csv\n")


def test_unwritable_path_is_an_export_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match=r"^cannot write .*a-file/g\.graphml: ") as info:
        export(sample_graph(), "graphml", blocker / "g.graphml")
    assert "\n" not in str(info.value)
    assert isinstance(info.value, InnographError)
    with pytest.raises(ExportError, match="it is a directory"):
        export(sample_graph(), "json", tmp_path)
    with pytest.raises(ExportError, match="it is a file"):
        export(sample_graph(), "csv", blocker)


def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "g.graphml"
    out.write_text("old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export_module.nx, "write_graphml", boom)
    with pytest.raises(RuntimeError):
        export(sample_graph(), "graphml", out)
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml"]


def test_cli_export_writes_each_format(tmp_path, capsys):
    store_path = tmp_path / "graph.json"
    store.save(sample_graph(), store_path)
    for fmt, out in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("json", "g.json"), ("csv", "csv")):
        assert run(["export", "--format", fmt, "--out", str(tmp_path / out), "--store", str(store_path)]) == 0
    assert (tmp_path / "csv" / "relationships.csv").exists()
    assert "wrote 18 nodes and 56 relationships as graphml" in capsys.readouterr().out
    back = from_node_link(json.loads((tmp_path / "g.json").read_text(encoding="utf-8")))
    assert _records(back) == _records(store.load(store_path))


def test_cli_export_without_store_says_so(tmp_path, capsys):
    code = run(["export", "--format", "json", "--out", str(tmp_path / "g.json"), "--store", str(tmp_path / "none.json")])
    assert code == 2
    assert capsys.readouterr().err.startswith("innograph: error: no graph store at ")
