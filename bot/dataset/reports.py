"""Staff reports over the published records: stale entries, translations behind the English,
and coverage by state and topic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.dataset.schema import (
    BACKING_SOURCE_KINDS,
    PRIMARY_SOURCE_KINDS,
    TOPIC_FIELDS,
    TOPICS,
    TRANSLATION_FIELDS,
    record_key,
)
from bot.jurisdictions import JURISDICTIONS


@dataclass(frozen=True)
class StaleEntry:
    section: str
    key: str
    last_verified: dt.date
    days: int


def stale_entries(exported: dict[str, list[dict]], days: int, today: dt.date | None = None) -> list[StaleEntry]:
    """Records last verified more than `days` days ago, oldest first."""
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=days)
    entries = []
    for section, records in exported.items():
        for record in records:
            verified = dt.date.fromisoformat(record["last_verified"])
            if verified < cutoff:
                entries.append(StaleEntry(section, record_key(section, record), verified, (today - verified).days))
    return sorted(entries, key=lambda entry: (entry.last_verified, entry.section, entry.key))


@dataclass(frozen=True)
class TranslationBehind:
    section: str
    key: str
    language: str
    english_verified: dt.date
    translation_verified: dt.date | None  # None: there is no translation


def translations_behind(exported: dict[str, list[dict]], languages: tuple[str, ...]) -> list[TranslationBehind]:
    """Profiles and guides whose text in a language is missing, or older than the English was
    last verified (the English may have changed since it was translated)."""
    behind = []
    for section in TRANSLATION_FIELDS:
        for record in exported.get(section, []):
            english = dt.date.fromisoformat(str(record["last_verified"]))
            for language in languages:
                translated = (record.get("translations") or {}).get(language)
                date = dt.date.fromisoformat(str(translated["last_verified"])) if translated else None
                if date is None or date < english:
                    behind.append(TranslationBehind(section, record_key(section, record), language, english, date))
    return sorted(behind, key=lambda item: (item.translation_verified is not None, item.section, item.key))


@dataclass(frozen=True)
class CoverageCell:
    unknown: int
    total: int
    last_verified: dt.date
    citations: int


def coverage(profiles: list[dict]) -> dict[str, dict[str, CoverageCell]]:
    """state -> topic -> cell, for every jurisdiction (a missing profile has no cell)."""
    table: dict[str, dict[str, CoverageCell]] = {code: {} for code in sorted(JURISDICTIONS)}
    for record in profiles:
        fields = record["fields"]
        table[record["state"]][record["topic"]] = CoverageCell(
            unknown=sum(1 for spec in TOPIC_FIELDS[record["topic"]] if fields.get(spec.name) is None),
            total=len(TOPIC_FIELDS[record["topic"]]),
            last_verified=dt.date.fromisoformat(record["last_verified"]),
            citations=len(record["citations"]),
        )
    return table


def known_share(table: dict[str, dict[str, CoverageCell]]) -> dict[str, float]:
    """Per topic, the share of structured fields that are known (not null) over all 51 jurisdictions."""
    shares = {}
    for topic in TOPICS:
        total = len(TOPIC_FIELDS[topic]) * len(table)
        known = sum(cell.total - cell.unknown for row in table.values() if (cell := row.get(topic)))
        shares[topic] = known / total
    return shares


def render_coverage(table: dict[str, dict[str, CoverageCell]]) -> str:
    """Plain-text table: one row per jurisdiction; each topic shows unknown fields/total, or MISSING."""
    width = max(len(topic) for topic in TOPICS) + 2
    lines = ["state  " + "".join(topic.ljust(width) for topic in TOPICS) + "oldest verified"]
    complete = 0
    for state, row in table.items():
        cells = []
        for topic in TOPICS:
            cell = row.get(topic)
            if cell is None:
                cells.append("MISSING".ljust(width))
            else:
                text = f"{cell.unknown}/{cell.total} unknown" + ("" if cell.citations else " NO SOURCE")
                cells.append(text.ljust(width))
                complete += 1
        oldest = min((cell.last_verified for cell in row.values()), default=None)
        lines.append(f"{state}     " + "".join(cells) + (oldest.isoformat() if oldest else "-"))
    shares = known_share(table)
    lines.append("")
    lines.append(f"{complete} of {len(table) * len(TOPICS)} profiles present.")
    lines.append("Known fields: " + ", ".join(f"{topic} {share:.0%}" for topic, share in shares.items()))
    return "\n".join(lines)


def null_counts(profiles: list[dict]) -> dict[str, dict[str, int]]:
    """topic -> field -> how many jurisdictions have it unknown (null)."""
    counts = {topic: {spec.name: 0 for spec in TOPIC_FIELDS[topic]} for topic in TOPICS}
    for record in profiles:
        for name, value in record["fields"].items():
            if value is None and name in counts.get(record["topic"], {}):
                counts[record["topic"]][name] += 1
    return counts


@dataclass(frozen=True)
class SourceShare:
    decided: int  # true/false and choice fields that are known
    primary: int  # of those, backed by the statute on an official site or an official agency page
    backed: int  # backed by any of statute, statute copy, agency page, court opinion


def legal_facts(profile: dict) -> list[str]:
    """The profile's known (not null) true/false and choice fields that state a legal fact."""
    return [
        spec.name
        for spec in TOPIC_FIELDS[profile["topic"]]
        if spec.legal
        and spec.widget in ("yesno", "yesno_unknown", "choice")
        and profile["fields"].get(spec.name) is not None
    ]


def source_share(profiles: list[dict]) -> SourceShare:
    """How the known true/false and choice fields are sourced (citations' `kind` and `supports`)."""
    decided = primary = backed = 0
    for record in profiles:
        for name in legal_facts(record):
            kinds = {c.get("kind") for c in record["citations"] if name in (c.get("supports") or [])}
            decided += 1
            primary += bool(kinds & set(PRIMARY_SOURCE_KINDS))
            backed += bool(kinds & set(BACKING_SOURCE_KINDS))
    return SourceShare(decided, primary, backed)


def render_field_report(profiles: list[dict]) -> str:
    """Unknown counts per field, and the share of known legal fields on primary sources."""
    lines = ["Unknown (null) per field, of 51 jurisdictions:"]
    for topic, fields in null_counts(profiles).items():
        lines.append(f"  {topic}: " + ", ".join(f"{name} {count}" for name, count in fields.items()))
    share = source_share(profiles)
    if share.decided:
        lines.append(
            f"Known true/false and choice fields: {share.decided}; on a primary source (statute on an official site or an "
            f"official agency page): {share.primary} ({share.primary / share.decided:.0%}); on the statute's text, an "
            f"official page or a court: {share.backed} ({share.backed / share.decided:.0%})."
        )
    return "\n".join(lines)
