"""The built site, as `make book` left it in _build/site: the invariants of the product."""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import nbformat
import polib

from scripts.book_ext.panels import join_page
from scripts.book_ext.ui import THEME_LABELS
from scripts.comments import code_tokens
from scripts.comments import comments as comments_of
from scripts.localize import COMMENT_CONTEXT
from scripts.config import SOURCE_LANGUAGE
from scripts.pipeline import executed_path

CJK_OR_LETTERS = re.compile(r"[A-Za-z]{3,}")
# TensorFlow's C++ logs (I0000/W0000 ...), oneDNN and CUDA library notices, Python warnings.
# (A bare "cuda" is allowed: on a GPU build, tensors print as device='cuda:0'.)
LOG_NOISE = re.compile(r"^[IWEF]\d{4} |oneDNN|cuda drivers|cuDNN|cuFFT|cuBLAS|CUDA_ERROR|Warning:|warnings\.warn", re.MULTILINE)


def _pages(config):
    return config.sections()


def test_every_language_has_every_page(config, site):
    for lang in config.languages:
        for page in _pages(config):
            assert (site / lang / f"{page}.html").is_file(), f"{lang}/{page}.html is missing"
    index = (site / "index.html").read_text(encoding="utf-8")
    for lang in config.languages:
        assert f'href="{lang}/index.html"' in index


def _tab_sets(soup):
    """The tab sets of code cells (prose for one framework makes tab sets of its own)."""
    return soup.select("article div.sd-tab-set.framework-code-tabs")


def _tab_labels(tab_set):
    return [label.get_text(strip=True) for label in tab_set.find_all("label", recursive=False)]


def _code_of(soup) -> list[list[list[tuple[int, str]]]]:
    """Per tab set, the executable tokens of each tab's code (comments are translated), in order."""
    return [[code_tokens(pre.get_text()) for pre in ts.select("div.cell_input pre")] for ts in _tab_sets(soup)]


def test_every_code_cell_is_a_tab_set_with_every_framework_in_order(config, soup_of):
    labels = [fw.label for fw in config.frameworks]
    for lang in config.languages:
        for page in _pages(config):
            soup = soup_of(lang, page)
            loose = [c for c in soup.select("article div.cell") if not c.find_parent("div", class_="sd-tab-set")]
            assert not loose, f"{lang}/{page}: code cell outside a tab set"
            for tab_set in _tab_sets(soup):
                assert _tab_labels(tab_set) == labels, f"{lang}/{page}: tabs {_tab_labels(tab_set)}"
                sync = [label["data-sync-id"] for label in tab_set.find_all("label", recursive=False)]
                assert sync == list(config.framework_names)
                assert {label["data-sync-group"] for label in tab_set.find_all("label", recursive=False)} == {"framework"}


def test_sections_have_code_and_solutions_hidden_in_dropdowns(config, soup_of):
    for page in _pages(config)[1:]:
        soup = soup_of(SOURCE_LANGUAGE, page)
        assert _tab_sets(soup), f"{page} has no code"
        solutions = soup.select("article details.sd-dropdown div.sd-tab-set")
        assert solutions, f"{page}: no solution code inside a dropdown"
        for cell in soup.select("article div.cell.tag_solution"):
            assert cell.find_parent("details"), f"{page}: a solution cell is visible without opening its dropdown"


def test_prose_for_one_framework_switches_with_the_code_tabs(config, soup_of):
    order = list(config.framework_names)
    for lang in config.languages:
        for page in _pages(config):
            for tab_set in soup_of(lang, page).select("article div.sd-tab-set.framework-prose-tabs"):
                labels = tab_set.find_all("label", recursive=False)
                assert {label["data-sync-group"] for label in labels} == {"framework"}, f"{lang}/{page}"
                ids = [label["data-sync-id"] for label in labels]
                assert ids == [fw for fw in order if fw in ids], f"{lang}/{page}: prose tabs out of order: {ids}"
                assert not tab_set.select("div.cell"), f"{lang}/{page}: code inside a prose tab set"


