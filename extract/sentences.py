"""Sentence segmentation with offsets into the article text.

A sentence ends at 。！？!?； or a blank line; a single newline inside a paragraph (a PDF line
break) does not end it, so names broken across lines stay in one sentence.

>>> [s.text for s in split_sentences("甲。乙！\\n\\n丙")]
['甲。', '乙！', '丙']
>>> split_sentences("甲。乙")[1].start
2
"""
from __future__ import annotations

import re

from innograph.models import Frozen

_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n\s*\n")


class Sentence(Frozen):
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their start offsets; blank-only pieces are dropped."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end() if not match.group().startswith("\n") else match.start()
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        sentences.append(Sentence(text=stripped, start=offset))
