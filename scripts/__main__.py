"""Command line of the pipeline: `python -m scripts <command>`.

  build     set up environments, execute what changed, render every language, publish the site
  execute   only set up and execute (for a CI job per framework or per GPU)
  render    only localize, merge, render and publish, from `_build/executed/` (--no-publish: leave
            `_build/html/<lang>/` and `_build/notebooks/<lang>/` for a later `publish`, as CI jobs do)
  publish   only assemble the site from every language's `_build/html/` and `_build/notebooks/`
  pdf       print the book as a PDF per language and framework into `_build/site/pdf/` (Chromium)
  envs      only set up the framework environments (--prune: remove outdated ones)
  catalogs  refresh locales/templates/*.pot from book/ and update every language's .po files
  stats     print per-language, per-page translation statistics
  check     check every translation keeps the markup of its source (also run by build and render)
  add-language CODE NAME   add a language (e.g. add-language de Deutsch): config and catalogs
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .config import DEVICES, load_config
from .errors import PipelineError
from .execute import Interrupted
from .pipeline import Summary, execute_stage, pdf_stage, publish_stage, read_sources, render_stage


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "execute", "render", "publish", "pdf", "envs", "catalogs", "stats", "check", "add-language"))
    parser.add_argument("language", nargs="*", help="for add-language: the gettext code and the name")
    parser.add_argument("--device", choices=DEVICES, default=os.environ.get("DEVICE", "cpu") or "cpu",
                        help="where the notebooks run (default: cpu, or $DEVICE)")
    parser.add_argument("--lang", action="append", help="render only this language (repeatable)")
    parser.add_argument("--framework", action="append", help="execute only this framework (repeatable)")
    parser.add_argument("--section", action="append", help="execute (or refresh the catalogs of) only this page, e.g. custom-layers (repeatable)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks executed / languages rendered at once")
    parser.add_argument("--no-publish", action="store_true", help="for render: do not assemble the site (a CI job per language)")
    parser.add_argument("--prune", action="store_true", help="for envs: remove environments no requirements file describes any more")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book repository (default: .)")
    return parser


def _print_stats(config, languages: tuple[str, ...]) -> int:
    from .catalogs import catalog_stats

    print(f"{'language':10} {'page':24} {'translated':>10} {'fuzzy':>6} {'untranslated':>12}")
    for row in catalog_stats(config, languages):
        print(f"{row.lang:10} {row.page:24} {row.translated:>10} {row.fuzzy:>6} {row.untranslated:>12}")
    return 0


def _print_problems(config, languages: tuple[str, ...]) -> int:
    from .catalog_check import check_catalogs

    problems = check_catalogs(config.locale_dir, languages, config.root)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems in the catalogs of {', '.join(languages)}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()

    def log(message: str) -> None:
        sys.stdout.write(message + "\n")  # one write per line: stages log from threads
        sys.stdout.flush()

    try:
        config = load_config(args.root)
        frameworks = tuple(args.framework or config.framework_names)
        for name in frameworks:
            config.framework(name)
        languages = tuple(args.lang or config.languages)
        for lang in languages:
            if lang not in config.languages:
                raise PipelineError(f"unknown language {lang!r}; configured: {', '.join(config.languages)}")
        if args.section and args.command not in ("execute", "catalogs"):
            raise PipelineError("--section only applies to `execute` and `catalogs`: a build renders every page")
        for name in args.section or ():
            if name not in (*config.sections(), "ui"):
                raise PipelineError(f"not in _toc.yml: {name}; pages: {', '.join(config.sections())}")
        summary = Summary()
        if args.command == "envs":
            from .envs import ensure_envs, prune_envs

            if args.prune:
                prune_envs(config, log)
                return 0
            ensure_envs(config, frameworks, args.device, log)
            return 0
        if args.command == "catalogs":
            from .catalogs import update_catalogs

            update_catalogs(config, tuple(args.lang or config.translations), log, tuple(args.section or ()))
            return 0
        if args.command == "add-language":
            from .catalogs import add_language

            if len(args.language) != 2:
                raise PipelineError("usage: python -m scripts add-language CODE NAME, e.g. add-language de Deutsch")
            add_language(config, args.language[0], args.language[1], log)
            return 0
        if args.command == "check":
            return _print_problems(config, tuple(args.lang or config.translations))
        if args.command == "stats":
            return _print_stats(config, tuple(args.lang or config.translations))
        sources = read_sources(config, tuple(args.section or ()))
        if args.command in ("build", "execute"):
            execute_stage(config, sources, frameworks, args.device, args.jobs, log, summary)
        if args.command in ("build", "render"):
            render_stage(config, sources, languages, args.jobs, log, summary, publish_after=not args.no_publish)
        if args.command == "publish":
            publish_stage(config, sources, languages, log, summary)
        if args.command == "pdf":
            pdfs = pdf_stage(config, log)
            log(f"done in {time.monotonic() - started:.0f} s")
            log(f"summary: {len(pdfs)} PDFs in {config.build_dir.name}/site/pdf/")
            return 0
    except KeyboardInterrupt:  # Ctrl-C outside execution (which reports it as Interrupted)
        from .execute import kill_live_kernels

        kill_live_kernels()
        print("interrupted; the last good site in _build/site/ was left as it was", file=sys.stderr)
        return 130
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        if err.detail:
            print(err.detail, file=sys.stderr)
        if args.command in ("build", "render", "publish"):
            print("The last good site in _build/site/ was left as it was.", file=sys.stderr)
        return 130 if isinstance(err, Interrupted) else 1
    log(f"done in {time.monotonic() - started:.0f} s")
    log(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
