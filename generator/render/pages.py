"""Render the site's pages through the Jinja2 templates in site_templates/pages/.

Pages are Markdown files whose body is made of fixed Markdown headings and
raw HTML blocks.  All YAML text goes only into the HTML blocks, escaped by
Jinja2's autoescape, so Markdown never interprets it (no ``[x](javascript:…)``).

An item page is rendered from an :class:`ItemView` alone: everything the page
shows comes from it, so a digest of the view is a complete cache key.

With ``defer``, a page's HTML blocks are left out of the Markdown as markers
and kept aside (see :class:`Parts`): ``indexed`` blocks (what search indexes)
go back right after Markdown, ``unindexed`` ones (charts, steps, contacts…)
into the finished page, so that neither Markdown nor the search indexer parses
them.  Without ``defer``, pages are complete.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from ..bundles import chosen, materials, provided
from ..contract.values import LOCAL_PHONE, PHONE_PATTERN
from ..contract.vocab import PERSONAL_AUDIENCES
from ..contract.yaml12 import Json
from ..model import (
    Bodies,
    BundleSituation,
    Catalog,
    Procedure,
    Site,
    area_code,
    days_text,
    format_number,
    is_complaint_label,
)
from ..records.figures import Performance
from ..steps import all_timed, critical_path
from .bundle import BundleView
from .completeness import Completeness, combined, completeness
from .escape import anchor, markdown_text
from .performance import item_line
from .qr import qr_svg
from .stats import percent, stats_page
from .summary import (
    fee_flag,
    fee_range,
    fee_text,
    fee_words,
    limit_range,
    limits_words,
    time_words,
    visits_range,
    visits_words,
)
from .urls import Paths, page_url, relative_link
from .view import ItemView

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "site_templates" / "pages"

STATS = "stats.md"
"""效能公开."""


@dataclass(frozen=True)
class Index:
    """An index page: a title, what it lists in one line, and how it groups the items."""

    title: str
    definition: str
    group: Callable[[Catalog], list[tuple[str, list[Procedure]]]]
    by_department: bool = False
    """Grouped by department: the group headings link to the department pages, the lists omit the department."""


def _by_department(c: Catalog) -> list[tuple[str, list[Procedure]]]:
    return [(d.name, list(c.items_of(d.id))) for d in c.departments]


def _where(keep: Callable[[Procedure], bool]) -> Callable[[Catalog], list[tuple[str, list[Procedure]]]]:
    return lambda c: [("", [p for p in c.procedures if keep(p)])]


INDEXES: dict[str, Index] = {
    "guide/index.md": Index("按部门", "本市各部门公开的全部办事事项，按办理部门排列。", _by_department, True),
    "guide/by-topic.md": Index(
        "按主题",
        "按办事的人生事件和企业事件排列，一个事项可以属于几个主题。",
        lambda c: (
            [(t, [p for p in c.procedures if t in (p.topics or ())]) for t in c.site.topics or ()]
            + [("其他事项", [p for p in c.procedures if not p.topics])]
        ),
    ),
    "guide/by-type.md": Index(
        "按事项类型",
        "按国家规定的事项类型排列：行政许可、行政确认、行政给付、公共服务等。",
        lambda c: (
            [(t, [p for p in c.procedures if p.type == t]) for t in c.site.type_names]
            + [("事项类型未公布", [p for p in c.procedures if p.type is None])]
        ),
    ),
    "guide/by-audience.md": Index(
        "按服务对象",
        "个人办事，和企业、社会组织等法人办事。",
        lambda c: [
            ("个人办事", [p for p in c.procedures if set(p.audience or ()) & set(PERSONAL_AUDIENCES)]),
            ("法人办事", [p for p in c.procedures if set(p.audience or ()) - set(PERSONAL_AUDIENCES)]),
            ("服务对象未公布", [p for p in c.procedures if p.audience is None]),
        ],
    ),
    "guide/immediate.md": Index(
        "即办件", "指南标明为即办件的事项，各事项的办理时限照指南写在列表中。", _where(lambda p: p.kind == "即办件")
    ),
    "guide/one-visit.md": Index(
        "最多跑一次",
        "到办事现场不超过一次的事项，包括不用到现场的。",
        _where(lambda p: p.visits is not None and p.visits <= 1),
    ),
    "guide/online.md": Index(
        "全程网办",
        "申请、受理、审查、决定和送达全部可以在网上完成的事项。",
        _where(lambda p: p.online is not None and p.online.level == "全程网办"),
    ),
}
"""Every index page of the guide; mkdocs.yml's ``nav`` lists the same paths."""
BUNDLES = "bundles/index.md"
"""高效办成一件事: the index of the bundles."""
BUNDLE_SECTIONS = {
    "members": "办理的事项",
    "materials": "申请材料",
    "flowchart": "办理流程",
    "place": "办理地点和时间",
    "consult": "咨询方式",
    "commitments": "办理时限和承诺",
    "complaint": "监督投诉",
    "basis": "设定依据",
    "history": "变更记录",
}
"""A 一件事 page's sections after its situations, id → heading (the page's 本页目录 lists the same)."""
DEPARTMENTS = "departments/index.md"
"""部门与岗位: a directory of the departments."""


