"""Quick rebuilds under ``mkdocs serve``: after a file under procedures/ is saved, only what changed is written.

MkDocs 1.6 rebuilds everything on every change: it reads mkdocs.yml and makes
its plugins again, empties the preview folder, renders its pages and writes
every file (5,000 at 1,000 items).  This plugin has an ``on_startup`` event,
so ``mkdocs serve`` keeps its instance from one rebuild to the next, and it
remembers the last build (:class:`Last`): MkDocs' configuration, navigation,
theme environment and files, the generated site, the theme's search
documents, and the time and size of every file the server watches.

When the files that changed since are all under procedures/ (or the case
records), the plugin prepares the site again from what it keeps in memory
(:class:`generator.prepare.Warm`: only changed files are read and only changed
items rendered), and if nothing around the pages changed (:func:`same_frame`:
the theme's data, the snippets of hand-written pages, the dates, which files
exist) it writes into the preview folder only the files whose content
changed, rendering changed pages with MkDocs' own steps
(:func:`generator.mkdocs.pages.render_page`) and the search index again.
Everything else (a hand-written page, mkdocs.yml, a theme file, an error) is
left to MkDocs' full rebuild, which then runs as before.

What this relies on beyond the plugin API: ``LiveReloadServer.builder``, the
function the server calls after a change, which ``on_serve`` wraps.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..prepare import Sources
from ..render.site import GeneratedSite
from .pages import Frame

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

Stamps = dict[str, tuple[int, int]]
"""File path → (modification time in ns, size)."""


@dataclass
class Last:
    """What the last build left, for the next quick rebuild."""

    sources: Sources
    frame: Frame
    digest: str
    """The frame's digest (:func:`generator.mkdocs.pages.frame_key`), for the own pages' cache keys."""
    site: GeneratedSite
    theme: dict[str, Any] | None
    """The theme's search index of the pages of MkDocs' loop and the department pages, before the items' documents
    are merged in; None without a search plugin."""
    stamps: Stamps
    search: set[str]
    """The files of the search index written (see :func:`generator.speed.split.split_once`)."""


QUICK_PLUGINS = frozenset({"search", "material/search", "banshi"})
"""The plugins whose part of a build a quick rebuild redoes (the search plugin's through the page events, this
one's itself); with any other plugin (which may write files after the build), MkDocs rebuilds everything."""


def plain(config: MkDocsConfig) -> bool:
    """Whether the site uses no plugins but :data:`QUICK_PLUGINS`."""
    return set(config.plugins) <= QUICK_PLUGINS


def remove(site_dir: Path, paths: Iterable[str]) -> None:
    """Delete files of the last build that this one did not write again."""
    for path in paths:
        (site_dir / path).unlink(missing_ok=True)


def watched(config: MkDocsConfig, sources: Sources) -> list[Path]:
    """The files and folders whose change makes ``mkdocs serve`` rebuild (and the theme's folders of this project,
    which it watches with ``--watch-theme``)."""
    folders = [Path(config.docs_dir), sources.procedures, sources.records, *map(Path, config.watch)]
    themes = [Path(d) for d in config.theme.dirs if sources.root in Path(d).resolve().parents]
    return [Path(config.config_file_path), *folders, *themes]


def stamps(paths: Iterable[Path]) -> Stamps:
    """The time and size of every file under ``paths``."""
    found: Stamps = {}
    for path in paths:
        if path.is_file():
            found[str(path)] = _stamp(path)
        for folder, _, names in os.walk(path):
            for name in names:
                found[os.path.join(folder, name)] = _stamp(Path(folder, name))
    return found


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (-1, -1)
    return status.st_mtime_ns, status.st_size


def changed(before: Mapping[str, tuple[int, int]], now: Mapping[str, tuple[int, int]]) -> set[Path]:
    """The files added, removed or changed."""
    return {Path(p) for p in before.keys() | now.keys() if before.get(p) != now.get(p)}


def within(paths: Iterable[Path], sources: Sources) -> bool:
    """Whether every path is under procedures/ or the case records' folder (what a quick rebuild can redo)."""
    folders = (sources.procedures.resolve(), sources.records.resolve())
    return all(any(folder in p.resolve().parents for folder in folders) for p in paths)


def same_frame(old: GeneratedSite, new: GeneratedSite) -> bool:
    """Whether what is around the generated pages is unchanged: the same files, the theme's data (it is in every
    page), the hand-written pages' snippets and the dates (the sitemap's)."""
    return (
        old.pages.keys() == new.pages.keys()
        and old.assets.keys() == new.assets.keys()
        and old.stored.keys() == new.stored.keys()
        and old.copies == new.copies
        and old.theme == new.theme
        and old.snippets == new.snippets
        and old.dates == new.dates
    )


def changed_pages(old: GeneratedSite, new: GeneratedSite) -> list[str]:
    """The generated pages whose source or set-aside HTML changed (parked HTML's file is named by the key of what it
    holds)."""
    return [
        path
        for path, text in new.pages.items()
        if text != old.pages[path]
        or new.parked.get(path) != old.parked.get(path)
        or new.indexed.get(path) != old.indexed.get(path)
        or new.unindexed.get(path) != old.unindexed.get(path)
    ]


def changed_assets(old: GeneratedSite, new: GeneratedSite, edited: set[Path]) -> list[str]:
    """The generated files whose text changed (a stored file's name is the key of what it holds), and the copied
    files whose source was edited."""
    sources = {p.resolve() for p in edited}
    texts = [path for path, text in new.assets.items() if text != old.assets[path]]
    texts += [path for path, file in new.stored.items() if file != old.stored[path]]
    return texts + [path for path, source in new.copies.items() if source.resolve() in sources]
