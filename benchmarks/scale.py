"""How the build scales: a synthetic book of N pages x F frameworks x L languages, timed through
this pipeline and through the naive way (one full Jupyter Book build with execution per
language, as d2l's language editions are built).

The generator writes a repository like this one (same `scripts/`): pages with a labelled title,
prose, a cross-reference, two cheap code cells per framework (distinct on every page, so that
nothing is shared by accident) and an exercise with its solution; frameworks are plain Python
kernels (`ipykernel` only); each translation is machine-made (every paragraph and comment
prefixed with the language's code), so catalogs are complete.

For each N and L it prints seconds for: cold execute, cold render, a rebuild with nothing changed,
an edit of one catalog entry, and an edit of one code cell; beside each, the naive approach's
time for the same scenario and the ratio (naive / ours).

    .venv/bin/python benchmarks/scale.py                        # N = 8 50 200, L = 4 8
    .venv/bin/python benchmarks/scale.py --pages 8 50 --languages 4 --no-naive
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["en", "pt_BR", "zh_CN", "ja", "de", "fr", "es", "ko", "ru"]
FRAMEWORKS = ["alpha", "beta"]
PROBE = 'import json, platform\nprint(json.dumps({"version": platform.python_version(), "device": "CPU"}))\n'


def page(k: int, n: int) -> str:
    other = (k % (n - 1)) + 1
    cells = []
    for fw in FRAMEWORKS:
        cells.append(f"```{{code-cell}} ipython3\n:tags: [{fw}]\n\n# the value of page {k} in {fw}\nvalue_{k} = {k} * {len(fw)}\nprint('page {k}', value_{k})\n```\n")
    solutions = "".join(
        f"```{{code-cell}} ipython3\n:tags: [{fw}, solution]\n\nprint('solution of page {k}', value_{k} + 1)\n```\n" for fw in FRAMEWORKS
    )
    return f"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

(sec-page-{k})=
# Page {k}

This is page {k} of a synthetic book. It has a few paragraphs of prose, some `inline code`, a little math such as $x_{k} = {k}$, and a reference to {{ref}}`sec-page-{other}`.

A second paragraph says something else about page {k}, so that every page has more than one entry in its catalog.

{cells[0]}
{cells[1]}
## Exercises

1. Add one to the value of page {k}.

:::{{dropdown}} Solution to exercise 1
Print the value plus one.
:::

{solutions}"""


