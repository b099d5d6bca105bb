"""The rules' vocabulary is data: resources/lexicon.toml, read through one validated model."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from innograph.extract import lexicon
from innograph.extract.lexicon import LEXICON_EXAMPLE, parse_lexicon
from innograph.extract.sources import CandidateSource
from innograph.ontology import EntityLabel


def test_the_shipped_lexicon_loads_and_names_every_core_label() -> None:
    shipped = lexicon.lexicon()
    assert {EntityLabel.Lab, EntityLabel.University, EntityLabel.Company, EntityLabel.Ecosystem,
            EntityLabel.Policy} <= set(shipped.suffixes)
    assert ("实验室", EntityLabel.Lab) in lexicon.SUFFIXES
    assert "局长" in lexicon.HEAD_ROLES and "副局长" in lexicon.DEPUTY_ROLES


def _with(old: str, new: str) -> str:
    assert old in LEXICON_EXAMPLE
    return LEXICON_EXAMPLE.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_with('Lab = ["实验室"]', 'Lab = ["实验室"]\nUniversity = ["实验室"]'), "suffix 实验室 is given to Lab and University"),
        (_with('Lab = ["实验室"]', 'Lab = ["实验室"]\nLaboratory = ["所"]'), "Laboratory"),
        (_with('head_roles = ["院长"]', 'head_roles = ["院长", "副院长"]'), "副院长 is both a head and a deputy role"),
        (_with('boundary_words = ["由"]', 'boundary_words = ["由", "由"]'), "boundary_words lists 由 twice"),
        (_with('generic_words = ["国家"]', 'generic_words = ["国家", " 省"]'), "generic_words has an empty or padded word"),
        (LEXICON_EXAMPLE + '[alternative_labels]\n"中心" = ["Platform"]\n', "alternative labels for 中心, which is no suffix"),
        (LEXICON_EXAMPLE + '[alternative_labels]\n"实验室" = ["Lab"]\n', "alternative labels for 实验室 repeat a label"),
        (LEXICON_EXAMPLE + '[source_preference]\n"sufix" = 1\n', "source_preference.sufix"),
        (LEXICON_EXAMPLE + '[source_preference]\n"suffix" = -1\n', "source preference ranks suffix below 0"),
        (LEXICON_EXAMPLE + '[official_forms]\n"科技局" = "科技局"\n', "official form of 科技局 is empty or the same word"),
        (LEXICON_EXAMPLE + '[official_forms]\n"科技局" = "科学局"\n"科学局" = "科学技术局"\n',
         "official form 科学局 of 科技局 is itself a short form"),
        (LEXICON_EXAMPLE + '[official_forms]\n"管委会" = "管理委员会"\n[equivalent_forms]\n"管委会" = "管理委员会"\n',
         "管委会 is both an official and an equivalent short form"),
    ],
)
def test_contradictions_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_lexicon(text)
    assert message in str(raised.value)


def test_the_shipped_lexicon_has_no_contradiction_either() -> None:
    from importlib import resources

    text = resources.files("innograph.extract").joinpath("resources/lexicon.toml").read_text(encoding="utf-8")
    assert parse_lexicon(text) == lexicon.lexicon()


def test_the_source_preference_names_known_sources_only() -> None:
    shipped = lexicon.lexicon().source_preference
    assert shipped[CandidateSource.policy_title] < shipped[CandidateSource.suffix] < shipped[CandidateSource.lac_org]
    assert set(shipped) <= set(CandidateSource)
