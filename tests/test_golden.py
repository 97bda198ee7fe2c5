"""The golden site: the fixture tree (tests/fixtures/valid) rendered into tests/golden/site/.

Every generated page type is covered: item pages, department pages, every
index, statistics, both printable forms, the open data files, the DOT source
of each chart and a change report between two commits.  Charts appear in
pages as a placeholder naming their DOT file, since SVG varies with the
Graphviz version; the DOT source is compared instead.

After a deliberate change, regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest

from generator.load import load
from generator.model import Catalog
from generator.records import read_records
from generator.render.bundle import bundle_dot
from generator.render.flowchart import flowchart_dot
from generator.render.opendata import OpenData
from generator.render.pages import TEMPLATES, PageRenderer
from generator.render.site import (
    GeneratedSite,
    Options,
    bundle_views,
    finish,
    render_item,
    render_shared,
    site_wide,
)
from generator.speed.generate import views_of
from generator.versions import History
from generator.workflow.changes import report
from generator.workflow.history import collect, diff

from .test_changes import NEW_FEE, NEW_MATERIAL, Repo

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"
OPTIONS = Options(site_url="https://banshi.example.gov.cn/")


def golden_tree(catalog: Catalog, procedures: Path, history: History, templates: Path = TEMPLATES) -> dict[str, str]:
    """Every generated text file of the catalog, as the build would write it, charts as DOT; with the figures of
    the fixture's case records (procedures/records/)."""
    performance = read_records(procedures / "records", catalog).performance
    renderer = PageRenderer(OPTIONS.directory_urls, defer=True, templates=templates, site_url=OPTIONS.site_url)
    data = OpenData(OPTIONS.site_url, OPTIONS.directory_urls)
    site = GeneratedSite()
    records = []
    dots: dict[str, str] = {}
    for view in views_of(catalog, history, performance):
        chart = f'<svg data-golden="items/{view.procedure.slug}.dot"></svg>' if view.procedure.flow else None
        parts = render_item(view, renderer, data, chart=chart)
        site.add(parts)
        records.append(parts.record)
        dots[f"items/{view.procedure.slug}.dot"] = flowchart_dot(view)
    for bundle in bundle_views(catalog, history):
        dots[f"bundles/{bundle.bundle.id}.dot"] = bundle_dot(bundle)
    site.add(
        render_shared(
            catalog,
            records,
            renderer,
            data,
            lambda p: history.of(p.code)[1],
            performance,
            history,
            lambda v: f'<svg data-golden="bundles/{v.bundle.id}.dot"></svg>',
        )
    )
    finish(site, catalog, procedures)
    site_wide(site, catalog, views_of(catalog, history, performance), history, renderer)
    site.assets["search.json"] = json.dumps(site.search, ensure_ascii=False)
    site.assets["theme.json"] = json.dumps({**site.theme, "dates": site.dates}, ensure_ascii=False)
    site.assets.update({f"snippets/{n}.html": html for n, html in enumerate(site.snippets.values())})
    files = {path: site.fill(path, text) for path, text in {**site.pages, **site.assets}.items()}
    files = {path: _readable(path, text) for path, text in files.items() if not path.endswith((".svg", ".js"))}
    return {**files, **dots, **{f"copies/{k}": f"{v.relative_to(procedures)}\n" for k, v in site.copies.items()}}


def _readable(path: str, text: str) -> str:
    """JSON one value per line, so that a changed field is one line of the diff."""
    return json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n" if path.endswith(".json") else text


def differences(expected: Path, actual: dict[str, str], limit: int = 60) -> str:
    """A readable unified diff of the golden tree against ``actual`` (empty when they agree)."""
    written = {p.relative_to(expected).as_posix(): p for p in expected.rglob("*") if p.is_file()}
    lines: list[str] = []
    for path in sorted(written.keys() | actual.keys()):
        old = written[path].read_text(encoding="utf-8") if path in written else ""
        new = actual.get(path, "")
        if old != new or path not in written or path not in actual:
            lines += difflib.unified_diff(
                old.splitlines(), new.splitlines(), f"golden/{path}", f"rendered/{path}", lineterm="", n=1
            )
    return "\n".join(lines[:limit])


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The fixture tree in git: published, then a time limit cut, a fee and a material added, a position renamed."""
    repo = Repo(tmp_path_factory.mktemp("golden"))
    repo.edit("demo/minimal.yml", "committed: 5个工作日", "committed: 3个工作日")
    repo.edit("demo/minimal.yml", "fees: 不收费\n", NEW_FEE)
    repo.edit("demo/parallel.yml", "materials: []\n", NEW_MATERIAL)
    repo.edit("demo/department.yml", "title: 审核岗", "title: 审核科")
    repo.commit("第二版", "2026-03-02")
    return repo


def rendered(repo: Repo, templates: Path = TEMPLATES) -> dict[str, str]:
    result = load(repo.procedures, repo.root)
    assert result.catalog is not None, [d.text() for d in result.diagnostics]
    tree = golden_tree(result.catalog, repo.procedures, collect(repo.procedures), templates)
    comparison = diff(repo.procedures, "HEAD~1")
    tree["changes.md"] = report(comparison.changes, "HEAD~1", "HEAD", comparison.unreadable)
    return tree


def test_golden_site(repository: Repo) -> None:
    tree = rendered(repository)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in tree.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    assert not differences(GOLDEN, tree), "\n" + differences(GOLDEN, tree)


def test_golden_site_covers_every_page_type() -> None:
    files = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    for expected in (
        "items/demo/parallel.md",
        "items/demo/parallel.dot",
        "print/demo/parallel/checklist.html",
        "print/demo/parallel/notice.html",
        "departments/demo.md",
        "departments/index.md",
        "guide/index.md",
        "guide/by-type.md",
        "guide/by-audience.md",
        "guide/immediate.md",
        "guide/one-visit.md",
        "guide/online.md",
        "guide/by-topic.md",
        "items/demo/parallel/chart.html",
        "robots.txt",
        "search.json",
        "theme.json",
        "stats.md",
        "data/procedures.json",
        "data/procedures.csv",
        "data/procedures.schema.json",
        "data/items/demo/parallel.json",
        "data/performance.json",
        "data/performance.csv",
        "data/performance.schema.json",
        "changes.md",
    ):
        assert expected in files, expected


def test_a_changed_template_line_fails_with_a_readable_diff(repository: Repo, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / "item.md.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("<summary>本页目录", "<summary>目录"), encoding="utf-8")
    report = differences(GOLDEN, rendered(repository, templates))
    assert "--- golden/items/demo/minimal.md" in report and "+++ rendered/items/demo/minimal.md" in report
    assert "-<summary>本页目录</summary>" in report and "+<summary>目录</summary>" in report
