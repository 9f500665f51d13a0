"""The book as PDFs: one per language and framework, opening, in its language, with that
framework's code only, every chapter, and its fonts embedded."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from scripts.config import load_config
from scripts.pdf import PDF_DIR, pdf_name
from scripts.publish import publish
from scripts.render import ui_catalog

# A line that only one framework's code has.
CODE = {"pytorch": "import torch", "tensorflow": "import tensorflow as tf", "jax": "from flax import linen as nn", "mxnet": "from mxnet import"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: `make test` installs Debian's poppler-utils")
    return path


def _heading(h1) -> str:
    """A title's text, without the link symbol after it."""
    return " ".join("".join(t for t in h1.find_all(string=True) if not t.find_parent("a", class_="headerlink")).split())


def _pages(pdf) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def test_every_language_and_framework_has_its_pdf(config, site, soup_of):
    for lang in config.languages:
        title = ui_catalog(config, lang).get(config.book_config["title"], config.book_config["title"])
        chapters = [_heading(soup_of(lang, page).select_one("article h1")) for page in config.sections()]
        for fw in config.frameworks:
            pdf = site / PDF_DIR / lang / pdf_name(config, fw.name)
            assert pdf.is_file(), f"no PDF {pdf.relative_to(site)}"
            assert len(config.sections()) < _pages(pdf) < 300, f"{pdf.relative_to(site)}: {_pages(pdf)} pages"
            text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            flat = " ".join(text.split())
            assert title in flat, f"{pdf.relative_to(site)}: the book's title in {lang} is missing"
            missing = [c for c in chapters if c not in flat]
            assert not missing, f"{pdf.relative_to(site)}: chapters missing: {missing}"
            others = [other for other in CODE if other != fw.name and other in config.framework_names]
            assert CODE[fw.name] in text and not any(CODE[o] in text for o in others), f"{pdf.relative_to(site)}: code of another framework"
            fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
            assert fonts and all(line.split()[-5] == "yes" for line in fonts), f"{pdf.relative_to(site)}: a font is not embedded"
            # Type 3: glyphs drawn as pictures (a CFF font Chromium could not embed as a font).
            pictures = [line for line in fonts if "Type 3" in line]
            assert not pictures, f"{pdf.relative_to(site)}: {len(pictures)} Type 3 fonts, text drawn as pictures"


def test_every_page_links_the_pdfs_of_its_language(config, site, soup_of):
    for lang in config.languages:
        for page in config.sections():
            links = [a["href"] for a in soup_of(lang, page).select("a[href$='.pdf']")]
            assert len(links) == len(config.frameworks), f"{lang}/{page}: {links}"
            for href in links:
                assert (site / lang / href).resolve().is_file(), f"{lang}/{page}: {href}"


def test_publishing_the_pages_again_keeps_the_pdfs_of_their_languages(book_copy):
    # The pages link the PDFs, which are printed after publishing: a new site keeps the last ones
    # (for the languages it publishes) until `pdf` replaces them.
    config = load_config(book_copy)
    site = config.build_dir / "site"
    pdfs = sorted(p.relative_to(site) for p in (site / PDF_DIR).rglob("*.pdf"))
    assert len(pdfs) == len(config.languages) * len(config.frameworks)
    retired = site / PDF_DIR / "xx" / "pytorch.pdf"  # a language no longer in the book
    retired.parent.mkdir()
    retired.write_bytes(b"%PDF-1.4")
    publish(config, {lang: site / lang for lang in config.languages}, config.build_dir / "notebooks", site)
    assert sorted(p.relative_to(site) for p in (site / PDF_DIR).rglob("*.pdf")) == pdfs
