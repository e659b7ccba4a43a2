"""Bulk import of local sites from a CSV directory export (treatment programs, naloxone sites...)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from bot.dataset.store import load_rows, to_record
from bot.dataset.validate import Dataset, ValidationError, validate_record

# Our field -> column names we recognise without a mapping (compared case-insensitively).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "name1", "facility", "facility name", "program name", "site name"),
    "description": ("description", "services", "name2"),
    "address": ("address", "street", "street1", "street address", "address1"),
    "city": ("city",),
    "state": ("state", "st"),
    "zip": ("zip", "zipcode", "zip code", "postal code", "zip5"),
    "phone": ("phone", "telephone", "phone number"),
    "url": ("url", "website", "web site", "web"),
    "hours": ("hours",),
    "cost": ("cost", "fees"),
    "languages": ("languages", "language"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "long", "lng"),
}


@dataclass
class SitesPlan:
    """What an import-sites run would do: the valid sites, and what it skipped and why."""

    dataset: Dataset = field(default_factory=Dataset)
    skipped: list[str] = field(default_factory=list)


@dataclass
class SiteSource:
    url: str
    title: str
    publisher: str
    accessed: dt.date


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`["name=Program Name", ...]` -> {"name": "Program Name"}; raises ValueError on a bad pair."""
    mapping = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"mapping {pair!r} must look like field=Column Name")
        if target.strip() not in DEFAULT_COLUMNS:
            raise ValueError(f"mapping {pair!r}: unknown field; use one of {', '.join(DEFAULT_COLUMNS)}")
        mapping[target.strip()] = column.strip()
    return mapping


def plan_sites(
    session: Session,
    path: Path,
    kind: str,
    source: SiteSource,
    mapping: dict[str, str] | None = None,
    default_state: str | None = None,
) -> SitesPlan:
    """Read and validate a site list; detect duplicates in the file and against the database."""
    plan = SitesPlan()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        plan.dataset.errors.append(ValidationError(str(path), "file", None, f"cannot read file: {exc}"))
        return plan
    reader = csv.DictReader(text.splitlines())
    columns = _resolve_columns(list(reader.fieldnames or []), mapping or {})
    if "name" not in columns:
        plan.dataset.errors.append(
            ValidationError(f"{path}:1", "file", "name", "no name column found; map one with --map name=COLUMN")
        )
        return plan
    existing = {
        _identity(record): key
        for key, record in ((key, to_record("resources", row)) for key, row in load_rows(session, "resources").items())
    }
    seen: dict[tuple, int] = {}
    for line, row in enumerate(reader, start=2):
        record = _site_record(row, columns, kind, source, default_state)
        where = f"{path}:{line}"
        checked, errors = validate_record("resources", record, where)
        if errors or checked is None:
            plan.dataset.errors.extend(errors)
            continue
        identity = _identity(checked)
        if identity in seen:
            plan.skipped.append(f"{where}: duplicate of line {seen[identity]} ({checked['name']})")
            continue
        seen[identity] = line
        known_key = existing.get(identity)
        if known_key and known_key != checked["id"]:
            plan.skipped.append(f"{where}: already in the database as {known_key} ({checked['name']})")
            continue
        if checked["id"] in plan.dataset.resources:
            checked["id"] = f"{checked['id']}-{line}"
        plan.dataset.resources[checked["id"]] = checked
    return plan


def _resolve_columns(fieldnames: list[str], mapping: dict[str, str]) -> dict[str, str]:
    by_lower = {name.strip().lower(): name for name in fieldnames}
    columns = {}
    for target, aliases in DEFAULT_COLUMNS.items():
        wanted = [mapping[target]] if target in mapping else list(aliases)
        for alias in wanted:
            if alias.lower() in by_lower:
                columns[target] = by_lower[alias.lower()]
                break
    return columns


def _site_record(row: dict, columns: dict[str, str], kind: str, source: SiteSource, default_state: str | None) -> dict:
    values = {target: (row.get(column) or "").strip() or None for target, column in columns.items()}
    state = (values.get("state") or default_state or "").upper() or None
    zip_code = (values.get("zip") or "")[:5] or None
    name = values.get("name")
    record = {
        "id": _slug(state or "us", kind.split("_")[0], name or "site", zip_code or ""),
        "kind": kind,
        "name": name,
        "description": values.get("description") or f"Listed in {source.title}.",
        "national": False,
        "state": state,
        "address": values.get("address"),
        "city": values.get("city"),
        "zip": zip_code,
        "latitude": values.get("latitude"),
        "longitude": values.get("longitude"),
        "phone": values.get("phone"),
        "url": values.get("url"),
        "hours": values.get("hours"),
        "languages": [lang.strip() for lang in re.split(r"[;,]", str(values["languages"])) if lang.strip()]
        if values.get("languages")
        else [],
        "cost": values.get("cost"),
        "last_verified": source.accessed.isoformat(),
        "citations": [
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "accessed": source.accessed.isoformat(),
            }
        ],
    }
    return record


def _identity(record: dict) -> tuple:
    """Two listings are the same site when name, street address and ZIP agree (ignoring case and punctuation)."""

    def norm(value):
        return re.sub(r"[^a-z0-9]+", " ", (value or "").lower()).strip()

    return (norm(record["name"]), norm(record.get("address")), record.get("zip") or "", record["kind"])


def _slug(*parts: str) -> str:
    text = "-".join(part for part in parts if part)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120].rstrip("-")
