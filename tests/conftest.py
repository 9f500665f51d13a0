"""Shared fixtures: the book's configuration and the site that `make book` built."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.book_ext.panels import join_page
from scripts.config import PipelineConfig, load_config
from scripts.pipeline import BUILD_INFO, sources_fingerprint

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def config() -> PipelineConfig:
    return load_config(ROOT)


@pytest.fixture(scope="session")
def site(config: PipelineConfig) -> Path:
    """The published site, refused when it was not built from the sources as they are now."""
    site = config.build_dir / "site"
    info = config.build_dir / BUILD_INFO
    if not (site / "index.html").is_file() or not info.is_file():
        pytest.fail("no built site in _build/site: `make test` builds it first (make book)")
    if json.loads(info.read_text(encoding="utf-8"))["sources"] != sources_fingerprint(config):
        pytest.fail("_build/site is older than the sources (book/, locales/, scripts/, config): run `make book` first")
    return site


@pytest.fixture(scope="session")
def soup_of(site: Path):
    """A parsed page, shared by every test: read it, never change it (a test that needs to remove
    parts works on a copy, `copy.copy(soup)`), so that no test depends on another's order."""
    cache: dict[tuple[str, str], BeautifulSoup] = {}

    def read(lang: str, page: str) -> BeautifulSoup:
        if (lang, page) not in cache:
            cache[lang, page] = BeautifulSoup(join_page(site / lang / f"{page}.html"), "html.parser")
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


def pytest_collection_modifyitems(config, items):
    """`BOOK_TEST_ORDER=reverse` or `=shuffle` runs the suite in another order: no test may depend
    on what another left behind."""
    order = os.environ.get("BOOK_TEST_ORDER", "")
    if order == "reverse":
        items.reverse()
    elif order == "shuffle":
        random.Random(os.environ.get("BOOK_TEST_SEED", "0")).shuffle(items)
