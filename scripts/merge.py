"""Merge: put the executed framework variants back into the (localized) page, cell by cell.

Each source code cell becomes one code cell per framework it runs in, in configured order,
carrying that framework's outputs and a `framework` metadata key. The Sphinx extension later
groups consecutive framework cells into one tab set; merge never writes HTML.
"""

from __future__ import annotations

import copy

import nbformat
from nbformat import NotebookNode

from .errors import PipelineError, Where
from .notebooks import cell_frameworks
from .split import ORIGIN

FRAMEWORK_KEY = "framework"


def merge(
    page: NotebookNode,
    executed: dict[str, NotebookNode],
    frameworks: tuple[str, ...],
    path: str = "",
) -> NotebookNode:
    """Interleave the outputs of *executed* (one notebook per framework) into *page*.

    :param page: the source notebook, localized or not; its code must be what was executed.
    :raises PipelineError: if an executed notebook does not match the page's code.
    """
    by_origin = {
        fw: {cell.metadata[ORIGIN]: cell for cell in nb.cells if ORIGIN in cell.metadata}
        for fw, nb in executed.items()
    }
    cells = []
    for index, cell in enumerate(page.cells):
        if cell.cell_type != "code":
            cells.append(copy.deepcopy(cell))
            continue
        for fw in cell_frameworks(cell, frameworks):
            ran = by_origin.get(fw, {}).get(index)
            if ran is None or ran.source != cell.source:
                raise PipelineError("no executed output matches this cell's code", Where(path, framework=fw, cell=index))
            metadata = copy.deepcopy(cell.metadata)
            metadata[FRAMEWORK_KEY] = fw
            merged = nbformat.v4.new_code_cell(cell.source, metadata=metadata)
            merged.outputs = copy.deepcopy(ran.outputs)
            merged.execution_count = ran.execution_count
            cells.append(merged)
    out = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(page.metadata))
    out.metadata.pop("jupytext", None)
    return out

