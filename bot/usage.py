"""Private usage counters: per day, how often people asked about what, and how the bot did.

Counters only: a day, a channel, a language, the topic, facet and state an answer was about, and
(for "not understood") the intent the bot guessed. Never the words, the sender, a ZIP code or a
city, or a time finer than a day. Staff see counts under SMALL_COUNT as "< 5", so one person's
question cannot be picked out. Rows older than HRBOT_USAGE_RETENTION_DAYS are deleted, once a
day by the first count of the day, with the reports resolved that long ago (bot.feedback).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.answers import ANSWERED, FALLBACK, UNKNOWN, About
from bot.config import usage_retention_days
from bot.db.models import UsageCount, UserReport

EMERGENCY, HELPFUL, NOT_HELPFUL, REPORTED = "emergency", "helpful", "not_helpful", "reported"
# Each measure and how staff read it, in the order the usage page shows them.
MEASURES = {
    ANSWERED: "answered from data",
    UNKNOWN: 'answered "we don\'t know"',
    FALLBACK: "not understood",
    EMERGENCY: "possible overdoses",
    HELPFUL: "marked helpful",
    NOT_HELPFUL: "marked not helpful",
    REPORTED: "reported as wrong",
}
QUESTIONS = (ANSWERED, UNKNOWN, FALLBACK)  # together: the questions asked
SMALL_COUNT = 5
_KEY = ("day", "measure", "channel", "language", "topic", "facet", "state", "intent")
_purged_on: dict[str, dt.date] = {}  # database URL -> the day this process last deleted old rows


@dataclass(frozen=True)
class Row:
    """A ranked line: what it is about, and how many times."""

    topic: str
    facet: str
    state: str
    intent: str
    count: int


def shown(count: int) -> str:
    """A count as staff see it: small ones hidden."""
    return f"< {SMALL_COUNT}" if 0 < count < SMALL_COUNT else str(count)


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def count(
    session: Session,
    measure: str,
    channel: str,
    language: str,
    about: About | None = None,
    intent: str = "",
    day: dt.date | None = None,
) -> None:
    """Add one to the day's counter (one statement, safe with several processes writing at once)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown usage measure {measure!r}")
    about = about or About(measure)
    values = dict(
        day=day or today(),
        measure=measure,
        channel=channel[:8],
        language=language[:8],
        topic=about.topic,
        facet=about.facet,
        state=about.state,
        intent=intent[:64],
        count=1,
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(UsageCount).values(**values)
    session.execute(statement.on_conflict_do_update(index_elements=list(_KEY), set_={"count": UsageCount.count + 1}))
    _purge_once_a_day(session)


def purge(session: Session, days: int | None = None) -> int:
    """Delete counters, and reports resolved, longer ago than the retention period; returns how many rows went."""
    cutoff = today() - dt.timedelta(days=usage_retention_days() if days is None else days)
    counters = session.execute(delete(UsageCount).where(UsageCount.day < cutoff)).rowcount or 0
    resolved_before = dt.datetime.combine(cutoff, dt.time(), dt.timezone.utc)
    reports = session.execute(delete(UserReport).where(UserReport.resolved_at < resolved_before)).rowcount or 0
    return counters + reports


def _purge_once_a_day(session: Session) -> None:
    url = str(session.get_bind().url)
    if _purged_on.get(url) != today():
        purge(session)
        _purged_on[url] = today()


def totals(session: Session, since: dt.date, by: str) -> dict[str, dict[str, int]]:
    """{value of `by` (channel, language, topic, state or day): {measure: count}} since a day."""
    column = getattr(UsageCount, by)
    rows = session.execute(
        select(column, UsageCount.measure, func.sum(UsageCount.count))
        .where(UsageCount.day >= since)
        .group_by(column, UsageCount.measure)
    )
    table: dict[str, dict[str, int]] = {}
    for value, measure, total in rows:
        table.setdefault(str(value), {})[measure] = int(total)
    return table


def ranked(session: Session, measure: str, since: dt.date, limit: int = 20) -> list[Row]:
    """What most often ended in `measure` since a day ("we don't know" by facet and state,
    "not understood" by the intent guessed), most first."""
    key = (UsageCount.topic, UsageCount.facet, UsageCount.state, UsageCount.intent)
    total = func.sum(UsageCount.count)
    rows = session.execute(
        select(*key, total)
        .where(UsageCount.day >= since, UsageCount.measure == measure)
        .group_by(*key)
        .order_by(total.desc(), *key)
        .limit(limit)
    )
    return [Row(topic, facet, state, intent, int(number)) for topic, facet, state, intent, number in rows]
