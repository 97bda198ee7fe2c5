"""A YAML file as the editor changes it: comments, key order, quoting, flow lists and long Chinese lines survive,
and changing one value rewrites only that value's line.

The file is read with ruamel.yaml's round-trip loader in the indentation it was written in (ours: a list two
spaces under its key; PyYAML's, which ``import`` writes: a list level with its key), so that saving an unchanged
file gives the same bytes.  A key that is new goes where the declaration puts it: after the keys that come before
it in :data:`generator.model.FILES`' order, not at the end.
"""

from __future__ import annotations

import io
import re
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
    newline: str = "\n"
    """The file's line ending: ``\r\n`` in a checkout made on Windows (git's ``core.autocrlf``), kept on saving."""

    @classmethod
    def parse(cls, text: str) -> Document:
        if not text:
            return cls(CommentedMap(), STYLES[0], True)  # a new file
        newline = "\r\n" if "\r\n" in text else "\n"
        plain = text.replace("\r\n", "\n")
        same_endings = newline == "\n" or plain.replace("\n", "\r\n") == text
        for style in STYLES:
            data = _yaml(style).load(plain)
            if _dump(data, style) == plain:
                return cls(data, style, same_endings, newline)
        return cls(_yaml(STYLES[0]).load(plain), STYLES[0], False, newline)

    def text(self) -> str:
        text = _dump(self.data, self.style)
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    def again(self, text: str) -> Document:
        """``text`` (this document's text) read once more, in the style already found: a fresh document to change,
        in half the time of :meth:`parse` (a deep copy would lose comments)."""
        data = _yaml(self.style).load(text.replace("\r\n", "\n")) if text else CommentedMap()
        return Document(data, self.style, self.exact, self.newline)

    def get(self, path: Path) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def set(self, path: Path, value: Any, order: Sequence[str] = ()) -> None:
        """Set the value at ``path`` (a scalar keeps its quotes); a new key goes after the existing keys that
        ``order`` (the declaration's order of the keys of that mapping) puts before it."""
        parent = self.get(path[:-1])
        last = path[-1]
        if isinstance(parent, CommentedMap) and last not in parent:
            parent.insert(_position(parent, str(last), order), last, value)
            return
        parent[last] = _like(parent[last], value)

    def insert(self, path: Path, value: Any) -> None:
        """Insert ``value`` into a list at ``path``'s index; the rows after it keep their comments, a list written
        on one line stays on one line."""
        parent, index = self.get(path[:-1]), path[-1]
        assert isinstance(parent, CommentedSeq) and isinstance(index, int)
        if parent.fa.flow_style() or not parent:
            parent.insert(index, value)
            return
        # A comment belongs to the row below it, so the new row goes above the comments of the row it precedes;
        # ruamel.yaml would put it below them (it keeps a comment with the row before).
        text = _dump(self.data, self.style)
        lines = text.splitlines(keepends=True)
        rows = _yaml(self.style).load(text)
        for part in path[:-1]:
            rows = rows[part]
        top, line, end = _span(lines, rows, min(index, len(rows) - 1))
        at = top if index < len(rows) else end
        written = _dump(CommentedSeq([value]), self.style).splitlines(keepends=True)
        lead, column = _indent(written[0]), _indent(lines[line])
        row = [" " * column + part[lead:] for part in written]
        self.data = _yaml(self.style).load("".join(lines[:at] + row + lines[at:]))

    def delete(self, path: Path) -> list[str]:
        """Delete the entry at ``path`` with the comment lines right above it, which describe it (a comment is
        written before what it explains); return those comments and its own end-of-line comment, so the editor
        can show which comment goes with it.  The rest of the file keeps its bytes."""
        inline = self.get(path[:-1])
        if isinstance(inline, CommentedSeq) and inline.fa.flow_style():  # [a, b, c]: no line of its own
            del inline[path[-1]]
            return []
        text = _dump(self.data, self.style)
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
        if MODELINE.match(lines[top - 1]):
            break  # the file's own first line, for the clerk's text editor: it describes the file, not the key
        top -= 1
    return top


MODELINE = re.compile(r"#\s*yaml-language-server:")


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
    """Right after the key, of those ``order`` puts before ``key``, that comes last in the file (files are not
    always in the declaration's order: a new 办理时间 goes among the keys it belongs with, not after the name)."""
    if key not in order:
        return len(mapping)
    earlier = set(order[: order.index(key)])
    return max((i + 1 for i, existing in enumerate(mapping) if existing in earlier), default=0)
