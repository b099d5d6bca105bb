"""Golden files: what the extractor finds in three sample articles, entity by entity.

A change to the rules that alters these outputs must be looked at and the golden files
regenerated on purpose:

    INNOGRAPH_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_extract_golden.py

(or ``make golden``); then review ``git diff tests/golden``.
"""
from __future__ import annotations

import json
import os

import pytest

from innograph.extract.pipeline import extract_article
from innograph.extract.reader import read_text

from tests.extract_helpers import GOLDEN, gold_articles

ARTICLES = ["hzkj-2024-06-a03", "hzkj-2024-06-a04", "hzkj-2024-06-a13"]


def _snapshot(doc_id: str) -> dict:
    gold = next(g for g in gold_articles() if g["doc_id"] == doc_id)
    article = read_text(gold["text"], f"{doc_id}.txt", force_article=True, doc_id=doc_id).articles[0]
    extraction = extract_article(article)
    return {
        "doc_id": doc_id,
        "entities": sorted([e.label.value, e.name, sorted(e.aliases)] for e in extraction.entities),
        "relations": sorted([r.head, r.type.value, r.tail] for r in extraction.relations),
    }


@pytest.mark.parametrize("doc_id", ARTICLES)
def test_extraction_matches_golden_file(doc_id: str) -> None:
    path = GOLDEN / f"{doc_id}.json"
    snapshot = _snapshot(doc_id)
    if os.environ.get("INNOGRAPH_REGEN_GOLDEN") == "1":
        path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert snapshot["entities"] == expected["entities"]
    assert snapshot["relations"] == expected["relations"]
