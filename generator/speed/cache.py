"""A content-addressed cache of JSON values, for work that a rebuild would repeat.

Keys are digests of everything a result depends on, including the source of
this package and its templates, so a stale entry is never used: a change
anywhere makes a new key.  Values are JSON (not pickle), so a tampered cache
folder cannot run code.  Any problem reading an entry is a miss; a problem
writing one is ignored (the cache is only an optimisation).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

import orjson

from ..contract.yaml12 import Json

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE.parent / "site_templates" / "pages"


@functools.cache
def code_digest() -> str:
    """A digest of the generator's code and page templates."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(PACKAGE.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A cache key from the code digest and ``repr`` of each part (frozen dataclasses repr deterministically)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def write_atomically(target: Path, text: str | bytes) -> None:
    """Write a file so that readers see the old content or the new one, never half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if isinstance(text, bytes):
        temporary.write_bytes(text)
    else:
        temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)


class Cache:
    """One folder of entries; a None folder caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> Json:
        """The remembered value, or None."""
        if self.folder is None:
            return None
        try:  # orjson: a warm build reads every page back, and it decodes UTF-8 JSON about twice as fast
            value: Json = orjson.loads((self.folder / f"{key[:2]}/{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        return value

    def has(self, key: str) -> bool:
        """Whether there is an entry (not read: see :meth:`get`)."""
        return self.folder is not None and (self.folder / f"{key[:2]}/{key}.json").is_file()

    def file(self, key: str, suffix: str) -> Path | None:
        """Where an entry kept as a file of its own (not JSON) lives, e.g. a finished page; None caches nothing."""
        return self.folder / f"{key[:2]}/{key}{suffix}" if self.folder else None

    def put_file(self, key: str, suffix: str, data: bytes) -> None:
        if (target := self.file(key, suffix)) is not None:
            with contextlib.suppress(OSError):
                write_atomically(target, data)

    def put(self, key: str, value: object) -> None:
        if self.folder is None:
            return
        try:  # orjson: a rebuild under mkdocs serve writes the shared pages' entry, megabytes, after every edit
            data: str | bytes = orjson.dumps(value)
        except TypeError:  # what orjson refuses (a lone surrogate, a huge integer): the standard library's
            data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError):
            write_atomically(self.folder / f"{key[:2]}/{key}.json", data)


def latest(path: Path, key: str) -> dict[str, str] | None:
    """The files remembered in ``path`` under ``key`` (only the latest result is kept there), or None."""
    try:
        remembered = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    files = remembered.get("files") if isinstance(remembered, dict) and remembered.get("key") == key else None
    return files if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()) else None


def remember(path: Path, key: str, files: dict[str, str]) -> None:
    """Keep ``files`` in ``path`` under ``key``, in place of what was there."""
    with contextlib.suppress(OSError):
        write_atomically(path, json.dumps({"key": key, "files": files}, ensure_ascii=False, separators=(",", ":")))
