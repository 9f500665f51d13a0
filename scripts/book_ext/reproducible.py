"""Two builds of the same sources write the same bytes, whether the build is fresh or incremental.

Sphinx and myst-nb differ there in two places: myst-nb copies its stylesheet only at the end of a
build, so a fresh build links it without the `?v=` checksum later builds add; and an incremental
build keeps, in the search index, words that no page contains any more (with an empty page list).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def setup_reproducible(app: Sphinx) -> None:
    app.connect("builder-inited", _place_mystnb_css)
    app.connect("html-collect-pages", _prune_search_terms)


def _place_mystnb_css(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    from myst_nb import sphinx_ext, static

    with sphinx_ext._import_resources_path(static, "mystnb.css") as source:
        target = Path(app.builder.outdir) / "_static" / f"mystnb.{sphinx_ext._get_file_hash(source)}.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _prune_search_terms(app: Sphinx) -> list:
    """Runs before the search index is written (both happen as the build finishes)."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    prune = indexer.prune

    def prune_and_drop_empty(docnames) -> None:
        prune(docnames)
        indexed = set(indexer._titles)
        for mapping in (indexer._mapping, indexer._title_mapping):
            for word, pages in list(mapping.items()):
                pages &= indexed
                if not pages:
                    del mapping[word]

    indexer.prune = prune_and_drop_empty
    return []
