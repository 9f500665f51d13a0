"""Math typeset at build time as MathML, which every current browser renders: no script, no font
download and no request to a CDN, so pages show their formulas offline and wherever a CDN is
blocked. (MathJax, Sphinx's default, loads from a CDN; vendoring it would add about 1 MB to the
first visit of every page.)"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.util.math import get_node_equation_number
from sphinx.locale import _
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

LOGGER = logging.getLogger(__name__)
RENDERER = "mathml"


def setup_mathml(app: Sphinx) -> None:
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", lambda app, config: setattr(config, "html_math_renderer", RENDERER))


def _mathml(self: HTML5Translator, node: nodes.Element, latex: str, display: str) -> str:
    try:  # latex2mathml 3.81 writes \sim as the letter "~"; it is the relation ∼
        return convert(latex, display=display).replace("<mi>&#x0007E;</mi>", "<mo>&#x0223C;</mo>")
    except Exception as err:  # a construct the converter does not know: say where, show the TeX
        LOGGER.warning("cannot typeset this math as MathML (%s): %s [book.math]", err, latex, location=node, type="book", subtype="math")
        return f'<code class="book-math-source">{self.encode(latex)}</code>'


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_mathml(self, node, node.astext(), "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        self.body.append(_mathml(self, node, part, "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode
