"""Catalogs are read strictly: what GNU msgfmt refuses stops the build with file:line, and no
command rewrites a catalog it could not read exactly."""

from __future__ import annotations

import shutil

import polib
import pytest

from scripts.catalogs import update_catalogs
from scripts.config import load_config
from scripts.errors import PipelineError
from scripts.localize import Catalog
from scripts.po_reader import check_syntax
from tests.conftest import render_copy

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'

# Each defect, the line it is on, and what the message says. polib reads every one of them
# without complaint and loses or changes a translation.
DEFECTS = {
    "missing closing quote": ('msgid "Hello"\nmsgstr "Olá mundo\n', 6, "missing closing quote"),
    "missing opening quote": ('msgid "Hello"\nmsgstr Olá mundo"\n', 6, "must start with a double quote"),
    "missing msgstr": ('msgid "Hello"\n\nmsgid "World"\nmsgstr "Mundo"\n', 5, "missing 'msgstr'"),
    "duplicate msgid": ('msgid "Hello"\nmsgstr "Olá"\n\nmsgid "Hello"\nmsgstr "Oi"\n', 8, "duplicate message definition"),
    "text after the string": ('msgid "Hello"\nmsgstr "Olá" mundo\n', 6, "text after the closing quote"),
    "bad continuation": ('msgid "Hello"\nmsgstr ""\n"Olá\n', 7, "missing closing quote"),
}


@pytest.mark.parametrize("name", DEFECTS)
def test_each_defect_msgfmt_refuses_is_refused_with_its_line(name):
    body, line, message = DEFECTS[name]
    problems = check_syntax(HEADER + body)
    assert problems, f"{name}: not detected"
    assert problems[0].line == line and message in problems[0].message, problems


def test_the_books_catalogs_are_clean(config):
    for path in sorted(config.locale_dir.rglob("*.po*")):
        assert not check_syntax(path.read_text(encoding="utf-8")), path


def test_continuations_obsolete_and_previous_entries_are_accepted():
    body = (
        '#, fuzzy\n#| msgid "Old"\nmsgid ""\n"Two "\n"lines"\nmsgstr "Duas linhas"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Foi"\n\n#~ msgid "Gone"\n#~ msgstr "Foi"\n'
    )
    assert not check_syntax(HEADER + body)


def test_a_truncated_translation_stops_the_build_and_the_refresh_leaves_the_file_alone(book_copy):
    config = load_config(book_copy)
    section = config.sections()[1]
    po_path = config.locale_dir / "ja" / "LC_MESSAGES" / f"{section}.po"
    lines = po_path.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 40)
    lines[k] = lines[k].rstrip("\n").rstrip('"') + "\n"  # the closing quote is lost
    po_path.write_text("".join(lines), encoding="utf-8")
    broken = po_path.read_bytes()
    with pytest.raises(PipelineError, match=rf"locales/ja/LC_MESSAGES/{section}.po:{k + 1}: msgstr: end of line within a string"):
        Catalog.load(po_path, book_copy)
    with pytest.raises(PipelineError, match=rf"{section}.po:{k + 1}:"):
        update_catalogs(config, config.translations, log=lambda message: None)
    assert po_path.read_bytes() == broken, "the refresh rewrote a catalog it could not read"
    result = render_copy(book_copy, "ja")
    assert result.returncode == 1
    assert f"locales/ja/LC_MESSAGES/{section}.po:{k + 1}" in result.stderr
    assert "[render] ja ..." not in result.stdout  # no Sphinx build started


def test_a_translation_that_starts_a_heading_is_refused(book_copy):
    config = load_config(book_copy)
    section = config.sections()[1]
    po_path = config.locale_dir / "ja" / "LC_MESSAGES" / f"{section}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in po if e.msgstr and not e.fuzzy and e.msgid[0].isalpha() and "`" not in e.msgid)
    entry.msgstr = "# " + entry.msgstr
    po.save(str(po_path))
    line = polib.pofile(str(po_path)).find(entry.msgid).linenum
    result = render_copy(book_copy, "ja")
    assert result.returncode == 1
    assert f"locales/ja/LC_MESSAGES/{section}.po:{line}: the translation changes the page's structure: it makes heading where the source makes paragraph" in result.stderr


def test_a_refresh_with_nothing_changed_rewrites_no_catalog(book_copy):
    config = load_config(book_copy)
    before = {p: p.read_bytes() for p in config.locale_dir.rglob("*.po*")}
    shutil.rmtree(config.locale_dir / "templates")  # even templates written anew match byte for byte
    update_catalogs(config, config.translations, log=lambda message: None)
    after = {p: p.read_bytes() for p in config.locale_dir.rglob("*.po*")}
    changed = sorted(str(p.relative_to(book_copy)) for p in after if before.get(p) != after[p])
    assert not changed, changed
