"""Translators' workflow: the markup check, the refresh after an English edit, statistics, search."""

from __future__ import annotations

import json
import re

import polib

from scripts.book_ext.panels import join_page
from scripts.catalog_check import check_catalog
from scripts.catalogs import catalog_stats, update_catalogs
from scripts.config import load_config
from tests.conftest import render_copy

SOURCE = "Call `net(X)` as in {ref}`sec-layers-and-modules`, see [the docs](https://pytorch.org/docs)."
BROKEN = {
    "dropped code": ("Chame a rede como em {ref}`sec-layers-and-modules`, veja [a doc](https://pytorch.org/docs).", "inline code missing"),
    "changed role": ("Chame `net(X)` como em {ref}`sec-custom-layers`, veja [a doc](https://pytorch.org/docs).", "role missing"),
    "broken link": ("Chame `net(X)` como em {ref}`sec-layers-and-modules`, veja [a doc](https://pytorch.org/doc).", "link target missing"),
    "script": ("Chame `net(X)` como em {ref}`sec-layers-and-modules` <script>alert(1)</script>, veja [a doc](https://pytorch.org/docs).", "raw HTML"),
}


def _po_with(entries: list[tuple[str, str]]) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def test_each_broken_translation_gets_its_own_file_line_error(tmp_path):
    path = tmp_path / "page.po"
    entries = [(f"{SOURCE} ({name})", f"{text} ({name})") for name, (text, _) in BROKEN.items()]
    _po_with([(SOURCE, SOURCE.replace("Call", "Chame")), *entries]).save(str(path))
    problems = check_catalog(path, tmp_path)
    by_line: dict[int, list[str]] = {}
    for problem in problems:
        assert str(problem) == f"page.po:{problem.line}: {problem.message}"
        by_line.setdefault(problem.line, []).append(problem.message)
    assert len(by_line) == len(BROKEN), by_line  # one entry each, the intact one has none
    for messages, (_, expected) in zip(by_line.values(), BROKEN.values()):
        assert any(expected in m for m in messages), messages


def test_a_broken_catalog_stops_the_build_before_rendering(book_copy):
    config = load_config(book_copy)
    po_path = config.locale_dir / "ja" / "LC_MESSAGES" / f"{config.sections()[1]}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in po if "`" in e.msgid and e.msgstr and not e.fuzzy)
    entry.msgstr = re.sub(r"`[^`]+`", "", entry.msgstr, count=1)
    po.save(str(po_path))
    site_page = book_copy / "_build" / "site" / "ja" / f"{config.sections()[1]}.html"
    before = site_page.read_bytes()
    result = render_copy(book_copy, "ja")
    assert result.returncode == 1
    po = polib.pofile(str(po_path), wrapwidth=0)
    line = next(e for e in po if e.msgid == entry.msgid).linenum
    assert f"locales/ja/LC_MESSAGES/{config.sections()[1]}.po:{line}: inline code missing" in result.stderr
    assert "[render] ja ..." not in result.stdout  # no Sphinx build started
    assert site_page.read_bytes() == before


def test_an_english_edit_makes_exactly_that_entry_fuzzy_everywhere(book_copy):
    config = load_config(book_copy)
    section = config.sections()[2]
    source = config.source_path(section)
    text = source.read_text(encoding="utf-8")
    target = next(e.msgid for e in polib.pofile(str(config.locale_dir / "templates" / f"{section}.pot")) if len(e.msgid) > 200)
    edited = target.replace(" ", " really ", 1)
    source.write_text(text.replace(target, edited, 1), encoding="utf-8")
    before = {p: p.read_bytes() for p in config.locale_dir.rglob("*.po*")}
    untranslated_before = {row.lang: row.untranslated for row in catalog_stats(config, config.translations) if row.page == section}
    update_catalogs(config, config.translations, log=lambda message: None)
    changed = {p.relative_to(config.locale_dir).as_posix() for p in before if p.read_bytes() != before[p]}
    assert changed == {f"templates/{section}.pot", *(f"{lang}/LC_MESSAGES/{section}.po" for lang in config.translations)}
    for lang in config.translations:
        po = polib.pofile(str(config.locale_dir / lang / "LC_MESSAGES" / f"{section}.po"))
        fuzzy = [e.msgid for e in po if e.fuzzy and not e.obsolete]
        assert fuzzy == [edited], f"{lang}: {fuzzy}"
    stats = {(row.lang, row.page): row for row in catalog_stats(config, config.translations)}
    for lang in config.translations:
        assert stats[lang, section].fuzzy == 1 and stats[lang, section].untranslated == untranslated_before[lang]
    # The fallback is the same in every language: one of them, rendered, shows it.
    lang = config.translations[0]
    result = render_copy(book_copy, lang)
    assert result.returncode == 0, result.stderr
    html = join_page(book_copy / "_build" / "preview" / lang / f"{section}.html")
    assert 'class="book-partial-translation' in html and f"../en/{section}.html" in html
    assert edited.split("`")[0][:40] in html  # the English fallback is shown


def _search_terms(site, lang):
    text = (site / lang / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return index["terms"], index["docnames"]


def test_chinese_and_japanese_search_find_words_inside_sentences(site):
    for lang, word in (("zh_CN", "参数"), ("ja", "パラメータ")):
        terms, docnames = _search_terms(site, lang)
        assert word in terms, f"{lang}: {word!r} is not a search term"
        docs = terms[word] if isinstance(terms[word], list) else [terms[word]]
        assert {docnames[d] for d in docs} & {"layers-and-modules", "custom-layers"}


def test_refreshing_one_page_leaves_the_other_catalogs_alone(book_copy):
    config = load_config(book_copy)
    first, other = config.sections()[1], config.sections()[2]
    source = config.source_path(first)
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    other_po = {lang: config.locale_dir / lang / "LC_MESSAGES" / f"{other}.po" for lang in config.translations}
    before = {lang: path.read_bytes() for lang, path in other_po.items()}

    def untranslated(lang: str) -> set[str]:
        return {e.msgid for e in polib.pofile(str(config.locale_dir / lang / "LC_MESSAGES" / f"{first}.po")).untranslated_entries()}

    untranslated_before = {lang: untranslated(lang) for lang in config.translations}
    update_catalogs(config, config.translations, log=lambda message: None, only=(first,))
    for lang in config.translations:
        assert other_po[lang].read_bytes() == before[lang]
        assert untranslated(lang) - untranslated_before[lang] == {"A new closing paragraph."}
