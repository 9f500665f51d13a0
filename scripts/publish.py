"""Publish: assemble `_build/site/` from every language's HTML, swapped in only when complete.

The new site is assembled beside the old one and renamed into place, so a build that fails at
any stage leaves the last good site untouched.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import time
from pathlib import Path

from .config import PipelineConfig
from .render import ui_catalog

STALE_AFTER_S = 3600


def site_index(languages: dict[str, str], title: str, titles: dict[str, str]) -> str:
    """The site's front door: one link per language, each to that language's book, titled in it."""
    items = "\n".join(
        f'    <li lang="{code.replace("_", "-")}"><a href="{code}/index.html" hreflang="{code.replace("_", "-")}">'
        f"{html.escape(name)}</a> <span>{html.escape(titles.get(code, title))}</span></li>"
        for code, name in languages.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; }}
    li {{ font-size: 1.3rem; margin: .6rem 0; }}
    li span {{ color: #666; font-size: 1rem; margin-left: .5rem; }}
  </style>
</head>
<body>
  <h1>{html.escape(title)}</h1>
  <ul class="languages">
{items}
  </ul>
</body>
</html>
"""


def publish(config: PipelineConfig, html_dirs: dict[str, Path]) -> Path:
    """Copy each language's HTML under `<site>/<lang>/`, write the index, and swap the site in."""
    site = config.build_dir / "site"
    config.build_dir.mkdir(parents=True, exist_ok=True)
    for leftover in config.build_dir.glob("site.*-*"):  # left by an interrupted build
        if time.time() - leftover.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(leftover, ignore_errors=True)
    # Unique names, so that two builds finishing at once cannot trample each other's staging.
    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=config.build_dir))
    staging.chmod(0o755)
    retired = staging.with_name(staging.name.replace("site.new-", "site.old-"))
    for lang, folder in html_dirs.items():
        shutil.copytree(folder, staging / lang, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    for lang in config.languages:  # a partial build keeps the other languages of the last site
        if lang not in html_dirs and (site / lang).is_dir():
            shutil.copytree(site / lang, staging / lang)
    notebooks = config.build_dir / "notebooks"
    if notebooks.is_dir():
        shutil.copytree(notebooks, staging / "notebooks")
    languages = {code: name for code, name in config.languages.items() if (staging / code).is_dir()}
    title = str(config.book_config.get("title", ""))
    titles = {code: ui_catalog(config, code).get(title, title) for code in languages}
    (staging / "index.html").write_text(site_index(languages, title, titles), encoding="utf-8")
    (staging / ".nojekyll").write_text("", encoding="utf-8")
    if site.exists():
        site.rename(retired)
    staging.rename(site)
    shutil.rmtree(retired, ignore_errors=True)
    return site
