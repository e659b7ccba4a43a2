"""ZIP code lookups and distances, offline (the `zipcodes` package ships the data)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from bot.jurisdictions import JURISDICTIONS


@dataclass(frozen=True)
class ZipPlace:
    zip: str
    state: str
    city: str
    latitude: float
    longitude: float


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, ZipPlace]:
    """All ZIP codes in the states and DC, built once per process (~0.3 s)."""
    index = {}
    for entry in zipcodes.list_all():
        if entry["state"] not in JURISDICTIONS or not entry["lat"] or not entry["long"]:
            continue
        index[entry["zip_code"]] = ZipPlace(
            entry["zip_code"], entry["state"], entry["city"], float(entry["lat"]), float(entry["long"])
        )
    return index


def lookup_zip(zip_code: str) -> ZipPlace | None:
    """The place for a five-digit ZIP, or None when unknown (or outside the 50 states and DC)."""
    return _zip_index().get(zip_code.strip()[:5])


def warm_up() -> None:
    """Build the ZIP index now rather than during the first user's message."""
    _zip_index()


def box_around(latitude: float, longitude: float, miles: float) -> dict[str, float]:
    """The latitude and longitude bounds of a square that holds every point within `miles`."""
    lat_span = miles / 69.0
    lon_span = miles / (69.0 * max(0.05, math.cos(math.radians(latitude))))
    return {
        "lat_min": latitude - lat_span,
        "lat_max": latitude + lat_span,
        "lon_min": longitude - lon_span,
        "lon_max": longitude + lon_span,
    }


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles."""
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class City:
    name: str
    state: str
    latitude: float
    longitude: float
    zips: int  # how many ZIP codes it has: the bigger city wins when two share a name
    zip: str  # one of its ZIP codes


@lru_cache(maxsize=1)
def _city_index() -> dict[str, list[City]]:
    """Lower-case city name -> its places, from the ZIP codes' cities (every US city and town)."""
    grouped: dict[tuple[str, str], list[ZipPlace]] = {}
    for place in _zip_index().values():
        grouped.setdefault((place.city.lower(), place.state), []).append(place)
    index: dict[str, list[City]] = {}
    for (name, state), places in grouped.items():
        # The median: a few ZIP codes (PO boxes, big firms) carry coordinates far from the city.
        latitude = statistics.median(p.latitude for p in places)
        longitude = statistics.median(p.longitude for p in places)
        index.setdefault(name, []).append(
            City(
                places[0].city.title(),
                state,
                latitude,
                longitude,
                len(places),
                _central_zip(places, latitude, longitude),
            )
        )
    for cities in index.values():
        cities.sort(key=lambda city: -city.zips)
    return index


def _central_zip(places: list[ZipPlace], latitude: float, longitude: float) -> str:
    """The city's ZIP code nearest its centre (a local site search starts from a ZIP code)."""
    return min(places, key=lambda p: miles_between(latitude, longitude, p.latitude, p.longitude)).zip


def cities_named(name: str) -> list[City]:
    """The cities and towns of that (lower-case, accent-free) name, biggest first."""
    return _city_index().get(name) or _city_index().get(name.replace("st ", "saint ", 1)) or []
