"""The code stays formatted, linted and strictly typed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_and_format() -> None:
    checked = run("ruff", "check", "generator", "tests")
    assert checked.returncode == 0, checked.stdout
    formatted = run("ruff", "format", "--check", "generator", "tests")
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_strict() -> None:
    typed = run("mypy")
    assert typed.returncode == 0, typed.stdout
