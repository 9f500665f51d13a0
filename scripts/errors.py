"""The one error type of the pipeline: it says where (file, language, framework, cell) and what."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    """Tracebacks from IPython kernels carry terminal colour codes; messages and logs must not."""
    return _ANSI.sub("", text)


@dataclass(frozen=True)
class Where:
    """A place in the book that an error points at; every part is optional."""

    path: str = ""
    lang: str = ""
    framework: str = ""
    cell: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
        if self.lang:
            text += f" [{self.lang}]"
        if self.cell is not None and self.line is None:
            text += f" cell {self.cell}"
        if self.framework:
            text += f" ({self.framework})"
        return text.strip()


class PipelineError(Exception):
    """A build failure to report to the user as one clear message (no Python traceback needed)."""

    def __init__(self, message: str, where: Where | None = None, detail: str = "") -> None:
        self.where = where
        self.detail = detail
        prefix = f"{where}: " if where and str(where) else ""
        super().__init__(prefix + message)
