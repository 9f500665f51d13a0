"""Search results with a snippet around the match, in every language, also from `file://`.

Sphinx's search page fetches each result's HTML to cut a snippet from it: from `file://` every
fetch is refused (no snippet at all), and over HTTP the snippet comes from the page's header and
contents list, which precede the text. So the build writes the text of every page's article into
`searchtexts.js` beside the search index, and the search page answers those fetches from it.
Sphinx's own message for the result count is blank in some of its catalogs (ja): ui.po fills it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

from .panels import join_page


TEXTS = "searchtexts.js"
TEXT_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "summary", "dt", "dd", "blockquote"}
RESULT_COUNT = "Search finished, found ${resultCount} page(s) matching the search query."

# Served instead of fetching a result's page: the text of its article, in a `[role=main]` block
# whose sections keep their ids (Sphinx cuts the snippet of a match in a section from that section).
SHIM = """
(() => {
  const fetchPage = window.fetch.bind(window);
  window.fetch = (url, ...rest) => {
    const page = String(url).split("/").pop().split("#")[0].replace(/\\.html$/, "");
    const texts = window.BOOK_SEARCH_TEXTS || {};
    if (Object.hasOwn(texts, page)) {
      return Promise.resolve(new Response(texts[page], { headers: { "Content-Type": "text/html" } }));
    }
    return fetchPage(url, ...rest);
  };
  const fixes = %s;
  document.addEventListener("DOMContentLoaded", () => {
    for (const [msgid, text] of Object.entries(fixes)) {
      if (!Documentation.TRANSLATIONS[msgid]) Documentation.TRANSLATIONS[msgid] = text;
    }
  });
})();
"""


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", _remove_texts)
    app.connect("html-page-context", _on_search_page)
    app.connect("build-finished", _write_texts)


def _remove_texts(app: Sphinx) -> None:
    """The texts are written when the build finishes; the search page is written before, and links
    them with a `?v=` checksum only if an older file is there: so that fresh and incremental
    builds write the same page, there never is."""
    if app.builder.format == "html":
        (Path(app.builder.outdir) / TEXTS).unlink(missing_ok=True)


def _on_search_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename != "search" or "script_files" not in context:
        return
    translated = app.config.book_ui.get(RESULT_COUNT)  # not ui_text: "${resultCount}" is JavaScript's
    fixes = {RESULT_COUNT: translated} if translated else {}
    context["script_files"] = [
        *context["script_files"],
        _JavaScript(TEXTS, priority=900),
        _JavaScript("", priority=901, body=SHIM % json.dumps(fixes, ensure_ascii=False)),
    ]


def article_text(html: str) -> str:
    """The article of a page as a small HTML document: its sections with their ids and text."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    if article is None:
        return ""
    for noise in article.select("div.cell, script, style, a.headerlink, .sd-tab-set > label, p.book-provenance"):
        noise.decompose()
    out = BeautifulSoup('<div role="main"></div>', "html.parser")

    def copy(node, into) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name == "section":
                section = out.new_tag("section", id=child.get("id", ""))
                into.append(section)
                copy(child, section)
            elif name in TEXT_BLOCKS:
                text = " ".join(child.get_text().split())
                if text:
                    block = out.new_tag("p")
                    block.string = text
                    into.append(block)
            elif name:
                copy(child, into)

    copy(article, out.div)
    return str(out)


def _write_texts(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    out = Path(app.builder.outdir)
    cache_path = out / ".book-searchtexts.json"  # page -> [digest of its HTML, text]: only changed pages are read again
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    texts, kept = {}, {}
    for docname in sorted(app.env.found_docs):
        page = out / f"{docname}.html"
        if page.is_file():
            html = join_page(page)
            digest = hashlib.sha256(html.encode()).hexdigest()[:16]
            if cache.get(docname, [None])[0] != digest:
                cache[docname] = [digest, article_text(html)]
            texts[docname], kept[docname] = cache[docname][1], cache[docname]
    cache_path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    (out / TEXTS).write_text(f"window.BOOK_SEARCH_TEXTS = {json.dumps(texts, ensure_ascii=False, sort_keys=True)};\n", encoding="utf-8")
