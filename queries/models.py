"""The result models of the query layer: frozen, ``extra="forbid"``, one per question.

``innograph <question> --format json`` prints ``model_dump(mode="json")`` of these models, so
they are the documented JSON schema of the CLI too (``Profile.model_json_schema()`` ...).

Every edge a result shows carries its :class:`EvidenceItem` s: the sentence, the article it
came from (``doc_id`` and title) and the issue that article appeared in.

>>> ref = EntityRef(key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室")
>>> ref.model_dump(mode="json")
{'key': 'Lab:之江实验室', 'label': 'Lab', 'name': '之江实验室'}
>>> ref.name = "x"  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
pydantic_core._pydantic_core.ValidationError: 1 validation error for EntityRef
"""
from __future__ import annotations

from typing import Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from innograph.ontology import EntityLabel, GraphRelType, RelType

Direction = Literal["in", "out", "both"]
EdgeType = RelType | GraphRelType


class QueryModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=QueryModel)
_new = object.__new__
_set = object.__setattr__
# the slots of every pydantic model, set through their descriptors: a third less than setattr by name
_set_fields_set = BaseModel.__pydantic_fields_set__.__set__
_set_extra = BaseModel.__pydantic_extra__.__set__
_set_private = BaseModel.__pydantic_private__.__set__
_FIELDS_SET: dict[type, set[str]] = {}


def trusted(cls: type[M], **values: Any) -> M:
    """A ``cls`` of ``values`` that need no validation: every field given, each of its declared type.

    Only for values validated before: read from a store whose records were validated when they
    were written (the embedded store, the SQLite store, the loader's typed Neo4j properties), or
    fields of models already built. It sets what ``model_construct`` sets (the field values, the
    fields set, no extra, no private attributes), so the model compares, hashes and dumps as a
    validated one; ``model_construct`` itself walks the fields in Python and costs more than
    validating, and an issue-diff of the 100k benchmark graph builds some 10,000 models. The
    fields set (every field) is one set per class: the models are frozen, nothing adds to it,
    and a set per model would be one more object for the garbage collector to walk.

    >>> trusted(EntityRef, key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室") == EntityRef(
    ...     key="Lab:之江实验室", label=EntityLabel.Lab, name="之江实验室")
    True
    """
    model = _new(cls)
    _set(model, "__dict__", values)
    fields = _FIELDS_SET.get(cls)
    if fields is None:
        fields = _FIELDS_SET[cls] = set(cls.model_fields)
    _set_fields_set(model, fields)
    _set_extra(model, None)
    _set_private(model, None)
    return model


# -- what backends hand the API ----------------------------------------------------------------
class EntityRef(QueryModel):
    """An entity node: its graph key (``Label:normalised-name``), label and canonical name."""

    key: str
    label: EntityLabel
    name: str


class EntitySummary(EntityRef):
    """An entity node with the properties every question may need."""

    aliases: tuple[str, ...] = ()
    mention_count: int = 0
    first_issue: str | None = None
    last_issue: str | None = None

    def ref(self) -> EntityRef:
        return EntityRef(key=self.key, label=self.label, name=self.name)


# An edge and its evidence as a backend hands them over are typed rows (named tuples), not
# models: a question over a hub or an issue reads thousands of them, they never leave the query
# layer, and the API turns each into the result models users see. Built from a store whose
# records were validated when they were written, a row is two C-level tuple allocations where a
# model was a Python-level construction and, freed, one more object for the allocator to walk.
class RawEvidence(NamedTuple):
    """Evidence as stored on an edge: article doc id, sentence and its offsets.

    >>> RawEvidence("hzkj-2024-06-03", "之江实验室牵头。", 0, 8).sentence
    '之江实验室牵头。'
    """

    doc_id: str
    sentence: str
    start: int = 0
    end: int = 0


class RawEdge(NamedTuple):
    """One stored edge between two entities, evidence unresolved; ``properties`` are the edge's
    own (the derived ``first_issue`` left out), never changed once the row is built."""

    source: EntityRef
    target: EntityRef
    type: EdgeType
    evidence: tuple[RawEvidence, ...]
    count: int
    properties: dict[str, str]


class ArticleInfo(QueryModel):
    doc_id: str
    title: str | None = None
    issue: str | None = None


