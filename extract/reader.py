"""Read an input file into a :class:`~innograph.models.Document`.

Two kinds of input:

* **An issue** of a magazine: a masthead, a table of contents (目录) whose entries look like
  ``- 03 | 标题`` or ``28 | 标题 作者``, then the articles, maybe an annual index (总目次).
  Each body article becomes an :class:`Article` with ``doc_id`` = issue key + ``-aNN`` in body
  order; the annual index is the last kind of item, ``kind=ArticleKind.index``.
* **One article** (no table of contents, or ``force_article=True``): the whole text (without
  surrounding blank space) is one :class:`Article`, its title the first non-empty line, its
  ``doc_id`` the one given or the file stem. A reference list at the very end is split off.

In an issue, ``Article.text`` runs from the title line to the closing ``■`` (inclusive); without
a ``■`` it stops before a 参考文献 heading or at the last non-empty line before the next item.
References go to ``Article.references``, one string per entry without bullet and number. ``text == decoded[source_start:source_start + len(text)]`` always holds,
where ``decoded`` is the LF-normalised text (see :mod:`innograph.extract.encoding`).

Titles: a title printed over two lines is joined with one space; a subtitle (from ``——``) is
not part of the title; markdown emphasis (``**``) is dropped and runs of spaces are collapsed.

Authors come from bylines (``□ 文 / 本刊记者 赵丽 通讯员 胡珂``, ``□ 文 / 潘 扬 单位``), from the
author line and numbered affiliations of a research paper (``金鑫¹, 戴彬^{1,2}``), from
作者简介 (which add a stated unit as affiliation and a title as role) and from 课题组成员.
A group byline (``□ 文 / 单位甲、单位乙课题组``) gives one :class:`Author` per unit, each named
with the group as printed, ``role="课题组"`` and that unit as ``affiliation``.

>>> doc = read_text("标题一则\\n\\n□ 文 / 本刊记者 赵丽\\n\\n正文。■\\n", "note.txt")
>>> doc.articles[0].doc_id, doc.articles[0].title, doc.articles[0].text[-4:]
('note', '标题一则', '正文。■')
>>> doc.articles[0].authors[0].name, doc.articles[0].authors[0].role
('赵丽', '本刊记者')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from innograph.errors import InputError
from innograph.extract.encoding import decode, empty_message, normalise_newlines
from innograph.extract.formats import document_text
from innograph.models import Article, ArticleKind, Author, Document, Issue, TocEntry
from innograph.text import clean_name, fold, is_cjk

# Short slugs for journals we know; others get an ISSN-based slug (see issue_key).
JOURNAL_SLUGS = {"杭州科技": "hzkj"}

# Common single-character surnames, and compound ones. A token is read as a personal name
# only if it starts with one of these, which keeps section headings (杭州研究, 总目次) and
# title words out of author lists.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁"
    "胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰"
    "支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭"
)
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "澹台", "轩辕",
)

_TOC_HEADING = re.compile(r"^目\s*录$")
# "- 03 | 标题" (first part of the TOC) or "28 | 标题 作者" (second part).
_TOC_ENTRY = re.compile(r"^(?:[-•·]\s*)?(\d{1,3})\s*[|｜]\s*(\S.*)$")
# Annual index entries have no bar: "- 03 标题" or "25 《…》政策解读".
_INDEX_ENTRY = re.compile(r"^(?:[-•·]\s*)?(\d{1,3})(?:\s*[|｜]\s*|\s+)(\S.*)$")
_INDEX_HEADING = re.compile(r"(?:总目次|总目录|年度索引)$")
_INDEX_ISSUE = re.compile(r"^(第\s*\d+\s*期)\s*[(（]")
_REFERENCES_HEADING = re.compile(r"^参考文献\s*[:：]?$")
_REFERENCE_LABEL = re.compile(r"^(?:[-•*]\s*)?(?:\[\d+\]|［\d+］|\d+[.、])?\s*")
_NUMBERED_REFERENCE = re.compile(r"^(?:[-•*]\s*)?(?:\[\d+\]|［\d+］|\d+[.、])")
_CLOSING_MARK = "■"
_SUBTITLE_DASH = "——"

# 文/…, 作者：…, 撰文：…, and bylines that open with a role (本报记者 …, ■ 记者 … 通讯员 …)
_BYLINE = re.compile(
    r"^[□■◇◆]?\s*(?:(?:文|作者|撰文|文字)\s*[/／:：]\s*(\S.*)|((?:本报|本刊|新华社)?(?:特约)?记者\s*\S.*))$"
)
_ROLE_TOKEN = re.compile(r"^\S*(?:记者|通讯员|撰稿人|编辑|摄影)$")
_GROUP_SUFFIX = "课题组"
_AUTHOR_NOTE = re.compile(r"^作者简介\s*[:：]\s*(\S.*)$")
_GROUP_MEMBERS = re.compile(r"^课题组成员\s*[:：]\s*(\S.*)$")
_MEMBERS_OF_UNIT = re.compile(r"([^()（）]+)[(（]([^()（）]+)[)）]")
# Affiliation markers after a name in a research paper's author line: ¹, ^{1,2}, *.
_AFFILIATION_MARKERS = re.compile(r"\^\{([\d,，\s]+)\}|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\*")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_NUMBERED_UNIT = re.compile(r"^(\d+)\s*[.、．]\s*(\S.*)$")
# Words that end the name of a unit ("…研究院"). Used to cut 作者简介 fields such as
# 杭州师范大学阿里巴巴商学院教授 into a unit and a title.
_UNIT_SUFFIX = re.compile(
    r"(?:大学|学院|研究院|研究所|研究中心|中心|实验室|公司|集团|局|委员会|管委会|办公室|医院|学校|协会|学会|科技园)"
)
_NOTE_SKIPPED_FIELD = re.compile(
    r"^(?:男|女|汉族|.{1,8}人|博士|硕士|学士|本科|博士研究生|硕士研究生|研究方向.*|主要从事.*|从事.*|\d{4}.*)$"
)
# A byline is near the top of an article: within this many non-empty lines after the title.
_BYLINE_WINDOW = 6
_SECTION_HEADING_MAX = 8
_TITLE_MAX = 60


def read_path(path: Path, *, force_article: bool = False) -> Document:
    """Read one issue or article file. Raises :class:`InputError` if it is not usable text.

    >>> read_path(Path("no/such/file.txt"))
    Traceback (most recent call last):
    ...
    innograph.errors.InputError: no such file: no/such/file.txt (give the path of a magazine issue or article text file)
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path} (give the path of a magazine issue or article text file)")
    if path.is_dir():
        raise InputError(f"{path} is a directory: give a text file")
    if (text := document_text(path)) is not None:  # PDF, HTML, DOCX: innograph.extract.formats
        return read_text(text, str(path), force_article=force_article, doc_id=path.stem)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err} (check its permissions)") from err
    text = decode(data, str(path))
    return read_text(text, str(path), force_article=force_article, doc_id=path.stem)


