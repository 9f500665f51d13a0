"""Shared fixtures: the book's configuration and the site that `make book` built."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.config import PipelineConfig, load_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def config() -> PipelineConfig:
    return load_config(ROOT)


@pytest.fixture(scope="session")
def site(config: PipelineConfig) -> Path:
    site = config.build_dir / "site"
    if not (site / "index.html").is_file():
        pytest.fail("no built site in _build/site: `make test` builds it first (make book)")
    return site


@pytest.fixture(scope="session")
def soup_of(site: Path):
    cache: dict[tuple[str, str], BeautifulSoup] = {}

    def read(lang: str, page: str) -> BeautifulSoup:
        if (lang, page) not in cache:
            cache[lang, page] = BeautifulSoup((site / lang / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        return cache[lang, page]

    return read


@pytest.fixture
def book_copy(tmp_path, config) -> Path:
    """A copy of the repository with the executed notebooks and the site of the real build."""
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__"))
    for part in ("executed", "site"):
        shutil.copytree(config.build_dir / part, copy / "_build" / part)
    return copy


def render_copy(root: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """Render one language of a book copy from its executed notebooks (no framework needed)."""
    cmd = [sys.executable, "-m", "scripts", "render", "--lang", lang, "--jobs", "1"]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
