"""The step graph of a procedure: walks, forks and joins, the order of the steps, and the critical path.

Edges are ``next`` and outcomes that lead to another step.  补正 is not an
edge: it returns to the applicant with the clock paused, so it can never form
a cycle that counts.  Refusals (不予受理, 不予许可, 不予登记…) and 退件 end the
procedure.  A step may have both: its outcomes are the exceptions and ``next``
is where it goes otherwise.  Several end steps are alternatives (窗口领取,
邮寄送达), reached through outcomes: parallel branches must join before them.

Every walk is iterative: real processes can be long, and a graph of a
thousand steps must not exhaust Python's recursion limit.  The checks that
report a graph's problems are :mod:`generator.rules.flow`; the pages and the
chart (:mod:`generator.render`) use the analysis.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

from .model import Procedure, Step


def all_timed(procedure: Procedure) -> bool:
    """Whether every step whose time counts states it: only then is the critical path's total a stated fact."""
    return all(s.time is not None for s in procedure.flow if not (s.end or s.uncounted))


def find_cycle(steps: tuple[Step, ...]) -> list[str] | None:
    """A cycle as step ids (first id repeated at the end), found by an iterative depth-first walk."""
    by_id = {s.id: s for s in steps}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in steps:
        if root.id in state:
            continue
        path = [root.id]
        stack = [iter(root.successors)]
        state[root.id] = 1
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                return [*path[path.index(target) :], target]
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(by_id[target].successors))
    return None


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
    common = set.intersection(*(reachable(steps, branch) for branch in fork.following))
    return next((s for s in topological_order(steps) if s in common), None)


def topological_order(steps: tuple[Step, ...]) -> list[str]:
    """Step ids so that every edge goes forward, ties broken by the order of the file (the graph is acyclic)."""
    index = {s.id: i for i, s in enumerate(steps)}
    incoming = {s.id: 0 for s in steps}
    for step in steps:
        for target in step.successors:
            incoming[target] += 1
    ready = [index[s] for s, count in incoming.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        step = steps[heapq.heappop(ready)]
        order.append(step.id)
        for target in step.successors:
            incoming[target] -= 1
            if incoming[target] == 0:
                heapq.heappush(ready, index[target])
    return order


def critical_path(procedure: Procedure) -> tuple[tuple[str, ...], Fraction]:
    """The steps that decide the committed limit, and their total: the longest counted path.

    A parallel join waits for its longest branch, and an exclusive choice may
    take its longest alternative, so both reduce to the longest path.  特别程序
    and the applicant's own steps count as zero.  Of routes as long, the one with fewer such steps wins,
    then the main line (``next`` before outcomes, outcomes in their order).
    Those steps are left out of the path returned: they do not count, so
    they are not shown as deciding the limit even where the route passes them.
    """
    steps = procedure.flow
    if not steps:
        return (), Fraction(0)
    by_id = {s.id: s for s in steps}
    best: dict[str, tuple[Fraction, int, tuple[str, ...]]] = {}
    for step_id in reversed(topological_order(steps)):
        step = by_id[step_id]
        # (length, fewer special steps, earlier successor) decides; successors list next before outcomes
        options = [(best[t][0], -best[t][1], -rank, best[t]) for rank, t in enumerate(step.successors) if t in best]
        length, special, tail = max(options)[3] if options else (Fraction(0), 0, ())
        best[step_id] = (length + step.counted_days, special + step.uncounted, (step_id, *tail))
    start = start_steps(steps)[0]
    total, _, path = best[start]
    return tuple(s for s in path if not by_id[s].uncounted), total
