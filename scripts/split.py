"""Split: one notebook per framework, holding only that framework's code cells.

Prose is dropped here on purpose: what gets executed (and so what keys the execution cache) is
the code alone, so an edit to prose or a new translation executes nothing.
"""

from __future__ import annotations

from nbformat import NotebookNode

from .notebooks import LINE, cell_frameworks, code_cell, code_cells, notebook

ORIGIN = "origin_index"


def split(nb: NotebookNode, framework: str, frameworks: tuple[str, ...]) -> NotebookNode:
    """The code cells of *nb* that run in *framework*, each stamped with its index in *nb*."""
    cells = []
    for index, cell in code_cells(nb):
        if framework in cell_frameworks(cell, frameworks):
            metadata = {ORIGIN: index}
            if LINE in cell.metadata:
                metadata[LINE] = cell.metadata[LINE]
            cells.append(code_cell(cell.source, metadata))
    return notebook(cells)
