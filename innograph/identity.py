"""Identity: the keys of nodes, their parsing, label parsing, and resolving a name a user typed.

Keys: ``Label:normalised-name`` for an entity, ``Article:<doc_id>``, ``Issue:<issue key>``.

>>> entity_key(EntityLabel.University, "浙江 大学"), article_key("hzkj-2024-06-a04"), issue_key("hzkj-2024-06")
('University:浙江大学', 'Article:hzkj-2024-06-a04', 'Issue:hzkj-2024-06')
>>> parse_key("Article:hzkj-2024-06-a04")
(<ProvenanceLabel.Article: 'Article'>, 'hzkj-2024-06-a04')
>>> key_label("Lab:之江实验室"), key_label("Article:x")
(<EntityLabel.Lab: 'Lab'>, None)
>>> parse_label("lab")
<EntityLabel.Lab: 'Lab'>
>>> parse_label("Labs")
Traceback (most recent call last):
...
innograph.errors.InputError: unknown entity label 'Labs' (did you mean Lab?): use one of University, Lab, Institute, Facility, Ecosystem, Company, Policy, Platform, Fund, Agency, Region, Person, Event

:func:`resolve` is the one name resolver, used by the questions (:mod:`innograph.queries.api`)
and the analysis (:mod:`innograph.graph.analysis`) alike: a key, a canonical name or an alias
(compared by :func:`~innograph.text.name_key`), then the reviewed alias table's short forms
(浙大 → 浙江大学) for names the graph itself never saw in that form.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from innograph.errors import EntityNotFound, InputError, shown
from innograph.ontology import EntityLabel, GraphRelType, ProvenanceLabel, RelType, edge_type, entity_label, node_label
from innograph.text import name_key

ENTITY_LABELS: frozenset[str] = frozenset(label.value for label in EntityLabel)


# -- keys --------------------------------------------------------------------------------------
def entity_key(label: EntityLabel, name: str) -> str:
    """The deterministic key of an entity: label and normalised canonical name."""
    return f"{label.value}:{name_key(name)}"


def article_key(doc_id: str) -> str:
    return f"{ProvenanceLabel.Article.value}:{doc_id}"


def issue_key(key: str) -> str:
    return f"{ProvenanceLabel.Issue.value}:{key}"


def parse_key(key: str) -> tuple[EntityLabel | ProvenanceLabel, str]:
    """The label and the rest of a node key; ValueError for a key of no known label."""
    head, sep, rest = key.partition(":")
    if not sep:
        raise ValueError(f"not a node key: {key!r}")
    return node_label(head), rest


def key_label(key: str) -> EntityLabel | None:
    """The entity label a key starts with, or None for provenance and malformed keys."""
    head, sep, _ = key.partition(":")
    return entity_label(head) if sep and head in ENTITY_LABELS else None


# -- labels and types from user input -----------------------------------------------------------
def _closest(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + next(c for c in choices if c.lower() == close[0]) + "?)"


def parse_label(value: str | EntityLabel) -> EntityLabel:
    """An entity label from user input (any case); an :class:`InputError` naming the labels otherwise."""
    if isinstance(value, EntityLabel):
        return value
    for label in EntityLabel:
        if label.value.lower() == value.strip().lower():
            return label
    names = [label.value for label in EntityLabel]
    raise InputError(f"unknown entity label {shown(value)}{_closest(value, names)}: use one of {', '.join(names)}")


def parse_rel_type(value: str | RelType | GraphRelType) -> RelType | GraphRelType:
    """A relationship type from user input (any case)."""
    if isinstance(value, (RelType, GraphRelType)):
        return value
    try:
        return edge_type(value.strip().upper())
    except ValueError:
        names = [t.value for t in (*RelType, *GraphRelType)]
        raise InputError(f"unknown relationship type {shown(value)}{_closest(value, names)}: "
                         f"use one of {', '.join(names)}") from None


# -- resolving names ----------------------------------------------------------------------------
class Named(Protocol):
    """What resolution needs of an entity."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> EntityLabel: ...  # noqa: E704
    @property
    def name(self) -> str: ...  # noqa: E704
    @property
    def mention_count(self) -> int: ...  # noqa: E704


N = TypeVar("N", bound=Named)


class NameIndex(Protocol[N]):
    """Where names are looked up: both query backends and the analysis' graph offer these."""

    def lookup(self, name_key: str) -> list[N]:
        """Entities whose name or an alias has exactly this ``name_key``."""

    def entities(self, keys: Collection[str]) -> Mapping[str, N]:
        """The entities with these keys."""

    def all_names(self) -> Iterable[str]:
        """Every entity name and alias (for suggestions)."""


#: a reviewed alias table's short forms: name_key(alias) -> [(label, canonical name)]
ShortForms = Mapping[str, Sequence[tuple[EntityLabel, str]]]


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest names, best first (difflib over names and aliases).

    >>> suggest("浙江大", ["浙江大学", "浙大", "杭州"])
    ['浙江大学', '浙大']
    """
    folded = {name_key(c): c for c in sorted(set(candidates))}
    return [folded[m] for m in difflib.get_close_matches(name_key(name), list(folded), n=n, cutoff=0.4)]


def not_found(what: str, name: str, suggestions: list[str]) -> EntityNotFound:
    """The one message for a name that matches nothing, with the closest names."""
    if not suggestions:
        return EntityNotFound(f"no {what} named {shown(name)}; try 'innograph search' with part of the name")
    hint = suggestions[0] if len(suggestions) == 1 else ", ".join(suggestions[:-1]) + " or " + suggestions[-1]
    return EntityNotFound(f"no {what} named {shown(name)}; did you mean {hint}?")


def resolve(index: NameIndex[N], name: str, label: EntityLabel | None = None, *,
            short_forms: ShortForms | Callable[[], ShortForms] | None = None) -> N:
    """The entity a user means by ``name``: a key, a name or alias, or an alias table short form.

    Several matches: those of ``label`` if any, then the one whose canonical name it is, then
    the most mentioned, then the smallest key. No match: :class:`EntityNotFound` with suggestions.
    """
    text = name.strip()
    if key_label(text) is not None:
        found = index.entities([text])
        if text in found:
            return found[text]
    wanted = name_key(text)
    candidates = list(index.lookup(wanted)) if wanted else []
    if not candidates and wanted and short_forms is not None:
        forms = short_forms() if callable(short_forms) else short_forms
        for form_label, canonical in forms.get(wanted, ()):
            if label is None or form_label == label:
                candidates += [c for c in index.lookup(name_key(canonical)) if c.label == form_label]
        wanted = name_key(candidates[0].name) if candidates else wanted
    if label is not None and any(c.label == label for c in candidates):
        candidates = [c for c in candidates if c.label == label]
    if not candidates:
        raise not_found("entity" if label is None else label.value, name, suggest(text, index.all_names()))
    return min(candidates, key=lambda c: (name_key(c.name) != wanted, -c.mention_count, c.key))
