"""``innograph eval`` agrees with the reference scorer, and the dev score stays above a floor."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from innograph.api import predict_gold
from innograph.cli import run
from innograph.extract.evaluate import format_report, read_gold, score

from tests.extract_helpers import GOLD, SCORER

# A few points under what the rules reach on the dev set (core 0.916, all 0.920, relations 0.873):
# a change that loses more than that is a regression to look at, not noise.
FLOORS = {"core": 0.88, "all": 0.89, "relations": 0.83}


@pytest.fixture(scope="module")
def predictions() -> list[dict]:
    return [predict_gold(g) for g in read_gold(GOLD)]


def test_scores_agree_with_the_reference_scorer(predictions: list[dict], tmp_path: Path) -> None:
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in predictions) + "\n", encoding="utf-8")
    reference = subprocess.run([sys.executable, str(SCORER), str(GOLD), "--predictions", str(pred_file)],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    ours = format_report(score(read_gold(GOLD), predictions), {"failures": 0, "extract_seconds": 0.0}).splitlines()
    assert ours[:-1] == reference[:-1]  # the table, row for row
    reference_figures, our_figures = json.loads(reference[-1]), json.loads(ours[-1])
    for key in ("core", "other", "all", "untyped", "relations"):
        assert our_figures[key] == reference_figures[key]


def test_reference_scorer_running_the_cli_gives_the_same_figures(predictions: list[dict]) -> None:
    cmd = f"{sys.executable} -m innograph.cli extract --article {{file}} --format json"
    reference = subprocess.run([sys.executable, str(SCORER), str(GOLD), "--cmd", cmd],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    figures = json.loads(reference[-1])
    assert figures["failures"] == 0
    ours = score(read_gold(GOLD), predictions).figures()
    for key in ("core", "all", "relations"):
        assert figures[key] == ours[key]


def test_dev_score_stays_above_the_floor(predictions: list[dict]) -> None:
    figures = score(read_gold(GOLD), predictions).figures()
    for key, floor in FLOORS.items():
        assert figures[key]["f1"] >= floor, f"{key} F1 {figures[key]['f1']} fell under {floor}"


def test_eval_command_prints_the_reference_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["eval", str(GOLD)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["type", "tp", "fp", "fn", "P", "R", "F1"]
    assert [line.split()[0] for line in lines[1:19]] == [
        "University", "Lab", "Ecosystem", "Company", "Policy", "Institute", "Facility", "Platform", "Fund",
        "Agency", "Region", "Person", "Event", "core", "other", "all", "untyped", "relations"]
    assert json.loads(lines[-1])["articles"] == 6


def test_eval_of_a_missing_gold_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.jsonl"
    assert run(["eval", str(missing)]) == 2
    assert capsys.readouterr().err == (f"innograph: error: no such gold file: {missing} "
                                       "(give a JSONL file with one annotated article a line)\n")


def test_eval_of_a_malformed_gold_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    assert run(["eval", str(bad)]) == 2
    assert capsys.readouterr().err == (f"innograph: error: {bad} line 1 is not a gold article (Field required): "
                                       "see ONTOLOGY.md 'Gold files and the score'\n")
