"""Kinds of single values: texts and their special forms, numbers, yes/no, choices."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node, ScalarNode

from ..messages import did_you_mean, quote_choices
from .base import (
    INVALID,
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
    _is_integer,
)
from .values import (
    DURATION,
    POSITION_REF,
    PRINTABLE,
    Duration,
    Rule,
    format_number,
    iso_duration,
    phone_problem,
)
from .vocab import DURATION_UNITS, REQUIRED_WORDS
from .yaml12 import Json, clip, kind_name, resolve, shown


@dataclass(frozen=True)
class Text(Spec):
    """Text, kept as written (``no`` stays text); integers are accepted as their digits."""

    max_length: int = 2000
    rule: Rule | None = None
    """A rule on the value besides the rules of every text (e.g. :data:`~.values.URL`)."""
    integers: bool | None = None
    """Accept a plain integer (``code: 12345``); by default only when there is no rule."""
    examples: tuple[str, ...] = ()
    """Usual values, offered by editors (free text is allowed too)."""

    @property
    def _integers(self) -> bool:
        return self.rule is None if self.integers is None else self.integers

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        if not isinstance(node, ScalarNode):
            checker.report(node, key, self.title, "expected_text", got=kind_name(node))
            return INVALID
        value = resolve(node)
        if self._integers and _is_integer(value):
            return str(node.value)
        if value is None:
            checker.report(node, key, self.title, "empty_text")
            return INVALID
        if not isinstance(value, str):
            checker.report(node, key, self.title, "expected_text", got=kind_name(node))
            return INVALID
        for rule in TEXT_RULES:
            if not rule.allows(value):
                self._broken(rule, value, node, key, checker)
                return INVALID
        if len(value) > self.max_length:
            checker.report(node, key, self.title, "too_long", length=len(value), limit=self.max_length)
            return INVALID
        if self.rule is not None and not self.rule.allows(value):
            self._broken(self.rule, value, node, key, checker)
            return INVALID
        return value.strip()

    def _broken(self, rule: Rule, value: str, node: Node, key: str, checker: Checker) -> None:
        bad = next((i for i, c in enumerate(value) if not PRINTABLE.allows(c)), 0)
        char = f"U+{ord(value[bad]):04X}" if value else ""
        forms = quote_choices(rule.examples)
        why = phone_problem(value) if rule.code == "bad_phone" else ""
        checker.report(
            node, key, self.title, rule.code, value=clip(value), char=char, offset=bad + 1, forms=forms, why=why
        )

    def schema(self) -> Schema:
        rules: list[Json] = [{"pattern": r.pattern} for r in (*TEXT_RULES, *([self.rule] if self.rule else []))]
        text: Schema = {"type": "string", "maxLength": self.max_length, "allOf": rules}
        examples = self.examples or (self.rule.examples if self.rule else ())
        if examples:
            text["examples"] = list(examples)
        if self._integers:
            return {"anyOf": [text, {"type": "integer"}]}
        return text

    def publish_schema(self) -> Schema:
        return {"type": "string", "minLength": 1}

    def shown(self, value: Any, names: Names) -> str:
        return f"“{value}”"


@dataclass(frozen=True)
class Label(Text):
    """Text shown without quotes in the change report (names of units, levels, ids)."""

    def shown(self, value: Any, names: Names) -> str:
        return str(value)


@dataclass(frozen=True)
class DurationText(Text):
    """A time limit (:class:`~.values.Duration`), kept as written: 即办, 当场办结, 1个工作日内, 20日…"""

    max_length: int = 30
    rule: Rule | None = DURATION
    worse_if_longer: bool = True

    def build(self, plain: Plain, context: Mapping[str, object]) -> Duration:
        parsed = Duration.parse(str(plain))
        assert parsed is not None, "checked against the same rule"
        return parsed

    def publish(self, value: Any, publisher: Publisher) -> Json:
        data: dict[str, Json] = {"text": str(value), "amount": float(value.amount), "unit": value.unit}
        data["lower_bound"] = value.lower
        return {**data, "note": value.note or None, "iso8601": iso_duration(value)}

    def publish_schema(self) -> Schema:
        return {
            "type": "object",
            "required": ["text", "amount", "unit", "lower_bound", "note", "iso8601"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "amount": {"type": "number", "minimum": 0},
                "unit": {"enum": list(DURATION_UNITS)},
                "lower_bound": {
                    "type": "boolean",
                    "description": "true：指南只写了最短时限（如 最短仅需5个工作日），不是承诺",
                },
                "note": {"type": ["string", "null"]},
                "iso8601": {
                    "type": ["string", "null"],
                    "pattern": r"^P(T?[0-9]+(\.[0-9]+)?[DHS]|[0-9]+D)$",
                    "description": "日历时长；按工作日计的时限没有固定的日历长度，为 null",
                },
            },
        }

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_longer and bool(new.days > old.days)

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        same = old is not None and new is not None and old.unit == new.unit and old.note == new.note
        if same and old.unit not in ("即办", "无") and old != new:
            unit = f"个{old.unit}" if old.unit in ("工作日", "自然日") else old.unit
            text = f"{prefix}{self.title} {format_number(old.amount)} → {format_number(new.amount)} {unit}"
            yield Difference(text, self.worse(old, new))
            return
        yield from super().diff(old, new, prefix, sides)


@dataclass(frozen=True)
class PositionText(Text):
    """A step's 办理岗位: ``pos`` of the item's department or ``dept/pos`` (:class:`PositionRef`)."""

    max_length: int = 130
    rule: Rule | None = POSITION_REF

    def build(self, plain: Plain, context: Mapping[str, object]) -> PositionRef:
        department, _, position = str(plain).rpartition("/")
        return PositionRef(department or str(context["owner"]), position, str(plain))

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return publisher.position(value)

    def publish_schema(self) -> Schema:
        return {
            "type": "object",
            "required": ["department", "position", "title"],
            "additionalProperties": False,
            "properties": {
                "department": {"type": "string", "minLength": 1},
                "position": {"type": "string", "minLength": 1},
                "title": {"type": "string", "minLength": 1},
            },
        }

    def shown(self, value: Any, names: Names) -> str:
        return names(value)


@dataclass(frozen=True)
class FilePath(Text):
    """A file inside the department's folder (a blank form, a sample); published as its address."""

    max_length: int = 200

    def publish(self, value: Any, publisher: Publisher) -> Json:
        return publisher.file_url(value)


