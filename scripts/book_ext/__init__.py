"""Sphinx extension of the book: theme touches, framework tabs, language switcher, provenance, Colab menu."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    from .colab import setup_colab
    from .incremental import setup_incremental
    from .lang_switch import setup_lang_switch
    from .light import setup_light
    from .mathml import setup_mathml
    from .panels import setup_panels
    from .provenance import setup_provenance
    from .reproducible import setup_reproducible
    from .search import setup_search
    from .shared_static import setup_shared_static
    from .tabs import setup_tabs
    from .theme import setup_theme

    app.add_config_value("book_language", "en", "env", str)
    app.add_config_value("book_languages", [], "env", list)
    app.add_config_value("book_frameworks", [], "env", list)
    app.add_config_value("book_ui", {}, "env", dict)
    app.add_config_value("book_retired", [], "env", list)
    app.add_config_value("book_ext_hash", "", "env", str)  # see render.book_config
    setup_theme(app)
    setup_tabs(app)
    setup_lang_switch(app)
    setup_provenance(app)
    setup_colab(app)
    setup_reproducible(app)
    setup_mathml(app)
    setup_light(app)
    setup_panels(app)
    setup_search(app)
    setup_shared_static(app)
    setup_incremental(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
