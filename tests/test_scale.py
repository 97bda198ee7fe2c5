"""Scale, at small N: the chart cache, progress output, and the benchmark itself (tests/bench)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from generator.mkdocs.build import build_site
from generator.speed.progress import Progress

from .bench.synthetic import make_project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("scale"), 30)


def test_synthetic_items_are_valid_and_realistic(project: Path) -> None:
    from generator.load import load

    result = load(project / "procedures", project)
    assert result.diagnostics == [] and result.catalog is not None
    assert len(result.catalog.procedures) == 30 and len(result.catalog.departments) == 40
    steps = [len(p.steps) for p in result.catalog.procedures]
    assert min(steps) >= 5 and max(steps) <= 12
    assert any(any(len(s.following) > 1 for s in p.steps) for p in result.catalog.procedures)  # parallel branches
    assert all(any(o.is_rework for s in p.steps for o in s.alternatives) for p in result.catalog.procedures)  # 补正
    assert all(5 <= len(p.materials) <= 15 for p in result.catalog.procedures)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "sitemap.xml.gz"
    }


def test_second_build_runs_dot_zero_times_and_builds_the_same_site(project: Path) -> None:
    first = Progress(io.StringIO(), interactive=False)
    build_site(project / "mkdocs.yml", progress=first)
    assert first.counts == {
        "dot": 30,
        "pages_reused": 0,
        "pages_rendered": 70,
        "pages_copied": 0,
    }  # 30 items, 40 departments
    before = digest(project / "site")
    second = Progress(io.StringIO(), interactive=False)
    build_site(project / "mkdocs.yml", progress=second)
    assert second.counts == {"dot": 0, "pages_reused": 30, "pages_rendered": 0, "pages_copied": 70}
    assert digest(project / "site") == before
    assert (project / "site/items/d00/item-00000/index.html").read_text(encoding="utf-8").count("<svg") >= 1


def test_an_edited_item_is_rendered_again_and_only_it(project: Path) -> None:
    item = project / "procedures/d03/item-00003.yml"
    text = item.read_text(encoding="utf-8")
    statutory = re.search(r"statutory: (\d+)个工作日", text)
    assert statutory is not None
    longer = int(statutory.group(1)) + 1
    item.write_text(text.replace(statutory.group(0), f"statutory: {longer}个工作日"), encoding="utf-8")
    progress = Progress(io.StringIO(), interactive=False)
    try:
        build_site(project / "mkdocs.yml", progress=progress)
    finally:
        item.write_text(text, encoding="utf-8")
    assert progress.counts["pages_reused"] == 29
    assert 1 <= progress.counts["pages_rendered"] <= 2  # the item's page, and its department's if it shows the change
    page = (project / "site/items/d03/item-00003/index.html").read_text(encoding="utf-8")
    assert f"法定 {longer}个工作日" in page  # as written in the YAML


def test_progress_is_plain_lines_in_logs_and_a_bar_on_a_terminal(project: Path) -> None:
    log = io.StringIO()
    build_site(project / "mkdocs.yml", progress=Progress(log, interactive=False))
    lines = log.getvalue().splitlines()
    assert "流程图：开始，共 30 个" in lines
    assert any(line.startswith("流程图：完成 30 个（运行 dot 0 次，缓存 30 个）") for line in lines)
    assert any(line.startswith("MkDocs 渲染：完成") for line in lines)
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()

    terminal = io.StringIO()
    progress = Progress(terminal, interactive=True)
    with progress.stage("流程图", 4) as stage:
        for _ in range(4):
            stage.advance()
            stage._drawn = 0.0  # draw every step in this test
    assert "\r\x1b[2K流程图 ██████░░░░" in terminal.getvalue() and "4/4" in terminal.getvalue()
    assert terminal.getvalue().endswith("流程图：完成 4 个，0.0 秒\n")


def test_benchmark_command_runs_at_small_n(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .bench.__main__ import main

    out = tmp_path / "bench.json"
    main(["--items", "12", "--json", str(out), "--work", str(tmp_path / "work")])
    printed = capsys.readouterr().out
    assert printed.startswith("| 事项数 |") and "| 12 |" in printed
    assert "✓ 12 项：热构建运行 dot 0 次 = 0" in printed
    assert "12 项：mkdocs serve 改动到看见" in printed  # measured; whether it meets 2 s is the benchmark's verdict
    result = json.loads(out.read_text(encoding="utf-8"))[0]
    assert result["items"] == 12 and result["baseline"]["seconds"] > 0
    assert result["warm"]["report"]["counts"]["dot"] == 0
    assert result["warm"]["report"]["counts"]["pages_copied"] == 12 + 40  # items and departments: from the cache
    assert result["changed"]["report"]["counts"]["pages_rendered"] >= 1


def test_readme_performance_table_is_the_committed_benchmark_run() -> None:
    from .bench.__main__ import load_results, table
    from .conftest import ROOT

    results = load_results(ROOT / "tests/bench/results.json")
    assert [r.items for r in results] == [1000, 2000, 10000]
    assert table(results) in (ROOT / "README.md").read_text(encoding="utf-8")
