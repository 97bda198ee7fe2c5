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


def copy_project(target: Path) -> Path:
    """A copy of everything a build reads: mkdocs.yml, content/, procedures/, site_templates/."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("content", "procedures", "site_templates"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once per test session with ``python -m generator build``'s function."""
    from generator.build import build_site

    project = copy_project(tmp_path_factory.mktemp("project"))
    return build_site(project / "mkdocs.yml")
