"""Assembling extractions into the graph: provenance, idempotence, merging across articles."""
from __future__ import annotations

from innograph.api import extract_document, sample_path
from innograph.extract.reader import read_path, read_text
from innograph.graph.aliases import AliasTable
from innograph.graph.assemble import assemble
from innograph.ontology import GraphRelType, RelType


def _one(text: str, doc_id: str):
    return extract_document(read_text(text, f"{doc_id}.txt", force_article=True, doc_id=doc_id))


def test_sample_graph_has_provenance_for_every_entity() -> None:
    result = extract_document(read_path(sample_path()))
    graph, report = assemble([result], aliases=AliasTable())
    assert report.articles_added == 16
    published = {e.source for e in graph.edges(GraphRelType.PUBLISHED_IN)}
    assert len(published) == 16  # 15 articles and the annual index
    mentioned = {e.source for e in graph.edges(GraphRelType.MENTIONED_IN)}
    entities = {n.key for n in graph.nodes() if n.label.value not in ("Article", "Issue")}
    assert entities == mentioned
    for edge in graph.edges(GraphRelType.MENTIONED_IN):
        assert edge.evidence and all(e.sentence for e in edge.evidence)
    extracted = [edge for edge in graph.edges() if isinstance(edge.type, RelType)]
    assert len(extracted) > 100
    assert all(edge.evidence for edge in extracted)


def test_assembling_twice_changes_nothing() -> None:
    result = _one("标题\n\n之江实验室与浙江大学签署合作协议。", "x1")
    graph, _ = assemble([result], aliases=AliasTable())
    before = (sorted(n.model_dump_json() for n in graph.nodes()), sorted(e.model_dump_json() for e in graph.edges()))
    graph, report = assemble([result], graph, aliases=AliasTable())
    after = (sorted(n.model_dump_json() for n in graph.nodes()), sorted(e.model_dump_json() for e in graph.edges()))
    assert report.articles_skipped == 1
    assert before == after


def test_short_form_in_another_article_joins_the_full_name_through_the_alias_table() -> None:
    first = _one("标题\n\n浙江大学发布了新成果。", "x1")
    second = _one("标题\n\n浙大与之江实验室合作。", "x2")
    table = AliasTable.from_rows([("University", "浙大", "浙江大学", "")])
    graph, _ = assemble([first, second], aliases=table)
    node = graph.node("University:浙江大学")
    assert node.mention_count == 2
    assert {"浙江大学", "浙大"} <= set(node.aliases)


def test_co_mentions_count_sentences() -> None:
    result = _one("标题\n\n之江实验室与浙江大学合作。之江实验室和浙江大学共建平台。", "x1")
    graph, _ = assemble([result], aliases=AliasTable())
    edge = graph.edge("Lab:之江实验室", "University:浙江大学", GraphRelType.CO_MENTIONED) or \
        graph.edge("University:浙江大学", "Lab:之江实验室", GraphRelType.CO_MENTIONED)
    assert edge is not None and edge.count == 2


def test_an_edge_in_every_article_keeps_one_evidence_sentence_per_article_through_changes() -> None:
    """Past the length where the assembler keeps a set of an edge's sentences (it grows them in place)."""
    from innograph.graph.assemble import GraphAssembler
    from innograph.graph.model import InnoGraph

    results = [_one("标题\n\n之江实验室与浙江大学合作。", f"x{i}") for i in range(20)]
    assembler = GraphAssembler(InnoGraph(), AliasTable())
    for result in results:
        assembler.add_result(result)
        assembler.add_result(result)  # skipped: nothing added twice
    changed = _one("标题\n\n之江实验室与浙江大学共建平台。浙江大学与之江实验室合作。", "x3")
    assembler.add_result(changed)
    assembler.add_result(results[5])
    graph = assembler.graph
    ident = ("Lab:之江实验室", "University:浙江大学", GraphRelType.CO_MENTIONED.value)
    data = graph.nx.get_edge_data(*ident[:2], key=ident[2]) or graph.nx.get_edge_data(ident[1], ident[0], key=ident[2])
    assert isinstance(data["evidence"], tuple)
    edge = graph.edge("Lab:之江实验室", "University:浙江大学", GraphRelType.CO_MENTIONED) or \
        graph.edge("University:浙江大学", "Lab:之江实验室", GraphRelType.CO_MENTIONED)
    assert edge is not None
    assert sorted((e.doc_id, e.start) for e in edge.evidence) == sorted(
        [(f"x{i}", 4) for i in range(20) if i != 3] + [("x3", 4), ("x3", 19)])
    assert edge.count == 21
    assert [e.doc_id for e in edge.evidence][-2:] == ["x3", "x3"]
