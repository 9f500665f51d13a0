"""Execute: run each framework's notebook in that framework's kernel, cached by its code.

The cache (jupyter-cache) keys a notebook by its code cells and its kernelspec, and the
kernelspec carries the environment's hash and the device: a code version runs once per
environment and device, however many languages the book has, and prose edits run nothing.

Each notebook runs in its own event loop in a worker thread, with nbclient's asynchronous kernel
manager: a cell past the timeout or a dying kernel raises at once (a synchronous manager blocks
the loop, and neither would ever fire). Worker threads cannot take signals, so Ctrl-C reaches the
main thread, which cancels what has not started and kills every kernel still alive.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from .envs import Env
from .errors import PipelineError, Where, strip_ansi
from .notebooks import code_cell, notebook
from .split import LINE, ORIGIN

PROBE = "provenance_probe"
DEFAULT_TIMEOUT_S = 600
_TRACEBACK_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


@dataclass(frozen=True, eq=False)  # hashed by identity: one job, one run
class Job:
    """One notebook to execute: a section in one framework on one device."""

    section: str
    path: str  # the source file, for messages
    env: Env
    device: str
    notebook: NotebookNode  # from split(), code cells only
    alone: bool = False  # run with nothing else running (pages whose outputs are timings)


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
    cells = [code_cell(c.source) for c in job.notebook.cells]
    cells.append(code_cell(job.env.framework.probe.read_text(encoding="utf-8"), {PROBE: True}))
    return notebook(cells, {"kernelspec": job.env.kernelspec(job.device)})


def code_digest(job: Job) -> str:
    """What decides a notebook's outputs: its code, its probe and its kernel (environment and
    device). Kept in the executed notebook, so that an unchanged one is known without the cache."""
    h = hashlib.sha256(json.dumps(job.env.kernelspec(job.device), sort_keys=True).encode())
    for cell in job.notebook.cells:
        h.update(b"\0" + cell.source.encode())
    h.update(b"\0" + job.env.framework.probe.read_bytes())
    return h.hexdigest()[:20]


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


def _where(job: Job, index: int | None, line_in_cell: int | None = None) -> Where:
    """The source file and line of cell *index* of the executed notebook (and a line in it)."""
    fw = job.env.framework.name
    if index is None or index >= len(job.notebook.cells):
        return Where(job.path, framework=fw)
    meta = job.notebook.cells[index].metadata
    line = meta.get(LINE)
    if line is None:
        return Where(job.path, framework=fw, cell=meta.get(ORIGIN))
    return Where(job.path, framework=fw, line=line + (line_in_cell or 1) - 1)


def _failed_cell(nb: NotebookNode) -> int | None:
    for k, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return k
    return None


# Kernel managers of the kernels alive right now, so that an interrupted build can kill them.
_LIVE: set[AsyncKernelManager] = set()
_LIVE_LOCK = threading.Lock()


def kill_live_kernels() -> int:
    """Kill every kernel this process started and that is still running; return how many."""
    with _LIVE_LOCK:
        managers = list(_LIVE)
    killed = 0
    for km in managers:
        process = getattr(km.provisioner, "process", None) if km.provisioner else None
        if process is None or process.poll() is not None:
            continue
        try:  # the kernel leads its own process group (jupyter_client starts a new session)
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        killed += 1
    return killed


async def _run_async(job: Job, log_dir: Path, timeout: int) -> NotebookNode:
    nb = prepare(job)
    specs = KernelSpecManager(kernel_dirs=[str(job.env.kernels_dir)])
    km = AsyncKernelManager(kernel_name=job.env.kernel_name(job.device), kernel_spec_manager=specs)
    log_dir.mkdir(parents=True, exist_ok=True)
    kernel_log = log_dir / f"kernel-{Path(job.path).stem}-{job.env.framework.name}.log"
    current = {"index": None}

    def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
        current["index"] = cell_index

    with _LIVE_LOCK:
        _LIVE.add(km)
    # The kernel's own stderr (start-up chatter, crashes) goes to a log, not into the build output.
    try:
        with tempfile.TemporaryDirectory(prefix="book-exec-") as cwd, kernel_log.open("w") as stderr:
            client = NotebookClient(
                nb,
                km=km,
                timeout=timeout,
                allow_errors=False,
                record_timing=False,
                shutdown_kernel="immediate",
                on_cell_start=on_cell_start,
                resources={"metadata": {"path": cwd}},
            )
            try:
                await client.async_execute(stderr=stderr, cleanup_kc=True)  # shut the kernel down after
            except CellExecutionError as err:
                index = _failed_cell(nb)
                trace = strip_ansi(str(err))
                lines = _TRACEBACK_LINE.findall(trace)
                where = _where(job, index, int(lines[0]) if lines else None)
                raise PipelineError(f"{err.ename}: {strip_ansi(err.evalue)}", where, detail=trace) from err
            except CellTimeoutError as err:
                where = _where(job, current["index"])
                raise PipelineError(f"the cell ran past the {timeout} s timeout (execute.timeout in _config.yml)", where) from err
            except DeadKernelError as err:
                where = _where(job, current["index"])
                raise PipelineError(f"the kernel died while running this cell (kernel log: {kernel_log})", where) from err
            except Exception as err:  # kernel start-up problems: name the environment
                raise PipelineError(f"cannot run the kernel of {job.env.path}: {err} (log: {kernel_log})", _where(job, None)) from err
    finally:
        if km.has_kernel:
            try:
                await km.shutdown_kernel(now=True)
            except Exception:  # already gone: nothing left to stop
                pass
        with _LIVE_LOCK:
            _LIVE.discard(km)
    return nb


def run(job: Job, log_dir: Path, timeout: int = DEFAULT_TIMEOUT_S) -> NotebookNode:
    """Execute one prepared notebook in a fresh kernel, in an empty temporary working directory.

    :raises PipelineError: naming the source file, line and framework, with the traceback.
    """
    return asyncio.run(_run_async(job, log_dir, timeout))


class Interrupted(PipelineError):
    """Ctrl-C: what had not run was cancelled and every kernel killed."""


def run_all(
    jobs: list[Job],
    concurrency: int,
    log_dir: Path,
    timeout: int = DEFAULT_TIMEOUT_S,
    on_start: Callable[[Job], None] = lambda job: None,
    on_done: Callable[[Job, NotebookNode, float], None] = lambda job, nb, seconds: None,
) -> tuple[dict[Job, NotebookNode], list[PipelineError]]:
    """Run every job (at most *concurrency* at once; jobs marked `alone` one by one, after the
    others), let each failing notebook fail on its own, and return the results and every failure.

    :raises Interrupted: on Ctrl-C, after cancelling the queue and killing every live kernel.
    """
    results: dict[Job, NotebookNode] = {}
    errors: list[PipelineError] = []

    def one(job: Job) -> NotebookNode:
        on_start(job)
        started = time.monotonic()
        nb = run(job, log_dir, timeout)
        on_done(job, nb, time.monotonic() - started)
        return nb

    def drain(futures: dict[Future, Job]) -> None:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results[futures[future]] = future.result()
                except PipelineError as err:
                    errors.append(err)

    batches = [[j for j in jobs if not j.alone], *[[j] for j in jobs if j.alone]]
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="execute")
    try:
        for batch in batches:
            drain({pool.submit(one, job): job for job in batch})
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        killed = kill_live_kernels()
        raise Interrupted(f"interrupted: queued notebooks cancelled, {killed} running kernels killed; the cache keeps what finished") from None
    pool.shutdown(wait=True)
    return results, errors
