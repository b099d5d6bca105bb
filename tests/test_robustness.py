"""Any input: the extractor never crashes, its offsets point into the text, and its work grows
linearly with the input (a ratio of times in one run, not a time)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innograph import api
from innograph.errors import InnographError
from innograph.extract.pipeline import extract_article
from innograph.models import Article

# The pieces names are made of, the punctuation around them and what breaks readers: enough to
# reach every rule (suffixes, lists, brackets, titles, quotes, line and page breaks).
ALPHABET = list("之江杭州市区省浙大学实验室研究院所中心公司集团有限股份科技局厅委办会议论坛计划《》“”()（）、，。；：\n "
                "0123456789ABCxyz■□第届等和与由位于在主办院长书记张王李")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(ALPHABET), min_size=10, max_size=1500))
def test_any_text_extracts_without_crashing(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8")
    try:
        result = api.extract_path(path)
    except InnographError:
        return  # refused with a message (empty or no text): that is an answer, not a crash
    for extraction, article in zip(result.extractions, [a for a in result.document.articles if a.kind.value == "article"]):
        for entity in extraction.entities:
            for mention in entity.mentions:
                assert article.text[mention.start:mention.end] == mention.surface


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "之江实验室" + ")" * 5000,
        "《" * 3000 + "计划" + "》" * 3000,
        "杭州市" * 20000,
        "杭州■\n" * 3000,
        "、".join(["之江"] * 5000) + "等实验室。",
        " " * 1_100_000 + "之江实验室位于杭州。",  # past spaCy's default max_length
    ],
    ids=["nested-brackets", "nested-titles", "one-long-line", "many-short-lines", "a-long-list", "over-a-million"],
)
def test_degenerate_long_inputs_are_extracted(text: str) -> None:
    extraction = extract_article(Article(doc_id="long", title="long", text=text))
    for entity in extraction.entities:
        for mention in entity.mentions:
            assert text[mention.start:mention.end] == mention.surface


def _varied_text(sentences: int) -> str:
    """Distinct sentences (no cache helps), each built like a news sentence."""
    return "".join(f"第{i}家企业杭州零磁{i}号医疗设备有限公司与之江实验室签署合作协议,张{i}院长出席。" for i in range(sentences))


def test_time_per_character_stays_flat_as_the_input_grows() -> None:
    extract_article(Article(doc_id="warm", title="warm", text=_varied_text(3)))

    def seconds_per_char(sentences: int) -> float:
        text = _varied_text(sentences)
        best = min(_timed(text) for _ in range(2))
        return best / len(text)

    small, large = seconds_per_char(40), seconds_per_char(320)  # 1x and 8x the input
    assert large / small < 3.0, f"time per character grew {large / small:.1f}x when the input grew 8x"


def _timed(text: str) -> float:
    started = time.perf_counter()
    extract_article(Article(doc_id="timed", title="timed", text=text))
    return time.perf_counter() - started
