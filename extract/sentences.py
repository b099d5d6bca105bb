"""Sentence segmentation with offsets into the article text.

A sentence ends at 。！？!?； or a blank line. A blank line inside a long paragraph that stops
mid-sentence is a PDF page break and does not end it, so a name broken across pages (谷\n\n歌)
stays in one sentence.

>>> [s.text for s in split_sentences("甲。乙！\\n\\n丙")]
['甲。', '乙！', '丙']
>>> split_sentences("甲。乙")[1].start
2
>>> len(split_sentences("这是一段很长的文字" * 5 + "谷\\n\\n歌。"))
1

A sentence is at most :data:`MAX_SENTENCE` characters: a longer one (a table, a list with no
full stop, a line of garbage) is cut at its last comma or space before the limit, or at the
limit, so the work per sentence is bounded and extraction stays linear in the input.

>>> [len(s.text) for s in split_sentences("甲" * 700)]
[300, 300, 100]
"""
from __future__ import annotations

import re

from innograph.models import Frozen

MAX_SENTENCE = 300
_SOFT_BREAK = re.compile(r"[,，、:：\s]")
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
        if match.group().startswith("\n") and _is_page_break(text, match):
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _is_page_break(text: str, match: re.Match) -> bool:
    """A blank line inside a long paragraph that stops mid-sentence is a PDF page break."""
    paragraph = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
    after = text[match.end():match.end() + 1]
    return len(paragraph) >= 40 and paragraph[-1:] not in "。！？!?；;:：" and after != "" and not after.isspace() and after not in "□■"


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = max((m.end() for m in _SOFT_BREAK.finditer(window) if m.end() >= MAX_SENTENCE // 2), default=MAX_SENTENCE)
        _append_piece(sentences, text, start, start + cut)
        start += cut
    _append_piece(sentences, text, start, end)


def _append_piece(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        sentences.append(Sentence(text=stripped, start=offset))
