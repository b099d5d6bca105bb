"""A trained relation classifier over pairs of entity mentions in one sentence.

Every ordered pair of mentions in a sentence is offered once for each relationship type the
ontology allows between their labels (:func:`innograph.ontology.allowed`). The features
describe the pair, not the names: the type and the labels, the order (one before the other,
one nested inside the other), the gap, the words and verbs between them, the role title next
to a person, the cue words of the sentence (``relation_cues`` in ``resources/lexicon.toml``),
other mentions between them, and whether a cue rule of :mod:`innograph.extract.relations`
found the same relation. A logistic model (:mod:`innograph.extract.scorer`, kind
``"relation"``) keeps the pairs it believes.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from innograph.extract import lexicon
from innograph.extract.candidates import tokenize
from innograph.models import Entity
from innograph.ontology import EntityLabel as L
from innograph.ontology import RelType, allowed

# Pairs further apart than this (characters between the mentions) are not offered: a sentence of
# a government notice can list forty names, and relations between its ends are not stated.
MAX_GAP = 80
# Set while training data is collected: pairs are built (and kept on the Doc) with no model in force.
COLLECT: ContextVar[bool] = ContextVar("innograph_collect_pairs", default=False)
_ROLE_WORDS = sorted(set(lexicon.HEAD_ROLES) | set(lexicon.DEPUTY_ROLES), key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class PlacedMention:
    entity: Entity
    start: int  # offsets into the sentence
    end: int


@dataclass(frozen=True, slots=True)
class PairCandidate:
    head: Entity
    type: RelType
    tail: Entity
    sentence: str
    sentence_start: int
    features: tuple[str, ...]


def sentence_mentions(entities: Iterable[Entity]) -> list[tuple[str, int, list[PlacedMention]]]:
    """Each sentence that holds mentions: its text, its start, its mentions in order."""
    by_start: dict[int, tuple[str, list[PlacedMention]]] = {}
    for entity in entities:
        for m in entity.mentions:
            _, placed = by_start.setdefault(m.sentence_start, (m.sentence, []))
            placed.append(PlacedMention(entity, m.start - m.sentence_start, m.end - m.sentence_start))
    return [(text, start, sorted(placed, key=lambda p: (p.start, -p.end))) for start, (text, placed) in sorted(by_start.items())]


def pair_candidates(entities: Iterable[Entity], rule_relations: set[tuple[str, str, str]]) -> list[PairCandidate]:
    """Every (head, type, tail) a sentence could state, with its features."""
    out: list[PairCandidate] = []
    cues = lexicon.RELATION_CUES
    for text, start, placed in sentence_mentions(entities):
        tokens = tokenize(text)
        sentence_cues = [c for c in cues if c in text]
        seen: set[tuple[str, str, str]] = set()
        keys = {id(p): p.entity.key for p in placed}  # a key is an NFKC normalisation: once per mention, not per pair
        for a in placed:
            for b in placed:
                a_key, b_key = keys[id(a)], keys[id(b)]
                if a_key == b_key:
                    continue
                gap = _gap(a, b)
                if gap > MAX_GAP:
                    continue
                for rel in RelType:
                    if not allowed(rel, a.entity.label, b.entity.label):
                        continue
                    ident = (a_key, rel.value, b_key)
                    if ident in seen:
                        continue
                    seen.add(ident)
                    features = pair_features(text, tokens, placed, a, b, rel, sentence_cues, rule_relations, (a_key, b_key))
                    out.append(PairCandidate(a.entity, rel, b.entity, text, start, tuple(features)))
    return out


_REL_VALUES = tuple(r.value for r in RelType)


def _gap(a: PlacedMention, b: PlacedMention) -> int:
    if a.start < b.end and b.start < a.end:
        return 0
    return b.start - a.end if a.end <= b.start else a.start - b.end


def _order(a: PlacedMention, b: PlacedMention) -> str:
    if a.start <= b.start and b.end <= a.end:
        return "tail-inside"
    if b.start <= a.start and a.end <= b.end:
        return "head-inside"
    if a.start < b.end and b.start < a.end:
        return "overlap"
    return "before" if a.end <= b.start else "after"


def _bucket(gap: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40):
        if gap <= limit:
            return str(limit)
    return "far"


def pair_features(text: str, tokens, placed: list[PlacedMention], a: PlacedMention, b: PlacedMention, rel: RelType,
                  sentence_cues: list[str], rule_relations: set[tuple[str, str, str]],
                  keys: tuple[str, str] | None = None) -> list[str]:
    t = rel.value
    order = _order(a, b)
    gap = _gap(a, b)
    features = [f"T={t}", f"T+labels={t}+{a.entity.label.value}+{b.entity.label.value}", f"T+order={t}+{order}",
                f"T+gap={t}+{_bucket(gap)}", f"T+order+gap={t}+{order}+{_bucket(gap)}"]
    lo, hi = (a.end, b.start) if order == "before" else (b.end, a.start) if order == "after" else (0, 0)
    # words between the two, but not names (features describe how relations are written, not who)
    between_tokens = [tok for tok in tokens if lo <= tok.start and tok.end <= hi and tok.pos not in ("nr", "ns", "nt", "nz")]
    shown = between_tokens if len(between_tokens) <= 6 else between_tokens[:3] + between_tokens[-3:]
    features += [f"T+bw={t}+{tok.word}" for tok in shown]
    features += [f"T+bv={t}+{tok.word}" for tok in between_tokens if tok.pos.startswith("v")]
    between = [p for p in placed if lo <= p.start and p.end <= hi]
    features.append(f"T+inter={t}+{min(len(between), 3)}")
    if any(p.entity.label is b.entity.label for p in between):
        features.append(f"T+inter-same-tail={t}")
    if any(p.entity.label is a.entity.label for p in between):
        features.append(f"T+inter-same-head={t}")
    if hi > lo and "、" in text[lo:hi]:
        features.append(f"T+list={t}")
    if order in ("before", "after"):
        first = a if order == "before" else b
        before_first = next((tok for tok in reversed(tokens) if tok.end <= first.start), None)
        if before_first is not None:
            features.append(f"T+pre={t}+{order}+{before_first.word}")
    after_last = next((tok for tok in tokens if tok.start >= max(a.end, b.end)), None)
    if after_last is not None:
        features.append(f"T+post={t}+{after_last.word}")
    for person in (p for p in (a, b) if p.entity.label is L.Person):
        role = _role_next_to(text, person)
        if role:
            kind = "head" if role in lexicon.HEAD_ROLES else "deputy"
            features += [f"T+role={t}+{role}", f"T+rolekind={t}+{kind}"]
    features += [f"T+cue={t}+{cue}" for cue in sentence_cues]
    a_key, b_key = keys or (a.entity.key, b.entity.key)
    if (a_key, t, b_key) in rule_relations:
        features.append(f"T+rule={t}")
    elif any((a_key, other, b_key) in rule_relations for other in _REL_VALUES):
        features.append(f"T+rule-other={t}")
    return features


def _role_next_to(text: str, person: PlacedMention) -> str:
    """The role title written right before or right after a person's name."""
    before, after = text[max(0, person.start - 8):person.start], text[person.end:person.end + 8]
    return next((r for r in _ROLE_WORDS if before.endswith(r) or after.startswith(r)), "")
