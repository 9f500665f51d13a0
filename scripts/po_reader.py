"""Reading catalogs strictly: refuse what GNU `msgfmt -c` refuses, then parse with polib.

polib is lenient: a msgstr missing its closing quote loses its last character, an entry without
`msgstr` is dropped and a duplicate msgid silently replaces the first. A translation lost that
way would be published truncated and then written back by `catalogs`. So every command reads
catalogs through `read_po`, which first checks the syntax line by line and names `file:line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .errors import PipelineError, Where

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?:\s+(.*))?$")
_ESCAPE = re.compile(r'\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9a-fA-F]+)')


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str


def _string_problem(text: str) -> str | None:
    """What is wrong with one quoted C string (the whole rest of a line), or None."""
    text = text.strip()
    if not text.startswith('"'):
        return "a string must start with a double quote"
    body, k = text[1:], 0
    while k < len(body):
        char = body[k]
        if char == "\\":
            match = _ESCAPE.match(body, k)
            if not match:
                return f"invalid escape sequence {body[k:k + 2]!r}"
            k = match.end()
            continue
        if char == '"':
            rest = body[k + 1 :].strip()
            return None if not rest else f"text after the closing quote: {rest[:20]!r}"
        k += 1
    return "end of line within a string (missing closing quote)"


def _unescape(text: str) -> str:
    return polib.unescape(text.strip()[1:-1])


class _Entry:
    """One entry being read: its keywords, in order, with their line numbers and values."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, int, str]] = []  # (keyword, line, value so far)
        self.obsolete = False

    def keywords(self) -> list[str]:
        return [k for k, _, _ in self.parts]

    def value(self, keyword: str) -> str | None:
        return next((v for k, _, v in self.parts if k == keyword), None)

    def line(self, keyword: str) -> int:
        return next((n for k, n, _ in self.parts if k == keyword), 0)


def _entry_problems(entry: _Entry) -> list[SyntaxProblem]:
    keys = entry.keywords()
    if not keys:
        return []
    first_line = entry.parts[0][1]
    if "msgid" not in keys:
        return [SyntaxProblem(first_line, f"{keys[0]} without a msgid before it")]
    msgstrs = [k for k in keys if k.startswith("msgstr")]
    if not msgstrs:
        return [SyntaxProblem(entry.line("msgid"), "missing 'msgstr' section")]
    problems = []
    msgid, msgstr = entry.value("msgid") or "", entry.value(msgstrs[0]) or ""
    if msgid and msgstr:  # msgfmt -c: both begin and end with a newline, or neither does
        if msgid.startswith("\n") != msgstr.startswith("\n"):
            problems.append(SyntaxProblem(entry.line(msgstrs[0]), "msgid and msgstr must both begin with '\\n' or neither"))
        if msgid.endswith("\n") != msgstr.endswith("\n"):
            problems.append(SyntaxProblem(entry.line(msgstrs[0]), "msgid and msgstr must both end with '\\n' or neither"))
    return problems


def check_syntax(text: str) -> list[SyntaxProblem]:
    """Every syntax problem of a .po file's text, with its line number (1-based)."""
    problems: list[SyntaxProblem] = []
    entries: list[_Entry] = []
    current = _Entry()
    last_keyword = None  # the keyword a continuation string belongs to

    def close() -> None:
        nonlocal current, last_keyword
        if current.parts:
            entries.append(current)
        current, last_keyword = _Entry(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # an obsolete entry's previous msgid
                line = "#" + line
            elif not line or line.startswith("#"):
                continue
        if not line or line.startswith("#"):
            if not line:
                close()
            elif line.startswith("#|"):  # a previous msgid: its strings must be well formed too
                match = _KEYWORD.match(line[2:].strip())
                rest = match.group(2) if match else line[2:].strip()
                problem = _string_problem(rest or "") if rest else None
                if problem:
                    problems.append(SyntaxProblem(number, problem))
            elif current.parts and not obsolete:
                close()  # a comment after strings starts a new entry
            continue
        if obsolete != current.obsolete and current.parts:
            close()
        current.obsolete = obsolete
        if line.startswith('"'):
            problem = _string_problem(line)
            if problem:
                problems.append(SyntaxProblem(number, problem))
            elif last_keyword is None:
                problems.append(SyntaxProblem(number, "a string outside any msgid or msgstr"))
            else:
                keyword, at, value = current.parts[-1]
                current.parts[-1] = (keyword, at, value + _unescape(line))
            continue
        match = _KEYWORD.match(line)
        if not match:
            problems.append(SyntaxProblem(number, f"unknown keyword: {line.split()[0][:30]!r}"))
            last_keyword = None
            continue
        keyword, rest = match.group(1), match.group(2) or ""
        problem = _string_problem(rest)
        if problem:
            problems.append(SyntaxProblem(number, f"{keyword}: {problem}"))
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current.keywords()):
            close()  # entries need not be separated by a blank line
            current.obsolete = obsolete
        if keyword in current.keywords():
            problems.append(SyntaxProblem(number, f"{keyword} twice in one entry"))
        current.parts.append((keyword, number, "" if problem else _unescape(rest)))
        last_keyword = keyword
    close()
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        problems.extend(_entry_problems(entry))
        if entry.obsolete or "msgid" not in entry.keywords():
            continue
        key = (entry.value("msgctxt") or "", entry.value("msgid") or "")
        if key in seen:
            problems.append(SyntaxProblem(entry.line("msgid"), f"duplicate message definition (first at line {seen[key]})"))
        else:
            seen[key] = entry.line("msgid")
    return sorted(problems, key=lambda p: p.line)


def read_po(path: Path, root: Path | None = None) -> polib.POFile:
    """Parse one .po/.pot file, refusing anything GNU msgfmt would refuse.

    :raises PipelineError: listing every problem as `file:line: message`.
    """
    name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PipelineError(f"cannot read the catalog: {err}", Where(name)) from err
    problems = check_syntax(text)
    if problems:
        listing = "\n".join(f"{name}:{p.line}: {p.message}" for p in problems)
        raise PipelineError(
            f"{len(problems)} syntax problems in a catalog (nothing was read from it or written to it):\n{listing}",
            Where(name, line=problems[0].line),
        )
    return polib.pofile(text, wrapwidth=0)
