"""Assembling extraction results into the graph, incrementally and idempotently.

* An article already in the graph with the same text (:func:`content_hash`, kept on its node
  as ``content_hash``) is skipped: loading the same issue twice changes nothing, and a build
  asks :func:`needs_extraction` so that it does not even extract it.
* An article already in the graph whose text changed replaces its old facts: its mentions and
  its evidence on relationships and co-mentions are retracted (a relationship left with no
  evidence goes, an entity left with no mention goes), then the new extraction is added. An
  entity still mentioned elsewhere has its mention count and first and last issue recomputed
  from the articles that still mention it, and its alias counts lose the surface forms found in
  the retracted evidence sentences; its name and aliases stay as seen.
* An entity joins the existing node whose key it has, or, failing that, the node of the same
  label that already has one of its aliases (浙大 in one article, 浙江大学 in another); the
  node's name becomes the fullest form seen, its key stays (keys are stable across loads).
* The reviewed alias table (:mod:`innograph.graph.aliases`) is applied first: it maps a
  surface form to the canonical name an analyst chose.
* A node keeps why each alias is its own (``alias_reasons``): the resolver's reasons, the alias
  table where a row applied, and "another article" for a name that joined across articles.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations

from innograph.graph.aliases import AliasTable
from innograph.graph.model import EdgeRecord, InnoGraph, NodeRecord
from innograph.models import (Article, ArticleExtraction, ArticleKind, Document, Entity, Evidence, ExtractionResult, Issue,
                              MergeReason,
                              entity_key)
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel
from innograph.text import name_key


#: the Article node property that holds :func:`content_hash` of its text
CONTENT_HASH = "content_hash"
#: an edge with fewer evidence sentences than this is scanned for a duplicate; a longer one keeps a set
_SCAN_LIMIT = 16


class AssemblyReport:
    """What one assembly did: articles added, replaced (their text changed) and skipped."""

    def __init__(self) -> None:
        self.articles_added = 0
        self.articles_replaced = 0
        self.articles_skipped = 0
        self.merged_by_alias: Counter = Counter()


def content_hash(article: Article) -> str:
    """What tells a changed article from the one in the graph: the SHA-256 of its text.

    >>> content_hash(Article(doc_id="a", title="t", text="之江实验室")) == content_hash(Article(doc_id="b", title="u", text="之江实验室"))
    True
    """
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def article_hashes(graph: InnoGraph) -> dict[str, str | None]:
    """doc_id -> content hash of every article in ``graph`` (None for one stored without a hash)."""
    hashes: dict[str, str | None] = {}
    for node in graph.nodes(ProvenanceLabel.Article):
        hash_ = node.properties.get(CONTENT_HASH)
        hashes[str(node.properties.get("doc_id") or node.key.partition(":")[2])] = hash_ if isinstance(hash_, str) else None
    return hashes


def needs_extraction(article: Article, known: Mapping[str, str | None]) -> bool:
    """Whether ``article`` must be extracted to assemble it into a graph that has the articles
    ``known`` (see :func:`article_hashes`): an article (not an annual index) that is new or changed."""
    return article.kind is ArticleKind.article and known.get(article.doc_id) != content_hash(article)


def issue_node_key(issue: Issue) -> str:
    return f"Issue:{issue.key}"


def article_node_key(doc_id: str) -> str:
    return f"Article:{doc_id}"


class GraphAssembler:
    """Adds documents and their extractions to an :class:`InnoGraph`."""

    def __init__(self, graph: InnoGraph, aliases: AliasTable | None = None) -> None:
        self._graph = graph
        self.aliases = aliases or AliasTable()
        self.report = AssemblyReport()
        self._alias_index: dict[tuple[str, str], str] = {}
        # edges whose evidence grows in place as a list (frozen back to a tuple by ``graph``), and
        # the (doc_id, start) of the evidence of the long ones, so that adding a sentence to an
        # edge costs the same however much evidence it has (the assembly stays linear)
        self._growing: set[tuple[str, str, str]] = set()
        self._seen: dict[tuple[str, str, str], set[tuple[str, int]]] = {}
        for node in graph.nodes():
            if isinstance(node.label, EntityLabel):
                self._index(node)

    @property
    def graph(self) -> InnoGraph:
        """The graph assembled so far (its edges' evidence tuples again, as every record's fields are)."""
        g = self._graph.nx
        for source, target, type_ in self._growing:
            data = g.get_edge_data(source, target, key=type_)
            if data is not None and isinstance(data["evidence"], list):
                data["evidence"] = tuple(data["evidence"])
        self._growing.clear()
        return self._graph

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
        digest = content_hash(article)
        if self._graph.has_node(key):
            if self._graph.node(key).properties.get(CONTENT_HASH) == digest:
                self.report.articles_skipped += 1
                return
            self.retract_article(article.doc_id)
            self.report.articles_replaced += 1
        else:
            self.report.articles_added += 1
        self._graph.upsert_node(NodeRecord(
            key=key, label=ProvenanceLabel.Article, name=article.title,
            properties={
                "doc_id": article.doc_id, "title": article.title, "section": article.section, "page": article.page,
                "kind": article.kind.value, "issue": issue.key if issue else None,
                "authors": "; ".join(a.name for a in article.authors) or None, CONTENT_HASH: digest,
            },
        ))
        if issue is not None:
            self._graph.upsert_edge(EdgeRecord(source=key, target=issue_node_key(issue), type=GraphRelType.PUBLISHED_IN))
        issue_key = issue.key if issue else None
        keys: dict[str, str] = {}
        for entity in extraction.entities:
            keys[entity.key] = self._add_entity(entity, article, issue_key)
        for relation in extraction.relations:
            head, tail = keys.get(relation.head_key), keys.get(relation.tail_key)
            if head and tail:
                self._add_evidence_edge(head, tail, relation.type, relation.evidence, relation.properties)
        self._add_co_mentions(extraction.entities, keys, article.doc_id)

    def retract_article(self, doc_id: str) -> None:
        """Remove what the article ``doc_id`` states: its mentions and its evidence (see the module docstring).

        The article's node and its PUBLISHED_IN edge stay, for the new version to overwrite.
        """
        g = self._graph.nx
        article = article_node_key(doc_id)
        if article not in g:
            return
        self._seen.clear()  # the evidence below is replaced, not grown
        mentioned = [EdgeRecord(source=source, target=article, **data)
                     for source, _, type_, data in g.in_edges(article, keys=True, data=True)
                     if type_ == GraphRelType.MENTIONED_IN.value]
        for edge in mentioned:
            g.remove_edge(edge.source, article, key=GraphRelType.MENTIONED_IN.value)
            node = self._graph.node(edge.source)
            self._graph.upsert_node(node.model_copy(update={
                "mention_count": max(0, node.mention_count - edge.count),
                "alias_counts": _without_surfaces(node.alias_counts, edge.evidence, edge.count),
            }))
        touched = {edge.source for edge in mentioned}
        ends = {(s, t, k) for s, t, k in (*g.out_edges(touched, keys=True), *g.in_edges(touched, keys=True))}
        for source, target, type_ in sorted(ends):
            edge = EdgeRecord(source=source, target=target, **g.edges[source, target, type_])
            kept = tuple(e for e in edge.evidence if e.doc_id != doc_id)
            if len(kept) == len(edge.evidence):
                continue
            if kept:
                self._graph.upsert_edge(edge.model_copy(update={
                    "evidence": kept, "count": max(1, edge.count - (len(edge.evidence) - len(kept)))}))
            else:
                g.remove_edge(source, target, key=type_)
        gone = [key for key in sorted(touched) if not any(t == GraphRelType.MENTIONED_IN.value
                                                          for _, _, t in g.out_edges(key, keys=True))]
        g.remove_nodes_from(gone)
        for key in sorted(touched.difference(gone)):
            issues = [g.nodes[target]["properties"].get("issue") for _, target, t in g.out_edges(key, keys=True)
                      if t == GraphRelType.MENTIONED_IN.value]
            issues = [i for i in issues if i]
            self._graph.upsert_node(self._graph.node(key).model_copy(update={
                "first_issue": min(issues, default=None), "last_issue": max(issues, default=None)}))
        if gone:
            self._alias_index = {}
            for node in self._graph.nodes():
                if isinstance(node.label, EntityLabel):
                    self._index(node)

    def _add_issue(self, issue: Issue) -> None:
        self._graph.upsert_node(NodeRecord(
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
        if self._graph.has_node(own_key):
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
        if self._graph.has_node(key):
            old = self._graph.node(key)
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
        self._graph.upsert_node(node)
        self._index(node)
        sentences = {}
        for mention in entity.mentions:
            sentences.setdefault(mention.sentence_start, Evidence(
                doc_id=article.doc_id, sentence=mention.sentence, start=mention.sentence_start,
                end=mention.sentence_start + len(mention.sentence)))
        edge = EdgeRecord(source=key, target=article_node_key(article.doc_id), type=GraphRelType.MENTIONED_IN,
                          evidence=tuple(sentences[s] for s in sorted(sentences)), count=len(entity.mentions))
        self._graph.upsert_edge(edge)
        return key

    def _add_evidence_edge(self, head: str, tail: str, type_, evidence: Evidence, properties: dict) -> None:
        data = self._graph.nx.get_edge_data(head, tail, key=type_.value)
        if data is None:
            self._graph.upsert_edge(EdgeRecord(source=head, target=tail, type=type_, evidence=(evidence,),
                                               count=1, properties=dict(properties)))
            return
        # the edge's attributes are grown in place (they are the fields of its record, see
        # InnoGraph.upsert_edge): no copy or re-validation of the evidence it already has
        ident = (head, tail, type_.value)
        items = data["evidence"]
        if len(items) < _SCAN_LIMIT:
            if any(e["doc_id"] == evidence.doc_id and e["start"] == evidence.start for e in items):
                return
        else:
            seen = self._seen.get(ident)
            if seen is None or len(seen) != len(items):
                seen = self._seen[ident] = {(e["doc_id"], e["start"]) for e in items}
            if (evidence.doc_id, evidence.start) in seen:
                return
            seen.add((evidence.doc_id, evidence.start))
        if not isinstance(items, list):
            items = data["evidence"] = list(items)
            self._growing.add(ident)
        items.append(evidence.model_dump())
        data["count"] += 1
        if properties:
            data["properties"] = {**data["properties"], **properties}

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


def _without_surfaces(alias_counts: Mapping[str, int], evidence: Iterable[Evidence], mentions: int) -> dict[str, int]:
    """``alias_counts`` less the surface forms found in ``evidence`` sentences (longest first, so
    之江实验室 is not also counted as 之江), at most ``mentions`` of them; forms left at 0 go.

    >>> ev = Evidence(doc_id="a", sentence="之江实验室即之江。", start=0, end=9)
    >>> _without_surfaces({"之江实验室": 3, "之江": 1}, [ev], 2)
    {'之江实验室': 2}
    """
    counts = Counter(alias_counts)
    budget = mentions
    for item in evidence:
        sentence = item.sentence
        for surface in sorted(counts, key=lambda s: (-len(s), s)):
            found = min(sentence.count(surface), counts[surface], budget)
            if found:
                counts[surface] -= found
                budget -= found
                sentence = sentence.replace(surface, "\x00")
    return {surface: counts[surface] for surface in alias_counts if counts[surface] > 0}


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


__all__ = ["CONTENT_HASH", "AssemblyReport", "GraphAssembler", "article_hashes", "assemble", "content_hash",
           "needs_extraction", "Document"]