def read_text(
    text: str, source: str, *, force_article: bool = False, doc_id: str | None = None
) -> Document:
    """Read decoded text. Line endings are normalised to LF first, so offsets are into LF text.

    ``doc_id`` names the article in single-article mode (default: the stem of ``source``);
    in issue mode the ``doc_id`` s come from the issue key.
    """
    lines = split_lines(normalise_newlines(text))
    if not force_article:
        issue_document = _read_issue(lines, source)
        if issue_document is not None:
            return issue_document
    return _read_single_article(lines, source, doc_id or Path(source).stem)


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    """One line of the decoded text, without its newline; ``start`` is its offset."""

    index: int
    start: int
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def end(self) -> int:
        """Offset just after the last non-space character."""
        return self.start + len(self.raw.rstrip())

    @property
    def content_start(self) -> int:
        return self.start + len(self.raw) - len(self.raw.lstrip())


@dataclass(frozen=True)
class Lines:
    source: str
    items: tuple[Line, ...]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Line:
        return self.items[index]

    def non_empty(self, start: int = 0, stop: int | None = None) -> list[Line]:
        return [line for line in self.items[start:stop] if line.text]

    def next_non_empty(self, after: int, stop: int | None = None) -> Line | None:
        for line in self.items[after + 1 : stop]:
            if line.text:
                return line
        return None


def split_lines(text: str) -> Lines:
    """The lines of ``text`` with their offsets.

    >>> [(line.start, line.raw) for line in split_lines("甲\\n\\n乙").items]
    [(0, '甲'), (2, ''), (3, '乙')]
    """
    items = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        items.append(Line(index, offset, raw))
        offset += len(raw) + 1
    return Lines(text, tuple(items))


# ---------------------------------------------------------------------------------------------
# Issue mode


