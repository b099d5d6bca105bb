"""The HTML view: self-contained, data embedded safely, and working in headless Chromium.

The browser tests need Chromium (Debian package ``chromium``). They skip when it is missing,
except under CI=true, where a missing browser fails them.
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
from innograph.graph.model import InnoGraph, NodeRecord
from innograph.graph.view import LABEL_COLORS, render_html, view_data, write_view
from innograph.ontology import EntityLabel
from tests.graph_fixtures import LAB, ZJU, sample_graph

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DATA_RE = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def embedded_data(page: str) -> dict:
    match = DATA_RE.search(page)
    assert match, "no #graph-data element"
    return json.loads(match.group(1))


def test_view_data_shape():
    data = view_data(sample_graph())
    assert len(data["nodes"]) == 15  # entities only: Article and Issue nodes are not drawn
    assert {t["type"]: t["hidden"] for t in data["types"]}["CO_MENTIONED"] is True
    assert not any(t["hidden"] for t in data["types"] if t["type"] != "CO_MENTIONED")
    assert [l["label"] for l in data["labels"]] == [l.value for l in EntityLabel]
    assert all(l["color"] == LABEL_COLORS[EntityLabel(l["label"])] for l in data["labels"])
    lab = next(n for n in data["nodes"] if n["id"] == LAB)
    assert lab["aliases"] == ["之江"] and lab["mention_count"] == 5
    assert lab["articles"][0]["title"] == "环之江实验室创新生态圈：从一座实验室到一片创新森林"
    assert len(lab["articles"][0]["sentences"]) == 5
    leads = next(e for e in data["edges"] if e["type"] == "LEADS")
    assert leads["properties"] == {"role": "主任"}
    assert leads["evidence"][0]["title"] == "环之江实验室创新生态圈：从一座实验室到一片创新森林"


def test_page_is_self_contained():
    page = render_html(sample_graph())
    assert page.count("<script") == 4 and page.count("</script>") == 4
    assert not re.search(r"<script[^>]+src=|<link\b|@import|url\(\s*['\"]?https?:", page)
    assert "Content-Security-Policy" in page
    assert embedded_data(page) == view_data(sample_graph())


def test_embedded_json_cannot_close_the_script():
    evil = "</script><script>alert(1)</script><!--"
    g = InnoGraph.from_records([NodeRecord(key="Lab:x", label=EntityLabel.Lab, name=evil, aliases=("a&b", "\u2028"))], [])
    page = render_html(g, title="<b>t</b>")
    assert page.count("</script>") == 4
    assert "<b>t</b>" not in page and "&lt;b&gt;t&lt;/b&gt;" in page
    node = embedded_data(page)["nodes"][0]
    assert node["name"] == evil and node["aliases"] == ["a&b", "\u2028"]


def test_write_view_and_cli(tmp_path, capsys):
    out = write_view(sample_graph(), tmp_path / "sub" / "g.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    path = tmp_path / "graph.json"
    store.save(sample_graph(), path)
    assert run(["view", "--store", str(path), "--out", str(tmp_path / "v.html")]) == 0
    assert "v.html" in capsys.readouterr().out
    assert embedded_data((tmp_path / "v.html").read_text(encoding="utf-8"))["nodes"][0]["id"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "sub", "v.html"]


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
             "--virtual-time-budget=15000", "--hide-scrollbars", "--window-size=1400,900", *extra, url],
            capture_output=True, text=True, timeout=120,
        )


def self_test(chromium: str, page: Path, query: str) -> dict:
    url = page.as_uri() + "#selftest=" + quote(query)
    result = browse(chromium, url, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Uncaught" not in result.stderr, result.stderr[-2000:]
    errors = re.search(r'<pre id="js-errors"[^>]*>(.*?)</pre>', result.stdout, re.S)
    assert errors is not None and html.unescape(errors.group(1)) == "", errors and errors.group(1)
    report = re.search(r'<pre id="selftest-result"[^>]*data-done="true"[^>]*>(.*?)</pre>', result.stdout, re.S)
    assert report, "the page's self-test did not finish:\n" + result.stdout[-2000:]
    return json.loads(html.unescape(report.group(1)))


def test_page_draws_the_graph_and_finds_a_lab(chromium, page):
    report = self_test(chromium, page, "之江实验室")
    assert report["errors"] == []
    assert report["nodes_total"] == 15
    assert report["nodes_rendered"] == 15 and report["nodes_placed"] == 15
    assert report["edges_rendered"] == 15  # the extracted relationships; CO_MENTIONED starts hidden
    assert report["drawn_pixels"] > 2000
    assert report["legend_labels"] == 13
    assert "type:CO_MENTIONED" not in report["type_filters_on"] and "type:LEADS" in report["type_filters_on"]
    assert report["matches"][0] == {"id": LAB, "name": "之江实验室", "via": "之江实验室"}
    assert report["listed"][0] == LAB
    assert report["selected"] == [LAB]
    assert report["panel"] == "之江实验室"
    assert report["panel_relationships"] == 5 and report["panel_articles"] == 1


def test_page_finds_an_entity_by_alias(chromium, page):
    report = self_test(chromium, page, "浙大")
    assert report["matches"][0]["id"] == ZJU and report["matches"][0]["via"] == "浙大"
    assert report["panel"] == "浙江大学"
    assert report["errors"] == []


def test_screenshot(chromium, page):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, fragment in (("view.png", ""), ("view-search.png", "#selftest=" + quote("之江实验室"))):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        result = browse(chromium, page.as_uri() + fragment, f"--screenshot={shot}")
        assert result.returncode == 0, result.stderr[-2000:]
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1400, 900)
        assert len(data) > 20_000  # a blank page compresses to a few kB
