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
from innograph.graph.model import InnoGraph
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType
from tests.graph_fixtures import LAB, LINGCI, PERSON, sample_graph

SCALARS = (str, int, float, bool)
LABEL_VALUES = {l.value for l in EntityLabel} | {l.value for l in ProvenanceLabel}
TYPE_VALUES = {t.value for t in RelType} | {t.value for t in GraphRelType}


@pytest.fixture
def graph() -> InnoGraph:
    return sample_graph()


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
    assert leads["type"] == "LEADS" and leads["role"] == "主任"
    assert leads["evidence"] == "[hzkj-2024-06-01] 之江实验室主任朱世强表示，生态圈将持续吸引创新企业入驻。"
    assert {attrs["type"] for _, _, attrs in g.edges(data=True)} <= TYPE_VALUES
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    key_ids = [k.get("id") for k in root.findall("g:key", ns)]
    assert len(key_ids) == len(set(key_ids))
    edge_ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(edge_ids) == len(set(edge_ids)) == graph.nx.number_of_edges()
    _no_temp_files(tmp_path)


def test_gexf_rereads_and_keeps_its_edge_type_for_the_direction(graph, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph, ExportFormat.gexf, out)
    g = nx.read_gexf(out)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 18 and g.number_of_edges() == graph.nx.number_of_edges()
    _assert_scalar(g)
    assert g.nodes[LAB]["label"] == "之江实验室" and g.nodes[LAB]["kind"] == "Lab"
    co = [a for _, _, a in g.edges(data=True) if a["rel_type"] == "CO_MENTIONED"]
    assert len(co) == 20 and all(a["label"] == "CO_MENTIONED" for a in co)
    # the XML: unique edge ids, no relationship type in GEXF's own (direction) attribute
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(out).getroot()
    edges = root.findall(".//g:edge", ns)
    assert len(edges) == graph.nx.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)
    assert {e.get("type") for e in edges} <= {None, "directed"}
    assert root.find("g:graph", ns).get("defaultedgetype") == "directed"


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


def test_csv_headers_follow_neo4j_admin_import(graph, tmp_path):
    files = export(graph, "csv", tmp_path / "csv")
    assert [f.name for f in files] == ["nodes.csv", "relationships.csv"]
    with files[0].open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with files[1].open(encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    assert nodes[0] == [
        "key:ID", "name", "aliases:string[]", "mention_count:int", "first_issue", "last_issue",
        "authors", "date", "journal", "number", "page:int", "section", "title", "year:int", ":LABEL",
    ]
    assert rels[0] == [":START_ID", ":END_ID", ":TYPE", "evidence", "count:int", "role"]
    assert len(nodes) - 1 == 18 and len(rels) - 1 == graph.nx.number_of_edges()
    by_key = {row[0]: dict(zip(nodes[0], row)) for row in nodes[1:]}
    assert by_key[LINGCI]["aliases:string[]"] == "零磁医疗"
    assert by_key[LINGCI][":LABEL"] == "Company" and by_key[LINGCI]["mention_count:int"] == "4"
    assert by_key["Issue:hzkj-2024-06"]["year:int"] == "2024"
    assert {row[-1] for row in nodes[1:]} <= LABEL_VALUES
    assert {row[2] for row in rels[1:]} <= TYPE_VALUES
    assert all(row[4].isdigit() for row in rels[1:])
    leads = next(row for row in rels[1:] if row[2] == "LEADS")
    assert leads[:3] == [PERSON, LAB, "LEADS"] and leads[5] == "主任"
    # one physical line per row: neo4j-admin needs no --multiline-fields
    assert len(files[1].read_text(encoding="utf-8").splitlines()) == len(rels)
    _no_temp_files(tmp_path / "csv")


def test_csv_array_uses_semicolon(tmp_path):
    from innograph.graph.model import NodeRecord
    g = InnoGraph.from_records([NodeRecord(key="University:浙江大学", label=EntityLabel.University,
                                           name="浙江大学", aliases=("浙大", "ZJU"))], [])
    export(g, "csv", tmp_path)
    rows = list(csv.reader((tmp_path / "nodes.csv").open(encoding="utf-8")))
    assert rows[1][2] == "浙大;ZJU"


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
