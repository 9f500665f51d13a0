"""What changed since a language was last rendered: the digests of each page's inputs.

A page of one language is made from its English source, its catalog, the executed notebooks of
its code and, shared by all pages, the configuration, the interface catalog and the pipeline's
own code. After a successful render the digests are kept beside that language's HTML; the next
build compares them, skips a language whose inputs are all the same (no localizing, no Sphinx),
and says which pages of the others changed and why.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import SOURCE_LANGUAGE, PipelineConfig

RECORD = ".book-inputs.json"
SCRIPTS_DIR = Path(__file__).resolve().parent


def _digest(*paths: Path) -> str:
    # Every language has the same English source and outputs: each file is read once per build,
    # and again only if it changed on disk since.
    key = tuple((str(p), *_stat(p)) for p in paths)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        for path in paths:
            h.update(path.name.encode() + b"\0")
            h.update(path.read_bytes() if path.is_file() else b"(none)")
        _DIGESTS[key] = h.hexdigest()[:16]
    return _DIGESTS[key]


_DIGESTS: dict[tuple, str] = {}


def _stat(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
    except OSError:
        return (-1, -1)
    return (found.st_mtime_ns, found.st_size)


def _pipeline_digest() -> str:
    """The pipeline's code, templates and static files: any change may change every page."""
    files = sorted(p for p in SCRIPTS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(SCRIPTS_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Inputs:
    """The digests of one language's inputs: shared ones, and per page its source, catalog, outputs."""

    shared: str
    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # what the render found: coverage, per-page counts and labels

    def to_json(self) -> str:
        return json.dumps({"shared": self.shared, "pages": self.pages, "extra": self.extra}, indent=1, sort_keys=True)


def inputs(config: PipelineConfig, lang: str, executed_dir: Path) -> Inputs:
    locale = config.locale_dir / lang / "LC_MESSAGES"
    shared = _digest(config.root / "_config.yml", config.root / "_toc.yml", locale / "ui.po") + _pipeline_digest()
    found = Inputs(shared)
    outputs: dict[str, list[Path]] = {}  # page -> its executed notebooks (one listing, not one per page)
    for path in sorted(executed_dir.glob("*.ipynb")):
        outputs.setdefault(path.stem.rpartition(".")[0], []).append(path)
    for page in config.sections():
        found.pages[page] = {
            "source": _digest(config.source_path(page)),
            "catalog": "" if lang == SOURCE_LANGUAGE else _digest(locale / f"{page}.po"),
            "outputs": _digest(*outputs.get(page, [])),
        }
    return found


def recorded(html: Path) -> Inputs | None:
    try:
        data = json.loads((html / RECORD).read_text(encoding="utf-8"))
        return Inputs(data["shared"], data["pages"], data.get("extra", {}))
    except (OSError, ValueError, KeyError):
        return None


def record(html: Path, found: Inputs) -> None:
    (html / RECORD).write_text(found.to_json(), encoding="utf-8")


def changed_pages(now: Inputs, before: Inputs | None) -> dict[str, str]:
    """Page -> why it must be rendered again (empty: nothing changed)."""
    if before is None:
        return {page: "first render" for page in now.pages}
    if before.shared != now.shared:
        return {page: "configuration, interface catalog or pipeline changed" for page in now.pages}
    why = {}
    for page, parts in now.pages.items():
        old = before.pages.get(page)
        if old is None:
            why[page] = "new page"
            continue
        differ = [part for part, digest in parts.items() if old.get(part) != digest]
        if differ:
            why[page] = " and ".join({"source": "English source", "catalog": "catalog", "outputs": "outputs"}[p] for p in differ) + " changed"
    removed = set(before.pages) - set(now.pages)
    if removed:
        why.update({page: "removed from the book" for page in removed})
    return why
