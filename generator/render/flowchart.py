"""DOT source of a procedure's flowchart, following GB/T 1526 / ISO 5807.

Ovals start and end the procedure, boxes are steps, diamonds are decisions
(``outcomes``), a dashed loop is 补正 (时限中止), dashed boxes are 特别程序
(不计时), and dark bars fork and join parallel branches (并联审批).  Each
department that takes part gets its own cluster (swimlane).

Security: node ids are generated (``s1``, ``d1`` …), every label is an
HTML-like label built from escaped text, and no URL, image or font attribute
comes from YAML.  This module only writes text; :mod:`generator.render.graphviz` runs dot.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from itertools import pairwise

from ..model import Step
from ..steps import all_timed, critical_path, join_of, reachable
from .fonts import FONT
from .view import ItemView

CRITICAL_COLOR = "#c62828"
LINE_COLOR = "#455a64"
WRAP = 11  # CJK characters per label line; keeps boxes narrow enough for phones
APPLICANT_LANE = "__applicant__"
"""The lane of the applicant's own steps (a department id can never look like this)."""
OTHERWISE = "符合"
"""The label of a decision's ``next``: where it goes when none of its outcomes applies."""


@dataclass
class _Edge:
    tail: str
    head: str
    attrs: dict[str, str]
    pairs: set[tuple[str, str]] = field(default_factory=set)
    """The logical step-to-step links this DOT edge draws; used for highlighting."""


@dataclass(frozen=True)
class _Join:
    """The join bar of one fork: where its branches meet again."""

    bar: str
    target: str
    """The step the branches meet at."""
    inside: frozenset[str]
    """Steps within the fork's branches; their edges into ``target`` go through the bar."""


@dataclass
class _Graph:
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)
    lanes: dict[str, list[str]] = field(default_factory=dict)

    def node(self, node_id: str, lane: str | None = None, **attrs: str) -> None:
        self.nodes[node_id] = attrs
        if lane is not None:
            self.lanes.setdefault(lane, []).append(node_id)

    def edge(self, tail: str, head: str, pairs: set[tuple[str, str]] | None = None, **attrs: str) -> None:
        self.edges.append(_Edge(tail, head, attrs, pairs or set()))


