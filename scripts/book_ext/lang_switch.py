"""A language menu in the page header that leads to the same page in every other language.

The site is laid out as `<site>/<lang>/<page>.html`, so the same page in another language is
`../<other>/<page>.html` from the language root; the menu is a theme template fed by context.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .ui import ui_text

TEMPLATE = "book-lang-switch.html"


def setup_lang_switch(app: Sphinx) -> None:
    app.connect("config-inited", _add_template)
    app.connect("html-page-context", _add_links)


def bcp47(code: str) -> str:
    """gettext's pt_BR is HTML's pt-BR."""
    return code.replace("_", "-")


def _add_template(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if TEMPLATE not in end:
        end.insert(0, TEMPLATE)
    options["article_header_end"] = end


def lang_links(pagename: str, current: str, languages: list[list[str]]) -> list[dict[str, Any]]:
    """The menu entries of one page: every language's URL of this page, relative to it."""
    up = "../" * (pagename.count("/") + 1)
    return [
        {
            "code": code,
            "label": label,
            "hreflang": bcp47(code),
            "url": f"{up}{code}/{pagename}.html",
            "current": code == current,
        }
        for code, label in languages
    ]


def _add_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    config = app.config
    context["book_lang_links"] = lang_links(pagename, config.book_language, config.book_languages)
    context["book_lang_label"] = ui_text(config, "Language")
    context["book_framework_label"] = ui_text(config, "Framework")
    # The theme writes <html lang="{{ language }}">, which must be BCP 47 (pt-BR, zh-CN).
    context["language"] = bcp47(config.book_language)
