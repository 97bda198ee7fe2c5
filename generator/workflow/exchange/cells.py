"""One value as a table cell and back: texts as written, lists one per line, nested lists as JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ...contract.spec import Boolean, Fees, Integer, ListOf, MapOf, Plain, Record, Required, Spec, TextOr

# Cells ------------------------------------------------------------------------
from .columns import NO, YES


def _complex(spec: Spec) -> bool:
    """Values kept as JSON text in a cell: lists of records, maps, fees, results written as records."""
    return isinstance(spec, MapOf | Fees | TextOr) or (isinstance(spec, ListOf) and isinstance(spec.item, Record))


def to_cell(spec: Spec, value: Plain) -> str | int:
    if value is None:
        return ""
    if isinstance(spec, Fees) and isinstance(value, str):
        return value
    if isinstance(spec, TextOr) and isinstance(value, dict) and list(value) == [spec.text_field]:
        return str(value[spec.text_field])
    if _complex(spec):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(spec, ListOf):
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return value
    return str(value)


def from_cell(spec: Spec, text: str) -> Plain:
    """The plain value of a cell, or ValueError with the reason (in Chinese)."""
    if isinstance(spec, Required) and text in (YES, NO):
        return text == YES
    if isinstance(spec, Boolean):
        if text in (YES, "true", "True"):
            return True
        if text in (NO, "false", "False"):
            return False
        raise ValueError(f"应为 {YES} 或 {NO}")
    if isinstance(spec, Integer):
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise ValueError("应为整数")
        return int(text)
    if isinstance(spec, Fees) and text in ("不收费", "免费"):
        return text
    if isinstance(spec, TextOr) and not text.startswith("{"):
        return {spec.text_field: text}
    if _complex(spec):
        try:
            value: Plain = json.loads(text)
        except ValueError:
            raise ValueError("应为 JSON（导出时的写法）") from None
        return value
    if isinstance(spec, ListOf):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _put(data: dict[str, Plain], path: tuple[str, ...], value: Plain) -> None:
    for part in path[:-1]:
        child = data.setdefault(part, {})
        assert isinstance(child, dict)
        data = child
    data[path[-1]] = value


def _get(data: Mapping[str, Plain], path: tuple[str, ...]) -> Plain:
    current: Plain = dict(data)
    for part in path:
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current
