"""Lines under each page title: which framework versions and devices produced its outputs, and,
where a translation is incomplete, a notice that links to the English page."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .ui import ui_text


def setup_provenance(app: Sphinx) -> None:
    # {docname: [[label, version, device], ...]}, written by the render stage from the executions.
    app.add_config_value("book_provenance", {}, "env", dict)
    # {docname: number of paragraphs shown in English}, written by the render stage.
    app.add_config_value("book_untranslated", {}, "env", dict)
    app.add_transform(ProvenanceLine)
    app.add_transform(PartialTranslationNotice)


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


class PartialTranslationNotice(SphinxTransform):
    """A fuzzy or missing translation shows the English text; the reader is told, in their language."""

    default_priority = 501

    def apply(self, **kwargs) -> None:
        missing = self.config.book_untranslated.get(self.env.docname, 0)
        title = next(iter(self.document.findall(nodes.title)), None)
        if not missing or title is None:
            return
        up = "../" * (self.env.docname.count("/") + 1)
        notice = nodes.note(classes=["book-partial-translation"])
        text = ui_text(self.config, "Part of this page is not translated yet and is shown in English ({count} paragraphs).", count=str(missing))
        para = nodes.paragraph(text=text + " ")
        para += nodes.reference(
            "", ui_text(self.config, "Read the English page."), refuri=f"{up}en/{self.env.docname}.html", internal=False
        )
        notice += para
        section = title.parent
        section.insert(section.index(title) + 1, notice)