def _comment_translations(config, lang: str, page: str) -> dict[str, str]:
    path = config.locale_dir / lang / "LC_MESSAGES" / f"{page}.po"
    if not path.is_file():
        return {}
    entries = polib.pofile(str(path))
    return {e.msgid: e.msgstr for e in entries if e.msgctxt == COMMENT_CONTEXT and e.msgstr and not e.fuzzy and not e.obsolete}


def test_translated_code_comments_are_shown_translated(config, soup_of):
    shown = 0
    for page in _pages(config):
        for lang in config.translations:
            translated = _comment_translations(config, lang, page)
            code = "\n".join(pre.get_text() for pre in soup_of(lang, page).select("article div.cell_input pre"))
            comments = {c.text for c in comments_of(code)}
            left = [english for english, msgstr in translated.items() if english != msgstr and english in comments]
            assert not left, f"{lang}/{page}: comments still in English: {left[:3]}"
            shown += sum(1 for msgstr in translated.values() if msgstr in comments)
    assert shown or not any(_comment_translations(config, lang, p) for lang in config.translations for p in _pages(config))


def test_code_is_identical_in_every_language(config, soup_of):
    """Token for token, with comments aside (Python's tokenizer tells them apart)."""
    for page in _pages(config):
        english = _code_of(soup_of(SOURCE_LANGUAGE, page))
        for lang in config.translations:
            assert _code_of(soup_of(lang, page)) == english, f"{lang}/{page}: code differs from English"


def test_outputs_are_identical_in_every_language(config, soup_of):
    """Executed once per code version: every language shows the very same outputs."""
    for page in _pages(config):
        def outputs(lang):
            return [o.get_text() for o in soup_of(lang, page).select("article div.cell_output")]

        for lang in config.translations:
            assert outputs(lang) == outputs(SOURCE_LANGUAGE), f"{lang}/{page}: outputs differ"


def test_published_outputs_carry_no_log_noise_and_no_machine_paths(config):
    """(A failing cell stops the build and writes nothing: that path is tested in test_execute.)"""
    sources = {s: config.source_path(s) for s in config.sections()}
    # Outputs are published: they must not show where the book was built (file I/O works in temp dirs).
    machine_paths = {str(config.root), tempfile.gettempdir() + "/", str(Path.home()) + "/"}
    for section in sources:
        for fw in config.framework_names:
            path = executed_path(config, section, fw)
            if not path.is_file():
                continue
            nb = nbformat.read(str(path), as_version=4)
            for cell in nb.cells:
                stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
                assert not stderr, f"{path.name}: noise on stderr: {stderr[0][:300]}"
                text = " ".join(o.get("text", "") for o in cell.outputs)
                assert not LOG_NOISE.search(text), f"{path.name}: log noise in the output: {text[:300]}"
                shown = text + " ".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
                leaked = [p for p in machine_paths if p in shown]
                assert not leaked, f"{path.name}: a path of the build machine in the output: {leaked}"
    for section in list(sources)[1:]:
        for fw in config.framework_names:
            assert executed_path(config, section, fw).is_file(), f"{section} never ran in {fw}"
    executed = {p.name for p in (config.build_dir / "executed").glob("*.ipynb")}
    wanted = {executed_path(config, s, fw).name for s in list(sources)[1:] for fw in config.framework_names}
    assert executed == wanted, f"stale executed notebooks: {sorted(executed - wanted)}"


def _prose(soup) -> list[str]:
    """Paragraphs, headings and list items of the article, without code, math or outputs."""
    article = copy.copy(soup.select_one("article"))  # parts are removed below: not the shared page
    texts = []
    for node in article.find_all(["p", "h1", "h2", "h3", "li", "summary"]):
        if node.find_parent(["div"], class_=["cell", "highlight"]) or node.find_parent("li") and node.name == "p":
            continue
        for skip in node.select("code, span.math, a.headerlink, div.math"):
            skip.decompose()
        text = " ".join(node.get_text(" ", strip=True).split())
        if CJK_OR_LETTERS.search(text):
            texts.append(text)
    return texts


def _same_by_choice(config, lang: str) -> set[str]:
    """Entries a translator deliberately left as in English (a title such as "GPUs" in pt_BR)."""
    same = set()
    for path in (config.locale_dir / lang / "LC_MESSAGES").glob("*.po"):
        same |= {e.msgstr for e in polib.pofile(str(path)) if e.msgstr == e.msgid and not e.fuzzy}
    return same


def test_every_prose_paragraph_is_translated(config, soup_of):
    same = {lang: _same_by_choice(config, lang) for lang in config.translations}
    for page in _pages(config):
        english = set(_prose(soup_of(SOURCE_LANGUAGE, page)))
        assert english, f"en/{page}: no prose found"
        for lang in config.translations:
            left = [t for t in _prose(soup_of(lang, page)) if t in english and t not in same[lang]]
            assert not left, f"{lang}/{page}: English left untranslated: {left[:3]}"


def test_html_lang_and_theme_labels_follow_the_page_language(config, soup_of):
    for lang in config.languages:
        soup = soup_of(lang, _pages(config)[1])
        assert soup.html["lang"] == lang.replace("_", "-")
    # The theme's own labels come in the page's language (the search box placeholder, say).
    placeholders = {lang: soup_of(lang, "index").select_one("input[name=q]")["placeholder"] for lang in config.languages}
    assert len(set(placeholders.values())) == len(config.languages), placeholders
    # Labels that Sphinx's and the themes' catalogs leave in English come from ui.po.
    for lang in config.translations:
        soup = copy.copy(soup_of(lang, _pages(config)[1]))  # parts are removed below
        for tag in soup(["script", "style"]):
            tag.decompose()
        labels = {el[a] for el in soup.find_all(True) for a in ("title", "aria-label") if el.get(a)}
        article = soup.select_one("article")
        article.decompose()
        shown = labels | set(soup.stripped_strings)
        assert not shown & set(THEME_LABELS), f"{lang}: {sorted(shown & set(THEME_LABELS))}"


def test_language_menu_leads_to_the_same_page_in_every_language(config, site, soup_of):
    for lang in config.languages:
        for page in _pages(config):
            links = soup_of(lang, page).select("div.book-lang-switch a.dropdown-item")
            assert [a["data-lang"] for a in links] == list(config.languages)
            for link in links:
                target = (site / lang / link["href"]).resolve()
                assert target == (site / link["data-lang"] / f"{page}.html").resolve()
                assert target.is_file()


def test_internal_links_resolve(config, site, soup_of):
    for lang in config.languages:
        for page in _pages(config):
            for a in soup_of(lang, page).select("article a[href]"):
                href = a["href"]
                if href.startswith(("http:", "https:", "mailto:")):
                    continue
                path, _, anchor = href.partition("#")
                target = (site / lang / path).resolve() if path else site / lang / f"{page}.html"
                assert target.is_file(), f"{lang}/{page}: broken link {href}"
                if anchor:
                    html = join_page(target)
                    assert f'id="{anchor}"' in html, f"{lang}/{page}: missing anchor {href}"


def test_each_page_says_which_framework_versions_and_device_produced_it(config, soup_of):
    for lang in config.languages:
        for page in _pages(config)[1:]:
            line = soup_of(lang, page).select_one("p.book-provenance")
            assert line is not None, f"{lang}/{page}: no provenance line"
            for fw in config.frameworks:
                assert re.search(rf"{fw.label} \d+\.\d+\S* \((CPU|[^)]*GPU[^)]*|[^)]+)\)", line.get_text()), line.get_text()



