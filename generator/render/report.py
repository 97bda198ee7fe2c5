"""The page of the self-check's summary (``check/index.html``): a placeholder from the build until
``python -m generator check`` writes the report (:mod:`generator.workflow.inspect`)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from ..model import Site
from .pages import STATS, PageRenderer
from .urls import page_url

REPORT_FOLDER = "check"


def report_page(renderer: PageRenderer, site: Site, body: Markup, checked: date | None) -> str:
    """A standalone page in the printable forms' style, with the site's identity in its footer."""
    stats = page_url(STATS, renderer.directory_urls)
    return renderer.snippet(
        "report.html.j2", site=site, body=body, checked=checked and checked.isoformat(), stats=stats
    )


def placeholder(renderer: PageRenderer, site: Site) -> str:
    body = Markup("<p>本次构建之后还没有运行自检。运行 <code>python -m generator check</code> 生成报告。</p>")
    return report_page(renderer, site, body, None)
