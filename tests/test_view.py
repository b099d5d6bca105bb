"""The HTML view: self-contained, data embedded safely and compactly, and working in headless
Chromium in each mode (overview, filtered, ego) with something visible asserted.

The browser tests need Chromium (Debian package ``chromium``). They skip when it is missing,
except under CI=true, where a missing browser fails them. Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from innograph.cli import run
from innograph.graph import store
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.graph.palette import load_palette
from innograph.graph.select import Selection, parse_labels
from innograph.graph.view import ViewOptions, render_html, view_data, write_view
from innograph.models import Evidence
from innograph.ontology import EntityLabel, RelType
from tests.graph_fixtures import ECO, EVENT, HANGZHOU, LAB, PERSON, YUHANG, ZJU, sample_graph

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DATA_RE = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)
EVIDENCE_RE = re.compile(r'<script type="application/json" id="graph-evidence">(.*?)</script>', re.S)
LAB_EGO = sorted([LAB, ECO, ZJU, YUHANG, PERSON, EVENT])  # 之江实验室 and its extracted relationships' ends


def embedded(page: str) -> tuple[dict, dict]:
    data, evidence = DATA_RE.search(page), EVIDENCE_RE.search(page)
    assert data and evidence, "no #graph-data or #graph-evidence element"
    return json.loads(data.group(1)), json.loads(evidence.group(1))


def test_view_data_is_coloured_from_the_palette():
    data, _ = view_data(sample_graph())
    palette = load_palette()
    assert len(data["nodes"]) == 15  # entities only: Article and Issue nodes are not drawn
    assert [l["label"] for l in data["labels"]] == [l.value for l in EntityLabel]
    assert all(l["color"] == palette.labels[l["label"]] for l in data["labels"])
    assert all(t["color"] == palette.relationships[t["type"]] for t in data["types"])
    assert len({t["color"] for t in data["types"]}) == len(data["types"])  # every type its own colour
    assert {t["type"]: t["hidden"] for t in data["types"]}["CO_MENTIONED"] is True
    assert not any(t["hidden"] for t in data["types"] if t["type"] != "CO_MENTIONED")


def test_view_data_refers_by_index_and_keeps_evidence_apart():
    data, evidence = view_data(sample_graph())
    index = {n["id"]: i for i, n in enumerate(data["nodes"])}
    lab = data["nodes"][index[LAB]]
    assert lab["aliases"] == ["之江"] and lab["mentions"] == 5 and lab["issues"] == [0]
    [(article, refs, total)] = evidence["node_articles"][index[LAB]]
    assert data["articles"][article][1] == "环之江实验室创新生态圈：从一座实验室到一片创新森林"
    assert total == 5 and len(refs) == 3  # capped per article
    types = data["type_names"]
    [leads] = [k for k, e in enumerate(data["edges"]) if types[e[2]] == "LEADS"]
    assert evidence["edge_properties"] == {leads: {"role": "主任"}}
    assert evidence["sentences"][evidence["edges"][leads][0]][1] == "之江实验室主任朱世强表示，生态圈将持续吸引创新企业入驻。"
    co = [k for k, e in enumerate(data["edges"]) if types[e[2]] == "CO_MENTIONED"]
    assert len(co) == 20 and all(evidence["edges"][k] == [] for k in co)  # a co-mention keeps its count only
    texts = [row[1] for row in evidence["sentences"]]
    assert len(texts) == len(set(texts))  # each sentence once


def test_evidence_is_capped_per_edge():
    g = sample_graph()
    many = tuple(Evidence(doc_id="hzkj-2024-06-01", sentence=f"之江实验室与浙江大学第{i}次合作。", start=i, end=i + 10) for i in range(9))
    g.upsert_edge(EdgeRecord(source=LAB, target=ZJU, type=RelType.COLLABORATES_WITH, evidence=many, count=9))
    data, evidence = view_data(g, ViewOptions(evidence_per_edge=2))
    collaborates = data["type_names"].index("COLLABORATES_WITH")
    [k] = [k for k, e in enumerate(data["edges"]) if data["nodes"][e[0]]["id"] == LAB and e[2] == collaborates]
    assert data["edges"][k][3] == 9 and len(evidence["edges"][k]) == 2


def test_view_options_choose_what_the_page_holds():
    data, _ = view_data(sample_graph(), ViewOptions(selection=Selection(labels=parse_labels("Lab,Region,Person"))))
    assert {n["label"] for n in data["nodes"]} == {"Lab", "Region", "Person"}
    data, _ = view_data(sample_graph(), ViewOptions(ego="之江", radius=1))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(
        [LAB, ECO, ZJU, YUHANG, PERSON, EVENT, HANGZHOU])  # radius 1 over extracted relationships and co-mentions
    assert data["nodes"][data["ego"]["center"]]["id"] == LAB and data["ego"]["radius"] == 1


def test_page_is_self_contained():
    page = render_html(sample_graph())
    assert page.count("<script") == 6 and page.count("</script>") == 6
    assert not re.search(r"<script[^>]+src=|<link\b|@import|url\(\s*['\"]?https?:", page)
    assert "Content-Security-Policy" in page
    assert embedded(page) == tuple(json.loads(json.dumps(part, ensure_ascii=False)) for part in view_data(sample_graph()))
    assert "<title>innograph · network · 15 entities</title>" in page


def test_embedded_json_cannot_close_the_script():
    evil = "</script><script>alert(1)</script><!--"
    g = InnoGraph.from_records([NodeRecord(key="Lab:x", label=EntityLabel.Lab, name=evil, aliases=("a&b", "\u2028"))], [])
    page = render_html(g, title="<b>t</b>")
    assert page.count("</script>") == 6
    assert "<b>t</b>" not in page and "&lt;b&gt;t&lt;/b&gt;" in page
    node = embedded(page)[0]["nodes"][0]
    assert node["name"] == evil and node["aliases"] == ["a&b", "\u2028"]


def test_write_view_and_cli(tmp_path, capsys):
    out = write_view(sample_graph(), tmp_path / "sub" / "g.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    path = tmp_path / "graph.json"
    store.save(sample_graph(), path)
    assert run(["view", "--store", str(path), "--out", str(tmp_path / "v.html")]) == 0
    assert "v.html" in capsys.readouterr().out
    assert embedded((tmp_path / "v.html").read_text(encoding="utf-8"))[0]["nodes"][0]["id"]
    assert run(["view", "--store", str(path), "--out", str(tmp_path / "ego.html"), "--ego", "浙大", "--radius", "1",
                "--rels", "INCUBATED_BY,PART_OF,COLLABORATES_WITH"]) == 0
    data = embedded((tmp_path / "ego.html").read_text(encoding="utf-8"))[0]
    assert data["nodes"][data["ego"]["center"]]["id"] == ZJU
    assert {t["type"] for t in data["types"]} <= {"INCUBATED_BY", "PART_OF", "COLLABORATES_WITH"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ego.html", "graph.json", "sub", "v.html"]
    capsys.readouterr()
    assert run(["view", "--store", str(path), "--out", str(tmp_path / "x.html"), "--ego", "不存在的实验室"]) == 3
    assert capsys.readouterr().err.startswith("innograph: error: ")
    assert not (tmp_path / "x.html").exists()


# -- headless Chromium ---------------------------------------------------------------------
def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (apt-get install -y chromium): the view tests need it under CI")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("view") / "graph.html"
    write_view(sample_graph(), out)
    return out


def browse(chromium: str, url: str, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="innograph-chromium-") as profile:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--virtual-time-budget=30000", "--hide-scrollbars", "--window-size=1400,900", *extra, url],
            capture_output=True, text=True, timeout=120,
        )


def self_test(chromium: str, page: Path, query: str) -> dict:
    url = page.as_uri() + "#selftest=" + quote(query, safe="&=")
    result = browse(chromium, url, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Uncaught" not in result.stderr, result.stderr[-2000:]
    errors = re.search(r'<pre id="js-errors"[^>]*>(.*?)</pre>', result.stdout, re.S)
    assert errors is not None and html.unescape(errors.group(1)) == "", errors and errors.group(1)
    report = re.search(r'<pre id="selftest-result"[^>]*data-done="true"[^>]*>(.*?)</pre>', result.stdout, re.S)
    assert report, "the page's self-test did not finish:\n" + result.stdout[-2000:]
    return json.loads(html.unescape(report.group(1)))


def _visible_legend(report: dict) -> None:
    """The legend's swatches are the palette's and the drawn edges have their type's legend colour."""
    palette = load_palette()
    assert all(entry["color"] == palette.labels[entry["text"]] for entry in report["legend_labels"])
    legend = {entry["text"]: entry["color"] for entry in report["legend_types"]}
    assert all(colour == palette.relationships[t] for t, colour in legend.items())
    assert report["edge_colors"] and all(legend[t] == colour for t, colour in report["edge_colors"].items())
    assert len(set(report["edge_colors"].values())) == len(report["edge_colors"])


