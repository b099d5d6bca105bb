"""Vocabularies the rules are built on: name suffixes per label, generic words, boundary words.

These describe the *structure* of Chinese organisation names (a distinctive part, then a
type suffix), not any particular organisation. ``resources/regions_cn.txt`` (generated, see
``scripts/make_regions.py``) and ``resources/regions_world.txt`` are a gazetteer of
administrative places; ``resources/known_orgs.txt`` is a short, documented list of very
well-known brands whose names carry no suffix.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import model_validator

from innograph.extract.sources import CandidateSource
from innograph.models import Frozen
from innograph.ontology import EntityLabel as L


class Lexicon(Frozen):
    """``resources/lexicon.toml``: the words of name structure, validated as one model."""

    suffixes: dict[L, tuple[str, ...]]
    alternative_labels: dict[str, tuple[L, ...]] = {}
    generic_words: tuple[str, ...]
    modifier_words: tuple[str, ...]
    boundary_words: tuple[str, ...]
    category_words: tuple[str, ...]
    name_verbs: tuple[str, ...]
    head_roles: tuple[str, ...]
    deputy_roles: tuple[str, ...]
    common_surnames: tuple[str, ...]
    relation_cues: tuple[str, ...] = ()
    glued_function_words: tuple[str, ...] = ()
    glued_speech_words: tuple[str, ...] = ()
    glued_lead_words: tuple[str, ...] = ()
    glued_verbs: tuple[str, ...] = ()
    # candidate source -> rank among overlapping candidates of one length and score (lower wins)
    source_preference: dict[CandidateSource, int] = {}

    @model_validator(mode="after")
    def _consistent(self) -> "Lexicon":
        problems = []
        owner: dict[str, L] = {}
        for label, words in self.suffixes.items():
            for word in words:
                if word in owner:
                    problems.append(f"suffix {word} is given to {owner[word].value} and {label.value}")
                owner[word] = label
        for field in ("generic_words", "modifier_words", "boundary_words", "category_words", "name_verbs",
                      "head_roles", "deputy_roles", "common_surnames", "relation_cues",
                      "glued_function_words", "glued_speech_words", "glued_lead_words", "glued_verbs"):
            words = getattr(self, field)
            repeated = sorted({w for w in words if words.count(w) > 1})
            if repeated:
                problems.append(f"{field} lists {', '.join(repeated)} twice")
            if any(not w or w != w.strip() for w in words):
                problems.append(f"{field} has an empty or padded word")
        for word, labels in self.alternative_labels.items():
            if word not in owner:
                problems.append(f"alternative labels for {word}, which is no suffix")
            elif owner[word] in labels or len(set(labels)) != len(labels):
                problems.append(f"alternative labels for {word} repeat a label")
        negative = sorted(source.value for source, rank in self.source_preference.items() if rank < 0)
        if negative:
            problems.append(f"source preference ranks {', '.join(negative)} below 0")
        both = sorted(set(self.head_roles) & set(self.deputy_roles))
        if both:
            problems.append(f"{', '.join(both)} is both a head and a deputy role")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def parse_lexicon(text: str) -> Lexicon:
    """Read and check a lexicon in the TOML form of ``resources/lexicon.toml``.

    >>> parse_lexicon(LEXICON_EXAMPLE).suffixes[L.Lab]
    ('实验室',)
    """
    data = tomllib.loads(text)
    return Lexicon.model_validate({"suffixes": data.get("suffixes", {}), **data.get("words", {}),
                                   "alternative_labels": data.get("alternative_labels", {}),
                                   "source_preference": data.get("source_preference", {})})


LEXICON_EXAMPLE = """
[words]
generic_words = ["国家"]
modifier_words = ["重点"]
boundary_words = ["由"]
category_words = ["机构"]
name_verbs = ["创新"]
head_roles = ["院长"]
deputy_roles = ["副院长"]
common_surnames = ["王"]
[suffixes]
Lab = ["实验室"]
"""


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    text = resources.files("innograph.extract").joinpath("resources/lexicon.toml").read_text(encoding="utf-8")
    return parse_lexicon(text)


_LEX = lexicon()
# (suffix, label). Matching takes the longest suffix at a position, so order does not matter.
SUFFIXES: tuple[tuple[str, L], ...] = tuple((s, label) for label, words in _LEX.suffixes.items() for s in words)
ALTERNATIVE_LABELS: dict[str, tuple[L, ...]] = _LEX.alternative_labels
GENERIC_WORDS: frozenset[str] = frozenset(_LEX.generic_words)
MODIFIER_WORDS: frozenset[str] = frozenset(_LEX.modifier_words)
BOUNDARY_WORDS: tuple[str, ...] = tuple(sorted(set(_LEX.boundary_words), key=len, reverse=True))
CATEGORY_WORDS: tuple[str, ...] = _LEX.category_words
NAME_VERBS: frozenset[str] = frozenset(_LEX.name_verbs)
HEAD_ROLES: tuple[str, ...] = _LEX.head_roles
DEPUTY_ROLES: tuple[str, ...] = _LEX.deputy_roles
COMMON_SURNAMES: frozenset[str] = frozenset(_LEX.common_surnames)
RELATION_CUES: tuple[str, ...] = _LEX.relation_cues
GLUED_FUNCTION_WORDS: frozenset[str] = frozenset(_LEX.glued_function_words)
GLUED_SPEECH_WORDS: tuple[str, ...] = _LEX.glued_speech_words
GLUED_LEAD_WORDS: tuple[str, ...] = _LEX.glued_lead_words
GLUED_VERBS: tuple[str, ...] = tuple(sorted(_LEX.glued_verbs, key=len, reverse=True))


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """Gazetteer: region name -> kind (country, province, city, district).

    >>> regions()["余杭区"]
    'district'
    """
    table: dict[str, str] = {}
    for name_of_file in ("regions_cn.txt", "regions_world.txt"):
        text = resources.files("innograph.extract").joinpath(f"resources/{name_of_file}").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, kind, *_ = line.split("\t")
                table.setdefault(name, kind)
    return table


@lru_cache(maxsize=1)
def known_orgs() -> dict[str, tuple[L, tuple[str, ...]]]:
    """Well-known brands without a suffix: name -> (label, aliases)."""
    table: dict[str, tuple[L, tuple[str, ...]]] = {}
    text = resources.files("innograph.extract").joinpath("resources/known_orgs.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, label, *rest = line.split("\t")
            aliases = tuple(a for a in (rest[0].split(",") if rest else []) if a)
            table[name] = (L(label), aliases)
    return table
