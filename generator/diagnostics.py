"""Problems as data: collected by every stage, printed once at the edge."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
OutputFormat = Literal["text", "json", "github"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file."""

    path: str
    """File path relative to the repository root, with forward slashes."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    key: str
    """Key path such as ``steps[3].position``, with its Chinese title, or empty."""
    message: str
    """The message, in Chinese."""
    severity: Severity = "error"
    """``error`` fails validation; ``warning`` only deserves a look."""

    def text(self) -> str:
        """``path:line:column: error: key: message``."""
        key = f"{self.key}: " if self.key else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {key}{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown on the changed line of a pull request."""
        key = f"{self.key}: " if self.key else ""
        message = _github_escape(f"{key}{self.message}")
        location = f"file={self.path},line={max(self.line, 1)},col={max(self.column, 1)}"
        return f"::{self.severity} {location}::{message}"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_diagnostics(diagnostics: list[Diagnostic], fmt: OutputFormat) -> str:
    """Render diagnostics for people (text), tools (json) or pull requests (github)."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in ordered)
    return "\n".join(d.text() for d in ordered)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
