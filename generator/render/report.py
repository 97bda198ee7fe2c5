"""The page of the self-check's summary (``check/index.html``), written by ``python -m generator check``
(:mod:`generator.workflow.inspect`) and only then: a build publishes no report page and no link to one.

The page wears the site's own chrome: the built ``404.html`` (a theme page, with the site's header, navigation,
search and footer, and root-relative links that work in any folder) with its content, between the markers of
``overrides/404.html``, replaced by the report.  The statistics page gets its link to the report between the
markers of ``stats.md.j2``.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from ..model import Site
from .pages import STATS, PageRenderer
from .urls import page_url

REPORT_FOLDER = "check"
PAGE = ("<!-- banshi:page -->", "<!-- /banshi:page -->")
"""Where a theme page's own content starts and ends (overrides/404.html)."""
REPORT_LINK = ("<!-- banshi:check-link -->", "<!-- /banshi:check-link -->")
"""Where the statistics page says where the self-check's report is (stats.md.j2)."""
TITLE = "网站自检报告"


def report_page(renderer: PageRenderer, site: Site, body: Markup, checked: date, shell: str | None) -> str:
    """The report in the chrome of ``shell`` (the built 404 page); a plain page when the site has none."""
    content = renderer.snippet("report.html.j2", body=body, checked=checked.isoformat())
    if shell is not None and all(marker in shell for marker in PAGE) and "<title>" in shell:
        head, rest = shell.split("<title>", 1)
        title = f"<title>{escape(TITLE)} - {escape(site.title)}</title>"
        page = head + title + rest.split("</title>", 1)[1]
        before, after = page.split(PAGE[0], 1)
        return before + PAGE[0] + content + PAGE[1] + after.split(PAGE[1], 1)[1]
    stats = page_url(STATS, renderer.directory_urls)
    return renderer.snippet("report_page.html.j2", site=site, content=Markup(content), stats=stats)


def with_report_link(stats_page: str, href: str) -> str:
    """The statistics page with the sentence that links the report (written again by each check)."""
    if not all(marker in stats_page for marker in REPORT_LINK):
        return stats_page
    before, after = stats_page.split(REPORT_LINK[0], 1)
    sentence = f'本站按《政府网站与政务新媒体检查指标》自查的结果见<a href="{escape(href)}">{TITLE}</a>。'
    return before + REPORT_LINK[0] + sentence + REPORT_LINK[1] + after.split(REPORT_LINK[1], 1)[1]