# Output that only one framework prints: a tab showing another framework's tell-tale is mixed up.
TELLTALES = {"pytorch": "tensor(", "tensorflow": "<tf.Tensor", "jax": "Array("}


def test_each_tab_holds_its_own_frameworks_cell_and_outputs(config, soup_of):
    seen = {fw: 0 for fw in config.framework_names}
    for lang in config.languages:
        for page in _pages(config):
            for tab_set in _tab_sets(soup_of(lang, page)):
                for label in tab_set.find_all("label", recursive=False):
                    fw = label["data-sync-id"]
                    content = label.find_next_sibling("div", class_="sd-tab-content")
                    cell = content.select_one("div.cell")
                    assert f"tag_{fw}" in cell["class"], f"{lang}/{page}: {fw} tab holds {cell['class']}"
                    output = " ".join(o.get_text() for o in content.select("div.cell_output"))
                    for other, telltale in TELLTALES.items():
                        if other != fw and other in seen:
                            assert telltale not in output, f"{lang}/{page}: {fw} tab shows {other} output"
                    if fw in TELLTALES and TELLTALES[fw] in output:
                        seen[fw] += 1
    assert all(seen[fw] for fw in TELLTALES if fw in seen), seen


def test_retired_frameworks_say_so_once_per_page(config, soup_of):
    retired = [fw.name for fw in config.frameworks if fw.retired]
    for lang in config.languages:
        for page in _pages(config)[1:]:
            soup = soup_of(lang, page)
            notes = soup.select("article p.book-retired-note")
            assert len(notes) == len(retired), f"{lang}/{page}: {len(notes)} notes for {retired}"
            for note in notes:
                label = note.find_parent("div", class_="sd-tab-content").find_previous_sibling("label")
                assert label["data-sync-id"] in retired


def test_every_tab_label_and_control_points_at_an_element_of_its_page(config, soup_of):
    # The tab ids are shortened after Sphinx wrote them (book_ext/light.py): a label whose `for`
    # or `aria-controls` lost its target would leave a tab that cannot be opened.
    for lang in config.languages:
        for page in _pages(config):
            soup = soup_of(lang, page)
            ids = {el["id"] for el in soup.select("[id]")}
            labels = soup.select("label.sd-tab-label")
            assert labels or page == config.sections()[0], f"{lang}/{page}: no tabs"
            dangling = [lab.get("for") for lab in labels if lab.get("for") not in ids or lab.get("aria-controls") not in ids]
            assert not dangling, f"{lang}/{page}: tab labels without their input or panel: {dangling[:5]}"


def test_lightened_markup_shows_the_same_text():
    from bs4 import BeautifulSoup

    from scripts.book_ext.light import lighten_body

    body = (
        '<div class="sd-tab-set">\n<input id="sd-tab-item-3" name="sd-tab-set-1" type="radio">\n'
        '<label aria-controls="sd-tab-item-3-content" for="sd-tab-item-3">\nJAX</label>'
        '<div class="sd-tab-content" id="sd-tab-item-3-content">\n<div class="highlight"><pre><span></span>'
        'torch<span class="o">.</span>nn<span class="o">.</span>Linear(<span class="mi">8</span>)\n\n'
        '    <span class="k">return</span> x\n</pre></div>\n</div>\n</div>\n'
        '<p>Call <code class="literal"><span class="pre">net</span></code>\n<em>twice</em>.</p>'
    )
    light = lighten_body(body)
    before, after = BeautifulSoup(body, "html.parser"), BeautifulSoup(light, "html.parser")
    assert len(light) < len(body) - 100
    assert before.pre.get_text() == after.pre.get_text()  # every space and line break of code
    assert before.p.get_text() == after.p.get_text()  # "net twice": the space between inline tags stays
    assert after.label["for"] == after.input["id"] and after.label["aria-controls"] == after.select_one(".sd-tab-content")["id"]