@dataclass(frozen=True)
class _BodyItem:
    """Where one body item starts, and what the table of contents says about it."""

    title_lines: tuple[Line, ...]
    entry: TocEntry | None
    kind: ArticleKind = ArticleKind.article

    @property
    def start(self) -> int:
        return self.title_lines[0].index


def _read_issue(lines: Lines, source: str) -> Document | None:
    entry_indexes = [line.index for line in lines.items if _TOC_ENTRY.match(line.text)]
    if len(entry_indexes) < 2:
        return None
    toc_start = _toc_start(lines, entry_indexes[0])
    toc_end = _toc_end(lines, entry_indexes[-1])
    toc = parse_toc(lines.items[toc_start:toc_end])
    items = _find_body_items(lines, toc, toc_end)
    if not any(item.kind is ArticleKind.article for item in items):
        return None
    issue = parse_issue_metadata(lines.non_empty(0, items[0].start), toc, source)
    articles = tuple(
        _issue_article(lines, item, stop, f"{issue.key}-a{number:02d}", issue.key)
        for number, (item, stop) in enumerate(_with_stops(items, len(lines)), start=1)
    )
    return Document(source=source, issue=issue, articles=articles)


def _toc_start(lines: Lines, first_entry: int) -> int:
    for line in lines.items[:first_entry]:
        if _TOC_HEADING.match(line.text):
            return line.index
    return first_entry


def _toc_end(lines: Lines, last_entry: int) -> int:
    """The TOC ends after its last entry and any short lines that trail it (author names, a
    page-less item such as 总目次)."""
    end = last_entry + 1
    for line in lines.items[last_entry + 1 :]:
        if line.text and not (_is_section_heading(line.text) or parse_name_line(line.text)):
            break
        end = line.index + 1
    return end


def parse_toc(toc_lines: tuple[Line, ...] | list[Line]) -> tuple[TocEntry, ...]:
    """TOC entries with their section, page and authors (same line or the next line).

    A section heading that no entry follows becomes an entry of its own without a page
    (the sample lists 总目次 that way).

    >>> toc = parse_toc(split_lines("科技动态\\n- 03 | 标题甲\\n潘 扬\\n28 | 标题乙 王世锋\\n总目次").items)
    >>> [(e.section, e.page, e.title, e.authors) for e in toc]
    [('科技动态', 3, '标题甲', ('潘扬',)), ('科技动态', 28, '标题乙', ('王世锋',)), (None, None, '总目次', ())]
    """
    entries: list[TocEntry] = []
    section: str | None = None
    section_has_entries = False
    awaiting_authors = False
    for line in toc_lines:
        text = line.text
        if not text:
            continue
        match = _TOC_ENTRY.match(text)
        if match:
            title, authors = split_trailing_names(match.group(2))
            entries.append(TocEntry(section=section, page=int(match.group(1)), title=title, authors=authors))
            section_has_entries = True
            awaiting_authors = not authors
            continue
        names = parse_name_line(text)
        if names and awaiting_authors:
            entries[-1] = entries[-1].model_copy(update={"authors": names})
            awaiting_authors = False
            continue
        awaiting_authors = False
        if _is_section_heading(text):
            section, section_has_entries = text, False
    if section is not None and not section_has_entries and entries:
        entries.append(TocEntry(title=section))
    return tuple(entries)


def _is_section_heading(text: str) -> bool:
    return 2 <= len(text) <= _SECTION_HEADING_MAX and all(is_cjk(ch) for ch in text)


def _find_body_items(lines: Lines, toc: tuple[TocEntry, ...], body_start: int) -> list[_BodyItem]:
    """Body items in order: TOC titles found in the body, articles that follow a closing ■
    without being in the TOC, and the annual index."""
    index_line = _find_index_heading(lines, body_start)
    body_stop = index_line.index if index_line else len(lines)
    items: dict[int, _BodyItem] = {}
    cursor = body_start
    for entry in toc:
        title_lines = _find_title(lines, entry.title, cursor, body_stop)
        if title_lines:
            items[title_lines[0].index] = _BodyItem(title_lines, entry)
            cursor = title_lines[-1].index + 1
    for line in _lines_after_closing_marks(lines, body_start, body_stop):
        if line.index not in items and _looks_like_title(line.text):
            items[line.index] = _BodyItem((line,), None)
    if index_line is not None:
        entry = next((e for e in toc if _title_key(index_line.text).endswith(_title_key(e.title))), None)
        items[index_line.index] = _BodyItem((index_line,), entry, ArticleKind.index)
    return [items[start] for start in sorted(items)]


