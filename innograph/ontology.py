"""The ontology of ``shared/ONTOLOGY.md`` as enums: the only source of labels and relationship types.

Cypher and every exporter take labels and types from these enums, never from user input.

>>> EntityLabel("Lab") in CORE_LABELS
True
>>> RelType.COLLABORATES_WITH.symmetric
True
>>> allowed(RelType.ISSUED_BY, EntityLabel.Policy, EntityLabel.Agency)
True
>>> allowed(RelType.ISSUED_BY, EntityLabel.Agency, EntityLabel.Policy)
False
"""
from __future__ import annotations

from enum import Enum


class EntityLabel(str, Enum):
    University = "University"
    Lab = "Lab"
    Institute = "Institute"
    Facility = "Facility"
    Ecosystem = "Ecosystem"
    Company = "Company"
    Policy = "Policy"
    Platform = "Platform"
    Fund = "Fund"
    Agency = "Agency"
    Region = "Region"
    Person = "Person"
    Event = "Event"

    def __str__(self) -> str:  # so f-strings and rich print the bare label
        return self.value


class ProvenanceLabel(str, Enum):
    Issue = "Issue"
    Article = "Article"

    def __str__(self) -> str:
        return self.value


NodeLabel = EntityLabel | ProvenanceLabel


def node_label(value: str) -> EntityLabel | ProvenanceLabel:
    """Parse a node label, entity or provenance.

    >>> node_label("Issue")
    <ProvenanceLabel.Issue: 'Issue'>
    """
    try:
        return EntityLabel(value)
    except ValueError:
        return ProvenanceLabel(value)


CORE_LABELS: frozenset[EntityLabel] = frozenset(
    {
        EntityLabel.University, EntityLabel.Lab, EntityLabel.Ecosystem, EntityLabel.Company,
        EntityLabel.Policy, EntityLabel.Institute, EntityLabel.Facility, EntityLabel.Platform,
        EntityLabel.Fund, EntityLabel.Agency,
    }
)
OTHER_LABELS: frozenset[EntityLabel] = frozenset({EntityLabel.Region, EntityLabel.Person, EntityLabel.Event})
# Organisations in the ontology's sense: the core labels minus Policy.
ORGANISATIONS: frozenset[EntityLabel] = CORE_LABELS - {EntityLabel.Policy}


class RelType(str, Enum):
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    MEMBER_OF = "MEMBER_OF"
    ANCHORED_BY = "ANCHORED_BY"
    INCUBATED_BY = "INCUBATED_BY"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    ISSUED_BY = "ISSUED_BY"
    FUNDED_BY = "FUNDED_BY"
    ORGANIZED_BY = "ORGANIZED_BY"
    LEADS = "LEADS"
    AFFILIATED_WITH = "AFFILIATED_WITH"

    @property
    def symmetric(self) -> bool:
        return self is RelType.COLLABORATES_WITH

    def __str__(self) -> str:
        return self.value


class GraphRelType(str, Enum):
    """Relationship types that the graph adds for provenance and analysis (not extracted)."""

    MENTIONED_IN = "MENTIONED_IN"
    PUBLISHED_IN = "PUBLISHED_IN"
    CO_MENTIONED = "CO_MENTIONED"

    def __str__(self) -> str:
        return self.value


_EDGE_TYPES: dict[str, "RelType | GraphRelType"] = {t.value: t for t in (*RelType, *GraphRelType)}
_ENTITY_LABELS: dict[str, EntityLabel] = {label.value: label for label in EntityLabel}


def edge_type(value: str) -> RelType | GraphRelType:
    """Parse any relationship type the graph may hold (by a dict lookup: the enum call costs ~20 µs,
    and a question reads thousands of edges); anything else raises as the enum does.

    >>> edge_type("MENTIONED_IN")
    <GraphRelType.MENTIONED_IN: 'MENTIONED_IN'>
    """
    found = _EDGE_TYPES.get(value)
    return found if found is not None else GraphRelType(value)


def entity_label(value: str) -> EntityLabel:
    """``EntityLabel(value)`` by a dict lookup; anything else raises as the enum does.

    >>> entity_label("Lab")
    <EntityLabel.Lab: 'Lab'>
    """
    found = _ENTITY_LABELS.get(value)
    return found if found is not None else EntityLabel(value)


_ORG = ORGANISATIONS
_E = EntityLabel
# (head labels, tail labels) each extracted relationship type may join, from ONTOLOGY.md's table.
SIGNATURES: dict[RelType, tuple[frozenset[EntityLabel], frozenset[EntityLabel]]] = {
    RelType.LOCATED_IN: (_ORG | {_E.Event}, frozenset({_E.Region})),
    RelType.PART_OF: (_ORG, _ORG),
    RelType.MEMBER_OF: (_ORG, frozenset({_E.Ecosystem})),
    RelType.ANCHORED_BY: (frozenset({_E.Ecosystem}), _ORG),
    RelType.INCUBATED_BY: (frozenset({_E.Company}), _ORG),
    # a region acting as a government collaborates when no body of it is named (ONTOLOGY.md v1.1)
    RelType.COLLABORATES_WITH: (_ORG | {_E.Region}, _ORG | {_E.Region}),
    RelType.ISSUED_BY: (frozenset({_E.Policy}), frozenset({_E.Agency, _E.Region}) | _ORG),
    RelType.FUNDED_BY: (_ORG, frozenset({_E.Fund, _E.Company, _E.Agency})),
    RelType.ORGANIZED_BY: (frozenset({_E.Event}), _ORG | {_E.Region}),
    RelType.LEADS: (frozenset({_E.Person}), _ORG | {_E.Region}),
    RelType.AFFILIATED_WITH: (frozenset({_E.Person}), _ORG | {_E.Region}),
}


def allowed(rel: RelType, head: EntityLabel, tail: EntityLabel) -> bool:
    """Whether the ontology lets ``rel`` run from a ``head`` node to a ``tail`` node."""
    heads, tails = SIGNATURES[rel]
    return head in heads and tail in tails
