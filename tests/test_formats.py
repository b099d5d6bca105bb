"""Input as it is published: PDF, web pages saved from a browser, Word files and directories,
read into the same issue as the text file. Every file is made by the tests (tests/input_files.py).

The PDF and image-only PDF tests need Chromium (Debian ``chromium``, ``fonts-noto-cjk``). They
skip when it is missing, except under CI=true, where a missing browser fails them.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from innograph.api import extract_document, sample_path
from innograph.cli import run
from innograph.extract.formats import document_text
from innograph.extract.reader import read_path
from innograph.extract.resolve import merge_key
from innograph.ontology import EntityLabel as L
from tests import input_files

ENTITY_KEY = tuple[str, str]


def entity_set(document) -> set[ENTITY_KEY]:
    result = extract_document(document)
    return {(e.label.value, e.name) for x in result.extractions for e in x.entities}


@pytest.fixture(scope="module")
def text_issue():
    return read_path(sample_path())


@pytest.fixture(scope="module")
def text_entities(text_issue) -> set[ENTITY_KEY]:
    return entity_set(text_issue)


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (apt-get install -y chromium fonts-noto-cjk): the PDF tests need it under CI")
    pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")


@pytest.fixture(scope="module")
def issue_pdf(chromium, tmp_path_factory) -> Path:
    return input_files.issue_pdf(chromium, tmp_path_factory.mktemp("pdf") / "hzkj-2024-06.pdf")


# -- PDF -------------------------------------------------------------------------------------
def _embedded(font) -> bool:
    """Whether a PDF font carries its glyphs: Type 3 glyph procedures or an embedded font file."""
    font = font.get_object()
    if font["/Subtype"] == "/Type3":
        return len(font["/CharProcs"]) > 0
    for descendant in font.get("/DescendantFonts", [font]):
        descriptor = descendant.get_object().get("/FontDescriptor")
        if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False


def test_the_printed_pdf_embeds_its_cjk_fonts_and_has_two_columns(issue_pdf):
    from pypdf import PdfReader

    from innograph.extract.formats import _pdf_pages

    pdf = PdfReader(issue_pdf)
    assert len(pdf.pages) > 20
    fonts = [f for page in pdf.pages[:3] for f in page["/Resources"]["/Font"].values()]
    assert fonts and all(_embedded(f) for f in fonts)
    assert re.search(r"\b5/\d+\b", pdf.pages[4].extract_text())  # Chromium's page number in the footer
    page = _pdf_pages(issue_pdf.read_bytes(), "issue")[5]
    middle = float(pdf.pages[5].mediabox.width) / 2
    assert sum(l.x1 < middle for l in page) > 10 and sum(l.x0 > middle for l in page) > 10


def test_a_pdf_of_the_issue_reads_into_the_same_titles_and_entities(issue_pdf, text_issue, text_entities):
    pdf_issue = read_path(issue_pdf)
    assert pdf_issue.issue.key == text_issue.issue.key == "hzkj-2024-06"
    assert [a.title for a in pdf_issue.articles] == [a.title for a in text_issue.articles]
    assert len(pdf_issue.articles) == 16
    pdf_entities = entity_set(pdf_issue)
    # The same entities; a table of the text file is one tab-separated line a row and the PDF
    # splits its cells into lines, so the fullest form of a name standing in a table (成都市
    # beside 成都) may become the canonical name in one reading and not in the other.
    assert {merge_key(L(label), name) for label, name in pdf_entities} == \
        {merge_key(L(label), name) for label, name in text_entities}
    assert len(pdf_entities ^ text_entities) <= 6


def test_running_headers_and_page_numbers_are_gone(issue_pdf):
    text = document_text(issue_pdf)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if re.fullmatch(r"\d+/\d+", line)]
    assert not [line for line in lines if "file://" in line or re.match(r"\d+/\d+/\d+, \d+:\d+", line)]
    assert "杭州科技 2024年第6期" not in lines  # the page title Chromium prints on every page
    assert not re.search("[\u2e80-\u2eff\u2f00-\u2fdf]", text)  # no radicals for ideographs (⼼ for 心)


def _cli_error(capsys, *args: str) -> tuple[int, str]:
    code = run(list(args))
    return code, capsys.readouterr().err


def test_bad_pdfs_are_one_line_and_exit_2(chromium, issue_pdf, tmp_path, capsys):
    encrypted = input_files.encrypted_pdf(issue_pdf, tmp_path / "locked.pdf")
    scanned = input_files.image_only_pdf(chromium, tmp_path / "scan.pdf")
    truncated = input_files.truncated_pdf(issue_pdf, tmp_path / "cut.pdf")
    not_pdf = tmp_path / "note.pdf"
    not_pdf.write_text("杭州科技 这不是PDF", encoding="utf-8")
    cases = {
        encrypted: f"{encrypted} is encrypted: save an unprotected copy of the PDF and give that",
        scanned: f"{scanned} has no text layer (its pages are images): run OCR on it and give the text or a searchable PDF",
        not_pdf: f"{not_pdf} is not a PDF (it does not start with %PDF-): give the publisher's PDF file",
    }
    for path, message in cases.items():
        assert _cli_error(capsys, "extract", str(path)) == (2, f"innograph: error: {message}\n")
    code, err = _cli_error(capsys, "extract", str(truncated))
    assert code == 2 and err.count("\n") == 1
    assert re.fullmatch(rf"innograph: error: {re.escape(str(truncated))} is a damaged PDF \(\w+\): give a complete copy of the file\n", err)
    store = tmp_path / "store.json"
    code, err = _cli_error(capsys, "build", str(sample_path()), str(encrypted), "--store", str(store))
    assert code == 2 and err == f"innograph: error: {cases[encrypted]}\n"
    assert not store.exists()  # nothing half-written: every file is read before any work


# -- HTML ------------------------------------------------------------------------------------
def test_a_saved_web_page_reads_into_the_article_alone_with_title_and_date(tmp_path, text_issue):
    page = tmp_path / "news.html"
    page.write_text(input_files.article_page(), encoding="utf-8")
    text = document_text(page)
    for noise in input_files.NAVIGATION[1:] + input_files.RELATED + [input_files.FOOTER, "网友评论", "站内搜索", "浏览次数"]:
        assert noise not in text
    document = read_path(page)
    [article] = document.articles
    assert article.title == input_files.ARTICLE_TITLE
    assert "2024-12-05" in article.text.splitlines()[:3]
    assert [(a.name, a.role) for a in article.authors] == [("赵丽", "本刊记者"), ("胡珂", "通讯员")]
    for paragraph in input_files.sample_article():
        assert paragraph in article.text
    [same] = [a for a in text_issue.articles if a.title == input_files.ARTICLE_TITLE]
    from innograph.extract.pipeline import extract_article
    names = {(e.label, e.name) for e in extract_article(article).entities}
    assert names == {(e.label, e.name) for e in extract_article(same).entities}


def test_a_page_without_article_text_is_one_line_error(tmp_path, capsys):
    page = tmp_path / "menu.html"
    page.write_text('<html><body><nav><a href="/">首页</a><a href="/a">科技动态</a></nav></body></html>', encoding="utf-8")
    assert _cli_error(capsys, "extract", str(page)) == (2, (
        f"innograph: error: {page} has no article text that could be told from its navigation: "
        "save the article's page itself, or give its text\n"))


# -- DOCX ------------------------------------------------------------------------------------
def test_a_word_file_reads_into_the_same_issue(tmp_path, text_issue):
    docx = input_files.issue_docx(tmp_path / "hzkj-2024-06.docx")
    document = read_path(docx)
    assert document.issue.key == text_issue.issue.key
    assert [a.title for a in document.articles] == [a.title for a in text_issue.articles]
    assert [a.text for a in document.articles] == [a.text for a in text_issue.articles]


def test_a_damaged_word_file_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "report.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert _cli_error(capsys, "extract", str(bad)) == (
        2, f"innograph: error: {bad} is not a Word document (.docx) or is damaged (BadZipFile): save it again as .docx\n")


# -- directories -----------------------------------------------------------------------------
def test_build_reads_every_supported_file_of_a_directory(tmp_path, capsys):
    folder = tmp_path / "inbox"
    (folder / "web").mkdir(parents=True)
    input_files.issue_docx(folder / "hzkj-2024-06.docx")
    (folder / "web" / "news.html").write_text(input_files.article_page(), encoding="utf-8")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")  # not an input: left alone
    store = tmp_path / "graph.json"
    assert run(["build", str(folder), "--store", str(store), "--format", "json"]) == 0
    import json
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == [str(folder / "hzkj-2024-06.docx"), str(folder / "web" / "news.html")]
    assert report["articles_added"] == 17  # the 16 items of the issue and the web page
    assert report["nodes_by_label"]["Issue"] == 1 and report["nodes_by_label"]["Article"] == 17


def test_a_directory_without_inputs_and_extract_of_many_files_are_one_line_errors(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.jpg").write_bytes(b"\xff\xd8")
    assert _cli_error(capsys, "build", str(empty), "--store", str(tmp_path / "g.json")) == (
        2, f"innograph: error: {empty} holds no issue or article file: put .txt, .pdf, .html or .docx files in it\n")
    two = tmp_path / "two"
    two.mkdir()
    for name in ("a.txt", "b.txt"):
        (two / name).write_text("标题\n\n杭州市科学技术局发布通知。\n", encoding="utf-8")
    assert _cli_error(capsys, "extract", str(two)) == (
        2, f"innograph: error: {two} holds 2 files and extract reads one: give one of them, or build the whole directory into the store\n")
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text("标题\n\n杭州市科学技术局发布通知。\n", encoding="utf-8")
    assert run(["extract", str(one)]) == 0 and '"title": "标题"' in capsys.readouterr().out
