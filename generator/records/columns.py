"""The columns of the exports, declared once in the model (:class:`generator.model.RecordColumns`):
each key's Chinese title is the standard header, and site.yml may map it to the header a local system writes."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import RecordColumns, RecordsSettings, Site

CASE_REQUIRED = ("code", "case", "accepted", "status")
COMPLAINT_REQUIRED = ("complaint", "complaint_accepted")
MIN_CASES = 5
"""Below this many cases a figure is shown as “<5” and no rate is computed (site.yml records.min_cases)."""


def standard() -> dict[str, str]:
    """Column key → the standard header (its title in the declaration)."""
    from ..model import SITE

    columns = SITE.fields["records"].spec.fields["columns"].spec  # type: ignore[attr-defined]
    return {name: declared.spec.title for name, declared in columns.keys.items()}


@dataclass(frozen=True)
class Columns:
    """The headers to look for: the standard ones, replaced where site.yml maps a column to another header."""

    headers: dict[str, str]

    @classmethod
    def of(cls, settings: RecordsSettings | None) -> Columns:
        mapped = settings.columns if settings and settings.columns else RecordColumns()
        own = {name: getattr(mapped, name) for name in standard()}
        return cls({name: own[name] or title for name, title in standard().items()})


def settings_of(site: Site) -> RecordsSettings:
    return site.records or RecordsSettings()


def min_cases(site: Site) -> int:
    return settings_of(site).min_cases or MIN_CASES
