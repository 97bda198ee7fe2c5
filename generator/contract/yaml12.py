"""How a YAML scalar reads under the YAML 1.2 core schema, the way editors' tools read it.

PyYAML resolves plain scalars by YAML 1.1, where ``yes``, ``on`` and
``2026-01-05`` are a boolean and a date; VS Code's YAML extension and the
pre-commit ``check-jsonschema`` hook read YAML 1.2, where both are text.  The
structural check reads every scalar through :func:`resolve`, so the validator
and the editor JSON Schema see the same value.
"""

from __future__ import annotations

import math
import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Scalar = str | int | float | bool | None
Json = dict[str, "Json"] | list["Json"] | str | int | float | bool | None

_NULL = re.compile(r"(?:null|Null|NULL|~|)")
_TRUE = re.compile(r"(?:true|True|TRUE)")
_FALSE = re.compile(r"(?:false|False|FALSE)")
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
MAX_DIGITS = 30
"""Longer integers are read as floats, which no integer field accepts (and int() of 5,000 digits raises)."""


def resolve(node: ScalarNode) -> Scalar:
    """The value of a scalar node: quoted and block scalars are text, plain ones resolved by YAML 1.2."""
    text: str = node.value
    if node.style:  # '"', "'", '|' or '>'
        return text
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    for pattern, base in ((_INT, 10), (_OCT, 8), (_HEX, 16)):
        if pattern.fullmatch(text):
            digits = text[2:] if base != 10 else text
            return float("inf") if len(digits) > MAX_DIGITS else int(digits, base)
    if _FLOAT.fullmatch(text):
        return float(text) if len(text) <= MAX_DIGITS else math.inf
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def to_json(node: Node) -> Json:
    """The whole document as JSON-like data, as an editor's schema validator sees it."""
    if isinstance(node, MappingNode):
        return {str(to_json(k)): to_json(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [to_json(item) for item in node.value]
    assert isinstance(node, ScalarNode)
    return resolve(node)


def clip(text: str, limit: int = 60) -> str:
    """Text cut to ``limit`` characters with an ellipsis, for quoting a long value in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(node: Node) -> str:
    """How a wrong value is named in a message: its text, or what kind of thing it is."""
    kind = kind_name(node)
    if kind == "true/false":
        return f"true/false（{node.value}）"
    return f'"{clip(node.value)}"' if kind in ("数字", "文字") else kind


def kind_name(node: Node) -> str:
    """The kind of a value, for 应为…，实际是… messages."""
    if isinstance(node, MappingNode):
        return "映射"
    if isinstance(node, SequenceNode):
        return "列表"
    assert isinstance(node, ScalarNode)
    value = resolve(node)
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "数字"
    return "文字"