def screenshot(chromium: str, url: str, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    result = browse(chromium, url, f"--screenshot={shot}")
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1400, 900)
    assert len(data) > 20_000  # a blank page compresses to a few kB


def test_overview_draws_every_connected_entity_and_a_legend_that_matches(chromium, page):
    report = self_test(chromium, page, "")
    assert report["errors"] == [] and report["stabilized"] is True
    assert report["nodes_total"] == 15
    assert report["nodes_rendered"] == report["nodes_placed"] == 14  # 杭州市 has no extracted relationship: hidden
    assert HANGZHOU not in report["shown_ids"]
    assert report["nodes_drawn"] >= 12  # their centre pixels have their label's colour on the canvas
    assert report["edges_rendered"] == 15  # the extracted relationships; CO_MENTIONED starts hidden
    assert report["drawn_pixels"] > 2000
    assert [e["text"] for e in report["legend_labels"]] == [l.value for l in EntityLabel]
    assert {e["text"]: e["on"] for e in report["legend_types"]}["CO_MENTIONED"] is False
    _visible_legend(report)
    screenshot(chromium, page.as_uri(), "view-overview.png")


def test_search_finds_a_lab_and_its_panel(chromium, page):
    report = self_test(chromium, page, "之江实验室")
    assert report["matches"][0] == {"id": LAB, "name": "之江实验室", "via": "之江实验室"}
    assert report["listed"][0] == LAB and report["selected"] == [LAB]
    assert report["panel"] == "之江实验室"
    assert report["panel_relationships"] == 5 and report["panel_articles"] == 1
    assert report["errors"] == []
    screenshot(chromium, page.as_uri() + "#selftest=" + quote("之江实验室"), "view-search.png")


