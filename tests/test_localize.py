"""Localize: which blocks are translatable, how they are rewritten, and what falls back."""

from __future__ import annotations

import nbformat

from scripts.localize import COMMENT_CONTEXT, COMMENT_NOTE, Catalog, extract, localize, segments, translate_markdown
from scripts.notebooks import LINE

MD = """(sec-x)=
# Title with `code`

A paragraph with `x`, $y^2$ and {ref}`sec-x`
on two lines.

- first item
- second [link](https://example.org)

:::{dropdown} Solution to exercise 1
:open:
Solution text.
:::

$$
z = 1
$$

```python
not_prose = 1
```"""


def test_segments_cover_every_prose_block_and_nothing_else():
    texts = [s.text for s in segments(MD)]
    assert texts == [
        "Title with `code`",
        "A paragraph with `x`, $y^2$ and {ref}`sec-x` on two lines.",
        "first item",
        "second [link](https://example.org)",
        "Solution to exercise 1",
        "Solution text.",
    ]


def test_translation_keeps_markup_around_blocks():
    out, done, missing, origins = translate_markdown(MD, lambda text: text.upper(), lambda text: "po")
    assert not missing and len(done) == 6
    assert len(origins) == len(out.splitlines())
    assert origins[:3] == [0, "po", 2]  # the label line stays, the heading comes from the catalog
    lines = out.splitlines()
    assert lines[0] == "(sec-x)="
    assert lines[1] == "# TITLE WITH `CODE`"
    assert "- FIRST ITEM" in lines
    assert ":::{dropdown} SOLUTION TO EXERCISE 1" in lines
    assert ":open:" in lines
    assert "not_prose = 1" in lines and "z = 1" in lines


def _nb():
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Hello\n\nFirst paragraph.\n\nSecond paragraph."),
            nbformat.v4.new_code_cell("print('Hello')  # First paragraph.", metadata={"tags": ["pytorch"]}),
        ]
    )


def test_missing_and_fuzzy_fall_back_to_english_and_are_counted():
    catalog = Catalog("x.po", {"Hello": "Olá"}, fuzzy=frozenset({"First paragraph."}))
    out, report = localize(_nb(), catalog)
    assert out.cells[0].source.splitlines()[0] == "# Olá"
    assert "First paragraph." in out.cells[0].source and "Second paragraph." in out.cells[0].source
    assert report.total == 3 and report.translated == 1
    assert report.fuzzy == ["First paragraph."]
    assert report.untranslated == ["Second paragraph."]


def test_code_is_never_translated_only_its_comments():
    nb = _nb()
    out, report = localize(nb, Catalog("x.po", {"Hello": "Olá"}, comments={"First paragraph.": "Primeiro."}))
    assert out.cells[1].source == "print('Hello')  # Primeiro."  # the string 'Hello' stays
    assert report.comments == 1


def test_extract_lists_code_comments_with_the_code_they_explain():
    nb = _nb()
    nb.cells[1].metadata[LINE] = 12
    pot = extract(nb, "", "book/x.md")
    entry = pot.find("First paragraph.", msgctxt=COMMENT_CONTEXT)
    assert entry.occurrences == [("book/x.md", "12")]
    assert entry.comment == COMMENT_NOTE + "print('Hello')"
    assert pot.find("First paragraph.").msgctxt is None  # the paragraph of the same words


def test_extract_gives_one_entry_per_block_with_source_lines():
    nb = _nb()
    text = "---\nfront: matter\n---\n\n# Hello\n\nFirst paragraph.\n\nSecond paragraph.\n"
    pot = extract(nb, text, "book/x.md")
    pot = [e for e in pot if e.msgctxt is None]  # the paragraphs (the code comment is tested below)
    assert [e.msgid for e in pot] == ["Hello", "First paragraph.", "Second paragraph."]
    assert [e.occurrences[0] for e in pot] == [("book/x.md", "5"), ("book/x.md", "7"), ("book/x.md", "9")]


def test_catalog_load_skips_fuzzy_and_obsolete(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "a"\nmsgstr "A"\n\n#, fuzzy\nmsgid "b"\nmsgstr "B"\n\n#~ msgid "c"\n#~ msgstr "C"\n',
        encoding="utf-8",
    )
    catalog = Catalog.load(po)
    assert catalog.translations == {"a": "A"}
    assert catalog.fuzzy == {"b"}
