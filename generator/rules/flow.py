"""The checks of a procedure's step graph: ids, links, ends, the start, cycles and joins (as diagnostics).

The graph's analysis (walks, joins, the critical path) is :mod:`generator.steps`, which the pages use too.

What an edge is, and why 补正 is none, is said in :mod:`generator.steps`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..contract.vocab import is_step
from ..messages import did_you_mean
from ..model import Procedure, Step
from ..steps import find_cycle, join_of, start_steps


@dataclass(frozen=True)
class Problem:
    """A problem found in the steps, located by key path."""

    key: str
    code: str
    values: Mapping[str, object] = field(default_factory=dict)


def check_flow(procedure: Procedure) -> list[Problem]:
    """Every shape problem of the step graph; later checks run only on a sound graph."""
    steps = procedure.flow
    if not steps:
        return []
    problems = list(_check_ids(steps)) + list(_check_links(steps)) + list(_check_ends(steps))
    if problems:
        return problems
    problems += _check_cycles(steps)  # first: a link back to the first step is a cycle, not a missing start
    if problems:
        return problems
    problems += _check_start(steps)
    if problems:
        return problems
    return list(_check_joins(steps))


def _check_ids(steps: tuple[Step, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, step in enumerate(steps):
        if step.id in seen:
            yield Problem(f"steps[{index}].id", "duplicate_step", {"value": step.id})
        seen.add(step.id)


def _check_links(steps: tuple[Step, ...]) -> Iterator[Problem]:
    ids = [s.id for s in steps]
    known = set(ids)
    for index, step in enumerate(steps):
        for n, target in enumerate(step.following):
            if target not in known:
                key = f"steps[{index}].next[{n}]"
                yield Problem(key, "unknown_step", {"value": target, "hint": did_you_mean(target, ids)})
        for n, outcome in enumerate(step.alternatives):
            if is_step(outcome.result) and outcome.result not in known:
                values = {"value": outcome.result, "steps": "、".join(ids), "hint": did_you_mean(outcome.result, ids)}
                yield Problem(f"steps[{index}].outcomes[{n}].result", "unknown_result", values)


def _check_ends(steps: tuple[Step, ...]) -> Iterator[Problem]:
    if not any(s.end for s in steps):
        yield Problem("steps", "no_end")
    for index, step in enumerate(steps):
        if step.end and (step.next or step.outcomes):
            yield Problem(f"steps[{index}].end", "end_with_next")
        elif not step.end and not step.successors and not step.outcomes:
            yield Problem(f"steps[{index}]", "dead_end", {"value": step.id})


def _check_start(steps: tuple[Step, ...]) -> list[Problem]:
    """One start.  In a graph without cycles that is enough: every step is reached from it (walking back from any
    step ends at a step nothing points to), so there is no separate check for unreachable steps or a missing start."""
    starts = start_steps(steps)
    if len(starts) > 1:
        index = next(i for i, s in enumerate(steps) if s.id == starts[1])
        return [Problem(f"steps[{index}]", "many_starts", {"starts": "、".join(starts)})]
    return []


def _check_cycles(steps: tuple[Step, ...]) -> list[Problem]:
    """A cycle, reported at the link that closes it (the ``next`` or outcome that goes back)."""
    cycle = find_cycle(steps)
    if cycle is None:
        return []
    index = next(i for i, s in enumerate(steps) if s.id == cycle[-2])
    step, back = steps[index], cycle[-1]
    if back in step.following:
        key = f"steps[{index}].next[{step.following.index(back)}]"
    else:
        n = next(n for n, o in enumerate(step.alternatives) if o.result == back)
        key = f"steps[{index}].outcomes[{n}].result"
    return [Problem(key, "cycle", {"cycle": " → ".join(cycle)})]


def _check_joins(steps: tuple[Step, ...]) -> Iterator[Problem]:
    for index, step in enumerate(steps):
        if len(step.following) > 1 and join_of(steps, step) is None:
            yield Problem(f"steps[{index}].next", "no_join", {"branches": "、".join(step.following)})
