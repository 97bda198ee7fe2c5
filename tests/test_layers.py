"""The package layout shows the pipeline, and imports only go downward.

contract → model → read → rules → render / workflow / speed → load → prepare → cli / mkdocs.
Only ``generator/mkdocs/`` may import MkDocs or Material, and without MkDocs
installed the core still validates and renders (``render --out``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "generator"

LOWER: dict[str, set[str]] = {
    "messages": set(),
    "diagnostics": {"messages"},
    "contract": {"contract", "diagnostics", "messages"},
    "model": {"contract"},
    "versions": set(),
    "workdays": {"model"},
    "steps": {"model"},
    "bundles": {"model", "contract"},
    "read": {"read", "contract", "model", "diagnostics", "messages"},
    "rules": {"rules", "read", "contract", "model", "steps", "bundles", "workdays", "diagnostics", "messages"},
    "records": {"records", "read", "model", "contract", "workdays", "diagnostics", "messages"},
    "render": {
        "render",
        "records",
        "rules",
        "steps",
        "bundles",
        "contract",
        "model",
        "versions",
        "workdays",
        "messages",
    },
    "speed": {"speed", "render", "records", "read", "contract", "model", "versions", "diagnostics"},
    "workflow": {"workflow", "render", "read", "contract", "model", "versions", "diagnostics", "messages"},
    "load": {"read", "rules", "speed", "model", "diagnostics"},
    "prepare": {"load", "records", "render", "speed", "workflow", "model", "diagnostics"},
    "edit": {"edit", "load", "read", "render", "workflow", "model", "contract", "versions", "diagnostics"},
}
"""What each part may import from the package; cli and mkdocs sit on top and may import any part."""


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return relative.parts[0] if relative.parts[0] not in ("__init__", "__main__") else "cli"


def imports(path: Path) -> set[str]:
    """Top-level names imported: ``generator`` parts as ``generator.x``, others as themselves."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                parts = [*base, *(node.module or "").split(".")]
                parts = [p for p in parts if p]
                found.add(".".join(parts[:2]) if len(parts) > 1 else f"generator.{node.names[0].name}")
            else:
                found.add((node.module or "").split(".")[0])
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_mkdocs_package_imports_mkdocs(path: Path) -> None:
    outside = {"mkdocs", "material"} & imports(path)
    assert not outside or part_of(path) == "mkdocs", outside


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_go_downward(path: Path) -> None:
    part = part_of(path)
    if part in ("cli", "mkdocs"):
        return
    ours = {name.split(".", 1)[1] for name in imports(path) if name.startswith("generator.")}
    assert ours <= LOWER[part], f"{part} imports {sorted(ours - LOWER[part])}"


def test_validate_and_render_work_without_mkdocs(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "sys.modules['mkdocs'] = sys.modules['material'] = None  # import mkdocs now raises ImportError\n"
        "from generator.cli import main\n"
        f"assert main(['validate', '--procedures', {str(ROOT / 'procedures')!r}]) == 0\n"
        f"assert main(['render', '--procedures', {str(ROOT / 'procedures')!r}, '--out', 'tree',"
        f" '--content', {str(ROOT / 'content')!r}]) == 0\n"
        "assert not any(m.startswith(('mkdocs', 'material')) and sys.modules[m] for m in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tree/items/zjj/sgxk.md").is_file() and (tmp_path / "tree/items/zjj/sgxk.svg").is_file()
