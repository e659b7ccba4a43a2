"""The location parser: names, codes, nicknames, cities, ZIP codes, typos and ambiguous words."""

from __future__ import annotations

import pytest

from bot import texts
from bot.location import find_location, fold


@pytest.mark.parametrize(
    "message, state",
    [
        ("is narcan free in ohio", "OH"),
        ("PA", "PA"),
        ("tx", "TX"),
        ("r test strips legal in tx?", "TX"),
        ("philly", "PA"),
        ("NYC", "NY"),
        ("im in brooklyn", "NY"),
        ("LA", "CA"),
        ("Chi-town", "IL"),
        ("the Bay", "CA"),
        ("what about jersey?", "NJ"),
        ("how about cali", "CA"),
        ("43215", "OH"),
        ("my zip is 20001", "DC"),
        ("15213-1234", "PA"),
        ("pensylvania", "PA"),
        ("tennesee", "TN"),
        ("conneticut", "CT"),
        ("washington dc", "DC"),
        ("DC", "DC"),
        ("i live in washington state", "WA"),
        ("Georgia", "GA"),
        ("Indiana", "IN"),
        ("I'm in IN", "IN"),
        ("west virginia", "WV"),
        ("virginia", "VA"),
        ("arkansas", "AR"),
        ("kansas", "KS"),
        ("new york", "NY"),
        ("New Mexico", "NM"),
        ("OR", "OR"),
        ("can i get strips in or", "OR"),
        ("is it legal in ok", "OK"),
        ("district of columbia", "DC"),
    ],
)
def test_finds_state(message, state):
    match = find_location(message)
    assert match is not None and match.state == state


@pytest.mark.parametrize(
    "message",
    [
        "ok",
        "hi",
        "oh",
        "ok thanks",
        "hello",
        "main street",
        "my friend is not breathing",
        "mi amigo no responde",
        "la persona no responde",
        "HI",
        "OK",
        "strips?",
        "00000",
        "",
    ],
)
def test_ignores_words_that_are_not_places(message):
    assert find_location(message) is None


@pytest.mark.parametrize("reply, state", [("oh", "OH"), ("ok", "OK"), ("in", "IN"), ("me", "ME"), ("Hi", "HI")])
def test_bare_code_counts_after_the_bot_asked_for_the_state(reply, state):
    assert find_location(reply, expecting_state=True).state == state


def test_ambiguous_places_come_with_a_note():
    assert "Washington, DC" in texts.text(find_location("washington").note)
    assert "Louisiana" in texts.text(find_location("LA").note)
    assert find_location("washington dc").note is None


def test_zip_gives_the_zip_too():
    match = find_location("im at 19104")
    assert (match.state, match.zip, match.how) == ("PA", "19104", "zip")


def test_first_place_mentioned_wins():
    assert find_location("im in ohio but going to pa").state == "OH"


@pytest.mark.parametrize(
    "message, state",
    [("tiras en Oregón", "OR"), ("naloxona en míchigan", "MI"), ("nuevo mexico", "NM"), ("Nuevo México", "NM")],
)
def test_accents_are_optional(message, state):
    assert find_location(message).state == state


def test_fold_keeps_one_character_for_one():
    assert fold("Oregón, Míchigan ñ") == "Oregon, Michigan n"


@pytest.mark.parametrize(
    "text, label, expected",
    [
        ("Míchigan: Hay programas.", None, "Míchigan: Hay programas."),  # the language's own name stays
        ("OH: Text.", None, "Ohio: Text."),
        ("Text.", None, "Ohio: Text."),
        ("Ohio: Text.", "Ohio 911 law", "Ohio 911 law: Text."),
    ],
)
def test_answers_lead_with_the_state_once(text, label, expected):
    from bot.answers import about_state

    state = "MI" if text.startswith("Míchigan") else "OH"
    assert about_state(state, text, label) == expected
