"""Pages point at the static files all languages share, which the site keeps once: `<site>/_static/`.

Sphinx gives each language its own `_static/`, and a reader switching language would download
the theme again. A few files differ by language (the search's stemmer and word lists, the
interface translations for scripts, the language of the page's options): those stay beside the
language's pages; every other reference to `_static/` points one folder up. Publishing then only
moves files (publish.share_static); no page is rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

PER_LANGUAGE = {"documentation_options.js", "language_data.js", "translations.js"}
_REFERENCE = re.compile(r'((?:href|src)=")((?:\.\./)*)_static/([^"?#]+)')


def per_language(path: str) -> bool:
    """Whether a file of `_static/` differs between languages (`path` relative to `_static/`)."""
    name = path.rsplit("/", 1)[-1]
    return name in PER_LANGUAGE or name.endswith("stemmer.js")


def setup_shared_static(app: Sphinx) -> None:
    app.connect("html-page-context", _point_up, priority=950)


def _point_up(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "pathto" not in context:
        return
    pathto = context["pathto"]

    def shared_pathto(otheruri: str, resource: bool = False, *args: Any) -> str:
        uri = pathto(otheruri, resource, *args)
        if resource and otheruri.startswith("_static/") and not per_language(otheruri[len("_static/") :].split("?")[0]):
            return "../" + uri
        return uri

    def up(tag: str) -> str:
        return _REFERENCE.sub(lambda m: f"{m[1]}../{m[2]}_static/{m[3]}" if not per_language(m[3]) else m[0], tag)

    context["pathto"] = shared_pathto
    for name in ("favicon_url", "logo_url"):  # computed by Sphinx, not through pathto
        value = context.get(name) or ""
        if "://" not in value:
            context[name] = up(f'href="{value}"')[len('href="') : -1] if value else value
    for name in ("css_tag", "js_tag"):
        if name in context:
            context[name] = (lambda original: lambda *args, **kwargs: up(original(*args, **kwargs)))(context[name])
