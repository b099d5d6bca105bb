"""Turn the bytes of an input file into text, or say clearly why they are not text.

Supported: UTF-8 (with or without BOM), UTF-16 (with a BOM, or little/big endian without one,
recognised by its NUL bytes, so it needs some ASCII such as line breaks), GB18030 and its subset
GBK. Bytes that are valid UTF-8 and hold Chinese are read as UTF-8, even if they happen to be
valid GB18030 too.

Line endings are normalised at decode time: CRLF and lone CR become LF. Every offset the
reader reports (``Article.source_start``) is therefore an offset into the LF text that
:func:`decode` returns, not into the raw bytes.

>>> decode("杭州科技\\r\\n第6期".encode("gb18030"), "issue.txt")
'杭州科技\\n第6期'
>>> decode(b"\\xef\\xbb\\xbf\\xe6\\x9d\\xad\\xe5\\xb7\\x9e", "a.txt")
'杭州'
>>> decode("杭州 2024\\n".encode("utf-16-le"), "a.txt")
'杭州 2024\\n'
>>> decode(b"", "a.txt")
Traceback (most recent call last):
...
innograph.errors.InputError: a.txt is empty: give a UTF-8, GB18030 or UTF-16 text file with Chinese text
"""
from __future__ import annotations

import codecs

from innograph.errors import InputError
from innograph.text import cjk_count

# A text file may hold a few control characters (form feeds, stray escapes); a binary file
# decoded by accident holds many. Above this share of characters we call it binary.
_MAX_CONTROL_SHARE = 0.01
# Whitespace control characters that text files legitimately contain.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_TEXT_CONTROL_CODES = frozenset(ord(ch) for ch in _TEXT_CONTROLS)
# Characters Chinese text files are made of: ASCII, Latin-1 (¹ ·), general punctuation (“” —),
# arrows, shapes and dingbats (↑ ■ ❖ ✦), CJK punctuation, CJK ideographs, full-width forms.
# CJK extension A is left out on purpose: it is rare in real text, but it is what ASCII
# letters turn into when UTF-16 is read with the wrong byte order.
_PLAUSIBLE_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2010, 0x205E),
    (0x2100, 0x27BF),
    (0x3000, 0x303F),
    (0x4E00, 0x9FFF),
    (0xFF00, 0xFFEF),
)
# BOM-less UTF-16 is accepted only if most of its characters are plausible.
_MIN_PLAUSIBLE_SHARE = 0.8


# Text read as GB18030 is mainland text: nearly all its ideographs are in GB2312's common set.
# Other bytes read as GB18030 (Shift-JIS, say) decode without error into rare ideographs.
_MIN_COMMON_SHARE_GB = 0.6
# Below this share of Chinese characters among the non-blank ones a text is not a Chinese article
# (mojibake, a wrong encoding, another language); only judged on texts long enough to tell.
_MIN_CJK_SHARE = 0.05
_MIN_CHARACTERS_TO_JUDGE = 200
_MIN_IDEOGRAPHS_TO_JUDGE = 20


def garbled_message(source: str) -> str:
    return (f"{source} does not decode to readable Chinese (mostly rare or non-Chinese characters: "
            "another encoding?): save it as UTF-8 or GB18030")


def _common_share(text: str) -> tuple[int, float]:
    """How many CJK ideographs ``text`` has, and the share of them in GB2312 (common simplified)."""
    ideographs = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    common = 0
    for ch in ideographs:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return len(ideographs), common / max(len(ideographs), 1)


def _garbled(text: str, read_as_gb: bool) -> bool:
    """Whether a decoded text is mojibake or mostly not Chinese (see the thresholds above)."""
    characters = sum(1 for ch in text if not ch.isspace())
    if characters >= _MIN_CHARACTERS_TO_JUDGE and cjk_count(text) < _MIN_CJK_SHARE * characters:
        return True
    if read_as_gb:
        ideographs, share = _common_share(text)
        return ideographs >= _MIN_IDEOGRAPHS_TO_JUDGE and share < _MIN_COMMON_SHARE_GB
    return False


