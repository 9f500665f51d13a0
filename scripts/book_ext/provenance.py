"""A line under each page title saying which framework versions and devices produced its outputs."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .ui import ui_text


def setup_provenance(app: Sphinx) -> None:
    # {docname: [[label, version, device], ...]}, written by the render stage from the executions.
    app.add_config_value("book_provenance", {}, "env", dict)
    app.add_transform(ProvenanceLine)


class ProvenanceLine(SphinxTransform):
    default_priority = 500

    def apply(self, **kwargs) -> None:
        runs = self.config.book_provenance.get(self.env.docname)
        title = next(iter(self.document.findall(nodes.title)), None)
        if not runs or title is None:
            return
        listed = ui_text(self.config, ", ").join(f"{label} {version} ({device})" for label, version, device in runs)
        line = nodes.paragraph(classes=["book-provenance"])
        line += nodes.emphasis(text=ui_text(self.config, "Outputs on this page were computed with {runs}.", runs=listed))
        section = title.parent
        section.insert(section.index(title) + 1, line)
