"""What needs attention: stale entries, states with missing topics, records with citation problems.

Citations are checked for shape only (the same checks as validation); nobody fetches
the URLs, so a dead link is not noticed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.dataset.exporter import collect
from bot.dataset.reports import StaleEntry, TranslationBehind, coverage, stale_entries, translations_behind
from bot.dataset.schema import CITATION_FIELDS, TOPICS, FieldError, record_key
from bot.directory import DirectoryStatus, directory_status
from bot.jurisdictions import JURISDICTIONS
from bot.texts import DEFAULT_LANGUAGE, languages, text

MAX_DAYS = 3650


@dataclass(frozen=True)
class MissingTopics:
    state: str
    name: str
    topics: list[str]


@dataclass(frozen=True)
class CitationProblem:
    section: str
    key: str
    problems: list[str]


@dataclass(frozen=True)
class Freshness:
    days: int
    stale: list[StaleEntry]
    missing: list[MissingTopics]
    citation_problems: list[CitationProblem]
    translations_behind: list[TranslationBehind]
    language_names: dict[str, str]
    directories: list[DirectoryStatus]
    records: int


def parse_days(text: str, default: int, longest: int = MAX_DAYS) -> tuple[int, str | None]:
    """Days as staff type them: a whole number from 1 to `longest`, else `default` and what to type instead."""
    text = text.strip()
    if not text:
        return default, None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= longest:
        return int(text), None
    return default, f"Enter a whole number of days from 1 to {longest}."


def freshness(session: Session, days: int, today: dt.date | None = None) -> Freshness:
    exported = collect(session)
    table = coverage(exported["profiles"])
    missing = [
        MissingTopics(state, JURISDICTIONS[state], [topic for topic in TOPICS if topic not in row])
        for state, row in table.items()
        if len(row) < len(TOPICS)
    ]
    problems = [
        CitationProblem(section, record_key(section, record), found)
        for section, records in exported.items()
        for record in records
        if (found := citation_problems(record["citations"]))
    ]
    return Freshness(
        days=days,
        stale=stale_entries(exported, days, today),
        missing=missing,
        citation_problems=problems,
        translations_behind=translations_behind(exported, _translated_languages()),
        language_names={code: text("language_name", code) for code in _translated_languages()},
        directories=directory_status(session),
        records=sum(len(records) for records in exported.values()),
    )


def _translated_languages() -> tuple[str, ...]:
    return tuple(code for code in languages() if code != DEFAULT_LANGUAGE)


def citation_problems(citations: list[dict]) -> list[str]:
    """Missing or malformed citations, checked with the schema's own field checks."""
    if not citations:
        return ["no citation"]
    problems = []
    for number, citation in enumerate(citations, start=1):
        for spec in CITATION_FIELDS:
            value = citation.get(spec.name)
            if value is None and not spec.required:
                continue
            if value is None:
                problems.append(f"citation {number}: {spec.name} is missing")
                continue
            try:
                spec.check(value)
            except FieldError as exc:
                problems.append(f"citation {number}: {spec.name} {exc}")
    return problems