def _find_index_heading(lines: Lines, body_start: int) -> Line | None:
    for line in lines.items[body_start:]:
        text = line.text
        if len(text) <= _TITLE_MAX and _INDEX_HEADING.search(text):
            following = lines.next_non_empty(line.index)
            if following is not None and (_INDEX_ISSUE.match(following.text) or _INDEX_ENTRY.match(following.text)):
                return line
    return None


def _find_title(lines: Lines, toc_title: str, start: int, stop: int) -> tuple[Line, ...]:
    """The line (or two consecutive non-empty lines) whose text is ``toc_title``, ignoring
    spaces, width, markdown and subtitles."""
    target = _title_key(toc_title)
    if not target:
        return ()
    for line in lines.items[start:stop]:
        key = _title_key(line.text)
        if not key or line.text.startswith(_SUBTITLE_DASH):
            continue
        if key == target:
            return (line,)
        if len(key) >= 4 and target.startswith(key):
            following = lines.next_non_empty(line.index, stop)
            if following is not None and not following.text.startswith(_SUBTITLE_DASH):
                if _title_key(line.text + following.text) == target:
                    return (line, following)
    return ()


def _title_key(title: str) -> str:
    """What TOC and body titles are compared on.

    >>> _title_key("杭州 **237** 项科技成果 获 2023 年度") == _title_key("杭州237项科技成果获2023年度")
    True
    """
    main = fold(title).replace("*", "").split(_SUBTITLE_DASH)[0]
    return "".join(ch for ch in main if not ch.isspace())


def _lines_after_closing_marks(lines: Lines, start: int, stop: int) -> list[Line]:
    found = []
    for line in lines.items[start:stop]:
        if line.text.endswith(_CLOSING_MARK):
            following = lines.next_non_empty(line.index, stop)
            if following is not None:
                found.append(following)
    return found


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= _TITLE_MAX
        and not text.endswith(("。", "；", ";", "，", ",", "：", ":", _CLOSING_MARK))
        and not _REFERENCES_HEADING.match(text)
        and not _BYLINE.match(text)
        and any(is_cjk(ch) for ch in text)
    )


def _with_stops(items: list[_BodyItem], end: int) -> list[tuple[_BodyItem, int]]:
    stops = [item.start for item in items[1:]] + [end]
    return list(zip(items, stops))


def _issue_article(lines: Lines, item: _BodyItem, stop: int, doc_id: str, issue_key: str) -> Article:
    """The body item that starts at ``item`` and ends before ``lines[stop]``."""
    start = item.title_lines[0].content_start
    authors: tuple[Author, ...] = ()
    references: tuple[str, ...] = ()
    index_entries: tuple[TocEntry, ...] = ()
    if item.kind is ArticleKind.index:
        text_end, index_entries = _parse_index(lines, item.start, stop)
    else:
        text_end, references = _body_end(lines, item.start, stop)
        authors = parse_authors(lines.items[item.title_lines[-1].index + 1 : stop], text_end)
    return Article(
        doc_id=doc_id,
        issue_key=issue_key,
        title=clean_title(" ".join(line.text for line in item.title_lines)),
        section=item.entry.section if item.entry else None,
        page=item.entry.page if item.entry else None,
        kind=item.kind,
        authors=authors,
        text=lines.source[start:text_end],
        source_start=start,
        references=references,
        index_entries=index_entries,
    )


def _body_end(lines: Lines, start: int, stop: int) -> tuple[int, tuple[str, ...]]:
    """Where the article text ends (after the closing ■, else before 参考文献, else after its
    last line), and the reference entries."""
    region = lines.items[start:stop]
    heading = next((line for line in region if _REFERENCES_HEADING.match(line.text)), None)
    before_references = region[: heading.index - start] if heading else region
    closing = next((line for line in before_references if line.text.endswith(_CLOSING_MARK)), None)
    references = _references(region[heading.index - start + 1 :]) if heading else ()
    if closing is not None:
        return closing.end, references
    last = [line for line in before_references if line.text]
    if not last:  # nothing before the references heading: an article without a body
        return (heading.start if heading else region[0].start if region else lines[start].start), references
    return last[-1].end, references


