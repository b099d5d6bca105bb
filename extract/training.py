"""Training data for the span scorer, training, and cross-validation by article.

A candidate is a positive example when its label and its name (or its name without a region
written in front, or one of its aliases) match an entity of the gold article; every other
candidate is a negative one. Folds are whole articles, so a model is never scored on an
article it was trained on.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from pathlib import Path

from innograph.extract import relation_scorer, scorer, tagger
from innograph.extract.candidates import UNSCORED, Candidate, find_candidates, strip_region_prefix
from innograph.errors import GoldFileError
from innograph.extract.evaluate import GoldArticle
from innograph.extract.reader import read_text
from innograph.extract.sentences import split_sentences
from innograph.text import fold, name_key

Sample = tuple[tuple[str, ...], int]


def article_text(gold: GoldArticle) -> str:
    """The text the extractor sees for a gold article (read as one article)."""
    return read_text(gold.text, f"{gold.doc_id}.txt", force_article=True, doc_id=gold.doc_id).articles[0].text


def is_positive(cand: Candidate, keys: dict[str, set[str]]) -> bool:
    wanted = keys.get(cand.label.value, set())
    names = {cand.name, *cand.aliases, strip_region_prefix(cand.name)[1]}
    return any(name_key(n) in wanted for n in names)


def gold_keys(gold: GoldArticle) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for entity in gold.entities:
        keys.setdefault(entity.type.value, set()).update(name_key(a) for a in (entity.name, *entity.aliases))
    return keys


def article_samples(gold: GoldArticle) -> list[Sample]:
    """Every candidate of the article with its features and whether it is right."""
    keys = gold_keys(gold)
    samples = []
    for sentence in split_sentences(fold(article_text(gold))):
        for cand in find_candidates(sentence.text, keep_features=True):
            if cand.rule not in UNSCORED:
                samples.append((cand.features, int(is_positive(cand, keys))))
    return samples


def gold_relation_ids(gold: GoldArticle) -> tuple[Callable[[str], int | None], set[tuple[int, str, int]]]:
    """The reference scorer's view of relations: ends resolved to gold entity indices by alias."""
    keys = [{name_key(a) for a in (g.name, *g.aliases)} for g in gold.entities]

    def resolve(name: str) -> int | None:
        n = name_key(name)
        return next((i for i, k in enumerate(keys) if n in k), None)

    index = {name_key(g.name): i for i, g in enumerate(gold.entities)}
    wanted = set()
    for r in gold.relations:
        h, t = index.get(name_key(r.head)), index.get(name_key(r.tail))
        if h is not None and t is not None:
            wanted.add((min(h, t), r.type, max(h, t)) if r.type in _SYMMETRIC else (h, r.type, t))
    return resolve, wanted


_SYMMETRIC = {"COLLABORATES_WITH"}


def relation_samples(gold: GoldArticle) -> list[Sample]:
    """Every pair the relation classifier is offered, with whether the gold states it.

    Entities come from the span scorer in force, so a fold's relation model learns on the
    entities that fold's span model finds."""
    from innograph.extract.pipeline import run_pipeline

    resolve, wanted = gold_relation_ids(gold)
    article = read_text(gold.text, f"{gold.doc_id}.txt", force_article=True, doc_id=gold.doc_id).articles[0]
    token = scorer.use_model(None, "relation")
    collecting = relation_scorer.COLLECT.set(True)
    try:
        pairs = run_pipeline(article)._.ig_pairs or []
    finally:
        relation_scorer.COLLECT.reset(collecting)
        scorer.reset_model(token)
    samples = []
    for pair in pairs:
        h, t = resolve(pair.head.name), resolve(pair.tail.name)
        if h is not None and t is not None and pair.type.value in _SYMMETRIC:
            h, t = min(h, t), max(h, t)
        samples.append((pair.features, int(h is not None and t is not None and (h, pair.type.value, t) in wanted)))
    return samples


