"""Text of the files publishers send: PDF, web pages saved from a browser, Word documents.

:func:`document_text` turns a ``.pdf``, ``.html``/``.htm`` or ``.docx`` file into the plain text
that :mod:`innograph.extract.reader` reads (one paragraph a line, blocks separated by a blank
line); any other file is left to the reader (``None``). :func:`expand_inputs` replaces a
directory by every supported file inside it.

* **PDF** (pdfminer.six): text lines are ordered column by column (a line that spans the page's
  middle closes the columns above it), lines wrapped at the column's right edge are joined again
  (CJK text has no space to break at), running headers and footers (a line at the top or bottom
  of most pages, digits aside) and page numbers are dropped, and the CJK radicals that some
  fonts' glyph maps give for ideographs (⼼ U+2F3C for 心) become the ideographs. An encrypted,
  image-only or damaged PDF is an :class:`InputError`.
* **HTML** (trafilatura): the main text without navigation, comments and footer; the title
  and date from the page's metadata come first.
* **DOCX** (python-docx): paragraphs and table rows in document order.

>>> supported(Path("issue.PDF")), supported(Path("issue.txt")), supported(Path("cover.jpg"))
(True, True, False)
>>> unify_radicals("市民中⼼⺠")
'市民中心民'
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from innograph.errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
DOCUMENT_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".docx"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCUMENT_SUFFIXES

# CJK Radicals Supplement characters that PDF fonts' glyph maps give for ideographs and that NFKC
# leaves alone (Kangxi radicals, U+2F00-U+2FD5, NFKC maps itself): radical, ideograph, radical,
# ideograph ... as in Unicode's EquivalentUnifiedIdeograph.txt.
_RADICAL_PAIRS = "⺁厂⺆冂⺊卜⺌小⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺖忄⺘扌⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺦丬⺨犭⺩王⺪疋⺫罒⺬示⺭礻⺮竹⺯糸⺰纟⺲罒⺳罓⺶羊⺷羊⺹耂⺺肀⺼月⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻈讠⻉贝⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑長⻒镸⻓长⻔门⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
_RADICALS = {_RADICAL_PAIRS[i]: _RADICAL_PAIRS[i + 1] for i in range(0, len(_RADICAL_PAIRS), 2)}


# Characters that CJK fonts draw with one glyph, so that a PDF's glyph map may give either: the
# one Chinese text uses. The horizontal bar U+2015 for the em dash of ——, the traditional 戶 for 户.
_GLYPH_TWINS = {"\u2015": "\u2014", "戶": "户"}


def unify_radicals(text: str) -> str:
    """Radicals and glyph twins (from a PDF font's glyph map) as the characters Chinese text uses;
    Latin ligatures (ﬁ) as letters."""
    out = []
    for ch in text:
        if "\u2f00" <= ch <= "\u2fd5" or "\ufb00" <= ch <= "\ufb06":
            ch = unicodedata.normalize("NFKC", ch)
        out.append(_GLYPH_TWINS.get(ch) or _RADICALS.get(ch, ch))
    return "".join(out)


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each directory replaced by the supported files inside it (sorted, recursive).

    A directory without one is an :class:`InputError`; files are kept as given, whatever their suffix.
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and supported(p) and not p.name.startswith("."))
        if not found:
            raise InputError(f"{path} holds no issue or article file: put .txt, .pdf, .html or .docx files in it")
        out.extend(found)
    return out


def document_text(path: Path) -> str | None:
    """The text of a PDF, HTML or DOCX file; ``None`` for any other file (the reader decodes it)."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        return None
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err} (check its permissions)") from err
    if not data.strip():
        raise InputError(f"{path} is empty: give a {suffix[1:].upper()} file with Chinese text")
    if suffix == ".pdf":
        return pdf_text(data, str(path))
    if suffix == ".docx":
        return docx_text(data, str(path))
    return html_text(data, str(path))


# -- PDF ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Line:
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


