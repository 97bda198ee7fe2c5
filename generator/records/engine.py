"""Case records → checked cases → figures, in DuckDB (an embedded analytical database: SQL over the files,
no row loops in Python, spilling to disk beyond its memory limit).

The working-day calendar becomes a table: each date has the number of working
days up to it (``widx``) and the first working day from it (``next_workday``),
so a case's time is index arithmetic: for a limit in working days, the case is
on time when ``widx(decided) - widx(accepted) - paused ≤ limit`` and, when it is
equal, it was decided on a working day (a Saturday after the last day is late); in natural
days, when it is decided by ``next_workday(accepted + limit + paused)`` — the
rules of :class:`generator.workdays.WorkCalendar` and the deadline calculator.

Rows that are wrong (a date that is no date, 办结 before 受理, a case id twice,
an unknown status…) are reported with file, row and column and left out;
everything else about a row is counted.  The same SQL runs unchanged over
Parquet files (``read_parquet('s3://…/month=*/*.parquet')``) or in the
province's warehouse: only :func:`load_tables` is about local files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..model import Catalog
from ..workdays import WorkCalendar
from .columns import Columns
from .figures import RATINGS, SATISFIED, Aggregates, Complaints, Figures, Performance
from .files import Table

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection as Connection

DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日",
    "%Y.%m.%d",
    "%Y%m%d",
]
"""How exports write times; an Excel serial number (46027, 46027.5) is read too."""
FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years a date of a case may fall in."""
MAX_DAYS = 3660
MAX_CELL = 128 * 1024
SHOWN_PER_PROBLEM = 50
"""Rows listed per kind of problem and file; the rest are counted."""
ERRORS = (
    "records_blank",
    "records_bad_date",
    "records_bad_status",
    "records_no_finish",
    "records_open_finished",
    "records_finished_before",
    "records_duplicate",
    "records_bad_pause",
    "records_bad_days",
    "records_bad_result",
    "records_cell_too_big",
)
"""Problems that leave the row out; the others are warnings about one value."""

CASE_COLUMNS = (
    "code",
    "case",
    "accepted",
    "finished",
    "status",
    "paused",
    "paused_days",
    "special",
    "special_days",
    "situation",
    "channel",
    "rating",
)
COMPLAINT_COLUMNS = (
    "complaint",
    "complaint_item",
    "complaint_department",
    "complaint_accepted",
    "complaint_closed",
    "complaint_result",
)


