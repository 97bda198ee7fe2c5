"""From the true aggregates to the published figures: one ledger of every count a reader can compute, secured
by :mod:`generator.records.disclosure`, then read back with the hidden counts as None."""

from __future__ import annotations

from dataclasses import fields

from .disclosure import Cell, Ledger, secure
from .figures import (
    COUNTS,
    PARTS,
    RATINGS,
    RESTS,
    SATISFIED,
    Aggregates,
    Complaints,
    Figures,
    Performance,
    Shown,
    ShownComplaints,  # fmt: skip
)

ALL = (*COUNTS, *RESTS)
"""Every count of a group: the published ones and the rests."""
MONTHLY = tuple(name for name in ALL if not name.startswith("open"))
"""What a month has: everything but the open cases (counted at the end of the records only)."""
COMPLAINT_COUNTS = ("received", "closed", "upheld")


def publish(a: Aggregates, secondary: bool = True) -> Performance:
    """The aggregates as published: every count that would reveal fewer than ``minimum`` cases hidden.

    ``secondary=False`` hides the small counts only (for the tests that show why that is not enough)."""
    ledger = ledger_of(a)
    hidden = secure(ledger, a.minimum, secondary)

    def count(cell: Cell) -> int | None:
        """The count as published; None when hidden, or not a count of this group (a month's open cases)."""
        return None if cell in hidden or cell not in ledger.values else ledger.values[cell]

    def shown(group: str) -> Shown:
        return Shown(**{name: count((group, name)) for name in COUNTS})

    def complaints(group: str) -> ShownComplaints:
        return ShownComplaints(**{name: count((f"complaints:{group}", name)) for name in COMPLAINT_COUNTS})

    return Performance(
        start=a.start,
        end=a.end,
        minimum=a.minimum,
        demo=a.demo,
        site=shown("site"),
        months=tuple((month, shown(f"month:{month}")) for month, _ in a.months),
        departments={d: shown(f"department:{d}") for d in a.departments},
        items={code: shown(f"item:{code}") for code in a.items},
        ratings=tuple(count(("site", f"rating:{n}")) for n in range(len(RATINGS))),
        complaints={d: complaints(d) for d in a.complaints},
        complaints_total=complaints("*"),
        excluded={reason: count(("site", f"excluded:{reason}")) for reason in a.excluded},
        unknown_codes=count(("records", "unknown_codes")),
        rejected=count(("records", "rejected")),
    )


def ledger_of(a: Aggregates) -> Ledger:
    """Every count published from the records, the rests a reader can subtract, and how they add up."""
    ledger = Ledger()
    groups = {"site": a.site, **{f"month:{m}": f for m, f in a.months}}
    groups.update({f"department:{d}": f for d, f in a.departments.items()})
    groups.update({f"item:{code}": f for code, f in a.items.items()})
    for group, figures in groups.items():
        _group(ledger, group, figures, monthly=group.startswith("month:"))
    for name in ALL:
        ledger.relate(("site", name), ((f"department:{d}", name) for d in a.departments))
        for d in a.departments:
            codes = [code for code, owner in a.owners.items() if owner == d]
            ledger.relate((f"department:{d}", name), ((f"item:{code}", name) for code in codes))
        if name in MONTHLY:
            ledger.relate(("site", name), ((f"month:{m}", name) for m, _ in a.months))
    _ratings(ledger, a.site)
    for reason, n in a.excluded.items():
        ledger.add(("site", f"excluded:{reason}"), n)
    ledger.relate(("site", "uncounted"), (("site", f"excluded:{reason}") for reason in a.excluded))
    _complaints(ledger, a.complaints, a.complaints_total)
    ledger.add(("records", "unknown_codes"), a.unknown_codes)
    ledger.add(("records", "rejected"), a.rejected)
    return ledger


def _group(ledger: Ledger, group: str, f: Figures, monthly: bool) -> None:
    names = MONTHLY if monthly else ALL
    for name in names:
        ledger.add((group, name), f.value(name), name in COUNTS)
    for whole, parts in PARTS:
        if whole in names and all(p in names for p in parts):
            ledger.relate((group, whole), [(group, p) for p in parts])


def _ratings(ledger: Ledger, site: Figures) -> None:
    cells = [("site", f"rating:{n}") for n in range(len(RATINGS))]
    for cell, n in zip(cells, site.ratings, strict=True):
        ledger.add(cell, n)
    ledger.relate(("site", "satisfied"), cells[:SATISFIED])
    ledger.relate(("site", "unsatisfied"), cells[SATISFIED:])


def _complaints(ledger: Ledger, by_department: dict[str, Complaints], total: Complaints) -> None:
    for group, c in [("*", total), *by_department.items()]:
        name = f"complaints:{group}"
        for field in fields(Complaints):
            ledger.add((name, field.name), getattr(c, field.name))
        ledger.add((name, "not_upheld"), c.closed - c.upheld, shown=False)
        ledger.relate((name, "closed"), [(name, "upheld"), (name, "not_upheld")])
    for measure in (*COMPLAINT_COUNTS, "not_upheld"):
        ledger.relate(("complaints:*", measure), ((f"complaints:{d}", measure) for d in by_department))
