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

MODEL_RESOURCE = "resources/span_scorer.json"
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


@lru_cache(maxsize=1)
def shipped_model() -> SpanModel | None:
    """The model in the package (``make train`` writes it), or None before one is trained."""
    ref = resources.files("innograph.extract").joinpath(MODEL_RESOURCE)
    if not ref.is_file():
        return None
    model = SpanModel.model_validate_json(ref.read_text(encoding="utf-8"))
    return model if model.feature_version == FEATURE_VERSION else None


# The model in force: the shipped one unless a caller (cross-validation, ablation) sets another;
# None scores nothing and keeps every candidate.
_ACTIVE: ContextVar[SpanModel | None | str] = ContextVar("innograph_span_model", default="shipped")


def active_model() -> SpanModel | None:
    model = _ACTIVE.get()
    return shipped_model() if model == "shipped" else model  # type: ignore[return-value]


def use_model(model: SpanModel | None):
    """Set the model in force for this context; returns the token to reset it with."""
    return _ACTIVE.set(model)


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
    x = np.zeros((n, d), dtype=np.float64)
    x[rows, cols] = 1.0
    y = np.array([label for _, label in samples], dtype=np.float64)
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        z = np.clip(x @ w + b, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = p - y
        w -= rate * ((x.T @ grad) / n + l2 * w / n)
        b -= rate * float(grad.mean())
    weights = {f: float(w[i]) for f, i in index.items()}
    return SpanModel(weights=weights, bias=b, threshold=threshold, trained_on=tuple(trained_on))