_PAGE_NUMBER = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,4}\s*/\s*\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?|page\s*\d+(?:\s*(?:/|of)\s*\d+)?)$", re.I)
_MARGIN_LINES = 2  # lines at each end of a page that may be a running header or footer


def _pdf_pages(data: bytes, source: str) -> list[list[_Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLineHorizontal
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor chatter is not the user's business
    if not data.startswith(b"%PDF-"):
        raise InputError(f"{source} is not a PDF (it does not start with %PDF-): give the publisher's PDF file")
    pages: list[list[_Line]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=0.3, char_margin=2.0)):
            lines = []
            height = page.height
            for box in page:
                if not isinstance(box, LTTextContainer):
                    continue
                for line in box:
                    if isinstance(line, LTTextLineHorizontal) and line.get_text().strip():
                        lines.append(_Line(line.x0, line.x1, height - line.y1, height - line.y0,
                                           line.get_text().rstrip("\n")))
            pages.append(lines)
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise InputError(f"{source} is encrypted: save an unprotected copy of the PDF and give that") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as err:
        raise InputError(f"{source} is a damaged PDF ({type(err).__name__}): give a complete copy of the file") from None
    except Exception as err:  # pdfminer raises bare Exceptions for some damage
        if "encrypt" in str(err).lower():
            raise InputError(f"{source} is encrypted: save an unprotected copy of the PDF and give that") from None
        raise InputError(f"{source} is a damaged PDF ({type(err).__name__}): give a complete copy of the file") from None
    if not pages:
        raise InputError(f"{source} is a damaged PDF (no pages): give a complete copy of the file")
    if not any(pages):
        raise InputError(f"{source} has no text layer (its pages are images): run OCR on it and give the text or a searchable PDF")
    return pages


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without running headers, footers and page numbers."""
    ends = []
    for lines in pages:
        ordered = sorted(lines, key=lambda l: l.top)
        ends.append(ordered[:_MARGIN_LINES] + ordered[-_MARGIN_LINES:])
    seen = Counter(key for end in ends for key in {_margin_key(l.text) for l in end})
    running = {key for key, n in seen.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    kept = []
    for lines, end in zip(pages, ends):
        drop = {id(l) for l in end if _margin_key(l.text) in running or _PAGE_NUMBER.match(l.text.strip())}
        kept.append([l for l in lines if id(l) not in drop])
    return kept


def _reading_order(lines: list[_Line], page_width: float) -> list[list[_Line]]:
    """The page's lines as runs, one run per column band: left column, then right, then the next band."""
    middle = page_width / 2
    runs: list[list[_Line]] = []
    left: list[_Line] = []
    right: list[_Line] = []

    def close() -> None:
        for column in (left, right):
            if column:
                runs.append(sorted(column, key=lambda l: l.top))
        left.clear()
        right.clear()

    for line in sorted(lines, key=lambda l: l.top):
        column = _column(line, middle)
        if column == "left":
            left.append(line)
        elif column == "right":
            right.append(line)
        else:  # spans the middle: a title or a one-column page
            close()
            if runs and runs[-1] and runs[-1][-1].x0 < middle - 2 < middle + 2 < runs[-1][-1].x1:
                runs[-1].append(line)
            else:
                runs.append([line])
    close()
    return runs


_LATIN_WORD = re.compile(r"^[A-Za-z0-9.,%()&/+\-]+")


def _wrapped(line: _Line, following: _Line, right_edge: float) -> bool:
    """Whether ``line``'s paragraph goes on in ``following``: it reaches the column's right edge (CJK
    text wraps anywhere, but a line may stop up to two characters short, before punctuation that
    must not open a line), or the Latin word that opens ``following`` would not have fitted."""
    if line.text.rstrip().endswith("■"):
        return False
    room = right_edge - line.x1
    word = _LATIN_WORD.match(following.text.strip())
    needed = (len(word.group()) * 0.55 + 0.5) * line.height if word else 0.0
    return room <= max(2.0 * line.height, needed)


def _separator(before: str, after: str) -> str:
    """What joins a wrapped line to the next: nothing in CJK text, a space between Latin words."""
    return " " if re.search(r"[A-Za-z0-9,.;:]$", before) and re.match(r"[A-Za-z0-9(]", after) else ""


def _column_edges(runs: list[list[_Line]], middle: float) -> dict[str, float]:
    """The right edge of the left column, the right column and full-width text, over the document:
    the 95th percentile of line ends, so that one overlong line does not move it."""
    ends: dict[str, list[float]] = {}
    for run in runs:
        for line in run:
            ends.setdefault(_column(line, middle), []).append(line.x1)
    return {name: sorted(xs)[int(0.95 * (len(xs) - 1))] for name, xs in ends.items()}


def _column(line: _Line, middle: float) -> str:
    if line.x1 <= middle + 2:
        return "left"
    if line.x0 >= middle - 2:
        return "right"
    return "full"


# Gaps between lines, in line heights: up to _LEADING the lines of one paragraph (set solid or
# with ordinary leading), over _BLOCK_GAP a break between blocks (a blank line in the text).
_LEADING = 0.6
_BLOCK_GAP = 1.2


def _paragraphs(runs: list[list[_Line]], middle: float) -> str:
    """The runs' lines as text: one paragraph a line (a wrapped line joins the next when no wider gap
    parts them), a blank line between blocks; a paragraph that fills the end of a column goes on
    at the top of the next."""
    edges = _column_edges(runs, middle)
    out: list[str] = []
    previous: _Line | None = None
    for run in runs:
        for i, line in enumerate(run):
            text = line.text.strip()
            if previous is not None:
                gap = (line.top - previous.bottom) / previous.height if i else 0.0  # in line heights
                if gap <= _LEADING and _wrapped(previous, line, edges[_column(previous, middle)]):
                    out.append(_separator(out[-1], text))
                elif gap > _BLOCK_GAP or (i == 0 and not _wrapped(previous, line, edges[_column(previous, middle)])):
                    out.append("\n\n")
                else:
                    out.append("\n")
            out.append(text)
            previous = line
    return "".join(out)


def pdf_text(data: bytes, source: str) -> str:
    pages = _drop_running_lines(_pdf_pages(data, source))
    width = max((l.x1 for lines in pages for l in lines), default=0) + min((l.x0 for lines in pages for l in lines), default=0)
    runs = [run for lines in pages for run in _reading_order(lines, width)]
    return unify_radicals(_paragraphs(runs, width / 2)) + "\n"


# -- HTML ---------------------------------------------------------------------------------------
def html_text(data: bytes, source: str) -> str:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    page = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True,
                                       favor_precision=True, deduplicate=False, fast=True)
    body = (page.text if page is not None else "") or ""
    if not body.strip():
        raise InputError(f"{source} has no article text that could be told from its navigation: "
                         "save the article's page itself, or give its text")
    title = (page.title or "").strip()
    date = (page.date or "").strip()
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0] == title:  # the page's <h1>
        paragraphs = paragraphs[1:]
    head = [line for line in (title, date) if line]  # the title first: the reader takes it from the first line
    return "\n\n".join(head + paragraphs) + "\n"


# -- DOCX ---------------------------------------------------------------------------------------
def docx_text(data: bytes, source: str) -> str:
    import docx
    from docx.document import Document as DocxDocument
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(f"{source} is not a Word document (.docx) or is damaged ({type(err).__name__}): "
                         "save it again as .docx") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                lines.append(" | ".join(_unique(cell.text.strip() for cell in row.cells)))
    if not any(l.strip() for l in lines):
        raise InputError(f"{source} holds no text: give a Word document with the article's text")
    return "\n".join(lines) + "\n"


def _unique(cells: Sequence[str] | Iterable[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:  # merged cells repeat their text once per grid column
        if not out or out[-1] != cell:
            out.append(cell)
    return out
