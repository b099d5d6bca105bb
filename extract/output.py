"""The documented JSON of ``innograph extract`` (the interface held-out scoring reads).

::

    {"issue": {...Issue fields...} | null,
     "articles": [{"doc_id", "title", "section", "authors": [{"name", "affiliation", "role"}],
                   "entities": [{"name", "type", "aliases": [...],
                                 "mentions": [{"surface", "start", "end", "sentence"}]}],
                   "relations": [{"head", "type", "tail", "evidence", "start", "end"}]}]}

``type`` is an ontology label or relationship type; offsets are into the article text.
"""
from __future__ import annotations

from innograph.models import Article, ArticleExtraction, Author, ExtractionResult, Frozen, Issue


class MentionOut(Frozen):
    surface: str
    start: int
    end: int
    sentence: str


class EntityOut(Frozen):
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[MentionOut, ...]


class RelationOut(Frozen):
    head: str
    type: str
    tail: str
    evidence: str
    start: int
    end: int


class ArticleOut(Frozen):
    doc_id: str
    title: str
    section: str | None
    authors: tuple[Author, ...]
    entities: tuple[EntityOut, ...]
    relations: tuple[RelationOut, ...]


class ExtractOutput(Frozen):
    issue: Issue | None
    articles: tuple[ArticleOut, ...]


def article_out(article: Article, extraction: ArticleExtraction) -> ArticleOut:
    return ArticleOut(
        doc_id=article.doc_id, title=article.title, section=article.section, authors=article.authors,
        entities=tuple(
            EntityOut(name=e.name, type=e.label.value, aliases=e.aliases,
                      mentions=tuple(MentionOut(surface=m.surface, start=m.start, end=m.end, sentence=m.sentence)
                                     for m in e.mentions))
            for e in extraction.entities),
        relations=tuple(
            RelationOut(head=r.head, type=r.type.value, tail=r.tail, evidence=r.evidence.sentence,
                        start=r.evidence.start, end=r.evidence.end)
            for r in extraction.relations),
    )


def extract_output(result: ExtractionResult) -> ExtractOutput:
    articles = {a.doc_id: a for a in result.document.articles}
    return ExtractOutput(issue=result.document.issue, articles=tuple(article_out(articles[x.doc_id], x) for x in result.extractions))
