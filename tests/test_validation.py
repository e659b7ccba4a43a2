"""Validation: one test per kind of bad input; each error names file, record, field and problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.dataset.validate import load_dataset
from tests.conftest import FIXTURES

GOOD = FIXTURES / "dataset"


def _profiles(tmp_path: Path, mutate) -> Path:
    """Write the fixture profiles with one change applied, return the file."""
    document = yaml.safe_load((GOOD / "profiles.yaml").read_text())
    mutate(document["profiles"][0])
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _only_error(path: Path):
    dataset = load_dataset(path)
    assert len(dataset.errors) == 1, [str(e) for e in dataset.errors]
    return dataset.errors[0]


def test_fixture_dataset_is_valid():
    dataset = load_dataset(GOOD)
    assert dataset.errors == []
    assert (len(dataset.profiles), len(dataset.resources), len(dataset.guides)) == (2, 2, 1)


def test_missing_field(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p.pop("sms_summary")))
    assert error.field == "sms_summary" and "missing" in error.message
    assert error.record == "profile OH/naloxone"
    assert str(error).startswith(f"{tmp_path / 'bad.yaml'}:2: profile OH/naloxone: field 'sms_summary'")


def test_missing_topic_field_says_write_null(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p["fields"].pop("standing_order")))
    assert error.field == "fields.standing_order"
    assert "write null if unknown" in error.message


def test_bad_state_code(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p.update(state="XX")))
    assert error.field == "state" and "'XX'" in error.message


def test_bad_url(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p["citations"][0].update(url="example.org/page")))
    assert error.field == "citations[1].url" and "http" in error.message


@pytest.mark.parametrize("value, expected", [("2026-02-30", "YYYY-MM-DD"), ("2999-01-01", "in the future")])
def test_bad_date(tmp_path, value, expected):
    error = _only_error(_profiles(tmp_path, lambda p: p.update(last_verified=value)))
    assert error.field == "last_verified" and expected in error.message


def test_duplicate_record_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text((GOOD / "profiles.yaml").read_text())
    (tmp_path / "b.yaml").write_text((GOOD / "profiles.yaml").read_text())
    dataset = load_dataset(tmp_path)
    assert len(dataset.errors) == 2
    assert all(
        "duplicate: already defined at" in e.message and str(tmp_path / "a.yaml") in e.message for e in dataset.errors
    )


def test_duplicate_key_inside_a_record(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("profiles:\n  - state: OH\n    state: PA\n")
    error = _only_error(path)
    assert "duplicate key 'state'" in error.message and error.where == f"{path}:3"


def test_malformed_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("profiles:\n  - state: OH\n    topic: [naloxone\n")
    error = _only_error(path)
    assert "malformed YAML" in error.message and error.where.startswith(str(path))


@pytest.mark.parametrize(
    "mutate, field, expected",
    [
        (lambda p: p["fields"].update(standing_order="yes please"), "fields.standing_order", "true or false"),
        (lambda p: p.update(citations="https://example.org"), "citations", "at least one citation"),
        (lambda p: p.update(summary=42), "summary", "expected text"),
    ],
)
def test_wrong_type(tmp_path, mutate, field, expected):
    error = _only_error(_profiles(tmp_path, mutate))
    assert error.field == field and expected in error.message


def test_unknown_field_is_rejected(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p["fields"].update(protects_everyone=True)))
    assert error.field == "fields.protects_everyone" and "unknown field" in error.message


def test_sms_summary_length_limit(tmp_path):
    error = _only_error(_profiles(tmp_path, lambda p: p.update(sms_summary="Short words. " * 30)))
    assert error.field == "sms_summary" and "at most 300" in error.message


def test_reading_level_limit(tmp_path):
    hard = (
        "Notwithstanding jurisdictional considerations, pharmacological intervention "
        "necessitates comprehensive institutional authorization procedures."
    )
    error = _only_error(_profiles(tmp_path, lambda p: p.update(summary=hard)))
    assert error.field == "summary" and "grade" in error.message


def test_resource_rules(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        textwrap.dedent("""\
        resources:
          - id: Bad Id
            kind: pizza
            name: X
            description: Y
            last_verified: 2026-01-01
            citations: [{url: "https://example.org", title: T, publisher: P, accessed: 2026-01-01}]
        """)
    )
    fields = {e.field for e in load_dataset(path).errors}
    assert {"id", "kind", "state", "url"} <= fields


def test_cli_validate_reports_file_record_field_and_exits_1(tmp_path, capsys):
    path = _profiles(tmp_path, lambda p: p.update(state="ZZ"))
    assert main(["data", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: profile ZZ/naloxone: field 'state'" in err


def test_cli_validate_ok(capsys):
    assert main(["data", "validate", str(GOOD)]) == 0
    assert "OK: 2 profiles, 2 resources, 1 guides" in capsys.readouterr().out
