"""Read-only questions the conversation asks of the resource database.

Returns plain dataclasses, detached from the session, so callers (the Rasa actions,
the formatting layer, benchmarks) never touch the ORM.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.db.models import Guide, Profile, Resource
from bot.geo import lookup_zip, miles_between


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    accessed: dt.date


@dataclass(frozen=True)
class ProfileInfo:
    state: str
    topic: str
    fields: dict
    summary: str
    sms_summary: str
    last_verified: dt.date
    notes: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ResourceInfo:
    key: str
    kind: str
    name: str
    description: str
    national: bool
    state: str | None
    address: str | None
    city: str | None
    zip: str | None
    phone: str | None
    url: str | None
    hours: str | None
    languages: tuple[str, ...]
    cost: str | None
    last_verified: dt.date
    sources: tuple[Source, ...]
    miles: float | None = None


@dataclass(frozen=True)
class GuideInfo:
    key: str
    kind: str
    topic: str
    title: str
    summary: str
    steps: tuple[str, ...]
    last_verified: dt.date
    sources: tuple[Source, ...]


def _sources(row) -> tuple[Source, ...]:
    return tuple(Source(c.url, c.title, c.publisher, c.accessed) for c in row.citations)


def _profile_info(row: Profile) -> ProfileInfo:
    return ProfileInfo(
        row.state, row.topic, dict(row.fields), row.summary, row.sms_summary,
        row.last_verified, row.notes, _sources(row),
    )


def _resource_info(row: Resource, miles: float | None = None) -> ResourceInfo:
    return ResourceInfo(
        row.key, row.kind, row.name, row.description, row.national, row.state, row.address,
        row.city, row.zip, row.phone, row.url, row.hours, tuple(row.languages or ()), row.cost,
        row.last_verified, _sources(row), miles,
    )


def _guide_info(row: Guide) -> GuideInfo:
    return GuideInfo(
        row.key, row.kind, row.topic, row.title, row.summary, tuple(row.steps or ()),
        row.last_verified, _sources(row),
    )


def get_profile(session: Session, state: str, topic: str) -> ProfileInfo | None:
    """The law/policy profile for a state and topic, or None when the data has none."""
    query = (
        select(Profile)
        .where(Profile.state == state, Profile.topic == topic)
        .options(selectinload(Profile.citations))
    )
    row = session.execute(query).scalar_one_or_none()
    return _profile_info(row) if row else None


def _resource_query(kinds: tuple[str, ...] | None):
    query = select(Resource).options(selectinload(Resource.citations))
    if kinds:
        query = query.where(Resource.kind.in_(kinds))
    return query


def state_resources(session: Session, state: str, kinds: tuple[str, ...] | None = None) -> list[ResourceInfo]:
    """Resources in one state (statewide programs and local sites), by name."""
    query = _resource_query(kinds).where(Resource.state == state).order_by(Resource.name)
    return [_resource_info(row) for row in session.execute(query).scalars()]


def national_resources(session: Session, kinds: tuple[str, ...] | None = None) -> list[ResourceInfo]:
    """Nationwide services (hotlines, mail programs, locators), by name."""
    query = _resource_query(kinds).where(Resource.national.is_(True)).order_by(Resource.name)
    return [_resource_info(row) for row in session.execute(query).scalars()]


def nearest_resources(
    session: Session,
    zip_code: str,
    kinds: tuple[str, ...] | None = None,
    limit: int = 3,
    max_miles: float = 50.0,
) -> list[ResourceInfo]:
    """Local sites closest to a ZIP code, within `max_miles`.

    Only a box around the ZIP is read from the database, so the cost does not grow
    with the size of the directory.
    """
    origin = lookup_zip(zip_code)
    if origin is None:
        return []
    lat_span = max_miles / 69.0
    lon_span = max_miles / (69.0 * max(0.1, math.cos(math.radians(origin.latitude))))
    in_box = and_(
        Resource.latitude.between(origin.latitude - lat_span, origin.latitude + lat_span),
        Resource.longitude.between(origin.longitude - lon_span, origin.longitude + lon_span),
    )
    # Sites listed without coordinates are placed at their ZIP's center (same state only).
    zip_only = and_(Resource.latitude.is_(None), Resource.zip.isnot(None), Resource.state == origin.state)
    query = _resource_query(kinds).where(Resource.national.is_(False), or_(in_box, zip_only))
    found = []
    for row in session.execute(query).scalars():
        place = (row.latitude, row.longitude)
        if row.latitude is None:
            zip_place = lookup_zip(row.zip)
            if zip_place is None:
                continue
            place = (zip_place.latitude, zip_place.longitude)
        miles = miles_between(origin.latitude, origin.longitude, *place)
        if miles <= max_miles:
            found.append(_resource_info(row, round(miles, 1)))
    found.sort(key=lambda info: (info.miles, info.name))
    return found[:limit]


def get_guide(session: Session, key: str) -> GuideInfo | None:
    query = select(Guide).where(Guide.key == key).options(selectinload(Guide.citations))
    row = session.execute(query).scalar_one_or_none()
    return _guide_info(row) if row else None


def guides_for_topic(session: Session, topic: str, kind: str | None = None) -> list[GuideInfo]:
    query = select(Guide).where(Guide.topic == topic).options(selectinload(Guide.citations))
    if kind:
        query = query.where(Guide.kind == kind)
    return [_guide_info(row) for row in session.execute(query.order_by(Guide.key)).scalars()]