# -- what users see ----------------------------------------------------------------------------
class EvidenceItem(QueryModel):
    """The text behind an edge: the sentence, and the article and issue it came from."""

    sentence: str
    doc_id: str
    title: str | None = None
    issue: str | None = None
    start: int = 0
    end: int = 0


class Relationship(QueryModel):
    """An edge seen from one entity: ``direction`` is ``out`` when that entity is the head."""

    type: EdgeType
    direction: Literal["in", "out"]
    other: EntityRef
    properties: dict[str, str] = Field(default_factory=dict)  # e.g. LEADS role
    count: int = 1  # CO_MENTIONED: sentences naming both
    evidence: tuple[EvidenceItem, ...] = ()


class Profile(QueryModel):
    """``innograph profile NAME``: the entity and every extracted relationship, grouped by type."""

    entity: EntityRef
    aliases: tuple[str, ...] = ()
    mention_count: int = 0
    first_issue: str | None = None
    last_issue: str | None = None
    outgoing: dict[str, tuple[Relationship, ...]] = Field(default_factory=dict)
    incoming: dict[str, tuple[Relationship, ...]] = Field(default_factory=dict)


class Related(QueryModel):
    """``innograph related NAME``: the relationships of one entity, filtered."""

    entity: EntityRef
    rel: EdgeType | None = None
    label: EntityLabel | None = None
    direction: Direction = "both"
    relationships: tuple[Relationship, ...] = ()


class PathEdge(QueryModel):
    """One stored edge joining two consecutive nodes of a path, in its stored direction."""

    type: EdgeType
    head: str  # key of the edge's head
    tail: str
    count: int = 1
    properties: dict[str, str] = Field(default_factory=dict)
    evidence: tuple[EvidenceItem, ...] = ()


class Hop(QueryModel):
    source: EntityRef  # in path order
    target: EntityRef
    edges: tuple[PathEdge, ...]  # every allowed edge between the two, either direction


class Path(QueryModel):
    nodes: tuple[EntityRef, ...]
    hops: tuple[Hop, ...]


class PathResult(QueryModel):
    """``innograph path A B``: every shortest connection up to ``max_hops``, empty when none."""

    source: EntityRef
    target: EntityRef
    max_hops: int
    co_mentions: bool = False
    length: int | None = None
    paths: tuple[Path, ...] = ()
    truncated: bool = False  # more shortest paths exist than were listed


class Member(QueryModel):
    """One organisation tied to an ecosystem: ``role`` says how (anchor, member, part)."""

    entity: EntityRef
    role: Literal["anchor", "member", "part"]
    type: RelType
    evidence: tuple[EvidenceItem, ...] = ()


class Members(QueryModel):
    """``innograph members ECOSYSTEM``: its anchors, members and parts, and where it lies."""

    ecosystem: EntityRef
    regions: tuple[EntityRef, ...] = ()
    members: tuple[Member, ...] = ()


class SearchHit(QueryModel):
    entity: EntityRef
    match: Literal["name", "alias", "prefix", "substring"]
    matched: str  # the name or alias that matched
    aliases: tuple[str, ...] = ()
    mention_count: int = 0


class SearchResult(QueryModel):
    """``innograph search TEXT``: exact name > exact alias > prefix > substring, then mentions, then name."""

    query: str
    hits: tuple[SearchHit, ...] = ()


class TopRow(QueryModel):
    rank: int
    entity: EntityRef
    score: float
    mention_count: int = 0


class TopResult(QueryModel):
    """``innograph top``: entities ranked by mentions, degree or betweenness (score > 0 only)."""

    by: Literal["mentions", "degree", "betweenness"]
    label: EntityLabel | None = None
    issue: str | None = None
    rows: tuple[TopRow, ...] = ()


class NewRelationship(QueryModel):
    type: RelType
    head: EntityRef
    tail: EntityRef
    properties: dict[str, str] = Field(default_factory=dict)
    evidence: tuple[EvidenceItem, ...] = ()  # the evidence from this issue


class IssueDiff(QueryModel):
    """``innograph issue-diff ISSUE``: entities and relationships first seen in that issue."""

    issue: str
    entities: tuple[EntitySummary, ...] = ()
    relationships: tuple[NewRelationship, ...] = ()


class CypherResult(QueryModel):
    """``innograph cypher``: the columns and rows of a read-only query (nodes and paths as dicts)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = ()
