"""Fuzzing the reader and the extractor: whatever bytes a file holds, the library answers with a
result or an InnographError (one line, in domain words), never another exception.

Inputs are built from the pieces the reader looks for (issue headers, tables of contents with
page numbers, titles, bylines, closing marks, reference headings, brackets) mixed with random
text, in every encoding the reader accepts and as random bytes. The budget is bounded:
``INNOGRAPH_FUZZ_EXAMPLES`` (default 1,500 reader inputs and 300 full extractions per run).
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innograph import api
from innograph.errors import InnographError
from innograph.extract.reader import read_path

READER_EXAMPLES = int(os.environ.get("INNOGRAPH_FUZZ_EXAMPLES", "1500"))
EXTRACT_EXAMPLES = max(READER_EXAMPLES // 5, 1)

PIECES = st.sampled_from([
    "杭州科技", "2024年第6期", "第55卷", "总第270期", "ISSN 1004-2652", "目 录", "目次", "热点聚焦",
    "8|标", "3|甲", "12 ", "|", "参考文献", "参考文献：", "[", "]", "[1]", "- [2] ", "■", "■ ", "□", "◆",
    "本刊记者", "通讯员", "作者简介：", "文/", "图/", "(", ")", "（", "）", "《", "》", "“", "”", "、", "，", "。",
    "之江实验室", "浙江大学", "余杭区环之江实验室创新生态圈", "杭州市科学技术局", "市科技局局长楼秀华",
    "与", "合作", "共建", "位于", "依托", "孵化出", "主办", "承办", "(以下简称“", "”)", "总目次", "第1期",
    "\n", "\n\n", "\t", " ", "\u3000", "\r\n", "\ufeff", "\x0c", "Bolt Labs", "MIT", "2024", "12",
])
LINE = st.lists(PIECES | st.text(max_size=6), max_size=4).map("".join)
TEXT = st.lists(LINE, max_size=24).map("\n".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


DATA = st.one_of(st.builds(_encode, TEXT, ENCODINGS), st.binary(max_size=300))


def _check(run) -> None:
    try:
        run()
    except InnographError as err:
        message = str(err)
        assert message and "\n" not in message, message


@settings(max_examples=READER_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=DATA, article=st.booleans())
def test_the_reader_never_crashes(tmp_path_factory, data: bytes, article: bool) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "issue.txt"
    path.write_bytes(data)
    _check(lambda: read_path(path, force_article=article))


@settings(max_examples=EXTRACT_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=DATA, article=st.booleans())
def test_the_extractor_never_crashes(tmp_path_factory, data: bytes, article: bool) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "issue.txt"
    path.write_bytes(data)
    _check(lambda: api.extract_path(path, force_article=article))


def test_the_minimal_body_end_case_is_an_article_without_a_body(tmp_path) -> None:
    path = tmp_path / "r1.txt"
    path.write_text("8|标\n3|甲\n参考文献\n[\n参考文献", encoding="utf-8")
    result = api.extract_path(path)
    assert [a.text for a in result.document.articles] == [""]
