"""Render: one Jupyter Book per language, from merged notebooks, with execution off.

Jupyter Book 1's CLI cannot set the language of a build, so each language gets its own generated
source folder `_build/src/<lang>/` with a `_config.yml` derived from the book's, turned into a
`conf.py` by `jupyter-book config sphinx` and built by `sphinx-build -W` (warnings fail).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import polib
import yaml
from nbformat import NotebookNode

from .book_ext.ui import THEME_LABELS
from .config import PipelineConfig
from .errors import PipelineError, Where

SCRIPTS_DIR = Path(__file__).resolve().parent
THEME_LOCALE_DIR = "_locale"


def ui_catalog(config: PipelineConfig, lang: str) -> dict[str, str]:
    """Translations of the extension's interface strings for *lang* (empty for the source language)."""
    path = config.locale_dir / lang / "LC_MESSAGES" / "ui.po"
    if not path.is_file():
        return {}
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.fuzzy and not e.obsolete}


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
        }
    )
    return derived


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
    """Write `_build/src/<lang>/`: the merged notebooks, `_toc.yml` and `_config.yml`."""
    out = config.build_dir / "src" / lang
    wanted = {out / f"{section}.ipynb" for section in pages}
    for stale in out.rglob("*.ipynb") if out.exists() else []:
        if stale not in wanted:
            stale.unlink()
    for section, nb in pages.items():
        _write_if_changed(out / f"{section}.ipynb", nbformat.writes(nb))
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
        output = (result.stdout + result.stderr).strip()
        raise PipelineError(f"{what} failed:\n{output[-4000:]}", where)
    return result


def render(config: PipelineConfig, lang: str, source: Path) -> tuple[Path, list[str]]:
    """Build the HTML of one language.

    :returns: the HTML folder and the warnings Sphinx printed (none, or the build failed).
    :raises PipelineError: with Sphinx's warnings, which name the page and line.
    """
    where = Where(f"_build/src/{lang}", lang=lang)
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
        warnings = warnings_file.read_text(encoding="utf-8").strip() if warnings_file.exists() else ""
        raise PipelineError(f"Sphinx reported problems:\n{warnings or err}", where) from err
    warnings = [w for w in warnings_file.read_text(encoding="utf-8").splitlines() if w.strip()]
    return html, warnings


def clean(config: PipelineConfig) -> None:
    """Remove everything the build wrote except the published site and the execution cache."""
    for name in ("src", "html", "doctrees", "logs"):
        shutil.rmtree(config.build_dir / name, ignore_errors=True)
