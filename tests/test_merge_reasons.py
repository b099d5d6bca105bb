"""Why an alias was merged is recorded by the resolver, kept on the node, and what `aliases` reports.

The texts here are written for these tests (no gold text): each makes the resolver merge one
surface form into one entity in one way.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from innograph.cli import run
from innograph.extract.pipeline import extract_article
from innograph.graph import store
from innograph.graph.aliases import NOT_RECORDED, AliasTable, explain
from innograph.graph.assemble import GraphAssembler, assemble
from innograph.models import Article, ArticleExtraction, Document, Entity, ExtractionResult, MergeReason
from innograph.ontology import EntityLabel as L

R = MergeReason


def _article(text: str, doc_id: str = "t-1") -> Article:
    return Article(doc_id=doc_id, title="测试", text=text)


@pytest.mark.parametrize(
    ("text", "label", "name", "alias", "reason"),
    [
        ("杭州市出台新政。杭州市科学技术局发布通知,市科技局负责人介绍了情况。",
         L.Agency, "杭州市科学技术局", "市科技局", R.short_in_region),
        ("杭州市科学技术局发布通知。杭州市科技局表示将继续支持。",
         L.Agency, "杭州市科学技术局", "杭州市科技局", R.official_form),
        ("杭州市是浙江省省会。杭州的创新氛围浓厚。", L.Region, "杭州市", "杭州", R.official_form),
        ("清华大学与浙江大学签约。清华在会上发言。", L.University, "清华大学", "清华", R.known_short_form),
        ("工业和信息化部发布名单,工信部表示将继续支持。", L.Agency, "工业和信息化部", "工信部", R.known_short_form),
        ("长三角火炬颠覆性技术转化孵化中心(以下简称“转化孵化中心”)揭牌。转化孵化中心将服务企业。",
         L.Platform, "长三角火炬颠覆性技术转化孵化中心", "转化孵化中心", R.introduced),
        ("麻省理工学院(MIT)是一所大学。", L.University, "麻省理工学院", "MIT", R.introduced),
        ("杭州城西科创大走廊建设提速。城西科创大走廊集聚了大量企业。",
         L.Ecosystem, "杭州城西科创大走廊", "城西科创大走廊", R.without_front),
        ("康奈尔科技园位于纽约。康奈尔科技园区吸引了企业。", L.Ecosystem, "康奈尔科技园区", "康奈尔科技园", R.without_end),
        ("第十三届中国创新创业大赛颠覆性技术创新大赛总决赛在杭州举行。", L.Event,
         "第十三届中国创新创业大赛颠覆性技术创新大赛总决赛", "第十三届中国创新创业大赛颠覆性技术创新大赛", R.without_end),
        ("余杭区推出“黄金68条”产业扶持政策。", L.Policy, "黄金68条", "黄金68条产业扶持政策", R.quoted_form),
        ("杭州市发布《关于推动技术转移的实施方案》。", L.Policy, "《关于推动技术转移的实施方案》",
         "关于推动技术转移的实施方案", R.same_name),
        ("他参加了“众创空间”计划。众创空间计划已有十年。", L.Policy, "“众创空间”计划", "众创空间计划", R.same_name),
    ],
)
def test_the_resolver_records_why_each_alias_was_merged(text: str, label: L, name: str, alias: str,
                                                        reason: MergeReason) -> None:
    entities = {(e.label, e.name): e for e in extract_article(_article(text)).entities}
    entity = entities[(label, name)]
    assert entity.alias_reasons[alias] is reason


def test_every_alias_but_the_name_has_a_reason() -> None:
    text = "杭州市出台新政。杭州市科学技术局发布通知,市科技局、杭州市科技局负责人介绍了情况。清华在会上发言。"
    for entity in extract_article(_article(text)).entities:
        assert set(entity.alias_reasons) == set(entity.aliases) - {entity.name}


def _graph(text: str, table: AliasTable | None = None):
    article = _article(text)
    extraction = extract_article(article)
    graph, _ = assemble([ExtractionResult(document=Document(source="t.txt", articles=(article,)),
                                          extractions=(extraction,))], aliases=table)
    return graph


TEXT = "杭州市出台新政。杭州市科学技术局发布通知,市科技局负责人介绍了情况,杭州市科技局表示将继续支持。"


def test_the_node_keeps_the_reasons_and_the_store_round_trips_them(tmp_path: Path) -> None:
    graph = _graph(TEXT)
    node = graph.node("Agency:杭州市科学技术局")
    assert node.alias_reasons == {"市科技局": R.short_in_region, "杭州市科技局": R.official_form}
    store.save(graph, tmp_path / "graph.json")
    assert store.load(tmp_path / "graph.json").node("Agency:杭州市科学技术局").alias_reasons == node.alias_reasons


def test_an_alias_table_row_wins_and_its_note_is_the_reason() -> None:
    table = AliasTable.from_rows([("Agency", "市科技局", "杭州市科学技术局", "reviewed short form")])
    graph = _graph(TEXT, table)
    assert graph.node("Agency:杭州市科学技术局").alias_reasons["市科技局"] is R.alias_table
    reasons = {e.alias: e.reason for e in explain(graph, table, "市科技局")}
    assert reasons == {"市科技局": "alias table: reviewed short form",
                       "杭州市科技局": "same name up to an official long form (科技局 = 科学技术局, 市 = the city)"}


def test_a_name_that_joins_from_another_article_keeps_its_reason() -> None:
    first = _article("城西科创大走廊集聚了大量企业。", "t-1")
    second = _article("杭州城西科创大走廊建设提速。城西科创大走廊集聚了大量企业。", "t-2")
    results = [ExtractionResult(document=Document(source=f"{a.doc_id}.txt", articles=(a,)),
                                extractions=(extract_article(a),)) for a in (first, second)]
    graph, _ = assemble(results)
    node = graph.node("Ecosystem:城西科创大走廊")  # the key stays, the name becomes the fullest form
    assert (node.name, node.alias_reasons) == ("杭州城西科创大走廊", {"城西科创大走廊": R.without_front})


def test_a_name_seen_only_across_articles_says_so() -> None:
    graph, _ = assemble([])
    assembler = GraphAssembler(graph)
    for doc_id, entity in (("t-1", Entity(label=L.Lab, name="之江", aliases=("之江",))),
                           ("t-2", Entity(label=L.Lab, name="之江实验室", aliases=("之江", "之江实验室")))):
        assembler.add_article(_article("之江实验室。", doc_id), ArticleExtraction(doc_id=doc_id, entities=(entity,)), None)
    node = graph.node("Lab:之江")
    assert (node.name, node.alias_reasons) == ("之江实验室", {"之江": R.other_article})


def test_aliases_prints_the_recorded_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(_graph(TEXT), tmp_path / "graph.json")
    monkeypatch.setenv("COLUMNS", "160")
    assert run(["aliases", "市科技局", "--store", str(tmp_path / "graph.json")]) == 0
    assert capsys.readouterr().out == EXPECTED_TABLE


# the bundled alias table has a row for 杭州市科技局: it wins over the recorded reason
EXPECTED_TABLE = "aliases".ljust(108) + """
┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ label  ┃ canonical name   ┃ alias        ┃ seen ┃ why                                                    ┃
┡━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ Agency │ 杭州市科学技术局 │ 市科技局     │ 1    │ short form in the article's city, province or district │
│ Agency │ 杭州市科学技术局 │ 杭州市科技局 │ 1    │ alias table: official long form                        │
└────────┴──────────────────┴──────────────┴──────┴────────────────────────────────────────────────────────┘
"""


def test_a_store_written_before_reasons_were_recorded_still_loads(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "graph.json"
    store.save(_graph(TEXT), path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    for node in payload["nodes"]:
        del node["alias_reasons"]  # what a store of the earlier version holds
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    assert store.load(path).node("Agency:杭州市科学技术局").alias_reasons == {}
    assert run(["aliases", "市科技局", "--store", str(path), "--format", "json"]) == 0
    rows = {r["alias"]: r["reason"] for r in json.loads(capsys.readouterr().out)}
    # the bundled alias table still gives its note for the alias it has a row for
    assert rows == {"市科技局": NOT_RECORDED, "杭州市科技局": "alias table: official long form"}
    assert NOT_RECORDED == "not recorded: the store predates recorded reasons, rebuild it to record them"


GRAPH_DIR = Path(__file__).resolve().parent.parent / "graph"


@pytest.mark.parametrize("module", sorted(p.name for p in GRAPH_DIR.glob("*.py")))
def test_graph_modules_do_not_import_the_extractor(module: str) -> None:
    tree = ast.parse((GRAPH_DIR / module).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    higher = sorted(m for m in imported if m.split(".")[:2] in (["innograph", "extract"], ["innograph", "loaders"],
                                                               ["innograph", "queries"]))
    assert higher == [], f"graph/{module} imports {higher}"


def test_the_import_check_sees_a_function_level_import() -> None:
    tree = ast.parse("def f():\n    from innograph.extract.resolve import merge_key\n")
    assert {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} == {"innograph.extract.resolve"}


@pytest.mark.neo4j
def test_neo4j_keeps_the_reasons_as_parallel_lists_and_verify_compares_them(neo4j_writer) -> None:
    graph = _graph(TEXT)
    neo4j_writer.load(graph)
    assert neo4j_writer.verify(graph).ok
    [row] = neo4j_writer._read("MATCH (n:Agency {key: 'Agency:杭州市科学技术局'}) RETURN properties(n) AS p")
    assert (row["p"]["alias_reason_names"], row["p"]["alias_reason_values"]) == (
        ["市科技局", "杭州市科技局"], [R.short_in_region.value, R.official_form.value])
    assert neo4j_writer.read().node("Agency:杭州市科学技术局") == graph.node("Agency:杭州市科学技术局")
    node = graph.node("Agency:杭州市科学技术局")
    changed = node.model_copy(update={"alias_reasons": {**node.alias_reasons, "市科技局": R.introduced}})
    graph.upsert_node(changed)
    assert not neo4j_writer.verify(graph).ok  # a changed reason is a difference
