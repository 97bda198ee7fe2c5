"""An outsider who reads every number the built site publishes from case records and tries to work out the hidden
ones: the open data (JSON and CSV), the statistics page's tables and the line on each item page.

It writes down every linear relation it knows from what the figures mean (README 效能公开): totals are sums of
their parts along each dimension (items → departments → the site, months → the year), each count splits into its
categories (received = online + the rest; counted = on time + late; rated = satisfied + the rest …), and a rate is
its part over its whole to the printed precision.  Then, for each unknown cell, a linear program (SciPy's HiGHS)
gives the smallest and largest value it can take.  Nothing here imports the generator: the relations are the
reader's, not the builder's.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

Cell = tuple[str, str]

COUNTS = {
    "received": "办件量", "online": "网上申请", "finished": "办结量", "done": "办结（准予）", "immediate": "即办件",
    "counted": "计入按时率的办结件", "on_time": "按时办结", "late": "超期办结", "open": "在办",
    "open_overdue": "在办超期", "rated": "好差评评价数", "satisfied": "满意评价数",
}  # fmt: skip
SPLITS = [
    ("received", ("online", "offline")),
    ("finished", ("done", "refused")),
    ("done", ("immediate", "later")),
    ("finished", ("counted", "uncounted")),
    ("counted", ("on_time", "late")),
    ("open", ("open_overdue", "open_in_time")),
    ("finished", ("rated", "unrated")),
    ("rated", ("satisfied", "unsatisfied")),
]
"""What the README says each count is made of (the parts that are not printed are unknowns)."""
RATES = {
    "on_time_rate": ("on_time", "counted"),
    "immediate_rate": ("immediate", "done"),
    "online_rate": ("online", "received"),
    "satisfaction_rate": ("satisfied", "rated"),
}
RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")


@dataclass
class Knowledge:
    """Everything the outsider has read: known values, cells seen hidden, relations and rates."""

    values: dict[Cell, int] = field(default_factory=dict)
    hidden: set[Cell] = field(default_factory=set)
    cells: set[Cell] = field(default_factory=set)
    sums: list[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=list)
    rates: list[tuple[Cell, Cell, float, float]] = field(default_factory=list)
    """(part, whole, rate, half of the printed precision)."""

    def see(self, cell: Cell, value: int | None) -> None:
        self.cells.add(cell)
        if value is None:
            self.hidden.add(cell)
            return
        old = self.values.setdefault(cell, value)
        assert old == value, f"{cell} is published as {old} and as {value}"

    def rate(self, group: str, key: str, value: float | None, precision: float) -> None:
        if value is not None:
            part, whole = RATES[key]
            self.rates.append(((group, part), (group, whole), value, precision))

    def add(self, total: Cell, parts: list[Cell] | tuple[Cell, ...]) -> None:
        self.cells.update([total, *parts])
        self.sums.append((total, tuple(parts)))

    def intervals(self, cells: set[Cell], wide: float) -> dict[Cell, tuple[float, float]]:
        """The smallest and largest value each of ``cells`` can take, given everything read; an interval already
        ``wide`` or wider is not narrowed further (its ends are then values the cell can take, not the extremes).

        Each group of unknowns joined by a relation is a linear program of its own; every solution is a table the
        site could have come from, so a cell already seen to take values ``wide`` apart needs no program."""
        found = {cell: (float(self.values[cell]),) * 2 for cell in cells if cell in self.values}
        for group in self._groups():
            for cell in sorted(cells & group.column.keys()):
                found[cell] = group.interval(cell, wide)
        return found

    def _groups(self) -> list[_Program]:
        """The unknowns grouped by the relations that join them, each with its relations as rows
        ``(coefficients, constant)``: equalities ``Σ = constant`` and bounds ``Σ ≤ constant``."""
        equal: list[Row] = []
        for total, parts in self.sums:
            equal.append(self._row([(total, 1.0), *((p, -1.0) for p in parts)], 0.0))
        upper: list[Row] = []
        for part, whole, value, eps in self.rates:  # (value - eps) * whole <= part <= (value + eps) * whole
            upper.append(self._row([(part, 1.0), (whole, -(value + eps))], 0.0))
            upper.append(self._row([(part, -1.0), (whole, value - eps)], 0.0))
        parent: dict[Cell, Cell] = {c: c for c in self.cells if c not in self.values}

        def root(cell: Cell) -> Cell:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for coefficients, _ in equal + upper:
            first, *rest = coefficients or [None]
            for other in rest:
                parent[root(other)] = root(first)  # type: ignore[arg-type]
        members: dict[Cell, list[Cell]] = {}
        for cell in sorted(parent):
            members.setdefault(root(cell), []).append(cell)
        programs = []
        for cells in members.values():
            own = root(cells[0])
            mine = [r for r in equal if r[0] and root(next(iter(r[0]))) == own]
            bounds = [r for r in upper if r[0] and root(next(iter(r[0]))) == own]
            programs.append(_Program({c: n for n, c in enumerate(cells)}, mine, bounds))
        return programs

    def _row(self, terms: list[tuple[Cell, float]], constant: float) -> Row:
        coefficients: dict[Cell, float] = {}
        for cell, coefficient in terms:
            if cell in self.values:
                constant -= coefficient * self.values[cell]
            else:
                coefficients[cell] = coefficients.get(cell, 0.0) + coefficient
        return coefficients, constant


Row = tuple[dict[Cell, float], float]


class _Program:
    """One group of unknowns, its relations, and the smallest and largest value of each unknown seen so far."""

    def __init__(self, column: dict[Cell, int], equal: list[Row], upper: list[Row]) -> None:
        import numpy as np

        self.column = column
        self.equal, self.upper = self._matrix(equal), self._matrix(upper)
        self.lowest = np.full(len(column), np.inf)
        self.highest = np.full(len(column), -np.inf)

    def _matrix(self, rows: list[Row]) -> tuple[object, object]:
        import numpy as np
        from scipy.sparse import lil_matrix

        if not rows:
            return None, None
        matrix = lil_matrix((len(rows), len(self.column)))
        for n, (coefficients, _) in enumerate(rows):
            for cell, value in coefficients.items():
                matrix[n, self.column[cell]] = value
        return matrix.tocsr(), np.array([constant for _, constant in rows])

    def interval(self, cell: Cell, wide: float) -> tuple[float, float]:
        import numpy as np
        from scipy.optimize import linprog

        n = self.column[cell]
        for sign in (1.0, -1.0):
            if self.highest[n] - self.lowest[n] >= wide:
                break
            cost = np.zeros(len(self.column))
            cost[n] = sign
            result = linprog(
                cost, A_ub=self.upper[0], b_ub=self.upper[1], A_eq=self.equal[0], b_eq=self.equal[1],
                bounds=(0, None), method="highs",
            )  # fmt: skip
            assert result.status in (0, 3), result.message  # optimal, or unbounded
            if result.status == 3:
                self.highest[n] = np.inf
                continue
            np.minimum(self.lowest, result.x, out=self.lowest)
            np.maximum(self.highest, result.x, out=self.highest)
        return float(self.lowest[n]), float(self.highest[n])


def read_site(site: Path) -> Knowledge:
    """Everything ``site`` publishes from case records, with the relations between it."""
    know = Knowledge()
    data = json.loads((site / "data/performance.json").read_text(encoding="utf-8"))
    groups = {"site": data["site"]}
    groups.update({f"month:{m}": f for m, f in data["months"].items()})
    groups.update({f"department:{d}": f for d, f in data["departments"].items()})
    groups.update({f"item:{c}": f for c, f in data["items"].items()})
    for group, figures in groups.items():
        for key in COUNTS:
            if key in figures:
                know.see((group, key), figures[key])
        for key in RATES:
            know.rate(group, key, figures[key], 0.00005)
        month = group.startswith("month:")
        for whole, parts in SPLITS:
            if not (month and whole == "open"):
                know.add((group, whole), [(group, p) for p in parts])
    everything = [*COUNTS, *(p for _, parts in SPLITS for p in parts)]
    for name in dict.fromkeys(everything):
        know.add(("site", name), [(f"department:{d}", name) for d in data["departments"]])
        for d in data["departments"]:
            codes = [c for c, item in data["items"].items() if item["department"] == d]
            know.add((f"department:{d}", name), [(f"item:{c}", name) for c in codes])
        if not name.startswith("open"):
            know.add(("site", name), [(f"month:{m}", name) for m in data["months"]])
    for name, value in data["ratings"].items():
        know.see(("site", f"rating:{RATINGS.index(name)}"), value)
    know.add(("site", "satisfied"), [("site", f"rating:{n}") for n in range(3)])
    know.add(("site", "rated"), [("site", f"rating:{n}") for n in range(5)])
    _csv(site, data, know)
    _stats_page(site, data, know)
    _item_pages(site, data, know)
    return know


def number(text: str) -> int | None:
    text = text.strip().removesuffix("件").strip()
    return None if text == "*" else int(text.replace(",", ""))


def percent(text: str) -> float | None:
    text = text.strip()
    return None if text == "—" else float(text.rstrip("%")) / 100


def _csv(site: Path, data: dict, know: Knowledge) -> None:
    """The CSV says what the JSON says (each row is one group)."""
    rows = list(csv.DictReader(io.StringIO((site / "data/performance.csv").read_text(encoding="utf-8-sig"))))
    names = {d["name"]: d_id for d_id, d in data["departments"].items()}
    for row in rows:
        scope = row["范围"]
        group = {
            "全市": "site",
            "月份": f"month:{row['月份']}",
            "部门": f"department:{names.get(row['部门'], row['部门'])}",
            "事项": f"item:{row['实施编码']}",
        }[scope]
        for key, title in COUNTS.items():
            if row[title] != "" and not (scope == "月份" and key.startswith("open")):
                know.see((group, key), number(row[title]))


def _cells(table_html: str) -> list[list[str]]:
    """Each row's cell texts; a cell that links to a department reads as that department's folder."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table_html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([_text(c) for c in cells])
    return rows


