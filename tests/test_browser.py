"""The built pages in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect, sync_playwright

from scripts.book_ext.panels import join_page
from tests.conftest import ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (make browser)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# Whether every panel of a framework is filled (its panels load when it is first picked).
PANELS_IN = "(fw) => [...document.querySelectorAll(`.framework-tabs > label[data-sync-id=${fw}]`)].every(l => l.nextElementSibling.childNodes.length)"


def _selected_frameworks(page: Page) -> list[str]:
    """The framework whose tab is checked, in every tab set of the article."""
    return page.eval_on_selector_all(
        "article div.sd-tab-set.framework-code-tabs",
        """sets => sets.map(s => {
            const input = s.querySelector(':scope > input:checked');
            return input ? input.nextElementSibling.dataset.syncId : null;
        })""",
    )


def test_framework_tabs_switch_together_and_are_remembered(page: Page, base_url, config):
    page.goto(f"{base_url}/ja/custom-layers.html")
    first = config.framework_names[0]
    assert set(_selected_frameworks(page)) == {first}
    page.locator("article div.framework-code-tabs label[data-sync-id=tensorflow]").first.click()
    selected = _selected_frameworks(page)
    assert len(selected) > 1 and set(selected) == {"tensorflow"}
    # The visible output of the first tab set is TensorFlow's own.
    visible = page.locator("article div.framework-code-tabs").first.locator("div.sd-tab-content:visible")
    expect(visible).to_have_count(1)
    assert "tag_tensorflow" in visible.locator("div.cell").first.get_attribute("class")
    # The choice is remembered on the next page the reader opens.
    sections = config.sections()
    previous = sections[sections.index("custom-layers") - 1]
    page.locator("a.left-prev").click()
    page.wait_for_url(f"**/ja/{previous}.html")
    assert set(_selected_frameworks(page)) == {"tensorflow"}


def test_language_menu_leads_to_the_same_page(page: Page, base_url):
    page.goto(f"{base_url}/ja/custom-layers.html")
    page.locator("div.book-lang-switch button.dropdown-toggle").click()
    page.locator("div.book-lang-switch a[data-lang=pt_BR]").click()
    page.wait_for_url("**/pt_BR/custom-layers.html")
    assert page.locator("html").get_attribute("lang") == "pt-BR"


def test_launch_menu_offers_each_framework_in_the_page_language(page: Page, base_url, config, site):
    page.goto(f"{base_url}/ja/custom-layers.html")
    page.locator("div.dropdown-launch-buttons button.dropdown-toggle").click()
    items = page.locator("div.dropdown-launch-buttons ul.dropdown-menu a")
    expect(items.first).to_be_visible()
    hrefs = items.evaluate_all("links => links.map(a => a.href)")
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/")]
    expected = [f"{config.colab_base}/ja/{fw.name}/custom-layers.ipynb" for fw in config.frameworks if fw.colab]
    assert colab == expected
    for href in colab:
        assert (site / "notebooks" / href.split(f"/blob/{config.colab_branch}/", 1)[1]).is_file()
    local = [h for h in hrefs if h.startswith(base_url)]  # frameworks Colab cannot run: their notebook
    assert len(local) == sum(1 for fw in config.frameworks if not fw.colab)
    # The download menu offers one runnable notebook per framework, and no four-framework source.
    page.keyboard.press("Escape")
    page.locator("div.dropdown-download-buttons button.dropdown-toggle").click()
    items = page.locator("div.dropdown-download-buttons ul.dropdown-menu a")
    expect(items.first).to_be_visible()
    hrefs = items.evaluate_all("links => links.map(a => a.href)")
    downloads = [h for h in hrefs if h.endswith(".ipynb")]
    assert downloads == [f"{base_url}/notebooks/ja/{fw.name}/custom-layers.ipynb" for fw in config.frameworks]
    assert not [h for h in hrefs if "_sources" in h]
    for href in downloads + local:
        assert page.request.get(href).status == 200, href


@pytest.mark.parametrize("width", [1280, 420])
def test_the_menu_button_shows_and_hides_the_navigation(browser, base_url, width):
    """The article header's menu button works at desktop and phone widths; no script fails."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/zh_CN/gpus.html")
    expect(page.locator("header.bd-header")).to_be_hidden()
    sidebar = page.locator("#pst-primary-sidebar")
    visible_before = sidebar.is_visible()
    page.locator("button.primary-toggle:visible").first.click()
    if width >= 992:  # the sidebar collapses
        assert visible_before
        expect(sidebar).to_be_hidden()
    else:  # the navigation opens in a dialog
        assert not visible_before
        expect(page.locator("#pst-primary-sidebar-modal")).to_be_visible()
        expect(page.locator("#pst-primary-sidebar-modal a", has_text="层和模块")).to_be_visible()
    assert not errors, errors  # e.g. a script that Jupyter Book registers twice
    context.close()


