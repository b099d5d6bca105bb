"""A trained span scorer: which candidate names are entities of the label they were given.

The candidate sources (name-structure rules, gazetteers, LAC's statistical tagger) are built
for recall and overlap; this small logistic model, trained on the gold articles, says how
likely each candidate is right. Its features describe the candidate, never a particular
name: the source rule and label, the last characters (the type suffix), the first
characters, its length, LAC's tag of the words it covers, the words and characters around
it, and how many sources agree on the same span.

Why a linear model: 36 articles are too few for anything with many more parameters, the
features are sparse indicators, and a weight table is small, readable and deterministic to
train (full-batch gradient descent from zeros, no sampling).

>>> model = SpanModel(weights={"rule=suffix": 2.0}, bias=-1.0, threshold=0.5)
>>> round(model.probability(["rule=suffix"]), 3)
0.731
>>> model.keeps(["rule=lac-org"])
False
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from innograph.models import Frozen

# The trained parts: "span" says which candidate names are entities, "relation" which pairs of
# entities in a sentence stand in which relationship.
MODEL_RESOURCES = {"span": "resources/span_scorer.json", "relation": "resources/relation_scorer.json"}
FEATURE_VERSION = 1


class SpanModel(Frozen):
    """Weights of a logistic model over feature strings, and the decision threshold."""

    feature_version: int = FEATURE_VERSION
    weights: dict[str, float] = Field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    trained_on: tuple[str, ...] = ()

    def probability(self, features: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keeps(self, features: Iterable[str]) -> bool:
        return self.probability(features) >= self.threshold

    def save(self, path: Path) -> None:
        weights = {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4}
        data = self.model_dump() | {"weights": weights, "bias": round(self.bias, 4)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


@lru_cache(maxsize=None)
def shipped_model(kind: str = "span") -> SpanModel | None:
    """The model in the package (``make train`` writes it), or None before one is trained."""
    ref = resources.files("innograph.extract").joinpath(MODEL_RESOURCES[kind])
    if not ref.is_file():
        return None
    model = SpanModel.model_validate_json(ref.read_text(encoding="utf-8"))
    return model if model.feature_version == FEATURE_VERSION else None


# Models in force instead of the shipped ones (cross-validation, ablation); a kind mapped to None
# scores nothing: every span candidate is kept, and relations come from the cue rules alone.
_ACTIVE: ContextVar[tuple[tuple[str, SpanModel | None], ...]] = ContextVar("innograph_models", default=())


def active_model(kind: str = "span") -> SpanModel | None:
    overrides = dict(_ACTIVE.get())
    return overrides[kind] if kind in overrides else shipped_model(kind)


def use_model(model: SpanModel | None, kind: str = "span"):
    """Put ``model`` in force for ``kind`` in this context; returns the token to reset it with."""
    return _ACTIVE.set(tuple({**dict(_ACTIVE.get()), kind: model}.items()))


def reset_model(token) -> None:
    _ACTIVE.reset(token)


def train(samples: Sequence[tuple[Sequence[str], int]], *, l2: float = 0.5, epochs: int = 1500,
          rate: float = 2.0, min_count: int = 2, threshold: float = 0.4,
          trained_on: Sequence[str] = ()) -> SpanModel:
    """Full-batch gradient descent on the L2-regularised log loss; deterministic.

    Features seen fewer than ``min_count`` times are left out (they would only memorise).

    >>> data = [(["a"], 1), (["a"], 1), (["b"], 0), (["b"], 0)]
    >>> model = train(data, epochs=200)
    >>> model.keeps(["a"]), model.keeps(["b"])
    (True, False)
    """
    import numpy as np

    counts: dict[str, int] = {}
    for features, _ in samples:
        for f in set(features):
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, (features, _) in enumerate(samples):
        for f in set(features):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    n, d = len(samples), len(vocab)
    # the design matrix is sparse indicators: products through bincount over (row, column) pairs
    row_of, col_of = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    y = np.array([label for _, label in samples], dtype=np.float64)
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs if n else 0):
        z = np.clip(np.bincount(row_of, weights=w[col_of], minlength=n) + b, -30, 30)
        grad = 1.0 / (1.0 + np.exp(-z)) - y
        w -= rate * (np.bincount(col_of, weights=grad[row_of], minlength=d) / n + l2 * w / n)
        b -= rate * float(grad.mean())
    weights = {f: float(w[i]) for f, i in index.items()}
    return SpanModel(weights=weights, bias=b, threshold=threshold, trained_on=tuple(trained_on))
