"""Questions about one part of a topic ("does it cover parole?"), and their Yes / No / Partly /
We don't know openers, from data/facets.yaml.

Deterministic and offline, like the place and emergency checks: the patterns find the facet
in the message, and the opener comes from the structured field of the state's profile, never
from summary text. A new facet or language is data (data/facets.yaml), not code.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

import yaml

from bot.config import PROJECT_ROOT
from bot.dataset.schema import TOPIC_FIELDS
from bot.emergency import normalize
from bot.location import find_locations
from bot.texts import DEFAULT_LANGUAGE

FACETS_FILE = PROJECT_ROOT / "data" / "facets.yaml"
# How a field's value is looked up among a facet's answers.
TEXT_VALUE = "text"
NULL_VALUE = "null"
GUIDE_VALUE = "guide"


@dataclass(frozen=True)
class Facet:
    key: str
    topic: str
    field: str | None  # the profile field that answers it
    guide: str | None  # or a national guide (a fact true in every state)
    labels: dict[str, str]
    patterns: tuple[re.Pattern, ...]
    answers: dict[str, dict[str, str]]  # language -> value key -> opening sentence
    positive: tuple[str, ...]  # the value keys that count as "yes" in a list of states
    default: bool = False  # answers any question on its topic that no other facet answers

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels[DEFAULT_LANGUAGE]

    def opener(
        self,
        value: object,
        state_name: str,
        language: str,
        fields: dict | None = None,
        said_in_language: str | None = None,
    ) -> str:
        """The answer's first sentence for a field value (or the national guide).

        A template may quote the value ("{value}") or another field of the profile ("{sites}").
        Those are English text, so in another language `said_in_language`, the profile's own
        summary in that language, stands in for them: no English sentence in a Spanish answer.
        """
        answers = self.answers.get(language) or self.answers[DEFAULT_LANGUAGE]
        key = value_key(value) if self.field else GUIDE_VALUE
        template = answers[key]
        quoted = placeholders(template) - {"state"}
        if said_in_language is not None:
            return template.format_map({"state": state_name, **dict.fromkeys(quoted, said_in_language)})
        known = {**(fields or {}), "value": value}
        said = {name: first_sentence(known[name]) if isinstance(known.get(name), str) else "" for name in quoted}
        return template.format_map({"state": state_name, **said})

    def matches(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns)


def placeholders(template: str) -> set[str]:
    """The names a template fills in: "{state}", "{value}", or a field of the topic ("{sites}")."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def first_sentence(text: str) -> str:
    """A text field's first sentence: the answer stays short ("More" gives the rest)."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def value_key(value: object) -> str:
    """A field value as facets.yaml names it: true, false, a choice, "text" or "null"."""
    if value is None:
        return NULL_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value not in _CHOICE_VALUES:
        return TEXT_VALUE
    return str(value)


def _keyed(answers: dict) -> dict[str, str]:
    """YAML reads the keys true/false/null as values; facets.yaml means the words."""
    return {
        ("null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)): text
        for key, text in answers.items()
    }


@cache
def _document() -> dict:
    return yaml.safe_load(FACETS_FILE.read_text(encoding="utf-8"))


@cache
def facets() -> tuple[Facet, ...]:
    """Every facet, in the order they are tried."""
    found = []
    for key, spec in _document()["facets"].items():
        patterns = tuple(re.compile(p, re.IGNORECASE) for texts in spec["patterns"].values() for p in texts)
        found.append(
            Facet(
                key,
                spec["topic"],
                spec.get("field"),
                spec.get("guide"),
                dict(spec["label"]),
                patterns,
                {language: _keyed(answers) for language, answers in spec["answers"].items()},
                tuple(spec.get("positive", ["true", TEXT_VALUE])),
                bool(spec.get("default", False)),
            )
        )
    return tuple(found)


def facet(key: str) -> Facet | None:
    return next((candidate for candidate in facets() if candidate.key == key), None)


def detect(message: str, topic: str | None = None) -> Facet | None:
    """The facet a message asks about: the first that matches on the topic at hand, else the first that matches."""
    text = normalize(message).lower()
    matching = [candidate for candidate in facets() if candidate.matches(text)]
    if topic is not None:
        on_topic = [candidate for candidate in matching if candidate.topic == topic]
        if on_topic:
            return on_topic[0]
    return matching[0] if matching else None


def default_facet(topic: str | None) -> Facet | None:
    """The facet that answers any question on `topic` no other facet answers, if the topic has one."""
    return next((candidate for candidate in facets() if candidate.topic == topic and candidate.default), None)


@cache
def _unanswerable_patterns() -> tuple[re.Pattern, ...]:
    spec = _document()["unanswerable"]["patterns"]
    return tuple(re.compile(p, re.IGNORECASE) for texts in spec.values() for p in texts)


def asks_what_no_field_answers(message: str) -> bool:
    """Immigration, ID, age limits, hours, exact prices: things the database does not hold."""
    text = normalize(message).lower()
    return any(pattern.search(text) for pattern in _unanswerable_patterns())


def unanswerable_text(language: str) -> str:
    answers = _document()["unanswerable"]["answers"]
    return answers.get(language) or answers[DEFAULT_LANGUAGE]


_CHOICE_VALUES = frozenset(choice for specs in TOPIC_FIELDS.values() for spec in specs for choice in spec.choices)


@cache
def _topic_words() -> dict[str, tuple[re.Pattern, ...]]:
    spec = _document()["topic_words"]
    return {
        topic: tuple(re.compile(p, re.IGNORECASE) for texts in words.values() for p in texts)
        for topic, words in spec.items()
    }


def topics_named(message: str) -> list[str]:
    """The topics the message names by their words, in the order of data/facets.yaml."""
    text = normalize(message).lower()
    return [topic for topic, patterns in _topic_words().items() if any(p.search(text) for p in patterns)]


@cache
def _across_states(kind: str) -> tuple[re.Pattern, ...]:
    spec = _document()["across_states"][kind]
    return tuple(re.compile(p, re.IGNORECASE) for texts in spec.values() for p in texts)


def asks_across_states(message: str) -> bool:
    """ "Which states ...", "compare ohio and michigan", "which is better for someone on parole"."""
    text = normalize(message).lower()
    if any(pattern.search(text) for pattern in _across_states("states")):
        return True
    return len(find_locations(message)) >= 2 and any(p.search(text) for p in _across_states("side_by_side"))
