"""The build, stage after stage: read -> split -> execute -> (localize -> merge -> render) -> publish.

`execute_stage` and `render_stage` are separable: a CI matrix can execute each framework (or GPU)
in its own job, collect `_build/executed/`, and render in a final job without any framework.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from . import execute as ex
from .catalog_check import check_catalogs
from .colab import write_notebooks
from .config import SOURCE_LANGUAGE, PipelineConfig
from .envs import ensure_envs
from .errors import PipelineError, Where
from .localize import Catalog, LocalizeReport, localize
from .merge import merge
from .notebooks import check_code_tags, read_source
from .publish import publish
from .render import render, write_source
from .split import split

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
        nb = read_source(path)
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
    """Execute every (section, framework) whose code version is not cached; write `_build/executed/`."""
    envs = ensure_envs(config, frameworks, device, log)
    cache_dir = config.build_dir / "cache"
    todo: list[ex.Job] = []
    for section, nb in sources.items():
        rel = str(config.source_path(section).relative_to(config.root))
        for fw in frameworks:
            part = split(nb, fw, config.framework_names)
            if not part.cells:
                continue
            todo.append(ex.Job(section, rel, envs[fw], device, part))
    results: dict[ex.Job, NotebookNode] = {}
    to_run = []
    for job in todo:
        hit = ex.lookup(cache_dir, ex.prepare(job))
        if hit is None:
            to_run.append(job)
        else:
            results[job] = hit
            summary.reused += 1
            log(f"[execute] {job.path} ({job.env.framework.name}, {device}): unchanged, reused")

    def run(job: ex.Job) -> NotebookNode:
        started = time.monotonic()
        log(f"[execute] {job.path} ({job.env.framework.name}, {device}) ...")
        nb = ex.run(job, config.build_dir / "logs")
        log(f"[execute] {job.path} ({job.env.framework.name}, {device}) done in {time.monotonic() - started:.1f} s")
        return nb

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {job: pool.submit(run, job) for job in to_run}
        errors = []
        for job, future in futures.items():
            try:
                results[job] = future.result()
            except PipelineError as err:
                errors.append(err)
                continue
            ex.store(cache_dir, results[job], f"{job.path}#{job.env.framework.name}-{device}")
            summary.executed += 1
        if errors:
            raise errors[0]
    for job, nb in results.items():
        path = executed_path(config, job.section, job.env.framework.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))


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
        found[fw] = ex.Executed(nbformat.read(str(path), as_version=4), reused=True)
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
        catalog = Catalog.load(config.locale_dir / lang / "LC_MESSAGES" / f"{section}.po")
        try:
            pages[section], reports[section] = localize(nb, catalog)
        except PipelineError as err:
            rel = str(config.source_path(section).relative_to(config.root))
            raise PipelineError(str(err), Where(rel, lang=lang)) from err
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
) -> Path:
    """Check the catalogs, localize, merge and render every language, then publish the site."""
    problems = check_catalogs(config.locale_dir, tuple(lang for lang in languages if lang != "en"), config.root)
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise PipelineError(f"{len(problems)} translations break the markup of their source:\n{listing}")
    executed = {section: load_executed(config, section, sources) for section in sources}
    provenance = {section: provenance_of(config, runs) for section, runs in executed.items()}
    notebooks = {section: [fw for fw in config.framework_names if fw in runs] for section, runs in executed.items()}
    sources_by_lang = {}
    for lang in languages:
        pages, reports = localized_pages(config, lang, sources)
        missing = sum(len(r.untranslated) + len(r.fuzzy) for r in reports.values())
        summary.untranslated[lang] = missing
        if missing:
            log(f"[localize] {lang}: {missing} paragraphs fall back to English (untranslated or fuzzy)")
        written = write_notebooks(config, lang, pages)
        log(f"[colab] {lang}: {len(written)} notebooks")
        merged = merged_pages(config, lang, pages, executed)
        untranslated = {s: len(r.untranslated) + len(r.fuzzy) for s, r in reports.items() if not r.complete}
        sources_by_lang[lang] = write_source(config, lang, merged, provenance, notebooks, untranslated)

    def build(lang: str) -> tuple[str, Path, list[str]]:
        started = time.monotonic()
        log(f"[render] {lang} ...")
        html, warnings = render(config, lang, sources_by_lang[lang])
        log(f"[render] {lang} done in {time.monotonic() - started:.1f} s")
        return lang, html, warnings

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        built = list(pool.map(build, languages))
    html_dirs = {}
    for lang, html, warnings in built:
        html_dirs[lang] = html
        summary.warnings += len(warnings)
        summary.pages[lang] = sum(1 for section in sources if (html / f"{section}.html").is_file())
    site = publish(config, html_dirs)
    log(f"[publish] {site}")
    (config.build_dir / "build-info.json").write_text(
        json.dumps({"languages": list(languages), "provenance": provenance}, indent=1), encoding="utf-8"
    )
    return site
