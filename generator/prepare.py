"""Validate → case records → generate: the one story behind every build.

``python -m generator build`` (which then runs MkDocs into a fresh folder and swaps it in), ``mkdocs build`` and
``mkdocs serve`` (through the plugin's ``on_files``) and the editor's preview all prepare the generated site with
:func:`prepare`; they differ only in how they show what went wrong.  Nothing here knows MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, format_diagnostics, has_errors
from .load import Result, Workspace, load
from .model import Catalog
from .records import RecordsResult, read_records
from .records.figures import Performance
from .render.graphviz import ChartError
from .render.site import GeneratedSite, Options
from .speed.generate import Generation, Kept, generate
from .speed.memory import collector_paused
from .speed.progress import Progress
from .workflow.history import collect

VALIDATION, RECORDS, GENERATION = "校验", "办件记录", "生成"
"""The stages a preparation may stop at."""


@dataclass(frozen=True)
class Sources:
    """Where a site's content is and how its pages link, resolved into paths once (from mkdocs.yml, or by the
    editor)."""

    root: Path
    """The project folder (that of mkdocs.yml): file paths in messages are relative to it."""
    procedures: Path
    cache: Path
    options: Options
    records: Path
    """The folder of case records; absent means no 效能公开 from records."""

    @property
    def checked(self) -> Path:
        """The cache folder of checked files."""
        return self.cache / "checked"

    def generation(self, performance: Performance | None = None) -> Generation:
        """How to generate: with the git history of the procedures folder, the case records' figures, the caches."""
        return Generation(self.options, collect(self.procedures), performance, self.cache)


@dataclass(frozen=True)
class Failure:
    """Why there is no site: a sentence, the problems behind it, and the exit status a command gives."""

    stage: str
    """Where it stopped: 校验, 办件记录 or 生成 (the names of the progress stages)."""
    message: str
    status: int
    """1: the content is wrong; 2: the set-up is (Graphviz missing or failing)."""
    shown: tuple[Diagnostic, ...] = ()
    """The problems that stopped it, to show before the message."""

    def text(self) -> str:
        problems = format_diagnostics(list(self.shown), "text") + "\n" if self.shown else ""
        return problems + self.message


@dataclass(frozen=True)
class Prepared:
    """The generated site, or why there is none, with everything the checks said on the way."""

    site: GeneratedSite | None
    diagnostics: tuple[Diagnostic, ...]
    """What validation said (warnings, or the errors that stopped it)."""
    records: RecordsResult | None
    """What reading the case records found; None when there are no records or validation failed."""
    failure: Failure | None = None


@dataclass
class Warm:
    """What a long-running process (``mkdocs serve``) keeps between preparations of one project: every file as
    checked and built, and every item's rendered parts; a preparation then reads and renders only what changed."""

    workspace: Workspace
    generated: Kept = field(default_factory=Kept)

    @classmethod
    def of(cls, sources: Sources) -> Warm:
        return cls(Workspace(sources.procedures, sources.root, sources.checked))


def prepare(sources: Sources, progress: Progress, warm: Warm | None = None) -> Prepared:
    """Validate the procedures, read the case records, generate the pages, charts and open data."""
    with progress.stage(VALIDATION) as stage, collector_paused():
        result = _validated(sources, warm)
        stage.advance(result.files)
    diagnostics = tuple(result.diagnostics)
    if result.catalog is None or has_errors(result.diagnostics):
        return Prepared(None, diagnostics, None, Failure(VALIDATION, "校验未通过，网站未构建。", 1, diagnostics))
    records = _records(sources, result.catalog, progress)
    unreadable = tuple(d for d in records.files if d.severity == "error") if records else ()
    if unreadable:
        message = (
            "办件记录有无法读取的文件，网站未构建。请修正后重试，或把它移出记录文件夹（records check 列出全部问题）。"
        )
        return Prepared(None, diagnostics, records, Failure(RECORDS, message, 1, unreadable))
    generation = sources.generation(records.performance if records else None)
    try:
        site = generate(result.catalog, sources.procedures, generation, progress, warm.generated if warm else None)
    except ChartError as error:  # Graphviz missing or failing: the set-up, not the content
        return Prepared(None, diagnostics, records, Failure(GENERATION, str(error), 2))
    return Prepared(site, diagnostics, records)


def _validated(sources: Sources, warm: Warm | None) -> Result:
    """Every file checked: those kept in memory only when they changed."""
    return warm.workspace.load() if warm else load(sources.procedures, sources.root, cache=sources.checked)


def _records(sources: Sources, catalog: Catalog, progress: Progress) -> RecordsResult | None:
    """The case records' figures and problems; None without a records folder."""
    if not sources.records.is_dir():
        return None
    with progress.stage(RECORDS) as stage:
        records = read_records(sources.records, catalog, sources.root)
        totals = records.aggregates
        stage.note = f"（{totals.rows:,} 行）" if totals else "（没有可用的记录）"
    return records
