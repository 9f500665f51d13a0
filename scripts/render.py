"""Render: one Jupyter Book per language, from merged notebooks, with execution off.

Jupyter Book 1's CLI cannot set the language of a build, so each language gets its own generated
source folder `_build/src/<lang>/` with a `_config.yml` derived from the book's, turned into a
`conf.py` by `jupyter-book config sphinx` and built by `sphinx-build -W` (warnings fail).
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import yaml
from nbformat import NotebookNode

from .book_ext.panels import FOLDER as PANELS
from .book_ext.ui import THEME_LABELS
from .config import PipelineConfig
from .errors import PipelineError, Where, strip_ansi
from .localize import LINE_ORIGINS
from .notebooks import LINE, notebook_text, read_notebook
from .po_reader import read_po

SCRIPTS_DIR = Path(__file__).resolve().parent
THEME_LOCALE_DIR = "_locale"
SPHINX_PAGES = {"search"}  # pages Sphinx writes besides the book's (no general index: html_use_index)


def ui_catalog(config: PipelineConfig, lang: str) -> dict[str, str]:
    """Translations of the extension's interface strings for *lang* (empty for the source language)."""
    path = config.locale_dir / lang / "LC_MESSAGES" / "ui.po"
    if not path.is_file():
        return {}
    return {e.msgid: e.msgstr for e in read_po(path, config.root) if e.msgstr and not e.fuzzy and not e.obsolete}


def book_config(
    config: PipelineConfig,
    lang: str,
    ui: dict[str, str],
    provenance: dict[str, list[list[str]]],
    notebooks: dict[str, list[str]],
    untranslated: dict[str, int],
) -> dict[str, Any]:
    """The Jupyter Book config of one language, derived from the book's `_config.yml`."""
    derived = copy.deepcopy(config.book_config)
    for key in ("title", "author"):
        derived[key] = ui.get(derived.get(key, ""), derived.get(key, ""))
    sphinx = derived.setdefault("sphinx", {})
    sphinx.setdefault("extra_extensions", []).append("sphinx_design")
    sphinx["local_extensions"] = {"scripts.book_ext": str(config.root)}
    sphinx_config = sphinx.setdefault("config", {})
    sphinx_config.update(
        {
            "language": lang,
            "book_language": lang,
            "book_languages": [[code, name] for code, name in config.languages.items()],
            "book_frameworks": [[fw.name, fw.label] for fw in config.frameworks],
            "book_retired": [fw.name for fw in config.frameworks if fw.retired],
            "book_ui": ui,
            "book_provenance": provenance,
            "book_untranslated": untranslated,
            "book_colab": {
                "base": config.colab_base,
                "notebooks": notebooks,
                "frameworks": [[fw.name, fw.label, fw.colab] for fw in config.frameworks],
            },
            # Each language's tab choice is shared across the whole site, whatever the language.
            "sd_tabs_storage_prefix": "builders-guide-tab-",
            # The theme labels translated in ui.po (see write_theme_labels).
            "locale_dirs": [THEME_LOCALE_DIR],
            # A change to the extension (its code, templates or static files) changes every page:
            # Sphinx rebuilds them all when a config value changes, and only then.
            "book_ext_hash": _extension_hash(),
        }
    )
    return derived


