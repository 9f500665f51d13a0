"""PDF: the whole book, one file per language and framework, printed by Chromium from the site.

A reader who picked PyTorch wants a book in which every tab is PyTorch's: so each PDF takes the
pages of one language as published, keeps from every tab set the tab of one framework (and drops
prose for other frameworks), opens the solutions, and prints the chapters one after another,
with the math typeset (MathML) and the fonts embedded (Noto CJK for Chinese and Japanese, cut to
each document's characters by `pdf_fonts`). A PDF
is printed again only when what it is printed from changed: files are kept in the cache, named
by the digest of their input.

    python -m scripts pdf        (after `build`; `make pdf` installs Chromium and the fonts first)
"""

from __future__ import annotations

import copy
import hashlib
import html
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from .book_ext.panels import join_page
from .config import PipelineConfig
from .errors import PipelineError
from .pdf_fonts import font_faces
from .publish import PDF_DIR, link_or_copy
from .render import ui_catalog

CJK = '"Book CJK"'  # Noto Sans CJK of the language, see pdf_fonts
NOISE = "a.headerlink, button, .copybtn, p.book-provenance, .book-partial-translation, script, style, .sd-tab-set > input"

PRINT_CSS = """
@page {{ size: A4; margin: 18mm 16mm 20mm; }}
body {{ font-family: {fonts}, "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; }}
h1 {{ break-before: page; font-size: 20pt; margin: 0 0 .6em; }}
h1.book-title {{ break-before: avoid; font-size: 28pt; margin-top: 35%; }}
h2 {{ font-size: 14pt; margin-top: 1.4em; }} h3 {{ font-size: 12pt; }}
pre, code {{ font-family: "DejaVu Sans Mono", "Book CJK Mono", monospace; font-size: 8.5pt; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; padding: .5em .7em; border-radius: 3px; break-inside: avoid; }}
div.cell_output pre {{ background: #fff; border-left: 3px solid #ddd; }}
.sd-tab-set > label {{ display: none; }}
details > summary {{ font-weight: 600; list-style: none; margin-top: .8em; }}
.framework-label {{ font-size: 9pt; color: #555; }}
/* The browser sets formulas' digits and operators in the language's default serif font, which for
   Chinese and Japanese is a CFF Noto CJK face (embedded as Type 3, see pdf_fonts). */
math {{ font-family: "DejaVu Math TeX Gyre", {fonts}, math; }}
math[display="block"] {{ display: block math; margin: .5em 0; }}
a {{ color: inherit; text-decoration: none; }}
img {{ max-width: 100%; }}
"""


def _articles(config: PipelineConfig, site: Path, lang: str) -> list[BeautifulSoup]:
    return [BeautifulSoup(join_page(site / lang / f"{page}.html"), "html.parser").select_one("article") for page in config.sections()]


def print_document(config: PipelineConfig, articles: list, lang: str, framework: str, label: str, runs: str, fonts: Path) -> str:
    """One language's book as one HTML document, every tab set reduced to *framework*'s tab; the
    CJK fonts it needs are made in *fonts*."""
    title = ui_catalog(config, lang).get(str(config.book_config.get("title", "")), str(config.book_config.get("title", "")))
    chapters = []
    for original in articles:
        article = copy.copy(original)
        for tab_set in article.select("div.sd-tab-set"):
            labels = tab_set.find_all("label", recursive=False)
            keep = next((lab for lab in labels if lab.get("data-sync-id") == framework), None)
            if keep is None:
                tab_set.decompose()
                continue
            tab_set.replace_with(keep.find_next_sibling("div", class_="sd-tab-content"))
        for details in article.select("details"):
            details["open"] = "open"
        for noise in article.select(NOISE):
            noise.decompose()
        chapters.append(str(article))
    cover = f'<h1 class="book-title">{html.escape(title)}</h1><p class="framework-label">{html.escape(label)} · {html.escape(runs)}</p>'
    body = cover + "".join(chapters)
    faces = font_faces(lang, title + body, fonts)
    style = PRINT_CSS.format(fonts=CJK if faces else '"Noto Sans"')
    return (
        f'<!DOCTYPE html><html lang="{lang.replace("_", "-")}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{faces}{style}</style></head><body>{body}</body></html>"
    )


