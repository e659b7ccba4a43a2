"""The bot's own words: every language has every text, and the language detector reads short texts."""

from __future__ import annotations

import pytest

from bot import texts
from bot.language import detect, requested_language


@pytest.mark.parametrize("language", [code for code in texts.languages() if code != texts.DEFAULT_LANGUAGE])
def test_every_language_has_every_text(language):
    assert texts.missing_keys(language) == set()


def test_placeholders_are_the_same_in_every_language():
    import string

    def fields(words):
        return {name for _, name, _, _ in string.Formatter().parse(words) if name}

    english = texts.catalog("en")
    for language in texts.languages():
        for key, words in texts.catalog(language).items():
            assert fields(words) == fields(english[key]), (language, key)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("hola", "es"),
        ("ayuda", "es"),
        ("sí", "es"),
        ("gracias", "es"),
        ("mi amigo no respira", "es"),
        ("no tengo narcan", "es"),
        ("narcan gratis en ohio?", "es"),
        ("tiras reactivas de fentanilo en orlando", "es"),
        ("es gratis?", "es"),
        ("naloxona", "es"),
        ("se está muriendo", "es"),
        ("donde consigo metadona", "es"),
        ("hi", "en"),
        ("help", "en"),
        ("is narcan free in ohio", "en"),
        ("my friend is not breathing", "en"),
        ("is narcan free in la", "en"),
        ("subs near me", "en"),
        ("he's oding", "en"),
    ],
)
def test_detects_english_and_spanish(message, expected):
    assert detect(message) == expected


@pytest.mark.parametrize("message", ["ohio", "no", "ok", "911", "43215", "narcan?"])
def test_a_message_with_no_sign_of_either_keeps_the_conversation_language(message):
    assert detect(message, previous="es") == "es"
    assert detect(message, previous="en") == "en"


@pytest.mark.parametrize(
    "message, expected",
    [
        ("english", "en"),
        ("Español", "es"),
        ("en español por favor", "es"),
        ("in english please", "en"),
        ("spanish", "es"),
    ],
)
def test_asking_for_a_language_by_name(message, expected):
    assert requested_language(message) == expected and detect(message, previous="xx") == expected
