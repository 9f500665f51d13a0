"""Time the build the way a maintainer meets it: cold, with nothing changed, after a catalog edit,
an English prose edit and a code edit.

Runs in a throwaway clone with an execution cache of its own (framework environments are shared
through their usual cache, so "cold" means a fresh clone on a machine that built them once).
Prints one line per scenario: wall time, the build's own summary (how many notebooks ran) and
which languages it rendered again.

    .venv/bin/python benchmarks/build_times.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(clone: Path, cache: Path) -> tuple[float, str]:
    started = time.monotonic()
    env = {**os.environ, "BOOK_CACHE_DIR": str(cache)}  # an execution cache of its own: cold is cold
    result = subprocess.run(
        [sys.executable, "-m", "scripts", "build"], cwd=clone, capture_output=True, text=True, check=False, env=env
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-2000:]}")
    rendered = [line[len("[render] "):-len(" ...")] for line in result.stdout.splitlines() if line.startswith("[render] ") and line.endswith(" ...")]
    return elapsed, result.stdout.strip().splitlines()[-1].replace("summary: ", "") + f"; rendered: {' '.join(rendered) or 'nothing'}"


def _edit_entry(text: str) -> str:
    """One translated paragraph of a catalog, with a space added at its end."""
    at = text.index('msgstr "', text.index("\n\n#: book/", 2000)) + len('msgstr "')
    end = text.index('"\n', at)
    return text[:end] + " " + text[end:]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        clone = Path(tmp) / "book"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        page = sorted((clone / "book").glob("*.md"))[-1]
        catalog = clone / "locales" / "ja" / "LC_MESSAGES" / f"{page.stem}.po"
        print(f"{'scenario':28} {'seconds':>8}  summary")
        for scenario, edit in [
            ("cold (fresh clone)", None),
            ("nothing changed", None),
            ("one catalog entry edited", lambda: catalog.write_text(_edit_entry(catalog.read_text(encoding="utf-8")), encoding="utf-8")),
            ("English prose edited", lambda: page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nAn extra sentence.\n\n", 1), encoding="utf-8")),
            ("one code cell edited", lambda: page.write_text(re.sub(r"(:tags: \[pytorch\]\n\n)", r"\1x_bench = 1\n", page.read_text(encoding="utf-8"), count=1), encoding="utf-8")),
        ]:
            if edit:
                edit()
            elapsed, summary = build(clone, Path(tmp) / "cache")
            print(f"{scenario:28} {elapsed:8.1f}  {summary}")


if __name__ == "__main__":
    main()
