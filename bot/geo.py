"""ZIP code lookups and distances, offline (the `zipcodes` package ships the data)."""

from __future__ import annotations

import math
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


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles."""
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(a))