NO_LINE_START = frozenset("，。、；：！？）》」』】〉”’…—·,.;:!?)]}%")
"""避头尾: punctuation that may not begin a line (it stays at the end of the line before)."""
NO_LINE_END = frozenset("（《「『【〈“‘([{")
"""避头尾: punctuation that may not end a line (it moves to the start of the next)."""


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Split text into lines of about ``width`` wide characters (ASCII counts half), following 避头尾:
    closing punctuation hangs at the end of a line, opening punctuation moves to the next."""
    lines, current, size = [], "", 0.0
    for char in text:
        weight = 0.5 if ord(char) < 128 else 1.0
        if size + weight > width and current and char not in NO_LINE_START:
            carried = ""
            while current and current[-1] in NO_LINE_END:
                carried, current = current[-1] + carried, current[:-1]
            if current:
                lines.append(current)
                current, size = carried, float(len(carried))
        current += char
        size += weight
    return [*lines, current] if current else lines


def label(*parts: tuple[str, str]) -> str:
    """An HTML-like label, one table row per line so that lines of different sizes never overprint
    (Graphviz's own line breaks space lines by the font size alone); each part is (style, text) with
    style '', 'b' or 'small'."""
    rows = []
    for style, text in parts:
        for line in wrap(text, WRAP if style != "small" else WRAP + 3):
            escaped = html.escape(line, quote=True)
            if style == "b":
                escaped = f"<B>{escaped}</B>"
            elif style == "small":
                escaped = f'<FONT POINT-SIZE="9">{escaped}</FONT>'
            rows.append(f"<TR><TD>{escaped}</TD></TR>")
    if not rows:
        return "< >"
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


class FlowchartBuilder:
    """Turns one procedure into DOT source."""

    def __init__(self, view: ItemView) -> None:
        self.view = view
        self.procedure = procedure = view.procedure
        self.ids = {step.id: f"s{i + 1}" for i, step in enumerate(procedure.flow)}
        # the critical path is drawn only when every counted step states its time: otherwise it is a guess
        path = critical_path(procedure)[0] if all_timed(procedure) else ()
        self.critical_path = path
        self.critical = set(pairwise(path))
        self.critical_steps = set(path)
        self.graph = _Graph()
        self.joins = self._joins()
        self.joined: set[tuple[str, str]] = set()
        """Edges out of join bars already drawn."""

    def _joins(self) -> list[_Join]:
        """Every fork's join: each fork gets its own bar, even when several forks meet at the same step."""
        joins = []
        for index, step in enumerate(self.procedure.flow):
            target = join_of(self.procedure.flow, step) if len(step.following) > 1 else None
            if target is not None:
                inside = set().union(*(reachable(self.procedure.flow, b) for b in step.following))
                joins.append(_Join(f"j{index + 1}", target, frozenset(inside - {target})))
        return joins

    def build(self) -> str:
        start = self.procedure.flow[0]
        # the class lets a phone start the scrolled view on the main path (chart.js)
        self.graph.node("start", shape="oval", label=label(("b", "申请")), **{"class": "bs-chart-start"})
        self.graph.edge("start", self.ids[start.id])
        for index, step in enumerate(self.procedure.flow):
            self._step(index, step)
        return self._dot()

    @property
    def _lanes(self) -> bool:
        """Swimlanes when more than one party acts: several departments, or the applicant and a department."""
        return len(self.procedure.departments) > 1 or any(s.by_applicant for s in self.procedure.flow)

    def _lane(self, step: Step) -> str | None:
        if not self._lanes:
            return None
        return APPLICANT_LANE if step.by_applicant else step.department

    def _step(self, index: int, step: Step) -> None:
        node_id = self.ids[step.id]
        if step.end:
            self._end(index, node_id, step)
            return
        self.graph.node(node_id, self._lane(step), **self._box(step))
        if len(step.following) > 1:
            self._fork(index, node_id, step)
        elif step.following and not step.alternatives:
            self._link(node_id, step.id, step.following[0])
        if step.alternatives:
            self._decision(index, node_id, step)

    def _box(self, step: Step) -> dict[str, str]:
        if step.by_applicant:
            return {"shape": "box", "style": "rounded,filled", "fillcolor": "#eef3f7", "label": label(("b", step.name))}
        position = self.view.handler(step, "·") or "岗位未公布"
        time = str(step.time) if step.time else "" if step.end else "时限未公布"
        parts = [("b", step.name), ("small", position), ("small", time + ("（不计时）" if step.special else ""))]
        if step.special:
            parts.insert(1, ("small", "特别程序"))
        attrs = {"shape": "box", "label": label(*parts)}
        if step.special:
            attrs["style"] = "dashed,rounded"
        if step.id in self.critical_steps:
            attrs["penwidth"] = "2.2"
            attrs["color"] = CRITICAL_COLOR
        return attrs

    def _end(self, index: int, node_id: str, step: Step) -> None:
        """An end step: an oval, after the step's own box when someone does something in it (发证, 邮寄送达)."""
        if step.position or step.time or step.by_applicant:
            self.graph.node(node_id, self._lane(step), **self._box(step))
            done = f"end{index + 1}"
            self.graph.node(done, shape="oval", label=label(("b", step.end or "办结")))
            self.graph.edge(node_id, done)
        else:
            self.graph.node(node_id, shape="oval", label=label(("b", step.end or "办结")))

    def _link(self, tail: str, source: str, target: str, **attrs: str) -> None:
        """An edge from ``source`` to ``target``; into a join, through the bars of the forks it closes,
        innermost first (source → inner bar → outer bar → target)."""
        chain = sorted(
            (j for j in self.joins if j.target == target and source in j.inside), key=lambda j: len(j.inside)
        )
        if not chain:
            self.graph.edge(tail, self.ids[target], pairs={(source, target)}, **attrs)
            return
        for join in chain:
            if join.bar not in self.graph.nodes:
                self.graph.node(join.bar, **_bar("汇合"))
        self.graph.edge(tail, chain[0].bar, pairs={(source, target)}, **attrs)
        heads = [j.bar for j in chain[1:]] + [self.ids[target]]
        for inner, head in zip(chain, heads, strict=True):
            if (inner.bar, head) not in self.joined:
                self.joined.add((inner.bar, head))
                self.graph.edge(inner.bar, head, pairs={(u, target) for u in inner.inside})

    def _fork(self, index: int, node_id: str, step: Step) -> None:
        bar = f"f{index + 1}"
        self.graph.node(bar, **_bar("并联审批"))
        self.graph.edge(node_id, bar, pairs={(step.id, b) for b in step.following})
        for branch in step.following:
            self.graph.edge(bar, self.ids[branch], pairs={(step.id, branch)})

    def _decision(self, index: int, node_id: str, step: Step) -> None:
        diamond = f"d{index + 1}"
        self.graph.node(diamond, self._lane(step), shape="diamond", label=label(("small", f"{step.name}结论")))
        self.graph.edge(node_id, diamond, pairs={(step.id, o.result) for o in step.alternatives})
        # With ordering=out, left to right: 补正 (its dashed loop goes back up on the left, crossing nothing),
        # the main line (next, then continuing outcomes), refusals on the right.
        numbered = list(enumerate(step.alternatives, start=1))
        for number, outcome in numbered:
            if outcome.is_rework:
                self._rework(f"{diamond}r{number}", diamond, node_id, label(("small", outcome.when)), self._lane(step))
        if step.following and len(step.following) == 1:  # the usual way on; the outcomes are the exceptions
            self._link(diamond, step.id, step.following[0], label=label(("small", OTHERWISE)))
        for number, outcome in sorted(numbered, key=lambda o: o[1].is_terminal):
            when = label(("small", outcome.when))
            if outcome.is_rework:
                continue
            if outcome.is_terminal:
                refused = f"{diamond}x{number}"
                text = label(("b", outcome.result), ("small", "出具滞办反馈告知书"))
                self.graph.node(
                    refused, self._lane(step), shape="oval", style="filled", fillcolor="#ffebee", label=text
                )
                self.graph.edge(diamond, refused, label=when)
            else:
                self._link(diamond, step.id, outcome.result, label=when)

    def _rework(self, node_id: str, diamond: str, step_node: str, when: str, lane: str | None) -> None:
        text = label(("b", "申请人补正"), ("small", "时限中止"))
        self.graph.node(node_id, lane, shape="box", style="dashed,rounded", label=text)
        self.graph.edge(diamond, node_id, style="dashed", label=when)
        back = label(("small", "补正后重新提交（时限中止）"))
        # drawn downwards with the arrow reversed: ranked like a forward edge, it runs straight up the left side
        self.graph.edge(step_node, node_id, style="dashed", dir="back", tailport="w", headport="w", label=back)

    def _dot(self) -> str:
        lines = [
            "digraph flow {",
            "  graph [rankdir=TB, newrank=true, ordering=out, nodesep=0.3, ranksep=0.35, pad=0.15,"
            f' bgcolor="transparent", fontname="{FONT}"];',
            f'  node [fontname="{FONT}", fontsize=11, shape=box, style=rounded, color="{LINE_COLOR}",'
            ' margin="0.16,0.08"];',
            f'  edge [fontname="{FONT}", fontsize=9, color="{LINE_COLOR}", arrowsize=0.7];',
        ]
        in_lanes = {n for members in self.graph.lanes.values() for n in members}
        for lane_number, (department_id, members) in enumerate(self.graph.lanes.items(), start=1):
            names = {d.id: d.label for d in self.view.departments}
            name = "申请人" if department_id == APPLICANT_LANE else names[department_id]
            lines.append(f"  subgraph cluster_{lane_number} {{")
            lines.append(f'    label={label(("b", name))}; style="rounded,dashed"; color="#90a4ae"; margin=10;')
            lines += [f"    {n} [{dot_attrs(self.graph.nodes[n])}];" for n in members]
            lines.append("  }")
        lines += [f"  {n} [{dot_attrs(a)}];" for n, a in self.graph.nodes.items() if n not in in_lanes]
        for edge in self.graph.edges:
            attrs = dict(edge.attrs)
            starts_critical = edge.tail == "start" and bool(self.critical_path)
            if edge.pairs & self.critical or starts_critical or self._closes_critical(edge):
                # weight keeps the critical path straight; side branches bend around it
                attrs.update(penwidth="2.2", color=CRITICAL_COLOR, weight="8")
            lines.append(f"  {edge.tail} -> {edge.head} [{dot_attrs(attrs)}];")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def _closes_critical(self, edge: _Edge) -> bool:
        """The edge from the critical path's last step to its end oval."""
        last = self.ids.get(self.critical_path[-1]) if self.critical_path else None
        return edge.head.startswith("end") and edge.tail == last


def _bar(text: str) -> dict[str, str]:
    return {
        "shape": "box",
        "style": "filled",
        "fillcolor": "#37474f",
        "fontcolor": "#ffffff",
        "height": "0.2",
        "width": "2.2",
        "fixedsize": "false",
        "label": label(("small", text)),
    }


def dot_attrs(attrs: dict[str, str]) -> str:
    """DOT attributes; labels are HTML-like (``<…>``), everything else is ours and quoted."""
    parts = []
    for key, value in attrs.items():
        if key == "label" or key.endswith("label"):
            parts.append(f"{key}={value}")
        else:
            parts.append(f'{key}="{value}"')
    return ", ".join(parts)


def flowchart_dot(view: ItemView) -> str:
    """The DOT source of one item's chart (deterministic, for golden tests)."""
    return FlowchartBuilder(view).build()