@dataclass(frozen=True)
class Integer(Spec):
    """A whole number in a range."""

    minimum: int = 0
    maximum: int = 999
    unit: str = ""
    """Shown after the number in the change report, e.g. 次."""
    worse_if_more: bool = False

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if _is_integer(value) and self.minimum <= value <= self.maximum:
            return int(value)
        checker.report(
            node, key, self.title, "expected_int", value=shown(node), minimum=self.minimum, maximum=self.maximum
        )
        return INVALID

    def schema(self) -> Schema:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}

    def shown(self, value: Any, names: Names) -> str:
        return f"{value} {self.unit}".strip()

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_more and bool(new > old)


@dataclass(frozen=True)
class Boolean(Spec):
    """``true`` or ``false`` (YAML 1.2: ``yes`` and ``on`` are text, as editors read them)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        checker.report(node, key, self.title, "expected_bool", value=shown(node))
        return INVALID

    def schema(self) -> Schema:
        return {"type": "boolean"}

    def shown(self, value: Any, names: Names) -> str:
        return "是" if value else "否"


@dataclass(frozen=True)
class Required(Spec):
    """``true`` or ``false``, 必要 or 非必要, or the text of the condition under which a material is needed."""

    condition: Text = field(default_factory=lambda: Text("需要提交的情形", max_length=200, integers=False))

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return self.condition.check(node, key, checker)
        checker.report(node, key, self.title, "expected_required", value=shown(node))
        return INVALID

    def schema(self) -> Schema:
        return {"anyOf": [{"type": "boolean"}, self.condition.schema()]}

    def build(self, plain: Plain, context: Mapping[str, object]) -> bool | str:
        if isinstance(plain, bool):
            return plain
        return REQUIRED_WORDS.get(str(plain), str(plain))

    def publish_schema(self) -> Schema:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "minLength": 1}]}

    def shown(self, value: Any, names: Names) -> str:
        return "必需" if value is True else "非必需" if value is False else f"“{value}”时提交"


@dataclass(frozen=True)
class Notice(Text):
    """A text that stands while it is written, such as 暂停办理: its arrival is what the change report must say
    first (worse for applicants), and its removal is said as such, not as a value becoming 未公布."""

    def diff(self, old: Any, new: Any, prefix: str, sides: Sides) -> Iterator[Difference]:
        if old == new:
            return
        if old is None:
            yield Difference(f"新增{prefix}{self.title}：{new}", True)
        elif new is None:
            yield Difference(f"删去{prefix}{self.title}的说明（原为：{old}）", False)
        else:
            yield Difference(f"{prefix}{self.title} {old} → {new}", False)


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed list of texts, from :mod:`generator.contract.vocab`."""

    choices: tuple[str, ...] = ()
    worse_if_later: bool = False
    """Whether a move to a later choice is worse for applicants (网上办理深度)."""

    def check(self, node: Node, key: str, checker: Checker) -> Plain | Invalid:
        value = resolve(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, str) and value in self.choices:
            return value
        written = clip(node.value) if isinstance(node, ScalarNode) else kind_name(node)
        hint = did_you_mean(str(written), self.choices)
        choices = quote_choices(self.choices)
        checker.report(node, key, self.title, "not_in_choices", value=written, choices=choices, hint=hint)
        return INVALID

    def schema(self) -> Schema:
        return {"enum": list(self.choices)}

    def worse(self, old: Any, new: Any) -> bool:
        return self.worse_if_later and self.choices.index(new) > self.choices.index(old)
