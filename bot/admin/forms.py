"""Record forms: which input edits which field, and the conversions between form text and records.

The form only turns text into a raw record; `bot.dataset.validate.validate_record` (the same
check as `hrbot data validate`) decides what is valid, and its errors are shown next to
the inputs they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from bot.dataset.schema import (
    CITATION_FIELDS,
    GUIDE_FIELDS,
    PROFILE_FIELDS,
    RESOURCE_FIELDS,
    TOPIC_FIELDS,
    TOPICS,
    TRANSLATION_FIELDS,
    Field,
    field,
)
from bot.dataset.validate import ValidationError
from bot.jurisdictions import JURISDICTIONS
from bot.texts import DEFAULT_LANGUAGE, languages, text

UNKNOWN = ""
CITATION_PREFIX = "citations"
CITATION_NAME = re.compile(r"^citations-(\d+)-(url|title|publisher|accessed|kind|supports)$")
CITATION_ERROR = re.compile(r"^citations\[(\d+)\](?:\.(\w+))?$")


@dataclass(frozen=True)
class Input:
    """One form input. `path` is where its value sits in the record ("summary", "fields.has_law")."""

    path: str
    label: str
    widget: str  # text, textarea, number, date, yesno, yesno_unknown, choice, lines, commas
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.path)


def _options(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value, value.replace("_", " ")) for value in values)


STATE_CHOICES = tuple((code, f"{code} – {name}") for code, name in sorted(JURISDICTIONS.items()))


def input_for(spec: Field, prefix: str = "", label: str | None = None, help: str | None = None) -> Input:
    """The form input of a schema field (its label, help, widget and choices are declared there)."""
    if spec.name == "state":
        choices = STATE_CHOICES
    else:
        choices = _options(spec.choices)
    required = spec.required and not spec.nullable
    return Input(
        prefix + spec.name, label or spec.label, spec.widget, spec.help if help is None else help, choices, required
    )


def _inputs(specs: tuple[Field, ...], names: tuple[str, ...] | None = None, prefix: str = "") -> tuple[Input, ...]:
    return tuple(input_for(spec, prefix) for spec in specs if names is None or spec.name in names)


TOPIC_INPUTS: dict[str, tuple[Input, ...]] = {
    topic: _inputs(specs, prefix="fields.") for topic, specs in TOPIC_FIELDS.items()
}
PROFILE_KEY_INPUTS = _inputs(PROFILE_FIELDS, ("state", "topic"))
PROFILE_TEXT_INPUTS = _inputs(PROFILE_FIELDS, ("summary", "sms_summary", "last_verified", "notes"))
ID_INPUT = input_for(field(RESOURCE_FIELDS, "id"))
RESOURCE_INPUTS = tuple(spec for spec in _inputs(RESOURCE_FIELDS) if spec.path not in ("id", "citations"))
GUIDE_INPUTS = tuple(spec for spec in _inputs(GUIDE_FIELDS) if spec.path not in ("id", "citations", "translations"))
CITATION_INPUTS = _inputs(CITATION_FIELDS)

KEY_INPUTS = {"profiles": PROFILE_KEY_INPUTS, "resources": (ID_INPUT,), "guides": (ID_INPUT,)}


def _translation_inputs(section: str) -> tuple[Input, ...]:
    """The translated texts, per language the bot speaks besides English (facts are never translated)."""
    inputs = []
    for language in languages():
        if language == DEFAULT_LANGUAGE:
            continue
        name = text("language_name", language)
        for spec in TRANSLATION_FIELDS[section]:
            help_text = (
                "The day this translation was last checked against the English."
                if spec.name == "last_verified"
                else f"The same text in {name}; leave every {name} box empty for no translation."
            )
            inputs.append(input_for(spec, f"translations.{language}.", f"{spec.label} ({name})", help_text))
    return tuple(inputs)


TRANSLATION_INPUTS = {section: _translation_inputs(section) for section in TRANSLATION_FIELDS}


def record_inputs(section: str, topic: str | None = None) -> tuple[Input, ...]:
    """The inputs of a record's form below its key, citations excluded, in display order."""
    if section == "profiles":
        return TOPIC_INPUTS.get(topic or "", ()) + PROFILE_TEXT_INPUTS + TRANSLATION_INPUTS["profiles"]
    return RESOURCE_INPUTS if section == "resources" else GUIDE_INPUTS + TRANSLATION_INPUTS["guides"]


def side_by_side(inputs: list[Input] | tuple[Input, ...]) -> list[tuple[Input, ...]]:
    """Form rows: each translated input beside the English one it translates ("Summary" |
    "Summary (Español)"), so staff compare them; every other input on a row of its own."""
    rows: list[list[Input]] = []
    row_of: dict[str, list[Input]] = {}
    for spec in inputs:
        original = spec.path.split(".", 2)[2] if spec.path.startswith("translations.") else None
        if original in row_of:
            row_of[original].append(spec)
        else:
            row = [spec]
            rows.append(row)
            row_of[spec.path] = row
    return [tuple(row) for row in rows]


