"""Shared helpers for extraction tests: the repository's shared/ folder and gold articles."""
from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLD = SHARED / "gold" / "dev.jsonl"
SCORER = SHARED / "tools" / "score_extraction.py"
GOLDEN = Path(__file__).resolve().parent / "golden"


def gold_articles() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