# What a PDF is made by besides its pages: these modules.
SOURCES = Path(__file__).read_bytes() + (Path(__file__).parent / "pdf_fonts.py").read_bytes()


def pdf_name(config: PipelineConfig, framework: str) -> str:
    """The file of one framework's PDF, in `<site>/pdf/<lang>/` (the pages' download menu links it)."""
    return f"{framework}.pdf"


def write_pdfs(config: PipelineConfig, site: Path, provenance: dict[str, list[list[str]]], log: Callable[[str], None], chromium: str) -> list[Path]:
    """Print every language x framework into `<site>/pdf/<lang>/<framework>.pdf` (from the cache
    where the document is unchanged); the folder is replaced whole once all are printed."""
    from playwright.sync_api import sync_playwright

    cache = config.cache_dir.with_name("pdf")  # beside the executed notebooks: shared by every clone
    cache.mkdir(parents=True, exist_ok=True)
    for leftover in site.glob("pdf.new-*"):  # a run killed before it could clean up
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix="pdf.new-", dir=site))
    staging.chmod(0o755)
    written, printed = [], 0
    try:
        with sync_playwright() as playwright:
            browser = None
            for lang in config.languages:
                articles = None
                pages = b"".join((site / lang / f"{page}.html").read_bytes() for page in config.sections())
                for fw in config.frameworks:
                    runs = ", ".join(f"{label} {version} ({device})" for label, version, device in _runs_of(provenance, fw.label))
                    # Named by what it is printed from: the pages, the framework, this module.
                    key = hashlib.sha256(pages + f"\0{lang}\0{fw.name}\0{runs}\0".encode() + SOURCES).hexdigest()[:20]
                    cached = cache / f"{key}.pdf"
                    name = f"{lang}/{pdf_name(config, fw.name)}"
                    if cached.is_file():
                        log(f"[pdf] {name}: unchanged")
                    else:
                        articles = articles or _articles(config, site, lang)
                        document = print_document(config, articles, lang, fw.name, fw.label, runs, cache)
                        browser = browser or playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
                        started = time.monotonic()
                        _print(browser, document, staging / f"{lang}-{fw.name}.html", cached)
                        log(f"[pdf] {name}: printed in {time.monotonic() - started:.1f} s, {cached.stat().st_size / 1e6:.2f} MB")
                        printed += 1
                    target = staging / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    link_or_copy(str(cached), str(target))
                    written.append(target)
            if browser:
                browser.close()
        final = site / PDF_DIR
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
    except BaseException as err:  # Ctrl-C too: no half-printed folder left in the site
        shutil.rmtree(staging, ignore_errors=True)
        if not isinstance(err, Exception):
            raise
        raise PipelineError(f"cannot print the PDFs: {err}") from err
    log(f"[pdf] {len(written)} PDFs ({printed} printed, {len(written) - printed} unchanged) in {site / PDF_DIR}")
    return [site / PDF_DIR / p.relative_to(staging) for p in written]


def _print(browser, document: str, source: Path, target: Path) -> None:
    """Print one HTML document into *target* (complete or absent: written under another name first)."""
    page = browser.new_page()
    try:
        source.write_text(document, encoding="utf-8")
        page.goto(source.as_uri(), wait_until="load")
        # Untagged: a tagged PDF is 1.8-3.6 times larger here, and the site is the accessible edition.
        page.pdf(path=str(target.with_suffix(".part")), format="A4", print_background=True, outline=True, tagged=False)
        target.with_suffix(".part").rename(target)
    finally:
        source.unlink(missing_ok=True)
        page.close()


def _runs_of(provenance: dict[str, list[list[str]]], label: str) -> list[list[str]]:
    for runs in provenance.values():
        found = [run for run in runs if run[0] == label]
        if found:
            return found[:1]
    return []
