"""Split and merge: one notebook per framework, and back into one page with a cell per framework."""

from __future__ import annotations

import nbformat
import pytest

from scripts.errors import PipelineError
from scripts.merge import FRAMEWORK_KEY, merge
from scripts.notebooks import LINE, check_code_tags, read_source
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


def _source_page(tmp_path, body: str):
    path = tmp_path / "page.md"
    path.write_text(body, encoding="utf-8")
    return read_source(path)


def _cell(tags: str, code: str = "x = 1") -> str:
    return f"```{{code-cell}} ipython3\n:tags: [{tags}]\n\n{code}\n```\n"


def test_cells_are_stamped_with_the_line_their_text_starts_on(tmp_path):
    nb = _source_page(tmp_path, "# Page\n\nProse.\n\n" + _cell("pytorch", "a = 1\nb = 2") + "\nMore prose.\n")
    assert [c.metadata[LINE] for c in nb.cells] == [1, 8, 12]


def test_an_unknown_tag_names_its_source_line(tmp_path):
    body = "# Page\n\n" + _cell("pytorch") + "\n" + _cell("tensorflw")
    with pytest.raises(PipelineError, match=r"page.md:12: unknown tag 'tensorflw'"):
        check_code_tags(_source_page(tmp_path, body), FWS, "page.md")


def test_a_misspelled_solution_tag_is_caught(tmp_path):
    body = "Exercise.\n\n:::{dropdown} Solution to exercise 1\nThe answer.\n:::\n\n" + _cell("pytorch, soluton")
    with pytest.raises(PipelineError, match=r"page.md:10: unknown tag 'soluton'"):
        check_code_tags(_source_page(tmp_path, body), FWS, "page.md")


def test_code_after_a_solution_dropdown_must_be_tagged_solution(tmp_path):
    body = ":::{dropdown} Solution to exercise 1\nThe answer.\n:::\n\n" + _cell("pytorch, solution") + "\n" + _cell("tensorflow")
    with pytest.raises(PipelineError, match=r"page.md:14: this code cell follows a solution dropdown but is not tagged `solution`"):
        check_code_tags(_source_page(tmp_path, body), FWS, "page.md")


def test_a_solution_cell_must_follow_a_dropdown(tmp_path):
    body = "Prose.\n\n" + _cell("pytorch, solution")
    with pytest.raises(PipelineError, match=r"page.md:6: code cell tagged `solution` does not follow"):
        check_code_tags(_source_page(tmp_path, body), FWS, "page.md")


def test_a_cell_without_framework_is_an_error(tmp_path):
    with pytest.raises(PipelineError, match=r"page.md:6: code cell has no framework tag"):
        check_code_tags(_source_page(tmp_path, "Prose.\n\n" + _cell("solution").replace("[solution]", "[]")), FWS, "page.md")


def test_the_books_tags_are_valid(config):
    for section in config.sections():
        path = config.source_path(section)
        check_code_tags(read_source(path), config.framework_names, str(path))
