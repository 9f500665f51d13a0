"""Execute: run each framework's notebook in that framework's kernel, cached by its code.

The cache (jupyter-cache) keys a notebook by its code cells and its kernelspec, and the
kernelspec carries the environment's hash and the device: a code version runs once per
environment and device, however many languages the book has, and prose edits run nothing.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from .envs import Env
from .errors import PipelineError, Where
from .split import ORIGIN

PROBE = "provenance_probe"
CELL_TIMEOUT_S = 600


@dataclass(frozen=True, eq=False)  # hashed by identity: one job, one run
class Job:
    """One notebook to execute: a section in one framework on one device."""

    section: str
    path: str  # the source file, for messages
    env: Env
    device: str
    notebook: NotebookNode  # from split(), code cells only


@dataclass(frozen=True)
class Executed:
    notebook: NotebookNode
    reused: bool

    @property
    def code_cells(self) -> list[NotebookNode]:
        """The executed cells of the page, without the probe."""
        return [c for c in self.notebook.cells if not c.metadata.get(PROBE)]

    @property
    def provenance(self) -> dict[str, str]:
        """What the probe cell reported: framework version and device."""
        probe = self.notebook.cells[-1]
        text = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
        return json.loads(text.strip().splitlines()[-1])


def prepare(job: Job) -> NotebookNode:
    """The notebook as it is executed and hashed: the split cells, the kernelspec, a final probe."""
    # Code only, no cell metadata: the cache key must not change when a cell merely moves on the
    # page (merge maps outputs back by order).
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c.source) for c in job.notebook.cells])
    nb.cells.append(nbformat.v4.new_code_cell(job.env.framework.probe.read_text(encoding="utf-8"), metadata={PROBE: True}))
    nb.metadata["kernelspec"] = job.env.kernelspec(job.device)
    return nb


def cache_key(cache_dir: Path, nb: NotebookNode) -> str:
    """The content hash jupyter-cache files *nb* under (for tests and diagnostics)."""
    return get_cache(cache_dir).create_hashed_notebook(nb)[1]


def lookup(cache_dir: Path, nb: NotebookNode) -> NotebookNode | None:
    """The executed notebook of an identical code version, or None."""
    cache = get_cache(cache_dir)
    try:
        record = cache.match_cache_notebook(nb)
    except KeyError:
        return None
    return cache.get_cache_bundle(record.pk).nb


def store(cache_dir: Path, nb: NotebookNode, uri: str) -> None:
    get_cache(cache_dir).cache_notebook_bundle(CacheBundleIn(nb, uri), check_validity=False, overwrite=True)


def _failed_cell(nb: NotebookNode, job: Job) -> int | None:
    """The source index of the cell that raised (the probe cell has none)."""
    for k, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return job.notebook.cells[k].metadata.get(ORIGIN) if k < len(job.notebook.cells) else None
    return None


def run(job: Job, log_dir: Path) -> NotebookNode:
    """Execute one prepared notebook in a fresh kernel, in an empty temporary working directory.

    :raises PipelineError: naming the section, framework and source cell, with the traceback.
    """
    nb = prepare(job)
    where = Where(job.path, framework=job.env.framework.name)
    specs = KernelSpecManager(kernel_dirs=[str(job.env.kernels_dir)])
    km = KernelManager(kernel_name=job.env.kernel_name(job.device), kernel_spec_manager=specs)
    log_dir.mkdir(parents=True, exist_ok=True)
    kernel_log = log_dir / f"kernel-{Path(job.path).stem}-{job.env.framework.name}.log"
    # The kernel's own stderr (start-up chatter, crashes) goes to a log, not into the build output.
    with tempfile.TemporaryDirectory(prefix="book-exec-") as cwd, kernel_log.open("w") as stderr:
        client = NotebookClient(
            nb,
            km=km,
            timeout=CELL_TIMEOUT_S,
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": cwd}},
        )
        try:
            client.execute(stderr=stderr)
        except CellExecutionError as err:
            cell = _failed_cell(nb, job)
            where = Where(job.path, framework=job.env.framework.name, cell=cell)
            raise PipelineError(f"{err.ename}: {err.evalue}", where, detail=str(err)) from err
        except (CellTimeoutError, DeadKernelError) as err:
            raise PipelineError(f"{type(err).__name__}: {err} (kernel log: {kernel_log})", where) from err
        except Exception as err:  # kernel start-up problems: name the environment
            raise PipelineError(f"cannot run the kernel of {job.env.path}: {err} (log: {kernel_log})", where) from err
    return nb

