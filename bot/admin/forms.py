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
    GUIDE_KINDS,
    GUIDE_TOPICS,
    PROTECTION_LEVELS,
    RESOURCE_KINDS,
    TEST_STRIP_STATUSES,
    TOPICS,
)
from bot.dataset.validate import ValidationError
from bot.jurisdictions import JURISDICTIONS
from bot.texts import DEFAULT_LANGUAGE, languages, text

UNKNOWN = ""
CITATION_PREFIX = "citations"
CITATION_NAME = re.compile(r"^citations-(\d+)-(url|title|publisher|accessed)$")
CITATION_ERROR = re.compile(r"^citations\[(\d+)\](?:\.(\w+))?$")


@dataclass(frozen=True)
class Input:
    """One form input. `path` is where its value sits in the record ("summary", "fields.has_law")."""

    path: str
    label: str
    widget: str  # text, textarea, number, date, yesno, yesno_unknown, choice, lines, commas
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.path)


def _options(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value, value.replace("_", " ")) for value in values)


def _yesno(path: str, label: str, help: str = "") -> Input:
    return Input(path, label, "yesno_unknown", help)


STATE_CHOICES = tuple((code, f"{code} – {name}") for code, name in sorted(JURISDICTIONS.items()))

TOPIC_INPUTS: dict[str, tuple[Input, ...]] = {
    "good_samaritan": (
        _yesno("fields.has_law", "Has a 911 Good Samaritan overdose law",
               "The state protects people who call for help during an overdose."),
        Input("fields.year_enacted", "Year the first such law was enacted", "number"),
        _yesno("fields.protects_possession", "Protects from drug possession charges"),
        _yesno("fields.protects_paraphernalia", "Protects from paraphernalia (drug gear) charges"),
        _yesno("fields.protects_underage_drinking", "Protects from underage drinking charges (alcohol overdose)"),
        Input("fields.protection_level", "Strongest stage at which the protection applies", "choice",
              "Arrest is the strongest: the person is not arrested at all.", _options(PROTECTION_LEVELS)),
        _yesno("fields.covers_probation_parole", "Protects from probation or parole violations for the same event"),
        _yesno("fields.covers_outstanding_warrants", "Protects from arrest on outstanding warrants"),
        Input("fields.limits", "Conditions and limits", "textarea",
              "For example: must stay on scene, must cooperate, amount limits, only once."),
        _yesno("fields.drug_induced_homicide_law", "Has a drug-induced homicide law",
               "The state can charge a death caused by shared or sold drugs as homicide or similar."),
    ),
    "naloxone": (
        _yesno("fields.standing_order", "Statewide standing order",
               "Pharmacies may give naloxone without a prescription written for the person."),
        _yesno("fields.pharmacist_prescribing", "Pharmacists may prescribe or dispense on their own authority"),
        _yesno("fields.third_party_prescribing", "Third-party prescribing",
               "A prescriber may prescribe to someone who may help another person (family, friend)."),
        _yesno("fields.layperson_immunity", "Protection for people who give naloxone",
               "A person who gives naloxone is protected from civil or criminal liability."),
        Input("fields.free_program", "Free naloxone programs", "textarea",
              "The state's free naloxone or mail-based programs."),
    ),
    "test_strips": (
        Input("fields.legal_status", "Legal status of fentanyl test strips", "choice",
              "Paraphernalia means state law treats them as drug gear.", _options(TEST_STRIP_STATUSES)),
        Input("fields.year_legalized", "Year legalized", "number", "Leave empty if not legalized or unknown."),
        Input("fields.statute", "Statute or session law", "text"),
        Input("fields.where_to_get", "Where to get them", "textarea"),
    ),
    "treatment": (
        Input("fields.methadone_programs", "Number of opioid treatment programs (methadone clinics)", "number"),
        Input("fields.methadone_programs_as_of", "Date that count was read from the directory", "date",
              "Cite the directory below."),
        _yesno("fields.medicaid_covers_methadone", "Medicaid covers methadone"),
        _yesno("fields.medicaid_covers_buprenorphine", "Medicaid covers buprenorphine"),
        Input("fields.telehealth_buprenorphine", "Buprenorphine by telehealth", "textarea",
              "The federal rule plus any state rule."),
        Input("fields.state_helpline", "State treatment helpline", "text", "Name and phone number."),
    ),
}

