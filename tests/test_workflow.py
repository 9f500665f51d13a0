"""The publish workflow passes real linters: GitHub's workflow schema and zizmor's audits."""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


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
