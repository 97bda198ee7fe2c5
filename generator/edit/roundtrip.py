"""A YAML file as the editor changes it: comments, key order, quoting, flow lists and long Chinese lines survive,
and changing one value rewrites only that value's line.

The file is read with ruamel.yaml's round-trip loader in the indentation it was written in (ours: a list two
spaces under its key; PyYAML's, which ``import`` writes: a list level with its key), so that saving an unchanged
file gives the same bytes.  A key that is new goes where the declaration puts it: after the keys that come before
it in :data:`generator.model.FILES`' order, not at the end.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

Path = tuple[str | int, ...]
"""Where a value is: keys of mappings and indexes of lists, from the top of the file."""

STYLES = ((2, 4, 2), (2, 2, 0))
"""(mapping, sequence, offset) indentations tried in turn: ours, then PyYAML's."""
WIDTH = 1 << 16
"""Never fold a line: a long Chinese sentence stays on its line."""


def _yaml(style: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    mapping, sequence, offset = style
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


@dataclass
class Document:
    """One YAML file, loaded for editing."""

    data: Any
    style: tuple[int, int, int]
    exact: bool
    """Whether saving it unchanged gives back the bytes it was read from (else it is written in :data:`STYLES`'s
    first style)."""

    @classmethod
    def parse(cls, text: str) -> Document:
        if not text:
            return cls(CommentedMap(), STYLES[0], True)  # a new file
        for style in STYLES:
            data = _yaml(style).load(text)
            if _dump(data, style) == text:
                return cls(data, style, True)
        return cls(_yaml(STYLES[0]).load(text), STYLES[0], False)

    def text(self) -> str:
        return _dump(self.data, self.style)

    def again(self, text: str) -> Document:
        """``text`` (this document's text) read once more, in the style already found: a fresh document to change,
        in half the time of :meth:`parse` (a deep copy would lose comments)."""
        return Document(_yaml(self.style).load(text) if text else CommentedMap(), self.style, self.exact)

    def get(self, path: Path) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def set(self, path: Path, value: Any, order: Sequence[str] = ()) -> None:
        """Set the value at ``path`` (a scalar keeps its quotes); a new key goes before the first existing key that
        ``order`` (the declaration's order of the keys of that mapping) puts after it."""
        parent = self.get(path[:-1])
        last = path[-1]
        if isinstance(parent, CommentedMap) and last not in parent:
            parent.insert(_position(parent, str(last), order), last, value)
            return
        parent[last] = _like(parent[last], value)

    def delete(self, path: Path) -> list[str]:
        """Delete the entry at ``path`` with the comment lines right above it, which describe it (a comment is
        written before what it explains); return those comments and its own end-of-line comment, so the editor
        can show which comment goes with it.  The rest of the file keeps its bytes."""
        text = self.text()
        lines = text.splitlines(keepends=True)
        parent = _yaml(self.style).load(text)  # line numbers of the file as it is now
        for part in path[:-1]:
            parent = parent[part]
        top, line, end = _span(lines, parent, path[-1])
        said = [comment.strip() for comment in lines[top:line]]
        if "  #" in lines[line]:
            said.append("#" + lines[line].split("  #", 1)[1].rstrip("\n"))
        self.data = _yaml(self.style).load("".join(lines[:top] + lines[end:]))
        if isinstance(parent, CommentedSeq) and len(parent) == 1:
            self.set(path[:-1], CommentedSeq())  # an emptied list is [] (not stated would be a different thing)
        return said


def scalar_paths(data: Any, path: Path = ()) -> list[Path]:
    """Every scalar's path in the loaded data, in file order."""
    if isinstance(data, CommentedMap):
        return [p for key, value in data.items() for p in scalar_paths(value, (*path, key))]
    if isinstance(data, CommentedSeq):
        return [p for index, value in enumerate(data) for p in scalar_paths(value, (*path, index))]
    return [path]


def _span(lines: list[str], parent: Any, key: str | int) -> tuple[int, int, int]:
    """Where an entry is in the file's lines: the comments right above it, its first line, the line after it."""
    line, column = parent.lc.key(key) if isinstance(parent, CommentedMap) else parent.lc.item(key)
    if isinstance(parent, CommentedSeq):
        column = _indent(lines[line])  # the dash of the item
    inside = [not text.strip() or _indent(text) > column for text in lines[line + 1 :]]
    end = line + 1 + (inside.index(False) if False in inside else len(inside))
    while end > line + 1 and not lines[end - 1].strip():
        end -= 1  # a blank line after the entry stays
    return _comments_above(lines, line, column), line, end


def _comments_above(lines: list[str], line: int, column: int) -> int:
    """The first of the comment lines right above ``line`` at its indentation (``line`` when there are none)."""
    top = line
    while top > 0 and lines[top - 1].lstrip().startswith("#") and _indent(lines[top - 1]) == column:
        top -= 1
    return top


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dump(data: Any, style: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(style).dump(data, out)
    return out.getvalue()


def _like(old: Any, new: Any) -> Any:
    """``new`` quoted as ``old`` was (a quoted text stays quoted: 12345 must not become a number)."""
    if isinstance(new, str) and isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(old)(new)
    return new


def _position(mapping: CommentedMap, key: str, order: Sequence[str]) -> int:
    if key not in order:
        return len(mapping)
    later = set(order[order.index(key) + 1 :])
    return next((i for i, existing in enumerate(mapping) if existing in later), len(mapping))
