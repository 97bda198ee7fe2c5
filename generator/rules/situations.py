"""The checks of an item's situations (办理情形): ids, the references to them, and their wording.

A situation's materials, conditions and outcomes are shown only to its applicants, so a word that tells another
situation apart (报告表 in the 报告书 situation) is most likely a slip of copying.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..messages import did_you_mean
from ..model import Procedure

if TYPE_CHECKING:
    from .item import ItemCheck


def check_situations(check: ItemCheck) -> Iterator[Diagnostic]:
    """Situation ids are unique, and materials and outcomes name declared ones; a situation changes something;
    no situation's own text uses another's word."""
    situations = check.procedure.situations or ()
    ids = [s.id for s in situations]
    for index, situation in enumerate(situations):
        if situation.id in ids[:index]:
            yield check.error(f"situations[{index}].id", "duplicate_situation", value=situation.id)
    named: set[str] = set()
    for key, names in _references(check.procedure):
        named |= set(names)
        yield from _check_named(check, key, names, ids)
    for index, situation in enumerate(situations):
        if not situation.overrides and situation.id not in named:
            yield check.warning(f"situations[{index}]", "situation_unchanged", value=situation.name)
    if len(set(ids)) == len(ids):
        yield from _check_words(check)


def _check_named(check: ItemCheck, key: str, names: tuple[str, ...], ids: list[str]) -> Iterator[Diagnostic]:
    """Each situation named at ``key`` is declared."""
    choices = "、".join(ids) or "（本事项没有写 situations）"
    for n, name in enumerate(names):
        if name not in ids:
            yield check.error(
                f"{key}[{n}]", "unknown_situation", value=name, choices=choices, hint=did_you_mean(name, ids)
            )


def _check_words(check: ItemCheck) -> Iterator[Diagnostic]:
    """A text shown only in some situations must not use the word that tells another situation apart (the
    报告书 situation's list must not ask for a 报告表): one warning per text."""
    situations = check.procedure.situations or ()
    terms = situation_terms([s.name for s in situations])
    words = {s.id: terms[s.name] for s in situations if s.name in terms}
    names = {s.id: s.name for s in situations}
    for key, text, shown_in in _own_texts(check.procedure):
        other = _foreign(text, shown_in, words)
        if other is not None:
            situation, value = names[shown_in[0]], words[other]
            yield check.warning(key, "situation_names_other", value=value, other=names[other], situation=situation)


def _foreign(text: str, shown_in: tuple[str, ...], words: dict[str, str]) -> str | None:
    """The situation (id) whose word a text shown in ``shown_in`` uses, when it uses none of its own's."""
    if not shown_in or any(words.get(i, "\0") in text for i in shown_in):
        return None
    return next((i for i, word in words.items() if i not in shown_in and word in text), None)


def _own_texts(p: Procedure) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """The texts that only the applicants of some situations see: key, text and those situations."""
    ids = {s.id for s in p.situations or ()}
    yield from _situations_own(p)
    for index, material in enumerate(p.materials):
        required = ("required",) if isinstance(material.required, str) else ()
        for key, text in _texts_of(f"materials[{index}]", material, ("name", "notes", *required)):
            yield key, text, _shown_in(material.situations, ids)
    for index, step in enumerate(p.flow):
        for n, outcome in enumerate(step.alternatives):
            yield f"steps[{index}].outcomes[{n}].when", outcome.when, _shown_in(outcome.situations, ids)


def _situations_own(p: Procedure) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Each situation's own description, conditions and notes."""
    for index, situation in enumerate(p.situations or ()):
        for key, text in _texts_of(f"situations[{index}]", situation, ("description",), ("conditions", "notes")):
            yield key, text, (situation.id,)


def _shown_in(situations: tuple[str, ...] | None, ids: set[str]) -> tuple[str, ...]:
    """The declared situations among ``situations``; none (shown to everyone) when it names none."""
    return tuple(i for i in situations or () if i in ids)


def _texts_of(
    key: str, record: object, single: tuple[str, ...], lists: tuple[str, ...] = ()
) -> Iterator[tuple[str, str]]:
    """The stated texts of a record's keys ``single`` and of its lists of texts ``lists``, with their key paths."""
    for name in single:
        if getattr(record, name):
            yield f"{key}.{name}", getattr(record, name)
    for name in lists:
        for n, text in enumerate(getattr(record, name) or ()):
            yield f"{key}.{name}[{n}]", text


def _references(p: Procedure) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Where the item names situations: materials and outcomes."""
    for index, material in enumerate(p.materials):
        if material.situations:
            yield f"materials[{index}].situations", material.situations
    for index, step in enumerate(p.flow):
        for n, outcome in enumerate(step.alternatives):
            if outcome.situations:
                yield f"steps[{index}].outcomes[{n}].situations", outcome.situations


TERM_LENGTH = 3
"""The fewest characters of a word that tells a situation apart (书 alone is not a word; 报告书 is)."""


def situation_terms(names: list[str]) -> dict[str, str]:
    """The word that tells each situation apart from the others, by name: what remains of its name without the
    beginning and ending all names share, widened to a few characters with the shared text around it
    (编制环境影响报告书的 / 编制环境影响报告表的 → 报告书 / 报告表).  A name whose word is part of another's name
    (本地户籍 in 非本地户籍) has none."""
    if len(names) < 2:
        return {}
    prefix = _shared_start(names)
    suffix = _shared_start([n[::-1] for n in names])
    terms: dict[str, str] = {}
    for name in names:
        term = _widened(name, prefix, len(name) - suffix)
        if term and not any(term in other for other in names if other != name):
            terms[name] = term
    return terms


def _widened(name: str, start: int, end: int) -> str:
    """``name[start:end]``, widened to :data:`TERM_LENGTH` characters with the text before it, then after it."""
    if start >= end:
        return ""
    grow = TERM_LENGTH - (end - start)
    before = min(max(grow, 0), start)
    after = min(max(grow - before, 0), len(name) - end)
    return name[start - before : end + after]


def _shared_start(texts: list[str]) -> int:
    """How many characters all ``texts`` begin with."""
    length = 0
    for characters in zip(*texts, strict=False):
        if len(set(characters)) > 1:
            break
        length += 1
    return length