def item_sections(p: Procedure, deadline: bool) -> dict[str, str]:
    """The item page's sections, id → heading, in order: what the applicant brings and where they go first,
    the department's internal process (chart, steps) after.  The page's 本页目录 lists the same."""
    sections = {
        "situations": "办理情形" if p.situations else "",
        "materials": "申请材料（一次性告知）",
        "conditions": "受理条件",
        "intermediaries": "中介服务" if p.intermediaries else "",
        "fees": "收费",
        "place": "办理地点和时间",
        "consult": "咨询方式",
        "deadline": "什么时候能办完" if deadline else "",
        "flowchart": "办理流程图",
        "steps": "办理步骤",
        "result": "办理结果",
        "commitments": "服务承诺",
        "complaint": "监督投诉",
        "basis": "设定依据",
        "faq": "常见问题" if p.faq else "",
        "about": "事项信息",
        "history": "变更记录",
    }
    return {section: title for section, title in sections.items() if title}


JUMPS = (("materials", "材料"), ("place", "地点"), ("fees", "收费"), ("flowchart", "流程"), ("complaint", "投诉"))
"""The row of jump links under an item's summary: what people look for, in the order they need it."""


_PHONE_IN_TEXT = re.compile(rf"(?<![\w-]){PHONE_PATTERN}(?![\w-])")


def with_phone_links(text: str) -> Markup:
    """Free text (a review body with its address and number…) escaped, each phone number in it a tel: link."""
    parts = _PHONE_IN_TEXT.split(str(escape(text)))
    numbers = _PHONE_IN_TEXT.findall(str(escape(text)))
    out = [parts[0]]
    for number, after in zip(numbers, parts[1:], strict=True):
        out.append(f'<a href="{escape(tel(number))}">{number}</a>{after}')
    return Markup("".join(out))


ICP_QUERY = "https://beian.miit.gov.cn/"
"""The 工业和信息化部 ICP/IP地址/域名信息备案管理系统, where an ICP备案号 is looked up."""
POLICE_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code="
"""The 全国互联网安全管理服务平台's query page for a 公安机关备案号 (its fourteen digits follow)."""
IDENTITY_ASSETS = "assets/identity/"
"""Where the 党政机关网站标识 is published."""


def police_query(record: str) -> str:
    """The query page of one 公安机关备案号."""
    return POLICE_QUERY + "".join(c for c in record if c.isdigit())


def badge_path(badge: str) -> str:
    """Where the 党政机关网站标识 is published, from its path in procedures/."""
    return IDENTITY_ASSETS + posixpath.basename(badge)


def tel(phone: str, area: str | None = None) -> str:
    """A tap-to-call address: spaces removed, an extension (转 801) dialled after a pause.  A local number (no area
    code, as county guides print it) is dialled as written, or in full international form when ``area`` is known."""
    number = phone.replace(" ", "").replace("转", ",")
    if area and LOCAL_PHONE.match(phone.replace(" ", "")):
        return f"tel:+86-{area.removeprefix('0')}-{number}"
    return "tel:" + number


@jinja2.pass_context
def _tel_filter(context: jinja2.runtime.Context, phone: str, area: str | None = None) -> str:
    """``| tel``: the page's ``area_code`` (the department's, or the site's) unless one is given."""
    found = context.get("area_code")
    return tel(phone, area or (found if isinstance(found, str) else None))


