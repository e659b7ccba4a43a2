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

TOPICS = (
    "good_samaritan",
    "naloxone",
    "test_strips",
    "treatment",
    "syringe_services",
    "overdose_prevention_centers",
    "drug_checking",
)
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
    "syringe_services": ("syringe_services",),
    "overdose_prevention_centers": (),
    "drug_checking": ("test_strip_distribution",),
}
GUIDE_KINDS = ("howto", "fact")
GUIDE_TOPICS = TOPICS + ("overdose", "general")
PROTECTION_LEVELS = ("arrest", "charge", "prosecution", "affirmative_defense", "mitigating_factor", "none")
TEST_STRIP_STATUSES = ("legal", "not_addressed", "paraphernalia")
SYRINGE_PARAPHERNALIA = ("excluded", "excluded_for_participants", "paraphernalia")
OPC_STATUSES = ("operating", "authorized_not_open", "not_authorized", "prohibited")
SMS_SUMMARY_MAX = 300
# What a cited page is. A legal fact rests on a primary kind (PRIMARY_SOURCE_KINDS: the statute
# on an official site, or an official agency page); a statute's text copied on another site
# (statute_mirror) or a court opinion may back it too; the rest are leads, never the only source.
SOURCE_KINDS = ("statute", "statute_mirror", "agency", "court", "survey", "advocacy", "news", "blog", "other")
PRIMARY_SOURCE_KINDS = ("statute", "agency")
BACKING_SOURCE_KINDS = ("statute", "statute_mirror", "agency", "court")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class FieldError(ValueError):
    """A value that does not fit its field; the message says what is wrong."""


@dataclass(frozen=True)
class Field:
    """One field of a record: how it is checked, and how staff see and edit it.

    This is the one declaration of a field: validation, the admin form (label, help,
    widget, choices), the database column's length and docs/data-format.md follow it.
    """

    name: str
    check: Callable[[Any], Any]
    required: bool = True
    nullable: bool = False
    default: Any = None
    label: str = ""
    help: str = ""
    widget: str = "text"  # text, textarea, number, date, yesno, yesno_unknown, choice, lines, commas
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    # A fact about operations, not law (whether a site is open): news may back it; a legal field needs
    # the statute, its text, an official page or a court (tests/test_data_quality.py).
    legal: bool = True


def text_field(name: str, max_length: int | None = None, widget: str | None = None, **options: Any) -> Field:
    """Text up to `max_length` characters; long or unbounded text gets a text area."""
    long = max_length is None or max_length > 300
    return Field(
        name, _text(max_length), max_length=max_length, widget=widget or ("textarea" if long else "text"), **options
    )


def yes_no_field(name: str, **options: Any) -> Field:
    """true/false; with nullable=True also "unknown" (null)."""
    return Field(name, _bool, widget="yesno_unknown" if options.get("nullable") else "yesno", **options)


def choice_field(name: str, choices: tuple[str, ...], **options: Any) -> Field:
    return Field(name, _choice(choices), widget="choice", choices=choices, max_length=max(map(len, choices)), **options)


# An HTML or XML tag: the bot's texts are plain, and channels show them as they are.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


