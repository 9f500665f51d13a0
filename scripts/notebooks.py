"""Reading the MyST notebooks of book/ and telling which frameworks a code cell belongs to."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from .errors import PipelineError, Where

SOLUTION_TAG = "solution"


def read_source(path: Path) -> NotebookNode:
    """Read one MyST notebook of the book.

    :raises PipelineError: if jupytext cannot parse it.
    """
    try:
        return jupytext.read(path, fmt="md:myst")
    except Exception as err:  # jupytext raises many types for bad input
        raise PipelineError(f"cannot parse as a MyST notebook: {err}", Where(str(path))) from err


def cell_frameworks(cell: NotebookNode, frameworks: tuple[str, ...]) -> tuple[str, ...]:
    """The frameworks a code cell runs in, in configured order, read from its tags.

    A cell shared by every framework carries every framework's tag, so that a typo in a tag
    cannot silently turn a one-framework cell into an all-framework one.
    """
    tags = cell.get("metadata", {}).get("tags", [])
    return tuple(fw for fw in frameworks if fw in tags)


def check_code_tags(nb: NotebookNode, frameworks: tuple[str, ...], path: str) -> None:
    """:raises PipelineError: naming the first code cell that belongs to no configured framework."""
    for index, cell in code_cells(nb):
        if not cell_frameworks(cell, frameworks):
            tags = cell.get("metadata", {}).get("tags", [])
            raise PipelineError(
                f"code cell has no framework tag (tags: {tags}); expected one of {', '.join(frameworks)}",
                Where(path, cell=index),
            )


def code_cells(nb: NotebookNode) -> list[tuple[int, NotebookNode]]:
    """(index, cell) of every code cell, index counted over all cells."""
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def write_notebook(nb: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