@dataclass
class Parts:
    """Rendered files and the HTML set aside from their Markdown (empty without ``defer``)."""

    files: dict[str, str] = field(default_factory=dict)
    """Path relative to the docs folder → text (Markdown pages, standalone HTML, JSON…)."""
    indexed: dict[str, dict[str, str]] = field(default_factory=dict)
    """Page path → marker → HTML that search indexes, put back after Markdown."""
    unindexed: dict[str, dict[str, str]] = field(default_factory=dict)
    """Page path → marker → HTML that search does not index, put into the finished page."""
    stored: dict[str, str] = field(default_factory=dict)
    """Path relative to the docs folder → the file on disk that holds its text (files that the cache layer,
    :mod:`generator.speed.store`, moved out of memory)."""
    parked: dict[str, str] = field(default_factory=dict)
    """Page path → the file on disk that holds its set-aside HTML (``{"indexed": …, "unindexed": …}``)."""

    def to_json(self) -> dict[str, object]:
        return {
            "files": self.files,
            "indexed": self.indexed,
            "unindexed": self.unindexed,
            "stored": self.stored,
            "parked": self.parked,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Json]) -> Parts:
        """The inverse of :meth:`to_json` (for the cache); ValueError when ``data`` is not one."""
        return cls(
            _texts(data["files"]),
            _nested(data["indexed"]),
            _nested(data["unindexed"]),
            _texts(data["stored"]),
            _texts(data["parked"]),
        )


def _texts(value: Json) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("not a mapping of texts")
    return {k: str(v) for k, v in value.items()}


def _nested(value: Json) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise ValueError("not a mapping")
    return {k: _texts(v) for k, v in value.items()}


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled once per process, not once per renderer (``mkdocs serve`` makes one per rebuild).  Jinja
    keys them by name and checks each against its source's checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.kept.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()


def compile_templates(templates: Path = TEMPLATES) -> None:
    """Compile every page template now (into :data:`COMPILED`), so that a later renderer finds them compiled: after
    ``mkdocs serve``'s first build, whose item pages came from the cache or from forked workers."""
    env = PageRenderer(templates=templates).env
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