PROFILE_KEY_INPUTS = (
    Input("state", "State", "choice", choices=STATE_CHOICES),
    Input("topic", "Topic", "choice", choices=_options(TOPICS)),
)
PROFILE_TEXT_INPUTS = (
    Input("summary", "Summary (web chat)", "textarea",
          "Plain words, short sentences, 8th-grade reading level or below. Say so when something is unknown."),
    Input("sms_summary", "Summary for text messages", "textarea",
          "At most 300 characters, 8th-grade reading level or below."),
    Input("last_verified", "Last verified", "date", "The day someone last checked this against the sources."),
    Input("notes", "Notes for staff (optional)", "textarea",
          "Disagreements between sources and other caveats. People using the bot do not see this."),
)
ID_INPUT = Input("id", "ID", "text",
                 "Lower-case letters, digits and dashes, like oh-project-dawn. It cannot be changed later.")
RESOURCE_INPUTS = (
    Input("kind", "Kind", "choice", choices=_options(RESOURCE_KINDS)),
    Input("name", "Name", "text"),
    Input("description", "Description", "textarea", "One or two plain sentences."),
    Input("national", "Nationwide service", "yesno",
          "Yes for services anyone in the country can use; then leave the state empty."),
    Input("state", "State", "choice", choices=STATE_CHOICES),
    Input("address", "Street address", "text", "Only a real address from a cited source."),
    Input("city", "City", "text"),
    Input("zip", "ZIP code", "text", "Five digits."),
    Input("latitude", "Latitude", "number", "Give both latitude and longitude, or neither."),
    Input("longitude", "Longitude", "number"),
    Input("phone", "Phone", "text"),
    Input("url", "Website", "text",
          "Starts with https:// or http://. A resource needs a website, a phone or an address."),
    Input("hours", "Hours", "text"),
    Input("languages", "Languages", "commas", "Language codes separated by commas, like: en, es"),
    Input("cost", "Cost", "text", "For example: free."),
    Input("last_verified", "Last verified", "date", "The day someone last checked this against the sources."),
)
GUIDE_INPUTS = (
    Input("kind", "Kind", "choice", "A how-to has steps; a fact has none.", _options(GUIDE_KINDS)),
    Input("topic", "Topic", "choice", choices=_options(GUIDE_TOPICS)),
    Input("title", "Title", "text"),
    Input("summary", "Summary", "textarea", "One or two plain sentences."),
    Input("steps", "Steps", "lines", "One short step per line, in order. Leave empty for a fact."),
    Input("last_verified", "Last verified", "date", "The day someone last checked this against the sources."),
)
CITATION_INPUTS = (
    Input("url", "Web address (URL) of the page you read", "text"),
    Input("title", "Title of that page", "text"),
    Input("publisher", "Publisher", "text"),
    Input("accessed", "Date you read it", "date"),
)

KEY_INPUTS = {"profiles": PROFILE_KEY_INPUTS, "resources": (ID_INPUT,), "guides": (ID_INPUT,)}
# The translated texts, per language the bot speaks besides English (facts are never translated).
_TRANSLATED = {
    "profiles": ("summary", "sms_summary", "last_verified"),
    "guides": ("title", "summary", "steps", "last_verified"),
}


def _translation_inputs(section: str) -> tuple[Input, ...]:
    english = {spec.path: spec for spec in (PROFILE_TEXT_INPUTS if section == "profiles" else GUIDE_INPUTS)}
    inputs = []
    for language in languages():
        if language == DEFAULT_LANGUAGE:
            continue
        name = text("language_name", language)
        for field_name in _TRANSLATED[section]:
            spec = english[field_name]
            help_text = ("The day this translation was last checked against the English." if field_name == "last_verified"
                         else f"The same text in {name}; leave every {name} box empty for no translation.")
            inputs.append(Input(f"translations.{language}.{field_name}", f"{spec.label} ({name})", spec.widget, help_text))
    return tuple(inputs)


TRANSLATION_INPUTS = {section: _translation_inputs(section) for section in _TRANSLATED}


def record_inputs(section: str, topic: str | None = None) -> tuple[Input, ...]:
    """The inputs of a record's form below its key, citations excluded, in display order."""
    if section == "profiles":
        return TOPIC_INPUTS.get(topic or "", ()) + PROFILE_TEXT_INPUTS + TRANSLATION_INPUTS["profiles"]
    return RESOURCE_INPUTS if section == "resources" else GUIDE_INPUTS + TRANSLATION_INPUTS["guides"]


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
            language: values for language, values in data.get("translations", {}).items()
            if any(value not in (None, []) for value in values.values())
        }
    citations, kept_rows = [], []
    for row in range(citation_rows(form)):
        texts = {spec.path: form.get(citation_input_name(row, spec.path), "").strip() for spec in CITATION_INPUTS}
        if form.get(citation_input_name(row, "remove")) or not any(texts.values()):
            continue
        citations.append({name: text or None for name, text in texts.items()})
        kept_rows.append(row)
    data["citations"] = citations
    return data, kept_rows


def field_errors(section: str, errors: list[ValidationError], kept_rows: list[int],
                 shown: set[str]) -> tuple[dict[str, list[str]], list[str]]:
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
