"""The frozen pydantic models that stages exchange.

reader -> :class:`Document` (an :class:`Issue` and its :class:`Article` s)
extractor -> :class:`ArticleExtraction` per article (entities, mentions, relations, drops)
assembler -> the graph (see ``innograph.graph.model``)
"""
from __future__ import annotations

from enum import Enum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from innograph.identity import entity_key  # noqa: F401 - re-exported: the key scheme lives in identity
from innograph.ontology import EntityLabel, RelType


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProgressCallback(Protocol):
    """How the library reports progress: ``done`` of ``total`` units, now doing ``what``.

    The library never decides whether to show it (no terminal checks): the caller does,
    the CLI with a progress bar on a terminal's stderr.
    """

    def __call__(self, done: int, total: int, what: str) -> None: ...


class Author(Frozen):
    name: str
    affiliation: str | None = None
    role: str | None = None  # 本刊记者, 通讯员, 作者简介 title ...


class TocEntry(Frozen):
    section: str | None = None
    page: int | None = None
    title: str
    authors: tuple[str, ...] = ()
    issue_number: str | None = None  # 第1期: for an annual index (总目次) entry, its issue


class Issue(Frozen):
    """One magazine issue. ``key`` is stable across runs: journal slug, year, number."""

    key: str
    journal: str | None = None
    year: int | None = None
    volume: str | None = None  # 第55卷
    number: str | None = None  # 第6期
    total_number: str | None = None  # 总第270期
    date: str | None = None  # 2024年12月
    issn: str | None = None
    cn: str | None = None
    toc: tuple[TocEntry, ...] = ()


class ArticleKind(str, Enum):
    article = "article"
    index = "index"  # an annual index (总目次): its entries are titles of earlier issues


class Article(Frozen):
    """One article of an issue. ``text`` is the body exactly as in the source (no references).

    ``source_start`` is the offset of ``text`` in the decoded source file, so an offset into
    ``text`` plus ``source_start`` is an offset into the file.
    """

    doc_id: str
    issue_key: str | None = None
    title: str
    section: str | None = None
    page: int | None = None
    kind: ArticleKind = ArticleKind.article
    authors: tuple[Author, ...] = ()
    text: str
    source_start: int = 0
    references: tuple[str, ...] = ()
    index_entries: tuple[TocEntry, ...] = ()


class Document(Frozen):
    """What the reader makes of one input file."""

    source: str
    issue: Issue | None = None
    articles: tuple[Article, ...]

    def article(self, doc_id: str) -> Article:
        """The article with ``doc_id``; KeyError if there is none."""
        for article in self.articles:
            if article.doc_id == doc_id:
                return article
        raise KeyError(doc_id)


class Mention(Frozen):
    """One surface form of an entity in an article: ``text[start:end] == surface``."""

    doc_id: str
    surface: str
    start: int
    end: int
    sentence: str
    sentence_start: int


class MergeReason(str, Enum):
    """Why a surface form was merged into an entity: recorded by the resolver, kept on the node."""

    alias_table = "the reviewed alias table"
    same_name = "same name up to width, spaces, quotes or 《》"
    official_form = "same name up to an official long form (科技局 = 科学技术局, 市 = the city)"
    short_in_region = "short form in the article's city, province or district"
    without_front = "the name without the region or words in front of it"
    without_end = "the name without its last part (a coordinated list or a stage such as 总决赛)"
    introduced = "introduced in the text: (以下简称…), a bracketed abbreviation or a quoted short name"
    known_short_form = "a documented short form of a well-known name"
    quoted_form = "the quoted name with or without its kind word (“双倍增”行动)"
    shared_alias = "shares a short form with the name"
    other_article = "the same entity in another article, by a shared name or short form"


class Entity(Frozen):
    """One entity of an article; ``alias_reasons`` says why each alias (not the name) is its own."""

    label: EntityLabel
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    alias_reasons: dict[str, MergeReason] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return entity_key(self.label, self.name)


class Evidence(Frozen):
    doc_id: str
    sentence: str
    start: int  # offset of the sentence in the article text
    end: int


class Relation(Frozen):
    type: RelType
    head: str  # canonical names, as in the extract JSON
    head_label: EntityLabel
    tail: str
    tail_label: EntityLabel
    evidence: Evidence
    properties: dict[str, str] = Field(default_factory=dict)  # e.g. LEADS role

    @property
    def head_key(self) -> str:
        return entity_key(self.head_label, self.head)

    @property
    def tail_key(self) -> str:
        return entity_key(self.tail_label, self.tail)


class DropReason(str, Enum):
    generic = "generic mention, not a name"
    too_long = "longer than any name"
    excluded = "report, index, award or other excluded kind"
    overlapped = "overlaps a longer name already taken"
    bad_signature = "relationship type does not join these labels"
    self_loop = "relationship from an entity to itself"
    unresolved = "relationship end is not an extracted entity"
    low_score = "judged unlikely by a trained model"


class ArticleExtraction(Frozen):
    doc_id: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    dropped: dict[str, int] = Field(default_factory=dict)  # DropReason.name -> count


class ExtractionResult(Frozen):
    document: Document
    extractions: tuple[ArticleExtraction, ...]