def empty_message(source: str) -> str:
    return f"{source} is empty: give a UTF-8, GB18030 or UTF-16 text file with Chinese text"


def binary_message(source: str) -> str:
    return f"{source} looks binary, not text: give a UTF-8, GB18030 or UTF-16 text file"


def no_chinese_message(source: str) -> str:
    return f"{source} has no Chinese text: innograph reads Chinese articles"


def decode(data: bytes, source: str) -> str:
    """The text of ``data`` with LF line endings; ``source`` names the input in error messages.

    Raises :class:`~innograph.errors.InputError` for empty input, binary data and text without
    any Chinese character.
    """
    if not data.strip():
        raise InputError(empty_message(source))
    text = _decode_bytes(data, source)
    text = normalise_newlines(text)
    if _looks_binary(text):
        raise InputError(binary_message(source))
    if not text.strip():
        raise InputError(empty_message(source))
    if cjk_count(text) == 0:
        raise InputError(no_chinese_message(source))
    if _garbled(text, read_as_gb=_strict(data, "utf-8") is None and _decode_by_bom(data) is None and b"\x00" not in data):
        raise InputError(garbled_message(source))
    return text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF.

    >>> normalise_newlines("a\\r\\nb\\rc\\n")
    'a\\nb\\nc\\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(data: bytes, source: str) -> str:
    by_bom = _decode_by_bom(data)
    if by_bom is not None:
        return by_bom
    if b"\x00" in data:
        utf16 = _decode_bomless_utf16(data)
        if utf16 is None:
            raise InputError(binary_message(source))
        return utf16
    text = _decode_utf8_or_gb(data)
    if text is None:
        raise InputError(binary_message(source))
    return text


def _decode_by_bom(data: bytes) -> str | None:
    boms = (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding)
    return None


def _decode_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, or None if ``data`` does not read as UTF-16 text.

    Such a file is recognised by its NUL bytes: every ASCII character (newline, digit, space)
    has a NUL high byte. Of the little- and big-endian readings we keep the one with more
    plausible characters (the wrong one turns a newline into U+0A00), then the one whose NULs
    fall where that byte order puts ASCII high bytes (odd offsets for LE, even for BE).
    """
    if len(data) % 2:
        return None
    nul_at_even = data[0::2].count(0)
    nul_at_odd = data[1::2].count(0)
    readings = []
    for encoding, nuls_agree in (("utf-16-le", nul_at_odd >= nul_at_even), ("utf-16-be", nul_at_even >= nul_at_odd)):
        text = _strict(data, encoding)
        if text is not None:
            readings.append((_plausible_share(text), nuls_agree, text))
    if not readings:
        return None
    share, _, text = max(readings, key=lambda reading: reading[:2])
    return text if share >= _MIN_PLAUSIBLE_SHARE else None


def _plausible_share(text: str) -> float:
    """The share of characters that Chinese text files are made of."""
    return sum(1 for ch in text if _is_plausible(ord(ch))) / max(len(text), 1)


def _is_plausible(code: int) -> bool:
    return code in _TEXT_CONTROL_CODES or any(low <= code <= high for low, high in _PLAUSIBLE_RANGES)


def _decode_utf8_or_gb(data: bytes) -> str | None:
    """UTF-8 first: valid UTF-8 is very unlikely to be anything else. A short GB18030 text can
    be valid UTF-8 by accident, though, so UTF-8 that yields no Chinese loses to a GB18030
    reading that does."""
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and cjk_count(utf8):
        return utf8
    # GBK is a subset of GB18030; the gbk codec still reads the few bytes GB18030 rejects (0x80).
    gb = _strict(data, "gb18030") or _strict(data, "gbk")
    if gb is not None and cjk_count(gb):
        return gb
    return utf8 if utf8 is not None else gb


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ord(ch) < 0x20 and ch not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(text)
