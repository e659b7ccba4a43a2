"""Which answer a question gets: one facet, a topic, several states or topics, all states, a comparison.

The action hands over what the conversation knows (the question's words, the state and topic
so far); this module decides, so the rules live in plain Python with tests of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot import facets, intents, locator, texts
from bot.answers import (
    Answer,
    comparison_answer,
    facet_answer,
    general_answer,
    place_answer,
    several_states_answer,
    several_topics_answer,
    state_question,
    states_list_answer,
    topic_answer,
    unanswerable_answer,
)
from bot.jurisdictions import jurisdiction_name
from bot.location import find_locations, place_of_the_call, several_places_asked


@dataclass
class Question:
    latest: str  # what the person just sent
    asked: str  # the question being answered: `latest`, or the earlier question a state reply completes
    intent: str | None
    state: str | None  # the conversation's state (from the slot)
    topic: str | None  # the conversation's topic (from the slot)
    language: str = texts.DEFAULT_LANGUAGE
    earlier_places: list[str] = field(default_factory=list)  # states compared earlier
    zip: str | None = None  # a ZIP code given earlier in the conversation (the slot), for "near me"


@dataclass
class Reply:
    answer: Answer
    topic: str | None  # the topic the conversation is now on
    places: list[str] = field(default_factory=list)  # states answered side by side, for "which is better"


def topic_of(question: Question) -> str | None:
    """Topic words in the question win, then the conversation's topic, then the classifier's."""
    named = facets.topics_named(question.asked)
    if named:
        return named[0]
    return question.topic or intents.TOPIC_OF.get(question.intent or "")


def answer(session: Session, question: Question, note: str | None = None) -> Reply:
    """The reply to a question, and what the conversation should remember of it."""
    language = question.language
    named = facets.topics_named(question.asked)
    facet = facets.detect(question.asked, topic_of(question))  # on the topic at hand if one fits
    if facet is not None and named and facet.topic not in named:
        facet = None  # "how do i get methadone" is about treatment, whatever "get" means elsewhere
    topic = facet.topic if facet is not None else topic_of(question)
    facet = facet or facets.default_facet(topic)
    state = question.state
    call_note = _call_place_note(question.latest, state, language)
    lead = " ".join(part for part in (note, call_note) if part) or None

    if facets.asks_what_no_field_answers(question.latest):
        return Reply(unanswerable_answer(session, state, language, topic), topic)
    if question.intent == intents.ASK_MORE and state and topic:
        return Reply(topic_answer(session, state, topic, lead, language, full=True), topic)
    places = [p.state for p in several_places_asked(question.latest)] or (
        question.earlier_places if question.intent == intents.COMPARE_STATES and facet else []
    )
    if question.intent == intents.COMPARE_STATES or facets.asks_across_states(question.latest):
        topic = topic or "good_samaritan"
        if len(places) >= 2 and facet is not None:
            return Reply(several_states_answer(session, places, topic, facet, language), topic, places)
        if len(places) >= 2:
            return Reply(comparison_answer(session, places, topic, language), topic, places)
        if (
            facet is not None
            and facet.field is not None
            and (state is None or facets.asks_across_states(question.latest))
        ):
            # "which states have legal strips"; not one state's question the classifier took for a comparison
            return Reply(states_list_answer(session, facet, language), topic)
    if len(places) >= 2 and topic:
        return Reply(several_states_answer(session, places, topic, facet, language), topic, places)
    if state and len(named) >= 2:
        return Reply(several_topics_answer(session, state, named, question.asked, lead, language), named[-1])
    if topic in locator.SUPPLY_TOPICS and locator.asks_nearby(question.asked):
        origin = _origin(question, remembered=True)
        if origin is not None:
            return Reply(locator.supplies_answer(session, origin, topic, language), topic)
    if topic == "treatment" and facet is None:
        # A ZIP code or a city beats the state: the nearest programs (bot/locator.py).
        origin = _origin(question, remembered=locator.asks_nearby(question.asked))
        services = locator.services_asked(f"{question.asked} {question.latest}")
        if origin is not None:
            return Reply(locator.nearest_answer(session, origin, services, language), topic)
        if state and locator.asks_nearby(question.asked):
            ask = texts.text("locator.ask_place", language, services=locator.service_names(services, language))
            lead = " ".join(part for part in (lead, ask) if part)
    if topic is None:
        return Reply(place_answer(state, lead, language) if state else state_question(None, language), None)
    if state is None:
        return Reply(general_answer(session, topic, language), topic)
    if facet is not None:
        return Reply(facet_answer(session, state, facet, language, lead), topic)
    return Reply(topic_answer(session, state, topic, lead, language, full=False), topic)


def _origin(question: Question, remembered: bool) -> locator.Origin | None:
    """Where to measure from: a place in this message or the question it completes; with
    `remembered` ("near me"), else a ZIP code given earlier in the conversation."""
    found = locator.origin_of(question.latest) or locator.origin_of(question.asked)
    if found is None and remembered and question.zip:
        found = locator.origin_of(question.zip)
    return found


def _call_place_note(message: str, state: str | None, language: str) -> str | None:
    """When several places describe the person's situation, say which law applies and why."""
    if len(find_locations(message)) < 2 or several_places_asked(message):
        return None
    place = place_of_the_call(message)
    if place is None or place.state != state:
        return None
    return texts.text("answer.call_place", language, state=jurisdiction_name(place.state))
