"""Text normalisation shared by every stage.

Two kinds, kept apart on purpose:

* :func:`fold` maps one character to one character (full-width to half-width, ideographic
  space to space, CR to newline), so offsets found in folded text are offsets into the
  original text too.
* :func:`name_key` is the identity of a name: NFKC, no whitespace, lower case, outer quotes
  and 《》 dropped. It matches the reference scorer's normalisation exactly.

>>> fold("钱塘（新）区") == "钱塘(新)区"
True
>>> len(fold("Ａ\\r\\nＢ")) == len("Ａ\\r\\nＢ")
True
>>> name_key("《浙江省科学技术进步条例》") == name_key("浙江省科学技术进步条例")
True
>>> name_key("潘 扬")
'潘扬'
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Full-width ASCII variants U+FF01..U+FF5E sit at a fixed distance from ASCII.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x0D: 0x0A, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})


def fold(text: str) -> str:
    """Length-preserving normalisation for matching (see module docstring)."""
    return text.translate(_FOLD)


def name_key(name: str) -> str:
    """The normalised identity of a name, as the reference scorer computes it."""
    text = unicodedata.normalize("NFKC", name or "")
    # split() cuts at exactly the characters isspace() finds, in C: the scorer's per-character
    # filter, a third of the time the loader spends building a node's row
    return "".join(text.split()).lower().strip("《》<>\"'“”")


#: joins an entity's name keys into one searchable string (the SQLite store's ``forms`` column, the
#: in-memory backend's search rows): a whitespace character, so no name key holds it
FORM_SEPARATOR = "\x1f"


def name_keys(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """The distinct name keys of a name and its aliases, the name's first.

    >>> name_keys("浙江大学", ["浙大", "浙 大", "ZJU"])
    ('浙江大学', '浙大', 'zju')
    """
    return tuple(dict.fromkeys(name_key(form) for form in (name, *aliases)))


def clean_name(name: str) -> str:
    """A display name: NFKC-folded brackets, no spaces between CJK characters, no typographic quotes.

    >>> clean_name("潘 扬")
    '潘扬'
    >>> clean_name("钱塘（新）区")
    '钱塘(新)区'

    Typographic quotes stay where they mark a part of the name, as the name is written (the
    gold and the official forms keep them); quotes around the whole name or left unpaired go.

    >>> clean_name("“众创空间”计划")
    '“众创空间”计划'
    >>> clean_name("《浙江省科技创新发展“十四五”规划》")
    '《浙江省科技创新发展“十四五”规划》'
    >>> clean_name("“云创稼谷”"), clean_name("众创空间”计划"), clean_name('"Bolt" Labs')
    ('云创稼谷', '众创空间计划', 'Bolt Labs')
    >>> clean_name("Bolt Labs")
    'Bolt Labs'
    """
    text = _inner_quotes_only(fold(name).strip().replace('"', ""))
    out = []
    for i, ch in enumerate(text):
        if ch.isspace():
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            # a space matters only between two Latin letters or digits (Bolt Labs)
            if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


_QUOTE_PAIRS = {"“": "”", "‘": "’"}
_QUOTES = "“”‘’"


def _inner_quotes_only(text: str) -> str:
    """Drop quotes around the whole text and unpaired ones; keep balanced pairs inside it."""
    while len(text) >= 2 and text[0] in _QUOTE_PAIRS and text[-1] == _QUOTE_PAIRS[text[0]] \
            and not any(c in _QUOTES for c in text[1:-1]):
        text = text[1:-1].strip()
    keep: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch in _QUOTE_PAIRS:
            opened.append(i)
        elif ch in _QUOTES and opened and _QUOTE_PAIRS[text[opened[-1]]] == ch:
            keep.update((opened.pop(), i))
    return "".join(ch for i, ch in enumerate(text) if ch not in _QUOTES or i in keep)


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK unified ideograph.

    >>> is_cjk("杭"), is_cjk("A")
    (True, False)
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if is_cjk(ch))


def char_class(ch: str) -> str:
    """The kind of a character, for features: C (CJK), D (digit), L (Latin), S (space), P (other).

    >>> [char_class(c) for c in "杭3a ,"] + [char_class("")]
    ['C', 'D', 'L', 'S', 'P', 'edge']
    """
    if not ch:
        return "edge"
    if is_cjk(ch):
        return "C"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    return "P"
