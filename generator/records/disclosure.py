"""Statistical disclosure control: which published counts must be hidden so that no small count can be worked out.

Hiding each count of 1–4 cases on its own is not enough: a department's total
minus its items, or "rated" minus "satisfied", gives a hidden count back.  So
every number published from the case records is a cell of one ledger, with
every linear relation a reader knows between them (a total is the sum of its
parts along each dimension; a category is split into its parts), and cells are
hidden in two steps, as statistics offices do (cell suppression):

1. **primary**: every published count of 1 to ``minimum - 1`` cases;
2. **secondary**: more cells, until an outsider who knows every published
   number and every relation (a linear program over the hidden cells, solved
   with HiGHS through SciPy) cannot narrow any hidden count, nor any small
   count that follows from the published ones (such as the ratings of an item
   that were not satisfied), to an interval narrower than ``minimum``.

Secondary cells are chosen greedily: at each problem, the smallest count of at
least ``minimum`` among the relations of the exposed cell, parts before
totals; the audit is then run again until it finds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Cell = tuple[str, str]
"""(group, measure), e.g. ``("item:110…001", "late")`` or ``("site", "received")``."""


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``: known to every reader of the published figures."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


@dataclass
class Ledger:
    """Every count that a reader can compute from the records' publication, and how they add up."""

    values: dict[Cell, int] = field(default_factory=dict)
    """True values of every cell (published or not); never published themselves."""
    shown: set[Cell] = field(default_factory=set)
    """The cells the site would publish; the others (differences such as late cases) are never printed."""
    relations: list[Relation] = field(default_factory=list)

    def add(self, cell: Cell, value: int, shown: bool = True) -> None:
        self.values[cell] = value
        if shown:
            self.shown.add(cell)

    def relate(self, total: Cell, parts: Iterable[Cell]) -> None:
        """``total = sum(parts)``; with no parts, ``total = 0`` (a reader told of no parts knows that too)."""
        if total in self.values:
            self.relations.append(Relation(total, tuple(p for p in parts if p in self.values)))


def secure(ledger: Ledger, minimum: int, secondary: bool = True) -> frozenset[Cell]:
    """The published cells to hide: small counts, and (``secondary``) enough others to protect them."""
    hidden = {c for c in ledger.shown if 0 < ledger.values[c] < minimum}
    if not secondary:
        return frozenset(hidden)
    graph = _Graph(ledger)
    safe: set[Cell] = set()  # hiding more only widens an interval: a cell found safe stays safe
    while True:
        exposed = _audit(ledger, hidden, minimum, graph, safe)
        if not exposed:
            return frozenset(hidden)
        added = False
        touched: set[int] = set()
        for cell in exposed:
            if touched.intersection(graph.of[cell]):
                continue  # a cell hidden for another exposed cell of this relation may already protect it
            extra = _complement(cell, ledger, hidden, graph, minimum)
            if extra is not None:
                hidden.add(extra)
                touched.update(graph.of[extra])
                added = True
        if not added:
            return frozenset(hidden)  # nothing left to hide around them (cannot happen with counts ≥ 0)


def audit(
    ledger: Ledger, hidden: set[Cell] | frozenset[Cell], minimum: int, graph: _Graph | None = None
) -> dict[Cell, tuple[float, float]]:
    """Cells that an outsider can narrow to an interval narrower than ``minimum``, with the interval: every hidden
    cell, and every small count (printed or not).

    The outsider knows every shown cell that is not hidden, and every relation; a hidden or never-shown cell is
    a variable ≥ 0.  Cells pinned by a relation with one unknown are found first; the rest by linear programs,
    one pair (smallest, largest) per guarded cell, per connected group of unknowns."""
    return _audit(ledger, hidden, minimum, graph or _Graph(ledger), set())


def _audit(
    ledger: Ledger, hidden: set[Cell] | frozenset[Cell], minimum: int, graph: _Graph, safe: set[Cell]
) -> dict[Cell, tuple[float, float]]:
    """:func:`audit`, skipping the cells in ``safe`` and adding to it those it finds safe."""
    unknown = {c for c in ledger.values if c not in ledger.shown or c in hidden}
    known = {c: float(v) for c, v in ledger.values.items() if c not in unknown}
    pinned = _propagate(ledger, graph, known, unknown)
    guarded = {c for c in unknown if c in hidden or 0 < ledger.values[c] < minimum} - safe
    exposed = {c: (known[c], known[c]) for c in pinned & guarded}
    free = unknown - pinned
    for component in _components(free, ledger, graph):
        exposed.update(_narrow(component, guarded, ledger, graph, known, minimum))
    safe.update(guarded - exposed.keys())
    return dict(sorted(exposed.items()))


