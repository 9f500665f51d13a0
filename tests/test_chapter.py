"""Promises of particular pages: the file I/O round trip guards itself, the GPU page tells the truth."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from scripts import execute as ex
from scripts.pipeline import executed_path

LOAD_LINE = "print(clone.load_state_dict(torch.load(path('mlp.pt'))))"


def test_a_broken_file_io_round_trip_fails_the_build(book_copy):
    source = book_copy / "book" / "file-io.md"
    text = source.read_text(encoding="utf-8")
    assert LOAD_LINE in text
    source.write_text(text.replace(LOAD_LINE, "print('parameters not loaded')"), encoding="utf-8")
    cmd = [sys.executable, "-m", "scripts", "execute", "--section", "file-io", "--framework", "pytorch"]
    result = subprocess.run(cmd, cwd=book_copy, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout
    assert "book/file-io.md" in result.stderr and "(pytorch)" in result.stderr
    assert "AssertionError" in result.stderr


def test_file_io_asserts_the_round_trip_in_every_framework(config):
    for fw in config.framework_names:
        nb = nbformat.read(str(executed_path(config, "file-io", fw)), as_version=4)
        asserted = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith("assert ")]
        assert asserted, f"file-io ({fw}): no cell asserts the round trip"
        assert all(c.execution_count and not any(o.output_type == "error" for o in c.outputs) for c in asserted)


def test_the_gpu_page_says_which_device_ran_it(config):
    """On a CPU build every framework says it found no GPU; where the probe saw a GPU, none says so."""
    for fw in config.framework_names:
        run = ex.Executed(nbformat.read(str(executed_path(config, "gpus", fw)), as_version=4), reused=True)
        text = "".join(o.get("text", "") for c in run.code_cells for o in c.outputs)
        on_cpu = run.provenance["device"] == "CPU"
        assert ("no GPU found" in text) == on_cpu, f"gpus ({fw}, {run.provenance['device']})"
