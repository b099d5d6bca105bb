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
    # an agency name's short form -> its official form (科技局 -> 科学技术局)
    official_forms: dict[str, str] = {}
    # a short form that shares a merge key with its long form but stays as written (管委会)
    equivalent_forms: dict[str, str] = {}
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
        forms = {**self.official_forms, **self.equivalent_forms}
        for short in sorted(set(self.official_forms) & set(self.equivalent_forms)):
            problems.append(f"{short} is both an official and an equivalent short form")
        for short, official in forms.items():
            if not short or not official or short == official:
                problems.append(f"official form of {short or 'an empty word'} is empty or the same word")
            elif official in forms:
                problems.append(f"official form {official} of {short} is itself a short form")
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
                                   "source_preference": data.get("source_preference", {}),
                                   "official_forms": data.get("official_forms", {}),
                                   "equivalent_forms": data.get("equivalent_forms", {})})


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
#: (short, official) agency name forms, longest short form first
OFFICIAL_FORMS: tuple[tuple[str, str], ...] = tuple(sorted(_LEX.official_forms.items(), key=lambda kv: -len(kv[0])))
#: OFFICIAL_FORMS and the equivalent forms together: what names that share a merge key may differ by
SAME_AGENCY_FORMS: tuple[tuple[str, str], ...] = tuple(sorted({**_LEX.official_forms, **_LEX.equivalent_forms}.items(),
                                                              key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """Gazetteer: region name -> kind (country, province, city, district).

    >>> regions()["余杭区"]
    'district'
    """
    table: dict[str, str] = {}
    for name_of_file in ("regions_cn.txt", "regions_world.txt"):
        for name, kind in _read_regions(name_of_file):
            table.setdefault(name, kind)
    return table


@lru_cache(maxsize=1)
def chinese_regions() -> frozenset[str]:
    """The names of ``regions_cn.txt`` alone: China's divisions (杭州市, 余杭区), no foreign place.

    >>> "杭州市" in chinese_regions(), "纽约" in chinese_regions()
    (True, False)
    """
    return frozenset(name for name, _ in _read_regions("regions_cn.txt"))


def _read_regions(name_of_file: str) -> list[tuple[str, str]]:
    text = resources.files("innograph.extract").joinpath(f"resources/{name_of_file}").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, kind, *_ = line.split("\t")
            rows.append((name, kind))
    return rows


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
