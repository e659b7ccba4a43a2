"""Read-only questions the conversation asks of the resource database.

Returns plain dataclasses, detached from the session, so callers (the Rasa actions,
the formatting layer, benchmarks) never touch the ORM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from bot.db.models import Guide, Profile, Resource
from bot.geo import box_around, lookup_zip, miles_between


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    accessed: dt.date
    kind: str | None = None  # bot.dataset.schema.SOURCE_KINDS
    supports: tuple[str, ...] = ()  # the structured fields this page backs


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
    translations: dict = field(default_factory=dict, compare=False)

    def localized(self, language: str | None) -> ProfileInfo:
        """The profile with its summaries in `language` when it has them (facts are never translated)."""
        text = self.translations.get(language or "")
        return replace(self, summary=text["summary"], sms_summary=text["sms_summary"]) if text else self


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
    translations: dict = field(default_factory=dict, compare=False)

    def localized(self, language: str | None) -> GuideInfo:
        """The guide in `language` when it has a translation, else as it is (English)."""
        text = self.translations.get(language or "")
        if not text:
            return self
        return replace(self, title=text["title"], summary=text["summary"], steps=tuple(text.get("steps") or ()))


def _sources(row) -> tuple[Source, ...]:
    return tuple(
        Source(c.url, c.title, c.publisher, c.accessed, c.kind, tuple(c.supports or ())) for c in row.citations
    )


def _profile_info(row: Profile) -> ProfileInfo:
    return ProfileInfo(
        row.state,
        row.topic,
        dict(row.fields),
        row.summary,
        row.sms_summary,
        row.last_verified,
        row.notes,
        _sources(row),
        dict(row.translations or {}),
    )


def _resource_info(row: Resource, miles: float | None = None) -> ResourceInfo:
    return ResourceInfo(
        row.key,
        row.kind,
        row.name,
        row.description,
        row.national,
        row.state,
        row.address,
        row.city,
        row.zip,
        row.phone,
        row.url,
        row.hours,
        tuple(row.languages or ()),
        row.cost,
        row.last_verified,
        _sources(row),
        miles,
    )


def _guide_info(row: Guide) -> GuideInfo:
    return GuideInfo(
        row.key,
        row.kind,
        row.topic,
        row.title,
        row.summary,
        tuple(row.steps or ()),
        row.last_verified,
        _sources(row),
        dict(row.translations or {}),
    )


# Statements are built once with bound parameters: building a select per call costs
# more than running it on SQLite.
_KINDS = bindparam("kinds", expanding=True)
_PROFILE = (
    select(Profile)
    .where(Profile.state == bindparam("state"), Profile.topic == bindparam("topic"))
    .options(selectinload(Profile.citations))
)
_RESOURCES = select(Resource).options(selectinload(Resource.citations)).order_by(Resource.name)
_STATE_RESOURCES = _RESOURCES.where(Resource.state == bindparam("state"))
_NATIONAL_RESOURCES = _RESOURCES.where(Resource.national.is_(True))
_RESOURCES_BY_ID = (
    select(Resource).where(Resource.id.in_(bindparam("ids", expanding=True))).options(selectinload(Resource.citations))
)
_SITE_PLACES = select(Resource.id, Resource.latitude, Resource.longitude, Resource.zip, Resource.national)
# National services have no place; they are skipped in Python rather than in SQL, which
# would steer SQLite to the (national, kind) index and a scan of every site.
_SITES_IN_BOX = _SITE_PLACES.where(
    Resource.latitude.between(bindparam("lat_min"), bindparam("lat_max")),
    Resource.longitude.between(bindparam("lon_min"), bindparam("lon_max")),
)
# Sites listed without coordinates are placed at their ZIP's center (same state only).
_SITES_BY_ZIP_ONLY = _SITE_PLACES.where(
    Resource.latitude.is_(None), Resource.zip.isnot(None), Resource.state == bindparam("state")
)
NEAREST_RADII_MILES = (15.0,)


def _of_kinds(statement, kinds: tuple[str, ...] | None):
    return _with_kind_filter(statement) if kinds else statement


@cache
def _with_kind_filter(statement):
    return statement.where(Resource.kind.in_(_KINDS))


def _params(kinds: tuple[str, ...] | None, **values) -> dict:
    return {**values, "kinds": list(kinds)} if kinds else values


def get_profile(session: Session, state: str, topic: str) -> ProfileInfo | None:
    """The law/policy profile for a state and topic, or None when the data has none."""
    row = session.execute(_PROFILE, {"state": state, "topic": topic}).scalar_one_or_none()
    return _profile_info(row) if row else None


def state_resources(session: Session, state: str, kinds: tuple[str, ...] | None = None) -> list[ResourceInfo]:
    """Resources in one state (statewide programs and local sites), by name."""
    rows = session.execute(_of_kinds(_STATE_RESOURCES, kinds), _params(kinds, state=state)).scalars()
    return [_resource_info(row) for row in rows]


def national_resources(session: Session, kinds: tuple[str, ...] | None = None) -> list[ResourceInfo]:
    """Nationwide services (hotlines, mail programs, locators), by name."""
    rows = session.execute(_of_kinds(_NATIONAL_RESOURCES, kinds), _params(kinds)).scalars()
    return [_resource_info(row) for row in rows]


def nearest_resources(
    session: Session,
    zip_code: str,
    kinds: tuple[str, ...] | None = None,
    limit: int = 3,
    max_miles: float = 50.0,
) -> list[ResourceInfo]:
    """Local sites closest to a ZIP code, within `max_miles`.

    Searches a small box first and widens it only when too few sites are found, so a
    city with hundreds of sites reads a handful of rows and a rural ZIP still finds
    the one site 40 miles away.
    """
    origin = lookup_zip(zip_code)
    if origin is None:
        return []
    found = _distances(session, origin, _SITES_BY_ZIP_ONLY, _params(kinds, state=origin.state), kinds, max_miles)
    for radius in [r for r in NEAREST_RADII_MILES if r < max_miles] + [max_miles]:
        box = _params(kinds, **box_around(origin.latitude, origin.longitude, radius))
        found.update(_distances(session, origin, _SITES_IN_BOX, box, kinds, radius))
        if sum(1 for miles in found.values() if miles <= radius) >= limit:
            break
    nearest = sorted(found, key=lambda row_id: found[row_id])[:limit]
    if not nearest:
        return []
    rows = session.execute(_RESOURCES_BY_ID, {"ids": nearest}).scalars()
    infos = [_resource_info(row, round(found[row.id], 1)) for row in rows]
    return sorted(infos, key=lambda info: (info.miles, info.name))


def _distances(session: Session, origin, statement, params: dict, kinds, max_miles: float) -> dict[int, float]:
    """Resource id -> miles from `origin`, for local sites the statement returns within `max_miles`."""
    distances = {}
    for row_id, lat, lon, zip_code, national in session.execute(_of_kinds(statement, kinds), params):
        if national:
            continue
        if lat is None:
            place = lookup_zip(zip_code)
            if place is None:
                continue
            lat, lon = place.latitude, place.longitude
        miles = miles_between(origin.latitude, origin.longitude, lat, lon)
        if miles <= max_miles:
            distances[row_id] = miles
    return distances


_GUIDES = select(Guide).options(selectinload(Guide.citations)).order_by(Guide.key)
_GUIDE = _GUIDES.where(Guide.key == bindparam("key"))
_TOPIC_GUIDES = _GUIDES.where(Guide.topic == bindparam("topic"))
_TOPIC_GUIDES_OF_KIND = _TOPIC_GUIDES.where(Guide.kind == bindparam("kind"))


def get_guide(session: Session, key: str) -> GuideInfo | None:
    row = session.execute(_GUIDE, {"key": key}).scalar_one_or_none()
    return _guide_info(row) if row else None


def guides_for_topic(session: Session, topic: str, kind: str | None = None) -> list[GuideInfo]:
    statement, params = (
        (_TOPIC_GUIDES_OF_KIND, {"topic": topic, "kind": kind}) if kind else (_TOPIC_GUIDES, {"topic": topic})
    )
    return [_guide_info(row) for row in session.execute(statement, params).scalars()]
