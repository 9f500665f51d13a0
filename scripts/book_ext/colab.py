"""The launch menu ("Open in Colab" per framework) and the download menu (a notebook per framework),
in the page's language.

Jupyter Book's own Colab button and its notebook download point at the page's source, which
mixes every framework in one notebook that no kernel can run; this handler runs after the theme's
and offers instead the notebooks the build generated for this page, language and framework.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .ui import ui_text

COLAB_ICON = "_static/images/logo_colab.png"


def setup_colab(app: Sphinx) -> None:
    # {"base": colab URL of the notebooks folder, "notebooks": {docname: [framework, ...]},
    #  "frameworks": [[name, label, runs_on_colab], ...]}
    app.add_config_value("book_colab", {}, "env", dict)
    app.connect("html-page-context", add_launch_menu, priority=510)  # after the theme's (501)


def launch_entries(config: Any, pagename: str) -> list[dict[str, str]]:
    """The menu entries of one page: Colab links first, then downloads, one per framework."""
    colab = config.book_colab
    names = colab.get("notebooks", {}).get(pagename, [])
    lang = config.book_language
    up = "../" * (pagename.count("/") + 1)
    launch, download = [], []

    def entry(text: str, icon: str, url: str, label: str) -> dict[str, str]:
        return {"type": "link", "text": text, "tooltip": text, "icon": icon, "url": url, "label": label}

    for name, label, runs_on_colab in colab.get("frameworks", []):
        if name not in names:
            continue
        path = f"{lang}/{name}/{pagename}.ipynb"
        local = f"{up}notebooks/{path}"
        if runs_on_colab:
            text = ui_text(config, "Open in Colab ({framework})", framework=label)
            launch.append(entry(text, COLAB_ICON, f"{colab['base']}/{path}", f"colab-{name}"))
        else:
            text = ui_text(config, "{framework} does not run on Colab: download its notebook", framework=label)
            launch.append(entry(text, "fas fa-ban", local, f"no-colab-{name}"))
        text = ui_text(config, "Download notebook ({framework})", framework=label)
        download.append(entry(text, "fas fa-download", local, f"download-{name}"))
    for name, label, _ in colab.get("frameworks", []):  # the whole book, printed for each framework
        text = ui_text(config, "The book as a PDF ({framework})", framework=label)
        download.append(entry(text, "fas fa-file-pdf", f"{up}pdf/{lang}/{name}.pdf", f"download-pdf-{name}"))
    return launch + download


# The theme's download entries for the page's source (the merged, four-framework notebook) and
# its "print to PDF" of one page: the menu offers runnable notebooks and the book's PDFs instead.
SOURCE_DOWNLOADS = {"download-notebook-button", "download-source-button", "download-pdf-button"}


def add_launch_menu(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    buttons = context.get("header_buttons")
    if buttons is None:
        return
    buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]
    entries = launch_entries(app.config, pagename)
    launch = [e for e in entries if not e["label"].startswith("download-")]
    downloads = [e for e in entries if e["label"].startswith("download-")]
    for group in buttons:
        if group.get("label") == "download-buttons":
            group["buttons"][:] = downloads + [b for b in group["buttons"] if b.get("label") not in SOURCE_DOWNLOADS]
    if launch:
        buttons.insert(0, {
            "type": "group",
            "tooltip": ui_text(app.config, "Run this page as a notebook"),
            "icon": "fas fa-rocket",
            "buttons": launch,
            "label": "launch-buttons",
        })
