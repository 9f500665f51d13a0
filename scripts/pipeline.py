"""The build, stage after stage: read -> split -> execute -> (localize -> merge -> render) -> publish.

`execute_stage` and `render_stage` are separable: a CI matrix can execute each framework (or GPU)
in its own job, collect `_build/executed/`, and render in a final job without any framework.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from . import changes
from . import execute as ex
from .catalog_check import check_catalogs
from .colab import write_notebooks
from .commonmark import Target, targets
from .config import SOURCE_LANGUAGE, PipelineConfig
from .envs import ensure_envs
from .errors import PipelineError, Where
from .localize import Catalog, LocalizeReport, localize
from .merge import merge
from .notebooks import check_code_tags, read_notebook, read_source, write_notebook
from .publish import publish
from .render import render, ui_catalog, write_source
from .split import split

CODE_DIGEST = "book_code_digest"  # metadata of an executed notebook: the code it ran (execute.code_digest)

Log = Callable[[str], None]


@dataclass
class Summary:
    executed: int = 0
    reused: int = 0
    pages: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    untranslated: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        pages = " ".join(f"{lang}={n}" for lang, n in self.pages.items())
        return f"summary: executed {self.executed}, reused {self.reused}, pages {pages}, warnings {self.warnings}"


def read_sources(config: PipelineConfig, only: tuple[str, ...] = ()) -> dict[str, NotebookNode]:
    """Every page of the toc (or those in *only*, pages of the toc), checked: each code cell belongs
    to a framework."""
    sources = {}
    for section in only or config.sections():
        path = config.source_path(section)
        nb = read_source(path, config.build_dir / "parsed")
        check_code_tags(nb, config.framework_names, str(path.relative_to(config.root)))
        sources[section] = nb
    return sources


def executed_path(config: PipelineConfig, section: str, framework: str) -> Path:
    return config.build_dir / "executed" / f"{section}.{framework}.ipynb"


def execute_stage(
    config: PipelineConfig,
    sources: dict[str, NotebookNode],
    frameworks: tuple[str, ...],
    device: str,
    jobs: int,
    log: Log,
    summary: Summary,
) -> None:
    """Execute every (section, framework) whose code version is not cached; write `_build/executed/`.

    Every notebook runs even when another fails; the failures are then reported together.
    :raises PipelineError: listing each failing notebook with its source line and traceback.
    """
    envs = ensure_envs(config, frameworks, device, log)
    cache_dir = config.cache_dir
    todo: list[ex.Job] = []
    for section, nb in sources.items():
        rel = str(config.source_path(section).relative_to(config.root))
        for fw in frameworks:
            part = split(nb, fw, config.framework_names)
            if part.cells:
                todo.append(ex.Job(section, rel, envs[fw], device, part, alone=section in config.run_alone))
    results: dict[ex.Job, NotebookNode] = {}
    to_run = []
    for job in todo:
        path = executed_path(config, job.section, job.env.framework.name)
        if path.is_file() and read_notebook(path).metadata.get(CODE_DIGEST) == ex.code_digest(job):
            summary.reused += 1  # executed already, and still what the code would give
            log(f"[execute] {job.path} ({job.env.framework.name}, {device}): unchanged, reused")
            continue
        hit = ex.lookup(cache_dir, ex.prepare(job))
        if hit is None:
            to_run.append(job)
        else:
            results[job] = hit
            summary.reused += 1
            log(f"[execute] {job.path} ({job.env.framework.name}, {device}): unchanged, reused")
    store_lock = threading.Lock()  # one writer at a time for the cache's database

    def started(job: ex.Job) -> None:
        alone = " alone (its outputs are timings)" if job.alone else ""
        log(f"[execute] {job.path} ({job.env.framework.name}, {device}){alone} ...")

    def done(job: ex.Job, nb: NotebookNode, seconds: float) -> None:
        with store_lock:  # stored at once, so that an interrupted build keeps what finished
            ex.store(cache_dir, nb, f"{job.path}#{job.env.framework.name}-{device}")
        log(f"[execute] {job.path} ({job.env.framework.name}, {device}) done in {seconds:.1f} s")

    ran, errors = ex.run_all(to_run, jobs, config.build_dir / "logs", config.execute_timeout, started, done)
    results.update(ran)
    summary.executed += len(ran)
    for job, nb in results.items():
        nb.metadata[CODE_DIGEST] = ex.code_digest(job)
        write_notebook(nb, executed_path(config, job.section, job.env.framework.name))
    _prune_executed(config, {(job.section, job.env.framework.name) for job in todo}, set(sources), set(frameworks))
    if errors:
        errors.sort(key=str)
        listing = "\n".join(f"  {err}" for err in errors)
        details = "\n\n".join(f"--- {err}\n{err.detail}" for err in errors if err.detail)
        raise PipelineError(f"{len(errors)} of {len(to_run)} notebooks failed:\n{listing}", detail=details)


def _prune_executed(config: PipelineConfig, wanted: set[tuple[str, str]], sections: set[str], frameworks: set[str]) -> None:
    """Remove executed notebooks of pages or frameworks that are no longer in the book (among
    those this run covered), so that nothing downstream reads a stale one."""
    folder = config.build_dir / "executed"
    pages, names = set(config.sections()), set(config.framework_names)
    for path in folder.glob("*.ipynb") if folder.is_dir() else ():
        section, _, fw = path.stem.rpartition(".")
        gone = section not in pages or fw not in names
        covered = section in sections and fw in frameworks
        if gone or (covered and (section, fw) not in wanted):
            path.unlink()


def load_executed(config: PipelineConfig, section: str, sources: dict[str, NotebookNode]) -> dict[str, ex.Executed]:
    """The executed notebooks of one section, one per framework that has cells there."""
    found = {}
    for fw in config.framework_names:
        if not split(sources[section], fw, config.framework_names).cells:
            continue
        path = executed_path(config, section, fw)
        if not path.is_file():
            raise PipelineError(
                "not executed yet: run `python -m scripts execute` (or `make book`) first",
                Where(str(config.source_path(section).relative_to(config.root)), framework=fw),
            )
        found[fw] = ex.Executed(read_notebook(path), reused=True)
    return found


def provenance_of(config: PipelineConfig, executed: dict[str, ex.Executed]) -> list[list[str]]:
    rows = []
    for fw in config.frameworks:
        if fw.name in executed:
            probe = executed[fw.name].provenance
            rows.append([fw.label, probe["version"], probe["device"]])
    return rows


def localized_pages(
    config: PipelineConfig, lang: str, sources: dict[str, NotebookNode]
) -> tuple[dict[str, NotebookNode], dict[str, LocalizeReport]]:
    """Every page of one language, its prose translated through the catalogs."""
    pages, reports = {}, {}
    for section, nb in sources.items():
        if lang == SOURCE_LANGUAGE:
            pages[section], reports[section] = nb, LocalizeReport()
            continue
        catalog = Catalog.load(config.locale_dir / lang / "LC_MESSAGES" / f"{section}.po", config.root)
        pages[section], reports[section] = localize(nb, catalog, str(config.source_path(section).relative_to(config.root)))
    return pages, reports


def merged_pages(
    config: PipelineConfig, lang: str, pages: dict[str, NotebookNode], executed: dict[str, dict[str, ex.Executed]]
) -> dict[str, NotebookNode]:
    """Every localized page with each code cell expanded into one executed cell per framework."""
    merged = {}
    for section, page in pages.items():
        rel = str(config.source_path(section).relative_to(config.root))
        variants = {fw: e.code_cells for fw, e in executed[section].items()}
        merged[section] = merge(page, variants, config.framework_names, rel)
        merged[section].metadata["language"] = lang
    return merged


def render_stage(
    config: PipelineConfig,
    sources: dict[str, NotebookNode],
    languages: tuple[str, ...],
    jobs: int,
    log: Log,
    summary: Summary,
    publish_after: bool = True,
) -> Path:
    """Check the catalogs, localize, merge and render, then publish: every language into the site,
    or a subset of the languages into `_build/preview/` (a partial render never publishes, so the
    site never mixes languages of different builds).

    A language whose inputs are all as they were at its last render is not rendered again
    (changes.py); of the others, Sphinx reads again only the pages whose notebooks changed.
    """
    notebooks_dir = config.build_dir / "notebooks"
    executed_dir = config.build_dir / "executed"
    plans = {}
    for lang in languages:
        html = config.build_dir / "html" / lang
        now = changes.inputs(config, lang, executed_dir)
        # What was rendered counts only with what it was rendered from still here (a CI job that
        # received the HTML of another has neither the notebooks nor the generated source).
        src = config.build_dir / "src" / lang
        complete = (notebooks_dir / lang).is_dir() and all((src / f"{page}.ipynb").is_file() for page in config.sections())
        before = changes.recorded(html) if complete else None
        plans[lang] = (now, before, changes.changed_pages(now, before))
    todo = [lang for lang in languages if plans[lang][2]]
    for lang in languages:
        log(f"[render] {lang}: {_reasons(plans[lang][2]) if lang in todo else 'unchanged, not rendered again'}")
    unchanged = {lang: set(config.sections()) - set(plans[lang][2]) for lang in todo}
    problems = check_catalogs(config.locale_dir, tuple(lang for lang in todo if lang != SOURCE_LANGUAGE), config.root, skip=unchanged)
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise PipelineError(f"{len(problems)} translations break the markup of their source:\n{listing}")
    executed = {section: load_executed(config, section, sources) for section in sources}
    provenance = {section: provenance_of(config, runs) for section, runs in executed.items()}
    notebooks = {section: [fw for fw in config.framework_names if fw in runs] for section, runs in executed.items()}
    sources_by_lang, extras = {}, {}
    for lang in todo:
        now, before, why = plans[lang]
        again = {section: nb for section, nb in sources.items() if section in why}
        kept = (before.extra.get("pages") or {}) if before and before.shared == now.shared else {}
        sources_by_lang[lang], extras[lang] = _prepare_language(config, lang, again, kept, set(sources), executed, provenance, notebooks, log)

    def build(lang: str) -> tuple[str, list[str]]:
        started = time.monotonic()
        log(f"[render] {lang} ...")
        html, warnings = render(config, lang, sources_by_lang[lang])
        plans[lang][0].extra = extras[lang]
        changes.record(html, plans[lang][0])
        log(f"[render] {lang} done in {time.monotonic() - started:.1f} s")
        return lang, warnings

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for lang, warnings in pool.map(build, todo):
            summary.warnings += len(warnings)
    if not publish_after:
        return config.build_dir / "html"
    return publish_stage(config, sources, languages, log, summary, changed=bool(todo), extras=extras, provenance=provenance)


def _prepare_language(
    config: PipelineConfig,
    lang: str,
    again: dict[str, NotebookNode],
    kept: dict[str, dict],
    pages_of_book: set[str],
    executed: dict[str, dict[str, ex.Executed]],
    provenance: dict[str, list[list[str]]],
    notebooks: dict[str, list[str]],
    log: Log,
) -> tuple[Path, dict]:
    """Localize the pages of *lang* to render again, write their Colab notebooks and their
    merged source; *kept* holds what earlier renders found on the other pages (counts, labels).

    :returns: the generated source folder, and what the render records for the language.
    """
    notebooks_dir = config.build_dir / "notebooks"
    pages, reports = localized_pages(config, lang, again)
    per_page = dict(kept)
    found = {label: Target(*target) for data in per_page.values() for label, target in data.get("targets", {}).items()}
    found.update(targets(pages))
    for section, report in reports.items():
        missing = len(report.untranslated) + len(report.fuzzy)
        page_targets = {label: [t.page, t.title, t.top] for label, t in targets({section: pages[section]}).items()}
        per_page[section] = {"missing": missing, "total": report.total, "comments": len(report.comments_missing), "targets": page_targets}
    per_page = {section: data for section, data in per_page.items() if section in pages_of_book}
    missing = sum(d["missing"] for d in per_page.values())
    total = sum(d["total"] for d in per_page.values())
    comments = sum(d.get("comments", 0) for d in per_page.values())
    coverage = 1.0 if lang == SOURCE_LANGUAGE or not total else 1 - missing / total
    if missing or comments:
        log(f"[localize] {lang}: {missing} paragraphs and {comments} code comments fall back to English (untranslated or fuzzy)")
    _drop_notebooks_of_other_pages(config, notebooks_dir / lang)
    written = write_notebooks(config, lang, pages, notebooks_dir, ui_catalog(config, lang), provenance, found)
    log(f"[colab] {lang}: {len(written)} notebooks written")
    merged = merged_pages(config, lang, pages, executed)
    untranslated = {s: d["missing"] for s, d in per_page.items() if d["missing"]}
    source = write_source(config, lang, merged, provenance, notebooks, untranslated)
    return source, {"coverage": coverage, "untranslated": missing, "pages": per_page}


def publish_stage(
    config: PipelineConfig,
    sources: dict[str, NotebookNode],
    languages: tuple[str, ...],
    log: Log,
    summary: Summary,
    changed: bool = True,
    extras: dict[str, dict[str, float]] | None = None,
    provenance: dict[str, list[list[str]]] | None = None,
) -> Path:
    """Assemble the site (every language) or a preview (some) from `_build/html/<lang>/` and
    `_build/notebooks/<lang>/`, which the render stage wrote here or in other jobs.

    :raises PipelineError: naming a language that was not rendered.
    """
    full = set(languages) == set(config.languages)
    target = config.build_dir / ("site" if full else "preview")
    html_dirs = {lang: config.build_dir / "html" / lang for lang in languages}
    missing = [lang for lang, html in html_dirs.items() if changes.recorded(html) is None]
    if missing:
        raise PipelineError(f"not rendered yet: {', '.join(missing)} (run `python -m scripts render --lang {missing[0]}`)")
    coverage = {}
    for lang, html in html_dirs.items():
        summary.pages[lang] = sum(1 for section in sources if (html / f"{section}.html").is_file())
        extra = (extras or {}).get(lang) or changes.recorded(html).extra
        coverage[lang] = extra.get("coverage", 1.0)
        summary.untranslated[lang] = int(extra.get("untranslated", 0))
    if provenance is None:  # publishing on its own: read it from the executed notebooks
        provenance = {section: provenance_of(config, load_executed(config, section, sources)) for section in sources}
    info = {"sources": sources_fingerprint(config), "languages": list(languages), "provenance": provenance}
    info_path = config.build_dir / BUILD_INFO
    if full and not changed and (target / "index.html").is_file() and _read_json(info_path) == info:
        log(f"[publish] nothing changed: {target} is up to date")
        return target
    site = publish(config, html_dirs, config.build_dir / "notebooks", target, coverage)
    if full:
        log(f"[publish] {site}")
        info_path.write_text(json.dumps(info, indent=1), encoding="utf-8")
    else:
        log(f"[publish] preview of {', '.join(languages)} in {site} (a partial render leaves the site in _build/site/ as it was)")
    return site


def pdf_stage(config: PipelineConfig, log: Log) -> list[Path]:
    """Print the PDFs of the published site (skipped when the site has not changed since).

    :raises PipelineError: if there is no site yet, or no Chromium to print with.
    """
    from .pdf import PDF_DIR, SOURCES, write_pdfs

    site = config.build_dir / "site"
    info = _read_json(config.build_dir / BUILD_INFO)
    if not (site / "index.html").is_file() or not isinstance(info, dict):
        raise PipelineError("no site to print: run `python -m scripts build` first")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise PipelineError("printing the PDFs needs Chromium: `make pdf` installs Debian's chromium and Noto CJK fonts")
    stamp = site / PDF_DIR / ".inputs"
    inputs = hashlib.sha256(json.dumps(info, sort_keys=True).encode() + SOURCES).hexdigest()[:16]
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == inputs:
        log(f"[pdf] unchanged: {site / PDF_DIR}")
        return sorted((site / PDF_DIR).rglob("*.pdf"))
    written = write_pdfs(config, site, info.get("provenance", {}), log, chromium)
    stamp.write_text(inputs, encoding="utf-8")
    return written


def _drop_notebooks_of_other_pages(config: PipelineConfig, folder: Path) -> None:
    """Notebooks of pages no longer in the book (the others are written anew as their pages change)."""
    pages = set(config.sections())
    for path in folder.rglob("*.ipynb") if folder.is_dir() else ():
        if path.stem not in pages:
            path.unlink()


def _reasons(why: dict[str, str]) -> str:
    if len(set(why.values())) == 1 and len(why) > 1:
        return f"every page ({next(iter(why.values()))})"
    return "; ".join(f"{page} ({reason})" for page, reason in why.items())


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


BUILD_INFO = "build-info.json"  # what the published site was built from


def sources_fingerprint(config: PipelineConfig) -> str:
    """A hash of everything the site is built from (pages, catalogs, configuration, pipeline), so
    that tests can refuse a site older than the sources."""
    digest = hashlib.sha256()
    files = [config.root / "_config.yml", config.root / "_toc.yml"]
    for folder, pattern in ((config.source_dir, "*.md"), (config.locale_dir, "*.po"), (config.root / "scripts", "*")):
        files += sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(config.root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
