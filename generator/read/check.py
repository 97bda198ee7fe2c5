"""The structural check: YAML nodes against the declarations of :mod:`generator.model`.

The result of a file is :class:`Checked`: plain data (JSON-able, so that it can
be cached and read back) and where every value is, for :class:`Locator`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..contract.spec import Checker, Invalid, Plain, title_at
from ..diagnostics import Diagnostic
from ..model import FILES
from .files import FileKind
from .source import SourceFile, parse_yaml

KINDS: dict[object, FileKind] = {"site": "site", "department": "department", "item": "item", "bundle": "bundle"}


@dataclass(frozen=True)
class Checked:
    """One file after its structural check."""

    file: str
    """Display path."""
    kind: FileKind
    data: dict[str, Plain] | None
    """The well-formed values (all of them when :attr:`broken` is empty), or None when the file could not be read."""
    locations: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Key path → (line, column)."""
    broken: frozenset[str] = frozenset()
    """Top-level keys with structural errors ("" when the whole file is); checks that read them are skipped."""

    @property
    def complete(self) -> bool:
        return self.data is not None and not self.broken

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "data": self.data,
            "locations": dict(self.locations),
            "broken": sorted(self.broken),
        }

    @classmethod
    def from_json(cls, entry: Plain) -> Checked:
        """The inverse of :meth:`to_json` (for the cache); ValueError when ``entry`` is not one."""
        if not isinstance(entry, dict) or not isinstance(entry.get("locations"), dict):
            raise ValueError("not a checked file")
        kind, data, locations = entry["kind"], entry["data"], entry["locations"]
        if kind not in KINDS or not (data is None or isinstance(data, dict)) or not isinstance(locations, dict):
            raise ValueError("not a checked file")
        where: dict[str, tuple[int, int]] = {}
        for k, v in locations.items():
            if not (isinstance(v, list) and len(v) == 2 and type(v[0]) is int and type(v[1]) is int):
                raise ValueError("not a checked file")
            where[k] = (v[0], v[1])
        broken = entry.get("broken")
        if not isinstance(broken, list):
            raise ValueError("not a checked file")
        return cls(str(entry["file"]), KINDS[kind], data, where, frozenset(str(b) for b in broken))


def check_bytes(data: bytes, kind: FileKind, display: str) -> tuple[Checked, list[Diagnostic]]:
    """Check a file's bytes (from disk or from git): its shape, then its keys and values."""
    return check_source(parse_yaml(data, display), kind)


def check_source(source: SourceFile, kind: FileKind) -> tuple[Checked, list[Diagnostic]]:
    diagnostics = list(source.diagnostics)
    if source.root is None:
        return Checked(source.path, kind, None, broken=frozenset({""})), diagnostics
    checker = Checker(source.path)
    data = FILES[kind].check(source.root, "", checker)
    diagnostics += checker.diagnostics
    if isinstance(data, Invalid) or not isinstance(data, dict):
        return Checked(source.path, kind, None, checker.locations, frozenset({""})), diagnostics
    errors = {_top_key(d.key) for d in checker.diagnostics if d.severity == "error" and d.code != "unknown_key"}
    broken = frozenset(errors | {_top_key(k) for k in checker.misspelt})
    return Checked(source.path, kind, data, checker.locations, broken), diagnostics


def _top_key(key: str) -> str:
    """``steps`` of ``steps[3].time``; a misspelt key breaks nothing, a missing one is absent anyway."""
    return key.split(".", 1)[0].split("[", 1)[0]


@dataclass
class Locator:
    """Maps (file, key path) to a located diagnostic with the key's Chinese title."""

    files: dict[str, Checked]

    def at(self, file: str, key: str, code: str, **values: object) -> Diagnostic:
        """An error at ``key`` of ``file``, with the key's title."""
        checked = self.files[file]
        title = title_at(FILES[checked.kind], key) if key else ""
        return Diagnostic.of(file, self.where(checked, key), key, title, code, **values)

    @staticmethod
    def where(checked: Checked, key: str) -> tuple[int, int]:
        """The line and column of ``key``, or of the nearest enclosing key that was recorded."""
        while key:
            if key in checked.locations:
                return checked.locations[key]
            key = key[: max(key.rfind("."), key.rfind("["), 0)]
        return 1, 1