def _references(lines: tuple[Line, ...]) -> tuple[str, ...]:
    """One string per reference, without its bullet and number.

    >>> _references(split_lines("- [1] 李志遂. 研究[D]. 2021.\\n\\n- [2] 王阳. 报道[N].").items)
    ('李志遂. 研究[D]. 2021.', '王阳. 报道[N].')
    """
    return tuple(_REFERENCE_LABEL.sub("", line.text, count=1) for line in lines if line.text)


def _parse_index(lines: Lines, start: int, stop: int) -> tuple[int, tuple[TocEntry, ...]]:
    """The entries of an annual index, and where it ends: at its last entry or issue line, so
    advertising that follows on the back pages stays out."""
    entries: list[TocEntry] = []
    issue_number: str | None = None
    section: str | None = None
    end = lines[start].end
    for line in lines.items[start + 1 : stop]:
        text = line.text
        if not text:
            continue
        issue_match = _INDEX_ISSUE.match(text)
        entry_match = _INDEX_ENTRY.match(text)
        if issue_match:
            issue_number, section = _compact(issue_match.group(1)), None
            end = line.end
        elif entry_match and issue_number is not None:
            entries.append(
                TocEntry(
                    section=section,
                    page=int(entry_match.group(1)),
                    title=entry_match.group(2).strip(),
                    issue_number=issue_number,
                )
            )
            end = line.end
        elif _is_section_heading(text):
            section = text
    return end, tuple(entries)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------------------
# Issue metadata


def parse_issue_metadata(front: list[Line], toc: tuple[TocEntry, ...], source: str) -> Issue:
    """Journal, year, volume, number, date, ISSN and CN from the front matter."""
    text = "\n".join(line.text for line in front)
    journal = _journal_name(front, text)
    issn = _first(r"ISSN\s*(\d{4}-\d{3}[\dXx])", text)
    year_text = _first(r"(\d{4})\s*年\s*第\s*\d+\s*卷", text) or _first(r"(\d{4})\s*年\s*\d{1,2}\s*月", text)
    number_digits = _first(r"(?<!总)第\s*(\d+)\s*期", text)
    volume_digits = _first(r"第\s*(\d+)\s*卷", text)
    total_digits = _first(r"总第\s*(\d+)\s*期", text)
    date = _first(r"出版日期\s*[/／:：]?\s*(\d{4}\s*年\s*\d{1,2}\s*月)", text) or _first(
        r"(\d{4}\s*年\s*\d{1,2}\s*月)", text
    )
    year = int(year_text) if year_text else None
    number = int(number_digits) if number_digits else None
    return Issue(
        key=issue_key(journal, issn, year, number, source),
        journal=journal,
        year=year,
        volume=f"第{volume_digits}卷" if volume_digits else None,
        number=f"第{number}期" if number is not None else None,
        total_number=f"总第{total_digits}期" if total_digits else None,
        date=_compact(date) if date else None,
        issn=issn,
        cn=_first(r"CN\s*(\d{2}-\d{4}/[A-Z]+)", text),
        toc=toc,
    )


def issue_key(journal: str | None, issn: str | None, year: int | None, number: int | None, source: str) -> str:
    """Journal slug, year and two-digit number; unknown journals are named by ISSN.

    >>> issue_key("杭州科技", "1004-2652", 2024, 6, "x.txt")
    'hzkj-2024-06'
    >>> issue_key("某某科技", "1234-5678", 2023, 11, "x.txt")
    'issn1234-5678-2023-11'
    >>> issue_key(None, None, None, None, "data/some-issue.txt")
    'some-issue'
    """
    slug = JOURNAL_SLUGS.get(journal or "") or (f"issn{issn}" if issn else None)
    if slug is None or year is None:
        return Path(source).stem
    if number is None:
        return f"{slug}-{year}"
    return f"{slug}-{year}-{number:02d}"


def _journal_name(front: list[Line], text: str) -> str | None:
    by_editorial_office = _first(r"《([^》]+)》\s*编辑部", text)
    if by_editorial_office:
        return by_editorial_office
    for line in front:
        if 2 <= len(line.text) <= 12 and all(is_cjk(ch) for ch in line.text):
            return line.text
    return None


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------
# Single-article mode


