"""Check translations keep the markup of their source: code, math, roles, links, no new HTML.

A translation may reorder a sentence but must carry the same inline code spans, math, role targets
({ref}, {doc}, ...), link targets and footnote labels as its English paragraph; otherwise the page
renders wrongly or links break. Each problem is reported as `file:line: message`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

from .localize import COMMENT_CONTEXT
from .notebooks import markdown_parser
from .po_reader import check_syntax

_MD = markdown_parser()

ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
CODE = re.compile(r"(`+)(.+?)\1")
MATH = re.compile(r"\$\$?[^$]+\$\$?")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
HTML = re.compile(r"</?[a-zA-Z][^>]*>")
PLACEHOLDER = re.compile(r"\{(\w+)\}(?!`)")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _role_targets(text: str) -> Counter[str]:
    """Role name and target; for `{ref}`text <label>`` only the label must stay."""
    found: Counter[str] = Counter()
    for name, content in ROLE.findall(text):
        label = re.search(r"<([^>]+)>\s*$", content)
        found[f"{{{name}}}`{label.group(1) if label else content}`"] += 1
    return found


def markup(text: str) -> dict[str, Counter[str]]:
    """The pieces of *text* a translation must keep, by kind."""
    roles = _role_targets(text)
    without_roles = ROLE.sub(" ", text)
    code = Counter(m.group(0) for m in CODE.finditer(without_roles))
    without_code = CODE.sub(" ", without_roles)
    return {
        "inline code": code,
        "math": Counter(MATH.findall(without_code)),
        "role": roles,
        "link target": Counter(LINK_TARGET.findall(without_code)),
        "footnote": Counter(FOOTNOTE.findall(without_code)),
        "html": Counter(HTML.findall(without_code)),
        "placeholder": Counter(PLACEHOLDER.findall(without_code)),
    }


def block_structure(text: str) -> list[str]:
    """The Markdown blocks one catalog entry makes on its own: a paragraph, or a heading, a list,
    a quote, a fence, a table... A translation must make the same blocks as its source."""
    return [t.type.removesuffix("_open") for t in _MD.parse(text) if t.nesting != -1 and t.type != "inline"]


def check_entry(msgid: str, msgstr: str, code_comment: bool = False) -> list[str]:
    """What *msgstr* lost or added compared with *msgid*; empty when the markup is intact.

    A code comment is not Markdown: only its line structure matters (it stays one line).
    """
    source, target = markup(msgid), markup(msgstr)
    problems = []
    wanted, got = block_structure(msgid), block_structure(msgstr)
    if code_comment:
        wanted = got
    if wanted != got:
        problems.append(
            f"the translation changes the page's structure: it makes {' > '.join(got) or 'nothing'} where the source makes {' > '.join(wanted) or 'nothing'}"
            " (a line starting with '#', '-', '>', '1.' or a fence makes a new block)"
        )
    for kind, wanted in source.items():
        got = target[kind]
        if kind == "html":
            extra = got - wanted
            if extra:
                problems.append(f"raw HTML not in the source: {', '.join(extra)}")
            continue
        missing, added = wanted - got, got - wanted
        if missing:
            problems.append(f"{kind} missing from the translation: {', '.join(missing)}")
        if added:
            problems.append(f"{kind} not in the source: {', '.join(added)}")
    if "\n" in msgstr and "\n" not in msgid:
        problems.append("the translation spans several lines; a paragraph is one line")
    return problems


def check_catalog(path: Path, root: Path | None = None) -> list[Problem]:
    """Every problem of one .po file (syntax included), with the line of its entry."""
    name = str(path.relative_to(root)) if root else str(path)
    syntax = check_syntax(path.read_text(encoding="utf-8"))
    if syntax:
        return [Problem(name, p.line, f"invalid .po syntax: {p.message}") for p in syntax]
    po = polib.pofile(str(path), wrapwidth=0)
    problems = []
    for entry in po:
        if entry.obsolete or not entry.msgstr or entry.fuzzy:
            continue
        for message in check_entry(entry.msgid, entry.msgstr, entry.msgctxt == COMMENT_CONTEXT):
            problems.append(Problem(name, entry.linenum, message))
    return problems


def check_catalogs(locale_dir: Path, languages: tuple[str, ...], root: Path | None = None, skip: dict[str, set[str]] | None = None) -> list[Problem]:
    """The problems of every catalog of *languages* but those named in *skip* (language -> catalog
    names): a build skips the pages it does not render again, which passed when they were rendered."""
    problems = []
    for lang in languages:
        for path in sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po")):
            if path.stem not in (skip or {}).get(lang, ()):
                problems.extend(check_catalog(path, root))
    return problems
