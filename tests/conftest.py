"""Shared fixtures: the minimal valid tree, and copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the minimal valid ``procedures/`` tree at ``tmp_path/procedures``."""
    target = tmp_path / "procedures"
    shutil.copytree(VALID, target)
    return target
