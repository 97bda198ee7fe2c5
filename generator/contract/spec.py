"""Kinds of values.  A field declared with one of them gets, from that one declaration:

* ``check``: the structural check of a YAML node (located, Chinese messages) → plain JSON-able data;
* ``json_schema``: the editor JSON Schema, from the same :class:`~generator.contract.values.Rule` objects;
* ``build``: the typed value of the frozen model;
* ``publish`` / ``publish_schema``: the open data value and its JSON Schema;
* ``diff``: what changed between two versions, for ``diff`` and 变更记录.

Fields are declared on the model's dataclasses with :func:`key` (from YAML)
or :func:`derived` (from where the file is, never from YAML); :class:`Record`
reads those declarations.  Absent optional keys are ``None`` in the model,
``null`` in open data and "未公布" in the change report: absent is not zero.

The kinds live in three modules: :mod:`.base` (what every kind does), :mod:`.scalars` (single values) and
:mod:`.containers` (lists, records, maps); this module names them all.
"""

from __future__ import annotations

from .base import (
    INVALID,
    NO_PLACEHOLDER,
    NOT_STATED,
    PLACEHOLDER,
    TEXT_RULES,
    Checker,
    Difference,
    Invalid,
    Names,
    Plain,
    PositionRef,
    Publisher,
    Schema,
    Sides,
    Spec,
)
from .containers import (
    KEY,
    Fees,
    Key,
    ListOf,
    MapOf,
    Record,
    TextOr,
    derived,
    key,
    place_at,
    title_at,
)
from .scalars import (
    Boolean,
    Choice,
    DurationText,
    FilePath,
    Integer,
    Label,
    Notice,
    PositionText,
    Required,
    Text,
)

__all__ = [
    "INVALID",
    "KEY",
    "NOT_STATED",
    "NO_PLACEHOLDER",
    "PLACEHOLDER",
    "TEXT_RULES",
    "Boolean",
    "Checker",
    "Choice",
    "Difference",
    "DurationText",
    "Fees",
    "FilePath",
    "Integer",
    "Invalid",
    "Key",
    "Label",
    "ListOf",
    "MapOf",
    "Names",
    "Notice",
    "Plain",
    "PositionRef",
    "PositionText",
    "Publisher",
    "Record",
    "Required",
    "Schema",
    "Sides",
    "Spec",
    "Text",
    "TextOr",
    "derived",
    "key",
    "place_at",
    "title_at",
]
