"""Catalogs for translators: extract templates from the English source, update every language.

`locales/templates/<page>.pot` holds every prose block of a page; `locales/<lang>/LC_MESSAGES/
<page>.po` its translations. Updating goes through sphinx-intl (babel): a changed paragraph becomes
fuzzy, a removed one obsolete, a new one empty; nothing a translator wrote is thrown away.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
from sphinx_intl import catalog as sphinx_intl_catalog

from .book_ext.ui import MESSAGES, THEME_LABELS
from .colab import MESSAGES as NOTEBOOK_MESSAGES
from .config import PipelineConfig, load_config
from .errors import PipelineError
from .localize import extract
from .notebooks import read_source
from .po_reader import read_po

UI_CATALOG = "ui"


def template_dir(config: PipelineConfig) -> Path:
    return config.locale_dir / "templates"


def ui_template(config: PipelineConfig) -> polib.POFile:
    """The interface strings: the book's title and author from `_config.yml`, the extension's messages."""
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    title = str(config.book_config.get("title", ""))
    pot.append(polib.POEntry(msgid=title, msgstr="", comment="Title of the book.", occurrences=[("_config.yml", "")]))
    author = str(config.book_config.get("author", ""))
    if author:
        pot.append(polib.POEntry(msgid=author, msgstr="", comment="Author line of the footer.", occurrences=[("_config.yml", "")]))
    for msgid, comment in MESSAGES.items():
        pot.append(polib.POEntry(msgid=msgid, msgstr="", comment=comment, occurrences=[("scripts/book_ext/ui.py", "")]))
    for msgid, comment in NOTEBOOK_MESSAGES.items():
        pot.append(polib.POEntry(msgid=msgid, msgstr="", comment=comment, occurrences=[("scripts/colab.py", "")]))
    for msgid, comment in THEME_LABELS.items():
        pot.append(polib.POEntry(msgid=msgid, msgstr="", comment=f"Theme label. {comment}", occurrences=[("scripts/book_ext/ui.py", "")]))
    return pot


def write_templates(config: PipelineConfig) -> list[Path]:
    """Write one .pot per page (and one for the interface strings); return their paths."""
    out = template_dir(config)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for section in config.sections():
        path = config.source_path(section)
        rel = str(path.relative_to(config.root))
        pot = extract(read_source(path), path.read_text(encoding="utf-8"), rel)
        target = out / f"{section}.pot"
        target.parent.mkdir(parents=True, exist_ok=True)
        pot.save(str(target))
        written.append(target)
    target = out / f"{UI_CATALOG}.pot"
    ui_template(config).save(str(target))
    written.append(target)
    return written


def update_catalogs(
    config: PipelineConfig, languages: tuple[str, ...], log: Callable[[str], None] = print, only: tuple[str, ...] = ()
) -> None:
    """Refresh the templates, then merge them into every language's catalogs (or those of *only*).

    Every catalog is read strictly before any is written: one syntax error stops the refresh with
    `file:line` and leaves every file as it was.
    """
    pages = [page for page in [*config.sections(), UI_CATALOG] if not only or page in only]
    targets = [config.locale_dir / lang / "LC_MESSAGES" / f"{page}.po" for lang in languages for page in pages]
    for po_path in targets:
        if po_path.is_file():
            read_po(po_path, config.root)
    templates = {path.stem: path for path in write_templates(config)}
    for path in templates.values():
        log(f"[catalogs] template {path.relative_to(config.root)}")
    for po_path in targets:
        changed = _merge_template(templates[po_path.stem], po_path, po_path.parent.parent.name, config.root)
        log(f"[catalogs] {po_path.relative_to(config.root)}{'' if changed else ' (unchanged)'}")


# Header fields that change on every refresh although nothing a translator reads changed.
_DATES = ("POT-Creation-Date", "PO-Revision-Date")


def _same_catalog(old: str, new: str) -> bool:
    """Same entries and the same header but for its dates (whatever the order of the header's
    fields, which babel and polib write differently)."""
    a, b = polib.pofile(old, wrapwidth=0), polib.pofile(new, wrapwidth=0)
    meta = [{k: v for k, v in po.metadata.items() if k not in _DATES} for po in (a, b)]
    return meta[0] == meta[1] and [str(e) for e in a] == [str(e) for e in b]


def _merge_template(pot_path: Path, po_path: Path, lang: str, root: Path) -> bool:
    """sphinx-intl's merge (babel's fuzzy matching), writing each fuzzy entry's previous English
    as a `#| msgid` comment, so that translators see what changed.

    The catalog is read strictly first: a file with a syntax error is never rewritten (babel and
    polib would drop or truncate what they cannot read). A refresh that changes nothing but the
    header's dates leaves the file untouched.
    """
    template = sphinx_intl_catalog.load_po(str(pot_path))
    old = po_path.read_text(encoding="utf-8") if po_path.is_file() else None
    if old is not None:
        read_po(po_path, root)  # raises, naming file:line, before anything is written
        catalog = sphinx_intl_catalog.load_po(str(po_path))
        before = {(m.id, m.context) for m in catalog if m.id}
        sphinx_intl_catalog.update_with_fuzzy(catalog, template)
        for message in catalog:
            # Babel's fuzzy matching ignores the context: a code comment could inherit the
            # translation of a heading. A suggestion from another context is no suggestion.
            if message.id and message.fuzzy and message.previous_id and (message.previous_id[0], message.context) not in before:
                message.string, message.previous_id = "", []
                message.flags.discard("fuzzy")
    else:
        catalog, catalog.locale = template, lang
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / po_path.name
        # Babel wraps `#|` comments into lines that are not valid .po (`#| growing ...`), so it writes
        # the catalog without them and polib, which wraps them correctly, adds the previous msgids.
        sphinx_intl_catalog.dump_po(str(staged), catalog, width=-1, include_previous=False)
        previous = {m.id: m.previous_id[0] for m in catalog if m.id and m.fuzzy and m.previous_id}
        po = polib.pofile(str(staged), wrapwidth=0)
        for entry in po:
            entry.previous_msgid = previous.get(entry.msgid, entry.previous_msgid)
        for entry in [e for e in po if e.obsolete and not e.msgstr]:
            po.remove(entry)  # an obsolete entry nobody translated holds nothing to keep
        for entry in po:  # babel reads an obsolete entry's `#~|` lines back as comments: drop them
            entry.tcomment = "\n".join(line for line in entry.tcomment.splitlines() if not line.startswith("| "))
        po.save(str(staged))  # always through polib: one layout for every catalog
        new = staged.read_text(encoding="utf-8")
    if old is not None and _same_catalog(old, new):
        return False
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po_path.write_text(new, encoding="utf-8")
    return True


@dataclass(frozen=True)
class CatalogStats:
    lang: str
    page: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated


def catalog_stats(config: PipelineConfig, languages: tuple[str, ...]) -> list[CatalogStats]:
    """Per language and page: how many entries are translated, fuzzy and untranslated."""
    rows = []
    pages = [*config.sections(), UI_CATALOG]
    for lang in languages:
        for page in pages:
            pot_path = template_dir(config) / f"{page}.pot"
            po_path = config.locale_dir / lang / "LC_MESSAGES" / f"{page}.po"
            wanted = [e.msgid for e in read_po(pot_path, config.root)] if pot_path.is_file() else []
            po = {e.msgid: e for e in read_po(po_path, config.root) if not e.obsolete} if po_path.is_file() else {}
            translated = sum(1 for m in wanted if m in po and po[m].msgstr and not po[m].fuzzy)
            fuzzy = sum(1 for m in wanted if m in po and po[m].fuzzy)
            rows.append(CatalogStats(lang, page, translated, fuzzy, len(wanted) - translated - fuzzy))
    return rows


def add_language(config: PipelineConfig, code: str, name: str, log: Callable[[str], None] = print) -> None:
    """Register a language in `_config.yml` and create its catalogs from the templates.

    The line is inserted after the last entry of `pipeline.languages`, so the file keeps its
    comments and layout; the configuration is then read again to validate it.
    :raises PipelineError: for a malformed code or a language that exists already.
    """
    if code in config.languages:
        raise PipelineError(f"language {code!r} is already configured")
    path = config.root / "_config.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "languages:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    end = start + 1
    while end < len(lines) and (len(lines[end]) - len(lines[end].lstrip())) == indent and lines[end].strip():
        end += 1
    lines.insert(end, f"{' ' * indent}{code}: {name}\n")
    original = path.read_text(encoding="utf-8")
    path.write_text("".join(lines), encoding="utf-8")
    try:
        load_config(config.root)
    except PipelineError:
        path.write_text(original, encoding="utf-8")
        raise
    log(f"[catalogs] added {code} ({name}) to _config.yml")
    update_catalogs(config, (code,), log)
