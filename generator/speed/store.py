"""Rendered files kept on disk instead of in memory: what lets a build of 10,000 items fit in 1.5 GiB.

An item's printable forms, chart, chart page and JSON file, and the HTML its
page set aside, are half a megabyte of text; a build holds none of it.  When
an item is rendered (in a worker), :func:`put` writes those files into the
store, a folder of the cache where each file is named by the digest of its
content, and the parts that travel on (to the parent process, the cache entry
and :class:`GeneratedSite`) name the files instead (``Parts.stored``,
``Parts.parked``).  MkDocs copies a stored file into the site as it copies a
blank form; a page's parked HTML is read when the page is filled, by
whichever process renders it.

A file never changes once written, and a file's name changes exactly when
its content does: so a page whose parked HTML has the same name is the same
page (the keys of finished pages and the quick rebuilds compare names, not
megabytes).  A cache entry names its files relative to the store, and an
entry whose files are gone is a miss.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar, overload

from ..render.pages import Parts
from ..render.site import ItemParts, park
from .cache import write_atomically

P = TypeVar("P", bound=Parts)

STORE = "stored"
"""The store's folder in the cache folder of rendered parts."""

NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}")
"""A file's name in the store: a cache entry that names anything else (a tampered one) is a miss."""


def put(parts: P, folder: Path) -> P:
    """Move the parts' files (all but the Markdown pages), the pages' set-aside HTML and an item's record out of
    memory into the store ``folder``; the parts naming them, relative to ``folder`` (as a cache entry keeps them:
    see :func:`whole`).  OSError when the store cannot be written."""
    stored = {path: _written(folder, text) for path, text in _files(parts)}
    parked = {
        path: _written(folder, park(parts.indexed.get(path, {}), parts.unindexed.get(path, {})))
        for path in parts.indexed.keys() | parts.unindexed.keys()
    }
    pages = {path: text for path, text in parts.files.items() if path.endswith(".md")}
    kept = replace(parts, files=pages, indexed={}, unindexed={}, stored=stored, parked=parked)
    if isinstance(kept, ItemParts) and kept.record:
        kept = replace(kept, record="", record_file=_written(folder, kept.record))
    return kept


def _files(parts: Parts) -> Iterator[tuple[str, str]]:
    return ((path, text) for path, text in sorted(parts.files.items()) if not path.endswith(".md"))


def _written(folder: Path, text: str | bytes) -> str:
    """Write a file into the store (unless it is there); its name there."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest[:2]}/{digest}"
    target = folder / name
    if target.is_file():
        os.utime(target)  # as if written now: ``mkdocs build --dirty`` copies what is newer than the site's copy
    else:
        write_atomically(target, data)
    return name


def _names(parts: Parts) -> list[str]:
    names = [*parts.stored.values(), *parts.parked.values()]
    if isinstance(parts, ItemParts) and parts.record_file:
        names.append(parts.record_file)
    return names


def whole(parts: P, folder: Path) -> P:
    """Parts whose files' names are relative to the store ``folder`` with the names made whole."""
    named = replace(
        parts,
        stored={path: str(folder / name) for path, name in parts.stored.items()},
        parked={path: str(folder / name) for path, name in parts.parked.items()},
    )
    if isinstance(named, ItemParts) and named.record_file:
        named = replace(named, record_file=str(folder / named.record_file))
    return named


def found(parts: P | None, folder: Path) -> P | None:
    """Remembered parts with their files' names made whole; None when a name is not a store's name or one of the
    files is gone (a miss)."""
    if parts is None or not all(NAME.fullmatch(name) for name in _names(parts)):
        return None
    named = whole(parts, folder)
    return named if present(named) else None


def present(parts: Parts) -> bool:
    """Whether every file the parts name is there (the cache folder may have been emptied since)."""
    return all(os.path.isfile(name) for name in _names(parts))


class Texts(Sequence[str]):
    """The items' records, read one at a time as the collection is written (see
    :func:`generator.render.opendata.collection`)."""

    def __init__(self, items: Sequence[ItemParts]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return Texts(self.items[index])
        item = self.items[index]
        return item.record or Path(item.record_file).read_bytes().decode("utf-8", "surrogatepass")


def streamed(folder: Path, pieces: Iterable[str]) -> str:
    """Write a text made of ``pieces`` into the store without holding it whole; its name there."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".streamed.{os.getpid()}.tmp"
    digest = hashlib.sha256()
    try:
        with temporary.open("wb") as out:
            for piece in pieces:
                data = piece.encode("utf-8", "surrogatepass")
                digest.update(data)
                out.write(data)
        name = f"{digest.hexdigest()[:2]}/{digest.hexdigest()}"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        temporary.replace(folder / name)
    finally:
        temporary.unlink(missing_ok=True)
    return name