def _text(cell: str) -> str:
    folder = re.search(r'href="[./]*departments/([a-z0-9-]+)/', cell)
    return folder.group(1) if folder else html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def _table(page: str, table_id: str) -> list[list[str]]:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    return _cells(found.group(0))[1:] if found else []


def _stats_page(site: Path, data: dict, know: Knowledge) -> None:
    page = (site / "stats/index.html").read_text(encoding="utf-8")
    page = page[page.index('id="cases"') : page.index('id="catalogue"')]
    kpis = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    for key, title in (("received", "办件量"), ("finished", "办结量"), ("late", "超期办结"), ("open", "在办"),
                       ("open_overdue", "在办超期")):  # fmt: skip
        know.see(("site", key), number(kpis[title]))
    for key, title in (("on_time_rate", "按时办结率"), ("immediate_rate", "即办率"), ("online_rate", "网办率"),
                       ("satisfaction_rate", "好差评满意率")):  # fmt: skip
        know.rate("site", key, percent(kpis[title]), 0.0005)
    for month, received, finished, on_time, late, satisfied in _table(page, "stat-months"):
        year, number_ = re.match(r"(\d+)年(\d+)月", month).groups()
        group = f"month:{year}-{int(number_):02d}"
        know.see((group, "received"), number(received))
        know.see((group, "finished"), number(finished))
        know.see((group, "late"), number(late))
        know.rate(group, "on_time_rate", percent(on_time), 0.0005)
        know.rate(group, "satisfaction_rate", percent(satisfied), 0.0005)
    complaints = {}
    for folder, received, on_time, late, online, satisfied, complained in _table(page, "stat-cases-departments"):
        group = f"department:{folder}"
        complaints[folder] = number(complained)
        if received != "无办件记录":
            know.see((group, "received"), number(received))
            know.see((group, "late"), number(late))
            know.rate(group, "on_time_rate", percent(on_time), 0.0005)
            know.rate(group, "online_rate", percent(online), 0.0005)
            know.rate(group, "satisfaction_rate", percent(satisfied), 0.0005)
    codes = {item["name"]: code for code, item in data["items"].items()}
    for name, _, late, on_time in _table(page, "stat-overdue"):
        know.see((f"item:{codes[name]}", "late"), number(late))
        know.rate(f"item:{codes[name]}", "on_time_rate", percent(on_time), 0.0005)
    for name, _, satisfied, rated in _table(page, "stat-unhappy"):
        know.see((f"item:{codes[name]}", "rated"), number(rated))
        know.rate(f"item:{codes[name]}", "satisfaction_rate", percent(satisfied), 0.0005)
    ratings = re.search(r"<p>好差评：(.*?)（件）。</p>", page)
    if ratings:
        for name, value in re.findall(r"(\S+?) ([\d,*]+)", ratings.group(1).replace("，", " ")):
            know.see(("site", f"rating:{RATINGS.index(name)}"), number(value))
    _complaints(page, complaints, know)
    excluded = re.search(r"未计入按时办结率的：(.*?)。", page)
    reasons = []
    if excluded:
        for n, (_, value) in enumerate(re.findall(r"([^；\d*]+?) ([\d,*]+) 件", excluded.group(1))):
            know.see(("site", f"excluded:{n}"), number(value))
            reasons.append(("site", f"excluded:{n}"))
    know.add(("site", "uncounted"), reasons)


