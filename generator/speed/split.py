"""The search index split once per change (:func:`generator.render.search.shard`): splitting 10,000 items takes some
seconds, and a warm build whose index did not change need not repeat it."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from ..contract.yaml12 import Json
from ..render.search import shard
from .cache import key_of, latest, remember

SPLIT_FILE = re.compile(r"search/(search_index|[dg]/\d+)\.json")
"""The only files the split writes (a cached entry naming another is not used)."""


def split_once(index: Mapping[str, Json], cache: Path) -> dict[str, str]:
    """:func:`shard`'s files, remembered in ``cache`` for the next build while the index stays the same (splitting
    10,000 items takes some seconds; a warm build need not repeat it)."""
    written = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    key = key_of(unicodedata.unidata_version, written)  # the postings follow the Unicode tables
    files = latest(cache, key)
    if files is None or not all(SPLIT_FILE.fullmatch(path) for path in files):  # never a path from elsewhere
        files = None
    if files is None:
        files = {path: data.decode("utf-8") for path, data in shard(index).items()}
        remember(cache, key, files)
    return files
