"""The publish workflow's split holds: the stage commands its jobs run (execute per framework,
render per language, publish), each in a fresh copy of the repository that receives only the
artifacts the jobs exchange, assemble the very site a one-machine build makes, byte for byte.
Then an edit of one catalog entry renders that page of that language again, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from scripts.config import load_config
from tests.conftest import ROOT

IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".pytest_cache")


def _fresh(tmp: Path, name: str) -> Path:
    """A copy of the sources, as a CI job's checkout (the tooling environment comes from its cache)."""
    copy = tmp / name
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    return copy


def _all(commands: list[tuple[Path, list[str]]], at_once: int = 2) -> list[subprocess.CompletedProcess[str]]:
    """Run the jobs, two at a time (this machine has two cores)."""
    done = []
    for start in range(0, len(commands), at_once):
        running = [
            (subprocess.Popen([sys.executable, "-m", "scripts", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), args)
            for cwd, args in commands[start : start + at_once]
        ]
        for process, args in running:
            out, err = process.communicate()
            assert process.returncode == 0, f"{args}: {err[-2000:]}"
            done.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    return done


def _copy_files(files, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy2(path, into / path.name)


def test_jobs_exchanging_only_artifacts_build_the_one_machine_site(tmp_path, config, site):
    # execute: one job per framework; its artifact is that framework's executed notebooks.
    jobs = {fw: _fresh(tmp_path, f"execute-{fw}") for fw in config.framework_names}
    _all([(copy, ["execute", "--framework", fw]) for fw, copy in jobs.items()])
    executed = [p for fw, copy in jobs.items() for p in (copy / "_build" / "executed").glob(f"*.{fw}.ipynb")]
    # render: one job per language, with every executed notebook; its artifacts: HTML and notebooks.
    renders = {lang: _fresh(tmp_path, f"render-{lang}") for lang in config.languages}
    for copy in renders.values():
        _copy_files(executed, copy / "_build" / "executed")
    _all([(copy, ["render", "--lang", lang, "--no-publish"]) for lang, copy in renders.items()])
    # publish: every artifact, assembled.
    final = _fresh(tmp_path, "publish")
    _copy_files(executed, final / "_build" / "executed")
    for lang, copy in renders.items():
        shutil.copytree(copy / "_build" / "html" / lang, final / "_build" / "html" / lang)
        shutil.copytree(copy / "_build" / "notebooks" / lang, final / "_build" / "notebooks" / lang)
    _all([(final, ["publish"])])
    ours, theirs = site, final / "_build" / "site"
    files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file() and "pdf" not in p.relative_to(ours).parts[:1])
    assert files == sorted(p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file())
    differ = [str(f) for f in files if (ours / f).read_bytes() != (theirs / f).read_bytes()]
    assert not differ, differ[:10]

    # One catalog entry edited, in that language's job: only that page is rendered again.
    section, lang = config.sections()[2], config.translations[-1]
    copy = load_config(renders[lang])
    path = copy.locale_dir / lang / "LC_MESSAGES" / f"{section}.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgstr and not e.msgctxt and len(e.msgid) > 100)
    entry.msgstr = entry.msgstr + " "  # an edit that leaves the markup as it is
    po.save()
    (result,) = _all([(renders[lang], ["render", "--lang", lang, "--no-publish"])])
    assert f"[render] {lang}: {section} (catalog changed)" in result.stdout, result.stdout
    assert f"[colab] {lang}: {len(config.frameworks)} notebooks written" in result.stdout, result.stdout