def citation_input_name(row: int, name: str) -> str:
    return f"{CITATION_PREFIX}-{row}-{name}"


LABELS = {
    section: {
        spec.path: spec.label
        for spec in KEY_INPUTS[section] + sum((record_inputs(section, topic) for topic in TOPICS), ())
    }
    for section in KEY_INPUTS
}


def label_for(section: str, path: str) -> str:
    """A readable name for a field path of a record, e.g. 'citations[2].url' -> 'Citation 2: Web address ...'."""
    match = CITATION_ERROR.match(path)
    if match:
        number, name = match.groups()
        sub = next((spec.label for spec in CITATION_INPUTS if spec.path == name), "")
        return f"Citation {number}" + (f": {sub}" if sub else "")
    return LABELS[section].get(path, path)


def form_values(section: str, record: dict) -> dict[str, str]:
    """The text each input shows for a canonical record."""
    topic = record.get("topic") if section == "profiles" else None
    values = {}
    for spec in KEY_INPUTS[section] + record_inputs(section, topic):
        values[spec.path] = _to_text(spec, _get(record, spec.path))
    for row, citation in enumerate(record.get("citations") or []):
        for spec in CITATION_INPUTS:
            values[citation_input_name(row, spec.path)] = _to_text(spec, citation.get(spec.path))
    return values


def citation_rows(values: Mapping[str, str]) -> int:
    """How many citation rows the form has (the highest row number plus one)."""
    rows = [int(match.group(1)) for name in values if (match := CITATION_NAME.match(name))]
    return max(rows, default=-1) + 1


def raw_record(section: str, form: Mapping[str, str], key: dict) -> tuple[dict, list[int]]:
    """The raw record a submitted form describes, and the form row of each kept citation.

    `key` holds the identity fields (state and topic, or id) that the form may not change.
    Citation rows marked for removal, and rows left entirely empty, are left out.
    """
    topic = key.get("topic", form.get("topic")) if section == "profiles" else None
    data: dict[str, Any] = {}
    for spec in KEY_INPUTS[section] + record_inputs(section, topic):
        value = key[spec.path] if spec.path in key else _from_text(spec, form.get(spec.path, ""))
        _set(data, spec.path, value)
    if section == "profiles":
        data.setdefault("fields", {})
    if section in TRANSLATION_INPUTS:
        data["translations"] = {
            language: values
            for language, values in data.get("translations", {}).items()
            if any(value not in (None, []) for value in values.values())
        }
    citations, kept_rows = [], []
    for row in range(citation_rows(form)):
        texts = {spec.path: form.get(citation_input_name(row, spec.path), "").strip() for spec in CITATION_INPUTS}
        if form.get(citation_input_name(row, "remove")) or not any(texts.values()):
            continue
        citations.append({spec.path: _from_text(spec, texts[spec.path]) for spec in CITATION_INPUTS})
        kept_rows.append(row)
    data["citations"] = citations
    return data, kept_rows


def field_errors(
    section: str, errors: list[ValidationError], kept_rows: list[int], shown: set[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Validation errors per input name; errors that no shown input can display go to the general list."""
    by_input: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        name = error.field or ""
        match = CITATION_ERROR.match(name)
        if match:
            number, sub = int(match.group(1)), match.group(2)
            row = kept_rows[number - 1] if number <= len(kept_rows) else number - 1
            name = citation_input_name(row, sub) if sub else f"{CITATION_PREFIX}-{row}"
        if name in shown or name.startswith(CITATION_PREFIX):
            by_input.setdefault(name, []).append(error.message)
        else:
            general.append(f"{label_for(section, error.field)}: {error.message}" if error.field else error.message)
    return by_input, general


def _get(record: dict, path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _to_text(spec: Input, value: Any) -> str:
    if value is None:
        return UNKNOWN
    if spec.widget in ("yesno", "yesno_unknown"):
        return "yes" if value else "no"
    if spec.widget == "lines":
        return "\n".join(value)
    if spec.widget == "commas":
        return ", ".join(value)
    return str(value)


def _from_text(spec: Input, text: str) -> Any:
    """Form text to a raw value; anything unexpected is passed on for the validator to report."""
    text = text.strip()
    if spec.widget in ("yesno", "yesno_unknown"):
        return {"yes": True, "no": False, UNKNOWN: None}.get(text, text)
    if spec.widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if spec.widget == "commas":
        return [item.strip() for item in text.split(",") if item.strip()]
    return text or None
