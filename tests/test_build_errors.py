"""A broken build stops with the place named, and the last good site stays in place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.config import load_config
from scripts.errors import PipelineError
from tests.conftest import ROOT, render_copy


def _render(root: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return render_copy(root, lang)


def test_a_broken_reference_fails_the_build_and_keeps_the_last_site(book_copy):
    section = load_config(book_copy).sections()[1]
    source = book_copy / "book" / f"{section}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    site_page = book_copy / "_build" / "site" / "en" / f"{section}.html"
    before = site_page.read_bytes()
    result = _render(book_copy)
    assert result.returncode == 1
    assert f"{section}" in result.stderr and "no-such-label" in result.stderr
    assert "last good site" in result.stderr
    assert site_page.read_bytes() == before


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
