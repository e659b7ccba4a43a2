"""Read the published tables the bot answers from: one record by key, or a filtered page of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.dataset.store import ENTITY, MODELS, to_record

SECTIONS = ("profiles", "resources", "guides")
SECTION_OF_ENTITY = {entity: section for section, entity in ENTITY.items()}
PAGE_SIZE = 100


def find_row(session: Session, section: str, key: str) -> Any | None:
    model = MODELS[section]
    query = select(model).options(selectinload(model.citations))
    if section == "profiles":
        state, _, topic = key.partition("/")
        query = query.where(model.state == state, model.topic == topic)
    else:
        query = query.where(model.key == key)
    return session.execute(query).scalar_one_or_none()


def published_record(session: Session, section: str, key: str) -> dict | None:
    """The canonical record the bot uses now, or None when there is none."""
    row = find_row(session, section, key)
    return to_record(section, row) if row is not None else None


@dataclass
class Page:
    rows: list
    number: int
    count: int
    total: int


def search(
    session: Session, section: str, text: str = "", state: str = "", topic: str = "", kind: str = "", page: int = 1
) -> Page:
    """A page of published rows matching the filters; `text` is matched without regard to case."""
    model = MODELS[section]
    query = select(model)
    if section == "profiles":
        searched: tuple[Any, ...] = (model.summary, model.sms_summary, model.notes)
        order: tuple[Any, ...] = (model.state, model.topic)
    elif section == "resources":
        searched = (model.key, model.name, model.description, model.city)
        order = (model.national.desc(), model.state, model.kind, model.key)
    else:
        searched = (model.key, model.title, model.summary)
        order = (model.topic, model.key)
    if text.strip():
        needle = text.strip().lower()
        query = query.where(or_(*(func.lower(column).contains(needle, autoescape=True) for column in searched)))
    if state == "national" and section == "resources":
        query = query.where(model.national.is_(True))
    elif state and section != "guides":
        query = query.where(model.state == state)
    if topic and section != "resources":
        query = query.where(model.topic == topic)
    if kind and section != "profiles":
        query = query.where(model.kind == kind)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar()
    count = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, page), count)
    rows = session.execute(query.order_by(*order).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).scalars().all()
    return Page(rows=list(rows), number=number, count=count, total=total)
