"""Lighter pages: no asset a page does not use, and code highlighted with less markup.

The theme ships all 1,900 Font Awesome icons (their CSS rules and a 150 KB font) for the dozen
the pages show: when the build finishes, the stylesheet keeps the rules of the icons the pages
use and the font is cut down to their glyphs (fontTools). The script that would draw the same
icons again as SVG (1.5 MB) is loaded by no page, and is not shipped either.

Pygments wraps every name, punctuation mark and run of spaces of a code cell in a span whose
colour is the code block's own (`.n`, `.p`, `.w` in both colour modes), which makes up about a
third of a page; those spans are dropped, and the page looks the same. So is the span of each dot
of an attribute access (`torch.nn.Linear` is three operator spans otherwise, a tenth of a page):
it is read as part of the name, in the name's colour. So are the spans that keep each word of
inline code from breaking across lines, the line breaks between block tags, the long ids of
sphinx-design's tab inputs (one per framework and cell), and docutils' own class names. Jupyter Book registers
Thebe (live code in the page), which this book does not use.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

# Token classes whose colour is the code block's own in the light and the dark Pygments styles.
_PLAIN_SPAN = re.compile(r'<span class="(?:n|p|w)">([^<]*)</span>')
# Sphinx wraps each word of inline code in a span that forbids line breaks; long names then push
# the page wider than a phone's screen. Without it, inline code wraps (see book.css).
_NOWRAP_WORD = re.compile(r'<span class="pre">([^<]*)</span>')
_ACCESS_DOT = '<span class="o">.</span>'
# docutils marks every element it makes; no style of the themes keys on `docutils` but
# `.docutils.container`, which undoes Bootstrap's `.container` and overrides myst-nb's paddings
# (so a container keeps both).
_CLASSES = re.compile(r' class="([^"]*)"')


def _without_docutils(match: re.Match[str]) -> str:
    names = match.group(1).split()
    if "docutils" not in names or "container" in names:
        return match.group(0)
    kept = [name for name in names if name != "docutils"]
    return f' class="{" ".join(kept)}"' if kept else ""
_EMPTY_SPAN = "<pre><span></span>"  # Pygments opens every block with one
# A line break (and its indent) before a block-level tag renders as nothing; before inline tags
# it is a space between words, so it stays.
_BLOCK_BREAK = re.compile(r">\s*\n\s*<(?=/?(?:div|p|input|label|section|ul|ol|li|details|summary|h[1-6]|table|thead|tbody|tr|td|th|dl|dt|dd|blockquote|figure|pre|hr|aside|nav)[\s>])")
_TAB_ID = re.compile(r'"sd-tab-(item|set)-(\d+)(-content)?"')
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.S)
_UNUSED_ASSETS = ("sphinx-thebe.js", "sphinx-thebe.css")
_UNUSED_FILES = ("_static/scripts/fontawesome.js", *(f"_static/{name}" for name in _UNUSED_ASSETS))


def setup_light(app: Sphinx) -> None:
    app.connect("html-page-context", _lighten, priority=900)  # after every other handler
    app.connect("build-finished", _trim_icons)


_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]+)"\}')
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
ICON_FONTS = "_static/vendor/fontawesome/webfonts"
ICONS_RECORD = ".book-icons.json"


def _trim_icons(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    out = Path(app.builder.outdir)
    for unused in _UNUSED_FILES:
        (out / unused).unlink(missing_ok=True)
    used = _icons_of_pages(out)
    for path in [*(out / "_static").glob("*.js"), *(out / "_static" / "scripts").glob("*.js")]:
        used |= set(_ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    css_path = out / THEME_CSS
    if not css_path.is_file():
        return
    codepoints = set()

    def keep(match: re.Match[str]) -> str:
        selectors = [s for s in match.group(1).rstrip(",").split(",") if s.removesuffix(":before")[1:] in used]
        if not selectors:
            return ""
        codepoints.add(int(match.group(2), 16))
        return f'{",".join(selectors)}{{content:"\\{match.group(2)}"}}'

    css = _ICON_RULE.sub(keep, css_path.read_text(encoding="utf-8"))
    css_path.write_text(css, encoding="utf-8")
    for font in (out / ICON_FONTS).glob("*.woff2"):
        _subset(font, codepoints)
    for unused in (out / ICON_FONTS).glob("*.ttf"):  # browsers load the woff2 files
        unused.unlink()


def _icons_of_pages(out: Path) -> set[str]:
    """The icon classes of every page: read again from the pages written since the record of
    earlier builds, the others' from that record (reading a 200-page book's HTML took a third of
    a second)."""
    record = out / ICONS_RECORD
    try:
        known, since = json.loads(record.read_text(encoding="utf-8")), record.stat().st_mtime_ns
    except (OSError, ValueError):
        known, since = {}, -1
    pages = {p.stem: p for p in out.glob("*.html")}
    known = {page: icons for page, icons in known.items() if page in pages}
    for page, path in pages.items():
        if page not in known or path.stat().st_mtime_ns >= since:
            known[page] = sorted(set(_ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore"))))
    record.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
    return {icon for icons in known.values() for icon in icons}


def _subset(font_path: Path, codepoints: set[int]) -> None:
    from fontTools import subset

    options = subset.Options(flavor="woff2", layout_features=["*"])
    font = subset.load_font(str(font_path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints & set(font.getBestCmap() or {}))
    subsetter.subset(font)
    subset.save_font(font, str(font_path), options)


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _lighten(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _name(a).endswith(_UNUSED_ASSETS)]
    if "body" in context:
        context["body"] = lighten_body(context["body"])


def lighten_body(body: str) -> str:
    """The page's body with the markup above removed; what it shows is unchanged."""
    body = _PLAIN_SPAN.sub(r"\1", body).replace(_ACCESS_DOT, ".").replace(_EMPTY_SPAN, "<pre>")
    body = _CLASSES.sub(_without_docutils, body)
    body = _TAB_ID.sub(lambda m: f'"{m.group(1)[0]}-{m.group(2)}{"-c" if m.group(3) else ""}"', _NOWRAP_WORD.sub(r"\1", body))
    parts = _PRE.split(body)  # code blocks keep every line break
    return "".join(part if i % 2 else _BLOCK_BREAK.sub("><", part) for i, part in enumerate(parts))
