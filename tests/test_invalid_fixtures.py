"""One fixture per invalid case, checked against tests/fixtures/invalid/expected.yml.

Each fixture is a copy of ``valid/demo/minimal.yml`` with one mistake.  The
test puts it in place of that file and compares every reported problem with
the expected table, in both directions: a fixture without an expectation, or
an expectation without a fixture, fails too.

Regenerate the table after a deliberate message change with
``UPDATE_EXPECTED=1 python -m pytest tests/test_invalid_fixtures.py`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator.validate import load

from .conftest import INVALID

EXPECTED_FILE = INVALID / "expected.yml"
FIXTURES = sorted(p.stem for p in INVALID.glob("*.yml") if p.name != "expected.yml")
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"


def _expected() -> dict[str, list[str]]:
    if not EXPECTED_FILE.exists():
        return {}
    return yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8")) or {}


def reported(tree: Path, fixture: str) -> list[str]:
    target = tree / "demo" / "minimal.yml"
    target.write_bytes((INVALID / f"{fixture}.yml").read_bytes())
    result = load(tree, tree.parent)
    return [d.text().removeprefix("procedures/demo/minimal.yml:") for d in result.diagnostics]


@pytest.mark.parametrize("fixture", FIXTURES)
def test_fixture_reports_exactly_the_expected_problems(tree: Path, fixture: str) -> None:
    got = reported(tree, fixture)
    if UPDATE:
        table = _expected()
        table[fixture] = got
        EXPECTED_FILE.write_text(
            yaml.safe_dump(dict(sorted(table.items())), allow_unicode=True, width=1000),
            encoding="utf-8",
        )
    assert got == _expected()[fixture]


def test_every_expectation_has_its_fixture() -> None:
    assert sorted(_expected()) == FIXTURES


def test_error_fixtures_fail_and_warning_fixtures_pass(tree: Path) -> None:
    for fixture in FIXTURES:
        lines = reported(tree, fixture)
        severities = {line.split(": ")[1] for line in lines}
        expected = {"warning"} if fixture.startswith("warning_") else {"error"}
        assert severities >= expected, fixture


def test_oversized_file_is_refused_before_parsing(tree: Path) -> None:
    """Generated here rather than committed: a 1 MiB fixture would bloat the repository."""
    target = tree / "demo" / "minimal.yml"
    target.write_text("notes: |\n" + "  x\n" * 400_000, encoding="utf-8")
    result = load(tree, tree.parent)
    [diagnostic] = [d for d in result.diagnostics if d.path.endswith("minimal.yml")]
    assert diagnostic.line == 0
    assert "超过 1 MiB" in diagnostic.message
