"""Group framework code cells and framework prose into sphinx-design tab sets; move solutions
into their dropdown.

myst-nb cannot render code cells nested in a directive, so the merge stage leaves one cell per
framework side by side (metadata `framework`), and this post-transform wraps each run of them
into a tab set of sync group `framework`, before sphinx-design turns tab sets into HTML. Prose
that concerns one framework is written in a `{framework}` directive (`:::{framework} pytorch`);
a run of such blocks becomes a tab set of the same group, so one click switches code and prose
together. A tab set that lacks the reader's framework is hidden by `book.js`. Cells tagged
`solution` are then moved into the dropdown just before them, so readers try first.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component, is_component

from .ui import ui_text

LOGGER = logging.getLogger(__name__)
SYNC_GROUP = "framework"
SOLUTION_TAG = "solution"


PROSE_KEY = "framework_prose"


def setup_tabs(app: Sphinx) -> None:
    app.add_directive("framework", FrameworkProse)
    app.add_post_transform(FrameworkTabs)


class FrameworkProse(SphinxDirective):
    """Prose for one framework: `:::{framework} pytorch` ... `:::`."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        known = [fw for fw, _ in self.config.book_frameworks]
        if name not in known:
            raise self.error(f"unknown framework {name!r}; configured: {', '.join(known)}")
        node = nodes.container(classes=["framework-prose"])
        node[PROSE_KEY] = name
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _framework(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.container) and node.get("nb_element") == "cell_code":
        return node.get("cell_metadata", {}).get("framework")
    if isinstance(node, nodes.container) and node.get(PROSE_KEY):
        return node[PROSE_KEY]
    return None


def _runs(parent: nodes.Element, order: list[str]) -> list[list[nodes.container]]:
    """Runs of adjacent framework nodes of one kind (code cells, or prose); a run ends where a
    framework comes again (a new cell or block) or the kind changes."""
    runs: list[list[nodes.container]] = []
    current: list[nodes.container] = []
    for child in parent.children:
        fw = _framework(child)
        if fw is None or fw not in order:
            if current:
                runs.append(current)
            current = []
            continue
        if current and (
            order.index(fw) <= order.index(_framework(current[-1]) or "")
            or bool(child.get(PROSE_KEY)) != bool(current[-1].get(PROSE_KEY))
        ):
            runs.append(current)
            current = []
        current.append(child)
    if current:
        runs.append(current)
    return runs


def _retired_note(text: str) -> nodes.paragraph:
    note = nodes.paragraph(classes=["book-retired-note"])
    note += nodes.emphasis(text=text)
    return note


def _tab_set(cells: list[nodes.container], labels: dict[str, str], default: str) -> nodes.container:
    items = []
    present = [_framework(cell) for cell in cells]
    default = default if default in present else present[0]
    for cell in cells:
        fw = _framework(cell) or ""
        label = nodes.rubric(labels[fw], nodes.Text(labels[fw]), classes=["sd-tab-label"])
        label["sync_id"] = fw
        label["sync_group"] = SYNC_GROUP
        content = create_component("tab-content", classes=["sd-tab-content"], children=[cell])
        items.append(
            create_component(
                "tab-item",
                classes=["sd-tab-item", f"framework-{fw}"],
                selected=fw == default,
                children=[label, content],
            )
        )
    kind = "framework-prose-tabs" if cells[0].get(PROSE_KEY) else "framework-code-tabs"
    tab_set = create_component("tab-set", classes=["sd-tab-set", "framework-tabs", kind], children=items)
    tab_set.source, tab_set.line = cells[0].source, cells[0].line
    if any(SOLUTION_TAG in c.get("cell_metadata", {}).get("tags", []) for c in cells):
        tab_set["solution"] = True
    return tab_set


def _move_solutions(parent: nodes.Element) -> None:
    """Move each solution tab set into the dropdown just before it (only invisible nodes between)."""
    dropdown = None
    for child in list(parent.children):
        if is_component(child, "dropdown"):
            dropdown = child
        elif isinstance(child, nodes.Element) and child.get("solution"):
            if dropdown is None:
                LOGGER.warning(
                    "solution cell has no dropdown just before it [book.solution]",
                    location=child,
                    type="book",
                    subtype="solution",
                )
                continue
            parent.remove(child)
            dropdown.append(child)
        elif not isinstance(child, (nodes.target, nodes.comment, nodes.system_message)):
            dropdown = None


class FrameworkTabs(SphinxPostTransform):
    """Wrap framework cells into tab sets; runs before sphinx-design's HTML transforms (199/200)."""

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs) -> None:
        frameworks = self.config.book_frameworks
        order = [name for name, _ in frameworks]
        labels = dict(frameworks)
        if not order:
            return
        retired = set(self.config.book_retired)
        parents = {id(n.parent): n.parent for n in self.document.findall(nodes.container) if _framework(n) and n.parent}
        for parent in parents.values():
            for run in _runs(parent, order):
                index = parent.index(run[0])
                for cell in run:
                    parent.remove(cell)
                parent.insert(index, _tab_set(run, labels, order[0]))
            _move_solutions(parent)
        self._note_retired(retired, labels)

    def _note_retired(self, retired: set[str], labels: dict[str, str]) -> None:
        """Say once per page, in the page's language, that a retired framework's tab is kept as is."""
        message = "{framework} is retired upstream and no longer maintained; this tab is kept for readers of older material."
        for fw in retired:
            for item in self.document.findall(nodes.container):
                in_code = isinstance(item.parent, nodes.Element) and "framework-code-tabs" in item.parent.get("classes", [])
                if is_component(item, "tab-item") and f"framework-{fw}" in item["classes"] and in_code:
                    content = item.children[1]
                    content.insert(0, _retired_note(ui_text(self.config, message, framework=labels[fw])))
                    break
