"""Facet openers on the real data: every template fills in, in every language and state, and a
translated answer quotes no English text field."""

from __future__ import annotations

import pytest

from bot import texts
from bot.answers import facet_answer
from bot.dataset.schema import TOPIC_FIELDS
from bot.db.engine import new_session
from bot.facets import facets, first_sentence, placeholders
from bot.jurisdictions import JURISDICTIONS
from bot.queries import get_profile

OTHER_LANGUAGES = [code for code in texts.languages() if code != texts.DEFAULT_LANGUAGE]


@pytest.mark.parametrize("facet", facets(), ids=lambda facet: facet.key)
def test_templates_name_only_the_state_the_value_or_a_field_of_the_topic(facet):
    allowed = {"state", "value"} | {spec.name for spec in TOPIC_FIELDS[facet.topic]}
    for language, answers in facet.answers.items():
        for key, template in answers.items():
            assert placeholders(template) <= allowed, (language, key, template)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translated_facet_answers_quote_no_english_text_field(real_db_url, language):
    """For every facet and state: the answer starts with the opener in `language`, and no first
    sentence of an English text field (e.g. where to get free naloxone) appears in it."""
    checked = 0
    with new_session(real_db_url) as session:
        for facet in facets():
            if facet.field is None:
                continue
            for state in JURISDICTIONS:
                profile = get_profile(session, state, facet.topic)
                if profile is None:
                    continue
                text = "\n".join(facet_answer(session, state, facet, language).paragraphs)
                english = [
                    first_sentence(value)
                    for value in profile.fields.values()
                    if isinstance(value, str) and len(value.split()) > 3
                ]
                assert not [sentence for sentence in english if sentence in text], (facet.key, state)
                checked += 1
    assert checked > 51 * 10
