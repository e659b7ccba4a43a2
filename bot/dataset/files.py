"""Read dataset files (YAML, JSON, CSV) into raw records that remember where they came from."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

SECTIONS = ("profiles", "resources", "guides")
SUFFIXES = (".yaml", ".yml", ".json", ".csv")
# CSV cells that hold structured values, written as JSON inside the cell.
CSV_JSON_COLUMNS = ("fields", "citations", "steps", "languages", "national", "latitude", "longitude", "translations")


@dataclass
class RawRecord:
    """One record as read from a file, before validation."""

    section: str
    data: Any
    path: str
    line: int | None
    index: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else f"{self.path} (record {self.index + 1})"


@dataclass
class FileProblem:
    """A file that could not be read at all (syntax, wrong top level)."""

    path: str
    line: int | None
    message: str


@dataclass
class ReadResult:
    records: list[RawRecord] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


class _LineDict(dict):
    """A mapping that knows the line it started on."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records line numbers, rejects duplicate keys and keeps dates as text.

    Dates stay strings so a bad date ("2026-13-40") is reported by the validator
    against its field, not as an unreadable file.
    """


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)  # type: ignore[type-var]  # a SafeLoader method on a subclass


def dataset_files(path: Path) -> list[Path]:
    """The data files at `path`: the file itself, or every data file below a directory."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    return [path]


def read_path(path: Path) -> ReadResult:
    result = ReadResult()
    if not path.exists():
        result.problems.append(FileProblem(str(path), None, "no such file or directory"))
        return result
    files = dataset_files(path)
    if not files:
        result.problems.append(FileProblem(str(path), None, "no .yaml, .json or .csv files found"))
    for file in files:
        read_file(file, result)
    return result


def read_file(file: Path, result: ReadResult) -> None:
    name = str(file)
    if file.suffix not in SUFFIXES:
        result.problems.append(FileProblem(name, None, f"unsupported file type {file.suffix!r}"))
        return
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(FileProblem(name, None, f"cannot read file: {exc}"))
        return
    if file.suffix == ".csv":
        result.records.extend(_csv_records(name, text, result))
        return
    try:
        document = json.loads(text) if file.suffix == ".json" else yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        result.problems.append(FileProblem(name, line, f"malformed YAML: {exc.problem or exc}"))
        return
    except yaml.YAMLError as exc:
        result.problems.append(FileProblem(name, None, f"malformed YAML: {exc}"))
        return
    except json.JSONDecodeError as exc:
        result.problems.append(FileProblem(name, exc.lineno, f"malformed JSON: {exc.msg}"))
        return
    result.records.extend(_document_records(name, document, result))


def _document_records(name: str, document: Any, result: ReadResult) -> Iterator[RawRecord]:
    if document is None:
        return
    if not isinstance(document, dict):
        result.problems.append(FileProblem(name, 1, f"top level must be a mapping with any of {', '.join(SECTIONS)}"))
        return
    for section, items in document.items():
        if section not in SECTIONS:
            line = getattr(document, "line", None)
            result.problems.append(
                FileProblem(name, line, f"unknown top-level key {section!r} (expected {', '.join(SECTIONS)})")
            )
            continue
        if not isinstance(items, list):
            result.problems.append(FileProblem(name, None, f"{section!r} must be a list of records"))
            continue
        for index, item in enumerate(items):
            yield RawRecord(section, item, name, getattr(item, "line", None), index)


def _csv_records(name: str, text: str, result: ReadResult) -> Iterator[RawRecord]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "record_type" not in reader.fieldnames:
        result.problems.append(FileProblem(name, 1, "CSV must have a 'record_type' column"))
        return
    for index, row in enumerate(reader):
        line = index + 2  # header is line 1
        section = (row.pop("record_type") or "").strip()
        if section not in SECTIONS:
            result.problems.append(
                FileProblem(name, line, f"record_type {section!r} is not one of {', '.join(SECTIONS)}")
            )
            continue
        record: dict[str, Any] = {}
        for column, cell in row.items():
            if column is None or cell in ("", None):
                continue
            if column in CSV_JSON_COLUMNS:
                try:
                    record[column] = json.loads(cell)
                except json.JSONDecodeError:
                    result.problems.append(FileProblem(name, line, f"column {column!r} is not valid JSON"))
                    break
            else:
                record[column] = cell
        else:
            yield RawRecord(section, record, name, line, index)
