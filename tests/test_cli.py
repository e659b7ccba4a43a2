"""Every command has --help; stale and coverage reports; migrations and model constraints."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.cli import build_parser, main
from bot.dataset.importer import import_dataset
from bot.dataset.schema import TOPICS
from bot.dataset.validate import load_dataset
from bot.db.engine import new_session
from bot.db.models import Citation, Jurisdiction
from tests.conftest import FIXTURES


def _commands(parser, prefix=()):
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in action.choices.items():
            yield prefix + (name,)
            yield from _commands(sub, prefix + (name,))


@pytest.mark.parametrize("command", list(_commands(build_parser())), ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: hrbot " + " ".join(command) in capsys.readouterr().out


def test_migrations_seed_the_51_jurisdictions(session):
    assert session.execute(select(func.count()).select_from(Jurisdiction)).scalar() == 51
    assert session.get(Jurisdiction, "DC").name == "District of Columbia"


def test_citation_must_have_exactly_one_owner(session):
    session.add(Citation(url="https://example.org", title="T", publisher="P", accessed=dt.date(2026, 1, 1)))
    with pytest.raises(IntegrityError):
        session.flush()


def _seed(db_url):
    with new_session(db_url) as session, session.begin():
        import_dataset(session, load_dataset(FIXTURES / "dataset"), actor="test")


def test_stale_lists_old_entries(db_url, use_db, capsys):
    _seed(db_url)
    days = (dt.date.today() - dt.date(2025, 6, 1)).days - 1
    assert main(["data", "stale", "--days", str(days)]) == 0
    out = capsys.readouterr().out
    assert "profile  PA/good_samaritan" in out
    assert "OH/naloxone" not in out
    assert "1 entry last verified more than" in out


def test_coverage_table(db_url, use_db, capsys):
    _seed(db_url)
    assert main(["data", "coverage"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:2].isupper() and line[2:3] == " "}
    assert len(lines) == 51
    assert "1/5 unknown" in lines["OH"] and "MISSING" in lines["OH"] and "2026-01-15" in lines["OH"]
    assert "1/10 unknown" in lines["PA"]
    assert f"2 of {51 * len(TOPICS)} profiles present." in out
