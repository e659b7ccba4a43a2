"""Asking for a person: the bot says it is automated and lists lines where people answer,
from the real database (and the organization's own line when configured)."""

from __future__ import annotations

import pytest

from actions.guides import ActionOfferPerson
from bot import texts
from bot.answers import PERSON_LINES, person_answer
from bot.db.engine import new_session
from bot.formatting import render_sms
from bot.queries import national_resources, state_resources
from tests.test_actions import run, slot_events, tracker


@pytest.fixture
def db(real_db_url, monkeypatch):
    for name in ("HRBOT_ORG_PHONE", "HRBOT_ORG_HOURS", "HRBOT_ORG_NAME"):
        monkeypatch.delenv(name, raising=False)
    with new_session(real_db_url) as session:
        yield session


def _national(db):
    return {r.key: r for r in national_resources(db, ("hotline",))}


def test_says_it_is_automated_then_the_national_person_lines(db):
    answer = person_answer(db, None)
    lines = [_national(db)[key] for key in PERSON_LINES]
    assert answer.paragraphs == ["I'm an automated assistant, not a person. These lines have real people:"]
    assert [bullet.split(":")[0] for bullet in answer.bullets] == [r.name for r in lines]
    assert all(r.phone in bullet for r, bullet in zip(lines, answer.bullets))
    assert answer.sources == [r.sources[0] for r in lines]
    assert not any("Poison" in bullet for bullet in answer.bullets)
    assert [option.payload for option in answer.options] == ["/ask_hotline"]


def test_the_organizations_line_comes_first_when_configured(db, monkeypatch):
    monkeypatch.setenv("HRBOT_ORG_NAME", "Eastside Harm Reduction")
    monkeypatch.setenv("HRBOT_ORG_PHONE", "555-0100")
    monkeypatch.setenv("HRBOT_ORG_HOURS", "Mon-Fri 9am-5pm")
    answer = person_answer(db, None)
    assert answer.bullets[0] == "Eastside Harm Reduction: 555-0100. Open Mon-Fri 9am-5pm."
    assert answer.sms_paragraphs is not None and answer.sms_paragraphs[1] == "Eastside Harm Reduction: 555-0100"
    assert len(answer.bullets) == len(PERSON_LINES) + 1
    monkeypatch.delenv("HRBOT_ORG_HOURS")
    assert person_answer(db, None).bullets[0] == "Eastside Harm Reduction: 555-0100"


def test_no_organization_line_without_a_phone(db, monkeypatch):
    monkeypatch.setenv("HRBOT_ORG_NAME", "Eastside Harm Reduction")
    monkeypatch.setenv("HRBOT_ORG_HOURS", "Mon-Fri 9am-5pm")
    answer = person_answer(db, None)
    assert not any("Eastside" in line for line in answer.bullets + (answer.sms_paragraphs or []))


def test_the_states_helpline_when_the_state_is_known(db):
    state_lines = state_resources(db, "PA", ("hotline",))
    assert state_lines
    answer = person_answer(db, "PA")
    assert [bullet.split(".")[0] for bullet in answer.bullets[len(PERSON_LINES) :]] == [
        f"{r.name}: {r.phone}" for r in state_lines
    ]
    assert person_answer(db, "OH").bullets == person_answer(db, None).bullets  # no Ohio line in the data


def test_spanish(db):
    answer = person_answer(db, "PA", "es")
    assert answer.language == "es"
    assert answer.paragraphs == [texts.text("answer.automated", "es")]
    assert answer.paragraphs[0].startswith("Soy un asistente automatizado, no una persona.")
    assert answer.options[0].title == texts.text("option.hotline", "es")


def test_fits_a_text_message(db, monkeypatch):
    monkeypatch.setenv("HRBOT_ORG_PHONE", "555-0100")
    reply = render_sms(person_answer(db, "PA"))
    assert reply.text.startswith("I'm an automated assistant") and "555-0100" in reply.text


def test_the_action_uses_the_conversations_state_and_language(real_db_url, monkeypatch, db):
    monkeypatch.setenv("DATABASE_URL", real_db_url)
    messages, events = run(ActionOfferPerson(), tracker("eres una persona?", "ask_human", {"state": "PA"}))
    [pa_line] = state_resources(db, "PA", ("hotline",))
    assert messages[0]["text"].startswith("Soy un asistente automatizado") and pa_line.name in messages[0]["text"]
    assert slot_events(events)["language"] == "es"
