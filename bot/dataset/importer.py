"""Import a validated dataset in one transaction, logging every change."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from tqdm import tqdm

from bot.dataset.schema import SECTION_FIELDS
from bot.dataset.store import ENTITY, apply_record, load_rows, new_row, to_record
from bot.dataset.validate import Dataset
from bot.db.models import ChangeLog


@dataclass
class ImportCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    changes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.added} added, {self.changed} changed, " f"{self.unchanged} unchanged, {self.removed} removed"


def import_dataset(
    session: Session,
    dataset: Dataset,
    actor: str,
    source: str = "import",
    prune: bool = False,
    show_progress: bool = False,
) -> ImportCounts:
    """Upsert every record of `dataset`; with `prune`, delete records of the same sections absent from it.

    Runs inside the caller's transaction and never commits: the caller commits once,
    so an error anywhere leaves the database exactly as it was.
    """
    if dataset.errors:
        raise ValueError(f"refusing to import a dataset with {len(dataset.errors)} validation error(s)")
    counts = ImportCounts()
    # Only sections the input defines are pruned: a file of profiles never removes resources.
    sections = [section for section in SECTION_FIELDS if dataset.section(section)]
    total = sum(len(dataset.section(section)) for section in sections)
    with tqdm(total=total, desc="Importing", unit="record", delay=1.0, disable=not show_progress) as bar:
        for section in sections:
            existing = load_rows(session, section)
            for key, record in dataset.section(section).items():
                row = existing.get(key)
                if row is None:
                    session.add(new_row(section, record))
                    _log(session, actor, source, "create", section, key, None, record)
                    counts.added += 1
                    counts.changes.append(f"added {ENTITY[section]} {key}")
                else:
                    before = to_record(section, row)
                    if before == record:
                        counts.unchanged += 1
                    else:
                        apply_record(section, row, record)
                        _log(session, actor, source, "update", section, key, before, record)
                        counts.changed += 1
                        counts.changes.append(f"changed {ENTITY[section]} {key}")
                bar.update()
            if prune:
                for key in sorted(set(existing) - set(dataset.section(section))):
                    row = existing[key]
                    _log(session, actor, source, "delete", section, key, to_record(section, row), None)
                    session.delete(row)
                    counts.removed += 1
                    counts.changes.append(f"removed {ENTITY[section]} {key}")
    session.flush()
    return counts


def _log(session: Session, actor: str, source: str, action: str, section: str, key: str, before, after) -> None:
    session.add(
        ChangeLog(
            actor=actor,
            source=source,
            action=action,
            entity=ENTITY[section],
            entity_key=key,
            before=before,
            after=after,
        )
    )
