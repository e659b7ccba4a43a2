"""Import is all-or-nothing and logged; export imports back unchanged (YAML, JSON, CSV)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.dataset import importer
from bot.dataset.exporter import collect, render, write_tree
from bot.dataset.importer import import_dataset
from bot.dataset.validate import load_dataset
from bot.db.engine import new_session
from bot.db.models import ChangeLog, Citation, Profile, Resource
from tests.conftest import FIXTURES

GOOD = FIXTURES / "dataset"


def _import(db_url, path, **options):
    with new_session(db_url) as session, session.begin():
        return import_dataset(session, load_dataset(path), actor="test", **options)


def _snapshot(db_url):
    with new_session(db_url) as session:
        return collect(session)


def test_import_counts_and_change_log(db_url):
    counts = _import(db_url, GOOD)
    assert (counts.added, counts.changed, counts.unchanged, counts.removed) == (5, 0, 0, 0)
    with new_session(db_url) as session:
        log = session.execute(select(ChangeLog).order_by(ChangeLog.id)).scalars().all()
        assert [(row.action, row.entity) for row in log][:2] == [("create", "profile"), ("create", "profile")]
        assert all(row.actor == "test" and row.source == "import" and row.before is None for row in log)
        assert session.execute(select(func.count()).select_from(Citation)).scalar() == 6


def test_reimport_changes_nothing(db_url):
    _import(db_url, GOOD)
    counts = _import(db_url, GOOD)
    assert (counts.added, counts.changed, counts.unchanged) == (0, 0, 5)
    with new_session(db_url) as session:
        assert session.execute(select(func.count()).select_from(ChangeLog)).scalar() == 5


def test_update_is_logged_with_before_and_after(db_url, tmp_path):
    _import(db_url, GOOD)
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    profiles = data / "profiles.yaml"
    profiles.write_text(profiles.read_text().replace("free_program: Test program.", "free_program: New program."))
    counts = _import(db_url, data)
    assert (counts.added, counts.changed, counts.unchanged) == (0, 1, 4)
    with new_session(db_url) as session:
        entry = session.execute(select(ChangeLog).where(ChangeLog.action == "update")).scalar_one()
        assert entry.entity_key == "OH/naloxone"
        assert entry.before["fields"]["free_program"] == "Test program."
        assert entry.after["fields"]["free_program"] == "New program."


def test_prune_removes_only_missing_records_of_imported_sections(db_url, tmp_path):
    _import(db_url, GOOD)
    data = tmp_path / "data"
    data.mkdir()
    (data / "profiles.yaml").write_text((GOOD / "profiles.yaml").read_text().split("  - state: PA")[0])
    counts = _import(db_url, data, prune=True)
    assert (counts.unchanged, counts.removed) == (1, 1)
    snapshot = _snapshot(db_url)
    assert [p["state"] for p in snapshot["profiles"]] == ["OH"]
    assert len(snapshot["resources"]) == 2 and len(snapshot["guides"]) == 1  # other sections untouched
    with new_session(db_url) as session:
        assert session.execute(select(func.count()).select_from(Citation)).scalar() == 4  # PA's two citations went too


def test_bad_file_midway_leaves_database_unchanged(db_url, tmp_path, capsys, monkeypatch):
    _import(db_url, GOOD)
    before = _snapshot(db_url)
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    (data / "b_broken.yaml").write_text("profiles:\n  - state: OH\n    topic: naloxone\n    fields: [\n")
    profiles = data / "profiles.yaml"
    profiles.write_text(profiles.read_text().replace("Test program.", "Changed."))
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["data", "import", str(data)]) == 1
    assert "b_broken.yaml" in capsys.readouterr().err
    assert _snapshot(db_url) == before


def test_database_error_midway_rolls_back_everything(db_url, monkeypatch):
    """A failure after some rows were written (not a validation error) still leaves nothing behind."""
    calls = {"n": 0}
    real_new_row = importer.new_row

    def failing_new_row(section, record):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return real_new_row(section, record)

    monkeypatch.setattr(importer, "new_row", failing_new_row)
    with pytest.raises(RuntimeError):
        _import(db_url, GOOD)
    snapshot = _snapshot(db_url)
    assert snapshot == {"profiles": [], "resources": [], "guides": []}
    with new_session(db_url) as session:
        assert session.execute(select(func.count()).select_from(ChangeLog)).scalar() == 0


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_export_then_import_changes_nothing(db_url, tmp_path, fmt):
    _import(db_url, GOOD)
    with new_session(db_url) as session:
        exported = collect(session)
    path = tmp_path / f"export.{fmt}"
    path.write_text(render(exported, fmt))
    dataset = load_dataset(path)
    assert dataset.errors == []
    counts = _import(db_url, path, prune=True)
    assert (counts.added, counts.changed, counts.removed, counts.unchanged) == (0, 0, 0, 5)


def test_export_tree_layout_round_trips_into_empty_database(db_url, tmp_path):
    _import(db_url, GOOD)
    exported = _snapshot(db_url)
    files = write_tree(exported, tmp_path / "resources")
    names = sorted(str(path.relative_to(tmp_path / "resources")) for path in files)
    assert names == [
        "guides.yaml",
        "profiles/good_samaritan.yaml",
        "profiles/naloxone.yaml",
        "resources/naloxone_distribution.yaml",
        "resources/national.yaml",
    ]
    assert load_dataset(tmp_path / "resources").profiles == load_dataset(GOOD).profiles


def test_export_filters_by_state_and_topic(db_url, use_db, capsys):
    _import(db_url, GOOD)
    assert main(["data", "export", "--format", "json", "--state", "OH", "--topic", "naloxone"]) == 0
    out = capsys.readouterr().out
    assert '"OH/naloxone"' not in out and '"state": "OH"' in out and "PA" not in out
    assert "oh-naloxone-test-program" in out and "national-test-hotline" not in out


def test_cli_import_prints_counts(use_db, capsys):
    assert main(["data", "import", str(GOOD)]) == 0
    assert "Imported: 5 added, 0 changed, 0 unchanged, 0 removed" in capsys.readouterr().out
    assert main(["data", "import", str(GOOD), "--dry-run"]) == 0
    assert "Dry run, nothing saved: 0 added, 0 changed, 5 unchanged" in capsys.readouterr().out


def test_deleting_a_profile_cascades_to_citations(db_url):
    _import(db_url, GOOD)
    with new_session(db_url) as session, session.begin():
        session.delete(session.execute(select(Profile).where(Profile.state == "PA")).scalar_one())
    with new_session(db_url) as session:
        assert session.execute(select(func.count()).select_from(Citation)).scalar() == 4
        assert session.execute(select(func.count()).select_from(Resource)).scalar() == 2
