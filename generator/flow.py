"""The step graph of a procedure: its shape checks, forks and joins, and critical path.

Edges are ``next`` and outcomes that lead to another step.  补正 is not an
edge: it returns to the applicant with the clock paused, so it can never form
a cycle that counts.  不予受理 and 不予许可 end the procedure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from .messages import did_you_mean, message
from .model import SPECIAL_RESULTS, Procedure, Step


@dataclass(frozen=True)
class Problem:
    """A problem found in the steps, located by key path."""

    key: str
    text: str


def check_flow(procedure: Procedure) -> list[Problem]:
    """Every shape problem of the step graph; later checks run only on a sound graph."""
    steps = procedure.steps
    problems = list(_check_ids(steps)) + list(_check_links(steps)) + list(_check_ends(steps))
    if problems:
        return problems
    problems += _check_start_and_reach(steps)
    if problems:
        return problems
    problems += _check_cycles(steps)
    if problems:
        return problems
    return list(_check_joins(steps))


def _check_ids(steps: tuple[Step, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, step in enumerate(steps):
        if step.id in seen:
            yield Problem(f"steps[{index}].id", message("duplicate_step", value=step.id))
        seen.add(step.id)


def _check_links(steps: tuple[Step, ...]) -> Iterator[Problem]:
    ids = [s.id for s in steps]
    for index, step in enumerate(steps):
        if step.next and step.outcomes:
            yield Problem(f"steps[{index}].outcomes", message("next_and_outcomes"))
        for n, target in enumerate(step.next):
            if target not in ids:
                hint = did_you_mean(target, ids)
                yield Problem(f"steps[{index}].next[{n}]", message("unknown_step", value=target, hint=hint))
        for n, outcome in enumerate(step.outcomes):
            if outcome.result not in SPECIAL_RESULTS and outcome.result not in ids:
                hint = did_you_mean(outcome.result, [*ids, *SPECIAL_RESULTS])
                key = f"steps[{index}].outcomes[{n}].result"
                yield Problem(key, message("unknown_step", value=outcome.result, hint=hint))


def _check_ends(steps: tuple[Step, ...]) -> Iterator[Problem]:
    ends = [i for i, s in enumerate(steps) if s.end]
    if not ends:
        yield Problem("steps", message("no_end"))
    elif len(ends) > 1:
        names = "、".join(steps[i].id for i in ends)
        yield Problem(f"steps[{ends[1]}].end", message("many_ends", ends=names))
    for index, step in enumerate(steps):
        if step.end and (step.next or step.outcomes):
            yield Problem(f"steps[{index}].end", message("end_with_next"))
        elif not step.end and not step.successors and not step.outcomes:
            yield Problem(f"steps[{index}]", message("dead_end", value=step.id))


def _check_start_and_reach(steps: tuple[Step, ...]) -> list[Problem]:
    starts = start_steps(steps)
    if not starts:
        return [Problem("steps[0]", message("no_start"))]
    if len(starts) > 1:
        index = next(i for i, s in enumerate(steps) if s.id == starts[1])
        return [Problem(f"steps[{index}]", message("many_starts", starts="、".join(starts)))]
    reached = reachable(steps, starts[0])
    return [
        Problem(f"steps[{i}]", message("unreachable", value=s.id)) for i, s in enumerate(steps) if s.id not in reached
    ]


def _check_cycles(steps: tuple[Step, ...]) -> list[Problem]:
    by_id = {s.id: s for s in steps}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(step_id: str) -> list[str] | None:
        state[step_id] = 1
        path.append(step_id)
        for target in by_id[step_id].successors:
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[step_id] = 2
        return None

    for step in steps:
        if step.id not in state and (cycle := visit(step.id)):
            index = next(i for i, s in enumerate(steps) if s.id == cycle[-2])
            return [Problem(f"steps[{index}]", message("cycle", cycle=" → ".join(cycle)))]
    return []


def _check_joins(steps: tuple[Step, ...]) -> Iterator[Problem]:
    for index, step in enumerate(steps):
        if len(step.next) > 1 and join_of(steps, step) is None:
            branches = "、".join(step.next)
            yield Problem(f"steps[{index}].next", message("no_join", branches=branches))


def start_steps(steps: tuple[Step, ...]) -> list[str]:
    targets = {t for s in steps for t in s.successors}
    return [s.id for s in steps if s.id not in targets]


def reachable(steps: tuple[Step, ...], start: str) -> set[str]:
    by_id = {s.id: s for s in steps}
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        todo.extend(by_id[current].successors)
    return seen


def join_of(steps: tuple[Step, ...], fork: Step) -> str | None:
    """The first step that every parallel branch of ``fork`` reaches, in step order."""
    common = set.intersection(*(reachable(steps, branch) for branch in fork.next))
    order = topological_order(steps)
    return next((s for s in order if s in common), None)


def topological_order(steps: tuple[Step, ...]) -> list[str]:
    """Step ids so that every edge goes forward (the graph is known to be acyclic)."""
    by_id = {s.id: s for s in steps}
    done: list[str] = []
    seen: set[str] = set()

    def visit(step_id: str) -> None:
        seen.add(step_id)
        for target in by_id[step_id].successors:
            if target not in seen:
                visit(target)
        done.append(step_id)

    for step in steps:
        if step.id not in seen:
            visit(step.id)
    return done[::-1]


def critical_path(procedure: Procedure) -> tuple[tuple[str, ...], Fraction]:
    """The longest counted path from the start to the end.

    A parallel join waits for its longest branch, and an exclusive choice may
    take its longest alternative, so both reduce to the longest path.  特别程序
    counts as zero.
    """
    steps = procedure.steps
    by_id = {s.id: s for s in steps}
    best: dict[str, tuple[Fraction, tuple[str, ...]]] = {}
    for step_id in reversed(topological_order(steps)):
        step = by_id[step_id]
        tails = [best[t] for t in step.successors if t in best]
        length, tail = max(tails, default=(Fraction(0), ()))
        best[step_id] = (length + step.counted_days, (step_id, *tail))
    start = start_steps(steps)[0]
    total, path = best[start]
    return path, total
