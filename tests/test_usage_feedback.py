"""Private usage counters and reports of wrong answers (bot.usage, bot.feedback), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot import feedback, sms_rules, usage
from bot.answers import ANSWERED, FALLBACK, UNKNOWN, About
from bot.db.engine import new_session
from bot.db.models import ChangeLog, SmsSender, UsageCount, UserReport, utcnow

OHIO_PAROLE = About(UNKNOWN, "good_samaritan", "probation_parole", "OH", "profiles/OH/good_samaritan")


def test_counts_add_up_per_day_and_kind(db_url):
    with new_session(db_url) as session, session.begin():
        for _ in range(3):
            usage.count(session, UNKNOWN, "webchat", "en", OHIO_PAROLE)
        usage.count(session, UNKNOWN, "sms", "en", OHIO_PAROLE)
        usage.count(session, ANSWERED, "webchat", "es", About(ANSWERED, "naloxone", "", "TX"))
        usage.count(session, FALLBACK, "rest", "en", intent="ask_naloxone")
    with new_session(db_url) as session:
        since = usage.today()
        by_state = usage.totals(session, since, "state")
        assert by_state["OH"] == {UNKNOWN: 4}
        assert by_state["TX"] == {ANSWERED: 1}
        assert usage.totals(session, since, "channel")["webchat"] == {UNKNOWN: 3, ANSWERED: 1}
        assert usage.totals(session, since, "language")["es"] == {ANSWERED: 1}
        top = usage.ranked(session, UNKNOWN, since)
        assert [(row.topic, row.facet, row.state, row.count) for row in top] == [
            ("good_samaritan", "probation_parole", "OH", 4)
        ]
        assert [row.intent for row in usage.ranked(session, FALLBACK, since)] == ["ask_naloxone"]
        # One row per day and kind, however many messages: the table never grows with traffic.
        assert session.execute(select(func.count()).select_from(UsageCount)).scalar_one() == 4


def test_ranked_groups_channels_and_languages_together(db_url):
    with new_session(db_url) as session, session.begin():
        for channel in ("webchat", "sms", "rest"):
            usage.count(session, UNKNOWN, channel, "en", OHIO_PAROLE)
        usage.count(session, UNKNOWN, "sms", "es", About(UNKNOWN, "naloxone", "free_naloxone", "WY"))
    with new_session(db_url) as session:
        top = usage.ranked(session, UNKNOWN, usage.today())
    assert [(row.state, row.facet, row.count) for row in top] == [
        ("OH", "probation_parole", 3),
        ("WY", "free_naloxone", 1),
    ]


def test_small_counts_are_not_shown():
    assert [usage.shown(n) for n in (0, 1, 4, 5, 120)] == ["0", "< 5", "< 5", "5", "120"]


def test_an_unknown_measure_is_refused(db_url):
    with new_session(db_url) as session, pytest.raises(ValueError, match="unknown usage measure"):
        usage.count(session, "clicks", "webchat", "en")


def test_old_counters_and_old_resolved_reports_are_deleted(db_url):
    old_day = usage.today() - dt.timedelta(days=400)
    with new_session(db_url) as session, session.begin():
        usage.count(session, ANSWERED, "webchat", "en")  # today's first count runs the daily purge
        usage.count(session, ANSWERED, "webchat", "en", day=old_day)  # so this one stays, until the next
        kept_open = feedback.file_report(session, "webchat", "en", OHIO_PAROLE, "Ohio: ...", "parole is covered now")
        old = feedback.file_report(session, "webchat", "en", OHIO_PAROLE, "Ohio: ...", "wrong date")
        session.flush()
        feedback.resolve(session, old.id, feedback.FIXED, "updated", "reviewer")
        old.resolved_at = utcnow() - dt.timedelta(days=400)
        kept_open.received_on = old_day
    with new_session(db_url) as session, session.begin():
        assert usage.purge(session, days=365) == 2
    with new_session(db_url) as session:
        assert {row.day for row in session.execute(select(UsageCount)).scalars()} == {usage.today()}
        assert [report.status for report in session.execute(select(UserReport)).scalars()] == [feedback.OPEN]


def test_a_report_keeps_what_the_answer_was_and_drops_private_details(db_url):
    note = "Wrong, call me at (216) 555-0134 or mail jo.doe@example.org, I live in 44102. The law changed in 2024."
    with new_session(db_url) as session, session.begin():
        report = feedback.file_report(session, "webchat", "en", OHIO_PAROLE, "Ohio: We don't know.", note)
    with new_session(db_url) as session:
        stored = session.get(UserReport, report.id)
        assert (
            stored.record == "profiles/OH/good_samaritan"
            and stored.facet == "probation_parole"
            and stored.state == "OH"
        )
        assert stored.answer_text == "Ohio: We don't know."
        assert "555" not in stored.report_text and "example.org" not in stored.report_text
        assert "44102" not in stored.report_text and "2024" in stored.report_text
        assert stored.status == feedback.OPEN and stored.received_on == usage.today()
        assert usage.totals(session, usage.today(), "state")["OH"] == {usage.REPORTED: 1}


@pytest.mark.parametrize("note", ["", "   ", "555-123-4567"])
def test_a_report_with_nothing_to_say_is_refused(db_url, note):
    with new_session(db_url) as session, pytest.raises(feedback.ReportError):
        feedback.file_report(session, "sms", "en", None, "", note)


def test_resolving_a_report_is_in_the_change_log(db_url):
    with new_session(db_url) as session, session.begin():
        report_id = feedback.file_report(session, "sms", "es", OHIO_PAROLE, "Ohio: ...", "ya cambió").id
    with new_session(db_url) as session, session.begin():
        feedback.resolve(session, report_id, feedback.NOT_A_PROBLEM, "The statute still says so.", "ana")
    with new_session(db_url) as session, session.begin():
        assert feedback.open_count(session) == 0
        with pytest.raises(feedback.ReportError, match="already resolved"):
            feedback.resolve(session, report_id, feedback.FIXED, "", "ana")
        with pytest.raises(feedback.ReportError, match="fixed or was not a problem"):
            feedback.resolve(session, report_id, "deleted", "", "ana")
        with pytest.raises(feedback.ReportError, match="no such report"):
            feedback.resolve(session, report_id + 100, feedback.FIXED, "", "ana")
        entry = session.execute(select(ChangeLog).where(ChangeLog.entity == "report")).scalar_one()
    assert entry.actor == "ana" and entry.action == "resolve"
    assert entry.entity_key == f"report {report_id} on profiles/OH/good_samaritan"
    assert entry.after == {"status": feedback.NOT_A_PROBLEM, "note": "The statute still says so."}


@pytest.mark.parametrize(
    "data",
    [
        None,
        "profiles/OH",
        {"outcome": "answered", "state": "ZZ"},
        {"outcome": "answered", "topic": "weather"},
        {"outcome": "answered", "facet": "made_up"},
        {"outcome": "answered", "record": "users/1"},
        {"outcome": "deleted"},
        {"outcome": "answered", "state": ["OH"]},
    ],
)
def test_an_answer_reference_from_a_client_is_checked(data):
    assert About.from_dict(data) is None


def test_an_answer_reference_round_trips():
    assert About.from_dict(OHIO_PAROLE.as_dict()) == OHIO_PAROLE


@pytest.mark.parametrize(
    "body, note, language",
    [
        ("WRONG the clinic on Main closed", "the clinic on Main closed", "en"),
        ("wrong: price is $40 now", "price is $40 now", "en"),
        ("Wrong", "", "en"),
        ("INCORRECTO ya no es gratis", "ya no es gratis", "es"),
    ],
)
def test_the_wrong_keyword_starts_a_report(body, note, language):
    assert sms_rules.wrong_report(body) == sms_rules.WrongReport(note, language)


@pytest.mark.parametrize("body", ["is it wrong to carry narcan", "wrong he is not breathing", "what went wrong"])
def test_other_messages_are_not_reports(body):
    """Only a first word WRONG; and a possible emergency always goes to the dialogue."""
    assert sms_rules.wrong_report(body) is None


def test_the_last_sms_answer_is_kept_only_as_long_as_the_conversation(db_url):
    reply = sms_rules.Reply(texts=["Ohio: We don't know."], about=OHIO_PAROLE.as_dict())
    with new_session(db_url) as session, session.begin():
        store = sms_rules.SenderStore(session)
        store.remember(reply, "sms-abc")
        store.remember(sms_rules.Reply(texts=["You're welcome."]), "sms-abc")  # small talk keeps the answer
        assert store.last_answer("sms-abc") == (OHIO_PAROLE, "Ohio: We don't know.")
        row = session.get(SmsSender, "sms-abc")
        long_ago = utcnow() - dt.timedelta(hours=3)
        row.updated_at = long_ago
        row.last_answer = {**row.last_answer, "at": long_ago.isoformat()}
    with new_session(db_url) as session, session.begin():
        assert sms_rules.SenderStore(session).last_answer("sms-abc") == (None, "")
        sms_rules.prune(session)
    with new_session(db_url) as session:
        assert session.get(SmsSender, "sms-abc").last_answer is None
