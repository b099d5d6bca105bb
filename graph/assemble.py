"""Assembling extraction results into the graph, incrementally and idempotently.

* An article already in the graph is skipped (loading the same issue twice changes nothing).
* An entity joins the existing node whose key it has, or, failing that, the node of the same
  label that already has one of its aliases (浙大 in one article, 浙江大学 in another); the
  node's name becomes the fullest form seen, its key stays (keys are stable across loads).
* The reviewed alias table (:mod:`innograph.graph.aliases`) is applied first: it maps a
  surface form to the canonical name an analyst chose.
* A node keeps why each alias is its own (``alias_reasons``): the resolver's reasons, the alias
  table where a row applied, and "another article" for a name that joined across articles.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

from innograph.graph.aliases import AliasTable
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import (Article, ArticleExtraction, Document, Entity, Evidence, ExtractionResult, Issue, MergeReason,
                              entity_key)
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel
from innograph.text import name_key


class AssemblyReport:
    """What one assembly did: articles added and skipped, nodes and edges touched."""

    def __init__(self) -> None:
        self.articles_added = 0
        self.articles_skipped = 0
        self.merged_by_alias: Counter = Counter()


def issue_node_key(issue: Issue) -> str:
    return f"Issue:{issue.key}"


def article_node_key(doc_id: str) -> str:
    return f"Article:{doc_id}"


class GraphAssembler:
    """Adds documents and their extractions to an :class:`InnoGraph`."""

    def __init__(self, graph: InnoGraph, aliases: AliasTable | None = None) -> None:
        self.graph = graph
        self.aliases = aliases or AliasTable()
        self.report = AssemblyReport()
        self._alias_index: dict[tuple[str, str], str] = {}
        for node in graph.nodes():
            if isinstance(node.label, EntityLabel):
                self._index(node)

    def _index(self, node: NodeRecord) -> None:
        for alias in (node.name, *node.aliases):
            self._alias_index.setdefault((node.label.value, name_key(alias)), node.key)

    def add_result(self, result: ExtractionResult) -> None:
        issue = result.document.issue
        if issue is not None:
            self._add_issue(issue)
        extractions = {x.doc_id: x for x in result.extractions}
        for article in result.document.articles:
            # an annual index has no extraction but is part of the issue's provenance
            extraction = extractions.get(article.doc_id) or ArticleExtraction(doc_id=article.doc_id, entities=())
            self.add_article(article, extraction, issue)

    def add_article(self, article: Article, extraction: ArticleExtraction, issue: Issue | None) -> None:
        key = article_node_key(article.doc_id)
        if self.graph.has_node(key):
            self.report.articles_skipped += 1
            return
        self.report.articles_added += 1
        self.graph.upsert_node(NodeRecord(
            key=key, label=ProvenanceLabel.Article, name=article.title,
            properties={
                "doc_id": article.doc_id, "title": article.title, "section": article.section, "page": article.page,
                "kind": article.kind.value, "issue": issue.key if issue else None,
                "authors": "; ".join(a.name for a in article.authors) or None,
            },
        ))
        if issue is not None:
            self.graph.upsert_edge(EdgeRecord(source=key, target=issue_node_key(issue), type=GraphRelType.PUBLISHED_IN))
        issue_key = issue.key if issue else None
        keys: dict[str, str] = {}
        for entity in extraction.entities:
            keys[entity.key] = self._add_entity(entity, article, issue_key)
        for relation in extraction.relations:
            head, tail = keys.get(relation.head_key), keys.get(relation.tail_key)
            if head and tail:
                self._add_evidence_edge(head, tail, relation.type, relation.evidence, relation.properties)
        self._add_co_mentions(extraction.entities, keys, article.doc_id)

    def _add_issue(self, issue: Issue) -> None:
        self.graph.upsert_node(NodeRecord(
            key=issue_node_key(issue), label=ProvenanceLabel.Issue,
            name=" ".join(p for p in (issue.journal, issue.date, issue.total_number) if p) or issue.key,
            properties={"issue_key": issue.key, "journal": issue.journal, "year": issue.year, "volume": issue.volume,
                        "number": issue.number, "total_number": issue.total_number, "date": issue.date,
                        "issn": issue.issn},
        ))

    def _resolve(self, entity: Entity) -> tuple[str, str]:
        """The node key this entity belongs to, and its canonical name after the alias table."""
        name = self.aliases.canonical(entity.label, entity.name) or entity.name
        for alias in entity.aliases:
            name = self.aliases.canonical(entity.label, alias) or name
        own_key = entity_key(entity.label, name)
        if self.graph.has_node(own_key):
            return own_key, name
        for alias in (name, *entity.aliases):
            existing = self._alias_index.get((entity.label.value, name_key(alias)))
            if existing:
                self.report.merged_by_alias[existing] += 1
                return existing, name
        return own_key, name

    def _reasons(self, entity: Entity, name: str) -> dict[str, MergeReason]:
        """Why each alias of ``entity`` belongs to the node called ``name``: an alias table row wins."""
        reasons = dict(entity.alias_reasons)
        if entity.name != name:
            reasons[entity.name] = MergeReason.alias_table  # the table renamed the entity
        for alias in (entity.name, *entity.aliases):
            if self.aliases.canonical(entity.label, alias) is not None:
                reasons[alias] = MergeReason.alias_table
        reasons.pop(name, None)
        return reasons

    def _add_entity(self, entity: Entity, article: Article, issue_key: str | None) -> str:
        key, name = self._resolve(entity)
        surfaces = Counter(m.surface for m in entity.mentions)
        if self.graph.has_node(key):
            old = self.graph.node(key)
            alias_counts = Counter(old.alias_counts) + surfaces
            aliases = tuple(sorted(set(old.aliases) | set(entity.aliases) | {name}))
            fullest = max((old.name, name), key=lambda n: (len(name_key(n)), n == old.name))
            reasons = dict(old.alias_reasons)
            for alias, reason in self._reasons(entity, name).items():
                reasons[alias] = reason if reason is MergeReason.alias_table else reasons.get(alias, reason)
            for other in (old.name, name):  # the name of this node in one article, an alias in another
                if other != fullest:
                    reasons.setdefault(other, MergeReason.other_article)
            reasons.pop(fullest, None)
            node = old.model_copy(update={
                "name": fullest, "aliases": aliases, "alias_counts": dict(alias_counts), "alias_reasons": reasons,
                "mention_count": old.mention_count + len(entity.mentions),
                "first_issue": _earliest(old.first_issue, issue_key), "last_issue": _latest(old.last_issue, issue_key),
            })
        else:
            node = NodeRecord(key=key, label=entity.label, name=name,
                              aliases=tuple(sorted(set(entity.aliases) | {name})), alias_counts=dict(surfaces),
                              alias_reasons=self._reasons(entity, name),
                              mention_count=len(entity.mentions), first_issue=issue_key, last_issue=issue_key)
        self.graph.upsert_node(node)
        self._index(node)
        sentences = {}
        for mention in entity.mentions:
            sentences.setdefault(mention.sentence_start, Evidence(
                doc_id=article.doc_id, sentence=mention.sentence, start=mention.sentence_start,
                end=mention.sentence_start + len(mention.sentence)))
        edge = EdgeRecord(source=key, target=article_node_key(article.doc_id), type=GraphRelType.MENTIONED_IN,
                          evidence=tuple(sentences[s] for s in sorted(sentences)), count=len(entity.mentions))
        self.graph.upsert_edge(edge)
        return key

    def _add_evidence_edge(self, head: str, tail: str, type_, evidence: Evidence, properties: dict) -> None:
        existing = self.graph.edge(head, tail, type_)
        if existing is None:
            self.graph.upsert_edge(EdgeRecord(source=head, target=tail, type=type_, evidence=(evidence,),
                                              count=1, properties=dict(properties)))
            return
        if any(e.doc_id == evidence.doc_id and e.start == evidence.start for e in existing.evidence):
            return
        self.graph.upsert_edge(existing.model_copy(update={
            "evidence": existing.evidence + (evidence,), "count": existing.count + 1,
            "properties": {**existing.properties, **properties}}))

    def _add_co_mentions(self, entities: Iterable[Entity], keys: dict[str, str], doc_id: str) -> None:
        by_sentence: dict[int, set[str]] = {}
        sentence_text: dict[int, str] = {}
        for entity in entities:
            for mention in entity.mentions:
                by_sentence.setdefault(mention.sentence_start, set()).add(keys[entity.key])
                sentence_text[mention.sentence_start] = mention.sentence
        for start, members in sorted(by_sentence.items()):
            evidence = Evidence(doc_id=doc_id, sentence=sentence_text[start], start=start,
                                end=start + len(sentence_text[start]))
            for a, b in combinations(sorted(members), 2):
                self._add_evidence_edge(a, b, GraphRelType.CO_MENTIONED, evidence, {})


def _earliest(a: str | None, b: str | None) -> str | None:
    return min((x for x in (a, b) if x), default=None)


def _latest(a: str | None, b: str | None) -> str | None:
    return max((x for x in (a, b) if x), default=None)


def assemble(results: Iterable[ExtractionResult], graph: InnoGraph | None = None,
             aliases: AliasTable | None = None) -> tuple[InnoGraph, AssemblyReport]:
    """Add ``results`` to ``graph`` (a new one by default) and say what was done.

    >>> from innograph.models import Document
    >>> graph, report = assemble([])
    >>> len(graph), report.articles_added
    (0, 0)
    """
    assembler = GraphAssembler(graph if graph is not None else InnoGraph(), aliases)
    for result in results:
        assembler.add_result(result)
    return assembler.graph, assembler.report


__all__ = ["AssemblyReport", "GraphAssembler", "assemble", "Document"]
