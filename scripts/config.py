"""The pipeline's configuration: the `pipeline:` section of `_config.yml`, read once and validated."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import PipelineError

SOURCE_LANGUAGE = "en"
DEVICES = ("cpu", "gpu")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?$")


@dataclass(frozen=True)
class Framework:
    """One framework: its tab label and the files that define its environment."""

    name: str
    label: str
    requirements: Path
    probe: Path
    kernel_env: dict[str, str] = field(default_factory=dict)
    retired: bool = False  # kept for readers of older material; each page says so
    colab: bool = True  # False where the framework cannot run on a Colab runtime at all
    colab_packages: dict[str, str] = field(default_factory=dict)  # module -> package, if Colab lacks it

    def requirements_for(self, device: str) -> Path:
        """GPU builds use `requirements-gpu.txt` where the framework has one (a CUDA build)."""
        gpu = self.requirements.with_name("requirements-gpu.txt")
        return gpu if device == "gpu" and gpu.is_file() else self.requirements


@dataclass(frozen=True)
class PipelineConfig:
    """Everything the stages need to know, with paths made absolute."""

    root: Path
    source_dir: Path
    locale_dir: Path
    build_dir: Path
    env_dir: Path
    cache_dir: Path  # executed notebooks, keyed by code, environment and device (jupyter-cache)
    languages: dict[str, str]
    frameworks: tuple[Framework, ...]
    book_config: dict[str, Any]
    toc: dict[str, Any]
    colab_repository: str = ""
    site_url: str = ""  # where the site is published: links from the notebooks back to their pages
    colab_branch: str = ""
    colab_gpu_pages: tuple[str, ...] = ()  # pages whose Colab notebooks ask for a GPU runtime
    run_alone: tuple[str, ...] = ()  # pages whose outputs are timings: executed with nothing else running
    gpu_runner: str = ""  # label of a CI runner with a GPU for the pages in colab_gpu_pages ("": none)
    execute_timeout: int = 600  # seconds a cell may run: Jupyter Book's own `execute.timeout`

    @property
    def colab_base(self) -> str:
        """Colab's URL of the published notebooks folder."""
        return f"https://colab.research.google.com/github/{self.colab_repository}/blob/{self.colab_branch}"

    @property
    def framework_names(self) -> tuple[str, ...]:
        return tuple(fw.name for fw in self.frameworks)

    def framework(self, name: str) -> Framework:
        for fw in self.frameworks:
            if fw.name == name:
                return fw
        raise PipelineError(f"unknown framework {name!r}; configured: {', '.join(self.framework_names)}")

    @property
    def translations(self) -> tuple[str, ...]:
        """The languages other than the source language."""
        return tuple(lang for lang in self.languages if lang != SOURCE_LANGUAGE)

    def sections(self) -> list[str]:
        """Every page of the book in toc order, as paths relative to the source dir without suffix."""
        return toc_files(self.toc)

    def source_path(self, section: str) -> Path:
        return self.source_dir / f"{section}.md"


def toc_files(toc: dict[str, Any]) -> list[str]:
    """Flatten a jb-book toc into its files, root first."""
    files = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            for part in entry.get("chapters", []):
                walk([part])

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return files


def _fail(key: str, message: str) -> PipelineError:
    return PipelineError(f"_config.yml: pipeline.{key}: {message}")


def _parse_frameworks(raw: Any, root: Path) -> tuple[Framework, ...]:
    if not isinstance(raw, dict) or not raw:
        raise _fail("frameworks", "must map framework names to their settings")
    frameworks = []
    for name, spec in raw.items():
        spec = spec or {}
        if not _NAME.match(str(name)):
            raise _fail(f"frameworks.{name}", "names are lowercase identifiers")
        env_files = root / "envs" / name
        fw = Framework(
            name=name,
            label=str(spec.get("label", name)),
            requirements=env_files / "requirements.txt",
            probe=env_files / "probe.py",
            kernel_env={str(k): str(v) for k, v in (spec.get("kernel_env") or {}).items()},
            retired=bool(spec.get("retired", False)),
            colab=bool(spec.get("colab", True)),
            colab_packages={str(k): str(v) for k, v in (spec.get("colab_packages") or {}).items()},
        )
        for path in (fw.requirements, fw.probe):
            if not path.is_file():
                raise _fail(f"frameworks.{name}", f"missing {path.relative_to(root)}")
        frameworks.append(fw)
    return tuple(frameworks)


