"""Relationship extraction: structural relations from names, textual ones from cue patterns.

Structural: PART_OF (a parent name inside a longer name), ANCHORED_BY (环X创新生态圈),
LOCATED_IN (a district prefix of an ecosystem name, a region written in front of a name).
Textual cues are matched over sentences (see :func:`textual_relations`). Every relation is
checked against the ontology's signatures; what fails is counted, not kept.
"""
from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from innograph.extract.resolve import Span
from innograph.models import DropReason, Entity, Evidence, Relation
from innograph.ontology import EntityLabel as L
from innograph.ontology import RelType, allowed
from innograph.text import name_key

if not Doc.has_extension("ig_relations_dropped"):
    Doc.set_extension("ig_relations_dropped", default=None)


class EntityIndex:
    """Look up an article's entities by any surface form or by mention offset."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        self.by_alias: dict[str, Entity] = {}
        for entity in entities:
            for alias in (entity.name, *entity.aliases):
                self.by_alias.setdefault(name_key(alias), entity)
        self.by_offset: dict[tuple[int, int], Entity] = {}
        for entity in entities:
            for mention in entity.mentions:
                self.by_offset[(mention.start, mention.end)] = entity

    def at(self, start: int, end: int) -> Entity | None:
        return self.by_offset.get((start, end))

    def named(self, name: str) -> Entity | None:
        return self.by_alias.get(name_key(name))


class RelationCollector:
    """Keeps relations that pass the ontology check, one per (head, type, tail)."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.relations: dict[tuple[str, str, str], Relation] = {}
        self.dropped: Counter = Counter()

    def add(self, rel: RelType, head: Entity | None, tail: Entity | None, sentence: str, sentence_start: int,
            **properties: str) -> None:
        if head is None or tail is None:
            self.dropped[DropReason.unresolved.name] += 1
            return
        if head.key == tail.key:
            self.dropped[DropReason.self_loop.name] += 1
            return
        if not allowed(rel, head.label, tail.label):
            self.dropped[DropReason.bad_signature.name] += 1
            return
        if rel.symmetric and head.key > tail.key:
            head, tail = tail, head
        ident = (head.key, rel.value, tail.key)
        if ident in self.relations:
            return
        evidence = Evidence(doc_id=self.doc_id, sentence=sentence, start=sentence_start,
                            end=sentence_start + len(sentence))
        self.relations[ident] = Relation(type=rel, head=head.name, head_label=head.label, tail=tail.name,
                                         tail_label=tail.label, evidence=evidence, properties=dict(properties))


def structural_relations(spans: list[Span], index: EntityIndex, out: RelationCollector) -> None:
    """Relations that the shape of a name states."""
    for span in spans:
        parent = span.parent
        if parent is None:
            continue
        inner, outer = index.at(span.start, span.end), index.at(parent.start, parent.end)
        if inner is None or outer is None:
            continue
        if inner.label is L.Region:
            out.add(RelType.LOCATED_IN, outer, inner, span.sentence, span.sentence_start)
        elif outer.label is L.Ecosystem and inner.label is not L.Ecosystem:
            out.add(RelType.ANCHORED_BY, outer, inner, span.sentence, span.sentence_start)
        elif outer.label is L.Event:
            continue
        else:
            out.add(RelType.PART_OF, outer, inner, span.sentence, span.sentence_start)


@Language.component("innograph_relations")
def relations_component(doc: Doc) -> Doc:
    article = doc._.ig_article
    doc_id = article.doc_id if article else "doc"
    index = EntityIndex(doc._.ig_entities)
    collector = RelationCollector(doc_id)
    structural_relations(doc._.ig_selection.spans, index, collector)
    doc._.ig_relations = list(collector.relations.values())
    doc._.ig_relations_dropped = dict(collector.dropped)
    return doc
