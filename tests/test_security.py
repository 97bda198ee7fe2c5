"""Hostile YAML text: escaped in HTML, Markdown and DOT; the chart still renders."""

from __future__ import annotations

import re
from pathlib import Path

from generator.load import load
from generator.mkdocs.build import build_site
from generator.render.flowchart import flowchart_dot
from generator.render.view import ItemView
from generator.speed.charts import ChartStats, render_svgs

from .conftest import copy_project

HOSTILE = {
    "name: 建设工程规划许可证核发": 'name: "<script>alert(1)</script>规划许可 </title><b>"',
    "    does: 查验申请材料是否齐全、符合法定形式。": '    does: "\\" onmouseover=\\"alert(2)\\" [点我](javascript:alert(3)) {{ config }} {% raw %}"',
    "  - 建设项目已按规定办理立项（审批、核准或备案）手续。": '  - "<img src=x onerror=alert(4)> ]]> --> \\"}; evil [shape=box URL=\\"javascript:alert(5)\\"] {"',
    "    name: 技术审查": '    name: "技\\"审\\\\\\"; x [label=<b>]; }<br/>{"',
    "      - when: 符合规划条件": "      - when: \"<a href='javascript:alert(6)'>x</a> &amp; &lt;\"",
}


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    item = project / "procedures" / "zrzy" / "jsgc-ghxk.yml"
    text = item.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text, old
        text = text.replace(old, new)
    item.write_text(text + 'topics: ["<i onclick=f()>工</i>"]\n', encoding="utf-8")
    site_yml = project / "procedures" / "site.yml"  # the home page's tiles show the item and the topic
    site_text = site_yml.read_text(encoding="utf-8").replace("popular: [", "popular: [zrzy/jsgc-ghxk, ")
    site_yml.write_text(site_text.replace("topics: [", 'topics: ["<i onclick=f()>工</i>", '), "utf-8")
    result = load(project / "procedures", project)
    assert result.catalog is not None, [d.text() for d in result.diagnostics]

    dot = flowchart_dot(ItemView.of(result.catalog, next(p for p in result.catalog.procedures if p.id == "jsgc-ghxk")))
    assert "URL" not in dot and "[label=<b>]" not in dot
    assert "x [label=&lt;b&gt;]" in dot  # the attacker's DOT stayed text inside a label
    assert "<a href" not in dot and "&lt;a href=" in dot

    site = build_site(project / "mkdocs.yml")
    page = (site / "items" / "zrzy" / "jsgc-ghxk" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert not re.search(r"<[^>]+\son(mouseover|error)\s*=", page)
    assert not re.search(r"href=[\"']?\s*javascript:", page, re.I)
    assert "{{ config }}" in page  # shown as text, never evaluated
    assert "&lt;script&gt;alert(1)&lt;/script&gt;规划许可" in page
    assert "<title>&lt;script&gt;" in page  # the browser title is escaped too
    start = page.index('<svg role="img"')
    svg = page[start : page.index("</svg>", start)]
    assert "<text" in svg and "<script" not in svg and "<a " not in svg
    assert not re.search(r"<[^>]*\shref\s*=", svg)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;规划许可" in home and "&lt;i onclick=f()&gt;工" in home
    for other in site.rglob("*.html"):  # every page, the theme's own templates included
        html = other.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html and "<i onclick" not in html, other


def test_unchanged_charts_are_not_rendered_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    catalog = load(project / "procedures", project).catalog
    assert catalog is not None
    sources = {p.slug: flowchart_dot(ItemView.of(catalog, p)) for p in catalog.procedures[:3]}
    cold, warm = ChartStats(), ChartStats()
    first = render_svgs(sources, tmp_path / "cache", cold)
    second = render_svgs(sources, tmp_path / "cache", warm)
    assert (cold.rendered, cold.cached) == (3, 0)
    assert (warm.rendered, warm.cached) == (0, 3)
    assert first == second
