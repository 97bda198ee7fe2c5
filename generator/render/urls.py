"""Where every generated page lives, and the links between them.

Links inside raw HTML are not rewritten by MkDocs, so they are computed here,
for both ``use_directory_urls`` settings.
"""

from __future__ import annotations

import functools
import posixpath

from ..model import Bundle, Department, Procedure


class Paths:
    """Paths of generated files, relative to the docs folder."""

    @staticmethod
    def item(p: Procedure) -> str:
        return f"items/{p.department}/{p.id}.md"

    @staticmethod
    def chart(p: Procedure) -> str:
        return f"items/{p.department}/{p.id}.svg"

    @staticmethod
    def chart_page(p: Procedure) -> str:
        """The chart on its own page, full size (for phones)."""
        return f"items/{p.department}/{p.id}/chart.html"

    @staticmethod
    def checklist(p: Procedure, situation: str = "") -> str:
        """The printable 一次性告知单: of all situations, or of one."""
        return f"print/{p.department}/{p.id}/checklist{'-' + situation if situation else ''}.html"

    @staticmethod
    def notice(p: Procedure) -> str:
        return f"print/{p.department}/{p.id}/notice.html"

    @staticmethod
    def data(p: Procedure) -> str:
        return f"data/items/{p.department}/{p.id}.json"

    @staticmethod
    def department(d: Department | str) -> str:
        return f"departments/{d if isinstance(d, str) else d.id}.md"

    @staticmethod
    def bundle(b: Bundle) -> str:
        """A 一件事 page."""
        return f"bundles/{b.id}.md"

    @staticmethod
    def bundle_checklist(b: Bundle, situation: str = "") -> str:
        """A 一件事's printable 一次性告知单: of all situations, or of one (``print/bundles/`` is never a
        department's: no department folder may be called ``bundles``)."""
        return f"print/bundles/{b.id}/checklist{'-' + situation if situation else ''}.html"

    @staticmethod
    def bundle_notice(b: Bundle) -> str:
        return f"print/bundles/{b.id}/notice.html"

    @staticmethod
    def bundle_data(b: Bundle) -> str:
        return f"data/bundles/{b.id}.json"

    @staticmethod
    def form(department: str, relative: str) -> str:
        """Where a department's form or sample is published: ``forms/zjj/sgxk-sqb.pdf`` for ``forms/sgxk-sqb.pdf``."""
        return f"forms/{department}/{relative.removeprefix('forms/')}"


def page_url(md_path: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives a page, relative to the site root."""
    stem, extension = posixpath.splitext(md_path)
    if extension != ".md":
        return md_path
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        return posixpath.dirname(stem) + "/" if posixpath.dirname(stem) else ""
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative_link(from_md: str, to_path: str, directory_urls: bool) -> str:
    """A relative href from one page to another page or file."""
    here = page_url(from_md, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)  # "" for a page at the root
    target = page_url(to_path, directory_urls)
    link = posixpath.relpath(target or ".", base or ".")
    if (target.endswith("/") or not target) and not link.endswith("/"):
        link += "/"
    return "./" if link in ("./", ".") else link
