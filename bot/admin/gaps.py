"""Content gaps: per state, how many facts of a topic are unknown or how long ago it was checked,
and the citations staff count as weak, with the answers they back.

So staff see where the bot has to answer "we don't know", and which answers rest on pages that
are only leads (news, blogs) or were read long ago.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.admin.freshness import parse_days
from bot.dataset.exporter import collect
from bot.dataset.reports import CoverageCell, coverage, legal_facts
from bot.dataset.schema import SOURCE_KINDS, TOPIC_FIELDS, TOPICS, record_key
from bot.jurisdictions import JURISDICTIONS

# The US state tile grid: each state a square near where it is on a map ("..": no state).
TILE_ROWS = (
    "AK .. .. .. .. .. .. .. .. .. ME",
    ".. .. .. .. .. .. .. .. .. VT NH",
    "WA ID MT ND MN IL WI MI NY RI MA",
    "OR NV WY SD IA IN OH PA NJ CT ..",
    "CA UT CO NE MO KY WV VA MD DE ..",
    ".. AZ NM KS AR TN NC SC DC .. ..",
    ".. .. .. OK LA MS AL GA .. .. ..",
    "HI .. .. TX .. .. .. .. FL .. ..",
)
TILE_GRID: dict[str, tuple[int, int]] = {
    code: (column, row)
    for row, line in enumerate(TILE_ROWS)
    for column, code in enumerate(line.split())
    if code != ".."
}
GRID_COLUMNS = max(column for column, _ in TILE_GRID.values()) + 1
GRID_ROWS = len(TILE_ROWS)

MEASURES = {"unknown": "Facts we don't know", "age": "Days since last verified"}
DEFAULT_MEASURE = "unknown"
NO_KIND = "none"  # the box for citations that do not say what kind of page they are
KIND_LABELS = {kind: kind.replace("_", " ") for kind in SOURCE_KINDS} | {NO_KIND: "no kind given"}
FLAGGED_BY_DEFAULT = frozenset({"advocacy", "news", "blog", "other", NO_KIND})


@dataclass(frozen=True)
class Bucket:
    label: str
    fill: str  # the tile's colour
    ink: str  # the colour of text on it (contrast 4.5:1 or more)


# Light to dark: from nothing to fix to the most to fix. Each step is told apart by lightness too.
_RAMP = (("#fff7bc", "#000000"), ("#fec44f", "#000000"), ("#ec7014", "#000000"), ("#8c2d04", "#ffffff"))
NO_PROFILE = Bucket("Profile missing", "#525252", "#ffffff")
# A scale is (the largest value in the step, its colour) from the lowest step up.
Scale = tuple[tuple[float, Bucket], ...]
UNKNOWN_SCALE: Scale = tuple(
    (most, Bucket(label, *colours))
    for most, label, colours in zip(
        (0, 0.25, 0.5, 1),
        ("None unknown", "A quarter or fewer unknown", "Up to half unknown", "More than half unknown"),
        _RAMP,
    )
)


def age_scale(stale_days: int) -> Scale:
    """Days since verified: up to half of STALE_DAYS, up to STALE_DAYS (after that the dashboard lists
    the record as not verified), up to twice that, and older."""
    half, double = stale_days // 2, stale_days * 2
    labels = (
        f"Up to {half} days",
        f"{half + 1} to {stale_days} days",
        f"{stale_days + 1} to {double} days",
        f"More than {double} days",
    )
    return tuple(
        (most, Bucket(label, *colours))
        for most, label, colours in zip((half, stale_days, double, math.inf), labels, _RAMP)
    )


def _bucket(scale: Scale, value: float) -> Bucket:
    return next(bucket for most, bucket in scale if value <= most)


@dataclass(frozen=True)
class Choices:
    """What the page shows; `errors` maps a form input to what was wrong with it (its default was used)."""

    topic: str | None
    measure: str
    kinds: frozenset[str]
    days: int
    days_text: str
    errors: dict[str, str]


def read_choices(args: Mapping[str, Sequence[str]], stale_days: int) -> Choices:
    """The page's form as sent (each name with its list of values, as in a query string).

    With no form sent, flag FLAGGED_BY_DEFAULT; once it is sent, only the boxes ticked (maybe none).
    """
    errors = {}
    topic = _first(args, "topic")
    if topic and topic not in TOPICS:
        errors["topic"] = "Choose a topic from the list."
        topic = ""
    measure = _first(args, "measure") or DEFAULT_MEASURE
    if measure not in MEASURES:
        errors["measure"] = "Choose what the colours show from the list."
        measure = DEFAULT_MEASURE
    kinds = FLAGGED_BY_DEFAULT
    if "days" in args:
        kinds = frozenset(args.get("kind", ()))
        if not_kinds := kinds - set(KIND_LABELS):
            errors["kind"] = f"Not a kind of source: {', '.join(sorted(not_kinds))}. Tick the boxes instead."
            kinds -= not_kinds
    days_text = _first(args, "days")
    days, days_error = parse_days(days_text, stale_days)
    if days_error:
        errors["days"] = days_error
    return Choices(topic or None, measure, kinds, days, days_text or str(days), errors)


def _first(args: Mapping[str, Sequence[str]], name: str) -> str:
    values = args.get(name) or ("",)
    return values[0].strip()


@dataclass(frozen=True)
class StateGap:
    state: str
    name: str
    column: int
    row: int
    bucket: Bucket
    figure: str  # the short number on the tile
    said: str  # the same in words
    missing: tuple[str, ...]  # the topics shown that have no profile

    @property
    def description(self) -> str:
        """The tile's title: what a screen reader says, what a mouse pointer shows."""
        return f"{self.name}: {self.said}"


