"""The government-website checks: identity on every page, dates from git, the self-check, fragments."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.model import Catalog
from generator.render.pages import ICP_QUERY, police_query

from .conftest import ROOT, copy_project, serve
from .test_changes import Repo


def _footer(text: str) -> str:
    found = re.search(r'<footer class="md-footer">.*?</footer>|<footer class="bs-[^"]*">.*?</footer>', text, re.S)
    return found.group(0) if found else ""


def test_every_page_but_the_printed_forms_shows_the_sites_identity(built_site: Path, demo: Catalog) -> None:
    identity = demo.site.identity
    assert identity is not None and identity.police and identity.icp and identity.sponsor and identity.site_code
    pages = [p for p in built_site.rglob("*.html") if not p.is_relative_to(built_site / "print")]
    assert len(pages) > 50
    for page in pages:
        footer = _footer(page.read_text(encoding="utf-8"))
        assert f"主办单位：{identity.sponsor}" in footer, page
        assert f"网站标识码：{identity.site_code}" in footer, page
        assert f'<a href="{ICP_QUERY}" rel="noopener">{identity.icp}</a>' in footer, page
        assert f'<a href="{police_query(identity.police)}" rel="noopener">{identity.police}</a>' in footer, page
        badge = re.search(r'<img src="([^"]+)" alt="党政机关网站标识"', footer)
        assert badge, page
        base = built_site if badge.group(1).startswith("/") else page.parent  # 404 pages use root addresses
        assert (base / badge.group(1).lstrip("/")).resolve().is_file(), page
    for form in (built_site / "print").rglob("*.html"):
        assert "网站标识码" not in form.read_text(encoding="utf-8"), form


def test_a_site_without_identity_builds_and_the_check_says_what_is_missing(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path / "project")
    site_yml = project / "procedures/site.yml"
    site_yml.write_text(re.sub(r"identity:\n(?:  .*\n)+", "", site_yml.read_text(encoding="utf-8")), "utf-8")
    site = build_site(project / "mkdocs.yml")
    assert "网站标识码" not in (site / "index.html").read_text(encoding="utf-8")
    code = main(["check", "--site", str(site), "--procedures", str(project / "procedures")])
    assert code == 1
    report = (site / "check/report.md").read_text(encoding="utf-8")
    for title in ("主办单位", "政府网站标识码", "ICP备案号", "公安机关备案号", "党政机关网站标识"):
        assert f"未填写{title}" in report, title


# Dates --------------------------------------------------------------------------------------------------------


def _dates(page: Path) -> tuple[str, str]:
    text = page.read_text(encoding="utf-8")
    found = re.search(
        r'发布日期：(?:<time datetime="([\d-]+)">[\d-]+</time>|未知).*?更新日期：<time datetime="([\d-]+)"', text, re.S
    )
    assert found, page
    return found.group(1) or "", found.group(2)


def test_every_page_type_shows_both_dates_from_git_and_a_committed_page_changes_its_date(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path / "project")
    repo = Repo.at(project)  # everything committed on 2026-01-05
    repo.edit("zrzy/bdc-scdj.yml", "source: 申请人自备", "source: 申请人自备；已共享的免于提交")
    repo.commit("材料免提交", "2026-03-02")
    site = build_site(project / "mkdocs.yml")
    kinds = {
        "home": "index.html",
        "hand-written": "about/index.html",
        "item": "items/zrzy/bdc-scdj/index.html",
        "other item": "items/zjj/sgxk/index.html",
        "department": "departments/zrzy/index.html",
        "index": "guide/index.html",
        "departments": "departments/index.html",
        "statistics": "stats/index.html",
        "chart": "items/zrzy/bdc-scdj/chart.html",
        "checklist": "print/zrzy/bdc-scdj/checklist.html",
        "notice": "print/zrzy/bdc-scdj/notice.html",
    }
    dates = {kind: _dates(site / path) for kind, path in kinds.items()}
    assert dates["item"] == ("2026-01-05", "2026-03-02")
    assert dates["other item"] == ("2026-01-05", "2026-01-05")
    assert dates["department"] == ("2026-01-05", "2026-03-02") and dates["index"] == ("2026-01-05", "2026-03-02")
    assert dates["hand-written"] == ("2026-01-05", "2026-01-05") and dates["chart"] == dates["item"]
    today = __import__("datetime").date.today().isoformat()
    assert all(today not in pair for pair in dates.values()) or today in ("2026-01-05", "2026-03-02")
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n本页于 2026 年 4 月补充。\n", encoding="utf-8")
    repo.commit("补充说明", "2026-04-01")
    site = build_site(project / "mkdocs.yml")
    assert _dates(site / "about/index.html") == ("2026-01-05", "2026-04-01")
    assert _dates(site / "complaint/index.html") == ("2026-01-05", "2026-01-05")


def test_without_git_the_pages_say_the_dates_are_unknown(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    site = build_site(copy_project(tmp_path / "project") / "mkdocs.yml")
    for path in ("index.html", "items/zjj/sgxk/index.html", "about/index.html"):
        text = (site / path).read_text(encoding="utf-8")
        assert "发布日期、更新日期：未知" in text and "更新日期：<time" not in text, path


# The self-check ---------------------------------------------------------------------------------------------


def test_the_self_check_passes_on_the_demo(tmp_path: Path) -> None:
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path / "project")
    Repo.at(project)
    site = build_site(project / "mkdocs.yml")
    assert not (site / "check").exists()  # no report page before a check: no developer's instruction in public
    assert "网站自检报告" not in (site / "stats/index.html").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--site", str(site), "--procedures", "procedures"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "网站自检：合格（单项否决 0 项；其余指标得分 100/100）" in done.stdout
    summary = (site / "check/index.html").read_text(encoding="utf-8")
    assert "结论：合格" in summary and "网站标识码：" in _footer(summary)
    checked = __import__("datetime").date.today().isoformat()
    assert f'更新日期：<time datetime="{checked}">' in summary  # the day the check ran, said as such
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert '<a href="../check/index.html">网站自检报告</a>' in stats
    import json

    data = json.loads((site / "check/report.json").read_text(encoding="utf-8"))
    assert data["passed"] is True and set(data["items"]["zjj/sgxk"].values()) == {True}


@pytest.mark.browser
def test_the_self_check_fails_and_names_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], browser: object
) -> None:
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path / "project")
    Repo.at(project)
    item = project / "procedures/zrzy/bdc-scdj.yml"
    text = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r"\n    fees:\n(?:      .*\n)+", "\n", text), encoding="utf-8")  # no 收费标准 at all
    site_yml = project / "procedures/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace('  site_code: "0000000000"\n', ""), "utf-8")
    site = build_site(project / "mkdocs.yml")
    (site / "forms/zjj/sgxk-sqb.pdf").unlink()  # a broken form link
    code = main(["check", "--site", str(site), "--procedures", str(project / "procedures")])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "单项否决 · 办事表格和附件不能下载：items/zjj/sgxk/index.html：链接指向不存在的文件 ../../../forms/zjj/sgxk-sqb.pdf"
        in out
    )
    assert "单项否决 · 网站身份信息缺失：procedures/site.yml：未填写政府网站标识码（identity.site_code）" in out
    assert "扣分 · 办事指南要素：items/zrzy/bdc-scdj/：国有建设用地使用权及房屋所有权首次登记：未公布收费标准" in out
    report = (site / "check/report.md").read_text(encoding="utf-8")
    assert "**结论：不合格**" in report and "| `zrzy/bdc-scdj` |" in report and "✗ 未公布" in report
    from .browser import new_page, shot
    from .test_accessibility import axe

    page = new_page(browser, 390, 844)
    with serve(site) as address:
        page.goto(address + "check/")
        assert "结论：不合格" in page.locator("article").inner_text()
        assert page.locator("header.md-header").is_visible()  # the site's own chrome, as on every page
        assert page.locator("title").inner_text().startswith("网站自检报告 - ")
        table = page.locator("table.bs-rules")  # the indicators fit a phone: names wrap, 单项否决 stays whole
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth && t.getBoundingClientRect().right <= 390")
        assert axe(page, checks=8) == []
        shot(page, "self-check-390")
    page.close()


def test_the_self_check_finds_undated_pages_external_resources_and_ipv4(tmp_path: Path) -> None:
    from generator.workflow.inspect import inspect

    from .conftest import VALID

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><body><p>更新日期：<time datetime="2026-01-05">2026-01-05</time></p>'
        '<script src="https://cdn.example.com/x.js"></script><a href="http://10.0.0.1/x">内网</a>'
        '<a href="missing/">坏链接</a><a href="#nowhere">坏锚点</a></body></html>',
        encoding="utf-8",
    )
    (site / "undated.html").write_text("<html><body><p>没有日期</p></body></html>", encoding="utf-8")
    from generator.load import load

    catalog = load(VALID, VALID.parent).catalog
    assert catalog is not None
    report = inspect(site, catalog)
    rules = {(f.rule, f.page) for f in report.findings}
    assert ("external", "index.html") in rules and ("ipv4", "index.html") in rules
    assert ("links", "index.html") in rules and ("dates", "undated.html") in rules
    assert not report.passed


# Fragments ----------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_fragment_works_in_a_blank_page_of_another_site(tmp_path: Path, browser: object) -> None:
    from .browser import new_page, shot
    from .test_accessibility import axe

    out = tmp_path / "fragments"
    assert main(["export", "--fragments", str(out), "--procedures", str(ROOT / "procedures")]) == 0
    fragment = (out / "zrzy/bdc-scdj.html").read_text(encoding="utf-8")
    assert "<script" not in fragment and "md-header" not in fragment and "bs-crumbs" not in fragment
    assert 'href="https://banshi.example.gov.cn/forms/zrzy/bdc-sqs.pdf"' in fragment  # absolute under the base URL
    assert not re.search(r'(?:href|src)="(?!https://|#|tel:|mailto:)', fragment)
    assert (out / "zrzy/bdc-scdj.json").is_file() and (out / "banshi-fragment.css").is_file()
    other = (out / "sthj/hpb.html").read_text(encoding="utf-8")  # a portal column shows several items at once
    host = tmp_path / "host.html"
    host.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>省级平台栏目</title>'
        '<link rel="stylesheet" href="fragments/banshi-fragment.css"></head>'
        f"<body><main>{fragment}{other}</main></body></html>",
        encoding="utf-8",
    )
    page = new_page(browser, 1280, 900)
    page.goto(host.as_uri())
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) > 40 and len(ids) == len(set(ids))  # unique, the charts' SVG ids too
    dangling = page.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"], label[for], [aria-labelledby]')].flatMap(e =>"
        " (e.getAttribute('href')?.slice(1) || e.getAttribute('for') || e.getAttribute('aria-labelledby'))"
        ".split(' ').filter(id => id && !document.getElementById(id)))"
    )
    assert dangling == []  # every in-page link, label and ARIA name still finds its target
    assert page.locator("#bs-zrzy-bdc-scdj-materials").is_visible()
    assert page.locator(".bs-fragment .bs-summary").first.is_visible()
    assert "不动产登记费" in page.locator(".bs-fragment .bs-summary").first.inner_text()
    assert page.locator(".bs-fragment").first.locator("table.bs-materials tbody tr").count() >= 3
    assert page.locator(".bs-fragment").first.locator(".bs-chart svg g.node").count() > 5
    complaint = page.locator(".bs-fragment #complaint ~ .bs-complaint, .bs-fragment .bs-complaint").first
    assert "效能投诉" in complaint.inner_text() and complaint.locator('a[href^="tel:"]').count() >= 2
    assert axe(page) == []
    shot(page, "fragment")
    page.close()


def test_fragments_need_an_https_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "export",
            "--fragments",
            str(tmp_path / "f"),
            "--base-url",
            "http://x",
            "--procedures",
            str(ROOT / "procedures"),
        ]
    )
    assert code == 2 and "https" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "f", ignore_errors=True)
