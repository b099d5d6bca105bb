"""The sources a candidate name can come from: the one list of their names.

A candidate's ``rule`` (:class:`innograph.extract.candidates.Candidate`) is one of these; the
``[source_preference]`` table of ``resources/lexicon.toml`` ranks them and is checked against
this list, so a misspelt source there is an error rather than a silently unranked one.

>>> CandidateSource("suffix") is CandidateSource.suffix, CandidateSource.suffix == "suffix"
(True, True)
"""
from __future__ import annotations

from enum import Enum


class CandidateSource(str, Enum):
    policy_title = "policy-title"  # 《…》 with a policy word
    quoted_programme = "quoted-programme"  # “双倍增”行动, “众创空间”计划
    quoted_name = "quoted-name"  # “128号公路”创新廊道
    known = "known"  # a well-known name without a suffix (known_orgs.txt)
    shared_suffix = "shared-suffix"  # 紫金港、大科学装置创新生态圈: an earlier item sharing the last one's suffix
    suffix = "suffix"  # a distinctive part, then a type suffix (…实验室)
    short_agency = "short-agency"  # 市科技局: an agency named by its kind in the article's place
    list = "list"  # one item of a list of names of one kind, its kind word added
    person_role = "person-role"  # 院长王某某
    byline = "byline"  # an author of the article
    latin = "latin"  # MIT, Silicon Alley
    region = "region"  # the gazetteer
    nested = "nested"  # a complete name inside a longer one
    alias = "alias"  # a further occurrence of a name's declared short form
    lac_per = "lac-per"  # LAC's PER tag
    lac_org = "lac-org"  # LAC's ORG tag
    lac_loc = "lac-loc"  # LAC's LOC tag
    crf = "crf"  # the trained name tagger
    coordination = "coordination"  # a name read out of a coordination by the tagger
