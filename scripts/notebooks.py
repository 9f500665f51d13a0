"""Reading the MyST notebooks of book/: cells stamped with their source line, tags checked."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import nbjson
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from nbformat import NotebookNode

from .errors import PipelineError, Where

SOLUTION_TAG = "solution"
LINE = "book_line"  # cell metadata: the 1-based line of the source file where the cell's text starts
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")


def markdown_parser():
    """The MyST block parser, with the extensions the book enables in `_config.yml`."""
    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath"}), RendererHTML)


_MD = markdown_parser()


def _stamp_lines(nb: NotebookNode, text: str) -> None:
    """Record in each cell's metadata the line of the file where its text starts.

    jupytext keeps no positions, so the cells are found again in order: a code cell at the next
    `{code-cell}` fence (its text after the options and the blank line that follows them), a
    Markdown cell at the next line equal to its first line.
    """
    lines = text.splitlines()
    cursor = 0
    for cell in nb.cells:
        source = cell.source.splitlines()
        if cell.cell_type == "code":
            fence = next((n for n in range(cursor, len(lines)) if _CODE_FENCE.match(lines[n])), cursor)
            first = source[0] if source else None
            start = next((n for n in range(fence + 1, len(lines)) if first is not None and lines[n] == first), fence)
        else:
            first = next((s for s in source if s.strip()), "")
            start = next((n for n in range(cursor, len(lines)) if lines[n] == first), cursor)
        cell.metadata[LINE] = start + 1
        cursor = start + max(1, len(source))


def read_source(path: Path, cache: Path | None = None) -> NotebookNode:
    """Read one MyST notebook of the book, each cell stamped with its line (metadata `book_line`).

    :param cache: a folder where the parsed notebook is kept, by the digest of its text (parsing
        is the slow part of a build in which little changed).
    :raises PipelineError: if jupytext cannot parse it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PipelineError(f"cannot read: {err}", Where(str(path))) from err
    digest = hashlib.sha256(text.encode() + jupytext.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[:20]
    kept = cache / f"{path.stem}.ipynb" if cache else None
    if kept and kept.is_file():
        nb = read_notebook(kept)
        if nb.metadata.get("book_source_digest") == digest:
            del nb.metadata["book_source_digest"]
            return nb
    try:
        nb = jupytext.reads(text, fmt="md:myst")
    except Exception as err:  # jupytext raises many types for bad input
        raise PipelineError(f"cannot parse as a MyST notebook: {err}", Where(str(path))) from err
    _stamp_lines(nb, text)
    if kept:
        nb.metadata["book_source_digest"] = digest
        write_notebook(nb, kept)
        del nb.metadata["book_source_digest"]
    return nb


_FRAMEWORK_BLOCK = re.compile(r"^\{framework\}\s+(\S+)\s*$")


def framework_blocks(markdown: str) -> list[tuple[int, int, str, str]]:
    """The `{framework}` prose blocks of a Markdown cell, also those inside other directives (a
    solution's dropdown): (first line, end line, framework, body); lines of nested blocks count
    within their directive's body."""
    blocks = []
    for token in _MD.parse(markdown):
        if token.type != "colon_fence" or token.level != 0:
            continue
        match = _FRAMEWORK_BLOCK.match(token.info.strip())
        if match:
            blocks.append((token.map[0], token.map[1], match.group(1), token.content))
        else:
            blocks += framework_blocks(token.content)
    return blocks


def prose_for(markdown: str, framework: str) -> str:
    """The Markdown a reader of *framework* sees: its own blocks unwrapped, the others' removed,
    also inside other directives."""
    lines = markdown.splitlines()
    for token in reversed([t for t in _MD.parse(markdown) if t.type == "colon_fence" and t.level == 0]):
        start, end = token.map
        match = _FRAMEWORK_BLOCK.match(token.info.strip())
        if match:
            lines[start:end] = token.content.rstrip("\n").splitlines() if match.group(1) == framework else []
        elif "{framework}" in token.content:
            closing = [lines[end - 1]] if end - 1 > start and lines[end - 1].strip().startswith(":::") else []
            inner = prose_for(token.content, framework).splitlines()
            lines[start:end] = [lines[start], *inner, *closing]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def cell_frameworks(cell: NotebookNode, frameworks: tuple[str, ...]) -> tuple[str, ...]:
    """The frameworks a code cell runs in, in configured order, read from its tags.

    A cell shared by every framework carries every framework's tag, so that a typo in a tag
    cannot silently turn a one-framework cell into an all-framework one.
    """
    tags = cell.get("metadata", {}).get("tags", [])
    return tuple(fw for fw in frameworks if fw in tags)


def _ends_with_dropdown(cell: NotebookNode) -> bool:
    """Whether the last block of a Markdown cell is a `{dropdown}` (a solution's title and text)."""
    if "{dropdown}" not in cell.source:  # most cells: no need to parse
        return False
    blocks = [t for t in _MD.parse(cell.source) if t.level == 0 and t.nesting != -1]
    last = blocks[-1] if blocks else None
    return last is not None and last.type == "colon_fence" and last.info.strip().startswith("{dropdown}")


def check_code_tags(nb: NotebookNode, frameworks: tuple[str, ...], path: str) -> None:
    """Every code cell belongs to configured frameworks and carries only known tags; the code
    cells right after a `{dropdown}` are its solution (tagged `solution`) and only they are.

    :raises PipelineError: listing every offending cell as `path:line`.
    """
    known = {*frameworks, SOLUTION_TAG}
    problems = []
    after_dropdown = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            after_dropdown = cell.cell_type == "markdown" and _ends_with_dropdown(cell)
            continue
        where = Where(path, line=cell.metadata.get(LINE))
        tags = cell.get("metadata", {}).get("tags", [])
        unknown = [t for t in tags if t not in known]
        if unknown:
            problems.append(f"{where}: unknown tag {', '.join(map(repr, unknown))} on a code cell; known tags: {', '.join(sorted(known))}")
        elif not cell_frameworks(cell, frameworks):
            problems.append(f"{where}: code cell has no framework tag (tags: {tags}); expected one of {', '.join(frameworks)}")
        solution = SOLUTION_TAG in tags
        if after_dropdown and not solution and not unknown:
            problems.append(f"{where}: this code cell follows a solution dropdown but is not tagged `{SOLUTION_TAG}` (it would show the answer outside the dropdown); tag it, or put prose between")
        if solution and not after_dropdown:
            problems.append(f"{where}: code cell tagged `{SOLUTION_TAG}` does not follow a `{{dropdown}}` (only other solution cells may come between)")
    if problems:
        raise PipelineError(f"{len(problems)} problems with code cell tags:\n" + "\n".join(problems))


def code_cells(nb: NotebookNode) -> list[tuple[int, NotebookNode]]:
    """(index, cell) of every code cell, index counted over all cells."""
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def code_cell(source: str, metadata: dict | None = None, outputs: list | None = None, execution_count: int | None = None) -> NotebookNode:
    """A code cell, made without nbformat's schema validation (slow, and these cells are ours)."""
    return nbformat.from_dict({"cell_type": "code", "execution_count": execution_count, "metadata": metadata or {}, "outputs": outputs or [], "source": source})


def markdown_cell(source: str, metadata: dict | None = None) -> NotebookNode:
    return nbformat.from_dict({"cell_type": "markdown", "metadata": metadata or {}, "source": source})


def notebook(cells: list[NotebookNode], metadata: dict | None = None) -> NotebookNode:
    """A notebook of *cells*, with content-derived cell ids (see stable_ids)."""
    return stable_ids(nbformat.from_dict({"cells": cells, "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5}))


def read_notebook(path: Path) -> NotebookNode:
    """A notebook the pipeline wrote itself, read without validating it again."""
    return nbjson.reads(path.read_text(encoding="utf-8"))  # multi-line strings joined, as nbformat.read


def stable_ids(nb: NotebookNode) -> NotebookNode:
    """Give every cell an id derived from its content (nbformat draws random ones), so that two
    builds of the same sources write byte-identical notebooks."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        digest = hashlib.sha256(f"{cell.cell_type}\0{cell.source}".encode()).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = hashlib.sha256(f"{digest}{seen[digest]}".encode()).hexdigest()[:12]
    return nb


def notebook_text(nb: NotebookNode) -> str:
    """The notebook as written to disk: stable cell ids."""
    return nbformat.writes(stable_ids(nb))


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write *nb* with stable cell ids, leaving an identical file untouched (and its mtime)."""
    text = notebook_text(nb)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