def _text(max_len: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"expected text, got {_describe(value)}")
        value = value.strip()
        if not value:
            raise FieldError("must not be empty")
        if _MARKUP.search(value):
            raise FieldError("must be plain text: remove the HTML markup (<...>)")
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
        yes_no_field(
            "has_law",
            nullable=True,
            label="Has a 911 Good Samaritan overdose law",
            help="The state protects people who call for help during an overdose.",
        ),
        Field("year_enacted", _year, nullable=True, widget="number", label="Year the first such law was enacted"),
        yes_no_field("protects_possession", nullable=True, label="Protects from drug possession charges"),
        yes_no_field("protects_paraphernalia", nullable=True, label="Protects from paraphernalia (drug gear) charges"),
        yes_no_field(
            "protects_underage_drinking",
            nullable=True,
            label="Protects from underage drinking charges (alcohol overdose)",
        ),
        choice_field(
            "protection_level",
            PROTECTION_LEVELS,
            nullable=True,
            label="Strongest stage at which the protection applies",
            help="Arrest is the strongest: the person is not arrested at all.",
        ),
        yes_no_field(
            "covers_probation_parole",
            nullable=True,
            label="Protects from probation or parole violations for the same event",
        ),
        yes_no_field(
            "covers_outstanding_warrants", nullable=True, label="Protects from arrest on outstanding warrants"
        ),
        text_field(
            "limits",
            nullable=True,
            label="Conditions and limits",
            help="For example: must stay on scene, must cooperate, amount limits, only once.",
        ),
        yes_no_field(
            "drug_induced_homicide_law",
            nullable=True,
            label="Has a drug-induced homicide law",
            help="The state can charge a death caused by shared or sold drugs as homicide or similar.",
        ),
    ),
    "naloxone": (
        yes_no_field(
            "standing_order",
            nullable=True,
            label="Statewide standing order",
            help="Pharmacies may give naloxone without a prescription written for the person.",
        ),
        yes_no_field(
            "pharmacist_prescribing",
            nullable=True,
            label="Pharmacists may prescribe or dispense on their own authority",
        ),
        yes_no_field(
            "third_party_prescribing",
            nullable=True,
            label="Third-party prescribing",
            help="A prescriber may prescribe to someone who may help another person (family, friend).",
        ),
        yes_no_field(
            "layperson_immunity",
            nullable=True,
            label="Protection for people who give naloxone",
            help="A person who gives naloxone is protected from civil or criminal liability.",
        ),
        text_field(
            "free_program",
            nullable=True,
            label="Free naloxone programs",
            help="The state's free naloxone or mail-based programs.",
        ),
    ),
    "test_strips": (
        choice_field(
            "legal_status",
            TEST_STRIP_STATUSES,
            nullable=True,
            label="Legal status of fentanyl test strips",
            help="Paraphernalia means state law treats them as drug gear.",
        ),
        Field(
            "year_legalized",
            _year,
            nullable=True,
            widget="number",
            label="Year legalized",
            help="Leave empty if not legalized or unknown.",
        ),
        text_field("statute", nullable=True, label="Statute or session law"),
        text_field("where_to_get", nullable=True, label="Where to get them"),
    ),
    "treatment": (
        Field(
            "methadone_programs",
            _int(0, 10_000),
            nullable=True,
            widget="number",
            label="Number of opioid treatment programs (methadone clinics)",
        ),
        Field(
            "methadone_programs_as_of",
            _date,
            nullable=True,
            widget="date",
            label="Date that count was read from the directory",
            help="Cite the directory below.",
        ),
        yes_no_field("medicaid_covers_methadone", nullable=True, label="Medicaid covers methadone"),
        yes_no_field("medicaid_covers_buprenorphine", nullable=True, label="Medicaid covers buprenorphine"),
        text_field(
            "telehealth_buprenorphine",
            nullable=True,
            label="Buprenorphine by telehealth",
            help="The federal rule plus any state rule.",
        ),
        text_field(
            "state_helpline", 300, nullable=True, label="State treatment helpline", help="Name and phone number."
        ),
    ),
    "syringe_services": (
        yes_no_field(
            "ssp_authorized",
            nullable=True,
            label="State law authorizes syringe service programs",
            help="A statute or regulation allows programs that give out sterile syringes.",
        ),
        text_field("ssp_statute", nullable=True, label="The law that authorizes them"),
        yes_no_field(
            "pharmacy_sale_without_prescription",
            nullable=True,
            label="Pharmacies may sell syringes without a prescription",
        ),
        choice_field(
            "syringe_paraphernalia_status",
            SYRINGE_PARAPHERNALIA,
            nullable=True,
            label="Syringes under the drug gear (paraphernalia) law",
            help="excluded: for everyone; excluded for participants: only people in a program; paraphernalia: no exemption.",
        ),
        text_field("where_to_find", nullable=True, label="Where to find programs"),
    ),
    "overdose_prevention_centers": (
        choice_field(
            "status",
            OPC_STATUSES,
            nullable=True,
            label="Overdose prevention centers in the state",
            help="operating: at least one open; authorized not open: a law allows them, none open yet.",
            legal=False,
        ),
        yes_no_field("authorized_by_state_law", nullable=True, label="State law authorizes them"),
        text_field("statute", nullable=True, label="The law that allows (or bans) them"),
        text_field("sites", nullable=True, label="Sites that operate", help="Name, city, since when."),
    ),
    "drug_checking": (
        choice_field(
            "xylazine_strips_status",
            TEST_STRIP_STATUSES,
            nullable=True,
            label="Legal status of xylazine test strips",
            help="Often different from fentanyl strips: check whether the exemption names only fentanyl.",
        ),
        text_field("xylazine_statute", nullable=True, label="The law on xylazine strips"),
        text_field(
            "checking_services",
            nullable=True,
            label="Drug checking services in the state",
            help="For example a spectrometer service: who runs it, where.",
        ),
    ),
}

_LAST_VERIFIED = Field(
    "last_verified",
    _date,
    widget="date",
    label="Last verified",
    help="The day someone last checked this against the sources.",
)

