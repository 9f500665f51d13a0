"""Publish: assemble `_build/site/` from every language's HTML, swapped in only when complete.

The new site is assembled beside the old one and renamed into place, so a build that fails at
any stage leaves the last good site untouched. Static files that every language has alike (the
theme's styles, scripts and fonts) are kept once, in `<site>/_static/`, so that a reader who
switches language downloads none of them again; what no browser reads (source maps, the themes'
message catalogs and template fragments) is not published.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from pathlib import Path

from .config import PipelineConfig
from .errors import PipelineError
from .book_ext.shared_static import per_language
from .render import ui_catalog


def site_index(
    languages: dict[str, str], title: str, titles: dict[str, str], coverage: dict[str, float], translated: dict[str, str]
) -> str:
    """The site's front door, styled like the book: one card per edition, titled in its language,
    with how much of it is translated. A first-time reader is sent on to the edition that matches
    the browser's preferred languages; a language chosen here or in a page's language menu is
    remembered and used next time. `index.html?all` always shows the editions."""
    cards = "\n".join(
        f'    <li><a href="{code}/index.html" hreflang="{code.replace("_", "-")}" lang="{code.replace("_", "-")}" data-lang="{code}">'
        f'<span class="name">{html.escape(name)}</span><span class="title">{html.escape(titles.get(code, title))}</span>'
        f'<span class="coverage">{html.escape(translated.get(code, "{percent} translated").format(percent=_coverage_text(coverage.get(code, 1.0))))}</span></a></li>'
        for code, name in languages.items()
    )
    codes = json.dumps(list(languages))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <link rel="icon" href="_static/favicon.svg">
  <script>
    // A first visit goes on to the reader's language; a language chosen before wins.
    (() => {{
      const editions = {codes};
      if (new URLSearchParams(location.search).has("all")) return;
      let chosen = null;
      try {{ chosen = localStorage.getItem("{LANGUAGE_KEY}"); }} catch (err) {{}}
      const wanted = [chosen, ...(navigator.languages || [navigator.language])].filter(Boolean);
      for (const tag of wanted) {{
        const code = tag.replace("-", "_");
        const match = editions.find((e) => e.toLowerCase() === code.toLowerCase())
          || editions.find((e) => e.split("_")[0] === code.split("_")[0].toLowerCase());
        if (match) {{ location.replace(match + "/index.html"); return; }}
      }}
    }})();
  </script>
  <style>
    :root {{ color-scheme: light dark; --accent: #1b5e98; }}
    body {{ font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
           max-width: 40rem; margin: 3rem auto; padding: 0 1.25rem; line-height: 1.5; }}
    header {{ display: flex; align-items: center; gap: .8rem; }}
    header img {{ width: 2.5rem; height: 2.5rem; }}
    h1 {{ font-size: 1.8rem; margin: 0; }}
    ul {{ list-style: none; padding: 0; display: grid; gap: .8rem; margin-top: 2rem; }}
    a {{ display: grid; grid-template-columns: 1fr auto; gap: .1rem 1rem; padding: .9rem 1.1rem;
        border: 1px solid #8884; border-radius: .6rem; text-decoration: none; color: inherit; }}
    a:hover, a:focus-visible {{ border-color: var(--accent); outline: 3px solid var(--accent); outline-offset: 1px; }}
    .name {{ font-size: 1.25rem; font-weight: 600; }}
    .title {{ grid-column: 1; opacity: .8; }}
    .coverage {{ grid-column: 2; grid-row: 1 / span 2; align-self: center; font-size: .9rem; opacity: .8; }}
  </style>
</head>
<body>
  <header><img src="_static/favicon.svg" alt=""><h1>{html.escape(title)}</h1></header>
  <main>
  <ul class="languages">
{cards}
  </ul>
  </main>
  <script>
    for (const link of document.querySelectorAll("a[data-lang]")) {{
      link.addEventListener("click", () => {{ try {{ localStorage.setItem("{LANGUAGE_KEY}", link.dataset.lang); }} catch (err) {{}} }});
    }}
  </script>
</body>
</html>
"""


