"""A trained name tagger: a character CRF that reads the rules' candidates and LAC's words.

The rules propose names from the structure of Chinese names; where they disagree with how
names are written in the gold articles (which left edge, which kind, which of two overlapping
readings), a linear-chain CRF over characters learns it. Each character's features are the
character and its neighbours, LAC's tag and the position in LAC's word, and every candidate
that covers it (its label, its source rule, begin/inside/end). The CRF's output (BIO tags with
the ontology's labels) is one more candidate source ("crf") for the span scorer, which also
reads whether the CRF agrees with another source.

Why a CRF (python-crfsuite, MIT): it learns boundaries, which is what the rules get wrong on
unseen text; it trains in seconds on the gold articles with L1 regularisation, so the shipped
model is a few hundred kilobytes; and tagging is linear in the sentence length.
"""
from __future__ import annotations

import tempfile
from collections.abc import Sequence
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path

from innograph.ontology import EntityLabel
from innograph.text import char_class, fold

MODEL_RESOURCE = "resources/name_tagger.crfsuite"
TRAINING = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
Sequence_ = tuple[list[list[str]], list[str]]


class NameTagger:
    """A trained CRF: sentence features -> (start, end, label) spans."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.path = path
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, features: list[list[str]]) -> list[tuple[int, int, EntityLabel]]:
        if not features:
            return []
        return bio_spans(self._tagger.tag(features))


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, EntityLabel]]:
    """Spans of a BIO sequence; an I- without its B- opens a span too.

    >>> bio_spans(["O", "B-Lab", "I-Lab", "O", "I-Region"])
    [(1, 3, <EntityLabel.Lab: 'Lab'>), (4, 5, <EntityLabel.Region: 'Region'>)]
    """
    out = []
    i = 0
    while i < len(tags):
        if tags[i] == "O":
            i += 1
            continue
        label = tags[i][2:]
        j = i + 1
        while j < len(tags) and tags[j] == "I-" + label:
            j += 1
        out.append((i, j, EntityLabel(label)))
        i = j
    return out


# LAC's tags of names: their words are not features (that would memorise the names themselves)
_NAME_TAGS = frozenset({"nr", "ns", "nt", "nz"})


def _position(i: int, start: int, end: int) -> str:
    if end - start == 1:
        return "S"
    return "B" if i == start else "E" if i == end - 1 else "I"


def sentence_features(text: str, tokens, candidates) -> list[list[str]]:
    """Features of every character of a sentence (see the module docstring)."""
    n = len(text)
    features: list[list[str]] = [[] for _ in range(n)]
    for tok in tokens:
        for i in range(tok.start, min(tok.end, n)):
            where = _position(i, tok.start, tok.end)
            features[i].append(f"tok={tok.pos}-{where}")
            if 2 <= tok.end - tok.start <= 4 and tok.pos not in _NAME_TAGS:
                features[i].append(f"w={tok.word}-{where}")  # words around names, not the names
    for cand in candidates:
        for i in range(cand.start, min(cand.end, n)):
            where = _position(i, cand.start, cand.end)
            features[i].append(f"c{where}={cand.label.value}")
            features[i].append(f"r{where}={cand.rule}")
    in_title = False
    padded = "^^" + text + "$$"  # padded[i + 2] is text[i]; the marks stand outside the sentence
    kinds = [char_class(ch) for ch in padded[:2]] + [char_class(ch) for ch in text] + [char_class(ch) for ch in padded[-2:]]
    for i, ch in enumerate(text):
        if ch == "《":
            in_title = True
        before, after = padded[i + 1], padded[i + 3]
        features[i] += [f"c0={ch}", f"k0={kinds[i + 2]}", f"c-1={before}", f"c+1={after}", f"b-1={before}{ch}",
                        f"b+1={ch}{after}", f"c-2={padded[i]}", f"c+2={padded[i + 4]}",
                        f"k-1={kinds[i + 1]}", f"k+1={kinds[i + 3]}"]
        if in_title:
            features[i].append("in-title")
        if ch == "》":
            in_title = False
    return features


def gold_tags(text: str, names: Sequence[tuple[str, EntityLabel]]) -> list[str]:
    """BIO tags of a sentence from gold names: every occurrence, longest names first, no overlap.

    >>> gold_tags("之江实验室在杭州", [("之江实验室", EntityLabel.Lab), ("杭州", EntityLabel.Region)])
    ['B-Lab', 'I-Lab', 'I-Lab', 'I-Lab', 'I-Lab', 'O', 'B-Region', 'I-Region']
    """
    tags = ["O"] * len(text)
    surfaces: list[tuple[str, EntityLabel]] = []
    for name, label in names:
        form = fold(name)
        if len(form) >= 2:
            surfaces.append((form, label))
        if form.startswith("《") and form.endswith("》") and len(form) > 3:
            surfaces.append((form[1:-1], label))
    surfaces.sort(key=lambda pair: -len(pair[0]))
    taken = [False] * len(text)
    for form, label in surfaces:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                    tags[i] = ("B-" if i == start else "I-") + label.value
            start = text.find(form, end)
    return tags


def train(sequences: Sequence[Sequence_], path: Path) -> NameTagger:
    """Train the CRF on (features, tags) sentences (deterministic: L-BFGS from zeros) into ``path``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in sequences:
        if features:
            trainer.append(features, tags)
    trainer.set_params(TRAINING)
    trainer.train(str(path))
    return NameTagger(path)


def train_temporary(sequences: Sequence[Sequence_]) -> NameTagger:
    """A tagger trained into a temporary file (cross-validation): kept open until dropped."""
    handle = tempfile.NamedTemporaryFile(prefix="innograph-tagger-", suffix=".crfsuite", delete=False)
    handle.close()
    tagger = train(sequences, Path(handle.name))
    Path(handle.name).unlink()  # the tagger has it open: the file goes when the tagger does
    return tagger


@lru_cache(maxsize=1)
def shipped_tagger() -> NameTagger | None:
    ref = resources.files("innograph.extract").joinpath(MODEL_RESOURCE)
    return NameTagger(Path(str(ref))) if ref.is_file() else None


_ACTIVE: ContextVar[tuple[NameTagger | None] | None] = ContextVar("innograph_tagger", default=None)


def active_tagger() -> NameTagger | None:
    override = _ACTIVE.get()
    return override[0] if override is not None else shipped_tagger()


def use_tagger(tagger: NameTagger | None):
    return _ACTIVE.set((tagger,))


def reset_tagger(token) -> None:
    _ACTIVE.reset(token)
