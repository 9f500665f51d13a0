"""Execute: what keys the cache, and how a failing cell is reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from scripts import execute as ex
from scripts.envs import Env, _write_kernelspecs
from scripts.errors import PipelineError
from scripts.config import Framework
from scripts.notebooks import LINE
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
    """A page whose code cell k (from 1) starts on line 10 * k of its source file."""
    cells = [nbformat.v4.new_markdown_cell(prose, metadata={LINE: 1})]
    cells += [nbformat.v4.new_code_cell(s, metadata={"tags": ["python"], LINE: 10 * k}) for k, s in enumerate(sources, 1)]
    return nbformat.v4.new_notebook(cells=cells)


def _job(env, *sources: str) -> ex.Job:
    return ex.Job("page", "book/page.md", env, "cpu", split(_page(*sources), "python", FWS))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _pid_cell(folder: Path) -> str:
    """A cell that leaves the kernel's process id in a file of *folder*."""
    return f"import os, pathlib\npathlib.Path({str(folder)!r}, str(os.getpid())).write_text('')"


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


def test_failing_cell_names_the_source_line_framework_and_error(tmp_path):
    env = _env(tmp_path)
    job = _job(env, "x = 1", "y = 2\nraise ValueError('broken on purpose')")
    with pytest.raises(PipelineError) as info:
        ex.run(job, tmp_path / "logs")
    assert str(info.value) == "book/page.md:21 (python): ValueError: broken on purpose"  # cell 2 starts on line 20
    assert "raise ValueError" in info.value.detail
    assert "\x1b[" not in info.value.detail, "terminal colour codes in the traceback"


def test_a_cell_past_the_timeout_stops_its_notebook_and_kernel(tmp_path):
    env = _env(tmp_path)
    pids = tmp_path / "pids"
    pids.mkdir()
    started = time.monotonic()
    with pytest.raises(PipelineError) as info:
        ex.run(_job(env, _pid_cell(pids), "while True:\n    pass"), tmp_path / "logs", timeout=3)
    assert time.monotonic() - started < 3 + 15
    assert str(info.value) == "book/page.md:20 (python): the cell ran past the 3 s timeout (execute.timeout in _config.yml)"
    (pid,) = [int(p.name) for p in pids.iterdir()]
    assert not _alive(pid), "the kernel outlived its notebook"


def test_a_dying_kernel_is_reported_at_once(tmp_path):
    env = _env(tmp_path)
    started = time.monotonic()
    with pytest.raises(PipelineError, match=r"book/page.md:20 \(python\): the kernel died while running this cell"):
        ex.run(_job(env, "x = 1", "import os\nos._exit(1)"), tmp_path / "logs", timeout=60)
    assert time.monotonic() - started < 20


def test_no_kernel_outlives_its_notebook(tmp_path):
    env = _env(tmp_path)
    pids = tmp_path / "pids"
    pids.mkdir()
    ex.run(_job(env, _pid_cell(pids)), tmp_path / "logs")
    (pid,) = [int(p.name) for p in pids.iterdir()]
    assert not _alive(pid)
    assert not ex._LIVE


def test_every_failing_notebook_is_reported_and_the_others_finish(tmp_path):
    env = _env(tmp_path)
    jobs = [_job(env, "raise KeyError('a')"), _job(env, "x = 1"), _job(env, "1 / 0")]
    results, errors = ex.run_all(jobs, 2, tmp_path / "logs")
    assert list(results) == [jobs[1]]
    assert sorted(e.detail.splitlines()[-1].split(":")[0] for e in errors) == ["KeyError", "ZeroDivisionError"]


DRIVER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.test_execute import _env, _job, _pid_cell
from scripts import execute as ex
tmp = Path({tmp!r})
env = _env(tmp)
loop = _pid_cell(tmp / "pids") + "\\nwhile True:\\n    pass"
jobs = [_job(env, loop), _job(env, loop), _job(env, loop)]
try:
    ex.run_all(jobs, 2, tmp / "logs")
except ex.Interrupted as err:
    print(err)
    sys.exit(130)
"""


def test_one_ctrl_c_stops_everything_and_kills_every_kernel(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(root=str(Path(__file__).parents[1]), tmp=str(tmp_path))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(list(pids.iterdir())) == 2, "two kernels should be running"
    driver.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    out, err = driver.communicate(timeout=30)
    assert time.monotonic() - stopped < 10
    assert driver.returncode == 130, err
    assert "2 running kernels killed" in out
    assert len(list(pids.iterdir())) == 2, "the queued notebook must not start"
    time.sleep(0.5)
    assert not [p for p in pids.iterdir() if _alive(int(p.name))]


def test_envs_prune_removes_only_outdated_environments(tmp_path, monkeypatch, config):
    from scripts.envs import env_key, prune_envs

    monkeypatch.setenv("BOOK_ENV_DIR", str(tmp_path))
    fw = config.frameworks[0]
    current = tmp_path / f"{fw.name}-{env_key(fw.requirements)}"
    old = tmp_path / f"{fw.name}-0123456789ab"
    for folder in (current, old):
        (folder / "bin").mkdir(parents=True)
    (tmp_path / f"{old.name}.log").write_text("pip log")
    (tmp_path / "notes.txt").write_text("not an environment")
    from scripts.config import load_config

    removed = prune_envs(load_config(config.root), log=lambda message: None)
    assert sorted(p.name for p in removed) == [old.name, f"{old.name}.log"]
    assert current.is_dir() and (tmp_path / "notes.txt").is_file() and not old.exists()
