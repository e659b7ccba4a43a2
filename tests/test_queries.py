"""The query layer the conversation uses, and bulk site import feeding it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.cli import main
from bot.dataset.importer import import_dataset
from bot.dataset.validate import load_dataset
from bot.db.engine import new_session
from bot.db.models import ChangeLog
from bot.geo import lookup_zip
from bot.queries import get_guide, get_profile, guides_for_topic, national_resources, nearest_resources, state_resources
from tests.conftest import FIXTURES

SITE_SOURCE = [
    "--source-url",
    "https://example.org/directory.csv",
    "--source-title",
    "Test directory",
    "--source-publisher",
    "Test publisher",
    "--accessed",
    "2026-01-15",
]


def _seed(db_url):
    with new_session(db_url) as session, session.begin():
        import_dataset(session, load_dataset(FIXTURES / "dataset"), actor="test")


def _import_sites(*extra):
    return main(
        [
            "data",
            "import-sites",
            str(FIXTURES / "sites.csv"),
            "--kind",
            "naloxone_distribution",
            "--map",
            "address=Street",
            *SITE_SOURCE,
            *extra,
        ]
    )


def test_profile_for_state_and_topic(db_url):
    _seed(db_url)
    with new_session(db_url) as session:
        profile = get_profile(session, "PA", "good_samaritan")
        assert get_profile(session, "PA", "naloxone") is None
    assert profile.fields["protection_level"] == "charge"
    assert profile.last_verified == dt.date(2025, 6, 1)
    assert [source.url for source in profile.sources] == ["https://example.org/pa-gsl", "https://example.org/pa-gsl-2"]


def test_state_and_national_resources(db_url):
    _seed(db_url)
    with new_session(db_url) as session:
        ohio = state_resources(session, "OH", ("naloxone_distribution", "naloxone_mail"))
        assert state_resources(session, "OH", ("hotline",)) == []
        national = national_resources(session, ("hotline",))
    assert [r.key for r in ohio] == ["oh-naloxone-test-program"]
    assert [r.key for r in national] == ["national-test-hotline"]
    assert national[0].languages == ("en", "es") and national[0].sources[0].title == "Test hotline page"


def test_guides(db_url):
    _seed(db_url)
    with new_session(db_url) as session:
        guide = get_guide(session, "test-howto")
        assert [g.key for g in guides_for_topic(session, "naloxone", "howto")] == ["test-howto"]
        assert get_guide(session, "nope") is None
    assert guide.steps == ("First test step.", "Second test step.")


def test_zip_lookup_is_offline_and_rejects_unknown():
    assert lookup_zip("43215").state == "OH"
    assert lookup_zip("20001").state == "DC"
    assert lookup_zip("00000") is None
    assert lookup_zip("00901") is None  # Puerto Rico: outside the 50 states and DC we cover


def test_import_sites_detects_duplicates_and_feeds_nearest(db_url, use_db, capsys):
    _seed(db_url)
    assert _import_sites() == 0
    out = capsys.readouterr().out
    assert "sites.csv:5: duplicate of line 2" in out
    assert "3 added, 0 changed, 0 unchanged, 0 removed, 1 duplicate(s) skipped" in out
    with new_session(db_url) as session:
        near_columbus = nearest_resources(session, "43230", ("naloxone_distribution",), limit=5, max_miles=100)
        near_nowhere = nearest_resources(session, "99501", ("naloxone_distribution",))
        log = session.execute(select(ChangeLog).where(ChangeLog.source == "import-sites")).scalars().all()
    assert [r.name for r in near_columbus] == ["Test Site Columbus", "Test Site Dayton"]
    assert near_columbus[0].miles < near_columbus[1].miles < 100
    assert near_nowhere == []
    assert len(log) == 3
    # Running the same list again adds nothing: every row is now unchanged.
    assert _import_sites() == 0
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out


def test_import_sites_dry_run_saves_nothing(db_url, use_db, capsys):
    assert _import_sites("--dry-run") == 0
    assert "Dry run, nothing saved: 3 added" in capsys.readouterr().out
    with new_session(db_url) as session:
        assert state_resources(session, "OH") == []


def test_import_sites_bad_row_imports_nothing(db_url, use_db, tmp_path, capsys):
    bad = tmp_path / "sites.csv"
    bad.write_text((FIXTURES / "sites.csv").read_text().replace("45402", "4540"))
    code = main(["data", "import-sites", str(bad), "--kind", "naloxone_distribution", *SITE_SOURCE])
    assert code == 1
    assert "sites.csv:3" in capsys.readouterr().err
    with new_session(db_url) as session:
        assert state_resources(session, "OH") == []


def test_import_sites_needs_a_name_column(db_url, use_db, tmp_path, capsys):
    unnamed = tmp_path / "sites.csv"
    unnamed.write_text((FIXTURES / "sites.csv").read_text().replace("Program Name", "Title"))
    code = main(["data", "import-sites", str(unnamed), "--kind", "naloxone_distribution", *SITE_SOURCE])
    assert code == 1
    assert "--map name=COLUMN" in capsys.readouterr().err
    # With the mapping the same file imports.
    assert (
        main(
            [
                "data",
                "import-sites",
                str(unnamed),
                "--kind",
                "naloxone_distribution",
                "--map",
                "name=Title",
                *SITE_SOURCE,
            ]
        )
        == 0
    )
