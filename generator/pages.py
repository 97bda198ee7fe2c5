"""Render the site's pages from the catalog through the Jinja2 templates in site_templates/.

Pages are Markdown files whose body is made of fixed Markdown headings and
raw HTML blocks.  All YAML text goes only into the HTML blocks, escaped by
Jinja2's autoescape, so Markdown never interprets it (no ``[x](javascript:…)``).
Links between generated pages are computed here, since MkDocs does not rewrite
links inside raw HTML.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from .barchart import Bar, bar_chart
from .escape import markdown_text
from .flow import critical_path
from .formats import PERSONAL_AUDIENCES
from .history import History
from .model import Catalog, Department, Procedure, days_text, format_number
from .stats import percent, statistics

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates" / "pages"


@dataclass(frozen=True)
class Paths:
    """Where every generated page lives, as paths relative to the docs folder."""

    @staticmethod
    def item(p: Procedure) -> str:
        return f"items/{p.department}/{p.id}.md"

    @staticmethod
    def chart(p: Procedure) -> str:
        return f"items/{p.department}/{p.id}.svg"

    @staticmethod
    def checklist(p: Procedure) -> str:
        return f"print/{p.department}/{p.id}/checklist.html"

    @staticmethod
    def notice(p: Procedure) -> str:
        return f"print/{p.department}/{p.id}/notice.html"

    @staticmethod
    def department(d: Department | str) -> str:
        return f"departments/{d if isinstance(d, str) else d.id}.md"

    @staticmethod
    def form(department: str, relative: str) -> str:
        return f"forms/{department}/{relative}"


INDEXES = {
    "guide/index.md": "按部门",
    "guide/by-type.md": "按事项类型",
    "guide/by-audience.md": "按服务对象",
    "guide/immediate.md": "即办件",
    "guide/one-visit.md": "最多跑一次",
    "guide/online.md": "全程网办",
    "departments/index.md": "部门与岗位",
}


STATS = "stats.md"
"""效能公开."""


def page_url(md_path: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives a page, relative to the site root."""
    stem, extension = posixpath.splitext(md_path)
    if extension != ".md":
        return md_path
    if posixpath.basename(stem) == "index":
        return posixpath.dirname(stem) + "/" if posixpath.dirname(stem) else ""
    return stem + "/" if directory_urls else stem + ".html"


