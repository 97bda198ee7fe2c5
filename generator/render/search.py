"""The site search's documents: one per item, with the names citizens search by.

The search runs in the browser, in our own worker
(``site_templates/overrides/assets/javascripts/search-worker.js``): a
substring search over an item's name, aliases, result, situations, materials
and department, so that 社保卡, 营业执照 or any part of a name finds the item.
Item pages are left out of the theme's index (front matter
``search: exclude``); :func:`item_document` describes each item instead, and
:func:`merge` puts them before the theme's documents of hand-written pages,
cleaned to plain text (no markup, no word-segmentation marks).  :func:`shard`
splits a large site's index so that a phone downloads only the parts a query
needs.
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
import unicodedata
from collections import defaultdict
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


SHARD_FROM = 120_000
"""The weight (gzip) from which the index is split: some 1,200 items."""
SHARD_DOCS = 32
"""Item documents per chunk file (``search/d/<n>.json``): about 3 KB gzip each."""
BUCKET_BYTES = 24000
"""About how many bytes of postings a ``search/g/<n>.json`` holds (some 5 KB gzip), up to :data:`MAX_BUCKETS`
files: a small site has one."""
MAX_BUCKETS = 1024
NAME_FIELDS = ("aliases", "everyday", "result", "members", "pinyin")
"""The fields, besides the title, that the first answer to a broad query looks in (the heaviest ones)."""
_ALL_FIELDS = ("aliases", "everyday", "result", "members", "situations", "materials", "department", "pinyin", "code")
"""The fields of an item document the worker searches (its ITEM_FIELDS), besides the title and the text."""
_JS_SPACE = re.compile("[ \f\n\r\t\v\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
"""What the worker's ``normalize`` removes: JavaScript's ``\\s`` and the zero-width space."""


def normalize(text: str) -> str:
    """The worker's ``normalize``: each character NFKC and lower case, white space removed."""
    if text.isascii():
        return _JS_SPACE.sub("", text.lower())
    return _JS_SPACE.sub("", "".join(_character(ch) for ch in text))


