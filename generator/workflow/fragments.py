"""``python -m generator export --fragments OUT``: every item as an HTML fragment for a column of another site.

Under 集约化 a city's guide often lives as a column of the provincial platform.
Each fragment is the item page's content without the site's chrome (no header,
navigation, breadcrumbs or scripts: the templates leave them out for a fragment),
with its flowchart as inline SVG and every relative link made absolute under
the site's public address, so that it can be placed in any page.  ``banshi-fragment.css`` styles it (scoped to
``.bs-fragment``); ``<部门>/<事项>.json`` beside each fragment is the item in
the national exchange format (:mod:`generator.workflow.exchange`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import markdown

from ..model import Catalog, Procedure
from ..render.flowchart import flowchart_dot
from ..render.graphviz import inline_svg, run_dot
from ..render.pages import PageRenderer
from ..render.urls import Paths, page_url
from ..render.view import ItemView
from ..versions import History
from .exchange import HEADERS, TABLES, tables

CSS = Path(__file__).resolve().parent.parent.parent / "site_templates" / "fragment" / "banshi-fragment.css"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_URL = re.compile(r'\b(href|src)="([^"]*)"')
_ID_NAMES = re.compile(r'(?<![\w-])(id|for|aria-labelledby|aria-describedby|aria-controls|headers)="([^"]*)"')
_ID_LINKS = re.compile(r'(?<![\w-])((?:xlink:)?href)="#([^"]+)"|url\(#([^)]+)\)')


def write_fragments(catalog: Catalog, procedures: Path, out: Path, base_url: str, history: History) -> list[Path]:
    """Write every item's fragment and JSON into ``out`` (``<部门>/<事项>.html``, ``.json``) and the CSS."""
    out.mkdir(parents=True, exist_ok=True)
    renderer = PageRenderer(directory_urls=True, site_url=base_url, fragment=True)
    national = tables(catalog, procedures, procedures.parent)
    written = []
    for p in catalog.procedures:
        target = out / p.department / f"{p.id}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item_fragment(catalog, p, renderer, base_url, history), encoding="utf-8")
        data = target.with_suffix(".json")
        record = item_record(national.rows, p.department, p.id)
        data.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += [target, data]
    css = out / CSS.name
    css.write_text(CSS.read_text(encoding="utf-8"), encoding="utf-8")
    return [*written, css]


def item_fragment(catalog: Catalog, p: Procedure, renderer: PageRenderer, base_url: str, history: History) -> str:
    """One item's page as a fragment (also the editor's preview), with its flowchart inline."""
    view = ItemView.of(catalog, p, *history.of(p.identity), history.coverage)
    svg = inline_svg(run_dot(p.slug, flowchart_dot(view)), f"{p.name}办理流程图", f"{p.id}-steps") if p.flow else ""
    renderer.item_pages(view, svg)
    page = renderer.take().files[Paths.item(p)]
    address = base_url.rstrip("/") + "/" + page_url(Paths.item(p), True)
    return fragment(page, address, f"bs-{p.department}-{p.id}-")


def fragment(page: str, address: str, scope: str = "") -> str:
    """An item page's Markdown as a self-contained HTML fragment whose links work from anywhere; every id (and
    every reference to one) begins with ``scope``, so that several fragments can share one portal page."""
    body = markdown.markdown(_FRONT_MATTER.sub("", page), extensions=["attr_list", "tables"])

    def absolute(match: re.Match[str]) -> str:
        attribute, value = match.groups()
        if value.startswith(("#", "tel:", "mailto:", "data:")) or re.match(r"^[a-z][a-z0-9+.-]*:", value):
            return match.group(0)
        return f'{attribute}="{urljoin(address, value)}"'

    body = _scoped(_URL.sub(absolute, body), scope)
    return f'<article class="bs-fragment" lang="zh-CN">\n{body}\n</article>\n'


def _scoped(body: str, scope: str) -> str:
    """``body`` with ``scope`` in front of each id it declares and each reference to one (labels, ARIA, in-page
    links, the chart's SVG references)."""
    if not scope:
        return body

    def names(match: re.Match[str]) -> str:
        attribute, value = match.groups()
        return f'{attribute}="{" ".join(scope + name for name in value.split())}"'

    def links(match: re.Match[str]) -> str:
        attribute, target, url = match.groups()
        return f"url(#{scope}{url})" if url is not None else f'{attribute}="#{scope}{target}"'

    return _ID_LINKS.sub(links, _ID_NAMES.sub(names, body))


def item_record(rows: dict[str, list[list[str | int]]], department: str, item: str) -> dict[str, object]:
    """One item in the national exchange format: its 事项 row and its 申请材料 and 办理环节 rows."""
    own = next(r for r in rows["事项"] if r[0] == department and r[1] == item)
    record: dict[str, object] = {"事项": dict(zip(HEADERS["事项"], own, strict=True))}
    for table in TABLES[1:]:
        own_rows = [r for r in rows[table] if r[0] == department and r[1] == item]
        record[table] = [dict(zip(HEADERS[table], r, strict=True)) for r in own_rows]
    return record
