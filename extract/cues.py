"""The relation cue table and the one matcher that runs it.

``resources/relation_cues.toml`` holds rules of one shape: a cue (a regular expression), the
names on each side of it (their labels, how far away they may stand, whether one name or a
list is read), which side is the head, and the relationship the cue states. The matcher reads
each rule over the mentions of a sentence; the cue patterns that need more than this shape
(a subject carried across sentences, a cue that needs a second cue after the name) stay code
in :mod:`innograph.extract.relations`.

>>> table = parse_cue_table('''
... [[cue]]
... name = "incubated"
... pattern = "孵化出"
... relation = "INCUBATED_BY"
... head = "after"
... before = { labels = ["Lab"], take = "nearest" }
... after = { labels = ["Company"], take = "all" }
... ''')
>>> table.cues[0].relation.value, [label.value for label in table.cues[0].before.labels]
('INCUBATED_BY', ['Lab'])
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from functools import cached_property
from importlib import resources
from typing import Literal, Protocol

from pydantic import model_validator

from innograph.models import Entity, Frozen
from innograph.ontology import EntityLabel as L
from innograph.ontology import RelType, allowed


class Side(Frozen):
    """The names a cue reads on one side of it."""

    labels: tuple[L, ...]
    # nearest: the closest name; run: the closest and the names listed with it (A、B和C);
    # first/all: the first or every name after the cue; list: the first and those listed with it
    take: Literal["nearest", "run", "first", "all", "list"]
    max_gap: int | None = None  # characters between the cue and the closest name
    clause: bool = True  # stay inside the clause the cue is in
    at_clause_start: bool = False  # the name opens its clause: it is the subject
    not_after: tuple[str, ...] = ()  # 在杭州举行: a name right after these is a place, not the subject


class CueRule(Frozen):
    name: str
    pattern: str
    relation: RelType
    head: Literal["before", "after"]
    before: Side
    after: Side
    # 这里诞生了…: a back-reference word just before the cue stands for the sentence's first name
    back_reference: bool = False

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def heads_and_tails(self) -> tuple[Side, Side]:
        return (self.before, self.after) if self.head == "before" else (self.after, self.before)


class CueTable(Frozen):
    """``resources/relation_cues.toml``, validated as one model."""

    back_reference_words: tuple[str, ...] = ()
    cues: tuple[CueRule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> "CueTable":
        problems = []
        names = [c.name for c in self.cues]
        problems += [f"cue {n} is defined twice" for n in sorted({n for n in names if names.count(n) > 1})]
        for cue in self.cues:
            try:
                re.compile(cue.pattern)
            except re.error as exc:
                problems.append(f"cue {cue.name}: pattern does not compile ({exc})")
            heads, tails = cue.heads_and_tails()
            for head in heads.labels:
                for tail in tails.labels:
                    if not allowed(cue.relation, head, tail):
                        problems.append(f"cue {cue.name}: the ontology has no {cue.relation.value} from {head.value} to {tail.value}")
            if cue.before.take in ("first", "all", "list") or cue.after.take in ("nearest", "run"):
                problems.append(f"cue {cue.name}: before takes nearest or run, after takes first, all or list")
            if cue.back_reference and not self.back_reference_words:
                problems.append(f"cue {cue.name} reads back-references, but no back-reference words are listed")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def parse_cue_table(text: str) -> CueTable:
    data = tomllib.loads(text)
    return CueTable.model_validate({"back_reference_words": data.get("back_reference_words", ()), "cues": data.get("cue", ())})


def cue_table() -> CueTable:
    text = resources.files("innograph.extract").joinpath("resources/relation_cues.toml").read_text(encoding="utf-8")
    return parse_cue_table(text)


CUES = cue_table()
_LIST_GAP = re.compile(r"\s*(、|，|,|和|及|与|以及|暨|同)?\s*")


class Mention(Protocol):
    """A mention placed in its sentence (:class:`innograph.extract.relation_scorer.PlacedMention`)."""

    entity: Entity
    start: int
    end: int


class Sentence(Protocol):
    """What the matcher reads of a sentence (:class:`innograph.extract.relations.SentenceMentions`)."""

    text: str
    placed: list

    def clause_start(self, pos: int) -> int: ...

    def clause_end(self, pos: int) -> int: ...


def matches(sentence: Sentence, table: CueTable = CUES) -> Iterator[tuple[RelType, Entity, Entity]]:
    """Every (relationship, head, tail) the table's cues state in ``sentence``."""
    for cue in table.cues:
        for match in cue.regex.finditer(sentence.text):
            before = _before(sentence, cue, match.start(), table.back_reference_words)
            after = _after(sentence, cue.after, match.end()) if before else []
            pairs = [(b, a) for b in before for a in after] if cue.head == "before" else [(a, b) for b in before for a in after]
            for head, tail in pairs:
                yield cue.relation, head.entity, tail.entity


def listed_with(sentence: Sentence, mention: Mention, labels) -> list[Mention]:
    """``mention`` and the names of ``labels`` listed with it on either side (温州湾新区、龙湾区), in order."""
    placed = sentence.placed
    at = next(i for i, p in enumerate(placed) if p is mention)
    first = last = at
    while first > 0 and placed[first - 1].entity.label in labels and placed[first - 1].end <= placed[first].start \
            and _LIST_GAP.fullmatch(sentence.text[placed[first - 1].end:placed[first].start]):
        first -= 1
    while last + 1 < len(placed) and placed[last + 1].entity.label in labels and placed[last].end <= placed[last + 1].start \
            and _LIST_GAP.fullmatch(sentence.text[placed[last].end:placed[last + 1].start]):
        last += 1
    return placed[first:last + 1]


def _before(sentence: Sentence, cue: CueRule, pos: int, back_words: tuple[str, ...]) -> list[Mention]:
    side = cue.before
    wanted: Callable[[Mention], bool] = lambda p: p.entity.label in side.labels  # noqa: E731
    if cue.back_reference and any(w in sentence.text[max(0, pos - 6):pos] for w in back_words):
        first = next((p for p in sentence.placed if wanted(p)), None)
        return [first] if first is not None else []
    floor = sentence.clause_start(pos) if side.clause else 0
    found = [p for p in sentence.placed if floor <= p.start and p.end <= pos and wanted(p)]
    if not found:
        return []
    nearest = found[-1]
    if side.max_gap is not None and pos - nearest.end > side.max_gap:
        return []
    run = [p for p in listed_with(sentence, nearest, side.labels) if p.end <= nearest.end] if side.take == "run" else [nearest]
    opening = run[0].start
    if side.at_clause_start and sentence.text[sentence.clause_start(opening):opening].strip(" \u3000“\"「"):
        return []
    if any(sentence.text[:opening].endswith(w) for w in side.not_after):
        return []
    return run


def _after(sentence: Sentence, side: Side, pos: int) -> list[Mention]:
    ceiling = sentence.clause_end(pos) if side.clause else len(sentence.text)
    found = [p for p in sentence.placed if pos <= p.start and p.end <= ceiling and p.entity.label in side.labels]
    if not found or (side.max_gap is not None and found[0].start - pos > side.max_gap):
        return []
    if side.take == "first":
        return found[:1]
    if side.take == "all":
        return found
    listed = found[:1]
    for p in found[1:]:
        if not _LIST_GAP.fullmatch(sentence.text[listed[-1].end:p.start]):
            break
        listed.append(p)
    return listed
