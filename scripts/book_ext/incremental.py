"""Incremental builds that cost what changed: work Sphinx repeats for every page on every build,
which this book does not need.

After any page changed, Sphinx numbers the figures, tables and code blocks of the whole book
again, loading every page's doctree to do so (a fifth of a second per language in a 200-page
book). The book numbers nothing, so `book_numfig: false` (`_config.yml`) turns numbering off,
which Jupyter Book's LaTeX extension otherwise forces on for every builder, and skips the walk.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment.collectors.toctree import TocTreeCollector


def setup_incremental(app: Sphinx) -> None:
    app.add_config_value("book_numfig", True, "env", bool)
    app.connect("config-inited", _numfig_as_configured, priority=900)  # after sphinx_jupyterbook_latex
    app.connect("builder-inited", _skip_figure_numbers)


def _numfig_as_configured(app: Sphinx, config: Config) -> None:
    config.numfig = config.book_numfig


def _skip_figure_numbers(app: Sphinx) -> None:
    if app.config.numfig:
        return
    for listener in app.events.listeners.get("env-get-updated", []):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            # get_updated_docs() returns the pages whose section or figure numbers changed.
            collector.assign_figure_numbers = lambda env: []  # type: ignore[method-assign]