def _parse_languages(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or SOURCE_LANGUAGE not in raw:
        raise _fail("languages", f"must map language codes to names and include {SOURCE_LANGUAGE!r}")
    for code in raw:
        if not _LANG.match(str(code)):
            raise _fail(f"languages.{code}", "expected a gettext code such as 'ja' or 'pt_BR'")
    return {str(k): str(v) for k, v in raw.items()}


_REPOSITORY = re.compile(r"^[\w.-]+/[\w.-]+$")
_GITHUB_REMOTE = re.compile(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def publishing_repository(root: Path, colab: dict[str, Any]) -> str:
    """The GitHub repository the site and notebooks are published from, which the Colab links
    point into: `colab.repository` if set (an override), else the repository being built
    ($GITHUB_REPOSITORY in GitHub Actions, else a GitHub `origin` remote), else
    `colab.fallback_repository`. So a fork's site links into the fork, with no edit."""
    if colab.get("repository"):
        return str(colab["repository"])
    if _REPOSITORY.match(os.environ.get("GITHUB_REPOSITORY", "")):
        return os.environ["GITHUB_REPOSITORY"]
    try:
        remote = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:  # no git on this machine
        remote = ""
    match = _GITHUB_REMOTE.search(remote)
    return match.group(1) if match else str(colab.get("fallback_repository", ""))


def _pages_url(repository: str) -> str:
    """GitHub Pages' address of a repository's site."""
    owner, name = repository.split("/", 1)
    return f"https://{owner.lower()}.github.io" if name.lower() == f"{owner.lower()}.github.io" else f"https://{owner.lower()}.github.io/{name}"


def _timeout(book_config: dict[str, Any]) -> int:
    value = (book_config.get("execute") or {}).get("timeout", 600)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise PipelineError(f"_config.yml: execute.timeout: expected a positive number of seconds, got {value!r}")
    return value


def load_config(root: Path) -> PipelineConfig:
    """Read `_config.yml` and `_toc.yml` under *root*.

    :raises PipelineError: naming the key that is missing or wrong.
    """
    root = root.resolve()
    config_path = root / "_config.yml"
    try:
        book_config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise PipelineError(f"cannot read the book configuration: {err}") from err
    pipeline = book_config.pop("pipeline", None)
    if not isinstance(pipeline, dict):
        raise PipelineError("_config.yml: missing the 'pipeline:' section")
    for key in ("source_dir", "locale_dir", "build_dir", "env_dir", "languages", "frameworks", "colab"):
        if key not in pipeline:
            raise _fail(key, "is required")
    colab = pipeline["colab"] or {}
    repository = publishing_repository(root, colab)
    if not _REPOSITORY.match(repository) or not colab.get("branch"):
        raise _fail("colab", "needs a branch, and a repository (owner/name on GitHub) from $GITHUB_REPOSITORY, a GitHub `origin` remote, or `repository`/`fallback_repository`")
    site_url = str(pipeline.get("site_url") or _pages_url(repository)).rstrip("/")
    config = PipelineConfig(
        root=root,
        source_dir=root / pipeline["source_dir"],
        locale_dir=root / pipeline["locale_dir"],
        build_dir=root / pipeline["build_dir"],
        env_dir=Path(os.environ.get("BOOK_ENV_DIR") or str(pipeline["env_dir"])).expanduser(),
        cache_dir=(root / Path(os.environ.get("BOOK_CACHE_DIR") or str(pipeline.get("cache_dir", f"{pipeline['build_dir']}/cache"))).expanduser()),
        languages=_parse_languages(pipeline["languages"]),
        frameworks=_parse_frameworks(pipeline["frameworks"], root),
        book_config=book_config,
        toc=toc,
        colab_repository=repository,
        site_url=site_url,
        colab_branch=str(colab["branch"]),
        colab_gpu_pages=tuple(str(page) for page in colab.get("gpu_pages") or ()),
        run_alone=tuple(str(page) for page in pipeline.get("run_alone") or ()),
        gpu_runner=str(pipeline.get("gpu_runner") or ""),
        execute_timeout=_timeout(book_config),
    )
    for section in config.sections():
        if not config.source_path(section).is_file():
            raise PipelineError(f"_toc.yml: {section!r} has no source file {config.source_path(section)}")
    for key, pages in (("colab.gpu_pages", config.colab_gpu_pages), ("run_alone", config.run_alone)):
        for page in pages:
            if page not in config.sections():
                raise _fail(key, f"{page!r} is not a page of _toc.yml")
    return config