def _extension_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((SCRIPTS_DIR / "book_ext").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(SCRIPTS_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _write_if_changed(path: Path, text: str) -> None:
    """Leave unchanged files alone, so that Sphinx's incremental build re-reads only what changed."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_source(
    config: PipelineConfig,
    lang: str,
    pages: dict[str, NotebookNode],
    provenance: dict[str, list[list[str]]],
    notebooks: dict[str, list[str]],
    untranslated: dict[str, int],
) -> Path:
    """Write `_build/src/<lang>/`: the merged notebooks of *pages* (the pages to render again;
    the others' are left as they are), `_toc.yml` and `_config.yml`; drop pages not in the book."""
    out = config.build_dir / "src" / lang
    wanted = {out / f"{section}.ipynb" for section in config.sections()}
    for stale in out.rglob("*.ipynb") if out.exists() else []:
        if stale not in wanted:
            stale.unlink()
    for section, nb in pages.items():
        _write_if_changed(out / f"{section}.ipynb", notebook_text(nb))
    _write_if_changed(out / "_toc.yml", yaml.safe_dump(config.toc, allow_unicode=True, sort_keys=False))
    ui = ui_catalog(config, lang)
    derived = book_config(config, lang, ui, provenance, notebooks, untranslated)
    _write_if_changed(out / "_config.yml", yaml.safe_dump(derived, allow_unicode=True, sort_keys=False))
    write_theme_labels(ui, lang, out)
    return out


def write_theme_labels(ui: dict[str, str], lang: str, out: Path) -> None:
    """Compile the translated THEME_LABELS of *lang* into `<out>/_locale/<lang>/LC_MESSAGES/sphinx.mo`.

    Sphinx looks in `locale_dirs` before its own catalogs and those the themes register, so these
    translations fill the gaps those catalogs leave. The folder holds nothing else, so no page is
    translated by Sphinx: the pages come localized already.
    """
    mo = polib.MOFile()
    mo.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid in THEME_LABELS:
        if ui.get(msgid):
            mo.append(polib.MOEntry(msgid=msgid, msgstr=ui[msgid]))
    target = out / THEME_LOCALE_DIR / lang / "LC_MESSAGES" / "sphinx.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    mo.save(str(target))


def _run(what: str, cmd: list[str], where: Where, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = strip_ansi(result.stdout + result.stderr).strip()
        raise PipelineError(f"{what} failed:\n{output[-4000:]}", where)
    return result


def _cell_line_origin(nb: NotebookNode, line: int) -> str | None:
    """What a person edits for line *line* of a generated notebook: `book/<page>.md:N` or a catalog
    entry. myst-nb numbers the lines of cell k from (k + 1) * 10000 + 1, and docutils reports them
    one further on."""
    index, offset = line // 10000 - 1, line % 10000 - 2
    if not 0 <= index < len(nb.cells):
        return None
    meta = nb.cells[index].metadata
    origins = meta.get(LINE_ORIGINS)
    if origins and 0 <= offset < len(origins):
        origin = origins[offset]
        return origin if isinstance(origin, str) else f"{{book}}:{origin}"
    return f"{{book}}:{meta[LINE] + max(offset, 0)}" if LINE in meta else None


def map_locations(text: str, config: PipelineConfig, source: Path) -> str:
    """Rewrite every `<generated notebook>:LINE` in Sphinx's messages as the source file and line
    (or the catalog entry) it came from; strip terminal colour codes."""
    pattern = re.compile(re.escape(str(source)) + r"/([\w/.-]+?)\.ipynb(?::(\d+))?")
    notebooks: dict[str, NotebookNode | None] = {}

    def replace(match: re.Match[str]) -> str:
        page, line = match.group(1), match.group(2)
        book = str(config.source_path(page).relative_to(config.root))
        if line is None:
            return book
        if page not in notebooks:
            path = source / f"{page}.ipynb"
            notebooks[page] = read_notebook(path) if path.is_file() else None
        origin = _cell_line_origin(notebooks[page], int(line)) if notebooks[page] else None
        return origin.format(book=book) if origin else f"{book} (generated line {line})"

    return pattern.sub(replace, strip_ansi(text))


def prune_html(config: PipelineConfig, html: Path) -> None:
    """Sphinx never deletes the HTML of a page removed from the book: delete it, its source copy and
    its other frameworks' panels."""
    pages = set(config.sections()) | SPHINX_PAGES
    if not config.book_config.get("sphinx", {}).get("config", {}).get("html_copy_source", True):
        shutil.rmtree(html / "_sources", ignore_errors=True)  # left by a build that still copied them
    for path in [*html.glob("**/*.html"), *(html / "_sources").glob("**/*.*"), *(html / PANELS).glob("**/*.js")]:
        if path.is_relative_to(html / "_static") or path.is_relative_to(html / "_sphinx_design_static"):
            continue
        folder = next((html / f for f in ("_sources", PANELS) if path.is_relative_to(html / f)), html)
        if path.relative_to(folder).as_posix().split(".", 1)[0] not in pages:
            path.unlink()


def render(config: PipelineConfig, lang: str, source: Path) -> tuple[Path, list[str]]:
    """Build the HTML of one language.

    :returns: the HTML folder and the warnings Sphinx printed (none, or the build failed).
    :raises PipelineError: with Sphinx's warnings, which name the page and line.
    """
    where = Where(lang=lang)
    jb = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
    _run("jupyter-book config sphinx", [*jb, "config", "sphinx", str(source)], where, config.root)
    html = config.build_dir / "html" / lang
    doctrees = config.build_dir / "doctrees" / lang
    warnings_file = config.build_dir / "logs" / f"sphinx-{lang}.txt"
    warnings_file.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q"]
    cmd += ["-d", str(doctrees), "-w", str(warnings_file), str(source), str(html)]
    try:
        _run("sphinx-build", cmd, where, config.root)
    except PipelineError as err:
        # Sphinx re-reads only changed pages and does not keep warnings: without its environment,
        # the next build reads every page again and cannot pass over what failed here.
        (doctrees / "environment.pickle").unlink(missing_ok=True)
        warnings = warnings_file.read_text(encoding="utf-8").strip() if warnings_file.exists() else ""
        raise PipelineError(f"Sphinx reported problems:\n{map_locations(warnings or str(err), config, source)}", where) from err
    warnings = [map_locations(w, config, source) for w in warnings_file.read_text(encoding="utf-8").splitlines() if w.strip()]
    prune_html(config, html)
    return html, warnings


def clean(config: PipelineConfig) -> None:
    """Remove everything the build wrote except the published site and the execution cache."""
    for name in ("src", "html", "doctrees", "logs"):
        shutil.rmtree(config.build_dir / name, ignore_errors=True)