class PageRenderer:
    """Renders pages; one instance per build (and per worker)."""

    def __init__(
        self,
        directory_urls: bool = True,
        defer: bool = False,
        templates: Path = TEMPLATES,
        site_url: str = "",
        fragment: bool = False,
    ) -> None:
        """``fragment``: pages for a column of another site (:mod:`generator.workflow.fragments`), without the site's
        own navigation (breadcrumbs, jump links) and scripts."""
        self.directory_urls = directory_urls
        self.defer = defer
        self.site_url = site_url
        self.parts = Parts()
        self._facts: dict[int, tuple[Procedure, tuple[str, str, str]]] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            bytecode_cache=COMPILED,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.do"],
        )
        self.env.filters.update(
            frontmatter=frontmatter_value,
            md=markdown_text,
            number=format_number,
            tel=_tel_filter,
            anchor=anchor,
            phones=with_phone_links,
        )
        self.env.globals.update(
            fragment=fragment,
            paths=Paths,
            days_text=days_text,
            time_words=time_words,
            visits_words=visits_words,
            fee_words=fee_words,
            fee_flag=fee_flag,
            fee_text=fee_text,
            limits_words=limits_words,
            item_line=item_line,
            qr=self.qr,
            facts=self.facts,
            icp_query=ICP_QUERY,
            police_query=police_query,
            badge_path=badge_path,
        )

    def facts(self, p: Procedure) -> tuple[str, str, str]:
        """How long, how many visits and whether one pays, in the words of item lists (:func:`time_words`,
        :func:`visits_words`, :func:`fee_flag`): worked out once per item, which every index page lists."""
        hit = self._facts.get(id(p))
        if hit is None or hit[0] is not p:
            hit = (p, (time_words(p), visits_words(p), fee_flag(p)))
            self._facts[id(p)] = hit
        return hit[1]

    def qr(self, path: str, query: str = "") -> Markup:
        """A QR code (inline SVG) of a page's public address (with ``query``, such as ``?situation=…``); nothing
        when the site has no public address."""
        if not self.site_url:
            return Markup("")
        return Markup(qr_svg(self.site_url.rstrip("/") + "/" + page_url(path, self.directory_urls) + query))

    def take(self) -> Parts:
        """The pages rendered so far, and their set-aside HTML; the renderer starts afresh."""
        parts, self.parts = self.parts, Parts()
        return parts

    def render(self, template: str, path: str, **context: object) -> None:
        """Render ``template`` as the file ``path``."""

        def link(target: str) -> str:
            return relative_link(path, target, self.directory_urls)

        def md_link(target: str) -> str:
            """A link for Markdown (not raw HTML): to the source file, which MkDocs resolves and checks."""
            return posixpath.relpath(target, posixpath.dirname(path) or ".")

        indexed = self._keeper("indexed", path, self.parts.indexed)
        unindexed = self._keeper("unindexed", path, self.parts.unindexed)
        text = self.env.get_template(template).render(
            link=link, md_link=md_link, page_path=path, indexed=indexed, unindexed=unindexed, **context
        )
        self.parts.files[path] = text

    def snippet(self, template: str, **context: object) -> str:
        """A piece of HTML for a hand-written page (see :data:`generator.render.site.SNIPPETS`)."""
        return self.env.get_template(template).render(**context)

    def _keeper(self, kind: str, path: str, store: dict[str, dict[str, str]]) -> Callable[..., Markup]:
        """A ``{% call %}`` target that sets its body aside and leaves a marker (or, without defer, the body)."""

        def keep(caller: Callable[[], str]) -> Markup:
            html = caller()
            if not self.defer:
                return Markup(html)
            slots = store.setdefault(path, {})
            marker = f"<!-- banshi:{kind} {len(slots)} -->"
            slots[marker] = str(html)
            return Markup(marker)

        return keep

    def item_pages(self, view: ItemView, svg: str, json_ld: str = "") -> None:
        """An item's page and its two printable forms."""
        p = view.procedure
        path, total = critical_path(p) if p.flow else ((), Fraction(0))
        common = {
            "p": p,
            "view": view,
            "department": view.department,
            "site": view.site,
            "situation": None,
            "pause": view.pause,
            "area_code": view.area_code,
            "notice_promise": view.notice_promise,
        }
        deadline = _has_deadline(p)
        self.render(
            "item.md.j2",
            Paths.item(p),
            **common,
            sections=item_sections(p, deadline),
            jumps=JUMPS,
            description=f"{p.name}：{view.department.name}办理，{time_words(p)}，{visits_words(p)}，{fee_words(p)}。",
            svg=Markup(svg),
            critical=[p.step(s) for s in path],
            critical_total=days_text(total, p.day_kind),
            critical_total_days=total,
            critical_timed=all_timed(p),
            refusals=refusals(view),
            position=view.handler,
            deadline=deadline,
            day_rule=day_rule(p),
            situation_views=list(zip(p.situations or (), p.variants, strict=True)),
            ranges={
                "committed": limit_range(p, lambda v: v.committed),
                "statutory": limit_range(p, lambda v: v.statutory),
                "fees": fee_range(p),
                "visits": visits_range(p),
            },
            json_ld=Markup(json_ld),
            complete=completeness(view),
        )
        self.render("checklist.html.j2", Paths.checklist(p), **common)
        for situation, variant in zip(p.situations or (), p.variants, strict=True):
            self.render(
                "checklist.html.j2",
                Paths.checklist(p, situation.id),
                **{**common, "p": variant, "situation": situation},
            )
        self.render("notice.html.j2", Paths.notice(p), **common, refusals=refusals(view), rework=view.rework)
        if p.flow:
            self.render("chart.html.j2", Paths.chart_page(p), **common, svg=Markup(svg), critical_timed=all_timed(p))

    def bundle_pages(self, view: BundleView, svg: str, json_ld: str = "") -> None:
        """A 一件事's page, its 一次性告知单 (of all situations and of each) and its 滞办反馈告知书."""
        b = view.bundle
        common = {"b": b, "view": view, "site": view.site, "guide": Paths.bundle(b), "issuer": view.lead.name}
        sections = {"situations": "办理情形"} if view.situations else {}
        sections |= BUNDLE_SECTIONS
        self.render(
            "bundle.md.j2",
            Paths.bundle(b),
            **common,
            sections=sections,
            description=view.description,
            svg=Markup(svg),
            json_ld=Markup(json_ld),
        )
        for situation in (None, *(b.situations or ())):
            self._bundle_checklist(view, situation, common)
        reasons = [(m, refusals(m.view)) for m in view.members]
        self.render("bundle_notice.html.j2", Paths.bundle_notice(b), **common, situation=None, refusals=reasons)

    def _bundle_checklist(
        self, view: BundleView, situation: BundleSituation | None, common: Mapping[str, object]
    ) -> None:
        """The 一次性告知单 of a 一件事 for one situation (all members when None)."""
        b, chosen_id = view.bundle, situation.id if situation else None
        items = {m.procedure.slug: m.procedure for m in view.members}
        self.render(
            "bundle_checklist.html.j2",
            Paths.bundle_checklist(b, chosen_id or ""),
            **common,
            situation=situation,
            members=[items[m.item] for m in chosen(b, chosen_id) if m.item in items],
            needed=materials(b, items, chosen_id),
            provided=provided(items, chosen(b, chosen_id)),
            notice_promise=view.notice_promise,
        )

    def bundles_index(self, views: list[BundleView], site: Site) -> None:
        """高效办成一件事: every bundle with its members and answers."""
        self.render("bundles.md.j2", BUNDLES, views=views, site=site)

    def shared_pages(self, catalog: Catalog, performance: Performance | None = None) -> None:
        """Department pages, the statistics and the index pages."""
        common = {"catalog": catalog, "site": catalog.site}
        scores = {p.slug: completeness(ItemView.of(catalog, p)) for p in catalog.procedures}
        taking_part = [(p, set(p.departments)) for p in catalog.procedures]
        for d in catalog.departments:
            own = catalog.items_of(d.id)
            joined = [p for p, ids in taking_part if p.department != d.id and d.id in ids]
            complete = combined(scores[p.slug] for p in own)
            self.render(
                "department.md.j2",
                Paths.department(d),
                **common,
                d=d,
                items=own,
                joined=joined,
                complete=complete,
                bodies=Bodies.of(catalog.site, d),
                complaint_channels=[c for c in d.contacts or () if is_complaint_label(c.label)],
                area_code=area_code(catalog.site, d),
            )
        self.stats(catalog, scores, performance)
        titles = {path: index.title for path, index in INDEXES.items()}
        for path, index in INDEXES.items():
            groups = [(name, items) for name, items in index.group(catalog) if items]
            self.render("index.md.j2", path, **common, index=index, groups=groups, indexes=titles)
        counts = {d.id: len(catalog.items_of(d.id)) for d in catalog.departments}
        self.render(
            "departments.md.j2",
            DEPARTMENTS,
            **common,
            counts=counts,
            bodies_of={d.id: Bodies.of(catalog.site, d) for d in catalog.departments},
            area_codes={d.id: area_code(catalog.site, d) for d in catalog.departments},
        )

    def stats(self, catalog: Catalog, scores: Mapping[str, Completeness], performance: Performance | None) -> None:
        """The 效能公开 page: the case records' figures (when there are records), the catalogue's numbers,
        SVG charts and the tables beside them; ``scores`` is each item's 公开完整度, by slug."""
        links = {d.id: relative_link(STATS, Paths.department(d), self.directory_urls) for d in catalog.departments}
        page = stats_page(catalog, scores, performance, links)
        self.render("stats.md.j2", STATS, catalog=catalog, site=catalog.site, percent=percent, **page.context())


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


