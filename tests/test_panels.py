"""A page keeps the first framework's tabs; the others' panels go to scripts and come back whole."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from scripts.book_ext.panels import FOLDER, _script_contents, join_page, panels_script, split_body


def _tab(n: int, name: str, framework: str, content: str, checked: bool = False) -> str:
    """A tab as sphinx-design writes it (after light.py shortened its ids)."""
    check = ' checked="checked"' if checked else ""
    return (
        f'<input{check} id="i-{n}" name="{name}" type="radio"><label aria-controls="i-{n}-c" class="sd-tab-label" '
        f'data-sync-group="framework" data-sync-id="{framework}" for="i-{n}">\n{framework.upper()}</label>'
        f'<div class="sd-tab-content docutils" id="i-{n}-c">{content}</div>'
    )


# Code that a template literal would read otherwise: a backslash, a backtick, a substitution.
TRICKY = '<div class="highlight"><pre>print(f"${x}\\n`y`")</pre></div><div><div>nested</div></div>'
BODY = (
    "<p>before</p>"
    f'<div class="sd-tab-set framework-tabs framework-code-tabs docutils">{_tab(0, "s-0", "a", "<p>A</p>", True)}{_tab(1, "s-0", "b", TRICKY)}{_tab(2, "s-0", "c", "<p>C</p>")}</div>'
    "<p>between</p>"
    f'<div class="sd-tab-set framework-tabs framework-prose-tabs docutils">{_tab(3, "s-1", "c", "<p>only C</p>", True)}</div>'
)


def _tabs(html: str) -> list[list[tuple[str, str, str]]]:
    """Each framework tab set as (framework, label, panel text), in order."""
    soup = BeautifulSoup(html, "html.parser")
    sets = []
    for tab_set in soup.select("div.framework-tabs"):
        labels = tab_set.find_all("label", recursive=False)
        sets.append([(lab["data-sync-id"], lab.get_text(strip=True), soup.find(id=lab["aria-controls"]).decode_contents()) for lab in labels])
    return sets


def test_a_body_keeps_the_first_frameworks_tabs_and_the_others_come_back_whole(tmp_path):
    body, moved = split_body(BODY, "a")
    assert set(moved) == {"b", "c"} and moved["c"] == ["<p>C</p>", "<p>only C</p>"] and moved["b"] == [TRICKY]
    assert "TRICKY" not in body and "<p>C</p>" not in body and 'data-sync-id="b"' not in body
    assert '<div class="sd-tab-set framework-tabs framework-prose-tabs docutils" data-tabs="c"></div>' in body
    assert "<p>before</p>" in body and "<p>between</p>" in body
    # A built page: its head names the panels' files and the frameworks' labels.
    labels = {"a": "A", "b": "B", "c": "C"}
    meta = f'<meta name="book:panels" content="{FOLDER}/page" data-inline="a" data-files="b c" data-labels="{json.dumps(labels).replace(chr(34), "&quot;")}"/>'
    (tmp_path / "page.html").write_text(f"<html><head>{meta}</head><body>{body}</body></html>", encoding="utf-8")
    (tmp_path / FOLDER).mkdir()
    for framework, contents in moved.items():
        script = panels_script(framework, contents)
        assert _script_contents(script) == contents
        (tmp_path / FOLDER / f"page.{framework}.js").write_text(script, encoding="utf-8")
    joined = join_page(tmp_path / "page.html")
    assert _tabs(joined) == [[(fw, fw.upper(), text) for fw, text in (("a", "<p>A</p>"), ("b", TRICKY), ("c", "<p>C</p>"))], [("c", "C", "<p>only C</p>")]]
    # The set that lost all its tabs gets its first tab checked; the others keep the first framework's.
    soup = BeautifulSoup(joined, "html.parser")
    assert [[i.has_attr("checked") for i in s.find_all("input")] for s in soup.select("div.framework-tabs")] == [[True, False, False], [True]]
    assert len({i["id"] for i in soup.find_all("input")}) == 4


def test_a_panels_file_is_a_script_that_javascript_reads_back(tmp_path):
    """The template literal says exactly the panel's HTML (checked by a JavaScript engine: node)."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: `make test` installs Debian's npm, which brings it")
    script = panels_script("b", [TRICKY, "<p>é 中文</p>"])
    out = subprocess.run([node, "-e", f"let got; const bookPanels = (f, h) => {{ got = h; }};\n{script}\nprocess.stdout.write(got);"], capture_output=True, text=True, check=True)
    assert out.stdout == f"<div>{TRICKY}</div><div><p>é 中文</p></div>"


def test_every_built_page_holds_one_frameworks_tabs_and_files_for_the_others(config, site):
    first, others = config.framework_names[0], config.framework_names[1:]
    for lang in config.languages:
        pages = [p for p in config.sections() if " data-tabs=" in (site / lang / f"{p}.html").read_text(encoding="utf-8")]
        assert len(pages) == len(config.sections()) - 1  # all but the chapter's opening page
        for page in pages:
            html = (site / lang / f"{page}.html").read_text(encoding="utf-8")
            assert set(re.findall(r'data-sync-id="([^"]+)"', html)) == {first}, (lang, page)
            named = re.findall(r'framework-tabs[^"]*" data-tabs="([^"]+)"', html)
            for framework in others:
                wanted = sum(framework in tabs.split() for tabs in named)
                panels = site / lang / FOLDER / f"{page}.{framework}.js"
                got = len(_script_contents(panels.read_text(encoding="utf-8"))) if panels.is_file() else 0
                assert got == wanted > 0, (lang, page, framework)
