"""The file format as data: one declaration per key, with its Chinese title.

The same declarations check YAML nodes (with located, Chinese messages) and
produce the JSON Schema that editors use for help and autocompletion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic
from .messages import did_you_mean, message, quote_choices
from .model import DURATION_FORMS, Duration

INVALID: Any = object()
"""Returned by a check when the value is wrong; the caller drops the key."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TYPE_NAMES = {_INT: "数字", _BOOL: "true/false", _NULL: "空值", "tag:yaml.org,2002:float": "数字"}
PLACEHOLDER = "【请填写"
"""How ``python -m generator new`` marks what the editor must still fill in."""
_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OWNER_RE = re.compile(r"^(@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*|[^@\s]+@[^@\s]+\.[^@\s]+)$")


@dataclass
class Checker:
    """State of one file's check: where values are and what went wrong."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    locations: dict[str, tuple[int, int]] = field(default_factory=dict)

    def error(self, node: Node, key: str, text: str) -> None:
        mark = node.start_mark
        self.diagnostics.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, key, text))


def describe(node: Node) -> str:
    """How a wrong value is named in a message."""
    if isinstance(node, MappingNode):
        return "映射"
    if isinstance(node, SequenceNode):
        return "列表"
    return _TYPE_NAMES.get(node.tag, "文字")


@dataclass(frozen=True)
class Spec:
    """What one value must be."""

    title: str
    description: str = ""

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def annotate(self, schema: dict[str, Any]) -> dict[str, Any]:
        schema = {"title": self.title, **schema}
        if self.description:
            schema["description"] = self.description
        return schema

    def label(self, key: str) -> str:
        return f"{key} ({self.title})" if key else self.title


@dataclass(frozen=True)
class Text(Spec):
    """Any non-empty scalar, kept as written (so ``no`` stays text, not false)."""

    max_length: int = 2000
    validator: Callable[[str], str | None] | None = None
    """Returns a message key when the text is wrong."""
    pattern: str = ""
    """The JSON Schema pattern equivalent to ``validator``."""
    examples: tuple[str, ...] = ()

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        label = self.label(key)
        if not isinstance(node, ScalarNode) or node.tag == _NULL:
            if isinstance(node, ScalarNode):
                checker.error(node, label, message("empty_text"))
            else:
                checker.error(node, label, message("expected_text", got=describe(node)))
            return INVALID
        value = node.value.strip()
        if not value:
            checker.error(node, label, message("empty_text"))
            return INVALID
        if PLACEHOLDER in value:
            checker.error(node, label, message("placeholder", value=value))
            return INVALID
        if len(value) > self.max_length:
            checker.error(node, label, message("too_long", length=len(value), limit=self.max_length))
            return INVALID
        problem = self.validator(value) if self.validator else None
        if problem:
            checker.error(node, label, message(problem, value=value, forms=quote_choices(DURATION_FORMS)))
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": ["string", "number"], "minLength": 1}
        if self.pattern:
            schema = {"type": "string", "pattern": self.pattern}
        if self.examples:
            schema["examples"] = list(self.examples)
        return self.annotate(schema)


def _duration_problem(value: str) -> str | None:
    return None if Duration.parse(value) else "bad_duration"


def is_ident(value: str) -> bool:
    """True for ids of steps, positions and items: lowercase letters, digits and hyphens."""
    return _ID_RE.match(value) is not None


def _id_problem(value: str) -> str | None:
    return None if _ID_RE.match(value) else "bad_id"


def _url_problem(value: str) -> str | None:
    return None if _URL_RE.match(value) else "bad_url"


def _date_problem(value: str) -> str | None:
    return None if _DATE_RE.match(value) else "bad_date"


def _owner_problem(value: str) -> str | None:
    return None if _OWNER_RE.match(value) else "bad_owner"


def _path_problem(value: str) -> str | None:
    parts = value.replace("\\", "/").split("/")
    bad = value.startswith(("/", "~")) or ":" in value or any(p in ("", ".", "..") for p in parts)
    return "bad_path" if bad else None


def duration(title: str, description: str = "") -> Text:
    pattern = r"^\s*(即办|\d+(\.\d+)?\s*(个\s*)?(工作日|自然日|小时))\s*$"
    return Text(title, description, 20, _duration_problem, pattern, DURATION_FORMS)


def ident(title: str, description: str = "") -> Text:
    return Text(title, description, 64, _id_problem, _ID_RE.pattern)


def url(title: str, description: str = "") -> Text:
    return Text(title, description, 500, _url_problem, r"^[hH][tT][tT][pP][sS]?://\S+$")


def date(title: str, description: str = "") -> Text:
    return Text(title, description, 10, _date_problem, _DATE_RE.pattern)


def owner(title: str, description: str = "") -> Text:
    """A code host account, team or e-mail address, as CODEOWNERS accepts it."""
    return Text(title, description, 100, _owner_problem, _OWNER_RE.pattern)


def relpath(title: str, description: str = "") -> Text:
    return Text(title, description, 200, _path_problem, r"^(?!/)(?!.*\.\.)[^:\\]+$")


@dataclass(frozen=True)
class Integer(Spec):
    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if isinstance(node, ScalarNode) and node.tag == _INT and node.value.isdigit():
            return int(node.value)
        checker.error(node, self.label(key), message("expected_int", value=_shown(node)))
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return self.annotate({"type": "integer", "minimum": 0})


@dataclass(frozen=True)
class Boolean(Spec):
    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        checker.error(node, self.label(key), message("expected_bool", value=_shown(node)))
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return self.annotate({"type": "boolean"})


@dataclass(frozen=True)
class Required(Spec):
    """``true``, or the text of the condition under which a material is needed."""

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            if node.value.lower() in ("true", "yes", "on", "y"):
                return True
        elif isinstance(node, ScalarNode) and node.tag == _STR and node.value.strip():
            return node.value.strip()
        checker.error(node, self.label(key), message("expected_required", value=_shown(node)))
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return self.annotate({"oneOf": [{"const": True}, {"type": "string", "minLength": 1}]})


@dataclass(frozen=True)
class Choice(Spec):
    choices: tuple[str, ...] = ()

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if isinstance(node, ScalarNode) and node.value.strip() in self.choices:
            return node.value.strip()
        value = node.value if isinstance(node, ScalarNode) else describe(node)
        hint = did_you_mean(str(value), self.choices)
        text = message("not_in_choices", value=value, choices=quote_choices(self.choices), hint=hint)
        checker.error(node, self.label(key), text)
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return self.annotate({"enum": list(self.choices)})


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec = field(default_factory=lambda: Text(""))
    min_items: int = 0
    single: bool = False
    """Accept a single item in place of a one-item list (as in ``next: s2``)."""

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if self.single and isinstance(node, ScalarNode) and node.tag != _NULL:
            value = self.item.check(node, key, checker)
            return INVALID if value is INVALID else [value]
        if isinstance(node, ScalarNode) and node.tag == _NULL and self.min_items == 0:
            return []
        if not isinstance(node, SequenceNode):
            checker.error(node, self.label(key), message("expected_list", got=describe(node)))
            return INVALID
        if len(node.value) < self.min_items:
            checker.error(node, self.label(key), message("too_few", min=self.min_items))
        values = []
        for index, child in enumerate(node.value):
            child_key = f"{key}[{index}]"
            checker.locations[child_key] = (child.start_mark.line + 1, child.start_mark.column + 1)
            value = self.item.check(child, child_key, checker)
            if value is not INVALID:
                values.append(value)
        return values

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.single:
            return self.annotate({"oneOf": [self.item.json_schema(), schema]})
        return self.annotate(schema)


@dataclass(frozen=True)
class Field:
    spec: Spec
    required: bool = True


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys; any other key is an error."""

    fields: dict[str, Field] = field(default_factory=dict)

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if not isinstance(node, MappingNode):
            checker.error(node, self.label(key), message("expected_mapping", got=describe(node)))
            return INVALID
        values: dict[str, Any] = {}
        misspelled: set[str] = set()
        for key_node, value_node in node.value:
            name = key_node.value
            child_key = f"{key}.{name}" if key else name
            declared = self.fields.get(name)
            if declared is None:
                hint = did_you_mean(name, self.fields)
                misspelled.update(difflib.get_close_matches(name, list(self.fields), 1, 0.6))
                checker.error(key_node, child_key, message("unknown_key", hint=hint))
                continue
            checker.locations[child_key] = _position(value_node)
            value = declared.spec.check(value_node, child_key, checker)
            if value is not INVALID:
                values[name] = value
        self._check_missing(node, key, checker, misspelled)
        return values

    def _check_missing(self, node: MappingNode, key: str, checker: Checker, misspelled: set[str]) -> None:
        """Report absent required keys, except one already reported as misspelled."""
        present = {k.value for k, _ in node.value} | misspelled
        for name, declared in self.fields.items():
            if declared.required and name not in present:
                child_key = f"{key}.{name}" if key else name
                text = message("missing_key", name=name)
                checker.error(node, declared.spec.label(child_key), text)

    def json_schema(self) -> dict[str, Any]:
        return self.annotate(
            {
                "type": "object",
                "properties": {name: f.spec.json_schema() for name, f in self.fields.items()},
                "required": [name for name, f in self.fields.items() if f.required],
                "additionalProperties": False,
            }
        )


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping from ids to records, such as the positions of a department."""

    value: Spec = field(default_factory=lambda: Text(""))
    min_items: int = 1

    def check(self, node: Node, key: str, checker: Checker) -> Any:
        if not isinstance(node, MappingNode):
            checker.error(node, self.label(key), message("expected_mapping", got=describe(node)))
            return INVALID
        if len(node.value) < self.min_items:
            checker.error(node, self.label(key), message("too_few", min=self.min_items))
        values = {}
        for key_node, value_node in node.value:
            child_key = f"{key}.{key_node.value}"
            if _id_problem(key_node.value):
                checker.error(key_node, self.label(key), message("bad_id", value=key_node.value))
                continue
            checker.locations[child_key] = _position(value_node)
            value = self.value.check(value_node, child_key, checker)
            if value is not INVALID:
                values[key_node.value] = value
        return values

    def json_schema(self) -> dict[str, Any]:
        return self.annotate(
            {
                "type": "object",
                "propertyNames": {"pattern": _ID_RE.pattern},
                "additionalProperties": self.value.json_schema(),
                "minProperties": self.min_items,
            }
        )


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _shown(node: Node) -> str:
    return f'"{node.value}"' if isinstance(node, ScalarNode) else describe(node)


def title_at(spec: Spec, key: str) -> str:
    """The Chinese title of the value at a key path such as ``steps[3].position``."""
    current: Spec | None = spec
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        while isinstance(current, ListOf):
            if part.startswith("["):
                break
            current = current.item
        if isinstance(current, ListOf) and part.startswith("["):
            current = current.item
        elif isinstance(current, Record) and part in current.fields:
            current = current.fields[part].spec
        elif isinstance(current, MapOf):
            current = current.value
        else:
            return ""
    return current.title if current else ""
