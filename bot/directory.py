"""Treatment directories (SAMHSA's methadone programs and treatment locator) and the nearest sites.

The directories are shipped in data/sites as their sources published them, with their
provenance and as-of month in data/sites/directories.yaml. They are imported whole: every row
is checked first, and one bad row imports nothing. A row without usable coordinates is placed
at its ZIP code's centre, and says so. "Nearest" is the great-circle distance from a ZIP code
or a city, searched in growing boxes so a city with hundreds of sites reads only a few rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from bot.db.models import Directory, DirectorySite
from bot.geo import box_around, lookup_zip, miles_between
from bot.jurisdictions import JURISDICTIONS

SERVICES = ("methadone", "buprenorphine", "naltrexone")
# Boxes searched in turn, in miles; the last says how far the nearest is when nothing is close.
SEARCH_RADII_MILES = (10.0, 25.0, 50.0, 150.0, 400.0, 3000.0)
NEARBY_MILES = 50.0
# The 50 states and DC lie in these bounds; coordinates outside them are a geocoding error.
_LATITUDES = (17.0, 72.0)
_LONGITUDES = (-180.0, -64.0)
_MAX_TEXT = {"name": 200, "address": 200, "city": 100, "phone": 40}
# Territories the directories list and the bot does not cover (it answers for the 50 states and DC).
TERRITORIES = ("PR", "GU", "VI", "AS", "MP", "PW", "FM", "MH")


@dataclass(frozen=True)
class Site:
    name: str
    address: str | None
    city: str | None
    state: str
    zip: str
    phone: str | None
    service: str
    miles: float
    directory_title: str
    directory_url: str
    as_of: str  # "2021-07"
    placed_by_zip: bool  # no coordinates of its own: placed at its ZIP code's centre


@dataclass
class DirectoryPlan:
    """What an import would do, per directory: rows to load and how they differ from the database."""

    directories: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)  # directory key -> site rows
    errors: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)  # closed, or no longer listed
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    territories: dict[str, int] = field(default_factory=dict)  # rows left out: outside the 50 states and DC


def plan_import(session: Session, folder: Path) -> DirectoryPlan:
    """Read and check every directory listed in folder/directories.yaml, and diff it with the database."""
    plan = DirectoryPlan()
    config_path = folder / "directories.yaml"
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        plan.errors.append(f"{config_path}: cannot read: {error}")
        return plan
    for number, entry in enumerate(config.get("directories") or [], start=1):
        problem = _config_problem(entry)
        if problem:
            plan.errors.append(f"{config_path}: directory {number}: {problem}")
            continue
        plan.directories.append(entry)
        plan.rows[entry["key"]], plan.territories[entry["key"]] = _read_rows(folder / entry["file"], entry, plan.errors)
    if not plan.directories and not plan.errors:
        plan.errors.append(f"{config_path}: no directories listed")
    if not plan.errors:
        _diff(session, plan)
    return plan


def apply_import(session: Session, plan: DirectoryPlan) -> None:
    """Replace each directory's sites with the planned rows, in the caller's transaction."""
    assert not plan.errors, "a plan with errors is never applied"
    now = dt.datetime.now(dt.timezone.utc)
    for entry in plan.directories:
        key = entry["key"]
        session.execute(delete(DirectorySite).where(DirectorySite.directory == key))
        session.merge(
            Directory(
                key=key,
                title=entry["title"],
                publisher=entry["publisher"],
                url=entry["url"],
                as_of=str(entry["as_of"]),
                imported_at=now,
            )
        )
        session.flush()
        session.execute(DirectorySite.__table__.insert(), [{**row, "directory": key} for row in plan.rows[key]])


def _config_problem(entry) -> str | None:
    if not isinstance(entry, dict):
        return "expected a mapping"
    missing = [
        name for name in ("key", "file", "title", "publisher", "url", "as_of", "services") if not entry.get(name)
    ]
    if missing:
        return f"missing {', '.join(missing)}"
    if not re.fullmatch(r"\d{4}-\d{2}", str(entry["as_of"])):
        return f"as_of must be a month like 2021-07, got {entry['as_of']!r}"
    unknown = sorted(set(entry["services"].values()) - set(SERVICES))
    return f"unknown services {unknown}; known: {', '.join(SERVICES)}" if unknown else None


def _read_rows(path: Path, entry: dict, errors: list[str]) -> tuple[list[dict], int]:
    """The rows to use, and how many were left out as outside the states and DC."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        errors.append(f"{path}: cannot read: {error}")
        return [], 0
    reader = csv.DictReader(text.splitlines())
    missing = {"name", "kind", "state", "zip"} - set(reader.fieldnames or [])
    if missing:
        errors.append(f"{path}:1: missing columns {', '.join(sorted(missing))}")
        return [], 0
    rows, territories = [], 0
    for line, raw in enumerate(reader, start=2):
        service = entry["services"].get((raw.get("kind") or "").strip())
        if service is None:
            continue  # a kind this directory is not used for
        if (raw.get("state") or "").strip().upper() in TERRITORIES:
            territories += 1
            continue
        row, problem = _site_row(raw, service)
        if problem:
            errors.append(f"{path}:{line}: {problem}")
        else:
            rows.append(row)
    return rows, territories