def test_page_finds_an_entity_by_alias(chromium, page):
    report = self_test(chromium, page, "浙大")
    assert report["matches"][0]["id"] == ZJU and report["matches"][0]["via"] == "浙大"
    assert report["panel"] == "浙江大学"
    assert report["errors"] == []


def test_filtered_page_shows_only_the_labels_asked_for(chromium, tmp_path):
    out = write_view(sample_graph(), tmp_path / "filtered.html",
                     options=ViewOptions(selection=Selection(labels=parse_labels("Lab,Ecosystem,Company,Region,Facility"))))
    report = self_test(chromium, out, "")
    assert report["errors"] == []
    assert [e["text"] for e in report["legend_labels"]] == ["Lab", "Facility", "Ecosystem", "Company", "Region"]
    assert {i.split(":")[0] for i in report["shown_ids"]} == {"Lab", "Facility", "Ecosystem", "Company", "Region"}
    assert report["nodes_rendered"] == 6 and report["nodes_drawn"] >= 5  # seven entities, 杭州市 without a relationship
    _visible_legend(report)
    screenshot(chromium, out.as_uri(), "view-filtered.png")


def test_ego_page_and_ego_in_the_page(chromium, page, tmp_path):
    out = write_view(sample_graph(), tmp_path / "ego.html",
                     options=ViewOptions(ego="之江实验室", radius=1, selection=Selection(types=frozenset(RelType))))
    report = self_test(chromium, out, "")
    assert report["errors"] == [] and report["ego"] == {"center": LAB, "radius": 1}
    assert report["shown_ids"] == LAB_EGO and report["nodes_drawn"] >= 5
    _visible_legend(report)
    screenshot(chromium, out.as_uri(), "view-ego.png")
    # the same from the full page: search, then the panel's ego network (the view lays it out again)
    report = self_test(chromium, page, "之江实验室&ego=1")
    assert report["ego"] == {"center": LAB, "radius": 1} and report["shown_ids"] == LAB_EGO
    assert report["layouts"] >= 2 and report["errors"] == []  # laid out again for the ego network


def test_filters_in_the_page_hide_what_they_name_and_lay_out_again(chromium, tmp_path):
    from tests.test_export import two_issue_graph

    out = write_view(two_issue_graph(), tmp_path / "two.html")
    report = self_test(chromium, out, "&hide=issue:hzkj-2024-06")
    assert report["errors"] == [] and report["layouts"] >= 2
    assert report["shown_ids"] == sorted(["Company:新公司", LAB])  # what issue 2024-07 mentions, with a relationship
    report = self_test(chromium, out, "&hide=type:LOCATED_IN&hide=label:Person")
    assert "LOCATED_IN" not in report["edge_colors"] and {e["text"]: e["on"] for e in report["legend_types"]}["LOCATED_IN"] is False
    assert not [i for i in report["shown_ids"] if i.startswith("Person:")]
    assert YUHANG not in report["shown_ids"]  # 余杭区 has LOCATED_IN relationships only
    assert report["nodes_drawn"] >= len(report["shown_ids"]) - 1