class TrainedModels:
    """The trained parts of the extractor, as one unit that is trained, put in force and saved together."""

    def __init__(self, name_tagger: tagger.NameTagger | None, span: scorer.SpanModel, relation: scorer.SpanModel | None) -> None:
        self.name_tagger, self.span, self.relation = name_tagger, span, relation

    def __enter__(self) -> "TrainedModels":
        self._tokens = (tagger.use_tagger(self.name_tagger), scorer.use_model(self.span),
                        scorer.use_model(self.relation, "relation"))
        return self

    def __exit__(self, *exc) -> None:
        tagger_token, span_token, relation_token = self._tokens
        scorer.reset_model(relation_token)
        scorer.reset_model(span_token)
        tagger.reset_tagger(tagger_token)


class no_models(TrainedModels):
    """Nothing trained in force: the rules and LAC alone (what training data is collected with)."""

    def __init__(self) -> None:
        super().__init__(None, None, None)  # type: ignore[arg-type]


def tagger_sequences(gold: GoldArticle) -> list[tagger.Sequence_]:
    """(features, gold BIO tags) of every sentence; features from the rules' candidates alone."""
    from innograph.extract.candidates import SentenceView

    names = [(alias, entity.type) for entity in gold.entities for alias in (entity.name, *entity.aliases)]
    out = []
    with no_models():
        for sentence in split_sentences(fold(article_text(gold))):
            view = SentenceView(sentence.text)
            found = find_candidates(sentence.text)
            out.append((tagger.sentence_features(sentence.text, view.tokens, found), tagger.gold_tags(sentence.text, names)))
    return out


def train_models(golds: Sequence[GoldArticle], sequences: Sequence[list[tagger.Sequence_]], *, relations: bool = True,
                 name_tagger: bool = True, tagger_path: Path | None = None, inner_folds: int = 2) -> TrainedModels:
    """Train the tagger, then the span scorer on candidates whose CRF source never saw their article.

    The scorer learns how far to trust the CRF, so the CRF candidates it learns from must be as
    good as on unseen text: each article's come from a CRF trained on the other inner folds.
    """
    samples: list[Sample] = []
    full = None
    if not name_tagger:
        with no_models():
            samples = [s for gold in golds for s in article_samples(gold)]
    else:
        every = [s for seqs in sequences for s in seqs]
        full = tagger.train(every, tagger_path) if tagger_path else tagger.train_temporary(every)
        for members in folds(golds, inner_folds):
            inner = tagger.train_temporary([s for i, seqs in enumerate(sequences) if i not in members for s in seqs])
            with TrainedModels(inner, None, None):  # type: ignore[arg-type]
                for i in members:
                    samples += article_samples(golds[i])
    trained_on = tuple(g.doc_id for g in golds)
    span = scorer.train(samples, trained_on=trained_on)
    relation = None
    if relations:
        with TrainedModels(full, span, None):
            pairs = [p for gold in golds for p in relation_samples(gold)]
        relation = scorer.train(pairs, trained_on=trained_on, threshold=RELATION_THRESHOLD)
    return TrainedModels(full, span, relation)


# The relation classifier only adds pairs it is this sure of (see relations.judge_pairs).
RELATION_THRESHOLD = 0.5


def cross_validated_predictions(golds: Sequence[GoldArticle], k: int, predict: Callable[[GoldArticle], dict],
                                progress: Callable[[GoldArticle], None] | None = None, *,
                                relations: bool = True, name_tagger: bool = True) -> list[dict]:
    """Predictions for every article by models trained on the other folds only (``relations`` and
    ``name_tagger`` off leave those parts out, for the ablation)."""
    if not 2 <= k <= len(golds):
        raise GoldFileError(f"cross-validation needs between 2 and {len(golds)} folds for {len(golds)} articles, not {k}")
    sequences = [tagger_sequences(gold) if name_tagger else [] for gold in golds]
    predictions: list[dict] = [{}] * len(golds)
    for members in folds(golds, k):
        train_on = [i for i in range(len(golds)) if i not in set(members)]
        models = train_models([golds[i] for i in train_on], [sequences[i] for i in train_on], relations=relations,
                              name_tagger=name_tagger)
        with models:
            for i in members:
                predictions[i] = predict(golds[i])
                if progress:
                    progress(golds[i])
    return predictions


def folds(golds: Sequence[GoldArticle], k: int) -> list[list[int]]:
    """Article indices of each of ``k`` folds: round robin in file order (deterministic).

    >>> folds(list(range(5)), 2)
    [[0, 2, 4], [1, 3]]
    """
    return [list(range(i, len(golds), k)) for i in range(k)]