def test_prose_for_one_framework_follows_the_readers_framework(page: Page, base_url, config, site):
    """A click on a prose tab switches the code tabs too; a block set without the reader's
    framework (a note for JAX alone, say) is hidden from other readers."""
    pages = [p for p in config.sections() if "framework-prose-tabs" in join_page(site / "ja" / f"{p}.html")]
    assert pages, "no page has prose for one framework"
    page.goto(f"{base_url}/ja/{pages[0]}.html")
    prose = page.locator("article div.framework-prose-tabs")
    full = prose.filter(has=page.locator(":scope > label[data-sync-id=mxnet]")).filter(has=page.locator(":scope > label[data-sync-id=pytorch]"))
    full.first.locator(":scope > label[data-sync-id=mxnet]").click()
    assert set(_selected_frameworks(page)) == {"mxnet"}
    for k in range(prose.count()):
        ids = prose.nth(k).locator(":scope > label").evaluate_all("ls => ls.map(l => l.dataset.syncId)")
        if "mxnet" in ids:
            expect(prose.nth(k)).to_be_visible()
        else:
            expect(prose.nth(k)).to_be_hidden()


def test_a_framework_named_in_the_link_is_the_readers_framework(page: Page, base_url, config):
    """`?framework=jax` (sphinx-design's link to a tab) selects JAX everywhere on a first visit,
    loads its panels and shows JAX's prose, not the prose of the first framework."""
    framework = "jax"
    page.goto(f"{base_url}/en/parameters.html?framework={framework}")
    page.wait_for_function(PANELS_IN, arg=framework)
    assert set(_selected_frameworks(page)) == {framework}
    prose = page.locator("article div.framework-prose-tabs")
    for k in range(prose.count()):
        ids = prose.nth(k).locator(":scope > label").evaluate_all("ls => ls.map(l => l.dataset.syncId)")
        if prose.nth(k).evaluate("s => !s.closest('details')"):
            (expect(prose.nth(k)).to_be_visible if framework in ids else expect(prose.nth(k)).to_be_hidden)()
    # A framework the book does not have (a mistyped link) leaves the page as the first framework's.
    page.goto(f"{base_url}/en/parameters.html?framework=jaks")
    expect(page.locator("article div.framework-code-tabs").first).to_be_visible()
    assert set(_selected_frameworks(page)) == {config.framework_names[0]}


