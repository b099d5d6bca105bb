"""Incremental and parallel builds: what is stored with the same text is not extracted again, a
changed article replaces its facts, and ``--jobs N`` writes the store ``--jobs 1`` writes.

Counts come from the build report (``articles_extracted`` is what the extractor read), never
from timing; the speed is measured by ``benchmarks/build.py``.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from innograph import api
from innograph.cli import run
from innograph.graph import store
from innograph.graph.assemble import CONTENT_HASH

LAB_AND_ZJU = "合作协议\n\n之江实验室与浙江大学签署合作协议。之江实验室将在余杭区建设新平台。\n"
ZJU_ONLY = "新成果\n\n浙江大学发布了新成果。浙江大学与杭州市科学技术局共建平台。\n"
CHANGED = "合作协议\n\n浙江大学与梦想小镇签署合作协议。梦想小镇位于余杭区。\n"


def _facts(path: Path) -> tuple[list[str], list[str]]:
    """The store's nodes and edges, order-free, without what tells versions apart (the text hash)."""
    graph = store.load(path)
    nodes = [n.model_dump(mode="json") for n in graph.nodes()]
    for node in nodes:
        node["properties"].pop(CONTENT_HASH, None)
    return (sorted(json.dumps(n, ensure_ascii=False, sort_keys=True) for n in nodes),
            sorted(json.dumps(e.model_dump(mode="json"), ensure_ascii=False, sort_keys=True) for e in graph.edges()))


@pytest.fixture(scope="module", params=[".db", ".json"], ids=["sqlite", "json"])
def suffix(request: pytest.FixtureRequest) -> str:
    """Every test on a SQLite store (the default) and on a JSON one (what older versions wrote)."""
    return request.param


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory, suffix: str) -> Path:
    path = tmp_path_factory.mktemp("sample") / f"graph{suffix}"
    report = api.build([api.sample_path()], path)
    assert (report.articles_added, report.articles_extracted) == (16, 15)  # the annual index has no body
    return path


def test_a_rebuild_of_the_sample_extracts_nothing(sample_store: Path, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    shutil.copy(sample_store, path)
    report = api.build([api.sample_path()], path)
    assert (report.articles_extracted, report.articles_added, report.articles_replaced, report.articles_skipped) == (0, 0, 0, 16)
    assert path.read_bytes() == sample_store.read_bytes()


def test_every_stored_article_has_the_hash_of_its_text(sample_store: Path) -> None:
    graph = store.load(sample_store)
    articles = [n for n in graph.nodes() if n.label.value == "Article"]
    assert len(articles) == 16
    assert all(len(str(a.properties[CONTENT_HASH])) == 64 for a in articles)


def test_a_changed_article_replaces_its_facts(tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(LAB_AND_ZJU, encoding="utf-8")
    second.write_text(ZJU_ONLY, encoding="utf-8")
    path = tmp_path / f"graph{suffix}"
    api.build([first, second], path, force_article=True)
    before = store.load(path)
    assert before.has_node("Lab:之江实验室")
    first.write_text(CHANGED, encoding="utf-8")  # same file, so the same article, other text

    report = api.build([first, second], path, force_article=True)

    assert (report.articles_extracted, report.articles_replaced, report.articles_skipped, report.articles_added) == (1, 1, 1, 0)
    graph = store.load(path)
    assert not graph.has_node("Lab:之江实验室")  # only the old text mentioned it
    assert graph.has_node("Ecosystem:梦想小镇")
    evidence = [e for edge in graph.edges() for e in edge.evidence if e.doc_id == "a"]
    assert evidence and all("之江实验室" not in e.sentence for e in evidence)
    # the same facts as a store built from the new texts alone
    fresh = tmp_path / f"fresh{suffix}"
    api.build([first, second], fresh, force_article=True)
    assert _facts(path) == _facts(fresh)
    assert graph.node("University:浙江大学").mention_count == before.node("University:浙江大学").mention_count


def test_a_changed_article_keeps_entities_other_articles_mention(tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(LAB_AND_ZJU, encoding="utf-8")
    second.write_text(ZJU_ONLY, encoding="utf-8")
    path = tmp_path / f"graph{suffix}"
    api.build([first, second], path, force_article=True)
    first.write_text("合作协议\n\n之江实验室发布了年度报告。\n", encoding="utf-8")
    api.build([first], path, force_article=True)
    graph = store.load(path)
    zju = graph.node("University:浙江大学")
    mentioned_in = sorted(e.target for e in graph.edges() if e.source == zju.key and e.type.value == "MENTIONED_IN")
    assert mentioned_in == ["Article:b"]
    assert zju.mention_count == 2  # b's two mentions; a's are retracted
    assert not any({e.source, e.target} == {"Lab:之江实验室", zju.key} for e in graph.edges())


def test_build_with_jobs_writes_the_store_of_one_job_for_a_directory(sample_store: Path, tmp_path: Path,
                                                                     suffix: str) -> None:
    directory = tmp_path / "issues"
    directory.mkdir()
    shutil.copy(api.sample_path(), directory / "hzkj-2024-06.txt")
    path = tmp_path / f"graph{suffix}"
    report = api.build([directory], path, jobs=2)
    assert report.articles_extracted == 15
    assert path.read_bytes() == sample_store.read_bytes()


def test_build_jobs_on_files_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    files = []
    for name, text in (("a", LAB_AND_ZJU), ("b", ZJU_ONLY), ("c", CHANGED)):
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(text, encoding="utf-8")
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    extracted = []
    for path, jobs in ((one, "1"), (two, "2")):
        assert run(["build", *map(str, files), "--article", "--store", str(path), "--jobs", jobs, "--format", "json"]) == 0
        extracted.append(json.loads(capsys.readouterr().out)["articles_extracted"])
    assert extracted == [3, 3]
    assert one.read_bytes() == two.read_bytes()


def test_jobs_below_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == ("innograph: error: Invalid value for '--jobs' / '-j': Input should be greater "
                                               "than or equal to 1 (see 'innograph build --help')")


@pytest.mark.parametrize("already_stored, expected", [
    (False, [
        (0, 1, "reading the store"), (1, 2, None), (2, 2, None),
        (2, 2, "assembling the graph"), (2, 2, "ranking the entities"), (2, 2, "writing the store")]),
    (True, [  # the same files again: nothing to extract, to rank or to write
        (0, 1, "reading the store"), (0, 1, "assembling the graph")]),
], ids=["a new store", "everything already stored"])
def test_a_build_says_what_it_is_doing_before_during_and_after_extraction(already_stored, expected, tmp_path: Path,
                                                                          suffix: str) -> None:
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path, text in zip(paths, (LAB_AND_ZJU, ZJU_ONLY)):
        path.write_text(text, encoding="utf-8")
    store_path = tmp_path / f"graph{suffix}"
    if already_stored:
        api.build(paths, store_path, force_article=True)
    calls: list[tuple[int, int, str]] = []
    api.build(paths, store_path, force_article=True, progress=lambda done, total, doing: calls.append((done, total, doing)))
    assert [(done, total, doing if doing in {e[2] for e in expected} else None) for done, total, doing in calls] == expected
