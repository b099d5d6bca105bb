"""The trained parts: deterministic training, folds by article, and no article scored by a model
that saw it."""
from __future__ import annotations

import json

import pytest

from innograph.api import predict_gold
from innograph.cli import run
from innograph.extract import scorer, training
from innograph.extract.evaluate import GoldArticle, read_gold
from innograph.ontology import EntityLabel

from tests.extract_helpers import GOLD, SHARED

NEWS = SHARED / "gold" / "news-dev.jsonl"


@pytest.fixture(scope="module")
def few() -> list[GoldArticle]:
    """Six short news articles: enough to train on, quick to read."""
    return read_gold(NEWS)[:6]


def test_folds_cover_every_article_once() -> None:
    members = training.folds(list(range(11)), 4)
    assert sorted(i for fold in members for i in fold) == list(range(11))
    assert all(members)


def test_training_is_deterministic(few: list[GoldArticle]) -> None:
    with training.no_models():
        samples = [s for gold in few for s in training.article_samples(gold)]
    first, second = scorer.train(samples), scorer.train(samples)
    assert first == second
    assert 0 < sum(label for _, label in samples) < len(samples)  # both kinds of example


def test_a_positive_example_matches_the_gold_name_and_label(few: list[GoldArticle]) -> None:
    gold = few[0]
    keys = training.gold_keys(gold)
    with training.no_models():
        samples = training.article_samples(gold)
    assert samples and any(label for _, label in samples)
    assert set(keys) <= {label.value for label in EntityLabel}


def test_cross_validation_reads_no_article_with_a_model_trained_on_it(few: list[GoldArticle]) -> None:
    seen: dict[str, tuple[str, ...]] = {}

    def predict(gold: GoldArticle) -> dict:
        model = scorer.active_model()
        relation = scorer.active_model("relation")
        assert model is not None and relation is not None
        seen[gold.doc_id] = model.trained_on + relation.trained_on
        return predict_gold(gold)

    predictions = training.cross_validated_predictions(few, 3, predict)
    assert len(predictions) == len(few) and all("entities" in p for p in predictions)
    assert set(seen) == {g.doc_id for g in few}
    for doc_id, trained_on in seen.items():
        assert doc_id not in trained_on
        assert len(set(trained_on)) == len(few) - 2  # the other two folds


def test_eval_cv_prints_a_table_per_file_and_pooled_figures(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    short = tmp_path / "short.jsonl"
    lines = NEWS.read_text(encoding="utf-8").splitlines()[:4]
    short.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dev_one = tmp_path / "dev-one.jsonl"
    dev_one.write_text(GOLD.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert run(["eval", str(short), str(dev_one), "--cv", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"== {short}"
    assert f"== {dev_one}" in out and "== pooled" in out
    figures = json.loads(out[-1])
    assert figures["cv_folds"] == 2
    assert figures["files"][str(short)]["articles"] == 4
    assert figures["pooled"]["articles"] == 5


@pytest.mark.parametrize("folds", ["1", "9"])
def test_eval_cv_rejects_impossible_fold_counts(folds: str, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    short = tmp_path / "short.jsonl"
    short.write_text("\n".join(NEWS.read_text(encoding="utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
    assert run(["eval", str(short), "--cv", folds]) == 2
    assert capsys.readouterr().err == (f"innograph: error: cross-validation needs between 2 and 4 folds for 4 articles, "
                                       f"not {folds}\n")