def _read_single_article(lines: Lines, source: str, doc_id: str) -> Document:
    """The whole text is the article; only a reference list at its end is split off."""
    content = lines.non_empty()
    if not content:
        raise InputError(empty_message(source))
    first = content[0]
    heading = _trailing_references_heading(content)
    if heading is not None:
        body = [line for line in content if line.index < heading.index]
        references = _references(lines.items[heading.index + 1 :])
    else:
        body, references = content, ()
    if not body:
        raise InputError(f"{source} holds only a reference list (参考文献), no article text: give the article too")
    text_end = body[-1].end
    return Document(
        source=source,
        articles=(
            Article(
                doc_id=doc_id,
                title=clean_title(first.text),
                authors=parse_authors(lines.items[first.index + 1 :], text_end),
                text=lines.source[first.content_start : text_end],
                source_start=first.content_start,
                references=references,
            ),
        ),
    )


def _trailing_references_heading(content: list[Line]) -> Line | None:
    """The last 参考文献 heading, if only reference entries follow it."""
    headings = [line for line in content if _REFERENCES_HEADING.match(line.text)]
    if not headings:
        return None
    after = [line for line in content if line.index > headings[-1].index]
    if all(_NUMBERED_REFERENCE.match(line.text) for line in after):
        return headings[-1]
    return None


def clean_title(title: str) -> str:
    """The title as printed: markdown emphasis dropped, spaces collapsed, no subtitle.

    >>> clean_title("杭州 **237** 项科技成果  获奖")
    '杭州 237 项科技成果 获奖'
    >>> clean_title("在杭外国人才的创新创业生态现状调查 ——与北上广义的对标分析")
    '在杭外国人才的创新创业生态现状调查'
    """
    main = title.replace("**", "").split(_SUBTITLE_DASH)[0]
    return " ".join(main.split())


# ---------------------------------------------------------------------------------------------
# Names and authors


def is_name(token: str) -> bool:
    """Whether ``token`` reads as a Chinese personal name: 2-3 CJK characters after a common
    surname (4 with a compound surname).

    >>> is_name("潘扬"), is_name("王之桓"), is_name("欧阳修文"), is_name("杭州研究"), is_name("总目次")
    (True, True, True, False, False)
    """
    if not token or not all(is_cjk(ch) for ch in token):
        return False
    if token[:2] in _COMPOUND_SURNAMES:
        return 3 <= len(token) <= 4
    return 2 <= len(token) <= 3 and token[0] in _SURNAMES


def _merge_split_names(tokens: list[str]) -> list[str]:
    """Two-character names are often printed with a space (廖 婷): a surname character followed
    by one more single character is one name."""
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            len(token) == 1
            and token in _SURNAMES
            and i + 1 < len(tokens)
            and len(tokens[i + 1]) == 1
            and is_cjk(tokens[i + 1])
        ):
            merged.append(token + tokens[i + 1])
            i += 2
            continue
        merged.append(token)
        i += 1
    return merged


def parse_name_line(text: str) -> tuple[str, ...]:
    """The names on a line that holds nothing else, else ``()``.

    >>> parse_name_line("金旭东 龚 勤")
    ('金旭东', '龚勤')
    >>> parse_name_line("杭州研究")
    ()
    """
    tokens = _merge_split_names(text.split())
    if tokens and all(is_name(token) for token in tokens):
        return tuple(tokens)
    return ()


def split_trailing_names(text: str) -> tuple[str, tuple[str, ...]]:
    """A TOC title and the author names printed after it on the same line.

    >>> split_trailing_names("基于“双高”的策略研究——以湖南为例 倪家栖 廖婷 谭力铭")
    ('基于“双高”的策略研究——以湖南为例', ('倪家栖', '廖婷', '谭力铭'))
    """
    tokens = text.split()
    names: list[str] = []
    while len(tokens) > 1:
        if is_name(tokens[-1]):
            names.insert(0, tokens.pop())
        elif len(tokens) > 2 and len(tokens[-1]) == 1 and is_name(tokens[-2] + tokens[-1]):
            last = tokens.pop()
            names.insert(0, tokens.pop() + last)
        else:
            break
    return " ".join(tokens), tuple(names)


def parse_authors(body: tuple[Line, ...] | list[Line], text_end: int) -> tuple[Author, ...]:
    """Authors of an article from the lines after its title (up to ``text_end``)."""
    lines = [line for line in body if line.text and line.start < text_end]
    head = lines[:_BYLINE_WINDOW]
    authors: list[Author] = []
    byline = next((line for line in head if _BYLINE.match(line.text)), None)
    if byline is not None:
        match = _BYLINE.match(byline.text)
        authors = parse_byline(match.group(1) or match.group(2))
    else:
        authors = _paper_authors(head)
    for line in lines:
        note = _AUTHOR_NOTE.match(line.text)
        if note:
            authors = _merge_authors(authors, parse_author_notes(note.group(1)))
        members = _GROUP_MEMBERS.match(line.text)
        if members:
            authors = _merge_authors(authors, parse_group_members(members.group(1)))
    return tuple(authors)