@functools.lru_cache(maxsize=65536)
@functools.lru_cache(maxsize=65536)
def relative_link(from_md: str, to_path: str, directory_urls: bool) -> str:
    """A relative href from one page to another page or file."""
    here = page_url(from_md, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    target = page_url(to_path, directory_urls)
    link = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not link.endswith("/"):
        link += "/"
    return "./" if link == "./" or link == "." else link


class PageRenderer:
    """Renders every page of a catalog; one instance per build.

    With ``defer``, the HTML parts of a page are left out of the Markdown as
    markers and kept aside: ``early`` parts (what search indexes) go back in
    right after Markdown, ``late`` parts (charts, steps, contacts, history…)
    into the finished page, so that neither Markdown nor the search indexer
    parses them.  Markdown then sees little more than the headings, which
    halves the cost of a large build.  Without ``defer``, pages are complete.
    """

    def __init__(
        self, catalog: Catalog, directory_urls: bool = True, history: History | None = None, defer: bool = False
    ) -> None:
        self.catalog = catalog
        self.defer = defer
        self.early: dict[str, dict[str, str]] = {}
        """Page path → marker → HTML to put back before search indexes the page, when deferring."""
        self.late: dict[str, dict[str, str]] = {}
        """Page path → marker → HTML to put back into the finished page, when deferring."""
        self.history = history or History(reason="未提供版本历史")
        self.directory_urls = directory_urls
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["frontmatter"] = frontmatter_value
        self.env.filters["md"] = markdown_text
        self.env.filters["number"] = format_number
        self.env.globals.update(paths=Paths, days_text=days_text, catalog=catalog, site=catalog.site)

    def render(self, template: str, md_path: str, **context: object) -> str:
        def link(target: str) -> str:
            return relative_link(md_path, target, self.directory_urls)

        early = self._slots("early", md_path, self.early)
        late = self._slots("late", md_path, self.late)
        return self.env.get_template(template).render(link=link, page_path=md_path, early=early, late=late, **context)

    def _slots(self, kind: str, md_path: str, store: dict[str, dict[str, str]]) -> Callable[[str], Markup]:
        """A template function that sets HTML aside and leaves a marker (or, without defer, the HTML)."""

        def keep(html: str) -> Markup:
            if not self.defer:
                return Markup(html)
            slots = store.setdefault(md_path, {})
            marker = f"<!-- banshi:{kind} {len(slots)} -->"
            slots[marker] = str(html)
            return Markup(marker)

        return keep

    def item(self, procedure: Procedure, svg: str, json_ld: str = "") -> str:
        path, total = critical_path(procedure)
        return self.render(
            "item.md.j2",
            Paths.item(procedure),
            p=procedure,
            department=self.catalog.department(procedure.department),
            svg=Markup(svg),
            critical=[procedure.step(s) for s in path],
            critical_total=days_text(total, procedure.day_kind),
            refusals=refusals(procedure, self.catalog),
            position=lambda step: self.catalog.handler(procedure, step),
            history=self.history,
            deadline=_has_deadline(procedure),
            json_ld=Markup(json_ld),
            entries=self.history.entries.get(procedure.code, []),
            last_changed=self.history.last_changed.get(procedure.code, ""),
        )

    def pages(self, svgs: dict[str, str], json_ld: dict[str, str]) -> Iterator[tuple[str, str]]:
        """Every generated page as (path, text): Markdown pages, and the printable forms as standalone HTML.

        ``json_ld`` is each item's schema.org data, script-safe.
        """
        for p in self.catalog.procedures:
            yield from self.item_pages(p, svgs[p.slug], json_ld[p.slug])
        yield from self.shared_pages()

    def item_pages(self, p: Procedure, svg: str, json_ld: str) -> Iterator[tuple[str, str]]:
        """An item's page and its two printable forms."""
        yield Paths.item(p), self.item(p, svg, json_ld)
        department = self.catalog.department(p.department)
        yield (
            Paths.checklist(p),
            self.render("checklist.html.j2", Paths.checklist(p), p=p, department=department),
        )
        notice_context = {"p": p, "department": department, "refusals": refusals(p, self.catalog)}
        yield Paths.notice(p), self.render("notice.html.j2", Paths.notice(p), **notice_context)

    def shared_pages(self) -> Iterator[tuple[str, str]]:
        """Department pages, the statistics and the index pages."""
        for d in self.catalog.departments:
            items = self.catalog.items_of(d.id)
            yield (
                Paths.department(d),
                self.render("department.md.j2", Paths.department(d), d=d, items=items),
            )
        yield STATS, self.stats()
        for path, title in INDEXES.items():
            yield (
                path,
                self.render("index.md.j2", path, title=title, groups=self.groups(path), indexes=INDEXES),
            )

    def stats(self) -> str:
        """The 效能公开 page: numbers, SVG charts and the tables beside them."""
        s = statistics(self.catalog)
        convenience = [
            ("即办件", s.immediate, "guide/immediate.md"),
            ("最多跑一次", s.one_visit, "guide/one-visit.md"),
            ("全程网办", s.online, "guide/online.md"),
        ]
        charts = {
            "convenience": bar_chart(
                "chart-convenience",
                "即办件、最多跑一次和全程网办事项的占比",
                [Bar(name, float(s.share(count)), percent(s.share(count))) for name, count, _ in convenience],
                1.0,
                "stat-convenience",
            ),
            "departments": bar_chart(
                "chart-departments",
                "各部门公开的事项数",
                [Bar(r.department.short_name, r.count, f"{r.count} 项") for r in s.departments],
                max((r.count for r in s.departments), default=1),
                "stat-departments",
            ),
            "compression": bar_chart(
                "chart-compression",
                "各部门承诺时限比法定时限平均压缩的比例",
                [
                    Bar(r.department.short_name, float(r.compression or 0), percent(r.compression))
                    for r in s.departments
                ],
                1.0,
                "stat-compression",
            ),
        }
        compared = {
            r.department.id: sum(c.procedure.department == r.department.id for c in s.ranked) for r in s.departments
        }
        ranking = [("压缩最多的事项", s.ranked[:5]), ("压缩最少的事项", s.ranked[::-1][:5])]
        type_totals = {t: sum(r.by_type[t] for r in s.departments) for t in s.types}
        return self.render(
            "stats.md.j2",
            STATS,
            s=s,
            charts=charts,
            convenience=convenience,
            compared=compared,
            ranking=ranking,
            type_totals=type_totals,
            percent=percent,
        )

    def groups(self, path: str) -> list[tuple[str, list[Procedure]]]:
        """The grouped item lists of one index page."""
        items = list(self.catalog.procedures)
        by_department = [(d.name, list(self.catalog.items_of(d.id))) for d in self.catalog.departments]
        table: dict[str, list[tuple[str, list[Procedure]]]] = {
            "guide/index.md": by_department,
            "departments/index.md": by_department,
            "guide/by-type.md": [
                (t.name, [p for p in items if p.type == t.name]) for t in self.catalog.site.item_types
            ],
            "guide/by-audience.md": [
                ("个人办事", [p for p in items if set(p.audience) & set(PERSONAL_AUDIENCES)]),
                ("法人办事", [p for p in items if set(p.audience) - set(PERSONAL_AUDIENCES)]),
            ],
            "guide/immediate.md": [("即办件", [p for p in items if p.kind == "即办件"])],
            "guide/one-visit.md": [("最多跑一次", [p for p in items if p.visits <= 1])],
            "guide/online.md": [("全程网办", [p for p in items if p.online.level == "全程网办"])],
        }
        return [(name, group) for name, group in table[path] if group]


@dataclass(frozen=True)
class Refusal:
    """A possible reason for a 滞办反馈告知书, with who decides it."""

    result: str
    """补正, 不予受理 or 不予许可."""
    reason: str
    """The outcome's ``when``, stated as the reason."""
    step: str
    """Name of the step that decides."""
    handler: str
    """Title of the position that decides (the 经办岗位)."""


def refusals(procedure: Procedure, catalog: Catalog) -> list[Refusal]:
    """Every outcome that defers (补正) or refuses the application, in step order."""
    return [
        Refusal(o.result, o.when, s.name, catalog.handler(procedure, s))
        for s in procedure.steps
        for o in s.outcomes
        if o.is_terminal or o.is_rework
    ]


def _has_deadline(p: Procedure) -> bool:
    """承诺件 whose limits are counted in days get the deadline calculator."""
    limits = (p.time_limits.committed, p.time_limits.statutory)
    return p.kind == "承诺件" and all(limit.unit in ("工作日", "自然日") for limit in limits)


def frontmatter_value(value: str) -> Markup:
    """A YAML scalar for front matter; HTML-escaped because Material prints titles raw."""
    dumped = yaml.safe_dump(str(escape(value)), allow_unicode=True, default_style='"', width=10_000)
    return Markup(dumped.strip().removesuffix("...").strip())