LANGUAGE_KEY = "builders-guide-language"  # also set by a page's language menu (book.js)
TRANSLATED = "{percent} translated"  # in ui.po: the front page shows each edition's share in its language


def _coverage_text(share: float) -> str:
    """How much of an edition is translated, as a percentage (a figure needs no translation)."""
    return f"{share:.0%}" if share < 0.995 else "100%"


# Copied into `_static/` by Sphinx and the themes, never requested by a page.
PDF_DIR = "pdf"  # <site>/pdf/<lang>/<framework>.pdf, written by pdf.py
UNUSED_STATIC = ("*.map", "locales", "*webpack-macros.html", ".buildinfo", ".doctrees", ".book-*")


def share_static(site: Path, languages: list[str]) -> None:
    """Move the static files every language shares to `<site>/_static/`, where the pages point
    (book_ext/shared_static.py); the files that differ by language stay with their pages.

    :raises PipelineError: if a file meant to be shared differs between two languages.
    """
    for lang in languages:
        folder = site / lang / "_static"
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            rel = path.relative_to(folder).as_posix()
            if not path.is_file() or per_language(rel):
                continue
            target = site / "_static" / rel
            if target.is_file():
                if target.read_bytes() != path.read_bytes():
                    raise PipelineError(f"_static/{rel} differs between languages ({lang}): it cannot be shared")
                path.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                path.rename(target)
        for empty in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True) if folder.is_dir() else ():
            if not any(empty.iterdir()):
                empty.rmdir()


def link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows one (publishing moves no data), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(
    config: PipelineConfig, html_dirs: dict[str, Path], notebooks: Path, target: Path, coverage: dict[str, float] | None = None
) -> Path:
    """Copy each language's HTML under `<target>/<lang>/` and the notebooks under
    `<target>/notebooks/`, write the index, and swap the new folder in for the old one.

    Nothing else is kept from the old folder but the PDFs of these languages, which `pdf` prints
    again from the new pages: it holds exactly what this build made. Whatever
    goes wrong (disk full, no permission), the half-written folder is removed and the old one
    stays in place.
    :raises PipelineError: saying what could not be written, and where.
    """
    for leftover in target.parent.glob(f"{target.name}.new-*"):  # left by a killed build
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Unique names, so that two builds finishing at once cannot trample each other's staging.
        staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.new-", dir=target.parent))
    except OSError as err:
        raise PipelineError(f"cannot write into {target.parent}: {err.strerror}") from err
    retired = staging.with_name(staging.name.replace(".new-", ".old-"))
    try:
        staging.chmod(0o755)
        for lang, folder in html_dirs.items():
            shutil.copytree(folder, staging / lang, ignore=shutil.ignore_patterns(*UNUSED_STATIC), copy_function=link_or_copy)
            # Its notebooks, and its last PDFs until pdf.py prints them again from the new pages.
            for made, into in ((notebooks / lang, staging / "notebooks" / lang), (target / PDF_DIR / lang, staging / PDF_DIR / lang)):
                if made.is_dir():
                    shutil.copytree(made, into, copy_function=link_or_copy)
        share_static(staging, list(html_dirs))
        languages = {code: name for code, name in config.languages.items() if code in html_dirs}
        title = str(config.book_config.get("title", ""))
        catalogs = {code: ui_catalog(config, code) for code in languages}
        titles = {code: catalogs[code].get(title, title) for code in languages}
        translated = {code: catalogs[code].get(TRANSLATED, TRANSLATED) for code in languages}
        (staging / "index.html").write_text(site_index(languages, title, titles, coverage or {}, translated), encoding="utf-8")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)  # put the last good site back
        what = f"{err.strerror}" + (f": {err.filename}" if err.filename else "")
        raise PipelineError(f"cannot publish {target.name}/ ({what}); the half-written copy was removed and the last good {target.name}/ is unchanged") from err
    shutil.rmtree(retired, ignore_errors=True)
    return target
