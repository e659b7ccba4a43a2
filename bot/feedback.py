"""What people tell us about an answer: helpful or not (counted, bot.usage), and "this is wrong"
(a report staff review in the admin, resolved as fixed or not a problem, with the change log).

A report keeps what the answer was about, the answer's words and the person's note, never who
sent it. Phone numbers, e-mail addresses and ZIP codes in the note are removed before it is
stored (the form also asks people not to type names). Resolved reports are deleted after
HRBOT_USAGE_RETENTION_DAYS (bot.usage.purge); open ones stay until staff look at them.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import usage
from bot.answers import About
from bot.db.models import ChangeLog, UserReport, utcnow

OPEN, FIXED, NOT_A_PROBLEM = "open", "fixed", "not_a_problem"
STATUSES = {OPEN: "waiting for review", FIXED: "fixed", NOT_A_PROBLEM: "not a problem"}
REPORT_MAX_CHARS = 500
ANSWER_MAX_CHARS = 2000
REMOVED = "[removed]"
_PRIVATE = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail address
    r"|(?<!\w)\+?\(?\d[\d\s().-]{5,}\d(?!\w)"  # phone number (7 or more digits with separators)
    r"|\b\d{5}(-\d{4})?\b"  # ZIP code
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ReportError(ValueError):
    """A report that cannot be filed; the message says why, in words staff or a user can act on."""


def clean(text: str, limit: int) -> str:
    """The text without control characters or anything that could identify a person, cut to `limit`."""
    return _PRIVATE.sub(REMOVED, _CONTROL.sub(" ", text)).strip()[:limit]


def vote(session: Session, helpful: bool, channel: str, language: str, about: About) -> None:
    usage.count(session, usage.HELPFUL if helpful else usage.NOT_HELPFUL, channel, language, about)


def file_report(
    session: Session, channel: str, language: str, about: About | None, answer_text: str, report_text: str
) -> UserReport:
    """Store a report for review; counted too (bot.usage REPORTED)."""
    note = clean(report_text, REPORT_MAX_CHARS)
    if not re.sub(r"\W", "", note.replace(REMOVED, "")):
        raise ReportError("Please say in a few words what is wrong.")
    about = about or About(usage.REPORTED)
    report = UserReport(
        received_on=usage.today(),
        channel=channel[:8],
        language=language[:8],
        topic=about.topic,
        facet=about.facet,
        state=about.state,
        record=about.record or None,
        answer_text=clean(answer_text, ANSWER_MAX_CHARS),
        report_text=note,
        status=OPEN,
    )
    session.add(report)
    session.flush()  # the id, for the caller
    usage.count(session, usage.REPORTED, channel, language, about)
    return report


def reports(session: Session, status: str | None = OPEN) -> list[UserReport]:
    """Reports with a status (None: all), oldest first: the review queue."""
    statement = select(UserReport).order_by(UserReport.received_on, UserReport.id)
    if status is not None:
        statement = statement.where(UserReport.status == status)
    return list(session.execute(statement).scalars())


def open_count(session: Session) -> int:
    return session.execute(select(func.count()).where(UserReport.status == OPEN)).scalar_one()


def resolve(session: Session, report_id: int, status: str, note: str, actor: str) -> UserReport:
    """Close a report as fixed or not a problem; the change log keeps who decided what, and why."""
    if status not in (FIXED, NOT_A_PROBLEM):
        raise ReportError("Choose whether the report was fixed or was not a problem.")
    report = session.get(UserReport, report_id)
    if report is None:
        raise ReportError("There is no such report. It may have been resolved and deleted already.")
    if report.status != OPEN:
        raise ReportError(f"This report was already resolved ({STATUSES[report.status]}).")
    note = _CONTROL.sub(" ", note).strip()[:REPORT_MAX_CHARS]
    report.status, report.resolved_by, report.resolved_at, report.resolution_note = status, actor[:40], utcnow(), note
    session.add(
        ChangeLog(
            actor=actor,
            source="admin",
            action="resolve",
            entity="report",
            entity_key=f"report {report.id}" + (f" on {report.record}" if report.record else ""),
            before={"status": OPEN},
            after={"status": status, "note": note},
        )
    )
    return report
