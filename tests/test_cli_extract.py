"""The extract, build and eval commands as a user and a script see them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from innograph.cli import run
from innograph.graph import store

from tests.extract_helpers import gold_articles


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    gold = next(g for g in gold_articles() if g["doc_id"] == "hzkj-2024-06-a04")
    path = tmp_path / "a04.txt"
    path.write_text(gold["text"], encoding="utf-8")
    return path


def test_extract_json_has_the_documented_shape(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["extract", str(article_file), "--article", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"issue", "articles"}
    assert payload["issue"] is None
    (article,) = payload["articles"]
    assert set(article) == {"doc_id", "title", "section", "authors", "entities", "relations"}
    assert article["doc_id"] == "a04"
    assert article["authors"][0]["name"] == "傅凌波"
    entity = next(e for e in article["entities"] if e["name"] == "之江实验室")
    assert set(entity) == {"name", "type", "aliases", "mentions"}
    assert entity["type"] == "Lab"
    assert set(entity["mentions"][0]) == {"surface", "start", "end", "sentence"}
    text = article_file.read_text(encoding="utf-8").strip()
    for mention in entity["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["surface"]
    relation = article["relations"][0]
    assert set(relation) == {"head", "type", "tail", "evidence", "start", "end"}


def test_extract_of_the_issue_reads_every_article(capsys: pytest.CaptureFixture[str]) -> None:
    from innograph.api import sample_path

    assert run(["extract", str(sample_path())]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["issue"]["key"] == "hzkj-2024-06"
    assert len(payload["articles"]) == 15  # the annual index has no body to extract from
    assert all(a["entities"] for a in payload["articles"])


def test_extract_table_format_is_readable(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["extract", str(article_file), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "之江实验室" in out and "Lab" in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file: {p} (give the path of a magazine issue or article text file)"),
        (lambda d: _mkdir(d / "inbox"), "{p} holds no issue or article file: put .txt, .pdf, .html or .docx files in it"),
        (lambda d: _write(d / "empty.txt", b""), "{p} is empty: give a UTF-8, GB18030 or UTF-16 text file with Chinese text"),
        (lambda d: _write(d / "blob.bin", bytes(range(256)) * 4), "{p} looks binary, not text: give a UTF-8, GB18030 or UTF-16 text file"),
        (lambda d: _write(d / "english.txt", b"no Chinese here\n"), "{p} has no Chinese text: innograph reads Chinese articles"),
    ],
)
@pytest.mark.parametrize("command", ["extract", "build"])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, make, message: str, command: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = make(tmp_path)
    store_path = tmp_path / "out" / "graph.json"
    args = [command, str(target)] + (["--store", str(store_path)] if command == "build" else [])
    assert run(args) == 2
    captured = capsys.readouterr()
    assert captured.err == "innograph: error: " + message.format(p=target) + "\n"
    assert captured.out == ""
    assert not store_path.exists()


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_build_twice_changes_nothing_and_a_new_issue_adds(tmp_path: Path, article_file: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    store_path = tmp_path / "graph.json"
    assert run(["build", "--store", str(store_path), "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["articles_added"] == 16  # 15 articles and the annual index
    snapshot = store_path.read_text(encoding="utf-8")
    assert run(["build", "--store", str(store_path), "--format", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["articles_added"], second["articles_skipped"]) == (0, 16)
    assert store_path.read_text(encoding="utf-8") == snapshot
    # a file from elsewhere (one article) adds its article and merges its entities
    assert run(["build", str(article_file), "--article", "--store", str(store_path), "--format", "json"]) == 0
    third = json.loads(capsys.readouterr().out)
    assert third["articles_added"] == 1
    graph = store.load(store_path)
    lab = graph.node("Lab:之江实验室")
    assert lab.mention_count > first_mentions(first, "Lab:之江实验室")


def first_mentions(report: dict, key: str) -> int:
    from innograph.graph.store import load  # noqa: F401  (documenting where counts come from)

    return next((e["mentions"] for e in report["top_entities"] if e["key"] == key), 0)


def test_build_summary_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", "--store", str(tmp_path / "g.json")]) == 0
    out = capsys.readouterr().out
    assert "16 article(s) added" in out
    for heading in ("nodes", "relationships", "most mentioned"):
        assert heading in out


def test_help_explains_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("extract", "build", "eval"):
        assert command in out


def test_aliases_explains_each_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_path = tmp_path / "graph.json"
    assert run(["build", "--store", str(store_path), "--format", "json"]) == 0
    capsys.readouterr()
    assert run(["aliases", "杭州市科学技术局", "--store", str(store_path), "--format", "json"]) == 0
    rows = {r["alias"]: r["reason"] for r in json.loads(capsys.readouterr().out)}
    assert rows["市科技局"] == "short form in the article's city, province or district"
    assert rows["杭州市科技局"] == "alias table: official long form"


def test_aliases_of_an_unknown_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_path = tmp_path / "graph.json"
    assert run(["build", "--store", str(store_path), "--format", "json"]) == 0
    capsys.readouterr()
    assert run(["aliases", "不存在的机构", "--store", str(store_path)]) == 3
    assert capsys.readouterr().err == ("innograph: error: no merged aliases for '不存在的机构' in the store: "
                                       "check the name with 'innograph search'\n")
