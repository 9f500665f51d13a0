"""MyST to plain CommonMark, for notebooks: what Colab and Jupyter render, with nothing left over.

Target labels disappear, `{ref}` cross-references become links to the page on the published site
(in the notebook's language), notes become block quotes with a bold title, dropdowns become
`<details>` with a `<summary>`. Math (`$...$`, `$$...$$`) stays: Colab and Jupyter render it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nbformat import NotebookNode

from .errors import PipelineError
from .notebooks import markdown_parser

_MD = markdown_parser()
LABEL_LINE = re.compile(r"^\s*\(([\w:.-]+)\)=\s*$")
REF = re.compile(r"\{ref\}`([^`<]*?)\s*(?:<([\w:.-]+)>)?`")
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso"}


@dataclass(frozen=True)
class Target:
    """Where a label points: a page (section), and the title of the heading it labels."""

    page: str
    title: str
    top: bool  # the page's own title: link to the page, not to an anchor


def targets(pages: dict[str, NotebookNode]) -> dict[str, Target]:
    """Every `(label)=` of the (localized) pages, with the heading that follows it."""
    found = {}
    for page, nb in pages.items():
        first = True
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            lines = cell.source.splitlines()
            for k, line in enumerate(lines):
                match = LABEL_LINE.match(line)
                if not match:
                    continue
                heading = next((_HEADING.match(x) for x in lines[k + 1 :] if x.strip()), None)
                title = heading.group(2) if heading else match.group(1)
                found[match.group(1)] = Target(page, title, first and heading is not None and len(heading.group(1)) == 1)
                first = False
    return found


def _replace_refs(text: str, link: Callable[[str, str], str]) -> str:
    return REF.sub(lambda m: link(m.group(2) or m.group(1).strip(), m.group(1).strip() if m.group(2) else ""), text)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def to_commonmark(markdown: str, link: Callable[[str, str], str], labels: dict[str, str]) -> str:
    """Rewrite one cell of MyST as CommonMark.

    :param link: ``link(label, text)`` gives the Markdown link of a cross-reference
        (``text`` empty: the target's title).
    :param labels: directive name -> its translated title (for notes without a title).
    :raises PipelineError: for a directive this conversion does not know.
    """
    lines = markdown.splitlines()
    out: list[str] = []
    cursor = 0
    for token in _MD.parse(markdown):
        if token.level != 0 or token.type != "colon_fence" or not token.map:
            continue
        start, end = token.map
        out.extend(lines[cursor:start])
        cursor = end
        match = _DIRECTIVE.match(token.info.strip())
        if not match:
            out.extend(lines[start:end])
            continue
        name, argument = match.groups()
        body_lines = token.content.splitlines()
        while body_lines and re.match(r"^:[\w-]+:", body_lines[0]):  # directive options
            body_lines.pop(0)
        body = to_commonmark("\n".join(body_lines), link, labels).strip("\n")
        if name == "dropdown":
            summary = _replace_refs(argument, link) or labels.get(name, name)
            out += ["<details>", f"<summary>{summary}</summary>", "", body, "", "</details>"]
        elif name in ADMONITIONS or name == "admonition":
            title = _replace_refs(argument, link) or labels.get(name, name.capitalize())
            out += [_quote(f"**{title}**\n\n{body}")]
        else:
            raise PipelineError(f"no plain-Markdown equivalent for the directive {{{name}}} in a notebook")
    out.extend(lines[cursor:])
    text = "\n".join(line for line in out if not LABEL_LINE.match(line))
    return _replace_refs(text, link).strip("\n")


def myst_left(markdown: str) -> list[str]:
    """MyST-only constructs in *markdown*: labels, roles, directive fences (for the tests)."""
    found = []
    for line in markdown.splitlines():
        if LABEL_LINE.match(line):
            found.append(line.strip())
        if re.match(r"^\s*(:{3,}|`{3,})\s*\{", line):
            found.append(line.strip())
    found += [m.group(0) for m in re.finditer(r"\{[\w:-]+\}`[^`]*`", markdown)]
    return found