CITATION_FIELDS = (
    Field("url", _url, label="Web address (URL) of the page you read"),
    text_field("title", 500, widget="text", label="Title of that page"),
    text_field("publisher", 300, label="Publisher"),
    Field("accessed", _date, widget="date", label="Date you read it"),
    choice_field(
        "kind",
        SOURCE_KINDS,
        required=False,
        nullable=True,
        label="Kind of source",
        help="statute (the law on an official site), statute_mirror (the law's text elsewhere), agency (official page), "
        "court, survey, advocacy, news, blog, other. Legal facts need statute, statute_mirror, agency or court.",
    ),
    Field(
        "supports",
        _text_list,
        required=False,
        default=[],
        widget="commas",
        label="Fields it backs",
        help="The structured fields this page settles, separated by commas, like: has_law, protects_possession",
    ),
)

PROFILE_FIELDS = (
    Field("state", _state, widget="choice", max_length=2, label="State"),
    choice_field("topic", TOPICS, label="Topic"),
    Field("fields", lambda value: value),  # checked against TOPIC_FIELDS separately
    text_field(
        "summary",
        2000,
        label="Summary (web chat)",
        help="Plain words, short sentences, 8th-grade reading level or below. Say so when something is unknown.",
    ),
    text_field(
        "sms_summary",
        SMS_SUMMARY_MAX,
        widget="textarea",
        label="Summary for text messages",
        help=f"At most {SMS_SUMMARY_MAX} characters, 8th-grade reading level or below.",
    ),
    _LAST_VERIFIED,
    text_field(
        "notes",
        required=False,
        nullable=True,
        label="Notes for staff (optional)",
        help="Disagreements between sources and other caveats. People using the bot do not see this.",
    ),
    Field("translations", lambda value: value, required=False, default={}),  # checked against TRANSLATION_FIELDS
    Field("citations", lambda value: value),
)

_ID = Field(
    "id",
    _slug,
    max_length=120,
    label="ID",
    help="Lower-case letters, digits and dashes, like oh-project-dawn. It cannot be changed later.",
)

RESOURCE_FIELDS = (
    _ID,
    choice_field("kind", RESOURCE_KINDS, label="Kind"),
    text_field("name", 300, label="Name"),
    text_field("description", 1000, label="Description", help="One or two plain sentences."),
    yes_no_field(
        "national",
        required=False,
        default=False,
        label="Nationwide service",
        help="Yes for services anyone in the country can use; then leave the state empty.",
    ),
    Field("state", _state, required=False, nullable=True, widget="choice", max_length=2, label="State"),
    text_field(
        "address",
        300,
        required=False,
        nullable=True,
        label="Street address",
        help="Only a real address from a cited source.",
    ),
    text_field("city", 120, required=False, nullable=True, label="City"),
    Field("zip", lambda v: _zip(v), required=False, nullable=True, max_length=5, label="ZIP code", help="Five digits."),
    Field(
        "latitude",
        _float(-90, 90),
        required=False,
        nullable=True,
        widget="number",
        label="Latitude",
        help="Give both latitude and longitude, or neither.",
    ),
    Field("longitude", _float(-180, 180), required=False, nullable=True, widget="number", label="Longitude"),
    text_field("phone", 60, required=False, nullable=True, label="Phone"),
    Field(
        "url",
        _url,
        required=False,
        nullable=True,
        label="Website",
        help="Starts with https:// or http://. A resource needs a website, a phone or an address.",
    ),
    text_field("hours", 300, required=False, nullable=True, label="Hours"),
    Field(
        "languages",
        _text_list,
        required=False,
        default=[],
        widget="commas",
        label="Languages",
        help="Language codes separated by commas, like: en, es",
    ),
    text_field("cost", 200, required=False, nullable=True, label="Cost", help="For example: free."),
    _LAST_VERIFIED,
    Field("citations", lambda value: value),
)

GUIDE_FIELDS = (
    _ID,
    choice_field("kind", GUIDE_KINDS, label="Kind", help="A how-to has steps; a fact has none."),
    choice_field("topic", GUIDE_TOPICS, label="Topic"),
    text_field("title", 200, label="Title"),
    text_field("summary", 1000, label="Summary", help="One or two plain sentences."),
    Field(
        "steps",
        _text_list,
        required=False,
        default=[],
        widget="lines",
        label="Steps",
        help="One short step per line, in order. Leave empty for a fact.",
    ),
    _LAST_VERIFIED,
    Field("translations", lambda value: value, required=False, default={}),  # checked against TRANSLATION_FIELDS
    Field("citations", lambda value: value),
)


def field(specs: tuple[Field, ...], name: str) -> Field:
    return next(spec for spec in specs if spec.name == name)


# The text of a record in another language (`translations: {es: {...}}`). Structured fields
# are never translated: a translation cannot change a fact. `last_verified` is the day the
# translation was checked against the English, so staff see a translation older than its English.
TRANSLATION_FIELDS = {
    "profiles": tuple(field(PROFILE_FIELDS, name) for name in ("summary", "sms_summary", "last_verified")),
    "guides": tuple(field(GUIDE_FIELDS, name) for name in ("title", "summary", "steps", "last_verified")),
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
