"""Each page carries the tabs of one framework; the others' arrive when a reader picks them.

A page holds the code, outputs and prose of four frameworks, and a reader reads one. So the
HTML of a page keeps only the tabs of the book's first framework; each tab set names all its
frameworks (`data-tabs`), and the panel contents of every other framework go to a small script
beside the page, `_panels/<page>.<framework>.js`. `book.js` makes the other tabs again when the
page loads, loads the reader's framework's file (remembered from earlier pages, or picked in a
tab) and fills its panels in page order; until then the article is hidden, so a reader of
another framework never sees the first one's code flash by. Scripts, not fetches: they load
from `file://` too. Without JavaScript a page shows the first framework's tabs.

`join_page` puts the panels back: the PDF, the search snippets, the tests and the benchmarks read
whole pages through it.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from .ui import ui_text

FOLDER = "_panels"
FAILED = "This tab could not be loaded. Check the connection, then pick the tab again."
_SET = re.compile(r'<div class="sd-tab-set framework-tabs[^"]*"')
# One tab: its radio input, its label (naming the framework) and the opening of its panel.
_TAB = re.compile(r'<input [^>]*>\s*<label [^>]*?data-sync-id="([^"]+)"[^>]*>.*?</label>\s*<div class="sd-tab-content[^"]*" id="[^"]+">', re.S)
_DATA_TABS = re.compile(r' data-tabs="([^"]*)">')
_NAME = re.compile(r'<input [^>]*?name="([^"]+)"')
_DIV = re.compile(r"<div\b|</div>")
_META = re.compile(r'<meta name="book:panels" content="([^"]*)" data-inline="([^"]*)" data-files="([^"]*)" data-labels="([^"]*)"[^>]*>')
_ESCAPED = re.compile(r"\\(.)", re.S)


def setup_panels(app: Sphinx) -> None:
    app.connect("html-page-context", _split, priority=950)  # after light.py has shortened the ids


def _close(text: str, start: int) -> int:
    """Where the `</div>` closing the div whose content starts at *start* begins."""
    depth = 1
    for match in _DIV.finditer(text, start):
        depth += 1 if match.group() == "<div" else -1
        if depth == 0:
            return match.start()
    raise ValueError("unbalanced <div> in a framework tab set")


def _tab_sets(body: str):
    """Each framework tab set, outermost only: (where its class attribute ends, [(framework, tab
    start, content start, content end, tab end), ...] in order)."""
    end = 0
    for match in _SET.finditer(body):
        if match.start() < end:
            continue  # inside a set already listed
        position = body.index(">", match.end()) + 1
        end = _close(body, position)
        tabs = []
        while (tab := _TAB.match(body, position)) is not None:
            stop = _close(body, tab.end())
            tabs.append((tab.group(1), tab.start(), tab.end(), stop, stop + len("</div>")))
            position = tabs[-1][4]
        if position != end:
            raise ValueError(f"a framework tab set holds something else than tabs: {body[position : position + 80]!r}")
        yield match.end(), tabs


def split_body(body: str, inline: str) -> tuple[str, dict[str, list[str]]]:
    """The body with only *inline*'s tabs, each set naming its frameworks (`data-tabs`), and the
    panel contents of every other framework, in page order."""
    kept, moved, cut = [], {}, 0
    for opened, tabs in _tab_sets(body):
        if all(framework == inline for framework, *_ in tabs):
            continue
        kept += [body[cut:opened], f' data-tabs="{" ".join(fw for fw, *_ in tabs)}"']
        cut = opened
        for framework, start, content, stop, end in tabs:
            if framework != inline:
                kept.append(body[cut:start])
                moved.setdefault(framework, []).append(body[content:stop])
                cut = end
    kept.append(body[cut:])
    return "".join(kept), moved


def tab_markup(name: str, framework: str, label: str, checked: bool, content: str) -> str:
    """A tab that `split_body` removed, as book.js makes it again (`addTabs`)."""
    key, check = f"{name}-{framework}", ' checked="checked"' if checked else ""
    return (
        f'<input{check} id="{key}" name="{name}" type="radio">'
        f'<label aria-controls="{key}-c" class="sd-tab-label" data-sync-group="framework" data-sync-id="{framework}" for="{key}">{html.escape(label)}</label>'
        f'<div class="sd-tab-content" id="{key}-c">{content}</div>'
    )


def panels_script(framework: str, contents: list[str]) -> str:
    """A framework's panels as a script: one template literal, each panel's content in a div."""
    text = "".join(f"<div>{content}</div>" for content in contents)
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("$", "\\$")
    return f'bookPanels("{framework}",`{text}`);\n'


def _script_contents(script: str) -> list[str]:
    """The panel contents of a file written by `panels_script`."""
    text = _ESCAPED.sub(r"\1", script[script.index("`") + 1 : script.rindex("`")])
    contents, start = [], 0
    while start < len(text):
        if not text.startswith("<div>", start):
            raise ValueError("a panels file holds something else than panels")
        stop = _close(text, start + len("<div>"))
        contents.append(text[start + len("<div>") : stop])
        start = stop + len("</div>")
    return contents


def join_page(page: Path) -> str:
    """The HTML of a built page with every framework's tabs and panels, as book.js completes it
    once the reader has picked every framework."""
    text = page.read_text(encoding="utf-8")
    meta = _META.search(text)
    if meta is None:
        return text
    base = page.parent / html.unescape(meta.group(1))
    contents = {fw: _script_contents(base.with_name(f"{base.name}.{fw}.js").read_text(encoding="utf-8")) for fw in meta.group(3).split()}
    labels = json.loads(html.unescape(meta.group(4)))
    out, cut = [], 0
    named = ((tabs, _DATA_TABS.match(text, opened)) for opened, tabs in _tab_sets(text))
    for n, (tabs, names) in enumerate((tabs, names) for tabs, names in named if names):
        present = {fw: (start, end) for fw, start, _, _, end in tabs}
        name = _NAME.match(text, names.end()) if present else None
        name = name.group(1) if name else f"s-x{n}"  # as book.js names a set without inline tab
        out.append(text[cut : names.end()])
        cut = names.end()
        for k, framework in enumerate(names.group(1).split()):
            if framework in present:
                start, end = present[framework]
                out.append(text[start:end])
                cut = end
            else:
                out.append(tab_markup(name, framework, labels[framework], k == 0 and not present, contents[framework].pop(0)))
    if any(contents.values()):
        raise ValueError(f"{page}: its _panels files hold more panels than its tab sets")
    return "".join(out) + text[cut:]


def _split(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    frameworks = [name for name, _ in app.config.book_frameworks]
    out = Path(app.builder.outdir) / FOLDER
    written = set()
    if frameworks and "body" in context:
        try:
            context["body"], moved = split_body(context["body"], frameworks[0])
        except ValueError as err:
            raise ExtensionError(f"{app.env.doc2path(pagename)}: cannot split its framework tabs: {err}") from err
        for framework, contents in moved.items():
            path = out / f"{pagename}.{framework}.js"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(panels_script(framework, contents), encoding="utf-8")
            written.add(path)
        if moved:
            context["book_panels"] = {
                "base": context["pathto"](f"{FOLDER}/{pagename}", 1),
                "inline": frameworks[0],
                "files": " ".join(fw for fw in frameworks if fw in moved),
                "labels": json.dumps(dict(app.config.book_frameworks), ensure_ascii=False, separators=(",", ":")),
                "failed": ui_text(app.config, FAILED),
            }
    for framework in frameworks:  # a framework this page no longer has keeps no file
        if (stale := out / f"{pagename}.{framework}.js") not in written:
            stale.unlink(missing_ok=True)
