"""A content-addressed cache of JSON values, for work that a rebuild would repeat.

Keys are digests of everything a result depends on, including the source of
this package and its templates, so a stale entry is never used: a change
anywhere makes a new key.  Values are JSON (not pickle), so a tampered cache
folder cannot run code.  Any problem reading an entry is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "site_templates" / "pages"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the generator's code and page templates."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.glob("*.py"), *TEMPLATES.glob("*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A cache key from the code digest and ``repr`` of each part (frozen dataclasses repr deterministically)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()


class Cache:
    """One folder of entries; a None folder caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / f"{key[:2]}/{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: object) -> None:
        if self.folder is None:
            return
        target = self.folder / f"{key[:2]}/{key}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        temporary.replace(target)
