"""Colab notebooks: one per page, language and framework, from the same localized page as the site.

Each notebook holds the page's prose in its language, that framework's code cells in source order,
no outputs, and a first set-up cell that installs only what a Colab runtime lacks (it never
upgrades or downgrades a preinstalled package) and does nothing elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .config import Framework, PipelineConfig
from .notebooks import cell_frameworks, prose_for, write_notebook

SETUP_TAG = "colab-setup"

SETUP_TEMPLATE = '''\
# Set-up for Google Colab: installs only what this runtime lacks and leaves every
# preinstalled package as it is. Outside Colab it does nothing.
import importlib.util
import os
import subprocess
import sys

REQUIRED = {required!r}  # module -> package to install when the module is missing
if "COLAB_RELEASE_TAG" in os.environ or "google.colab" in sys.modules:
    missing = [package for module, package in REQUIRED.items() if importlib.util.find_spec(module) is None]
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
'''


def setup_cell(fw: Framework) -> NotebookNode:
    source = SETUP_TEMPLATE.format(required=dict(fw.colab_packages))
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG]})


def colab_notebook(
    page: NotebookNode, fw: Framework, frameworks: tuple[str, ...], title: str, gpu: bool = False
) -> NotebookNode:
    """The Colab notebook of one localized page for one framework.

    :param page: the localized source page (not merged): prose in the page's language.
    :param gpu: ask Colab for a GPU runtime (only pages that need one: it is a scarce resource).
    """
    cells = [setup_cell(fw)]
    for cell in page.cells:
        if cell.cell_type == "markdown":
            text = prose_for(cell.source, fw.name)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code" and fw.name in cell_frameworks(cell, frameworks):
            cells.append(nbformat.v4.new_code_cell(cell.source))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "colab": {"name": title, "provenance": []},
    }
    if gpu:
        nb.metadata["accelerator"] = "GPU"
        nb.metadata["colab"]["gpuType"] = "T4"
    return nb


def notebook_path(lang: str, framework: str, section: str) -> str:
    """Where a notebook lives, relative to the notebooks folder (and the published branch)."""
    return f"{lang}/{framework}/{section}.ipynb"


def write_notebooks(config: PipelineConfig, lang: str, pages: dict[str, NotebookNode], out: Path) -> list[Path]:
    """Write the Colab notebooks of one language under `<out>/<lang>/`."""
    written = []
    for section in pages:
        for fw in config.frameworks:
            if not any(c.cell_type == "code" and fw.name in cell_frameworks(c, config.framework_names) for c in pages[section].cells):
                continue
            gpu = section in config.colab_gpu_pages
            nb = colab_notebook(pages[section], fw, config.framework_names, f"{section}.ipynb", gpu)
            path = out / notebook_path(lang, fw.name, section)
            write_notebook(nb, path)
            written.append(path)
    return written
