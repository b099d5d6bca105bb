"""What each part of the extractor adds, cross-validated by article (a benchmark, not a test).

Rows, each on the same folds of the gold files (default: shared/gold/dev.jsonl and
news-dev.jsonl, pooled, 6 folds):

1. rules only: the name-structure rules and gazetteers on LAC's segmentation;
2. + LAC names: LAC's PER/ORG/LOC words as candidates;
3. + span scorer: the trained logistic model keeps or drops each candidate;
4. + name tagger: the character CRF as a candidate source and a feature of the scorer;
5. + relation classifier: pairs the classifier is sure of are added to the cue rules'.

    .venv/bin/python benchmarks/ablation.py [GOLD.jsonl ...] [--folds K]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from innograph.api import predict_gold
from innograph.extract.candidates import DISABLED_SOURCES
from innograph.extract.evaluate import read_gold, score
from innograph.extract.training import cross_validated_predictions, no_models

SHARED = Path(__file__).resolve().parents[2] / "shared" / "gold"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=[SHARED / "dev.jsonl", SHARED / "news-dev.jsonl"])
    parser.add_argument("--folds", type=int, default=6)
    args = parser.parse_args()
    files = [(path, read_gold(path)) for path in args.gold]
    golds = [g for _, gs in files for g in gs]

    def untrained(lac: bool) -> list[dict]:
        token = DISABLED_SOURCES.set(frozenset() if lac else frozenset({"lac"}))
        try:
            with no_models():
                return [predict_gold(g) for g in golds]
        finally:
            DISABLED_SOURCES.reset(token)

    rows = [
        ("rules only", lambda: untrained(lac=False)),
        ("+ LAC names", lambda: untrained(lac=True)),
        ("+ span scorer", lambda: cross_validated_predictions(golds, args.folds, predict_gold, relations=False, name_tagger=False)),
        ("+ name tagger", lambda: cross_validated_predictions(golds, args.folds, predict_gold, relations=False)),
        ("+ relation classifier", lambda: cross_validated_predictions(golds, args.folds, predict_gold)),
    ]
    header = f"{'configuration':<24}" + "".join(f"{path.name + ' ' + k:>26}" for path, _ in files for k in ("core", "all", "rel"))
    print(f"{args.folds}-fold cross-validation by article over {len(golds)} articles (F1)")
    print(header)
    for name, run in rows:
        started = time.perf_counter()
        predictions = run()
        cells, figures, offset = [], {}, 0
        for path, gs in files:
            result = score(gs, predictions[offset:offset + len(gs)]).figures()
            offset += len(gs)
            figures[path.name] = result
            cells += [result["core"]["f1"], result["all"]["f1"], result["relations"]["f1"]]
        print(f"{name:<24}" + "".join(f"{c:>26.3f}" for c in cells) + f"   ({time.perf_counter() - started:.0f} s)")
        print("  " + json.dumps({"configuration": name, **figures}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
