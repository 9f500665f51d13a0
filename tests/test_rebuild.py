"""Rebuilds cost what changed: with nothing changed nothing runs (an edit of one catalog entry is
tested in test_matrix.py), and the build says what it renders again and why."""

from __future__ import annotations

import subprocess
import sys

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
