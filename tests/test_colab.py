"""Colab notebooks: one per page, language and framework, valid, translated, runnable, linked."""

from __future__ import annotations

import importlib.util
import re
import subprocess

import nbformat
import polib
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from scripts.book_ext.panels import join_page
from scripts.colab import SETUP_TAG, notebook_path
from scripts.config import SOURCE_LANGUAGE
from scripts.commonmark import myst_left
from scripts.comments import code_tokens
from scripts.config import load_config
from scripts.notebooks import framework_blocks, read_source
from scripts.split import split

LETTERS = re.compile(r"[A-Za-z]{4,}")


def _sections(config):
    return config.sections()[1:]  # the landing page has no code


def _read(site, lang, fw, section):
    return nbformat.read(str(site / "notebooks" / notebook_path(lang, fw, section)), as_version=4)


def test_every_page_language_and_framework_has_a_valid_notebook(config, site):
    for lang in config.languages:
        for fw in config.frameworks:
            for section in _sections(config):
                nb = _read(site, lang, fw.name, section)
                nbformat.validate(nb)
                assert nb.metadata.kernelspec.name == "python3"
                assert "colab" in nb.metadata
                assert (nb.metadata.get("accelerator") == "GPU") == (section in config.colab_gpu_pages)
                setup = [c for c in nb.cells if SETUP_TAG in c.metadata.get("tags", [])]
                assert len(setup) == (1 if fw.colab_packages else 0), f"{lang}/{fw.name}/{section}: set-up cell"
                assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
                code = [code_tokens(c.source) for c in nb.cells if c.cell_type == "code" and c not in setup]
                source = read_source(config.source_path(section))
                assert code == [code_tokens(c.source) for c in split(source, fw.name, config.framework_names).cells]
                prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
                assert "{framework}" not in prose, f"{lang}/{fw.name}/{section}: a framework block left as MyST"


