"""The review workflow: editors propose drafts, reviewers publish or reject them, and revert changes.

Every change to the published tables goes through `apply_change`, which validates the
record with the same code as `hrbot data validate`, writes it with `bot.dataset.store`
and adds a change-log row. Nothing here commits: the caller commits once, so the
draft's status, the published row and the change log change together or not at all.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from bot.admin.published import SECTION_OF_ENTITY, find_row, published_record
from bot.dataset.schema import record_key
from bot.dataset.store import ENTITY, apply_record, new_row, to_record
from bot.dataset.validate import ValidationError, validate_record
from bot.db.models import ChangeLog, Draft, User, utcnow

SOURCE = "admin"


class WorkflowError(Exception):
    """A draft or change that cannot go ahead; the message says why in plain words."""

    def __init__(self, message: str, errors: list[ValidationError] | None = None):
        super().__init__(message)
        self.errors = errors or []


def propose(session: Session, author: User, section: str, record: dict | None, key: str) -> Draft:
    """A pending draft that would make record `key` equal to `record` (None: remove it)."""
    if record is not None:
        record, errors = validate_record(section, record, where="admin")
        if errors:
            raise WorkflowError("The record is not valid, so no draft was made.", errors)
    base = published_record(session, section, key)
    if record is None and base is None:
        raise WorkflowError("There is no published record to remove.")
    if record is not None and record == base:
        raise WorkflowError("Nothing changed, so no draft was made.")
    if record is not None and record_key(section, record) != key:
        raise WorkflowError(f"The record's identity changed from {key}; make a new record instead.")
    action = "delete" if record is None else ("create" if base is None else "update")
    draft = Draft(
        section=section, entity_key=key, action=action, record=record, base=base, author_id=author.id, status="pending"
    )
    session.add(draft)
    session.flush()
    return draft


def publish(session: Session, draft_id: int, reviewer: User, note: str | None = None) -> ChangeLog | None:
    """Apply a pending draft to the published tables and log it, naming the reviewer and the author."""
    draft = _claim(session, draft_id, reviewer, "published", note)
    author = session.get(User, draft.author_id)
    actor = reviewer.username if author.id == reviewer.id else f"{reviewer.username} (draft by {author.username})"
    return apply_change(session, draft.section, draft.entity_key, draft.record, actor)


def reject(session: Session, draft_id: int, reviewer: User, note: str | None = None) -> Draft:
    return _claim(session, draft_id, reviewer, "rejected", note)


def propose_and_publish(
    session: Session, reviewer: User, section: str, record: dict | None, key: str
) -> ChangeLog | None:
    """A reviewer's own change: still a draft, published through the same path as any other."""
    draft = propose(session, reviewer, section, record, key)
    return publish(session, draft.id, reviewer)


def revert(session: Session, change_id: int, reviewer: User) -> ChangeLog:
    """Put a record back as it was before a logged change (remove it if the change created it)."""
    if reviewer.role != "reviewer":
        raise WorkflowError("Only a reviewer can revert changes.")
    change = session.get(ChangeLog, change_id)
    if change is None or change.entity not in SECTION_OF_ENTITY:
        raise WorkflowError("That change is not in the change log.")
    entry = apply_change(
        session,
        SECTION_OF_ENTITY[change.entity],
        change.entity_key,
        change.before,
        f"{reviewer.username} (revert of change {change.id})",
    )
    if entry is None:
        raise WorkflowError("The record is already as it was before that change.")
    return entry


def mark_verified(session: Session, user: User, section: str, key: str) -> ChangeLog | Draft | None:
    """Set last_verified to today: published at once by a reviewer, a draft from an editor."""
    record = published_record(session, section, key)
    if record is None:
        raise WorkflowError("There is no published record to mark verified.")
    record["last_verified"] = dt.date.today().isoformat()
    if user.role == "reviewer":
        return propose_and_publish(session, user, section, record, key)
    return propose(session, user, section, record, key)


def apply_change(session: Session, section: str, key: str, record: dict | None, actor: str) -> ChangeLog | None:
    """Make published record `key` equal `record` (None removes it) and log it; None if nothing changed."""
    if record is not None:
        record, errors = validate_record(section, record, where="admin")
        if errors:
            raise WorkflowError("The record is not valid, so it was not published.", errors)
    row = find_row(session, section, key)
    before = to_record(section, row) if row is not None else None
    if before == record:
        return None
    if record is None:
        action = "delete"
        session.delete(row)
    elif row is None:
        action = "create"
        session.add(new_row(section, record))
    else:
        action = "update"
        apply_record(section, row, record)
    entry = ChangeLog(
        actor=actor, source=SOURCE, action=action, entity=ENTITY[section], entity_key=key, before=before, after=record
    )
    session.add(entry)
    session.flush()
    return entry


def _claim(session: Session, draft_id: int, reviewer: User, status: str, note: str | None) -> Draft:
    """Mark a pending draft reviewed; the conditional update makes two reviewers' clicks safe."""
    if reviewer.role != "reviewer":
        raise WorkflowError("Only a reviewer can publish or reject drafts.")
    claimed = session.execute(
        update(Draft)
        .where(Draft.id == draft_id, Draft.status == "pending")
        .values(status=status, reviewer_id=reviewer.id, reviewed_at=utcnow(), note=(note or "").strip() or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise WorkflowError("That draft is no longer waiting for review.")
    draft = session.get(Draft, draft_id)
    session.refresh(draft)
    return draft


def pending_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Draft).where(Draft.status == "pending")).scalar()


def pending_keys(session: Session, section: str) -> set[str]:
    """Keys of records in `section` that have a draft waiting for review."""
    query = select(Draft.entity_key).where(Draft.section == section, Draft.status == "pending")
    return set(session.execute(query).scalars())


def list_drafts(
    session: Session, status: str = "pending", section: str | None = None, key: str | None = None
) -> list[Draft]:
    query = (
        select(Draft).options(selectinload(Draft.author), selectinload(Draft.reviewer)).where(Draft.status == status)
    )
    if section and key:
        query = query.where(Draft.section == section, Draft.entity_key == key)
    order = Draft.id if status == "pending" else Draft.id.desc()
    return list(session.execute(query.order_by(order).limit(200)).scalars())


def change_history(
    session: Session, section: str | None = None, key: str | None = None, limit: int = 200
) -> list[ChangeLog]:
    """Change-log rows, newest first: of one record, or of everything."""
    query = select(ChangeLog)
    if section and key:
        query = query.where(ChangeLog.entity == ENTITY[section], ChangeLog.entity_key == key)
    return list(session.execute(query.order_by(ChangeLog.id.desc()).limit(limit)).scalars())
