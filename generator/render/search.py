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
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from ..contract.yaml12 import Json
from ..model import Bundle, Catalog, Procedure, Site
from .summary import time_words, visits_words
from .urls import Paths, page_url
from .view import ItemView

SEPARATORS = re.compile(r"[、，,；;]")
TAGS = re.compile(r"<[^>]*>")
SPACES = re.compile(r"\s+")


def item_document(
    view: ItemView, directory_urls: bool, synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, Json]:
    """An item as the search finds it and shows it: 部门 · 时限 · 跑几次 under its name.  Besides its own names it
    is found by the everyday words of ``synonyms`` that stand for them, and by the pinyin of its name and aliases."""
    p = view.procedure
    names: dict[str, Json] = {
        "aliases": list(p.aliases or ()),
        "everyday": list[Json](everyday_words(p, synonyms or {})),
        "pinyin": list[Json](pinyin_keys([p.name, *(p.aliases or ())])),
        "result": list[Json](_result_names(p)),
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


def bundle_document(b: Bundle, catalog: Catalog, directory_urls: bool) -> dict[str, Json]:
    """A 一件事 as the search finds it: by its name and aliases, and by the names of the items it bundles (a
    citizen who searches 出生登记 learns that it is done together with the other items of 新生儿出生一件事)."""
    items = {p.slug: p for p in catalog.procedures}
    members = [items[m.item] for m in b.members if m.item in items]
    aliases = list[Json](b.aliases or ())
    names: dict[str, Json] = {
        "aliases": aliases,
        "members": _member_names(members),
        "result": [],
        "materials": [],
        "pinyin": list[Json](pinyin_keys([b.name, *map(str, aliases)])),
        "situations": [s.name for s in b.situations or ()],
        "department": [catalog.department(b.lead).name],
    }
    return {
        "location": page_url(Paths.bundle(b), directory_urls),
        "title": b.name,
        "text": " · ".join(("高效办成一件事", f"{len(members)} 个事项一次办", _promise_words(b))),
        "banshi": names,
    }


def _member_names(members: list[Procedure]) -> list[Json]:
    """The members' names, then their aliases, each once."""
    return list(dict.fromkeys([p.name for p in members] + [a for p in members for a in p.aliases or ()]))


def _promise_words(b: Bundle) -> str:
    committed = b.committed
    return f"承诺 {committed}" if committed else "时限未公布"


def _result_names(p: Procedure) -> list[str]:
    """What the applicant gets, as a whole and in its parts (营业执照、印章 → each of them)."""
    if p.result is None:
        return []
    parts = [part.strip() for part in SEPARATORS.split(p.result.name) if part.strip()]
    return list(dict.fromkeys([p.result.name, *parts]))


def plain(text: str) -> str:
    """A theme index field as plain text: no tags, no segmentation marks, entities decoded, spaces collapsed."""
    return SPACES.sub(" ", html.unescape(TAGS.sub(" ", text.replace("\u200b", "")))).strip()


def merge(theme: Mapping[str, Json], items: Iterable[Json], words: Iterable[str] = ()) -> dict[str, Json]:
    """The index the worker reads: the items, then the theme's documents of the other pages in plain text; the
    everyday ``words`` go into its config (the theme passes the config to the worker), so that a query naming a
    service the site does not offer gets no partial match."""
    docs = theme.get("docs")
    pages: list[Json] = []
    for doc in docs if isinstance(docs, list) else []:
        if isinstance(doc, dict) and not str(doc.get("location", "")).startswith("items/"):
            pages.append({**doc, "title": plain(str(doc.get("title", ""))), "text": plain(str(doc.get("text", "")))})
    config = theme.get("config")
    own: dict[str, Json] = {**(config if isinstance(config, dict) else {}), "banshi_words": list[Json](words)}
    return {**theme, "config": own, "docs": [*items, *pages]}


SYNONYMS = Path(__file__).resolve().parent.parent.parent / "site_templates" / "search" / "synonyms.yml"
"""Everyday words for government services, shipped with the tool (each site adds its own in site.yml)."""


def synonym_table(site: Site) -> dict[str, tuple[str, ...]]:
    """Everyday word → the official phrases it stands for: the shipped table, then the site's own words."""
    data = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or {}
    table = {str(word): tuple(str(m) for m in means) for word, means in data.items()}
    for synonym in site.synonyms or ():
        table[synonym.word] = (*table.get(synonym.word, ()), *synonym.means)
    return table


def everyday_words(p: Procedure, table: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The everyday words of an item: those whose official phrase occurs in its name, aliases, result or situations."""
    said = " ".join(
        [p.name, *(p.aliases or ()), p.result.name if p.result else "", *(s.name for s in p.situations or ())]
    )
    return [word for word, means in table.items() if any(phrase in said for phrase in means) and word not in said]


def pinyin_keys(texts: Iterable[str]) -> list[str]:
    """Full pinyin and initials of each text (居住证 → juzhuzheng, jzz), for queries typed without an IME."""
    keys: list[str] = []
    for text in texts:
        han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
        if not han:
            continue
        keys.append("".join(lazy_pinyin(han)))
        keys.append("".join(lazy_pinyin(han, style=Style.FIRST_LETTER)))
    return list(dict.fromkeys(keys))
