"""What every kind of value does (see :mod:`generator.contract.spec`), and the helpers they share."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard

from yaml.nodes import Node

from ..diagnostics import Diagnostic
from .values import (
    NOT_BLANK,
    PRINTABLE,
    Rule,
)
from .yaml12 import Json

Plain = Json
"""Checked data: what a spec's ``check`` returns and the cache stores."""
Schema = dict[str, Json]

PLACEHOLDER = "【请填写"
"""How ``python -m generator new`` marks what the editor must still fill in."""
NO_PLACEHOLDER = Rule("placeholder", r"^(?![\s\S]*【请填写)")
TEXT_RULES = (PRINTABLE, NOT_BLANK, NO_PLACEHOLDER)
"""Rules every text obeys, before its own."""
NOT_STATED = "未公布"
"""How the change report names a value that a version does not state."""


class Invalid:
    """The result of a check that failed; the caller drops the key."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class Checker:
    """State of one file's structural check: where values are and what went wrong."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    locations: dict[str, tuple[int, int]] = field(default_factory=dict)
    misspelt: set[str] = field(default_factory=set)
    """Key paths that a misspelt key was probably meant to be."""

    def report(self, node: Node, key: str, title: str, code: str, **values: object) -> None:
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.diagnostics.append(Diagnostic.of(self.file, where, key, title, code, **values))

    def note(self, node: Node, key: str) -> None:
        self.locations[key] = (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass(frozen=True)
class PositionRef:
    """A step's 办理岗位: a position of the item's department, or ``dept/pos`` of another one."""

    department: str
    """The department that holds the position (the item's own when the reference names none)."""
    position: str
    """The position id inside that department."""
    written: str
    """The reference as written: ``pos`` or ``dept/pos``."""


class Publisher(Protocol):
    """What open data needs to know beyond a value: where files are published and who positions are."""

    def file_url(self, path: str) -> str: ...

    def position(self, ref: PositionRef) -> Json: ...


Names = Callable[[PositionRef], str]
"""How one version of the catalog names a position (by its title), for the change report."""


@dataclass(frozen=True)
class Difference:
    """One public change between two versions of a value."""

    text: str
    """E.g. ``承诺办结时限 5 → 3 个工作日``."""
    worse: bool = False
    """True when the change makes things worse for applicants."""


@dataclass(frozen=True)
class Sides:
    """How each of the two versions names positions."""

    old: Names
    new: Names


def _is_integer(value: object) -> TypeGuard[int | float]:
    """An integer as JSON Schema counts it: an int, or a float without a fractional part (not a boolean)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())


@dataclass(frozen=True)
class Spec:
    """What one value must be, and how it is published and compared."""

    title: str
    """The Chinese name, shown in messages, the editor and the change report."""
    description: str = ""
    """Help for editors (JSON Schema ``description``)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        raise NotImplementedError

    def schema(self) -> Schema:
        """The JSON Schema of the value in YAML, without title and description."""
        raise NotImplementedError

    def json_schema(self) -> Schema:
        """The editor JSON Schema of the value."""
        annotated: Schema = {"title": self.title}
        if self.description:
            annotated["description"] = self.description
        return {**annotated, **self.schema()}

    def build(self, plain: Plain, context: Mapping[str, object]) -> Any:
        """The typed value of checked data."""
        return plain

    def publish(self, value: Any, publisher: Publisher) -> Json:
        """The value in open data: checked values are JSON already."""
        published: Json = value
        return published

    def publish_schema(self) -> Schema:
        """The JSON Schema of :meth:`publish`'s output."""
        return self.schema()

    def shown(self, value: Any, names: Names) -> str:
        """The value in the change report."""
        return str(value)

    def worse(self, old: Any, new: Any) -> bool:
        """Whether ``new`` is worse for applicants than ``old`` (both stated)."""
        return False

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        """The changes from ``old`` to ``new`` (None: not stated), named ``prefix`` + this spec's title."""
        before = NOT_STATED if old is None else self.shown(old, sides.old)
        after = NOT_STATED if new is None else self.shown(new, sides.new)
        if before != after:
            worse = old is not None and new is not None and self.worse(old, new)
            yield Difference(f"{prefix}{self.title} {before} → {after}", worse)