def parse_byline(byline: str) -> list[Author]:
    """Authors of a ``文 /`` byline: roles apply to the names after them, a unit to the names
    before it.

    >>> [(a.name, a.role) for a in parse_byline("本刊记者 赵丽 通讯员 胡珂")]
    [('赵丽', '本刊记者'), ('胡珂', '通讯员')]
    >>> [(a.name, a.affiliation) for a in parse_byline("倪家栖 廖 婷 湖南省科学技术信息研究所")]
    [('倪家栖', '湖南省科学技术信息研究所'), ('廖婷', '湖南省科学技术信息研究所')]
    >>> [(a.name, a.affiliation) for a in parse_byline("王五（浙江大学）")]
    [('王五', '浙江大学')]
    >>> [(a.name, a.role, a.affiliation) for a in parse_byline("甲研究院、乙学院课题组")]
    [('甲研究院、乙学院课题组', '课题组', '甲研究院'), ('甲研究院、乙学院课题组', '课题组', '乙学院')]
    """
    # 王五（浙江大学）: a unit in brackets follows its author
    text = re.sub(r"[(（]([^()（）]+)[)）]", r" \1 ", byline).strip()
    if text.endswith(_GROUP_SUFFIX) and not any(is_name(t) for t in _merge_split_names(text.split())):
        units = [clean_name(unit) for unit in re.split(r"[、,，和与及]", text[: -len(_GROUP_SUFFIX)]) if unit.strip()]
        return [Author(name=clean_name(text), role=_GROUP_SUFFIX, affiliation=unit) for unit in units]
    authors: list[Author] = []
    unassigned: list[int] = []  # authors still waiting for a unit
    role: str | None = None
    unit_tokens: list[str] = []
    for token in _merge_split_names(text.split()):
        if _ROLE_TOKEN.match(token):
            role = token
        elif is_name(token) and not unit_tokens:
            authors.append(Author(name=token, role=role))
            unassigned.append(len(authors) - 1)
        elif is_name(token):
            _assign_unit(authors, unassigned, unit_tokens)
            authors.append(Author(name=token, role=role))
            unassigned.append(len(authors) - 1)
        else:
            unit_tokens.append(token)
    _assign_unit(authors, unassigned, unit_tokens)
    return authors


def _assign_unit(authors: list[Author], unassigned: list[int], unit_tokens: list[str]) -> None:
    if unit_tokens:
        unit = clean_name(" ".join(unit_tokens))
        for position in unassigned:
            authors[position] = authors[position].model_copy(update={"affiliation": unit})
        unassigned.clear()
        unit_tokens.clear()


def _paper_authors(head: list[Line]) -> list[Author]:
    """A research paper's author line (``金鑫¹, 戴彬^{1,2}``) and the unit line under it
    (``[1. 单位, 城市 邮编; 2. …]`` or ``(单位, 城市 邮编)``)."""
    if not head:
        return []
    candidates = [line for line in head if not line.text.startswith(_SUBTITLE_DASH)]
    if not candidates:
        return []
    names_and_marks = _paper_author_line(candidates[0].text)
    if not names_and_marks:
        return []
    units = _paper_units(candidates[1].text) if len(candidates) > 1 else {}
    authors = []
    for name, marks in names_and_marks:
        unit = units.get(marks[0]) if marks else (units.get(1) if len(units) == 1 else None)
        authors.append(Author(name=name, affiliation=unit))
    return authors


