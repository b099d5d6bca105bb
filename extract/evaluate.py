"""Scoring the extractor on a gold file, with the reference scorer's rules and output.

``shared/tools/score_extraction.py`` is the reference; :func:`score` follows it line for line
(per article, over sets, micro-averaged; names matched after :func:`innograph.text.name_key`),
and :func:`format_report` prints the same table and closing JSON line.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from innograph.errors import GoldFileError
from innograph.models import Frozen
from innograph.ontology import CORE_LABELS, OTHER_LABELS, EntityLabel
from innograph.text import name_key

CORE = ["University", "Lab", "Ecosystem", "Company", "Policy", "Institute", "Facility", "Platform", "Fund", "Agency"]
OTHER = ["Region", "Person", "Event"]
SYMMETRIC = {"COLLABORATES_WITH"}
assert set(CORE) == {l.value for l in CORE_LABELS} and set(OTHER) == {l.value for l in OTHER_LABELS}


class GoldEntity(Frozen):
    name: str
    type: EntityLabel
    aliases: tuple[str, ...] = ()


class GoldRelation(Frozen):
    head: str
    type: str
    tail: str
    evidence: str | None = None


class GoldArticle(Frozen):
    doc_id: str
    title: str = ""
    url: str | None = None
    text: str
    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()


class Counts(Frozen):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


class Score(Frozen):
    articles: int
    by_label: dict[str, Counts]
    untyped: Counts
    relations: Counts

    def total(self, labels: Iterable[str]) -> Counts:
        rows = [self.by_label.get(label, Counts()) for label in labels]
        return Counts(tp=sum(r.tp for r in rows), fp=sum(r.fp for r in rows), fn=sum(r.fn for r in rows))

    def figures(self) -> dict:
        out: dict = {"articles": self.articles}
        for name, counts in self.summary_rows():
            p, r, f = counts.prf
            out[name] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}
        return out

    def summary_rows(self) -> list[tuple[str, Counts]]:
        return [("core", self.total(CORE)), ("other", self.total(OTHER)), ("all", self.total(CORE + OTHER)),
                ("untyped", self.untyped), ("relations", self.relations)]


def read_gold(path: Path) -> list[GoldArticle]:
    if not path.exists():
        raise GoldFileError(f"no such gold file: {path} (give a JSONL file with one annotated article a line)")
    if path.is_dir():
        raise GoldFileError(f"{path} is a directory: give a JSONL gold file")
    golds = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            golds.append(GoldArticle.model_validate_json(line))
        except ValidationError as exc:
            raise GoldFileError(f"{path} line {number} is not a gold article ({exc.errors()[0]['msg']}): "
                                "see ONTOLOGY.md 'Gold files and the score'") from exc
    if not golds:
        raise GoldFileError(f"{path} holds no gold articles: give a JSONL file with one annotated article a line")
    return golds


def score(golds: list[GoldArticle], predictions: list[dict]) -> Score:
    """Score predictions (dicts in the extract JSON shape: entities, relations) against gold."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for gold, pred in zip(golds, predictions, strict=True):
        _score_article(gold, pred, counts)
    by_label = {k: Counts(**v) for k, v in counts.items() if not k.startswith("_")}
    return Score(articles=len(golds), by_label=by_label, untyped=Counts(**counts["_untyped"]),
                 relations=Counts(**counts["_relations"]))


def _score_article(gold: GoldArticle, pred: dict, counts: dict) -> None:
    gold_ents = gold.entities
    keys = [{name_key(a) for a in [g.name, *g.aliases]} for g in gold_ents]
    seen: set[tuple[str, str]] = set()
    matched = [False] * len(gold_ents)
    for p in pred.get("entities", []):
        key = (name_key(p.get("name", "")), p.get("type"))
        if not key[0] or key in seen:
            continue
        seen.add(key)
        hit = next((i for i, g in enumerate(gold_ents) if not matched[i] and g.type.value == key[1] and key[0] in keys[i]), None)
        if hit is None:
            counts[key[1]]["fp"] += 1
        else:
            matched[hit] = True
            counts[key[1]]["tp"] += 1
    for i, g in enumerate(gold_ents):
        if not matched[i]:
            counts[g.type.value]["fn"] += 1
    untyped = counts["_untyped"]
    used = [False] * len(gold_ents)
    for name in {name_key(p.get("name", "")) for p in pred.get("entities", [])} - {""}:
        hit = next((i for i in range(len(gold_ents)) if not used[i] and name in keys[i]), None)
        if hit is None:
            untyped["fp"] += 1
        else:
            used[hit] = True
            untyped["tp"] += 1
    untyped["fn"] += used.count(False)

    def resolve(name: str) -> int | None:
        n = name_key(name)
        return next((i for i in range(len(gold_ents)) if n in keys[i]), None)

    index = {name_key(g.name): i for i, g in enumerate(gold_ents)}
    gold_rels = set()
    for r in gold.relations:
        h, t = index.get(name_key(r.head)), index.get(name_key(r.tail))
        if h is None or t is None:
            continue
        if r.type in SYMMETRIC and h > t:
            h, t = t, h
        gold_rels.add((h, r.type, t))
    pred_rels = set()
    unresolved = 0
    for r in pred.get("relations", []):
        h, t = resolve(r.get("head", "")), resolve(r.get("tail", ""))
        if h is None or t is None:
            unresolved += 1
            continue
        if r.get("type") in SYMMETRIC and h > t:
            h, t = t, h
        pred_rels.add((h, r.get("type"), t))
    rc = counts["_relations"]
    rc["tp"] += len(pred_rels & gold_rels)
    rc["fp"] += len(pred_rels - gold_rels) + unresolved
    rc["fn"] += len(gold_rels - pred_rels)


def combine_scores(scores: Sequence[Score]) -> Score:
    """One score over the articles of several (micro-averaged, as the reference pools articles)."""
    by_label: dict[str, Counts] = {}
    for result in scores:
        for label, counts in result.by_label.items():
            by_label[label] = _add(by_label.get(label, Counts()), counts)
    return Score(articles=sum(s.articles for s in scores), by_label=by_label,
                 untyped=_sum(s.untyped for s in scores), relations=_sum(s.relations for s in scores))


def _add(a: Counts, b: Counts) -> Counts:
    return Counts(tp=a.tp + b.tp, fp=a.fp + b.fp, fn=a.fn + b.fn)


def _sum(rows: Iterable[Counts]) -> Counts:
    total = Counts()
    for row in rows:
        total = _add(total, row)
    return total


def format_report(result: Score, extra: dict | None = None) -> str:
    """The reference scorer's table and closing JSON line."""
    lines = [f"{'type':<12}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for label in CORE + OTHER:
        c = result.by_label.get(label, Counts())
        p, r, f = c.prf
        lines.append(f"{label:<12}{c.tp:>6}{c.fp:>6}{c.fn:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    figures: dict = {"articles": result.articles, **(extra or {})}
    for name, c in result.summary_rows():
        p, r, f = c.prf
        lines.append(f"{name:<12}{c.tp:>6}{c.fp:>6}{c.fn:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
        figures[name] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}
    lines.append(json.dumps(figures, ensure_ascii=False))
    return "\n".join(lines)


def evaluate(golds: list[GoldArticle], predict: Callable[[GoldArticle], dict],
             progress: Callable[[GoldArticle], None] | None = None) -> Score:
    predictions = []
    for gold in golds:
        predictions.append(predict(gold))
        if progress:
            progress(gold)
    return score(golds, predictions)