def write_book(root: Path, n: int, languages: list[str], cache: Path) -> None:
    """A repository with N pages, our pipeline, and L languages of machine-made translations."""
    for name in ("scripts", "requirements.txt"):
        source = ROOT / name
        (shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__")) if source.is_dir() else shutil.copy(source, root / name))
    (root / "book").mkdir(parents=True)
    (root / "book" / "index.md").write_text("(sec-index)=\n# Synthetic book\n\nA book made to time the build.\n\n```{tableofcontents}\n```\n", encoding="utf-8")
    for k in range(1, n + 1):
        (root / "book" / f"page{k:03d}.md").write_text(page(k, n + 1), encoding="utf-8")
    toc = "format: jb-book\nroot: index\nchapters:\n" + "".join(f"- file: page{k:03d}\n" for k in range(1, n + 1))
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    for fw in FRAMEWORKS:
        (root / "envs" / fw).mkdir(parents=True)
        (root / "envs" / fw / "requirements.txt").write_text("ipykernel==7.4.0\n", encoding="utf-8")
        (root / "envs" / fw / "probe.py").write_text(PROBE, encoding="utf-8")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    head = config[: config.index("  languages:")]
    head = head.replace("  run_alone: [gpus]\n", "").replace("gpu_pages: [gpus]", "gpu_pages: []")
    head = head.replace("  cache_dir: ~/.cache/builders-guide/executions\n", f"  cache_dir: {cache}\n")
    langs = "".join(f"    {code}: {code}\n" for code in languages)
    fws = "".join(f"    {fw}:\n      label: {fw.capitalize()}\n" for fw in FRAMEWORKS)
    (root / "_config.yml").write_text(head + "  languages:\n" + langs + "  frameworks:\n" + fws, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    run(root, "catalogs")
    for lang in languages[1:]:
        for po_path in (root / "locales" / lang / "LC_MESSAGES").glob("*.po"):
            translate(po_path, lang)


def translate(path: Path, lang: str) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = f"[{lang}] {entry.msgid}"
    po.save()


def run(root: Path, *args: str) -> float:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scripts", *args, "--jobs", "2"], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {root}:\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def edit_catalog(root: Path, lang: str) -> None:
    path = root / "locales" / lang / "LC_MESSAGES" / "page001.po"
    po = polib.pofile(str(path), wrapwidth=0)
    next(e for e in po if e.msgid.startswith("A second paragraph")).msgstr += " (edited)"
    po.save()


def edit_code(book: Path) -> None:
    path = book / "page001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("value_1 = 1 *", "value_1 = 1 + 0 *", 1), encoding="utf-8")


def naive_site(root: Path, lang: str) -> Path:
    """One language's Jupyter Book, as a language edition keeps it: the pages translated in place."""
    out = root / f"naive-{lang}"
    if out.exists():
        return out
    out.mkdir()
    shutil.copy(root / "_toc.yml", out / "_toc.yml")
    (out / "_config.yml").write_text(
        f"title: Synthetic\nlanguage: {lang}\nexecute:\n  execute_notebooks: cache\n"
        "parse:\n  myst_enable_extensions: [colon_fence, dollarmath]\n"
        "sphinx:\n  extra_extensions: [sphinx_design]\n", encoding="utf-8")
    naive_sync(root, lang)
    return out


def naive_sync(root: Path, lang: str) -> None:
    """Write the naive edition's pages from the English source and that language's catalogs."""
    out = root / f"naive-{lang}"
    for source in (root / "book").glob("*.md"):
        text = source.read_text(encoding="utf-8")
        po_path = root / "locales" / lang / "LC_MESSAGES" / f"{source.stem}.po"
        if lang != "en" and po_path.is_file():
            for entry in polib.pofile(str(po_path)):
                if entry.msgstr and not entry.msgctxt and entry.msgid in text:
                    text = text.replace(entry.msgid, entry.msgstr, 1)
        target = out / source.name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def naive_build(root: Path, languages: list[str]) -> float:
    started = time.monotonic()
    jb = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
    for lang in languages:
        site = naive_site(root, lang)
        naive_sync(root, lang)
        result = subprocess.run([*jb, "build", str(site)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"naive build of {lang} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return time.monotonic() - started


def measure(n: int, n_languages: int, naive: bool) -> None:
    languages = LANGUAGES[:n_languages]
    with tempfile.TemporaryDirectory(prefix="book-scale-") as tmp:
        root = Path(tmp) / "book"
        cache = Path(tmp) / "cache"
        write_book(root, n, languages, cache)
        ours = {"cold execute": run(root, "execute"), "cold render": run(root, "render")}
        ours["cold total"] = ours["cold execute"] + ours["cold render"]
        ours["nothing changed"] = run(root, "build")
        edit_catalog(root, languages[-1])
        ours["one catalog entry"] = run(root, "build")
        edit_code(root / "book")
        ours["one code cell"] = run(root, "build")
        theirs = {}
        if naive:  # the same book as first built, then the same edits
            (root / "book" / "page001.md").write_text(page(1, n + 1), encoding="utf-8")
            translate(root / "locales" / languages[-1] / "LC_MESSAGES" / "page001.po", languages[-1])
            theirs["cold total"] = naive_build(root, languages)
            theirs["nothing changed"] = naive_build(root, languages)
            edit_catalog(root, languages[-1])
            theirs["one catalog entry"] = naive_build(root, languages)
            edit_code(root / "book")
            theirs["one code cell"] = naive_build(root, languages)
        for scenario, seconds in ours.items():
            other = theirs.get(scenario)
            naive_text = f"{other:10.1f} {other / seconds:6.1f}x" if other else f"{'-':>10} {'-':>7}"
            print(f"{n:>5} {n_languages:>3}  {scenario:18} {seconds:8.1f} {naive_text}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[8, 50, 200])
    parser.add_argument("--languages", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--no-naive", action="store_true", help="time this pipeline only")
    args = parser.parse_args()
    print(f"{'pages':>5} {'L':>3}  {'scenario':18} {'ours (s)':>8} {'naive (s)':>10} {'ratio':>7}", flush=True)
    for n in args.pages:
        for n_languages in args.languages:
            measure(n, n_languages, not args.no_naive)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
