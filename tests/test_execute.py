"""Execute: what keys the cache, and how a failing cell is reported."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from scripts import execute as ex
from scripts.envs import Env, _write_kernelspecs
from scripts.errors import PipelineError
from scripts.config import Framework
from scripts.split import split

FWS = ("python",)


def _env(tmp_path: Path, kernel_env: dict[str, str] | None = None) -> Env:
    """An 'environment' that is the test's own Python, with kernel specs in a temporary folder."""
    (tmp_path / "requirements.txt").write_text("ipykernel\n")
    (tmp_path / "probe.py").write_text('import json, sys\nprint(json.dumps({"version": sys.version.split()[0], "device": "CPU"}))\n')
    fw = Framework("python", "Python", tmp_path / "requirements.txt", tmp_path / "probe.py", kernel_env or {})
    env = Env(fw, tmp_path / "env", "k" * 12)
    # A venv-shaped folder over the running interpreter, so the kernel sees the same packages.
    (env.path / "bin").mkdir(parents=True)
    (env.path / "bin" / "python").symlink_to(sys.executable)
    (env.path / "lib").symlink_to(Path(sys.prefix) / "lib")
    (env.path / "pyvenv.cfg").write_text((Path(sys.prefix) / "pyvenv.cfg").read_text())
    _write_kernelspecs(env)
    return env


def _page(*sources: str, prose: str = "Some prose."):
    cells = [nbformat.v4.new_markdown_cell(prose)]
    cells += [nbformat.v4.new_code_cell(s, metadata={"tags": ["python"]}) for s in sources]
    return nbformat.v4.new_notebook(cells=cells)


def _key(tmp_path, page, env, device="cpu"):
    job = ex.Job("page", "book/page.md", env, device, split(page, "python", FWS))
    return ex.cache_key(tmp_path / "cache", ex.prepare(job))


def test_cache_key_follows_code_device_and_environment_not_prose(tmp_path):
    env = _env(tmp_path)
    base = _key(tmp_path, _page("x = 1"), env)
    assert _key(tmp_path, _page("x = 1", prose="Autre prose."), env) == base
    assert _key(tmp_path, _page("x = 2"), env) != base
    assert _key(tmp_path, _page("x = 1"), env, device="gpu") != base
    moved = _page("x = 1")
    moved.cells.insert(1, nbformat.v4.new_markdown_cell("A new paragraph moves the code cell down."))
    assert _key(tmp_path, moved, env) == base
    other = Env(env.framework, env.path, "o" * 12)
    assert _key(tmp_path, _page("x = 1"), other) != base


def test_execution_runs_in_the_environment_kernel_and_reports_provenance(tmp_path):
    env = _env(tmp_path, {"BOOK_TEST_VAR": "from-kernel-env"})
    page = _page("import os\nprint(os.environ['BOOK_TEST_VAR'], os.environ['CUDA_VISIBLE_DEVICES'] == '')")
    job = ex.Job("page", "book/page.md", env, "cpu", split(page, "python", FWS))
    nb = ex.run(job, tmp_path / "logs")
    assert nb.cells[0].outputs[0].text == "from-kernel-env True\n"
    assert ex.Executed(nb, reused=False).provenance == {"version": sys.version.split()[0], "device": "CPU"}


def test_failing_cell_names_file_framework_cell_and_error(tmp_path):
    env = _env(tmp_path)
    page = _page("x = 1", "raise ValueError('broken on purpose')")
    job = ex.Job("page", "book/page.md", env, "cpu", split(page, "python", FWS))
    with pytest.raises(PipelineError) as info:
        ex.run(job, tmp_path / "logs")
    assert str(info.value) == "book/page.md cell 2 (python): ValueError: broken on purpose"
    assert "raise ValueError" in info.value.detail
