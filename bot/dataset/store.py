"""Map canonical records (dicts from validation) to database rows and back.

Import, export, the change log and the admin all go through these functions, so a
record read from a file and the same record read from the database compare equal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.dataset.schema import CITATION_FIELDS, GUIDE_FIELDS, RESOURCE_FIELDS
from bot.db.models import Citation, Guide, Profile, Resource

MODELS: dict[str, Any] = {"profiles": Profile, "resources": Resource, "guides": Guide}
ENTITY = {"profiles": "profile", "resources": "resource", "guides": "guide"}
DATE_FIELDS = {"last_verified"}


def row_key(section: str, row: Any) -> str:
    return f"{row.state}/{row.topic}" if section == "profiles" else row.key


def load_rows(session: Session, section: str) -> dict[str, Any]:
    """All rows of a section, keyed by record key."""
    model = MODELS[section]
    query = select(model).options(selectinload(model.citations))
    return {row_key(section, row): row for row in session.execute(query).scalars()}


def to_record(section: str, row: Any) -> dict:
    """The canonical record for a database row."""
    citations = [
        {spec.name: _plain(getattr(citation, spec.name)) for spec in CITATION_FIELDS} for citation in row.citations
    ]
    if section == "profiles":
        return {
            "state": row.state,
            "topic": row.topic,
            "fields": dict(row.fields),
            "summary": row.summary,
            "sms_summary": row.sms_summary,
            "last_verified": row.last_verified.isoformat(),
            "notes": row.notes,
            "translations": _plain(row.translations or {}),
            "citations": citations,
        }
    specs = RESOURCE_FIELDS if section == "resources" else GUIDE_FIELDS
    record = {}
    for spec in specs:
        if spec.name == "citations":
            record["citations"] = citations
        elif spec.name == "id":
            record["id"] = row.key
        else:
            record[spec.name] = _plain(getattr(row, spec.name))
    return record


def new_row(section: str, record: dict) -> Any:
    row = MODELS[section]()
    apply_record(section, row, record)
    return row


def apply_record(section: str, row: Any, record: dict) -> None:
    """Write a canonical record onto a row (new or existing), replacing its citations."""
    for name, value in record.items():
        if name == "citations":
            continue
        attribute = "key" if name == "id" else name
        if name in DATE_FIELDS:
            value = dt.date.fromisoformat(value)
        if isinstance(value, (dict, list)):
            value = _plain(value)  # a fresh object so JSON columns see the change
        setattr(row, attribute, value)
    row.citations = [
        Citation(
            url=citation["url"],
            title=citation["title"],
            publisher=citation["publisher"],
            accessed=dt.date.fromisoformat(citation["accessed"]),
            kind=citation.get("kind"),
            supports=list(citation.get("supports") or []),
            position=position,
        )
        for position, citation in enumerate(record["citations"])
    ]


def _plain(value: Any) -> Any:
    """A value as it appears in a canonical record: dates as text, containers copied."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