def test_picking_a_framework_keeps_the_tab_in_place_and_survives_a_failed_load(page: Page, base_url, config):
    """The clicked tab stays where it was on the screen; a panels file that cannot be loaded says
    so in the page's language, and the next pick loads it; copy buttons made after a copy do not
    show "Copied!", and say "Copy" in the page's language; the words of a search are highlighted
    in panels that arrive later."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.route("**/_panels/parameters.jax.js", lambda route: route.abort())
    page.goto(f"{base_url}/ja/parameters.html?highlight=flax")
    code_sets = page.locator("article div.framework-code-tabs")
    label = code_sets.nth(5).locator(":scope > label[data-sync-id=jax]")
    label.scroll_into_view_if_needed()
    top = label.bounding_box()["y"]
    label.click()
    page.wait_for_function(PANELS_IN, arg="jax")
    page.evaluate(NEXT_FRAME)
    assert abs(label.bounding_box()["y"] - top) < 2
    failed = code_sets.nth(5).locator("p.book-panels-failed")
    expect(failed).to_have_text("このタブの内容を読み込めませんでした。接続を確認してから、もう一度タブを選んでください。")
    page.unroute("**/_panels/parameters.jax.js")
    # A copy, then at once another framework and JAX again (its file loads now).
    code_sets.first.locator(":scope > label[data-sync-id=pytorch]").click()
    copy = code_sets.first.locator("button.copybtn").first
    expect(copy).to_have_attribute("data-tooltip", "コピー")  # sphinx-copybutton's own table has no ja
    copy.click(force=True)
    expect(copy).to_have_attribute("data-tooltip", "コピーしました")
    code_sets.first.locator(":scope > label[data-sync-id=tensorflow]").click()
    page.wait_for_function(PANELS_IN, arg="tensorflow")
    assert page.locator("article .copybtn.success").count() <= 1  # the one clicked, at most
    assert set(page.locator("article .copybtn:not(.success)").evaluate_all("bs => bs.map(b => b.dataset.tooltip)")) == {"コピー"}
    code_sets.first.locator(":scope > label[data-sync-id=jax]").click()
    page.wait_for_function("() => !document.querySelector('article p.book-panels-failed')")
    expect(code_sets.nth(5).locator(":scope > div.sd-tab-content:visible div.cell")).to_have_count(1)
    assert page.locator("article div.framework-tabs span.highlighted").count() > 0


# Per set: the framework, label and (for the reader's framework) text of each tab, as the page shows them.
SHOWN_TABS = """(fw) => {
    const text = (panel) => {
        const copy = panel.cloneNode(true);
        copy.querySelectorAll('.copybtn').forEach(b => b.remove());
        return copy.textContent.split(/\\s+/).filter(Boolean).join(' ');
    };
    return [...document.querySelectorAll('article div.framework-tabs')].map(s =>
        [...s.querySelectorAll(':scope > label')].map(l => [l.dataset.syncId, l.textContent.trim(),
            l.dataset.syncId === fw ? text(document.getElementById(l.getAttribute('aria-controls'))) : '']));
}"""


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_reader_of_another_framework_gets_its_tabs_with_the_page(browser, base_url, site, config, scheme):
    """A page holds the first framework's tabs (panels.py): a reader who picked another one gets
    its tabs checked and filled, with copy buttons, by the time the article shows, from file://
    too; and the page then shows what join_page reads (which the other tests check)."""
    root = base_url if scheme == "http" else site.as_uri()
    section = "parameters"
    soup = BeautifulSoup(join_page(site / "ja" / f"{section}.html"), "html.parser")
    for framework in config.framework_names[1:]:
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{root}/ja/index.html")
        page.evaluate(f"localStorage.setItem('builders-guide-tab-framework', '{framework}')")
        page.goto(f"{root}/ja/{section}.html")
        page.wait_for_function("!document.documentElement.classList.contains('book-panels-loading')")
        expect(page.locator("article")).to_be_visible()
        assert set(_selected_frameworks(page)) == {framework}
        wanted = [
            [(lab["data-sync-id"], lab.get_text(strip=True), " ".join(soup.find(id=lab["aria-controls"]).get_text().split()) if lab["data-sync-id"] == framework else "") for lab in s.find_all("label", recursive=False)]
            for s in soup.select("article div.framework-tabs")
        ]
        assert [[tuple(tab) for tab in s] for s in page.evaluate(SHOWN_TABS, framework)] == wanted
        # Every code block has its copy button, pointing at it.
        targets = page.eval_on_selector_all("article div.highlight pre", "ps => ps.map(p => p.nextElementSibling && p.nextElementSibling.matches('.copybtn') && document.querySelector(p.nextElementSibling.dataset.clipboardTarget) === p)")
        assert targets and all(targets)
        assert not errors, errors
        context.close()
    # While a reader's panels are on their way, the article is not shown.
    page = browser.new_page()
    page.goto(f"{root}/ja/{section}.html")
    page.evaluate("document.documentElement.classList.add('book-panels-loading')")
    expect(page.locator("article.bd-article")).to_be_hidden()
    page.close()
    # Without JavaScript, the page reads as the first framework's, with no empty tab set (those
    # in closed solution dropdowns are not counted).
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{root}/ja/{section}.html")
    first = config.framework_names[0]
    shown = page.locator("article div.framework-tabs:visible")
    expect(shown).to_have_count(len([s for s in soup.select("article div.framework-tabs") if s.find("label", attrs={"data-sync-id": first}, recursive=False) and not s.find_parent("details")]))
    assert set(shown.locator(":scope > label").evaluate_all("ls => ls.map(l => l.dataset.syncId)")) == {first}
    context.close()


AXE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}"
# A page with every framework's tabs in turn and its dropdowns open: contrast was checked as loaded.
WCAG_STATES = WCAG[:-1] + ", rules: {'color-contrast': {enabled: false}}}"
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def test_every_page_is_accessible_fits_a_phone_and_logs_no_error(browser, base_url, config):
    """axe-core (WCAG 2.1 A and AA) finds nothing on any page of any language as it loads on a
    desktop, nor on a phone with one framework's tabs selected (each framework in turn) and every
    dropdown open; on the phone nothing is wider than the screen, the header's buttons included;
    and no page logs an error to the console."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: `make test` installs it from the npm registry")
    found = []
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        logged = []
        page.on("console", lambda message: logged.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: logged.append(str(error)))
        for k, (lang, name) in enumerate((lang, name) for lang in config.languages for name in config.sections()):
            logged.clear()
            page.goto(f"{base_url}/{lang}/{name}.html")
            state, options = "as loaded", WCAG
            if width < 600 and name != config.sections()[0]:
                fw = config.framework_names[k % len(config.framework_names)]
                page.evaluate(f"() => document.querySelector(\"article .framework-code-tabs > label[data-sync-id='{fw}']\").click()")
                page.wait_for_function(PANELS_IN, arg=fw)  # a framework's panels load on its first pick
                page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = true)")
                state, options = f"{fw}, dropdowns open", WCAG_STATES
            page.evaluate(NEXT_FRAME)  # scripts that react to a click run on the next frame
            where = f"{lang}/{name} ({width} px, {state})"
            violations = page.evaluate(f"async () => (await axe.run(document, {options})).violations.map(v => v.id + ' ' + v.nodes[0].target.join(' '))")
            found += [f"{where}: {v}" for v in violations] + [f"{where}: console: {text}" for text in logged]
            if width < 600:
                wide = page.evaluate("() => [document.documentElement.scrollWidth, ...[...document.querySelectorAll('.article-header-buttons')].map(e => Math.ceil(e.getBoundingClientRect().right))]")
                found += [f"{where}: {w} px wide" for w in wide if w > width]
        context.close()
    assert not found, found[:10]