class _Graph:
    """Which relations each cell is in."""

    def __init__(self, ledger: Ledger) -> None:
        self.of: dict[Cell, list[int]] = defaultdict(list)
        for number, relation in enumerate(ledger.relations):
            for cell in relation.cells:
                self.of[cell].append(number)
        self.totals: dict[Cell, int] = defaultdict(int)
        for relation in ledger.relations:
            self.totals[relation.total] += 1


def _propagate(ledger: Ledger, graph: _Graph, known: dict[Cell, float], unknown: set[Cell]) -> set[Cell]:
    """Unknown cells that relations pin exactly (one unknown left in a relation), added to ``known``."""
    left = {n: sum(c in unknown and c not in known for c in r.cells) for n, r in enumerate(ledger.relations)}
    queue = [n for n, count in left.items() if count == 1]
    pinned: set[Cell] = set()
    while queue:
        number = queue.pop()
        relation = ledger.relations[number]
        missing = [c for c in relation.cells if c not in known]
        if len(missing) != 1:
            continue
        cell = missing[0]
        parts = sum(known[c] for c in relation.parts if c != cell)
        known[cell] = parts if cell == relation.total else known[relation.total] - parts
        pinned.add(cell)
        for other in graph.of[cell]:
            left[other] -= 1
            if left[other] == 1:
                queue.append(other)
    return pinned


def _components(free: set[Cell], ledger: Ledger, graph: _Graph) -> list[list[Cell]]:
    """The free cells grouped by the relations that join them."""
    seen: set[Cell] = set()
    groups = []
    for start in sorted(free):
        if start in seen:
            continue
        seen.add(start)
        group, stack = [], [start]
        while stack:
            cell = stack.pop()
            group.append(cell)
            for number in graph.of[cell]:
                for other in ledger.relations[number].cells:
                    if other in free and other not in seen:
                        seen.add(other)
                        stack.append(other)
        groups.append(group)
    return groups


def _narrow(
    component: list[Cell],
    guarded: set[Cell],
    ledger: Ledger,
    graph: _Graph,
    known: Mapping[Cell, float],
    minimum: int,
) -> dict[Cell, tuple[float, float]]:
    """The guarded cells of one component that linear programming pins to an interval narrower than ``minimum``."""
    small = [c for c in component if c in guarded]
    if not small:
        return {}
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    column = {cell: n for n, cell in enumerate(component)}
    numbers = sorted({n for cell in component for n in graph.of[cell]})
    rows, cols, data, rhs = [], [], [], []
    for row, number in enumerate(numbers):
        relation = ledger.relations[number]
        constant = 0.0
        for cell, sign in ((relation.total, 1.0), *((p, -1.0) for p in relation.parts)):
            if cell in column:
                rows.append(row)
                cols.append(column[cell])
                data.append(sign)
            else:
                constant += sign * known[cell]
        rhs.append(-constant)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(numbers), len(component)))
    right = np.array(rhs)
    # Every solution found is a possible table: a cell that already takes values `minimum` apart needs no program
    # of its own.  The true values are one such table.
    truth = np.array([float(ledger.values[cell]) for cell in component])
    lowest, highest = truth.copy(), truth.copy()
    exposed = {}
    for cell in small:
        n = column[cell]
        for sign in (1.0, -1.0):
            if highest[n] - lowest[n] >= minimum - 1e-6:
                break
            cost = np.zeros(len(component))
            cost[n] = sign
            result = linprog(cost, A_eq=matrix, b_eq=right, bounds=(0, None), method="highs")
            if result.status == 0:
                np.minimum(lowest, result.x, out=lowest)
                np.maximum(highest, result.x, out=highest)
            elif sign < 0:  # unbounded above
                highest[n] = np.inf
        if highest[n] - lowest[n] < minimum - 1e-6:
            exposed[cell] = (float(lowest[n]), float(highest[n]))
    return exposed


def _complement(cell: Cell, ledger: Ledger, hidden: set[Cell], graph: _Graph, minimum: int) -> Cell | None:
    """The published cell to hide next to protect ``cell``: from its own relations first, then further out."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates = {
            other
            for c in frontier
            for number in graph.of[c]
            for other in ledger.relations[number].cells
            if other in ledger.shown and other not in hidden
        }
        if candidates:
            return min(candidates, key=lambda c: _cost(c, ledger, graph, minimum))
        following = []
        for c in frontier:
            for number in graph.of[c]:
                for other in ledger.relations[number].cells:
                    if other not in seen:
                        seen.add(other)
                        following.append(other)
        frontier = following
    return None


def _cost(cell: Cell, ledger: Ledger, graph: _Graph, minimum: int) -> tuple[bool, bool, int, int, Cell]:
    """Prefer a count that protects (≥ minimum, not 0), a part over a total, and the smallest such count."""
    value = ledger.values[cell]
    return (value == 0, value < minimum, graph.totals[cell], value, cell)
