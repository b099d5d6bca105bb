"""Normalisation: properties that must hold for any text (hypothesis), and a table of cases."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innograph.text import clean_name, fold, name_key

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
mixed = st.text(st.one_of(cjk, st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                          st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), st.sampled_from("\u3000\r\n《》“”")))


@given(mixed)
def test_fold_keeps_every_offset(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(mixed)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(mixed)
def test_name_key_is_idempotent_and_ignores_width_and_spaces(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)
    assert name_key(fold(text)) == name_key(text)
    assert name_key(" ".join(text)) == name_key(text)


@given(st.one_of(mixed, st.text()))
def test_name_key_is_the_reference_scorers_normalisation(text: str) -> None:
    nfkc = unicodedata.normalize("NFKC", text)
    assert name_key(text) == "".join(ch for ch in nfkc if not ch.isspace()).lower().strip("《》<>\"'“”")


@given(st.text(cjk, min_size=1, max_size=12))
def test_clean_name_of_cjk_with_spaces_drops_the_spaces(name: str) -> None:
    assert clean_name(" ".join(name)) == name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("钱塘(新)区", "钱塘（新）区"),
        ("潘 扬", "潘扬"),
        ("《浙江省科学技术进步条例》", "浙江省科学技术进步条例"),
        ("ＭＩＴ", "mit"),
        ("“众创空间”计划", "众创空间”计划"),  # the scorer strips outer quotes only
    ],
)
def test_name_key_equates(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