def _complaints(page: str, by_department: dict[str, int | None], know: Knowledge) -> None:
    total = re.search(r"受理效能投诉 ([\d,*]+) 件，办结 ([\d,*]+) 件，其中属实或部分属实 ([\d,*]+) 件", page)
    if not total:
        return
    for key, value in zip(("received", "closed", "upheld"), total.groups(), strict=True):
        know.see(("complaints:*", key), number(value))
    rows = {"": ("0", "0", "0")}
    for folder, received, closed, upheld in _table(page, "stat-complaints"):
        rows[folder if folder in by_department else ""] = (received, closed, upheld)
    for d, value in by_department.items():
        know.see((f"complaints:{d}", "received"), value)
    groups = [f"complaints:{d}" for d in {**{d: 0 for d in by_department}, **rows}]
    for d, (received, closed, upheld) in rows.items():
        if d or received != "0":
            for key, value in zip(("received", "closed", "upheld"), (received, closed, upheld), strict=True):
                know.see((f"complaints:{d}", key), number(value))
    for key in ("received", "closed", "upheld", "not_upheld"):
        know.add(("complaints:*", key), [(g, key) for g in groups])
    for group in ["complaints:*", *groups]:
        know.add((group, "closed"), [(group, "upheld"), (group, "not_upheld")])


def _item_pages(site: Path, data: dict, know: Knowledge) -> None:
    """The line under each item's summary."""
    for page in sorted((site / "items").glob("*/*/index.html")):
        text = page.read_text(encoding="utf-8")
        line = re.search(r'<p class="bs-summary__records">(.*?)</p>', text, re.S)
        if not line:
            continue
        code = re.search(r"实施编码</dt>\s*<dd>([^<]+)</dd>", text)
        group = f"item:{code.group(1).strip()}" if code else ""
        said = html.unescape(re.sub(r"<[^>]+>", "", line.group(1)))
        received = re.search(r"办件 ([\d,]+) 件", said)
        if group and received:
            know.see((group, "received"), number(received.group(1)))
        for key, title in (("on_time_rate", "按时办结"), ("satisfaction_rate", "满意率")):
            found = re.search(rf"{title} ([\d.]+%)", said)
            if group and found:
                know.rate(group, key, percent(found.group(1)), 0.0005)
