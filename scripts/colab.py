"""Colab notebooks: one per page, language and framework, from the same localized page as the site.

Each notebook reads as well as the page in plain Markdown (see commonmark.py): a first cell with
the page's title, a link back to the page on the site and the versions its outputs were made
with; that framework's prose and code only, comments in the notebook's language; exercise
solutions collapsed (in `<details>`, their code hidden in Jupyter and shown as a titled form in
Colab). A set-up cell is added only where a Colab runtime may lack a package the code imports; it
installs just that, never upgrades or downgrades a preinstalled package, and does nothing elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .commonmark import LABEL_LINE, Target, targets, to_commonmark
from .config import Framework, PipelineConfig
from .notebooks import SOLUTION_TAG, cell_frameworks, markdown_parser, prose_for, write_notebook

SETUP_TAG = "colab-setup"
_MD = markdown_parser()

SETUP_TEMPLATE = '''\
# {comment}
import importlib.util, os, subprocess, sys
missing = [package for module, package in {required!r}.items() if importlib.util.find_spec(module) is None]
if missing and "COLAB_RELEASE_TAG" in os.environ:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
'''

SETUP_COMMENT = "On Colab, install what this runtime lacks; elsewhere this cell does nothing."
HEADER = "The {framework} notebook of a page of *{book}*: [read the page on the site]({url}), where its outputs were computed with {runs}."
# Interface strings of the notebooks, translated in ui.po (msgid -> translator comment).
MESSAGES = {
    SETUP_COMMENT: "Comment of a notebook's set-up cell.",
    HEADER: "First cell of every notebook, under the page title; keep *...*, [...]({url}) and the {placeholders}.",
    "Note": "Title of a note in a notebook.",
}


def _text(ui: dict[str, str], msgid: str, **values: str) -> str:
    return (ui.get(msgid) or msgid).format(**values)


def setup_cell(fw: Framework, ui: dict[str, str]) -> NotebookNode:
    comment = _text(ui, SETUP_COMMENT)
    source = SETUP_TEMPLATE.format(comment=comment, required=dict(fw.colab_packages))
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG]})


def _dropdown_title(markdown: str) -> str | None:
    """The title of the last `{dropdown}` of a Markdown cell (a solution's title), if any."""
    titles = [t.info.strip()[len("{dropdown}") :].strip() for t in _MD.parse(markdown) if t.type == "colon_fence" and t.info.strip().startswith("{dropdown}")]
    return titles[-1] if titles else None


def _without_title(markdown: str) -> tuple[str, str]:
    """The page's title (its first heading) and the cell without it and its label."""
    lines = markdown.splitlines()
    k = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if k is None:
        return "", markdown
    title = lines[k][2:].strip()
    rest = [line for i, line in enumerate(lines) if i != k and not (i < k and LABEL_LINE.match(line))]
    return title, "\n".join(rest).strip("\n")


def colab_notebook(
    page: NotebookNode,
    fw: Framework,
    frameworks: tuple[str, ...],
    *,
    link,
    ui: dict[str, str],
    header: str,
    gpu: bool = False,
) -> NotebookNode:
    """The notebook of one localized page for one framework.

    :param page: the localized source page (not merged): prose in the page's language.
    :param link: ``link(label, text)``: the Markdown link of a cross-reference.
    :param header: the notice under the title (see MESSAGES).
    :param gpu: ask Colab for a GPU runtime (only pages that need one: it is a scarce resource).
    """
    labels = {"note": _text(ui, "Note")}
    cells = []
    title = ""
    solution_title = None
    for cell in page.cells:
        if cell.cell_type == "markdown":
            text = prose_for(cell.source, fw.name)
            if not title:
                title, text = _without_title(text)
            solution_title = _dropdown_title(text)
            text = to_commonmark(text, link, labels)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code" and fw.name in cell_frameworks(cell, frameworks):
            if SOLUTION_TAG in cell.metadata.get("tags", []) and solution_title:
                # Hidden until opened: a form with a title in Colab, a collapsed input in Jupyter.
                metadata = {"cellView": "form", "jupyter": {"source_hidden": True}}
                cells.append(nbformat.v4.new_code_cell(f"#@title {solution_title}\n{cell.source}", metadata=metadata))
            else:
                cells.append(nbformat.v4.new_code_cell(cell.source))
    first = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{header}" if title else header)]
    if fw.colab_packages:
        first.append(setup_cell(fw, ui))
    nb = nbformat.v4.new_notebook(cells=first + cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "colab": {"name": title or "notebook", "provenance": []},
    }
    if gpu:
        nb.metadata["accelerator"] = "GPU"
        nb.metadata["colab"]["gpuType"] = "T4"
    return nb


def notebook_path(lang: str, framework: str, section: str) -> str:
    """Where a notebook lives, relative to the notebooks folder (and the published branch)."""
    return f"{lang}/{framework}/{section}.ipynb"


def page_url(config: PipelineConfig, lang: str, section: str, anchor: str = "") -> str:
    return f"{config.site_url}/{lang}/{section}.html" + (f"#{anchor}" if anchor else "")


def write_notebooks(
    config: PipelineConfig,
    lang: str,
    pages: dict[str, NotebookNode],
    out: Path,
    ui: dict[str, str],
    provenance: dict[str, list[list[str]]],
    found: dict[str, Target] | None = None,
) -> list[Path]:
    """Write the notebooks of the pages given, of one language, under `<out>/<lang>/`.

    :param found: every label of the book (cross-references may point into pages not given here);
        by default the labels of *pages*.
    """
    found = targets(pages) if found is None else found
    book = ui.get(str(config.book_config.get("title", ""))) or str(config.book_config.get("title", ""))

    def link(label: str, text: str) -> str:
        target = found.get(label)
        if target is None:
            return text or label
        url = page_url(config, lang, target.page, "" if target.top else label)
        return f"[{text or target.title}]({url})"

    written = []
    for section, page in pages.items():
        runs = {label: f"{label} {version} ({device})" for label, version, device in provenance.get(section, [])}
        for fw in config.frameworks:
            if not any(c.cell_type == "code" and fw.name in cell_frameworks(c, config.framework_names) for c in page.cells):
                continue
            header = _text(ui, HEADER, framework=fw.label, book=book, url=page_url(config, lang, section), runs=runs.get(fw.label, fw.label))
            nb = colab_notebook(
                page, fw, config.framework_names, link=link, ui=ui, header=header, gpu=section in config.colab_gpu_pages
            )
            path = out / notebook_path(lang, fw.name, section)
            write_notebook(nb, path)
            written.append(path)
    return written