def _paper_author_line(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Names and their affiliation numbers, or ``[]`` if the line is not an author line.

    >>> _paper_author_line("金鑫¹, 戴彬^{1,2}")
    [('金鑫', (1,)), ('戴彬', (1, 2))]
    >>> _paper_author_line("王淑翠, 林晓慧, 欧 荣")
    [('王淑翠', ()), ('林晓慧', ()), ('欧荣', ())]
    """
    found = []
    # commas inside ^{1,2} separate numbers, not names
    text = re.sub(r"\^\{([^}]*)\}", lambda m: "^{" + re.sub(r"[,，\s]+", " ", m.group(1)) + "}", text)
    for part in re.split(r"[,，、;；]", text):
        marks: list[int] = []
        for match in _AFFILIATION_MARKERS.finditer(part):
            digits = match.group(1) or (match.group(2) or "").translate(_SUPERSCRIPT_DIGITS)
            marks.extend(int(d) for d in re.findall(r"\d", digits))
        name = clean_name(_AFFILIATION_MARKERS.sub("", part))
        if not is_name(name):
            return []
        found.append((name, tuple(marks)))
    return found


def _paper_units(text: str) -> dict[int, str]:
    """Units by number from ``[1. A, 浙江 杭州 311115; 2. B, …]``; an unnumbered single unit is 1.

    >>> _paper_units("(杭州师范大学, 浙江 杭州 311121)")
    {1: '杭州师范大学'}
    """
    if not text or text[0] not in "[［(（":
        return {}
    inner = text[1:].rstrip("]］)）")
    units: dict[int, str] = {}
    for position, item in enumerate(re.split(r"[;；]", inner), start=1):
        item = item.strip()
        numbered = _NUMBERED_UNIT.match(item)
        number, body = (int(numbered.group(1)), numbered.group(2)) if numbered else (position, item)
        unit = re.split(r"[,，]", body)[0].strip()
        if unit:
            units[number] = clean_name(unit)
    return units


def parse_author_notes(text: str) -> list[Author]:
    """Authors of a 作者简介: the unit a note states becomes the affiliation, the title the role.

    >>> [(a.name, a.affiliation, a.role) for a in parse_author_notes(
    ...     "王淑翠(1971—), 女, 山东烟台人, 杭州师范大学阿里巴巴商学院教授、博士, 研究方向为数字经济; "
    ...     "金鑫(1994—),男,杭州人,硕士,高级工程师,研究方向为高等教育")]
    [('王淑翠', '杭州师范大学阿里巴巴商学院', '教授'), ('金鑫', None, '高级工程师')]
    """
    authors = []
    for note in re.split(r"[;；]", text.rstrip("。. ")):
        note = note.strip()
        named = re.match(r"^([^(（,，\s]{2,4})\s*(?:[(（][^)）]*[)）])?\s*[,，]?\s*(.*)$", note)
        if not named or not is_name(clean_name(named.group(1))):
            continue
        affiliation, role = _unit_and_title(re.split(r"[,，]", named.group(2)))
        authors.append(Author(name=clean_name(named.group(1)), affiliation=affiliation, role=role))
    return authors


def _unit_and_title(fields: list[str]) -> tuple[str | None, str | None]:
    for field in (f.strip() for f in fields):
        if not field or _NOTE_SKIPPED_FIELD.match(field):
            continue
        first = re.split(r"[、/]", field)[0]
        cut = _unit_end(first)
        if cut:
            return clean_name(first[:cut]), (first[cut:] or None)
        return None, first
    return None, None


def _unit_end(text: str) -> int:
    """Where a unit name at the start of ``text`` ends (0 if none): after the last unit suffix
    that is not the start of a post title (局 in 局长, 院 in 院长)."""
    end = 0
    for match in _UNIT_SUFFIX.finditer(text):
        if not text[match.end() :].startswith("长"):
            end = match.end()
    return end


def parse_group_members(text: str) -> list[Author]:
    """``吴尚瑾(单位甲),曾巧灵、王世锋(单位乙)`` -> members with their units.

    >>> [(a.name, a.affiliation) for a in parse_group_members("吴尚瑾(甲院),曾巧灵、王世锋(乙院)。■")]
    [('吴尚瑾', '甲院'), ('曾巧灵', '乙院'), ('王世锋', '乙院')]
    """
    members = []
    for match in _MEMBERS_OF_UNIT.finditer(text):
        unit = clean_name(match.group(2))
        for name in re.split(r"[、,，\s]+", match.group(1)):
            name = clean_name(name)
            if is_name(name):
                members.append(Author(name=name, affiliation=unit, role="课题组成员"))
    return members


def _merge_authors(authors: list[Author], more: list[Author]) -> list[Author]:
    """Add ``more``; an author already listed keeps its entry, filled in with what ``more``
    states (a unit named in 作者简介 is more specific than the paper's unit line)."""
    merged = list(authors)
    for extra in more:
        position = next((i for i, a in enumerate(merged) if a.name == extra.name), None)
        if position is None:
            merged.append(extra)
            continue
        known = merged[position]
        merged[position] = known.model_copy(
            update={
                "affiliation": extra.affiliation or known.affiliation,
                "role": known.role or extra.role,
            }
        )
    return merged
