"""A broken build stops with the place named, and the last good site stays in place."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scripts.config import load_config
from scripts.errors import PipelineError
from scripts.book_ext.panels import FOLDER as PANELS
from scripts.pipeline import _prune_executed
from scripts.publish import publish
from tests.conftest import ROOT, render_copy


def _render(root: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """Render one language (a preview) or, with "all", every language (publishing the site)."""
    if lang == "all":
        cmd = [sys.executable, "-m", "scripts", "render", "--jobs", "2"]
        return subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    return render_copy(root, lang)


def _break_a_reference(book_copy: Path) -> tuple[str, int]:
    """Add a reference to a missing label at the end of a paragraph; return the page and its line."""
    section = load_config(book_copy).sections()[1]
    source = book_copy / "book" / f"{section}.md"
    lines = source.read_text(encoding="utf-8").splitlines()
    fenced = [line.startswith("```") for line in lines]
    inside, prose = False, []
    for i, fence in enumerate(fenced):
        inside = inside != fence
        prose.append(not inside and not fence)
    # A paragraph in the middle of a Markdown cell: a paragraph just before it, no fence between.
    k = next(
        i for i, line in enumerate(lines)
        if i > 40 and all(prose[i - 2 : i + 1]) and line[:1].isalpha() and not lines[i - 1] and lines[i - 2][:1].isalpha()
    )
    lines[k] += " See {ref}`no-such-label`."
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return section, k + 1


def test_a_broken_reference_names_its_source_line_every_time_and_keeps_the_last_site(book_copy):
    section, line = _break_a_reference(book_copy)
    site = book_copy / "_build" / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    for attempt in ("all", "en"):  # Sphinx re-reads only changed pages: a second build must fail as well
        result = _render(book_copy, attempt)
        assert result.returncode == 1, f"attempt {attempt}: {result.stdout[-500:]}"
        assert f"book/{section}.md:{line}: WARNING: undefined label: 'no-such-label'" in result.stderr, result.stderr
        assert "_build/src" not in result.stderr and "\x1b[" not in result.stderr
        assert "last good site" in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_stale_executed_outputs_are_refused(book_copy):
    section = load_config(book_copy).sections()[1]
    source = book_copy / "book" / f"{section}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("```{code-cell} ipython3\n:tags: [pytorch]\n", "```{code-cell} ipython3\n:tags: [pytorch]\nx_new = 1\n", 1), encoding="utf-8")
    result = _render(book_copy)
    assert result.returncode == 1
    assert f"book/{section}.md" in result.stderr and "(pytorch)" in result.stderr
    assert "no executed output matches" in result.stderr


def test_config_errors_name_the_key(tmp_path):
    shutil.copytree(ROOT, tmp_path / "b", ignore=shutil.ignore_patterns("_build", ".venv", ".git"))
    config_file = tmp_path / "b" / "_config.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("    ja: 日本語", "    japanese: 日本語"), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"_config.yml: pipeline.languages.japanese: expected a gettext code"):
        load_config(tmp_path / "b")


def test_a_partial_render_writes_a_preview_and_never_touches_the_site(book_copy):
    site = book_copy / "_build" / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = _render(book_copy, "ja")
    assert result.returncode == 0, result.stderr
    preview = book_copy / "_build" / "preview"
    assert (preview / "ja" / "index.html").is_file() and not (preview / "en").exists()
    assert sorted(p.name for p in (preview / "notebooks").iterdir()) == ["ja"]
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_page_removed_from_the_book_is_removed_from_the_output(book_copy):
    config = load_config(book_copy)
    removed = "gpus"
    assert _render(book_copy, "en").returncode == 0
    html = config.build_dir / "html" / "en"
    assert (html / f"{removed}.html").is_file()
    assert list((html / PANELS).glob(f"{removed}.*.js"))
    # Remove it as a maintainer would: from the toc, the settings that name it and the links to it.
    edits = [("_toc.yml", f"- file: {removed}\n", ""), ("_config.yml", f"[{removed}]", "[]")]
    edits += [(f"book/{p.name}", "{ref}`sec-gpus`", "GPUs") for p in (book_copy / "book").glob("*.md")]
    for name, old, new in edits:
        path = book_copy / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = _render(book_copy, "en")
    assert result.returncode == 0, result.stderr
    preview = config.build_dir / "preview"
    assert not (preview / "en" / f"{removed}.html").exists()
    assert not list((preview / "en" / "_sources").glob(f"{removed}.*"))
    assert not list((preview / "en" / PANELS).glob(f"{removed}.*"))
    assert list((preview / "en" / PANELS).glob("*.js")), "the other pages keep their panels"
    assert not list((preview / "notebooks").rglob(f"{removed}.ipynb"))
    assert not list((config.build_dir / "html").rglob(f"{removed}.html"))
    # Executed notebooks of the removed page are pruned (what an `execute` run does at its end).
    assert list((config.build_dir / "executed").glob(f"{removed}.*.ipynb"))
    _prune_executed(load_config(book_copy), set(), set(), set())
    assert not list((config.build_dir / "executed").glob(f"{removed}.*.ipynb"))


def test_a_failed_publish_cleans_up_and_says_why(book_copy, monkeypatch):
    config = load_config(book_copy)
    site = config.build_dir / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    html_dirs = {lang: site / lang for lang in config.languages}  # any complete HTML folders will do
    copied = []

    def copy_until_full(src, dst, *args, **kwargs):
        if args:  # copytree's own recursion
            return real_copytree(src, dst, *args, **kwargs)
        if copied:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        copied.append(dst)
        return real_copytree(src, dst, **kwargs)

    real_copytree = shutil.copytree
    monkeypatch.setattr(shutil, "copytree", copy_until_full)
    with pytest.raises(PipelineError, match=r"cannot publish site/ \(No space left on device: .*\); the half-written copy was removed"):
        publish(config, html_dirs, config.build_dir / "notebooks", site)
    assert not list(config.build_dir.glob("site.*")), "a staging folder was left behind"
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_read_only_build_folder_is_named(book_copy, monkeypatch):
    config = load_config(book_copy)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(config.build_dir))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(PipelineError, match=r"cannot write into .*_build: Permission denied"):
        publish(config, {}, config.build_dir / "notebooks", config.build_dir / "site")
