"""The structural check of many files: remembered checks are read here, new ones run in forked workers.

A check is keyed by the file's kind, display path and bytes (plus the code,
see :func:`~generator.speed.cache.key_of`).  Reading a remembered check costs
less than sending a worker's result back, so only unseen files go to workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ..contract.yaml12 import Json
from ..diagnostics import Diagnostic
from ..read.check import Checked, check_bytes
from ..read.files import Found, read_bytes
from .cache import Cache, key_of
from .parallel import Parallel, fork_map

Outcome = tuple[Checked, list[Diagnostic]]
_Work = tuple[int, Found, bytes]


def check_files(found: Sequence[Found], cache: Path | None, parallel: Parallel) -> list[Outcome | Diagnostic]:
    """For each file in order: its check and problems, or the reason it could not be read."""
    store = Cache(cache)
    done: dict[int, Outcome | Diagnostic] = {}
    todo: list[_Work] = []
    for index, file in enumerate(found):
        data = read_bytes(file)
        if isinstance(data, Diagnostic):
            done[index] = data
            continue
        remembered = _remembered(store.get(_key(file, data)) if cache else None)
        if remembered is not None:
            done[index] = remembered
        else:
            todo.append((index, file, data))
    for part in fork_map(_check_chunk, cache, todo, parallel):
        done.update(part)
    return [done[i] for i in range(len(found))]


def _remembered(hit: Json) -> Outcome | None:
    """A remembered check, or None when there is none (or it is not one)."""
    diagnostics = hit.get("diagnostics") if isinstance(hit, dict) else None
    if not isinstance(hit, dict) or not isinstance(diagnostics, list):
        return None
    try:
        return Checked.from_json(hit["checked"]), [Diagnostic.from_json(d) for d in diagnostics]
    except (ValueError, KeyError):
        return None


def _key(file: Found, data: bytes) -> str:
    return key_of("checked", file.kind, file.display, data)


def _check_chunk(cache: Path | None, work: Sequence[_Work]) -> dict[int, Outcome]:
    """Check files and remember the checks (in a worker, or here)."""
    store = Cache(cache)
    done: dict[int, Outcome] = {}
    for index, file, data in work:
        checked, diagnostics = check_bytes(data, file.kind, file.display)
        store.put(_key(file, data), {"checked": checked.to_json(), "diagnostics": [asdict(d) for d in diagnostics]})
        done[index] = (checked, diagnostics)
    return done
