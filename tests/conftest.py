"""Shared fixtures: the book's configuration and the site that `make book` built."""

from __future__ import annotations

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