def test_controls_show_keyboard_focus_and_the_language_button_names_the_language(page: Page, base_url):
    page.goto(f"{base_url}/pt_BR/parameters.html")
    button = page.locator("div.book-lang-switch button.dropdown-toggle")
    name = button.evaluate("b => b.innerText + ' | ' + b.textContent.replace(/\\s+/g, ' ')")
    assert "Português (Brasil)" in name
    for selector in ("div.book-lang-switch button.dropdown-toggle", "article details.sd-dropdown > summary"):
        control = page.locator(selector).first
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        outline = control.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
        assert not outline.startswith("none") and not outline.endswith(" 0px"), f"{selector}: {outline}"


SEARCH_WORDS = {"en": "parameters", "pt_BR": "parâmetros", "zh_CN": "参数", "ja": "パラメータ"}


def test_search_shows_a_snippet_around_the_match_also_from_file_urls(browser, config, site):
    for lang in config.languages:
        context = browser.new_context()
        page = context.new_page()
        word = SEARCH_WORDS.get(lang, SEARCH_WORDS["en"])
        page.goto(f"{(site / lang / 'search.html').as_uri()}?q={word}")
        summary = page.locator("#search-results p.context").first
        expect(summary).to_be_visible(timeout=15000)
        assert word.lower() in summary.inner_text().lower(), f"{lang}: {summary.inner_text()[:200]}"
        status = page.locator("#search-results p.search-summary")
        expect(status).not_to_be_empty()
        context.close()


def test_the_front_page_sends_a_reader_to_their_language_and_remembers_a_choice(browser, base_url, config):
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(f"{base_url}/index.html")
    page.wait_for_url("**/ja/index.html")
    page.locator("div.book-lang-switch button.dropdown-toggle").click()
    page.locator("div.book-lang-switch a[data-lang=pt_BR]").click()
    page.wait_for_url("**/pt_BR/index.html")
    page.goto(f"{base_url}/index.html")  # the choice wins over the browser's language
    page.wait_for_url("**/pt_BR/index.html")
    page.goto(f"{base_url}/index.html?all")
    cards = page.locator("ul.languages a")
    expect(cards).to_have_count(len(config.languages))
    assert "%" in cards.first.inner_text()
    context.close()


def test_nothing_leaves_the_site_and_math_is_typeset_offline(browser, config, site):
    """Opened from file:// (offline), no page asks another host for anything, and every formula
    is MathML: no raw TeX is left for a script that would never load."""
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for lang in config.languages:
        for name in config.sections():
            requests.clear()
            page.goto((site / lang / f"{name}.html").as_uri())
            outside = [url for url in requests if not url.startswith(("file://", "data:", "about:"))]
            assert not outside, f"{lang}/{name}: {outside[:3]}"
            text = page.locator("article").inner_text()
            assert not re.search(r"\\\(|\\\)|\$\$|\\frac|\\sqrt|\\mathbf", text), f"{lang}/{name}: raw TeX on the page"
    context.close()
    math = sum(join_page(site / "en" / f"{name}.html").count("<math") for name in config.sections())
    assert math > 50, "the book's formulas are not MathML"
