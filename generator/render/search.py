"""The site search's documents: one per item, with the names citizens search by.

The search runs in the browser, in our own worker
(``site_templates/overrides/assets/javascripts/search-worker.js``): a
substring search over an item's name, aliases, result, situations, materials
and department, so that 社保卡, 营业执照 or any part of a name finds the item.
Item pages are left out of the theme's index (front matter
``search: exclude``); :func:`item_document` describes each item instead, and
:func:`merge` puts them before the theme's documents of hand-written pages,
cleaned to plain text (no markup, no word-segmentation marks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from ..contract.yaml12 import Json
from .summary import time_words, visits_words
from .urls import Paths, page_url
from .view import ItemView

SEPARATORS = re.compile(r"[、，,；;]")
TAGS = re.compile(r"<[^>]*>")
SPACES = re.compile(r"\s+")


def item_document(view: ItemView, directory_urls: bool) -> dict[str, Json]:
    """An item as the search finds it and shows it: 部门 · 时限 · 跑几次 under its name."""
    p = view.procedure
    results: list[str] = []
    if p.result is not None:
        parts = [part.strip() for part in SEPARATORS.split(p.result.name) if part.strip()]
        results = [p.result.name, *(part for part in parts if part != p.result.name)]
    names: dict[str, Json] = {
        "aliases": list(p.aliases or ()),
        "result": list(dict.fromkeys(results)),
        "situations": [s.name for s in p.situations or ()],
        "materials": list(dict.fromkeys(m.name for m in p.materials)),
        "department": list(dict.fromkeys((view.department.name, view.department.label))),
        "code": p.code,
    }
    return {
        "location": page_url(Paths.item(p), directory_urls),
        "title": p.name,
        "text": " · ".join((view.department.name, time_words(p), visits_words(p))),
        "banshi": names,
    }


def plain(text: str) -> str:
    """A theme index field as plain text: no tags, no segmentation marks, entities decoded, spaces collapsed."""
    return SPACES.sub(" ", html.unescape(TAGS.sub(" ", text.replace("\u200b", "")))).strip()


def merge(theme: Mapping[str, Json], items: Iterable[Json]) -> dict[str, Json]:
    """The index the worker reads: the items, then the theme's documents of the other pages in plain text."""
    docs = theme.get("docs")
    pages: list[Json] = []
    for doc in docs if isinstance(docs, list) else []:
        if isinstance(doc, dict) and not str(doc.get("location", "")).startswith("items/"):
            pages.append({**doc, "title": plain(str(doc.get("title", ""))), "text": plain(str(doc.get("text", "")))})
    return {**theme, "docs": [*items, *pages]}
