"""Export the database as dataset files that import back unchanged."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.dataset.files import CSV_JSON_COLUMNS, SECTIONS, dataset_files
from bot.dataset.schema import GUIDE_FIELDS, PROFILE_FIELDS, RESOURCE_FIELDS, TOPIC_RESOURCE_KINDS
from bot.dataset.store import load_rows, to_record

FORMATS = ("yaml", "json", "csv")
CSV_COLUMNS = ["record_type"] + list(
    dict.fromkeys(spec.name for specs in (PROFILE_FIELDS, RESOURCE_FIELDS, GUIDE_FIELDS) for spec in specs)
)


def collect(session: Session, topic: str | None = None, state: str | None = None) -> dict[str, list[dict]]:
    """Canonical records per section, sorted, filtered by topic and/or state."""
    exported: dict[str, list[dict]] = {}
    for section in SECTIONS:
        records = [to_record(section, row) for row in load_rows(session, section).values()]
        records = [record for record in records if _matches(section, record, topic, state)]
        exported[section] = sorted(records, key=lambda record: _sort_key(section, record))
    return exported


def _matches(section: str, record: dict, topic: str | None, state: str | None) -> bool:
    if state and record.get("state") != state:
        return False
    if topic is None:
        return True
    if section == "resources":
        return record["kind"] in TOPIC_RESOURCE_KINDS[topic]
    return record["topic"] == topic


def _sort_key(section: str, record: dict) -> tuple:
    if section == "profiles":
        return (record["topic"], record["state"])
    if section == "resources":
        return (not record["national"], record["state"] or "", record["kind"], record["id"])
    return (record["topic"], record["id"])


def render(exported: dict[str, list[dict]], fmt: str) -> str:
    """One document holding every exported record."""
    if fmt == "yaml":
        return _yaml({section: records for section, records in exported.items() if records})
    if fmt == "json":
        return json.dumps({s: r for s, r in exported.items() if r}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(exported)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_tree(exported: dict[str, list[dict]], directory: Path) -> list[Path]:
    """Write YAML in the data/resources layout: profiles/<topic>.yaml, resources/<kind>.yaml, guides.yaml."""
    files: dict[Path, dict[str, list[dict]]] = {}
    for record in exported["profiles"]:
        files.setdefault(directory / "profiles" / f"{record['topic']}.yaml", {}).setdefault("profiles", []).append(
            record
        )
    for record in exported["resources"]:
        name = "national" if record["national"] else record["kind"]
        files.setdefault(directory / "resources" / f"{name}.yaml", {}).setdefault("resources", []).append(record)
    if exported["guides"]:
        files[directory / "guides.yaml"] = {"guides": exported["guides"]}
    for path, document in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_yaml(document), encoding="utf-8")
    return sorted(files)


class _Dumper(yaml.SafeDumper):
    """Block style, long text folded for people who edit the files by hand."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > 100 and "\n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml(document: dict) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _csv(exported: dict[str, list[dict]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for section, records in exported.items():
        for record in records:
            row = {"record_type": section}
            for name, value in record.items():
                if value is None:
                    continue
                row[name] = json.dumps(value, ensure_ascii=False) if name in CSV_JSON_COLUMNS else value
            writer.writerow(row)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportResult:
    written: list[Path]
    removed: list[Path]
    records: int


def export_to_directory(session: Session, directory: Path) -> ExportResult:
    """Make `directory` hold exactly the published records, in the data/resources layout.

    Data files the export did not write (an older layout, or a kind with no records left)
    are removed: otherwise their records would come back, or clash as duplicates, on the
    next import. Git keeps what they held.
    """
    exported = collect(session)
    directory.mkdir(parents=True, exist_ok=True)
    written = write_tree(exported, directory)
    keep = {path.resolve() for path in written}
    removed = [path for path in dataset_files(directory) if path.resolve() not in keep]
    for path in removed:
        path.unlink()
    return ExportResult(written, removed, sum(len(records) for records in exported.values()))