def refusals(view: ItemView) -> list[Refusal]:
    """Every outcome that defers (补正) or refuses the application, in step order."""
    return [
        Refusal(o.result, o.when, s.name, view.handler(s))
        for s in view.procedure.flow
        for o in s.alternatives
        if o.is_terminal or o.is_rework
    ]


def _has_deadline(p: Procedure) -> bool:
    """Items whose committed limit (or, when only situations state one, a situation's) counts days of a known kind
    get the deadline calculator; 即办件 do not."""
    if p.kind == "即办件":
        return False
    return any(_computable(v) for v in ((p,) if p.committed else p.variants))


def _computable(p: Procedure) -> bool:
    """A committed limit that is a promise in days of a known kind (so a deadline can be computed)."""
    committed = p.committed
    if committed is None or committed.lower:
        return False
    return committed.unit in ("工作日", "自然日", "日") and p.day_kind_of(committed) is not None


def day_rule(p: Procedure) -> str:
    """How a limit written in 日 (or 天) was read, for the page to say; empty when no limit uses 日."""
    limits = [p.committed, p.statutory, *(s.time for s in p.flow)]
    if not any(limit is not None and limit.unit == "日" for limit in limits):
        return ""
    if p.type is None:
        return "事项类型未公布，写作“日”的时限无法确定按工作日还是自然日计算。"
    if p.type == "行政许可":
        return "写作“日”的时限按工作日计算（《中华人民共和国行政许可法》第八十二条）。"
    return "写作“日”的时限按自然日计算（本事项不是行政许可）。"


def frontmatter_value(value: str) -> Markup:
    """A YAML scalar for front matter; HTML-escaped because Material prints titles raw."""
    dumped = yaml.safe_dump(str(escape(value)), allow_unicode=True, default_style='"', width=10_000)
    return Markup(dumped.strip().removesuffix("...").strip())
