"""Environments: one virtual environment and Jupyter kernel per framework, built once and reused.

An environment lives in `<env_dir>/<framework>-<hash of its requirements>/`, so it is rebuilt
exactly when its requirements change, and shared by every clone on the machine. Its kernel specs
live inside it and are found by passing their folder to the kernel manager: nothing depends on
the user's global Jupyter or IPython configuration.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import DEVICES, Framework, PipelineConfig
from .errors import PipelineError, Where

READY_MARK = ".ready"
_ENV_NAME = re.compile(r"^[a-z][a-z0-9_]*-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Env:
    """A built environment of one framework."""

    framework: Framework
    path: Path
    key: str

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def kernels_dir(self) -> Path:
        return self.path / "share" / "jupyter" / "kernels"

    def kernel_name(self, device: str) -> str:
        return f"{self.framework.name}-{device}"

    def kernelspec(self, device: str) -> dict[str, str]:
        """The notebook metadata that names this kernel; `env_key` makes it part of the cache key."""
        return {
            "name": self.kernel_name(device),
            "display_name": f"{self.framework.label} ({device.upper()})",
            "language": "python",
            "env_key": f"{self.key}-{device}-{_kernel_env_hash(self.framework, device)}",
        }


def env_key(requirements: Path) -> str:
    """Hash of what defines the environment: its requirements and the Python that builds it."""
    digest = hashlib.sha256()
    digest.update(requirements.read_bytes())
    digest.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()[:12]


def kernel_env(fw: Framework, device: str, env_path: Path) -> dict[str, str]:
    """Environment variables of a kernel: isolated from user config, GPUs hidden on CPU builds."""
    env = {
        "IPYTHONDIR": str(env_path / "ipython"),
        "JUPYTER_CONFIG_DIR": str(env_path / "jupyter-config"),
        "PYTHONNOUSERSITE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    env.update(fw.kernel_env)
    return env


def _kernel_env_hash(fw: Framework, device: str) -> str:
    relevant = {k: v for k, v in kernel_env(fw, device, Path()).items() if k not in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR")}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:8]


def _write_kernelspecs(env: Env) -> None:
    for device in DEVICES:
        folder = env.kernels_dir / env.kernel_name(device)
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [str(env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": env.kernelspec(device)["display_name"],
            "language": "python",
            "env": kernel_env(env.framework, device, env.path),
            "metadata": {"debugger": False},
        }
        (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")


def _run(cmd: list[str], where: Where, log_path: Path) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        result = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(encoding="utf-8").splitlines()[-15:])
        raise PipelineError(f"environment set-up failed (log: {log_path}):\n{tail}", where)


def ensure_env(config: PipelineConfig, fw: Framework, device: str, log: Callable[[str], None] = print) -> Env:
    """Build the environment of *fw* for *device* unless a complete one with the same key exists.

    A half-built environment (interrupted set-up) has no ready mark and is rebuilt from scratch.
    :raises PipelineError: naming the requirements file, with the tail of pip's log.
    """
    requirements = fw.requirements_for(device)
    key = env_key(requirements)
    env = Env(fw, config.env_dir / f"{fw.name}-{key}", key)
    where = Where(str(requirements.relative_to(config.root)))
    if (env.path / READY_MARK).is_file():
        _write_kernelspecs(env)  # cheap, and picks up kernel_env changes from _config.yml
        return env
    if env.path.exists():
        shutil.rmtree(env.path)
    env.path.parent.mkdir(parents=True, exist_ok=True)
    log(f"  setting up the {fw.label} environment in {env.path} (once per requirements version)")
    started = time.monotonic()
    log_path = env.path.parent / f"{env.path.name}.log"
    log_path.write_text("", encoding="utf-8")
    _run([sys.executable, "-m", "venv", str(env.path)], where, log_path)
    pip = [str(env.python), "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "install", "--quiet", "-r", str(requirements)], where, log_path)
    _write_kernelspecs(env)
    (env.path / READY_MARK).write_text(key, encoding="utf-8")
    size = sum(p.stat().st_size for p in env.path.rglob("*") if p.is_file() and not p.is_symlink())
    log(f"  {fw.label} environment ready in {time.monotonic() - started:.0f} s, {size / 2**20:.0f} MiB")
    return env


def ensure_envs(
    config: PipelineConfig, names: tuple[str, ...], device: str = "cpu", log: Callable[[str], None] = print
) -> dict[str, Env]:
    """Build (or find) the environment of each named framework, in order, printing progress."""
    envs = {}
    for name in names:
        fw = config.framework(name)
        log(f"[env] {fw.label}")
        envs[name] = ensure_env(config, fw, device, log)
    return envs


def prune_envs(config: PipelineConfig, log: Callable[[str], None] = print) -> list[Path]:
    """Remove the environments (and their set-up logs) that no configured requirements file of
    this checkout describes any more: older versions, removed frameworks. Other clones on the
    machine share the folder, so this is a command to run on purpose, not part of a build."""
    current = {f"{fw.name}-{env_key(fw.requirements_for(device))}" for fw in config.frameworks for device in DEVICES}
    removed = []
    for path in sorted(config.env_dir.glob("*")) if config.env_dir.is_dir() else ():
        name = path.name.removesuffix(".log")
        if not _ENV_NAME.match(name) or name in current:
            continue
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) if path.is_dir() else path.stat().st_size
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        log(f"[env] removed {path.name} ({size / 2**20:.0f} MiB)")
        removed.append(path)
    log(f"[env] {len(removed)} outdated entries removed; kept {', '.join(sorted(current & {p.name for p in config.env_dir.glob('*')}))}")
    return removed
