"""Files as publishers send them, made by the tests themselves from the bundled sample issue:
a two-column PDF printed by headless Chromium (CJK fonts embedded, running header, page
numbers), a web page saved with navigation and footer around one article, a Word document,
and broken PDFs (encrypted, image-only, truncated).

The PDF and the HTML page need Chromium (Debian ``chromium`` and ``fonts-noto-cjk``).
"""
from __future__ import annotations

import html
import io
import subprocess
import tempfile
from pathlib import Path

from innograph.api import sample_path
from innograph.extract.reader import read_path

SAMPLE_TEXT = sample_path().read_text(encoding="utf-8")


def blocks(text: str) -> list[list[str]]:
    """The text's lines grouped into blocks that blank lines separate."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def issue_print_html(text: str, title: str) -> str:
    """The issue typeset for print: two columns, one paragraph per line of the text, a wider gap
    between blocks, a running header with the journal's name and a page number in the footer
    (Chromium prints the page's title and page numbers in its header and footer)."""
    body = "\n".join('<div class="block">' + "".join(f"<p>{html.escape(line)}</p>" for line in block) + "</div>"
                     for block in blocks(text))
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
@page {{ size: A4; margin: 22mm 16mm 20mm 16mm; }}
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt; line-height: 1.35;
       column-count: 2; column-gap: 10mm; margin: 0; }}
p {{ margin: 0 0 0.5em 0; white-space: pre-wrap; }}
div.block {{ margin: 0 0 1.2em 0; }}
</style></head><body>{body}</body></html>"""


def chromium_pdf(chromium: str, page_html: str, out: Path) -> Path:
    """``page_html`` printed to ``out`` by headless Chromium, with its default header and footer
    (date and title above, file address and ``n/N`` below each page)."""
    with tempfile.TemporaryDirectory(prefix="innograph-print-") as scratch:
        source = Path(scratch) / "page.html"
        source.write_text(page_html, encoding="utf-8")
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             f"--user-data-dir={scratch}/profile", f"--print-to-pdf={out}", source.as_uri()],
            capture_output=True, text=True, timeout=180)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium could not print {out.name}: {done.stderr[-1000:]}")
    return out


def issue_pdf(chromium: str, out: Path) -> Path:
    return chromium_pdf(chromium, issue_print_html(SAMPLE_TEXT, "杭州科技 2024年第6期"), out)


def image_only_pdf(chromium: str, out: Path) -> Path:
    """A 'scanned' page: a drawing and no text layer."""
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>'
            '<svg width="600" height="800"><rect x="40" y="40" width="500" height="700" fill="#ccc"/>'
            '<circle cx="290" cy="300" r="120" fill="#555"/></svg></body></html>')
    with tempfile.TemporaryDirectory(prefix="innograph-print-") as scratch:
        source = Path(scratch) / "scan.html"
        source.write_text(page, encoding="utf-8")
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             "--no-pdf-header-footer", f"--user-data-dir={scratch}/profile", f"--print-to-pdf={out}", source.as_uri()],
            capture_output=True, text=True, timeout=180)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium could not print {out.name}: {done.stderr[-1000:]}")
    return out


def encrypted_pdf(plain: Path, out: Path) -> Path:
    """``plain`` with a user password (RC4, which pypdf writes without extra libraries)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def truncated_pdf(plain: Path, out: Path) -> Path:
    """The first third of ``plain``: a download cut short."""
    data = plain.read_bytes()
    out.write_bytes(data[: len(data) // 3])
    return out


# -- a web page saved from a browser ----------------------------------------------------------
ARTICLE_TITLE = "第十三届中国创新创业大赛颠覆性技术创新大赛总决赛在杭州开幕"
NAVIGATION = ["首页", "科技动态", "热点聚焦", "发展调研", "杭州研究", "联系我们"]
FOOTER = "版权所有 © 杭州市科技信息研究院 浙ICP备05000000号 技术支持：杭州某某网络科技有限公司"
RELATED = ["相关阅读：杭州市召开人工智能产业发展大会", "相关阅读：滨江区发布数字经济十条"]


def sample_article(title: str = ARTICLE_TITLE) -> list[str]:
    """The paragraphs of the sample issue's article ``title`` (its lines after the title, to its closing ■)."""
    [article] = [a for a in read_path(sample_path()).articles if a.title == title]
    return [line.strip() for line in article.text.split("\n")[1:] if line.strip()]


def article_page(title: str = ARTICLE_TITLE, date: str = "2024-12-05") -> str:
    """A news page as a browser saves it: head metadata, a navigation bar, the article, related
    links, a comment box and a footer."""
    nav = "".join(f'<li><a href="/{i}.html">{html.escape(n)}</a></li>' for i, n in enumerate(NAVIGATION))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in sample_article(title))
    related = "".join(f'<li><a href="/r{i}.html">{html.escape(r)}</a></li>' for i, r in enumerate(RELATED))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)} - 杭州科技网</title>
<meta property="og:title" content="{html.escape(title)}">
<meta name="publishdate" content="{date}"><meta property="article:published_time" content="{date}T09:00:00+08:00">
</head><body>
<header class="site-header"><div class="logo">杭州科技网</div><nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search"><input type="search" placeholder="站内搜索"></form></header>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/kjdt/">科技动态</a> &gt; 正文</div>
<main><article>
<h1>{html.escape(title)}</h1>
<div class="meta">来源：杭州科技 发布时间：<time datetime="{date}">{date}</time> 浏览次数：1024</div>
<div class="content">{body}</div>
</article>
<aside class="related"><h3>相关阅读</h3><ul>{related}</ul></aside>
<section class="comments"><h3>网友评论</h3><p>暂无评论，快来抢沙发吧！</p></section>
</main>
<footer class="site-footer"><p>{html.escape(FOOTER)}</p><p><a href="/about">关于我们</a> | <a href="/map">网站地图</a></p></footer>
</body></html>"""


# -- a Word document ----------------------------------------------------------------------------
def issue_docx(out: Path, text: str = SAMPLE_TEXT) -> Path:
    """The issue as a Word document: one paragraph per line of the text (empty ones for blank lines)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(out))
    return out
