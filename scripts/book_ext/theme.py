"""The book's touches to the Jupyter Book theme (sphinx-book-theme 1.3 on pydata-sphinx-theme 0.17).

Our static files and templates (found before the themes' own), the search placeholder in the
page's language, sphinx-copybutton's messages in the page's language, and one fix: Jupyter Book registers some inline scripts twice, and the second
copy of `const THEBE_JS_URL` is a JavaScript error on every page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .ui import ui_text

HERE = Path(__file__).parent


def setup_theme(app: Sphinx) -> None:
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _drop_duplicate_scripts)
    app.connect("html-page-context", _copy_button_texts)


def _configure(app: Sphinx, config: Config) -> None:
    # First, so that our versions of two theme components win over the themes' own.
    config.templates_path.insert(0, str(HERE / "templates"))
    # Jupyter Book hard-codes this placeholder in English.
    config.html_theme_options["search_bar_text"] = ui_text(config, "Search this book...")
    # Without an icon, browsers request /favicon.ico, a 404 in the console of every first visit.
    config.html_favicon = config.html_favicon or str(HERE / "static" / "favicon.svg")


def _add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(HERE / "static"))
        app.add_css_file("book.css")
        app.add_js_file("book.js", priority=499)  # before design-tabs.js: it makes tabs that one wires


# sphinx-copybutton's own messages (its `messages` table has no ja and no pt): book.js gives it
# the page language's, from ui.po.
COPY_BUTTON = {"copy": "Copy", "copy_to_clipboard": "Copy to clipboard", "copy_success": "Copied!", "copy_failure": "Failed to copy"}


def _copy_button_texts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    texts = {key: ui_text(app.config, text) for key, text in COPY_BUTTON.items()}
    context["book_copy_button"] = json.dumps(texts, ensure_ascii=False, separators=(",", ":"))


def _drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # pydata-sphinx-theme reads the colour mode from `default_mode`, which nothing sets: on a first
    # visit it logs "Got invalid theme mode" as a console error. Follow the system's preference.
    context["default_mode"] = context.get("default_mode") or "auto"
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ only in an inline script's file name: None in one, "" in the other.
        filename = getattr(script, "filename", script) or None
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique
