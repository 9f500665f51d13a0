"""A rebuild with nothing changed executes nothing: results are reused from the cache."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_second_execution_reuses_every_notebook(config, site):
    result = subprocess.run(
        [sys.executable, "-m", "scripts", "execute", "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    expected = len(config.sections()[1:]) * len(config.frameworks)
    assert summary.startswith(f"summary: executed 0, reused {expected},"), summary
