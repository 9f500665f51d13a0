"""Localize: translate the prose of a notebook through a gettext catalog, paragraph by paragraph.

The unit of translation is one block of Markdown (a paragraph, a heading, a list item's paragraph,
a directive's title), kept as raw MyST so that inline code, math, roles and links travel with it.
Code cells are never touched. A missing or fuzzy translation falls back to the English text and is
counted, never dropped. The same function feeds the site and the Colab notebooks, so both say the
same thing.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib
from nbformat import NotebookNode

from .comments import comments, translate_comments
from .errors import PipelineError, Where
from .notebooks import LINE, markdown_parser
from .po_reader import read_po

# Directives whose argument is prose (the others take a name, a path or nothing).
TITLED_DIRECTIVES = {"dropdown", "admonition", "topic", "sidebar"}
_OPTION_LINE = re.compile(r"^:[\w-]+:")
_DIRECTIVE_INFO = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")


@dataclass(frozen=True)
class Segment:
    """One translatable block: lines [start, end) of a cell, rewritten as prefix + text."""

    start: int
    end: int
    prefix: str
    text: str
    suffix: str = ""


@dataclass
class LocalizeReport:
    """What localizing one page found: counts, and the English texts left untranslated."""

    total: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    comments: int = 0  # code comments translated
    comments_missing: list[str] = field(default_factory=list)  # code comments left in English

    @property
    def complete(self) -> bool:
        return not self.fuzzy and not self.untranslated


_MD = markdown_parser()
# Cell metadata of a translated Markdown cell: where each of its lines comes from, the line of
# the source file (a number) or the catalog entry ("locales/<lang>/LC_MESSAGES/<page>.po:LINE"),
# so that a Sphinx warning on a translated page points at what a person can edit.
LINE_ORIGINS = "book_line_origins"


def _one_line(content: str) -> str:
    return " ".join(line.strip() for line in content.splitlines()).strip()


def _directive_segments(token, lines: list[str]) -> Iterator[Segment]:
    """A directive fence: its title (for titled directives) and, recursively, its Markdown body."""
    match = _DIRECTIVE_INFO.match(token.info.strip())
    if not match:
        return  # a plain code block: never translated
    name, argument = match.groups()
    first = token.map[0]
    if argument and name in TITLED_DIRECTIVES:
        opening = lines[first]
        yield Segment(first, first + 1, opening[: opening.index(argument)], argument)
    body = token.content.splitlines()
    skip = 0
    while skip < len(body) and _OPTION_LINE.match(body[skip]):
        skip += 1
    if name in ("code-block", "code", "math", "raw", "eval-rst"):
        return
    offset = first + 1 + skip
    for seg in segments("\n".join(body[skip:])):
        yield Segment(seg.start + offset, seg.end + offset, seg.prefix, seg.text, seg.suffix)


def segments(text: str) -> list[Segment]:
    """Split the Markdown of one cell into its translatable blocks, in order.

    :raises PipelineError: for Markdown this module cannot translate safely (tables).
    """
    lines = text.splitlines()
    tokens = _MD.parse(text)
    found: list[Segment] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            raise PipelineError("tables are not supported in translated prose; use a list", Where(line=token.map[0] + 1))
        if token.type in ("fence", "colon_fence"):
            found.extend(_directive_segments(token, lines))
        elif token.type in ("heading_open", "paragraph_open") and token.map:
            inline = tokens[i + 1]
            first_line = inline.content.splitlines()[0] if inline.content else ""
            start, end = token.map
            source = lines[start]
            if token.type == "heading_open" and source.lstrip().startswith("#"):
                prefix = source[: source.index(first_line)]
            else:
                prefix = source[: source.index(first_line)] if first_line in source else ""
            found.append(Segment(start, end, prefix, _one_line(inline.content)))
    return found


Lookup = Callable[[str], "str | None"]


def translate_markdown(
    text: str, lookup: Lookup, origin: Callable[[str], object] = lambda block: None
) -> tuple[str, list[str], list[str], list[object]]:
    """Rewrite every block of *text* with ``lookup(block)``; None keeps the English block.

    :returns: (new text, blocks translated, blocks left in English, and per line of the new text
        where it comes from: ``origin(block)`` for a translated line, else its line index in *text*)
    """
    lines = text.splitlines()
    origins: list[object] = list(range(len(lines)))
    done: list[str] = []
    missing: list[str] = []
    # Rewrite from the bottom so that earlier line numbers stay valid.
    for seg in sorted(segments(text), key=lambda s: s.start, reverse=True):
        translated = lookup(seg.text)
        if translated is None:
            missing.append(seg.text)
            continue
        done.append(seg.text)
        lines[seg.start : seg.end] = [seg.prefix + translated + seg.suffix]
        origins[seg.start : seg.end] = [origin(seg.text)]
    return "\n".join(lines), done[::-1], missing[::-1], origins


@dataclass(frozen=True)
class Catalog:
    """The translations of one page in one language: msgid -> msgstr, plus fuzzy msgids."""

    name: str  # the file, as error messages name it
    translations: dict[str, str]
    fuzzy: frozenset[str] = frozenset()
    lines: dict[str, int] = field(default_factory=dict)  # msgid -> line of its entry
    comments: dict[str, str] = field(default_factory=dict)  # code comments (msgctxt "code comment")

    @classmethod
    def load(cls, path: Path, root: Path | None = None) -> Catalog:
        """Read a .po file strictly; a missing file is an empty catalog (everything falls back to English).

        :raises PipelineError: naming `file:line` of every syntax problem.
        """
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        if not path.is_file():
            return cls(name, {})
        po = read_po(path, root)
        live = [e for e in po if e.msgstr and not e.obsolete and not e.fuzzy]
        prose = [e for e in live if e.msgctxt != COMMENT_CONTEXT]
        fuzzy = frozenset(e.msgid for e in po if e.fuzzy and not e.obsolete and e.msgctxt != COMMENT_CONTEXT)
        comments = {e.msgid: e.msgstr for e in live if e.msgctxt == COMMENT_CONTEXT}
        return cls(name, {e.msgid: e.msgstr for e in prose}, fuzzy, {e.msgid: e.linenum for e in prose}, comments)


def localize(nb: NotebookNode, catalog: Catalog, path: str = "") -> tuple[NotebookNode, LocalizeReport]:
    """Translate the Markdown cells of *nb*; code cells are copied byte for byte.

    :returns: a new notebook and what was (not) translated.
    :raises PipelineError: naming `path:line` of Markdown that cannot be translated safely.
    """
    out = copy.deepcopy(nb)
    report = LocalizeReport()

    def lookup(text: str) -> str | None:
        return catalog.translations.get(text)

    def origin(text: str) -> str:
        return f"{catalog.name}:{catalog.lines[text]}" if text in catalog.lines else catalog.name

    for cell in out.cells:
        if cell.cell_type == "code":
            cell.source, done, missing = translate_comments(cell.source, catalog.comments.get)
            report.comments += len(done)
            report.comments_missing.extend(missing)
            continue
        if cell.cell_type != "markdown":
            continue
        try:
            cell.source, done, missing, origins = translate_markdown(cell.source, lookup, origin)
        except PipelineError as err:
            line = cell.metadata.get(LINE, 1) + (err.where.line if err.where and err.where.line else 1) - 1
            raise PipelineError(str(err).split(": ", 1)[-1], Where(path, line=line)) from err
        if done and LINE in cell.metadata:
            cell.metadata[LINE_ORIGINS] = [o if isinstance(o, str) else cell.metadata[LINE] + o for o in origins]
        report.total += len(done) + len(missing)
        report.translated += len(done)
        for text in missing:
            (report.fuzzy if text in catalog.fuzzy else report.untranslated).append(text)
    return out, report


COMMENT_CONTEXT = "code comment"  # msgctxt of code comments: never mixed up with a paragraph
COMMENT_NOTE = "The code it explains: "


def extract(nb: NotebookNode, source_text: str, source_name: str) -> polib.POFile:
    """The catalog template of one page: every prose block and every code comment, in page order,
    with the source line each starts on (a comment's entry also shows the code it explains)."""
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    file_lines = source_text.splitlines()
    cursor = 0
    seen: dict[str, polib.POEntry] = {}  # by context and msgid

    def add(text: str, line: int, note: str = "") -> None:
        occurrence = (source_name, str(line))
        key = f"{note and COMMENT_CONTEXT}\0{text}"
        if key in seen:
            seen[key].occurrences.append(occurrence)
            return
        seen[key] = polib.POEntry(msgid=text, msgstr="", occurrences=[occurrence], comment=note, msgctxt=COMMENT_CONTEXT if note else None)
        pot.append(seen[key])

    for cell in nb.cells:
        cell_lines = cell.source.splitlines()
        if cell.cell_type == "code":
            base = cell.metadata.get(LINE)
            for comment in comments(cell.source):
                if base is None:  # find the comment's line in the file, searching forward
                    first = cell_lines[comment.start]
                    base = next((n + 1 for n in range(cursor, len(file_lines)) if file_lines[n] == first), cursor + 1) - comment.start
                add(comment.text, base + comment.start, COMMENT_NOTE + comment.context)
            continue
        if cell.cell_type != "markdown":
            continue
        for seg in segments(cell.source):
            # Find the block's first line in the file, searching forward: blocks come in order.
            first = cell_lines[seg.start]
            hit = next((n for n in range(cursor, len(file_lines)) if file_lines[n] == first), cursor)
            cursor = hit
            add(seg.text, hit + 1)
    return pot
