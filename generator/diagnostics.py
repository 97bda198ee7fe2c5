"""Problems as data: collected by every stage, printed once at the edge.

A :class:`Diagnostic` keeps apart what is wrong (``code`` and ``message``)
and where (``file``, ``line``, ``column`` and the key path), as
publiccode-parser does; only :meth:`Diagnostic.text` and
:meth:`Diagnostic.github` compose them into one line.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from .messages import message

Severity = Literal["error", "warning"]
OutputFormat = Literal["text", "json", "github"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file."""

    file: str
    """File path relative to the repository root, with forward slashes."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    key: str
    """Key path such as ``steps[3].position``; empty for the file itself."""
    title: str
    """The Chinese name of the key (办理岗位), or of the aspect of the file (编码, YAML 语法)."""
    code: str
    """The message id in :data:`generator.messages.MESSAGES`."""
    message: str
    """The message, in Chinese, on one line."""
    severity: Severity = "error"
    """``error`` fails validation; ``warning`` only deserves a look."""

    @classmethod
    def of(
        cls,
        file: str,
        where: tuple[int, int],
        key: str,
        title: str,
        code: str,
        **values: object,
    ) -> Diagnostic:
        """An error whose message comes from the catalogue, filled with ``values``."""
        return cls(file, where[0], where[1], key, title, code, message(code, **values))

    def warning(self) -> Diagnostic:
        """The same problem, as a warning."""
        return dataclasses.replace(self, severity="warning")

    @classmethod
    def from_json(cls, data: object) -> Diagnostic:
        """The inverse of :func:`dataclasses.asdict`, by field name (for the cache); ValueError if it is not one."""
        if not isinstance(data, Mapping):
            raise ValueError("not a diagnostic")
        severity: Severity = "warning" if data["severity"] == "warning" else "error"
        file, key, title, code, text = (str(data[name]) for name in ("file", "key", "title", "code", "message"))
        line, column = (int(str(data[name])) for name in ("line", "column"))
        return cls(file, line, column, key, title, code, text, severity)

    @property
    def label(self) -> str:
        """``key (title)``, or whichever of the two there is."""
        if self.key and self.title:
            return f"{self.key} ({self.title})"
        return self.key or self.title

    def text(self) -> str:
        """``file:line:column: error: key (title): message``."""
        label = f"{self.label}: " if self.label else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {label}{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown on the changed line of a pull request."""
        label = f"{self.label}: " if self.label else ""
        text = _github_escape(f"{label}{self.message}")
        location = f"file={self.file},line={max(self.line, 1)},col={max(self.column, 1)}"
        return f"::{self.severity} {location}::{text}"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: OutputFormat) -> str:
    """Render diagnostics for people (text), tools (json: the eight fields) or pull requests (github)."""
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