def test_markdown_cells_are_plain_commonmark(config, site):
    commonmark = MarkdownIt("commonmark")
    for path in sorted((site / "notebooks").rglob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            left = myst_left(cell.source)
            assert not left, f"{path.relative_to(site)}: MyST left in a Markdown cell: {left[:3]}"
            html = commonmark.render(cell.source)
            assert ":::" not in html and "{ref}" not in html, f"{path.relative_to(site)}: {html[:200]}"


def test_first_cell_names_the_page_links_back_and_says_what_made_the_outputs(config, site):
    for lang in config.languages:
        for section in _sections(config):
            page = join_page(site / lang / f"{section}.html")
            title = re.search(r"<h1>(.*?)<a class=\"headerlink\"", page).group(1)
            for fw in config.frameworks:
                first = _read(site, lang, fw.name, section).cells[0]
                assert first.cell_type == "markdown"
                assert first.source.startswith("# ") and BeautifulSoup(title, "html.parser").get_text() in first.source
                assert f"({config.site_url}/{lang}/{section}.html)" in first.source
                assert re.search(rf"{fw.label} \d+\.\d+\S* \(", first.source), first.source


def test_links_in_notebooks_lead_to_built_pages_and_anchors(config, site):
    base = config.site_url + "/"
    links = 0
    for path in sorted((site / "notebooks").rglob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            for url in re.findall(r"\]\((\S+?)\)", cell.source if cell.cell_type == "markdown" else ""):
                if not url.startswith(base):
                    continue
                page, _, anchor = url[len(base):].partition("#")
                assert page.split("/")[0] == path.parts[-3], f"{path}: link into another language: {url}"
                assert (site / page).is_file(), f"{path}: {url}"
                if anchor:
                    assert f'id="{anchor}"' in join_page(site / page), f"{path}: {url}"
                links += 1
    assert links, "no cross-reference became a link"


def test_solutions_are_collapsed(config, site):
    for lang in config.languages:
        for fw in config.framework_names:
            for section in _sections(config):
                cells = _read(site, lang, fw, section).cells
                for k, cell in enumerate(cells):
                    after_solution = k and cells[k - 1].cell_type == "markdown" and cells[k - 1].source.rstrip().endswith("</details>")
                    if cell.cell_type != "code" or not (after_solution or cell.metadata.get("cellView")):
                        continue
                    assert cell.metadata.get("cellView") == "form" and cell.metadata["jupyter"]["source_hidden"], f"{lang}/{fw}/{section}"
                    assert cell.source.startswith("#@title "), cell.source[:80]
                details = [c for c in cells if c.cell_type == "markdown" and "<details>" in c.source]
                assert details and all("<summary>" in c.source for c in details), f"{lang}/{fw}/{section}: no collapsed solution"


def test_a_forks_build_links_into_the_fork(monkeypatch, config):
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/fork")
    fork = load_config(config.root)
    assert fork.colab_base == "https://colab.research.google.com/github/someone/fork/blob/notebooks"
    assert fork.site_url == "https://someone.github.io/fork"


def _prose_blocks(nb):
    blocks = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for block in cell.source.split("\n\n"):
                stripped = re.sub(r"`[^`]*`|\$[^$]*\$|\{\w+\}|\(\S+\)=", "", block)
                if LETTERS.search(stripped) and not block.startswith((":::", "```", "(", "$$", "</details>", "<details>")):
                    blocks.append(block.strip())
    return blocks


def _kept_in_english(config, lang: str) -> set[str]:
    """Entries a translator deliberately left as in English (a title such as "GPUs" in pt_BR)."""
    kept = set()
    for path in (config.locale_dir / lang / "LC_MESSAGES").glob("*.po"):
        kept |= {e.msgstr for e in polib.pofile(str(path)) if e.msgstr == e.msgid and not e.fuzzy}
    return kept


def test_notebooks_carry_the_prose_of_their_language(config, site):
    for section in _sections(config):
        english = set(_prose_blocks(_read(site, SOURCE_LANGUAGE, config.framework_names[0], section)))
        for lang in config.translations:
            kept = _kept_in_english(config, lang)
            for fw in config.framework_names:
                left = [b for b in _prose_blocks(_read(site, lang, fw, section)) if b in english and b.lstrip("# ") not in kept]
                assert not left, f"{lang}/{fw}/{section}: English left: {left[:2]}"


def test_colab_links_point_at_produced_notebooks(config, site, soup_of):
    base = config.colab_base + "/"
    for lang in config.languages:
        for section in _sections(config):
            menu = soup_of(lang, section).select("div.dropdown-launch-buttons a")
            colab = [a["href"] for a in menu if a["href"].startswith("https://colab.research.google.com/")]
            runnable = [fw.name for fw in config.frameworks if fw.colab]
            assert len(colab) == len(runnable), f"{lang}/{section}: {colab}"
            for href, fw in zip(colab, runnable):
                assert href == base + notebook_path(lang, fw, section)
                assert (site / "notebooks" / href[len(base):]).is_file()
            downloads = [a["href"] for a in menu if "/notebooks/" in a["href"] and not a["href"].startswith("http")]
            for href in downloads:
                assert (site / lang / href).resolve().is_file(), href


def _run_setup_cell(nb, monkeypatch, on_colab: bool) -> list[list[str]]:
    """Run a notebook's set-up cell here, with pip replaced by a recorder; return the pip calls.

    The rest of each notebook is the code the build executed (the code test above proves it
    identical), so only the set-up cell has behaviour of its own to check.
    """
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kwargs: calls.append(cmd))
    if on_colab:
        monkeypatch.setenv("COLAB_RELEASE_TAG", "test")
    else:
        monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    exec(compile(nb.cells[0].source, "setup-cell", "exec"), {})
    return calls


def test_the_setup_cell_installs_only_what_a_colab_runtime_lacks(config, site, monkeypatch):
    section = _sections(config)[0]
    for fw in [fw for fw in config.frameworks if fw.colab_packages]:
        nb = _read(site, "ja", fw.name, section)
        nb.cells = [c for c in nb.cells if SETUP_TAG in c.metadata.get("tags", [])]
        assert not _run_setup_cell(nb, monkeypatch, on_colab=False), f"{fw.name}: the set-up cell acts outside Colab"
        calls = _run_setup_cell(nb, monkeypatch, on_colab=True)
        missing = [pkg for module, pkg in fw.colab_packages.items() if importlib.util.find_spec(module) is None]
        if missing:
            assert len(calls) == 1 and calls[0][-len(missing):] == missing and "install" in calls[0], calls
        else:
            assert not calls, f"{fw.name}: pip ran although nothing is missing: {calls}"
    assert any(fw.colab_packages for fw in config.frameworks), "no framework exercises the install branch"


def test_each_notebook_carries_only_its_frameworks_prose(config, site):
    for section in _sections(config):
        source = read_source(config.source_path(section))
        blocks = [b for c in source.cells if c.cell_type == "markdown" for b in framework_blocks(c.source)]
        owners: dict[str, set[str]] = {}  # a sentence may open the blocks of several frameworks
        for _, _, name, body in blocks:
            plain = [line for line in body.splitlines() if line.strip() and not line.startswith((":", "(", "`", "$"))]
            if plain:  # its first line of prose, up to any role (directives and roles become Markdown)
                owners.setdefault(plain[0].split("{")[0][:80], set()).add(name)
        for fw in config.framework_names:
            text = "\n".join(c.source for c in _read(site, SOURCE_LANGUAGE, fw, section).cells if c.cell_type == "markdown")
            for first, names in owners.items():
                assert (first in text) == (fw in names), f"{fw}/{section}: {names} block {'missing' if fw in names else 'shown'}: {first[:60]}"
