"""Validate raw records: every error names the file, line or record, field and problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.dataset.files import ReadResult, read_path
from bot.dataset.readability import too_hard
from bot.dataset.schema import (
    CITATION_FIELDS,
    SECTION_FIELDS,
    TOPIC_FIELDS,
    TRANSLATION_FIELDS,
    Field,
    FieldError,
    record_key,
)
from bot.texts import DEFAULT_LANGUAGE, languages

SINGULAR = {"profiles": "profile", "resources": "resource", "guides": "guide"}


@dataclass
class ValidationError:
    where: str
    record: str
    field: str | None
    message: str

    def __str__(self) -> str:
        location = f"{self.where}: {self.record}"
        if self.field:
            location += f": field '{self.field}'"
        return f"{location}: {self.message}"


@dataclass
class Dataset:
    """Validated records per section, keyed by record_key, in canonical form."""

    profiles: dict[str, dict] = field(default_factory=dict)
    resources: dict[str, dict] = field(default_factory=dict)
    guides: dict[str, dict] = field(default_factory=dict)
    errors: list[ValidationError] = field(default_factory=list)

    def section(self, name: str) -> dict[str, dict]:
        return getattr(self, name)

    @property
    def count(self) -> int:
        return len(self.profiles) + len(self.resources) + len(self.guides)


def load_dataset(path: Path) -> Dataset:
    """Read and validate every data file at `path`."""
    return validate(read_path(path))


def validate(read: ReadResult) -> Dataset:
    dataset = Dataset()
    for problem in read.problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        dataset.errors.append(ValidationError(where, "file", None, problem.message))
    origins: dict[tuple[str, str], str] = {}
    for raw in read.records:
        record, errors = validate_record(raw.section, raw.data, raw.where, raw.index)
        dataset.errors.extend(errors)
        if record is None:
            continue
        key = record_key(raw.section, record)
        if (raw.section, key) in origins:
            dataset.errors.append(
                ValidationError(
                    raw.where,
                    f"{SINGULAR[raw.section]} {key}",
                    None,
                    f"duplicate: already defined at {origins[raw.section, key]}",
                )
            )
            continue
        origins[raw.section, key] = raw.where
        dataset.section(raw.section)[key] = record
    return dataset


def validate_record(section: str, data: Any, where: str, index: int = 0) -> tuple[dict | None, list[ValidationError]]:
    """Check one record; return its canonical form (None when invalid) and its errors."""
    label = _label(section, data, index)
    errors: list[ValidationError] = []

    def fail(field_name: str | None, message: str) -> None:
        errors.append(ValidationError(where, label, field_name, message))

    if not isinstance(data, dict):
        fail(None, "expected a mapping of field names to values")
        return None, errors
    record = _check_fields(SECTION_FIELDS[section], data, fail, prefix="")
    citations = _check_citations(data.get("citations"), fail)
    if citations is not None:
        record["citations"] = citations
    if section in TRANSLATION_FIELDS:
        record["translations"] = _check_translations(section, data.get("translations"), record, fail)
    if section == "profiles":
        topic = record.get("topic")
        _check_supports(record, fail)
        if topic in TOPIC_FIELDS:
            structured = data.get("fields")
            if isinstance(structured, dict):
                record["fields"] = _check_fields(TOPIC_FIELDS[topic], structured, fail, prefix="fields.")
            else:
                fail("fields", f"expected a mapping of {topic} fields")
        _check_reading_level(record, ("summary", "sms_summary"), fail)
        for language, translated in (record.get("translations") or {}).items():
            _check_reading_level(translated, ("summary", "sms_summary"), fail, language, f"translations.{language}.")
    elif section == "resources":
        _check_resource_rules(record, fail)
    elif section == "guides":
        if record.get("kind") == "howto" and not record.get("steps"):
            fail("steps", "a how-to guide needs at least one step")
    return (record if not errors else None), errors


def _check_fields(specs: tuple[Field, ...], data: dict, fail, prefix: str) -> dict:
    known = {spec.name for spec in specs}
    for name in data:
        if name not in known:
            fail(f"{prefix}{name}", f"unknown field (allowed: {', '.join(sorted(known))})")
    result: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in data:
            if spec.required:
                fail(f"{prefix}{spec.name}", "missing" + (" (write null if unknown)" if spec.nullable else ""))
            result[spec.name] = spec.default
            continue
        value = data[spec.name]
        if value is None:
            if not spec.nullable and spec.required:
                fail(f"{prefix}{spec.name}", "must not be empty")
            result[spec.name] = spec.default
            continue
        try:
            result[spec.name] = spec.check(value)
        except FieldError as exc:
            fail(f"{prefix}{spec.name}", str(exc))
    return result


def _check_citations(value: Any, fail) -> list[dict] | None:
    if not isinstance(value, list) or not value:
        fail("citations", "at least one citation (url, title, publisher, accessed) is required")
        return None
    citations = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            fail(f"citations[{number}]", "expected a mapping with url, title, publisher, accessed")
            continue
        citations.append(_check_fields(CITATION_FIELDS, item, fail, prefix=f"citations[{number}]."))
    return citations


def _check_supports(record: dict, fail) -> None:
    """A citation can only back fields its record has."""
    names = {spec.name for spec in TOPIC_FIELDS.get(record.get("topic") or "", ())}
    citations = record.get("citations")
    for number, citation in enumerate(citations if isinstance(citations, list) else [], start=1):
        if not isinstance(citation, dict):
            continue
        unknown = [name for name in citation.get("supports") or [] if name not in names]
        if unknown:
            fail(f"citations[{number}].supports", f"names fields this topic does not have: {', '.join(unknown)}")


def _check_translations(section: str, value: Any, record: dict, fail) -> dict:
    """`{language: {field: text}}` for the languages the bot speaks; a guide's steps match the English ones."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        fail("translations", "expected a mapping of language codes (like es) to translated fields")
        return {}
    allowed = [code for code in languages() if code != DEFAULT_LANGUAGE]
    checked = {}
    for language in sorted(value):
        item = value[language]
        if language not in allowed:
            fail(f"translations.{language}", f"unknown language (allowed: {', '.join(allowed)})")
            continue
        if not isinstance(item, dict):
            fail(f"translations.{language}", "expected a mapping of translated fields")
            continue
        translated = _check_fields(TRANSLATION_FIELDS[section], item, fail, prefix=f"translations.{language}.")
        steps = translated.get("steps")
        if section == "guides" and steps is not None and len(steps) != len(record.get("steps") or []):
            fail(
                f"translations.{language}.steps",
                f"has {len(steps)} steps; the English has {len(record.get('steps') or [])} (same steps, same order)",
            )
        checked[language] = translated
    return checked


def _check_reading_level(record: dict, names: tuple[str, ...], fail, language: str = "en", prefix: str = "") -> None:
    for name in names:
        text = record.get(name)
        if isinstance(text, str):
            problem = too_hard(text, language)
            if problem is not None:
                fail(prefix + name, problem)


def _check_resource_rules(record: dict, fail) -> None:
    if record.get("national") and record.get("state"):
        fail("state", "a national resource has no state (state: null)")
    if not record.get("national") and not record.get("state"):
        fail("state", "a resource needs a state unless national is true")
    if (record.get("latitude") is None) != (record.get("longitude") is None):
        fail("latitude", "give both latitude and longitude, or neither")
    if not record.get("url") and not record.get("phone") and not record.get("address"):
        fail("url", "a resource needs at least a url, a phone or an address")


def _label(section: str, data: Any, index: int) -> str:
    name = SINGULAR[section]
    if isinstance(data, dict):
        if section == "profiles" and data.get("state") and data.get("topic"):
            return f"{name} {data['state']}/{data['topic']}"
        if section != "profiles" and data.get("id"):
            return f"{name} {data['id']}"
    return f"{name} #{index + 1}"
