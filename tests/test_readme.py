"""The README's promises: its example validates, and CI runs its test command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.load import load

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_example_is_a_valid_parallel_commitment_item(tmp_path: Path) -> None:
    tree = tmp_path / "procedures"
    shutil.copytree(ROOT / "procedures", tree)
    department, item = _blocks("yaml")[:2]
    (tree / "zjj" / "department.yml").write_text(department, encoding="utf-8")
    (tree / "zjj" / "sgxk-jianyi.yml").write_text(item, encoding="utf-8")
    for other in (tree / "zjj").glob("*.yml"):
        if other.name not in ("department.yml", "sgxk-jianyi.yml"):
            other.unlink()
    result = load(tree, tmp_path)
    assert [d.text() for d in result.diagnostics] == []
    assert result.catalog is not None
    example = next(p for p in result.catalog.procedures if p.id == "sgxk-jianyi")
    assert example.kind == "承诺件"
    assert set(example.departments) == {"zjj", "sthj"}


def test_readme_bundle_example_validates(tmp_path: Path) -> None:
    tree = tmp_path / "procedures"
    shutil.copytree(ROOT / "procedures", tree)
    example = next(block for block in _blocks("yaml") if "schema/bundle.schema.json" in block)
    (tree / "bundles" / "csyjs.yml").write_text(example, encoding="utf-8")
    result = load(tree, tmp_path)
    assert [d.text() for d in result.diagnostics if d.severity == "error"] == []
    assert result.catalog is not None
    bundle = next(b for b in result.catalog.bundles if b.id == "csyjs")
    assert [m.item for m in bundle.members if m.optional] == ["ybj/cbdj"]


def test_ci_runs_the_readme_test_command() -> None:
    commands = [block.strip() for block in _blocks("bash")]
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_the_editor_benchmark_in_the_readme_is_the_recorded_run() -> None:
    import json

    from .bench.editor import CHECK_MS, PREVIEW_MS

    run = json.loads((ROOT / "tests/bench/editor.json").read_text(encoding="utf-8"))
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("<!-- banshi:editor-bench -->")[1]
    row = f"| {run['items']:,} | {run['first_ms']:.0f} ms | {run['check_p95_ms']:.0f} ms | {run['preview_p95_ms']:.0f} ms |"
    assert row in table
    assert run["items"] >= 1000 and run["check_p95_ms"] <= CHECK_MS and run["preview_p95_ms"] <= PREVIEW_MS


def test_the_search_benchmark_in_the_readme_is_the_recorded_run() -> None:
    import json

    from .bench.search import FIRST_KB, SearchRun, table

    run = SearchRun(**json.loads((ROOT / "tests/bench/search.json").read_text(encoding="utf-8")))
    recorded = README.split("<!-- banshi:search-bench -->")[1].strip()
    assert recorded == table(run)
    assert run.items >= 10000 and run.first_max_kb <= FIRST_KB and run.same
