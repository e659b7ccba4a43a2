"""What a valid record looks like: topics and their structured fields, resources, guides.

Validation turns raw records into canonical dicts (JSON-friendly, dates as ISO text,
every field present) so that import, export and the change log compare like with like.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlparse

from bot.jurisdictions import JURISDICTIONS

TOPICS = ("good_samaritan", "naloxone", "test_strips", "treatment")
RESOURCE_KINDS = (
    "naloxone_distribution",
    "naloxone_mail",
    "test_strip_distribution",
    "syringe_services",
    "opioid_treatment_program",
    "buprenorphine_telehealth",
    "treatment_locator",
    "hotline",
    "other",
)
# Which kinds of resource belong to a topic (export filters, the answer's next step).
TOPIC_RESOURCE_KINDS: dict[str, tuple[str, ...]] = {
    "good_samaritan": (),
    "naloxone": ("naloxone_distribution", "naloxone_mail"),
    "test_strips": ("test_strip_distribution", "syringe_services"),
    "treatment": ("opioid_treatment_program", "buprenorphine_telehealth", "treatment_locator"),
}
GUIDE_KINDS = ("howto", "fact")
GUIDE_TOPICS = TOPICS + ("overdose", "general")
PROTECTION_LEVELS = ("arrest", "charge", "prosecution", "affirmative_defense", "mitigating_factor", "none")
TEST_STRIP_STATUSES = ("legal", "not_addressed", "paraphernalia")
SMS_SUMMARY_MAX = 300
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class FieldError(ValueError):
    """A value that does not fit its field; the message says what is wrong."""


@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[Any], Any]
    required: bool = True
    nullable: bool = False
    default: Any = None


def _text(max_len: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"expected text, got {_describe(value)}")
        value = value.strip()
        if not value:
            raise FieldError("must not be empty")
        if max_len is not None and len(value) > max_len:
            raise FieldError(f"is {len(value)} characters, at most {max_len} allowed")
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {_describe(value)}")
    return value


def _int(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"expected a whole number, got {_describe(value)}")
        if not low <= value <= high:
            raise FieldError(f"must be between {low} and {high}, got {value}")
        return value

    return check


def _year(value: Any) -> int:
    return _int(1900, dt.date.today().year)(value)


def _float(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise FieldError(f"expected a number, got {_describe(value)}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FieldError(f"expected a number, got {_describe(value)}")
        if not low <= value <= high:
            raise FieldError(f"must be between {low} and {high}, got {value}")
        return float(value)

    return check


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(f"expected a date written YYYY-MM-DD, got {value!r}") from None
    else:
        raise FieldError(f"expected a date written YYYY-MM-DD, got {_describe(value)}")
    if parsed > dt.date.today():
        raise FieldError(f"date {parsed.isoformat()} is in the future")
    return parsed.isoformat()


def _url(value: Any) -> str:
    value = _text()(value)
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
        raise FieldError(f"expected a web address starting with http:// or https://, got {value!r}")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise FieldError(f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    return check


def _state(value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in JURISDICTIONS:
        raise FieldError(f"expected a two-letter state code (50 states and DC), got {value!r}")
    return value.strip().upper()


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        raise FieldError(f"expected lower-case letters, digits and dashes (like 'oh-project-dawn'), got {value!r}")
    return value


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise FieldError(f"expected a list, got {_describe(value)}")
    return [_text()(item) for item in value]


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return f"{type(value).__name__} {value!r}"


# Structured fields per topic. Every key must be present; null means "unknown".
TOPIC_FIELDS: dict[str, tuple[Field, ...]] = {
    "good_samaritan": (
        Field("has_law", _bool, nullable=True),
        Field("year_enacted", _year, nullable=True),
        Field("protects_possession", _bool, nullable=True),
        Field("protects_paraphernalia", _bool, nullable=True),
        Field("protects_underage_drinking", _bool, nullable=True),
        Field("protection_level", _choice(PROTECTION_LEVELS), nullable=True),
        Field("covers_probation_parole", _bool, nullable=True),
        Field("covers_outstanding_warrants", _bool, nullable=True),
        Field("limits", _text(), nullable=True),
        Field("drug_induced_homicide_law", _bool, nullable=True),
    ),
    "naloxone": (
        Field("standing_order", _bool, nullable=True),
        Field("pharmacist_prescribing", _bool, nullable=True),
        Field("third_party_prescribing", _bool, nullable=True),
        Field("layperson_immunity", _bool, nullable=True),
        Field("free_program", _text(), nullable=True),
    ),
    "test_strips": (
        Field("legal_status", _choice(TEST_STRIP_STATUSES), nullable=True),
        Field("year_legalized", _year, nullable=True),
        Field("statute", _text(), nullable=True),
        Field("where_to_get", _text(), nullable=True),
    ),
    "treatment": (
        Field("methadone_programs", _int(0, 10_000), nullable=True),
        Field("methadone_programs_as_of", _date, nullable=True),
        Field("medicaid_covers_methadone", _bool, nullable=True),
        Field("medicaid_covers_buprenorphine", _bool, nullable=True),
        Field("telehealth_buprenorphine", _text(), nullable=True),
        Field("state_helpline", _text(), nullable=True),
    ),
}

CITATION_FIELDS = (
    Field("url", _url),
    Field("title", _text(500)),
    Field("publisher", _text(300)),
    Field("accessed", _date),
)

PROFILE_FIELDS = (
    Field("state", _state),
    Field("topic", _choice(TOPICS)),
    Field("fields", lambda value: value),  # checked against TOPIC_FIELDS separately
    Field("summary", _text(2000)),
    Field("sms_summary", _text(SMS_SUMMARY_MAX)),
    Field("last_verified", _date),
    Field("notes", _text(), required=False, nullable=True),
    Field("translations", lambda value: value, required=False, default={}),  # checked against TRANSLATION_FIELDS
    Field("citations", lambda value: value),
)

RESOURCE_FIELDS = (
    Field("id", _slug),
    Field("kind", _choice(RESOURCE_KINDS)),
    Field("name", _text(300)),
    Field("description", _text(1000)),
    Field("national", _bool, required=False, default=False),
    Field("state", _state, required=False, nullable=True),
    Field("address", _text(300), required=False, nullable=True),
    Field("city", _text(120), required=False, nullable=True),
    Field("zip", lambda v: _zip(v), required=False, nullable=True),
    Field("latitude", _float(-90, 90), required=False, nullable=True),
    Field("longitude", _float(-180, 180), required=False, nullable=True),
    Field("phone", _text(60), required=False, nullable=True),
    Field("url", _url, required=False, nullable=True),
    Field("hours", _text(300), required=False, nullable=True),
    Field("languages", _text_list, required=False, default=[]),
    Field("cost", _text(200), required=False, nullable=True),
    Field("last_verified", _date),
    Field("citations", lambda value: value),
)

GUIDE_FIELDS = (
    Field("id", _slug),
    Field("kind", _choice(GUIDE_KINDS)),
    Field("topic", _choice(GUIDE_TOPICS)),
    Field("title", _text(200)),
    Field("summary", _text(1000)),
    Field("steps", _text_list, required=False, default=[]),
    Field("last_verified", _date),
    Field("translations", lambda value: value, required=False, default={}),  # checked against TRANSLATION_FIELDS
    Field("citations", lambda value: value),
)

# The text of a record in another language (`translations: {es: {...}}`). Structured fields
# are never translated: a translation cannot change a fact. `last_verified` is the day the
# translation was checked against the English, so staff see a translation older than its English.
TRANSLATION_FIELDS = {
    "profiles": (
        Field("summary", _text(2000)),
        Field("sms_summary", _text(SMS_SUMMARY_MAX)),
        Field("last_verified", _date),
    ),
    "guides": (
        Field("title", _text(200)),
        Field("summary", _text(1000)),
        Field("steps", _text_list, required=False, default=[]),
        Field("last_verified", _date),
    ),
}

SECTION_FIELDS = {"profiles": PROFILE_FIELDS, "resources": RESOURCE_FIELDS, "guides": GUIDE_FIELDS}


def _zip(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or not re.fullmatch(r"\d{5}", text.zfill(5) if isinstance(value, int) else text):
        raise FieldError(f"expected a five-digit ZIP code, got {value!r}")
    return text.zfill(5)


def record_key(section: str, record: dict) -> str:
    """The identity of a record across files, imports and the change log."""
    if section == "profiles":
        return f"{record['state']}/{record['topic']}"
    return record["id"]
