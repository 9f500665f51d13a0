"""Rebuilds cost what changed: nothing changed, nothing runs; one catalog entry, one page of one
language; and the build says what it renders again and why."""

from __future__ import annotations

import shutil
import subprocess
import sys

import polib

from scripts.config import load_config
from tests.conftest import ROOT


def _run(root, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scripts", *args], cwd=root, capture_output=True, text=True, check=False)


def test_second_execution_reuses_every_notebook(config, site):
    result = _run(ROOT, "execute", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    expected = len(config.sections()[1:]) * len(config.frameworks)
    assert summary.startswith(f"summary: executed 0, reused {expected},"), summary


def test_a_build_with_nothing_changed_starts_no_kernel_and_no_sphinx(config, site):
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    result = _run(ROOT, "build")
    assert result.returncode == 0, result.stderr
    for lang in config.languages:
        assert f"[render] {lang}: unchanged, not rendered again" in result.stdout
        assert f"[render] {lang} ..." not in result.stdout
    assert "[publish] nothing changed" in result.stdout
    assert "executed 0," in result.stdout.splitlines()[-1]
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*.html")} == before


def test_a_fresh_render_is_byte_identical_and_a_catalog_edit_renders_one_page_of_one_language(book_copy, config):
    """A copy renders every language afresh, in another folder, from the same executed notebooks:
    its site and notebooks come out byte for byte as the real build's. Then one catalog entry
    changes: that page of that language is rendered again, and nothing else."""
    copy = load_config(book_copy)
    shutil.rmtree(copy.build_dir / "site")
    result = _run(book_copy, "render")
    assert result.returncode == 0, result.stderr
    ours, theirs = config.build_dir / "site", copy.build_dir / "site"
    files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file())
    differ = [str(f) for f in files if (ours / f).read_bytes() != (theirs / f).read_bytes()]
    assert not differ, differ[:10]

    section, lang = copy.sections()[2], copy.translations[-1]
    path = copy.locale_dir / lang / "LC_MESSAGES" / f"{section}.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgstr and not e.msgctxt and len(e.msgid) > 100)
    entry.msgstr = entry.msgstr + " "  # an edit that leaves the markup as it is
    po.save()
    result = _run(book_copy, "render")
    assert result.returncode == 0, result.stderr
    assert f"[render] {lang}: {section} (catalog changed)" in result.stdout, result.stdout
    for other in copy.languages:
        if other != lang:
            assert f"[render] {other}: unchanged, not rendered again" in result.stdout
    assert f"[publish] {copy.build_dir / 'site'}" in result.stdout