def state_gaps(
    profiles: list[dict], topic: str | None, measure: str, stale_days: int, today: dt.date
) -> list[StateGap]:
    """One entry per state and DC, for one topic or (None) all of them; no profile counts as all unknown."""
    topics = (topic,) if topic else TOPICS
    what = topic.replace("_", " ") + " " if topic else ""
    scale = age_scale(stale_days)
    gaps = []
    for state, row in coverage(profiles).items():
        missing = tuple(t for t in topics if t not in row)
        if measure == "unknown":
            bucket, figure, said = _unknown(row, topics, what)
        else:
            bucket, figure, said = _age(row, topics, what, scale, today)
        if missing:
            lacking = (
                f"no {what}profile" if topic else "no profile for " + ", ".join(t.replace("_", " ") for t in missing)
            )
            said = f"{lacking}; {said}" if said else lacking
        gaps.append(StateGap(state, JURISDICTIONS[state], *TILE_GRID[state], bucket, figure, said, missing))
    return gaps


def _unknown(row: dict[str, CoverageCell], topics: Sequence[str], what: str) -> tuple[Bucket, str, str]:
    total = sum(len(TOPIC_FIELDS[topic]) for topic in topics)
    unknown = sum(row[topic].unknown if topic in row else len(TOPIC_FIELDS[topic]) for topic in topics)
    return _bucket(UNKNOWN_SCALE, unknown / total), f"{unknown}/{total}", f"{unknown} of {total} {what}facts unknown"


def _age(
    row: dict[str, CoverageCell], topics: Sequence[str], what: str, scale: Scale, today: dt.date
) -> tuple[Bucket, str, str]:
    """The oldest of the profiles' last_verified; a missing profile is the worst case."""
    verified = [row[topic].last_verified for topic in topics if topic in row]
    if not verified:
        return NO_PROFILE, "none", ""
    oldest = min(verified)
    days = (today - oldest).days
    whose = f"{what}profile" if len(topics) == 1 else "oldest profile"
    said = f"{whose} last verified {days} day{'' if days == 1 else 's'} ago ({oldest.isoformat()})"
    bucket = NO_PROFILE if len(verified) < len(topics) else _bucket(scale, days)
    return bucket, str(days), said


@dataclass(frozen=True)
class WeakCitation:
    title: str
    url: str
    publisher: str
    kind: str | None
    accessed: dt.date
    reasons: tuple[str, ...]  # why it is flagged, in words
    supports: tuple[str, ...]  # the labels of the facts it backs


@dataclass(frozen=True)
class WeakRecord:
    section: str
    key: str
    citations: tuple[WeakCitation, ...]
    only_weak: tuple[str, ...]  # the labels of legal facts that only flagged citations back


def weak_citations(
    exported: dict[str, list[dict]], kinds: frozenset[str], days: int, today: dt.date
) -> list[WeakRecord]:
    """Records citing a page of a flagged kind or read more than `days` days ago; those with a legal
    fact resting only on such pages first."""
    cutoff = today - dt.timedelta(days=days)
    found = []
    for section, records in exported.items():
        for record in records:
            labels = {spec.name: spec.label for spec in TOPIC_FIELDS.get(record.get("topic") or "", ())}
            weak = {}
            for number, citation in enumerate(record["citations"]):
                reasons = _reasons(citation, kinds, cutoff, today)
                if reasons:
                    weak[number] = WeakCitation(
                        citation["title"],
                        citation["url"],
                        citation["publisher"],
                        citation.get("kind"),
                        dt.date.fromisoformat(citation["accessed"]),
                        reasons,
                        tuple(labels.get(name, name) for name in citation.get("supports") or ()),
                    )
            if weak:
                only = _resting_on(record, set(weak)) if section == "profiles" else ()
                found.append(
                    WeakRecord(
                        section, record_key(section, record), tuple(weak.values()), tuple(labels[n] for n in only)
                    )
                )
    return sorted(found, key=lambda item: (not item.only_weak, item.section, item.key))


def _reasons(citation: dict, kinds: frozenset[str], cutoff: dt.date, today: dt.date) -> tuple[str, ...]:
    reasons = []
    kind = citation.get("kind") or NO_KIND
    if kind in kinds:
        reasons.append(KIND_LABELS[kind])
    accessed = dt.date.fromisoformat(citation["accessed"])
    if accessed < cutoff:
        reasons.append(f"read {(today - accessed).days} days ago")
    return tuple(reasons)


def _resting_on(profile: dict, weak: set[int]) -> tuple[str, ...]:
    """The profile's legal facts whose every backing citation is weak."""
    resting = []
    for name in legal_facts(profile):
        backing = {n for n, citation in enumerate(profile["citations"]) if name in (citation.get("supports") or ())}
        if backing and backing <= weak:
            resting.append(name)
    return tuple(resting)


@dataclass(frozen=True)
class Gaps:
    choices: Choices
    states: list[StateGap]
    legend: list[tuple[Bucket, int]]  # each colour and how many states have it
    weak: list[WeakRecord]


def gaps(session: Session, choices: Choices, stale_days: int, today: dt.date | None = None) -> Gaps:
    today = today or dt.date.today()
    exported = collect(session, topic=choices.topic)
    states = state_gaps(exported["profiles"], choices.topic, choices.measure, stale_days, today)
    shown = (
        [bucket for _, bucket in UNKNOWN_SCALE]
        if choices.measure == "unknown"
        else [bucket for _, bucket in age_scale(stale_days)] + [NO_PROFILE]
    )
    legend = [(bucket, sum(1 for gap in states if gap.bucket == bucket)) for bucket in shown]
    return Gaps(choices, states, legend, weak_citations(exported, choices.kinds, choices.days, today))
