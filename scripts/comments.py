"""Code comments: catalog entries of their page, translated in place; the code itself never changes.

A run of full-line comments at one indentation is one entry (one sentence may span several
lines); a comment after code on the same line is an entry of its own. A translation replaces the
comment's text only: the executable tokens, which Python's tokenizer tells apart from comments,
stay byte for byte the same in every language, so a translated comment re-executes nothing.
"""

from __future__ import annotations

import io
import tokenize
import unicodedata
from dataclasses import dataclass

# Comments that are instructions to tools, not prose for readers.
_PRAGMAS = ("noqa", "type:", "pragma", "pylint:", "fmt:")


@dataclass(frozen=True)
class Comment:
    """One translatable comment: rows [start, end) of a cell (0-based), from column `col`."""

    start: int
    end: int
    col: int
    text: str  # the comment's words, without '#', joined into one line
    inline: bool  # after code on the same line
    context: str  # the code it explains: its own line, or the first code line after it


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []  # not Python (a shell escape, say): nothing to translate


def _words(token: str) -> str:
    return token.lstrip("#").strip()


def comments(source: str) -> list[Comment]:
    """The translatable comments of one code cell, in order."""
    lines = source.splitlines()
    found: list[Comment] = []
    run: list[tokenize.TokenInfo] = []
    tokens = _tokens(source)
    # Lines without their comments, to show translators the code a comment explains.
    bare = list(lines)
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, col = token.start
            bare[row - 1] = bare[row - 1][:col].rstrip()

    def next_code(row: int) -> str:
        return next((line.strip() for line in bare[row:] if line.strip()), "")

    def close() -> None:
        if run:
            first, last = run[0], run[-1]
            text = " ".join(_words(t.string) for t in run)
            found.append(Comment(first.start[0] - 1, last.start[0], first.start[1], text, False, next_code(last.start[0])))
            run.clear()

    for token in tokens:
        if token.type != tokenize.COMMENT or not _words(token.string) or _words(token.string).startswith(_PRAGMAS):
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                close()
            continue
        row, col = token.start
        inline = bool(lines[row - 1][:col].strip())
        if inline:
            close()
            found.append(Comment(row - 1, row, col, _words(token.string), True, bare[row - 1].strip()))
        elif run and (row != run[-1].start[0] + 1 or col != run[-1].start[1]):
            close()
            run.append(token)
        else:
            run.append(token)
    close()
    return found


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _units(text: str) -> list[str]:
    """Words of Latin text, single characters of CJK text, and the spaces between."""
    units: list[str] = []
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF"
        if char == " " or wide or not units or units[-1] == " " or _width(units[-1][-1]) == 2:
            units.append(char)
        else:
            units[-1] += char
    return units


_NO_LINE_START = set("、。，．・：；？！）」』】〕〉》”’,.:;?!)")


def wrap(text: str, width: int) -> list[str]:
    """The lines of *text*, at most *width* wide (a CJK character counts two), filled greedily;
    never a line starting with closing punctuation. Where that would leave a last line of a
    character or two, the lines are evened out instead (as narrow as the same number of lines
    allows): a CJK comment has no spaces, and its last word would otherwise be cut in two."""
    lines = _fill(text, width)
    if len(lines) < 2 or _width(lines[-1]) * 4 >= max(map(_width, lines)):
        return lines
    narrowest, widest = 1, width
    while narrowest < widest:
        middle = (narrowest + widest) // 2
        if len(_fill(text, middle)) <= len(lines):
            widest = middle
        else:
            narrowest = middle + 1
    return _fill(text, widest)


_CLAUSE_END = set("、。，；：！？")  # CJK punctuation after which a line reads best broken


def _fill(text: str, width: int) -> list[str]:
    """Greedy line filling by display width. A line of CJK text breaks after its last clause
    (a 、 or 。) when that is in the line's second half, rather than inside a word such as 乱数."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
        if unit == " " and not line:
            continue
        if line and _width(line + unit) > width and unit != " " and unit[0] not in _NO_LINE_START:
            cut = max((i + 1 for i, char in enumerate(line) if char in _CLAUSE_END), default=0)
            if _width(line[:cut]) * 2 < width:
                cut = len(line)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip() + ("" if unit == " " else unit)
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def translate_comments(source: str, lookup) -> tuple[str, list[str], list[str]]:
    """Rewrite every comment of a code cell with ``lookup(text)``; None keeps the English.

    :returns: (new source, comments translated, comments left in English)
    """
    lines = source.splitlines()
    done: list[str] = []
    missing: list[str] = []
    for comment in reversed(comments(source)):  # from the bottom: earlier rows stay valid
        translated = lookup(comment.text)
        if translated is None:
            missing.append(comment.text)
            continue
        done.append(comment.text)
        if comment.inline:
            line = lines[comment.start]
            lines[comment.start] = f"{line[:comment.col]}# {translated}"
            continue
        indent = lines[comment.start][: comment.col]
        width = max(max(_width(line) for line in lines[comment.start : comment.end]), 60) - comment.col - 2
        lines[comment.start : comment.end] = [f"{indent}# {part}" for part in wrap(translated, width)]
    text = "\n".join(lines) + ("\n" if source.endswith("\n") else "")
    return text, done[::-1], missing[::-1]


def code_tokens(source: str) -> list[tuple[int, str]]:
    """The executable tokens of a cell: what must be identical in every language."""
    skip = (tokenize.COMMENT, tokenize.NL)
    ends = (tokenize.NEWLINE, tokenize.ENDMARKER)  # a final newline or none: the same code
    return [(t.type, "" if t.type in ends else t.string) for t in _tokens(source) if t.type not in skip] or [(0, source)]
