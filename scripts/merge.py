"""Merge: put the executed framework variants back into the (localized) page, cell by cell.

Each source code cell becomes one code cell per framework it runs in, in configured order,
carrying that framework's outputs and a `framework` metadata key. The Sphinx extension later
groups consecutive framework cells into one tab set; merge never writes HTML.
"""

from __future__ import annotations

import copy

from nbformat import NotebookNode

from .comments import code_tokens
from .errors import PipelineError, Where
from .notebooks import LINE, cell_frameworks, code_cell, notebook
from .split import ORIGIN, split

FRAMEWORK_KEY = "framework"


def merge(
    page: NotebookNode,
    executed: dict[str, list[NotebookNode]],
    frameworks: tuple[str, ...],
    path: str = "",
) -> NotebookNode:
    """Interleave the outputs of *executed* (each framework's executed code cells) into *page*.

    :param page: the source notebook, localized or not; its code must be what was executed.
    :param executed: per framework, the cells of ``split(page, fw)`` in order, with outputs.
    :raises PipelineError: if an executed notebook does not match the page's code.
    """
    by_origin = {}
    for fw, cells in executed.items():
        origins = [cell.metadata[ORIGIN] for cell in split(page, fw, frameworks).cells]
        by_origin[fw] = dict(zip(origins, cells))
    cells = []
    for index, cell in enumerate(page.cells):
        if cell.cell_type != "code":
            cells.append(copy.deepcopy(cell))
            continue
        for fw in cell_frameworks(cell, frameworks):
            ran = by_origin.get(fw, {}).get(index)
            # The page's comments may be translated; its code must be what ran.
            if ran is None or code_tokens(ran.source) != code_tokens(cell.source):
                where = Where(path, framework=fw, cell=index, line=cell.metadata.get(LINE))
                raise PipelineError("no executed output matches this cell's code: run `python -m scripts execute` first", where)
            metadata = copy.deepcopy(cell.metadata)
            metadata[FRAMEWORK_KEY] = fw
            cells.append(code_cell(cell.source, metadata, copy.deepcopy(ran.outputs), ran.execution_count))
    out = notebook(cells, copy.deepcopy(dict(page.metadata)))
    out.metadata.pop("jupytext", None)
    return out

