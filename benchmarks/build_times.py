"""Time the build the way a maintainer meets it: cold, warm, after a prose edit, after a code edit.

Runs in a throwaway clone (framework environments are shared through their usual cache, so a
"cold" build here means a fresh clone on a machine that already built them once). Prints one
line per scenario: wall time and the build's own summary (how many notebooks ran).

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
    return elapsed, result.stdout.strip().splitlines()[-1]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        clone = Path(tmp) / "book"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        page = sorted((clone / "book").glob("*.md"))[-1]
        print(f"{'scenario':28} {'seconds':>8}  summary")
        for scenario, edit in [
            ("cold (fresh clone)", None),
            ("warm (nothing changed)", None),
            ("prose edited", lambda text: text.replace("\n\n", "\n\nAn extra sentence.\n\n", 1)),
            ("one code cell edited", lambda text: re.sub(r"(:tags: \[pytorch\]\n)", r"\1x_bench = 1\n", text, count=1)),
        ]:
            if edit:
                page.write_text(edit(page.read_text(encoding="utf-8")), encoding="utf-8")
            elapsed, summary = build(clone, Path(tmp) / "cache")
            print(f"{scenario:28} {elapsed:8.1f}  {summary}")


if __name__ == "__main__":
    main()