def _site_row(raw: dict, service: str) -> tuple[dict, str | None]:
    """One directory row as a site, or the reason it cannot be one."""

    def text(name: str) -> str | None:
        value = re.sub(r"\s+", " ", raw.get(name) or "").strip()
        return value or None

    texts = {name: text(name) for name in ("name", "address", "city", "phone")}
    state = (text("state") or "").upper()
    zip_code = (text("zip") or "").split("-")[0]
    zip_code = zip_code.zfill(5) if len(zip_code) == 4 else zip_code  # a spreadsheet dropped the leading 0
    row: dict = {**texts, "service": service, "state": state, "zip": zip_code}
    if not texts["name"]:
        return row, "no name"
    for name, limit in _MAX_TEXT.items():
        value = texts[name]
        if value and len(value) > limit:
            return row, f"{name} longer than {limit} characters"
    if state not in JURISDICTIONS:
        return row, f"state {state!r} is not one of the 50 states or DC"
    if not re.fullmatch(r"\d{5}", zip_code):
        return row, f"ZIP code {raw.get('zip')!r} is not five digits"
    try:
        latitude, longitude = float(raw.get("latitude") or "nan"), float(raw.get("longitude") or "nan")
    except ValueError:
        return row, f"coordinates {raw.get('latitude')!r}, {raw.get('longitude')!r} are not numbers"
    inside = _LATITUDES[0] <= latitude <= _LATITUDES[1] and _LONGITUDES[0] <= longitude <= _LONGITUDES[1]
    if not inside:  # missing or impossible: the ZIP code's centre, said as such
        place = lookup_zip(zip_code)
        if place is None:
            return row, f"no coordinates and unknown ZIP code {zip_code}"
        latitude, longitude = place.latitude, place.longitude
    row.update(latitude=round(latitude, 6), longitude=round(longitude, 6), placed_by_zip=not inside)
    return row, None


def _identity(row) -> tuple:
    def norm(value):
        return re.sub(r"[^a-z0-9]+", " ", (value or "").lower()).strip()

    return (norm(row["name"]), norm(row["address"]), row["zip"], row["service"])


def _diff(session: Session, plan: DirectoryPlan) -> None:
    compared = ("phone", "city", "latitude", "longitude")
    for entry in plan.directories:
        key = entry["key"]
        columns = ("name", "address", "zip", "service") + compared
        old = {
            _identity(row): row
            for row in (
                {name: getattr(site, name) for name in columns}
                for site in session.execute(select(DirectorySite).where(DirectorySite.directory == key)).scalars()
            )
        }
        new = {_identity(row): row for row in plan.rows[key]}
        plan.added[key] = len(new.keys() - old.keys())
        plan.removed[key] = len(old.keys() - new.keys())
        both = new.keys() & old.keys()
        plan.changed[key] = sum(any(new[k][name] != old[k][name] for name in compared) for k in both)
        plan.unchanged[key] = len(both) - plan.changed[key]


_IN_BOX = (
    select(
        DirectorySite.id,
        DirectorySite.latitude,
        DirectorySite.longitude,
    )
    .where(DirectorySite.service.in_(bindparam("services", expanding=True)))
    .where(DirectorySite.latitude.between(bindparam("lat_min"), bindparam("lat_max")))
    .where(DirectorySite.longitude.between(bindparam("lon_min"), bindparam("lon_max")))
)
_BY_IDS = (
    select(DirectorySite, Directory.title, Directory.url, Directory.as_of)
    .join(Directory, Directory.key == DirectorySite.directory)
    .where(DirectorySite.id.in_(bindparam("ids", expanding=True)))
)


def nearest_sites(
    session: Session,
    latitude: float,
    longitude: float,
    services: tuple[str, ...],
    limit: int = 3,
    max_miles: float = SEARCH_RADII_MILES[-1],
) -> list[Site]:
    """The `limit` sites offering any of `services` closest to a point, within `max_miles`, nearest first."""
    found: dict[int, float] = {}
    for radius in [r for r in SEARCH_RADII_MILES if r < max_miles] + [max_miles]:
        params = {"services": list(services), **box_around(latitude, longitude, radius)}
        for row_id, lat, lon in session.execute(_IN_BOX, params):
            miles = miles_between(latitude, longitude, lat, lon)
            if miles <= radius:
                found[row_id] = miles
        if len(found) >= limit:
            break
    nearest = sorted(found, key=found.__getitem__)[:limit]
    if not nearest:
        return []
    sites = [
        Site(
            row.name,
            row.address,
            row.city,
            row.state,
            row.zip,
            row.phone,
            row.service,
            round(found[row.id], 1),
            title,
            url,
            as_of,
            row.placed_by_zip,
        )
        for row, title, url, as_of in session.execute(_BY_IDS, {"ids": nearest})
    ]
    return sorted(sites, key=lambda site: (site.miles, site.name))


@dataclass(frozen=True)
class DirectoryStatus:
    title: str
    as_of: str
    imported_at: dt.datetime
    sites: int


def directory_status(session: Session) -> list[DirectoryStatus]:
    """Each imported directory with the month its data is from: the freshness dashboard shows it."""
    counts = dict(
        session.execute(select(DirectorySite.directory, func.count()).group_by(DirectorySite.directory)).all()
    )
    return [
        DirectoryStatus(row.title, row.as_of, row.imported_at, counts.get(row.key, 0))
        for row in session.execute(select(Directory).order_by(Directory.key)).scalars()
    ]
