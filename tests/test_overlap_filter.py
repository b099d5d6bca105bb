"""The selector's overlap filter: registered in spaCy's registry, named by the component config,
its source preference data (the [source_preference] table of lexicon.toml)."""
from __future__ import annotations

import spacy

from innograph.extract.candidates import Candidate
from innograph.extract.pipeline import build_nlp
from innograph.extract.resolve import Selection, make_prefer_longest_scored, make_prefer_longest_scored_v2, select_spans
from innograph.ontology import EntityLabel as L

FILTER = "innograph.prefer_longest_scored.v2"


def test_the_entities_component_names_the_registered_filter() -> None:
    assert build_nlp().get_pipe_config("innograph_entities")["overlaps"]["@misc"] == FILTER
    assert spacy.registry.misc.get(FILTER) is make_prefer_longest_scored_v2
    assert spacy.registry.misc.get("innograph.prefer_longest_scored.v1") is make_prefer_longest_scored


# two readings of one name that end together: (longer, its score), (shorter, its score), kept
LEFT_EDGES = [
    (("2035年新片区", 0.6), ("新片区", 0.9), "新片区"),
    (("参建方中航建设集团", 0.55), ("中航建设集团", 0.8), "中航建设集团"),
    (("余杭区之江实验室", 0.9), ("之江实验室", 0.8), "余杭区之江实验室"),
    (("浙江大学医学院", 0.7), ("浙江大学医学院", 0.7), "浙江大学医学院"),
]


def test_v2_keeps_the_left_edge_the_scorer_prefers() -> None:
    for (longer, longer_score), (shorter, shorter_score), kept in LEFT_EDGES:
        at = len(longer) - len(shorter)
        candidates = [Candidate(0, len(longer), L.Lab, longer, "suffix", score=longer_score),
                      Candidate(at, len(longer), L.Lab, shorter, "suffix", score=shorter_score)]
        assert _names(make_prefer_longest_scored_v2({"suffix": 0})(candidates)) == [kept]
    # a different label is another reading, not another left edge: v1's rule decides
    other = [Candidate(0, 8, L.Ecosystem, "2035年新片区", "suffix", score=0.6), Candidate(5, 8, L.Region, "新片区", "region", score=0.9)]
    assert _names(make_prefer_longest_scored_v2({"suffix": 0, "region": 1})(other)) == ["2035年新片区"]


def _names(kept: list[Candidate]) -> list[str]:
    return [c.name for c in kept]


SAME_SPAN = [Candidate(0, 4, L.Platform, "创新中心", "suffix"), Candidate(0, 4, L.Institute, "创新中心", "known")]


def test_longer_wins_then_score_then_the_preferred_source() -> None:
    keep = make_prefer_longest_scored({"suffix": 0, "known": 1})
    longer = [Candidate(0, 2, L.Region, "杭州", "region"), Candidate(0, 6, L.University, "杭州师范大学", "suffix")]
    assert _names(keep(longer)) == ["杭州师范大学"]
    scored = [Candidate(0, 4, L.Platform, "A", "suffix", score=0.6), Candidate(1, 5, L.Lab, "B", "known", score=0.9)]
    assert _names(keep(scored)) == ["B"]
    assert [c.label for c in keep(SAME_SPAN)] == [L.Platform]
    assert [c.label for c in make_prefer_longest_scored({"known": 0, "suffix": 1})(SAME_SPAN)] == [L.Institute]


def test_a_source_the_preference_does_not_list_ranks_last() -> None:
    assert [c.label for c in make_prefer_longest_scored({"known": 0})(SAME_SPAN)] == [L.Institute]
    assert [c.label for c in make_prefer_longest_scored({"suffix": 0})(SAME_SPAN)] == [L.Platform]


def test_the_default_preference_is_the_lexicons() -> None:
    # the shipped table ranks known (2) before suffix (3)
    assert [c.label for c in make_prefer_longest_scored()(SAME_SPAN)] == [L.Institute]


def test_select_spans_uses_the_filter_it_is_given() -> None:
    sentence = "之江实验室与浙江大学合作。"
    default, nothing = Selection(), Selection()
    select_spans(sentence, 0, default)
    select_spans(sentence, 0, nothing, overlaps=lambda candidates: [])
    assert {s.name for s in default.spans} >= {"之江实验室", "浙江大学"}
    assert nothing.spans == []
