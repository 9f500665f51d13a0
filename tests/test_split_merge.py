"""Split and merge: one notebook per framework, and back into one page with a cell per framework."""

from __future__ import annotations

import nbformat
import pytest

from scripts.errors import PipelineError
from scripts.merge import FRAMEWORK_KEY, merge
from scripts.notebooks import check_code_tags
from scripts.split import ORIGIN, split

FWS = ("pytorch", "tensorflow")


def _page():
    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    return nbformat.v4.new_notebook(
        cells=[
            new_md("# Page"),
            new_code("import torch", metadata={"tags": ["pytorch"]}),
            new_code("import tensorflow as tf", metadata={"tags": ["tensorflow"]}),
            new_md("Shared code next."),
            new_code("print(1 + 1)", metadata={"tags": ["pytorch", "tensorflow"]}),
            new_code("print('sol')", metadata={"tags": ["tensorflow", "solution"]}),
        ]
    )


def _fake_execute(nb, fw):
    cells = []
    for cell in nb.cells:
        ran = nbformat.v4.new_code_cell(cell.source)  # executed cells carry no metadata
        ran.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{fw}:{cell.source}\n")]
        ran.execution_count = 1
        cells.append(ran)
    return cells


def test_split_keeps_only_the_frameworks_cells_with_their_origin():
    part = split(_page(), "tensorflow", FWS)
    assert [c.source for c in part.cells] == ["import tensorflow as tf", "print(1 + 1)", "print('sol')"]
    assert [c.metadata[ORIGIN] for c in part.cells] == [2, 4, 5]
    assert all(c.cell_type == "code" for c in part.cells)


def test_merge_of_split_restores_every_cell_with_its_own_outputs():
    page = _page()
    executed = {fw: _fake_execute(split(page, fw, FWS), fw) for fw in FWS}
    merged = merge(page, executed, FWS)
    # markdown untouched, shared cell duplicated per framework in configured order
    assert [c.cell_type for c in merged.cells] == ["markdown", "code", "code", "markdown", "code", "code", "code"]
    shared = [c for c in merged.cells if c.cell_type == "code" and c.source == "print(1 + 1)"]
    assert [c.metadata[FRAMEWORK_KEY] for c in shared] == ["pytorch", "tensorflow"]
    for cell in merged.cells:
        if cell.cell_type == "code":
            assert cell.outputs[0].text == f"{cell.metadata[FRAMEWORK_KEY]}:{cell.source}\n"
    # round trip: per framework, the merged code is exactly the split code
    for fw in FWS:
        assert [c.source for c in merged.cells if c.get("metadata", {}).get(FRAMEWORK_KEY) == fw] == [
            c.source for c in split(page, fw, FWS).cells
        ]


def test_merge_refuses_outputs_of_other_code():
    page = _page()
    executed = {fw: _fake_execute(split(page, fw, FWS), fw) for fw in FWS}
    executed["pytorch"][0].source = "import torch as something_else"
    with pytest.raises(PipelineError, match=r"cell 1 \(pytorch\)"):
        merge(page, executed, FWS, "book/page.md")


def test_untagged_code_cell_is_an_error_naming_the_cell():
    page = _page()
    page.cells[2].metadata["tags"] = ["tensorflw"]
    with pytest.raises(PipelineError, match=r"book/page.md cell 2: code cell has no framework tag"):
        check_code_tags(page, FWS, "book/page.md")