@functools.cache
def _character(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower()


def bucket(gram: str, buckets: int) -> int:
    """The file a gram's postings are in: FNV-1a over its UTF-16 code units (the worker computes the same)."""
    h = 2166136261
    units = gram.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h = ((h ^ int.from_bytes(units[i : i + 2], "little")) * 16777619) & 0xFFFFFFFF
    return h % buckets


def _values(value: Json) -> list[str]:
    """The worker's ``list``: no value, one value or a list of values, as text."""
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _grams(values: Iterable[str]) -> set[str]:
    """The characters and bigrams of each value (never across two values: no query holds a separator)."""
    found: set[str] = set()
    for value in values:
        found |= _value_grams(value)
    return found


@functools.lru_cache(maxsize=65536)
def _value_grams(value: str) -> frozenset[str]:
    text = normalize(value)
    return frozenset(text) | frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _postings(ids: list[int]) -> str:
    """Ascending document numbers as hexadecimal differences, comma separated."""
    return ",".join(format(b - a, "x") for a, b in zip([0, *ids], ids, strict=False))


def shard(index: Mapping[str, Json], chunk: int = SHARD_DOCS, least: int = SHARD_FROM) -> dict[str, bytes]:
    """The merged index split so that a phone downloads little before its first result: the hand-written pages
    and a manifest stay in ``search/search_index.json`` (the theme fetches it whole); the item documents go in
    chunks of ``chunk`` (``search/d/<n>.json``) and, for every character and bigram, the documents that
    hold it (in any field, and in the name fields) in buckets (``search/g/<n>.json``).  The worker fetches the
    buckets of the query's grams, then the chunks of the documents they name, and searches those as it would the
    whole index: the results are the same.  An index lighter than ``least`` bytes (gzip) stays whole: one file is
    then less to download than the parts a query needs."""
    whole = _json(index)
    if len(gzip.compress(whole, 6)) < least:
        return {"search/search_index.json": whole}
    docs = index.get("docs")
    items, pages = _split(docs if isinstance(docs, list) else [])
    grams = [_json(table) for table in _buckets(items)]
    chunks = [_json(items[i : i + chunk]) for i in range(0, len(items), chunk)]
    manifest: dict[str, Json] = {
        "items": len(items),
        "chunk": chunk,
        "buckets": len(grams),
        "grams": [len(gzip.compress(data, 6)) for data in grams],
        "chunks": [len(gzip.compress(data, 6)) for data in chunks],
        "present": _present(index.get("config"), items + pages),
    }
    config = index.get("config")
    own: dict[str, Json] = {**(config if isinstance(config, dict) else {}), "banshi_shards": manifest}
    files = {f"search/g/{n}.json": data for n, data in enumerate(grams)}
    files |= {f"search/d/{n}.json": data for n, data in enumerate(chunks)}
    return {**files, "search/search_index.json": _json({**index, "config": own, "docs": pages})}


def _buckets(items: list[Json]) -> list[dict[str, list[str]]]:
    """Each gram's postings (in any field, in a name field), in as many buckets as keep each near
    :data:`BUCKET_BYTES`."""
    every, named = _gram_postings(items)
    postings = {gram: [_postings(ids), _postings(named.get(gram, []))] for gram, ids in every.items()}
    written = sum(len(gram) + len(a) + len(b) for gram, (a, b) in postings.items())
    count = max(1, min(MAX_BUCKETS, written // BUCKET_BYTES))
    tables: list[dict[str, list[str]]] = [{} for _ in range(count)]
    for gram, entry in postings.items():
        tables[bucket(gram, count)][gram] = entry
    return tables


def _present(config: Json, docs: list[Json]) -> list[Json]:
    """The everyday words of the config (``banshi_words``) that some document holds, as the worker normalizes
    them: a split index tells a query naming a service the site does not offer without fetching every item."""
    words = config.get("banshi_words") if isinstance(config, dict) else None
    if not isinstance(words, list):
        return []
    said = "\n".join(normalize(value) for doc in docs for value in _doc_values(doc))
    return [w for w in dict.fromkeys(normalize(str(w)) for w in words) if w and w in said]


def _doc_values(doc: Json) -> list[str]:
    """Every value the worker searches in a document (an item's or a hand-written page's)."""
    if not isinstance(doc, dict):
        return []
    return [*_values(doc.get("title")), *_values(doc.get("text")), *_banshi_values(doc)]


def _banshi_values(doc: Mapping[str, Json]) -> list[str]:
    extra = doc.get("banshi")
    return [v for f in _ALL_FIELDS for v in _values(extra.get(f))] if isinstance(extra, dict) else []


def _split(docs: list[Json]) -> tuple[list[Json], list[Json]]:
    """The item (and 一件事) documents, and the hand-written pages', each in their order."""
    items: list[Json] = [d for d in docs if isinstance(d, dict) and isinstance(d.get("banshi"), dict)]
    return items, [d for d in docs if not (isinstance(d, dict) and isinstance(d.get("banshi"), dict))]


def _gram_postings(items: list[Json]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """For each character and bigram, the numbers of the items that hold it in any field, and in a name field."""
    every: defaultdict[str, list[int]] = defaultdict(list)
    named: defaultdict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(items):
        assert isinstance(doc, dict) and isinstance(doc["banshi"], dict)
        extra = doc["banshi"]
        names = [*_values(doc.get("title")), *(v for f in NAME_FIELDS for v in _values(extra.get(f)))]
        others = [*_values(doc.get("text")), *(v for f in _ALL_FIELDS for v in _values(extra.get(f)))]
        for gram in _grams([*names, *others]):
            every[gram].append(number)
        for gram in _grams(names):
            named[gram].append(number)
    return every, named


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