@dataclass
class RecordsResult:
    """The aggregates (None without usable records) and every problem found, by file, row and column."""

    aggregates: Aggregates | None
    """The true counts: for the disclosure control and the tests, never published as they are."""
    files: list[Diagnostic] = field(default_factory=list)
    """Problems of whole files: a file that cannot be read or is not a table of cases (errors stop a build)."""
    rows: list[Diagnostic] = field(default_factory=list)
    """Problems of rows: the row is left out (errors) or one value is not counted (warnings)."""
    cases: list[Verdict] = field(default_factory=list)
    """Each counted case's classification, when asked for (``explain``): for checking the rules, never published."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self.files + self.rows)

    @cached_property
    def performance(self) -> Performance | None:
        """What the site publishes: the aggregates after disclosure control."""
        from .publish import publish

        return None if self.aggregates is None else publish(self.aggregates)


@dataclass(frozen=True)
class Verdict:
    """How one case was counted."""

    case: str
    code: str
    on_time: bool | None
    """None when it is not in the on-time rate (open, withdrawn, or ``excluded``)."""
    overdue: bool
    """Decided late, or open past its deadline at the end of the records."""
    excluded: str | None
    elapsed: float | None
    """Counted time: working days, or days for natural-day and 即办 limits."""


def connect(work: Path) -> Connection:
    import duckdb

    spill = work / "spill"
    spill.mkdir(exist_ok=True)
    return duckdb.connect(
        ":memory:",
        config={
            "threads": 2,
            "memory_limit": "1GB",
            "temp_directory": str(spill),
            "preserve_insertion_order": True,
            "autoinstall_known_extensions": False,  # no requests to external hosts, ever
            "autoload_known_extensions": False,
        },
    )


def analyse(
    tables: Sequence[Table],
    catalog: Catalog,
    calendar: WorkCalendar,
    columns: Columns,
    minimum: int,
    demo: bool,
    work: Path,
    explain: bool = False,
) -> RecordsResult:
    """Check the rows and compute the figures of the last 12 months (and each case's verdict, to ``explain``)."""
    con = connect(work)
    try:
        unreadable = load_tables(con, tables)
        usable = [t for t in tables if t.display not in {p.file for p in unreadable}]
        cases = [t for t in usable if t.kind == "cases"]
        if not usable:
            return RecordsResult(None, unreadable)
        _define(con)
        _union(con, cases, CASE_COLUMNS, "cases_raw")
        _union(con, [t for t in usable if t.kind == "complaints"], COMPLAINT_COLUMNS, "complaints_raw")
        _items(con, catalog)
        _parse(con)
        rows = _problems(con, tables, columns)
        if _rows(con, "SELECT count(*) AS n FROM parsed WHERE NOT bad")[0]["n"] == 0:
            return RecordsResult(None, unreadable, rows)
        _calendar(con, calendar)
        _facts(con)
        aggregates = _figures(con, catalog, minimum, demo)
        verdicts = _verdicts(con) if explain else []
        return RecordsResult(aggregates, unreadable, rows, verdicts)
    finally:
        con.close()


def load_tables(con: Connection, tables: Sequence[Table]) -> list[Diagnostic]:
    """Each export as table f<n> of text columns c0, c1…; a file DuckDB cannot parse is reported whole."""
    import duckdb

    problems = []
    for table in tables:
        number = table.number
        names = {f"c{i}": "VARCHAR" for i in range(len(table.header))}
        try:
            con.execute(
                f"CREATE TABLE f{number} AS SELECT * FROM read_csv(?, header = false, skip = 1, delim = ',', "
                "quote = '\"', escape = '\"', columns = ?, null_padding = true, strict_mode = false, "
                "ignore_errors = false, auto_detect = false)",
                [str(table.csv), names],
            )
        except duckdb.Error as error:
            reason = str(error).splitlines()[0][:200]
            problems.append(Diagnostic.of(table.display, (0, 0), "", "文件", "records_unreadable", reason=reason))
    return problems


def _define(con: Connection) -> None:
    formats = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
    con.execute(
        f"""CREATE MACRO parse_time(t) AS CASE
            WHEN t IS NULL OR trim(t) = '' THEN NULL
            WHEN regexp_full_match(trim(t), '[2-7][0-9]{{4}}(\\.[0-9]+)?')
                THEN TIMESTAMP '1899-12-30' + to_seconds(CAST(round(CAST(trim(t) AS DOUBLE) * 86400) AS BIGINT))
            ELSE try_strptime(trim(t), {formats}) END"""
    )
    # A date outside the years the calendar can count (such as 0001 or 9999) is no date of a case.
    con.execute(
        f"""CREATE MACRO parse_day(t) AS CASE
            WHEN parse_time(t) >= TIMESTAMP '{FIRST_YEAR}-01-01' AND parse_time(t) < TIMESTAMP '{LAST_YEAR + 1}-01-01'
            THEN parse_time(t) END"""
    )
    # A number of days: finite, not more than ten years (inf, nan and 1e308 are not days).
    con.execute(
        f"""CREATE MACRO days_number(t) AS CASE
            WHEN isfinite(try_cast(trim(t) AS DOUBLE)) AND try_cast(trim(t) AS DOUBLE) <= {MAX_DAYS}
            THEN try_cast(trim(t) AS DOUBLE) END"""
    )
    con.execute("CREATE MACRO blank(t) AS t IS NULL OR trim(t) = ''")


def _union(con: Connection, tables: Sequence[Table], names: Sequence[str], target: str) -> None:
    """One table of all files of a kind: file number, row as the spreadsheet shows it, canonical columns."""
    selects = []
    for table in tables:
        number = table.number
        cells = ", ".join(
            f"c{table.columns[name]} AS {name}" if name in table.columns else f"NULL::VARCHAR AS {name}"
            for name in names
        )
        used = ", ".join(f"c{table.columns[name]}" for name in names if name in table.columns) or "''"
        selects.append(  # a row with nothing in it (as a worksheet has between tables) is no row
            f"SELECT {number} AS file, rowid + 2 AS row, {cells} FROM f{number} WHERE trim(concat_ws('', {used})) <> ''"
        )
    if not selects:
        cells = ", ".join(f"NULL::VARCHAR AS {name}" for name in names)
        selects.append(f"SELECT NULL::INTEGER AS file, NULL::BIGINT AS row, {cells} WHERE false")
    con.execute(f"CREATE TABLE {target} AS " + " UNION ALL ".join(selects))


def _items(con: Connection, catalog: Catalog) -> None:
    """The items' committed limits (and their situations'), as the day kind they count."""
    rows: list[tuple[str, str, str, float | None, str | None]] = []
    for p in catalog.procedures:
        if p.code is None:
            continue  # no 实施编码: no case records can name it
        variants = [("", p), *zip((s.id for s in p.situations or ()), p.variants, strict=True)]
        for situation, variant in variants:
            limit = variant.committed
            if limit is None or not limit.is_promise:
                kind: str | None = None  # not stated, or a lower bound: on time cannot be judged
            elif limit.is_immediate or limit.unit == "小时":
                kind = "即办"
            else:
                kind = variant.day_kind_of(limit)
            if limit is None:
                rows.append((p.code, situation, p.department, None, None))
                continue
            amount = float(-(-limit.amount // 1)) if kind in ("工作日", "自然日") else 0.0
            rows.append((p.code, situation, p.department, amount if kind else None, kind))
    con.execute("CREATE TABLE items (code VARCHAR, situation VARCHAR, department VARCHAR, amount DOUBLE, kind VARCHAR)")
    if rows:
        con.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", rows)


def _parse(con: Connection) -> None:
    con.execute(
        """CREATE TABLE parsed AS SELECT *,
            parse_day(accepted) AS accepted_at,
            parse_day(finished) AS finished_at,
            CASE WHEN trim(status) = '办结' THEN 'done'
                 WHEN trim(status) LIKE '不予%' THEN 'refused'
                 WHEN trim(status) = '退件' THEN 'returned'
                 WHEN trim(status) = '撤回' THEN 'withdrawn'
                 WHEN trim(status) = '在办' THEN 'open' END AS state,
            days_number(paused_days) AS paused_number,
            days_number(special_days) AS special_number,
            list_position(?, trim(rating)) AS rating_level,
            false AS bad
        FROM cases_raw""",
        [list(RATINGS)],
    )
    con.execute(
        r"""CREATE TABLE pauses AS
        WITH parts AS (
            SELECT file, row, 'paused' AS col, unnest(string_split_regex(trim(paused), '\s*[;；]\s*')) AS part
            FROM parsed WHERE NOT blank(paused)
            UNION ALL
            SELECT file, row, 'special', unnest(string_split_regex(trim(special), '\s*[;；]\s*'))
            FROM parsed WHERE NOT blank(special))
        SELECT file, row, col, part,
            parse_day(regexp_extract(part, '^(.*?)\s*[~～至]\s*(.*)$', 1)) AS starts,
            parse_day(regexp_extract(part, '^(.*?)\s*[~～至]\s*(.*)$', 2)) AS ends
        FROM parts WHERE part <> ''"""
    )
    con.execute(
        """CREATE TABLE complaints AS SELECT *,
            parse_day(complaint_accepted) AS accepted_at,
            parse_day(complaint_closed) AS closed_at
        FROM complaints_raw"""
    )


PROBLEMS = """
SELECT file, row, 'code' AS col, 'records_blank' AS code, NULL AS value, NULL AS other FROM parsed WHERE blank(code)
UNION ALL SELECT file, row, 'case', 'records_blank', NULL, NULL FROM parsed WHERE blank("case")
UNION ALL SELECT file, row, 'accepted', 'records_blank', NULL, NULL FROM parsed WHERE blank(accepted)
UNION ALL SELECT file, row, 'status', 'records_blank', NULL, NULL FROM parsed WHERE blank(status)
UNION ALL SELECT file, row, 'accepted', 'records_bad_date', accepted, NULL FROM parsed
    WHERE NOT blank(accepted) AND accepted_at IS NULL
UNION ALL SELECT file, row, 'finished', 'records_bad_date', finished, NULL FROM parsed
    WHERE NOT blank(finished) AND finished_at IS NULL
UNION ALL SELECT file, row, 'status', 'records_bad_status', status, NULL FROM parsed
    WHERE NOT blank(status) AND state IS NULL
UNION ALL SELECT file, row, 'finished', 'records_no_finish', trim(status), NULL FROM parsed
    WHERE state IN ('done', 'refused') AND blank(finished)
UNION ALL SELECT file, row, 'finished', 'records_open_finished', NULL, NULL FROM parsed
    WHERE state = 'open' AND NOT blank(finished)
UNION ALL SELECT file, row, 'finished', 'records_finished_before',
        strftime(finished_at, '%Y-%m-%d %H:%M'), strftime(accepted_at, '%Y-%m-%d %H:%M') FROM parsed
    WHERE finished_at < accepted_at
UNION ALL SELECT file, row, 'case', 'records_duplicate', "case", first_file || ':' || first_row FROM (
    SELECT file, row, "case",
        first_value(file) OVER w AS first_file, first_value(row) OVER w AS first_row,
        row_number() OVER w AS n
    FROM parsed WHERE NOT blank("case")
    WINDOW w AS (PARTITION BY trim("case") ORDER BY file, row)) WHERE n > 1
UNION ALL SELECT DISTINCT file, row, col, 'records_bad_pause', part, NULL FROM pauses
    WHERE starts IS NULL OR ends IS NULL OR ends < starts
UNION ALL SELECT file, row, 'paused_days', 'records_bad_days', paused_days, NULL FROM parsed
    WHERE NOT blank(paused_days) AND (paused_number IS NULL OR paused_number < 0)
UNION ALL SELECT file, row, 'special_days', 'records_bad_days', special_days, NULL FROM parsed
    WHERE NOT blank(special_days) AND (special_number IS NULL OR special_number < 0)
UNION ALL SELECT file, row, 'rating', 'records_bad_rating', rating, NULL FROM parsed
    WHERE NOT blank(rating) AND rating_level IS NULL
UNION ALL SELECT file, row, 'channel', 'records_bad_channel', channel, NULL FROM parsed
    WHERE NOT blank(channel) AND trim(channel) NOT IN ('窗口', '网上')
UNION ALL SELECT min_by(file, file * 1e12 + row), min_by(row, file * 1e12 + row), 'code', 'records_unknown_code',
        trim(code), count(*)::VARCHAR FROM parsed
    WHERE NOT blank(code) AND trim(code) NOT IN (SELECT code FROM items) GROUP BY trim(code)
UNION ALL SELECT min_by(file, file * 1e12 + row), min_by(row, file * 1e12 + row), 'situation',
        'records_unknown_situation', trim(situation), trim(p.code) FROM parsed p
    WHERE NOT blank(situation) AND trim(p.code) IN (SELECT code FROM items)
        AND (trim(p.code), trim(situation)) NOT IN (SELECT code, situation FROM items)
    GROUP BY trim(p.code), trim(situation)
"""

COMPLAINT_PROBLEMS = """
SELECT file, row, 'complaint' AS col, 'records_blank' AS code, NULL AS value, NULL AS other
    FROM complaints WHERE blank(complaint)
UNION ALL SELECT file, row, 'complaint_accepted', 'records_blank', NULL, NULL FROM complaints
    WHERE blank(complaint_accepted)
UNION ALL SELECT file, row, 'complaint_accepted', 'records_bad_date', complaint_accepted, NULL FROM complaints
    WHERE NOT blank(complaint_accepted) AND accepted_at IS NULL
UNION ALL SELECT file, row, 'complaint_closed', 'records_bad_date', complaint_closed, NULL FROM complaints
    WHERE NOT blank(complaint_closed) AND closed_at IS NULL
UNION ALL SELECT file, row, 'complaint_closed', 'records_finished_before',
        strftime(closed_at, '%Y-%m-%d %H:%M'), strftime(accepted_at, '%Y-%m-%d %H:%M') FROM complaints
    WHERE closed_at < accepted_at
UNION ALL SELECT file, row, 'complaint_result', 'records_bad_result', complaint_result, NULL FROM complaints
    WHERE NOT blank(complaint_result) AND trim(complaint_result) NOT IN ('属实', '部分属实', '不属实')
UNION ALL SELECT file, row, 'complaint', 'records_duplicate', complaint, first_file || ':' || first_row FROM (
    SELECT file, row, complaint, first_value(file) OVER w AS first_file, first_value(row) OVER w AS first_row,
        row_number() OVER w AS n FROM complaints WHERE NOT blank(complaint)
    WINDOW w AS (PARTITION BY trim(complaint) ORDER BY file, row)) WHERE n > 1
"""


def _problems(con: Connection, tables: Sequence[Table], columns: Columns) -> list[Diagnostic]:
    """Every problem (the first rows of each kind per file, and how many more), and the bad rows marked."""
    con.execute(f"CREATE TABLE problems AS {PROBLEMS}{_too_big('parsed', CASE_COLUMNS)}")
    con.execute(f"CREATE TABLE complaint_problems AS {COMPLAINT_PROBLEMS}{_too_big('complaints', COMPLAINT_COLUMNS)}")
    errors = "(" + ", ".join(f"'{code}'" for code in ERRORS) + ")"
    con.execute(
        f"UPDATE parsed SET bad = true WHERE (file, row) IN (SELECT file, row FROM problems WHERE code IN {errors})"
    )
    con.execute(
        f"ALTER TABLE complaints ADD COLUMN bad BOOLEAN DEFAULT false; "
        f"UPDATE complaints SET bad = true WHERE (file, row) IN "
        f"(SELECT file, row FROM complaint_problems WHERE code IN {errors})"
    )
    by_number = {t.number: t for t in tables}
    diagnostics = []
    for source in ("problems", "complaint_problems"):
        shown = _rows(
            con,
            f"""SELECT file, row, col, code, value, other, count(*) OVER (PARTITION BY file, code) AS total
            FROM {source} QUALIFY row_number() OVER (PARTITION BY file, code ORDER BY row) <= $shown
            ORDER BY file, row, col""",
            {"shown": SHOWN_PER_PROBLEM},
        )
        more: dict[tuple[int, str], int] = {}
        for found in shown:
            file, row, col, code = found["file"], found["row"], found["col"], found["code"]
            value, other, total = found["value"], found["other"], found["total"]
            table = by_number[file]
            column = table.columns.get(col, len(table.header)) + 1
            values = {"value": (value or "")[:60], "other": _where(other, by_number)}
            if code == "records_blank":
                values = {}
            diagnostic = Diagnostic.of(table.display, (row, column), col, columns.headers[col], code, **values)
            diagnostics.append(diagnostic if code in ERRORS else diagnostic.warning())
            more[(file, code)] = total - SHOWN_PER_PROBLEM
        for (file, code), count in more.items():
            if count > 0:
                table = by_number[file]
                diagnostics.append(
                    Diagnostic.of(table.display, (0, 0), "", "文件", "records_more", count=count, kind=code).warning()
                )
    return diagnostics


def _too_big(table: str, names: Sequence[str]) -> str:
    """More problems: each cell longer than ``MAX_CELL`` (the row is left out)."""
    return "".join(
        f"\nUNION ALL SELECT file, row, '{name}', 'records_cell_too_big', NULL, NULL FROM {table} "
        f'WHERE length("{name}") > {MAX_CELL}'
        for name in names
    )


def _where(other: str | None, tables: dict[int, Table]) -> str:
    """``3:12`` (file number, row) as ``export.csv 第 12 行``; a plain value as it is."""
    if other and ":" in other:
        file, row = other.split(":", 1)
        if file.isdigit() and int(file) in tables:
            return f"{tables[int(file)].display} 第 {row} 行"
    return other or ""


def _calendar(con: Connection, calendar: WorkCalendar) -> None:
    """Every date of the covered years: working day or not, working days up to it, the first working day from it."""
    years = sorted(calendar.years)
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    rows = []
    day = first
    while day <= last:
        rows.append((day, calendar.is_workday(day)))
        day += dt.timedelta(days=1)
    con.execute("CREATE TABLE days (day DATE, workday BOOLEAN)")
    con.executemany("INSERT INTO days VALUES (?, ?)", rows)
    con.execute(
        """CREATE TABLE calendar AS SELECT day, workday,
            sum(workday::INTEGER) OVER (ORDER BY day) AS widx,
            min(CASE WHEN workday THEN day END) OVER (ORDER BY day ROWS BETWEEN CURRENT ROW AND 30 FOLLOWING)
                AS next_workday
        FROM days"""
    )


FACTS = """
CREATE TABLE facts AS
WITH good AS (
    SELECT p.*, trim(p.code) AS item, CAST(accepted_at AS DATE) AS accepted_day,
        CAST(finished_at AS DATE) AS finished_day
    FROM parsed p WHERE NOT bad),
limits AS (
    SELECT g.*, coalesce(s.amount, i.amount) AS amount, coalesce(s.kind, i.kind) AS kind, i.department,
        i.code IS NOT NULL AS known
    FROM good g
    LEFT JOIN items i ON i.code = g.item AND i.situation = ''
    LEFT JOIN items s ON s.code = g.item AND s.situation = trim(g.situation) AND s.situation <> ''),
paused AS (
    SELECT q.file, q.row,
        sum(ce.widx - cs.widx) AS workdays,
        sum(date_diff('day', CAST(q.starts AS DATE), CAST(q.ends AS DATE))) AS days,
        bool_and(cs.day IS NOT NULL AND ce.day IS NOT NULL) AS covered
    FROM pauses q
    LEFT JOIN calendar cs ON cs.day = CAST(q.starts AS DATE)
    LEFT JOIN calendar ce ON ce.day = CAST(q.ends AS DATE)
    WHERE q.starts IS NOT NULL AND q.ends IS NOT NULL AND q.ends >= q.starts
    GROUP BY q.file, q.row),
timed AS (
    SELECT l.*,
        coalesce(pz.workdays, 0) + coalesce(l.paused_number, 0) + coalesce(l.special_number, 0) AS pause_workdays,
        coalesce(pz.days, 0) + ceil(coalesce(l.paused_number, 0) + coalesce(l.special_number, 0)) AS pause_days,
        coalesce(pz.covered, true) AS pause_covered,
        ca.widx AS accepted_widx, cf.widx AS finished_widx, cf.workday AS finished_workday
    FROM limits l
    LEFT JOIN paused pz ON pz.file = l.file AND pz.row = l.row
    LEFT JOIN calendar ca ON ca.day = l.accepted_day
    LEFT JOIN calendar cf ON cf.day = l.finished_day),
by_calendar AS (
    SELECT t.*, cn.next_workday AS natural_deadline
    FROM timed t
    LEFT JOIN calendar cn ON t.kind = '自然日'
        AND cn.day = t.accepted_day + CAST(t.amount + t.pause_days AS INTEGER)),
classified AS (
    SELECT *,
        CASE WHEN NOT known THEN 'unknown_item'
             WHEN kind IS NULL THEN 'no_limit'
             WHEN accepted_widx IS NULL OR NOT pause_covered
                  OR (finished_day IS NOT NULL AND finished_widx IS NULL)
                  OR (kind = '自然日' AND natural_deadline IS NULL) THEN 'calendar'
        END AS excluded
    FROM by_calendar)
SELECT file, row, item AS code, department, known, state, kind, amount, accepted_day, finished_day,
    date_trunc('month', accepted_day) AS accepted_month,
    date_trunc('month', finished_day) AS finished_month,
    excluded,
    CASE WHEN excluded IS NOT NULL OR finished_day IS NULL THEN NULL
         WHEN kind = '工作日' THEN finished_widx < accepted_widx + amount + pause_workdays
             OR (finished_widx = accepted_widx + amount + pause_workdays AND finished_workday)
         WHEN kind = '自然日' THEN finished_day <= natural_deadline
         ELSE finished_day <= accepted_day + CAST(pause_days AS INTEGER) END AS on_time,
    accepted_widx + amount + pause_workdays AS deadline_widx,
    natural_deadline,
    accepted_day + CAST(pause_days AS INTEGER) AS immediate_deadline,
    CASE WHEN kind = '工作日' THEN finished_widx - accepted_widx - pause_workdays
         ELSE date_diff('day', accepted_day, finished_day) - pause_days END AS elapsed,
    trim(channel) AS channel,
    rating_level
FROM classified
"""


def _facts(con: Connection) -> None:
    con.execute(FACTS)


def _measures(received: str, finished: str, open_overdue: str) -> str:
    """The counts of one group, named as :class:`Figures`; the predicates say what is in the period."""
    ratings = ", ".join(
        f"count(*) FILTER (WHERE {finished} AND rating_level = {n}) AS rating_{n}" for n in range(1, len(RATINGS) + 1)
    )
    return f"""
        count(*) FILTER (WHERE {received}) AS received,
        count(*) FILTER (WHERE {received} AND channel = '网上') AS online,
        count(*) FILTER (WHERE {finished}) AS finished,
        count(*) FILTER (WHERE {finished} AND state = 'done') AS done,
        count(*) FILTER (WHERE {finished} AND state = 'done' AND finished_day = accepted_day) AS immediate,
        count(*) FILTER (WHERE {finished} AND on_time IS NOT NULL) AS counted,
        count(*) FILTER (WHERE {finished} AND on_time) AS on_time,
        count(*) FILTER (WHERE state = 'open') AS open,
        count(*) FILTER (WHERE {open_overdue}) AS open_overdue,
        count(*) FILTER (WHERE {finished} AND rating_level IS NOT NULL) AS rated,
        count(*) FILTER (WHERE {finished} AND rating_level <= {SATISFIED}) AS satisfied,
        {ratings}"""


def _rows(con: Connection, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dictionaries by column name."""
    cursor = con.execute(sql, parameters if isinstance(parameters, Mapping) else list(parameters))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _figures_of(row: Mapping[str, Any]) -> Figures:
    counts = {f.name: int(row[f.name] or 0) for f in fields(Figures) if f.name != "ratings"}
    ratings = tuple(int(row[f"rating_{n}"] or 0) for n in range(1, len(RATINGS) + 1))
    return Figures(**counts, ratings=ratings)


PERIOD = """CREATE TABLE period AS SELECT *,
    accepted_day >= $start AS received_in,
    state IN ('done', 'refused') AND finished_day >= $start AS finished_in,
    state = 'open' AND excluded IS NULL AND (
        (kind = '工作日' AND ($end_widx > deadline_widx OR ($end_widx = deadline_widx AND NOT $end_workday)))
        OR (kind = '自然日' AND $end > natural_deadline)
        OR (kind = '即办' AND $end > immediate_deadline)) AS open_overdue
FROM facts"""
"""Each case with whether it counts in the 12 months: received in them, decided in them, open past its deadline."""


def _figures(con: Connection, catalog: Catalog, minimum: int, demo: bool) -> Aggregates:
    (end,) = con.execute("SELECT max(coalesce(finished_day, accepted_day)) FROM facts").fetchone() or (None,)
    (newest,) = con.execute("SELECT max(accepted_day) FROM facts").fetchone() or (None,)
    end = max(end, newest)
    months_back = end.year * 12 + end.month - 1 - 11  # the 12 months that end with the newest record's
    start = dt.date(months_back // 12, months_back % 12 + 1, 1)
    found = con.execute("SELECT widx, workday FROM calendar WHERE day = ?", [end]).fetchone()
    end_widx, end_workday = found if found is not None else (None, None)
    con.execute(PERIOD, {"start": start, "end": end, "end_widx": end_widx, "end_workday": end_workday})
    whole = _measures("received_in", "finished_in", "open_overdue")
    site = _figures_of(_rows(con, f"SELECT {whole} FROM period WHERE known")[0])
    departments = {
        row["department"]: _figures_of(row)
        for row in _rows(con, f"SELECT department, {whole} FROM period WHERE known GROUP BY department ORDER BY 1")
    }
    item_rows = _rows(
        con, f"SELECT code, any_value(department) AS owner, {whole} FROM period WHERE known GROUP BY code"
    )
    items = {row["code"]: _figures_of(row) for row in sorted(item_rows, key=lambda r: r["code"])}
    monthly = _measures("accepted_month = m", "(state IN ('done', 'refused') AND finished_month = m)", "false")
    by_month = {row["month"]: _figures_of(row) for row in _monthly(con, monthly, start, end)}
    months = []
    month = start
    while month <= end:
        key = month.strftime("%Y-%m")
        months.append((key, by_month.get(key, Figures())))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    excluded = con.execute(
        "SELECT excluded, count(*) FROM period WHERE known AND finished_in AND excluded IS NOT NULL GROUP BY 1"
    ).fetchall()
    (unknown,) = con.execute("SELECT count(*) FROM period WHERE received_in AND NOT known").fetchone() or (0,)
    (rejected, rows, files) = con.execute(
        "SELECT count(*) FILTER (WHERE bad), count(*), count(DISTINCT file) FROM parsed"
    ).fetchone() or (0, 0, 0)
    return Aggregates(
        start=start,
        end=end,
        minimum=minimum,
        demo=demo,
        site=site,
        months=tuple(months),
        departments=departments,
        items=items,
        owners={row["code"]: row["owner"] for row in item_rows},
        complaints=_complaints(con, catalog, start),
        excluded={str(k): int(v) for k, v in sorted(excluded)},
        unknown_codes=int(unknown),
        rejected=int(rejected),
        rows=int(rows),
        files=int(files),
    )


def _monthly(con: Connection, measures: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The site's cases month by month: received in the month, or decided in it."""
    return _rows(
        con,
        f"""SELECT strftime(m, '%Y-%m') AS month, {measures}
        FROM period, (SELECT unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH)) AS m)
        WHERE known AND (accepted_month = m OR finished_month = m) GROUP BY m""",
        [start, end],
    )


def _verdicts(con: Connection) -> list[Verdict]:
    rows = _rows(
        con,
        """SELECT trim(p."case") AS "case", f.code, f.on_time,
            coalesce(f.on_time = false, false) OR coalesce(f.open_overdue, false) AS overdue, f.excluded, f.elapsed
        FROM period f JOIN parsed p USING (file, row) ORDER BY f.file, f.row""",
    )
    return [
        Verdict(
            case=r["case"],
            code=r["code"],
            on_time=r["on_time"],
            overdue=bool(r["overdue"]),
            excluded=r["excluded"],
            elapsed=None if r["elapsed"] is None else float(r["elapsed"]),
        )
        for r in rows
    ]


def _complaints(con: Connection, catalog: Catalog, start: dt.date) -> dict[str, Complaints]:
    """效能投诉 by the department they name (through the item's 实施编码 or the department's name), ``""`` for none."""
    names: dict[str, str] = {}
    for d in catalog.departments:
        names.update({d.id: d.id, d.name: d.id, d.label: d.id})
    con.execute("CREATE TABLE department_names (name VARCHAR, id VARCHAR)")
    if names:
        con.executemany("INSERT INTO department_names VALUES (?, ?)", list(names.items()))
    rows = _rows(
        con,
        """SELECT coalesce(i.department, n.id, '') AS department,
            count(*) FILTER (WHERE CAST(c.accepted_at AS DATE) >= $start) AS received,
            count(*) FILTER (WHERE CAST(c.closed_at AS DATE) >= $start) AS closed,
            count(*) FILTER (WHERE CAST(c.closed_at AS DATE) >= $start
                AND trim(c.complaint_result) IN ('属实', '部分属实')) AS upheld
        FROM complaints c
        LEFT JOIN items i ON i.code = trim(c.complaint_item) AND i.situation = ''
        LEFT JOIN department_names n ON n.name = trim(c.complaint_department)
        WHERE NOT c.bad
        GROUP BY ALL ORDER BY ALL""",
        {"start": start},
    )
    return {row["department"]: Complaints(row["received"], row["closed"], row["upheld"]) for row in rows}
