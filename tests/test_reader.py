"""Specification of the reader: decoding, issue structure, bylines, gold texts, bad inputs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from innograph.errors import InputError
from innograph.extract.encoding import decode
from innograph.extract.reader import read_path, read_text
from innograph.models import ArticleKind, Author, Document

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "hzkj-2024-06.txt"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"

ARTICLE, INDEX = ArticleKind.article, ArticleKind.index

# doc_id suffix, title as printed, kind, TOC section, TOC page
SAMPLE_ITEMS = [
    ("a01", "加快建设创新浙江因地制宜发展新质生产力 动员部署会暨全省科学技术奖励大会召开", ARTICLE, "科技动态", 3),
    ("a02", "杭州 237 项科技成果 获 2023 年度浙江省科学技术奖", ARTICLE, "科技动态", 5),
    ("a03", "第十三届中国创新创业大赛颠覆性技术创新大赛总决赛在杭州开幕", ARTICLE, "科技动态", 6),
    ("a04", "杭州实现科技成果转移转化首选地建设的跨越式发展", ARTICLE, "热点聚焦", 9),
    ("a05", "加速打造具有国际竞争力的区域性科技创新高地", ARTICLE, "热点聚焦", 12),
    ("a06", "建设科技成果转移转化首选地、 加快形成新质生产力的杭州经验", ARTICLE, "热点聚焦", 15),
    ("a07", "提升杭州国家自主创新示范区发展能级的思路和建议", ARTICLE, "热点聚焦", 18),
    ("a08", "加快形成新质生产力的杭州创新体系研究及对策建议", ARTICLE, "热点聚焦", 23),
    ("a09", "杭州市科技成果转化指数研究", ARTICLE, "发展调研", 28),
    ("a10", "职务科技成果资产管理的演进与思考", ARTICLE, "发展调研", 34),
    ("a11", "教育、科技、人才一体化背景下 技术经理人队伍建设路径研究", ARTICLE, "发展调研", 39),
    ("a12", "基于“双高”优势资源对接的 成果转化策略研究", ARTICLE, "发展调研", 44),
    ("a13", "助推杭州医药港高质量发展的对策建议", ARTICLE, "发展调研", 48),
    ("a14", "综合性国家科学中心的建设经验 及对杭州的启示", ARTICLE, "杭州研究", 51),
    ("a15", "在杭外国人才的创新创业生态现状调查", ARTICLE, "杭州研究", 58),
    ("a16", "《杭州科技》2024年总目次", INDEX, None, None),
]
SAMPLE_TITLES = [title for _, title, *_ in SAMPLE_ITEMS]


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text: str) -> Document:
    return read_path(SAMPLE)


def gold_articles() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def texts_by_id(doc: Document) -> dict[str, str]:
    return {article.doc_id: article.text for article in doc.articles}


# --- issue structure -------------------------------------------------------------------------


def test_sample_items_titles_kinds_sections_pages_in_order(sample: Document) -> None:
    got = [(a.doc_id, a.title, a.kind, a.section, a.page) for a in sample.articles]
    want = [(f"hzkj-2024-06-{suffix}", title, kind, section, page) for suffix, title, kind, section, page in SAMPLE_ITEMS]
    assert got == want


def test_issue_metadata(sample: Document) -> None:
    issue = sample.issue
    assert issue is not None
    assert (issue.key, issue.journal, issue.year, issue.volume, issue.number, issue.total_number) == (
        "hzkj-2024-06", "杭州科技", 2024, "第55卷", "第6期", "总第270期",
    )
    assert (issue.date, issue.issn, issue.cn) == ("2024年12月", "1004-2652", "33-1152/N")
    assert all(article.issue_key == "hzkj-2024-06" for article in sample.articles)
    assert sample.source == str(SAMPLE)


def test_toc_spans_both_parts_with_sections_and_authors(sample: Document) -> None:
    toc = sample.issue.toc
    assert [entry.page for entry in toc] == [3, 5, 6, 9, 12, 15, 18, 23, 28, 34, 39, 44, 48, 51, 58, None]
    assert [entry.section for entry in toc[:3]] == ["科技动态"] * 3
    assert {entry.section for entry in toc[8:13]} == {"发展调研"}
    assert {entry.section for entry in toc[13:15]} == {"杭州研究"}
    by_page = {entry.page: entry for entry in toc}
    assert by_page[9].authors == ("傅凌波",)  # author on the next line
    assert by_page[18].authors == ("潘扬",)  # a two-character name printed with a space
    assert by_page[23].authors == ("金旭东", "龚勤")
    assert by_page[51].authors == ("金鑫", "戴彬")  # after a blank line
    assert by_page[44].title == "基于“双高”优势资源对接的成果转化策略研究——以湖南为例"
    assert by_page[44].authors == ("倪家栖", "廖婷", "谭力铭", "雷筱娱")  # on the same line
    assert by_page[48].authors == ()
    assert (toc[-1].title, toc[-1].page) == ("总目次", None)


def test_unknown_journal_gets_issn_slug(sample_text: str) -> None:
    doc = read_text(sample_text.replace("杭州科技", "某地科技"), "other.txt")
    assert doc.issue.key == "issn1004-2652-2024-06"
    assert doc.articles[0].doc_id == "issn1004-2652-2024-06-a01"


def test_title_printed_over_two_lines_is_joined_with_a_space(sample_text: str) -> None:
    two_lines = sample_text.replace(
        "加快建设创新浙江因地制宜发展新质生产力 动员部署会", "加快建设创新浙江因地制宜发展新质生产力\n动员部署会", 1
    )
    # the TOC keeps its own line; only the body title is split
    assert two_lines.count("发展新质生产力\n动员部署会") == 1
    doc = read_text(two_lines, "x.txt")
    assert doc.articles[0].title == SAMPLE_TITLES[0]
    assert doc.articles[0].text.startswith("加快建设创新浙江因地制宜发展新质生产力\n动员部署会")


def test_article_missing_from_the_toc_is_found_after_a_closing_mark(sample: Document, sample_text: str) -> None:
    toc_line = "- 05 | 杭州237项科技成果获2023年度浙江省科学技术奖\n"
    assert toc_line in sample_text
    doc = read_text(sample_text.replace(toc_line, ""), "x.txt")
    assert [a.title for a in doc.articles] == SAMPLE_TITLES
    second = doc.articles[1]
    assert (second.section, second.page) == (None, None)
    assert second.text == sample.articles[1].text


def test_every_text_is_its_source_slice_without_masthead_or_toc(sample: Document, sample_text: str) -> None:
    for article in sample.articles:
        assert sample_text[article.source_start : article.source_start + len(article.text)] == article.text
        assert "编辑委员会" not in article.text and "目 录" not in article.text
    starts = [article.source_start for article in sample.articles]
    assert starts == sorted(starts)


def test_articles_end_at_closing_mark_or_before_references(sample: Document) -> None:
    for article in sample.articles[:13]:
        assert article.text.endswith("■") and article.text.count("■") == 1
        assert article.references == ()
    paper, survey = sample.articles[13], sample.articles[14]
    assert paper.text.endswith("打通生态圈内循环与外部大循环。")
    assert survey.text.endswith("满足外国人才及其家庭的多元化需求。")
    assert "参考文献" not in paper.text and "参考文献" not in survey.text
    assert len(paper.references) == 7 and len(survey.references) == 5
    assert paper.references[0] == "李志遂. 基于综合性国家科学中心的创新生态系统建设研究[D]. 中国科学院大学, 2021."
    assert survey.references[-1].startswith("周小林,迟婧茹,宋雨奇,等.")


def test_annual_index_entries(sample: Document) -> None:
    index = sample.articles[-1]
    assert index.kind is ArticleKind.index
    assert index.text.startswith("《杭州科技》2024年总目次\n\n第1期(NO.1/总第265期)")
    assert index.text.endswith("第6期(NO.6/总第270期) 详见本期目录")  # back-cover adverts left out
    entries = index.index_entries
    assert len(entries) == 86
    first = entries[0]
    assert (first.issue_number, first.section, first.page, first.title) == (
        "第1期", "科技动态", 3, "杭州市科技成果转化首选地专家咨询委员会全体会议召开",
    )
    last = entries[-1]
    assert (last.issue_number, last.section, last.page, last.title) == (
        "第5期", "发展调研", 61, "国内外创新型城市科技创新主要做法及启示",
    )
    assert {entry.issue_number for entry in entries} == {f"第{n}期" for n in range(1, 6)}


# --- authors ---------------------------------------------------------------------------------

HZ_INFO = "杭州市科技信息研究院"
GROUP = "杭州市科技信息研究院、杭州职业技术学院课题组"


@pytest.mark.parametrize(
    ("suffix", "authors"),
    [
        ("a01", []),
        ("a03", [Author(name="赵丽", role="本刊记者"), Author(name="胡珂", role="通讯员")]),
        ("a04", [Author(name="傅凌波", role="本刊特约记者")]),
        ("a06", [Author(name=n, affiliation="中国计量大学") for n in ("王嘉珏", "黄清莹", "王之桓")]),
        ("a07", [Author(name="潘扬", affiliation=HZ_INFO)]),
        ("a08", [Author(name="金旭东", affiliation=HZ_INFO), Author(name="龚勤", affiliation=HZ_INFO)]),
        ("a11", [Author(name="韩巧燕", affiliation="杭州国际城市学研究中心")]),
        (
            "a12",
            [Author(name=n, affiliation="湖南省科学技术信息研究所") for n in ("倪家栖", "廖婷", "谭力铭", "雷筱娱")],
        ),
        (
            "a13",
            [
                Author(name=GROUP, role="课题组", affiliation=HZ_INFO),
                Author(name=GROUP, role="课题组", affiliation="杭州职业技术学院"),
                Author(name="吴尚瑾", role="课题组成员", affiliation=HZ_INFO),
                Author(name="曾巧灵", role="课题组成员", affiliation="杭州职业技术学院"),
                Author(name="王世锋", role="课题组成员", affiliation="杭州职业技术学院"),
            ],
        ),
        (
            "a14",
            [
                Author(name="金鑫", role="高级工程师", affiliation="杭州市北京航空航天大学国际创新研究院"),
                Author(name="戴彬", role="副研究员", affiliation="杭州市北京航空航天大学国际创新研究院"),
            ],
        ),
        (
            "a15",
            [
                Author(name="王淑翠", role="教授", affiliation="杭州师范大学阿里巴巴商学院"),
                Author(name="林晓慧", role="硕士研究生在读", affiliation="杭州师范大学阿里巴巴商学院"),
                Author(name="欧荣", role="院长", affiliation="杭州师范大学国际教育学院"),
            ],
        ),
        ("a16", []),
    ],
)
def test_authors_of_article(sample: Document, suffix: str, authors: list[Author]) -> None:
    assert list(sample.article(f"hzkj-2024-06-{suffix}").authors) == authors


# --- gold ------------------------------------------------------------------------------------


@pytest.mark.parametrize("gold", gold_articles(), ids=lambda gold: gold["doc_id"])
def test_gold_article_text_title_and_doc_id(sample: Document, sample_text: str, gold: dict) -> None:
    article = sample.article(gold["doc_id"])
    assert article.text == gold["text"]
    assert article.title == gold["title"]
    assert sample_text[article.source_start :].startswith(gold["text"])


def test_gold_doc_ids_are_the_expected_six() -> None:
    assert [gold["doc_id"][-3:] for gold in gold_articles()] == ["a01", "a03", "a04", "a07", "a11", "a13"]


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
        pytest.param(lambda text: b"\xff\xfe" + text.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda text: b"\xfe\xff" + text.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda text: text.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(lambda text: text.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="utf-8-crlf"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("gb18030"), id="gb18030-crlf"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-16"), id="utf-16-crlf"),
    ],
)
def test_sample_in_other_encodings_reads_the_same(tmp_path: Path, sample: Document, sample_text: str, encode) -> None:
    path = tmp_path / "hzkj-2024-06.txt"
    path.write_bytes(encode(sample_text))
    assert decode(path.read_bytes(), str(path)) == sample_text
    doc = read_path(path)
    assert [a.title for a in doc.articles] == SAMPLE_TITLES
    assert texts_by_id(doc) == texts_by_id(sample)
    assert [a.source_start for a in doc.articles] == [a.source_start for a in sample.articles]


def test_gbk_slice_reads_the_same(tmp_path: Path, sample: Document, sample_text: str) -> None:
    # GBK lacks a few symbols of the sample (❖ ✦ ¹); the part before article a07 has none
    gbk_part = sample_text[: sample.article("hzkj-2024-06-a07").source_start]
    path = tmp_path / "part.txt"
    path.write_bytes(gbk_part.encode("gbk"))
    doc = read_path(path)
    assert [a.title for a in doc.articles] == SAMPLE_TITLES[:6]
    assert [a.text for a in doc.articles] == [a.text for a in sample.articles[:6]]


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


# The ideographs Chinese text is made of (GB2312): a text of only rare ones read as GB18030 is
# what another encoding's bytes decode to, and is refused (test_mojibake_is_refused).
CJK = st.sampled_from([chr(c) for c in range(0x4E00, 0x9FA6) if _common(chr(c))])
ASCII_TEXT = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\n\t，。、“”：")


@settings(max_examples=200, deadline=None)
@given(
    head=st.text(alphabet=ASCII_TEXT | CJK, max_size=40),
    chinese=st.text(alphabet=CJK, min_size=1, max_size=10),
    tail=st.text(alphabet=ASCII_TEXT | CJK, max_size=40),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"]),
)
def test_decode_round_trips(head: str, chinese: str, tail: str, encoding: str) -> None:
    text = head + chinese + tail
    assume(text.strip())
    data = text.encode(encoding)
    if encoding in ("gb18030", "gbk"):
        # a short GB18030 text can also be valid UTF-8 with Chinese in it; UTF-8 wins then
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    assert decode(data, "x.txt") == text


@settings(max_examples=200, deadline=None)
@given(
    head=st.text(alphabet=ASCII_TEXT | CJK, max_size=40),
    chinese=st.text(alphabet=CJK, min_size=1, max_size=10),
    tail=st.text(alphabet=ASCII_TEXT | CJK, max_size=40),
    encoding=st.sampled_from(["utf-16-le", "utf-16-be"]),
)
def test_decode_recognises_bomless_utf16_text_with_lines(head: str, chinese: str, tail: str, encoding: str) -> None:
    # without a BOM, UTF-16 is told by the NUL bytes of ASCII characters; a text file has newlines
    text = head + chinese + "\n" + tail
    assert decode(text.encode(encoding), "x.txt") == text


@settings(max_examples=50, deadline=None)
@given(text=st.text(alphabet=ASCII_TEXT | CJK, min_size=1, max_size=60))
def test_decode_turns_crlf_into_lf(text: str) -> None:
    assume(any("\u4e00" <= ch <= "\u9fa5" for ch in text))
    assert decode(text.replace("\n", "\r\n").encode("utf-8"), "x.txt") == text


# --- bad inputs ------------------------------------------------------------------------------


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.txt"


def _directory(tmp_path: Path) -> Path:
    return tmp_path


def _write(name: str, data: bytes):
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_missing, "no such file: {path} (give the path of a magazine issue or article text file)"),
        (_directory, "{path} is a directory: give a text file"),
        (_write("empty.txt", b""), "{path} is empty: give a UTF-8, GB18030 or UTF-16 text file with Chinese text"),
        (_write("blank.txt", b" \n\r\n\t\n"), "{path} is empty: give a UTF-8, GB18030 or UTF-16 text file with Chinese text"),
        (
            _write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))),
            "{path} looks binary, not text: give a UTF-8, GB18030 or UTF-16 text file",
        ),
        (
            _write("noise.bin", bytes(range(128, 256)) * 4),
            "{path} looks binary, not text: give a UTF-8, GB18030 or UTF-16 text file",
        ),
        (
            _write("controls.txt", "杭州".encode() + b"\x01\x02\x03\x04\x05\x06"),
            "{path} looks binary, not text: give a UTF-8, GB18030 or UTF-16 text file",
        ),
        (_write("english.txt", b"Hangzhou Science & Technology\n2024\n"), "{path} has no Chinese text: innograph reads Chinese articles"),
    ],
    ids=["missing", "directory", "empty", "blank", "png", "noise", "controls", "no-chinese"],
)
def test_bad_input_message(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert str(caught.value) == message.format(path=path)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


# --- single-article mode ---------------------------------------------------------------------


def test_single_article_file_is_detected(tmp_path: Path) -> None:
    gold = next(g for g in gold_articles() if g["doc_id"].endswith("a13"))
    path = tmp_path / "medicine-port.txt"
    path.write_text(gold["text"] + "\n", encoding="utf-8")
    doc = read_path(path)
    assert doc.issue is None
    (article,) = doc.articles
    assert (article.doc_id, article.title, article.text, article.source_start) == (
        "medicine-port", gold["title"], gold["text"], 0,
    )
    assert article.issue_key is None
    assert [(a.name, a.role) for a in article.authors][:2] == [(GROUP, "课题组"), (GROUP, "课题组")]
    assert {a.name for a in article.authors} >= {"吴尚瑾", "曾巧灵", "王世锋"}


def test_single_article_with_subtitle_and_given_doc_id() -> None:
    gold = next(g for g in gold_articles() if g["doc_id"].endswith("a11"))
    doc = read_text("\n\n" + gold["text"], "whatever.txt", doc_id="my-article")
    (article,) = doc.articles
    assert (article.doc_id, article.title, article.text, article.source_start) == (
        "my-article", gold["title"], gold["text"], 2,
    )
    assert article.authors == (Author(name="韩巧燕", affiliation="杭州国际城市学研究中心"),)


def test_single_article_splits_off_trailing_references() -> None:
    text = "一篇论文\n\n王淑翠, 欧 荣\n\n(杭州师范大学, 浙江 杭州 311121)\n\n正文。\n\n参考文献\n\n- [1] 甲. 乙[J]. 2023.\n- [2] 丙. 丁[N]. 2024.\n"
    (article,) = read_text(text, "paper.txt").articles
    assert article.text == "一篇论文\n\n王淑翠, 欧 荣\n\n(杭州师范大学, 浙江 杭州 311121)\n\n正文。"
    assert article.references == ("甲. 乙[J]. 2023.", "丙. 丁[N]. 2024.")
    assert article.authors == (
        Author(name="王淑翠", affiliation="杭州师范大学"),
        Author(name="欧荣", affiliation="杭州师范大学"),
    )


def test_force_article_reads_an_issue_as_one_article(tmp_path: Path, sample_text: str) -> None:
    doc = read_path(SAMPLE, force_article=True)
    assert doc.issue is None
    (article,) = doc.articles
    assert article.doc_id == "hzkj-2024-06"
    assert article.title == "杭州科技"
    assert article.text == sample_text.strip()
    assert article.source_start == sample_text.index("杭州科技")


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("文/张三 李四", [("张三", None, None), ("李四", None, None)]),
        ("作者：王五（浙江大学）", [("王五", "浙江大学", None)]),
        ("■ 记者 赵六 通讯员 钱七", [("赵六", None, "记者"), ("钱七", None, "通讯员")]),
        ("本报记者 孙八", [("孙八", None, "本报记者")]),
    ],
)
def test_bylines_of_other_publications(byline: str, expected: list[tuple]) -> None:
    doc = read_text(f"宁波打造创新高地\n\n{byline}\n\n宁波材料实验室与宁波大学合作。■\n", "other.txt")
    assert [(a.name, a.affiliation, a.role) for a in doc.articles[0].authors] == expected


JAPANESE = "東京大学の研究チームは、新しい人工知能の技術を開発したと発表しました。" * 30


@pytest.mark.parametrize("data", [
    JAPANESE.encode("shift_jis"),                                    # Shift-JIS read as GB18030: rare ideographs
    ("This is an English report about research. " * 20 + "杭州").encode("utf-8"),  # mostly not Chinese
])
def test_mojibake_and_mostly_non_chinese_text_is_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "x.txt")
    assert str(info.value) == ("x.txt does not decode to readable Chinese (mostly rare or non-Chinese characters: "
                               "another encoding?): save it as UTF-8 or GB18030")
