"""Compose the bot's answers from the database, channel-neutral.

Every legal or medical statement here comes from a database record (a profile, a
guide or a resource) and carries its sources; the fixed words around them are
navigation ("Which state are you in?"), never facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot import intents
from bot.dataset.schema import TOPIC_RESOURCE_KINDS
from bot.intents import payload
from bot.jurisdictions import jurisdiction_name
from bot.queries import (
    ResourceInfo,
    Source,
    get_guide,
    get_profile,
    guides_for_topic,
    national_resources,
    state_resources,
)

EMERGENCY_GUIDE = "overdose-emergency-steps"

TOPIC_LABELS = {
    "good_samaritan": "911 Good Samaritan law",
    "naloxone": "naloxone (Narcan)",
    "test_strips": "fentanyl test strips",
    "treatment": "treatment (methadone, buprenorphine)",
}
# Where to go next, per topic: state programs first, then national ones.
# (After a Good Samaritan answer, where to get naloxone; after treatment, helplines too.)
NEXT_STEP_KINDS = {
    **TOPIC_RESOURCE_KINDS,
    "good_samaritan": TOPIC_RESOURCE_KINDS["naloxone"],
    "treatment": TOPIC_RESOURCE_KINDS["treatment"] + ("hotline",),
}
# The how-to guide each fine-grained intent asks for.
GUIDE_FOR_INTENT = {
    intents.ASK_NALOXONE_HOWTO: "give-nasal-naloxone",
    intents.ASK_NALOXONE_SIGNS: "recognize-overdose",
    intents.ASK_NALOXONE_RECOVERY_POSITION: "rescue-breathing-recovery-position",
    intents.ASK_TEST_STRIPS_HOWTO: "use-fentanyl-test-strip",
}
# "how do i use it" right after a topic's answer means that topic's how-to.
HOWTO_FOR_TOPIC = {
    "naloxone": "give-nasal-naloxone",
    "test_strips": "use-fentanyl-test-strip",
    "good_samaritan": EMERGENCY_GUIDE,
    "treatment": "start-treatment",
}
_HOWTO_QUESTION = re.compile(
    r"\bhow (do|to|can|should|would)( i| you| u| we)?( \w+)? (use|give|read|do|start|get on)\b", re.I
)


def contextual_guide(message: str, topic: str | None) -> str | None:
    """The guide a vague how-to ("how do i use it") asks for, given the topic just discussed."""
    if topic in HOWTO_FOR_TOPIC and _HOWTO_QUESTION.search(message):
        return HOWTO_FOR_TOPIC[topic]
    return None


# The follow-up button offered after each topic's answer.
FOLLOW_UP = {
    "naloxone": ("How to use naloxone", payload(intents.ASK_NALOXONE_HOWTO)),
    "test_strips": ("How to use a test strip", payload(intents.ASK_TEST_STRIPS_HOWTO)),
    "good_samaritan": ("Signs of an overdose", payload(intents.ASK_NALOXONE_SIGNS)),
    "treatment": ("Hotlines", payload(intents.ASK_HOTLINE)),
}
TOPIC_OPTIONS = (
    ("Calling 911 (Good Samaritan law)", payload(intents.ASK_GOOD_SAMARITAN)),
    ("Naloxone (Narcan)", payload(intents.ASK_NALOXONE)),
    ("Test strips", payload(intents.ASK_TEST_STRIPS)),
    ("Treatment", payload(intents.ASK_TREATMENT)),
    ("Hotlines", payload(intents.ASK_HOTLINE)),
)


@dataclass(frozen=True)
class Option:
    title: str
    payload: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None = None
    phone: str | None = None


@dataclass
class Answer:
    """What to say, before it is shaped for a channel.

    `paragraphs` is the full web text; `sms_paragraphs`, when given, is the short
    version for text messages (e.g. a profile's SMS summary) and replaces the
    paragraphs and bullets there. `urgent` answers are never held back behind "MORE".
    """

    paragraphs: list[str]
    steps: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    sms_paragraphs: list[str] | None = None
    urgent: bool = False
    language: str = "en"  # of the words around the facts (labels, "Source:", the disclaimer)


def _links(resources: list[ResourceInfo], limit: int) -> list[Link]:
    return _dedupe([Link(r.name, r.url, r.phone) for r in resources])[:limit]


def _next_step_links(session: Session, state: str | None, topic: str) -> list[Link]:
    kinds = NEXT_STEP_KINDS[topic]
    local = state_resources(session, state, kinds) if state else []
    return _dedupe(_links(local, 2) + _links(national_resources(session, kinds), 2))


def _sources_of(*records) -> list[Source]:
    seen, sources = set(), []
    for record in records:
        for source in record.sources:
            if source.url not in seen:
                seen.add(source.url)
                sources.append(source)
    return sources


def good_samaritan_coverage(fields: dict) -> list[str]:
    """What a Good Samaritan law covers and does not, said plainly from the structured fields."""
    bullets = []
    covered = {
        "protects_possession": "drug possession",
        "protects_paraphernalia": "having drug gear (paraphernalia)",
        "protects_underage_drinking": "underage drinking",
        "covers_probation_parole": "probation or parole violations",
        "covers_outstanding_warrants": "old warrants",
    }
    yes = [label for name, label in covered.items() if fields.get(name) is True]
    no = [label for name, label in covered.items() if fields.get(name) is False]
    unknown = [label for name, label in covered.items() if fields.get(name) is None]
    if yes:
        bullets.append("Covers: " + ", ".join(yes) + ".")
    if no:
        bullets.append("Does not cover: " + ", ".join(no) + ".")
    if unknown and fields.get("has_law"):
        bullets.append("Not known to us: " + ", ".join(unknown) + ".")
    if fields.get("drug_induced_homicide_law"):
        bullets.append(
            "This state can charge a person who shared or sold drugs in a deadly overdose. "
            "Good Samaritan protection does not cover that charge."
        )
    return bullets


def topic_answer(session: Session, state: str, topic: str, note: str | None = None) -> Answer:
    """The answer for a state and topic: the profile, what it covers, sources, and a next step."""
    profile = get_profile(session, state, topic)
    lead = [note] if note else []
    if profile is None:
        return no_data_answer(session, state, topic, lead)
    bullets = good_samaritan_coverage(profile.fields) if topic == "good_samaritan" else []
    follow_up = Option(*FOLLOW_UP[topic])
    options = [follow_up] + [
        Option(title, option_payload)
        for title, option_payload in TOPIC_OPTIONS
        if option_payload not in (payload(intents.FOR_TOPIC[topic]), follow_up.payload)
    ][:2]
    return Answer(
        paragraphs=lead + [about_state(state, profile.summary)],
        bullets=bullets,
        links=_next_step_links(session, state, topic),
        sources=list(profile.sources),
        options=options,
        sms_paragraphs=lead + [about_state(state, profile.sms_summary)],
    )


def no_data_answer(session: Session, state: str, topic: str, lead: list[str] | None = None) -> Answer:
    """Say honestly that we have no checked answer, and point to national help."""
    text = (
        f"I don't have checked information about {TOPIC_LABELS[topic]} in {jurisdiction_name(state)} yet. "
        "I don't want to guess. These can help:"
    )
    hotlines = national_resources(session, ("hotline",))
    links = _next_step_links(session, None, topic) + _links(hotlines, 2)
    return Answer(paragraphs=(lead or []) + [text], links=_dedupe(links), sources=[])


def _dedupe(links: list[Link]) -> list[Link]:
    """Drop links that repeat a name or an address already listed."""
    seen: set[str] = set()
    unique: list[Link] = []
    for link in links:
        keys = {link.title, link.url or link.title, link.phone or link.title}
        if not keys & seen:
            seen |= keys
            unique.append(link)
    return unique


def about_state(state: str, text: str, label: str | None = None) -> str:
    """Lead with the state's name ("Ohio: ...") unless the text already starts with it ("OH: ...")."""
    name = jurisdiction_name(state)
    for prefix in (f"{name}:", f"{state}:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    else:
        if label is None and text.startswith(name):
            return text
    return f"{label or name}: {text}"


def guide_answer(session: Session, key: str) -> Answer | None:
    guide = get_guide(session, key)
    if guide is None:
        return None
    return Answer(paragraphs=[f"{guide.title}. {guide.summary}"], steps=list(guide.steps), sources=list(guide.sources))


def hotline_answer(session: Session, state: str | None = None) -> Answer:
    """National hotlines (and the state's treatment helpline when we have one), from the database."""
    hotlines = national_resources(session, ("hotline",))
    if state:
        hotlines += state_resources(session, state, ("hotline",))
    header = "You can reach someone any time:"
    return Answer(
        paragraphs=[header],
        bullets=[f"{r.name}: {r.phone or r.url}. {r.description}" for r in hotlines],
        sources=_sources_of(*hotlines)[:2],
        sms_paragraphs=[header] + [f"{r.name}: {r.phone or r.url}" for r in hotlines],
    )


def state_question(topic: str | None) -> Answer:
    about = f" about {TOPIC_LABELS[topic]}" if topic in TOPIC_LABELS else ""
    return Answer(paragraphs=[f"Which state are you in? I can answer{about} for your state. A ZIP code works too."])


def fallback_answer(session: Session, repeated: bool) -> Answer:
    """Low confidence: say what the bot can do; the second time in a row, also give hotlines."""
    answer = Answer(
        paragraphs=["Sorry, I didn't get that. I can help with:"],
        options=[Option(title, option_payload) for title, option_payload in TOPIC_OPTIONS],
    )
    if repeated:
        hotlines = hotline_answer(session)
        answer.paragraphs.append("If you want to talk to a person:")
        answer.bullets = hotlines.bullets
        answer.sms_paragraphs = answer.paragraphs[:1] + (hotlines.sms_paragraphs or [])[1:]
        answer.sources = hotlines.sources
    return answer


def capabilities_answer(greeting: bool = False) -> Answer:
    return Answer(
        paragraphs=[
            ("Hi. " if greeting else "")
            + "I answer questions about overdose and drug use laws and services in your state: "
            "calling 911 for an overdose, naloxone (Narcan), fentanyl test strips, and treatment. "
            "What do you want to know?"
        ],
        options=[Option(title, option_payload) for title, option_payload in TOPIC_OPTIONS],
    )


def general_answer(session: Session, topic: str) -> Answer:
    """No state given: the national facts for the topic and national places to go."""
    facts = [guide for guide in guides_for_topic(session, topic, "fact")]
    paragraphs = ["I couldn't tell which state you are in, so here is what applies everywhere."]
    paragraphs += [fact.summary for fact in facts[:2]]
    paragraphs.append("Tell me your state any time for the rules where you live.")
    return Answer(
        paragraphs=paragraphs,
        links=_dedupe(_next_step_links(session, None, topic)),
        sources=_sources_of(*facts[:2]),
    )


def place_answer(state: str, note: str | None = None) -> Answer:
    """A place with no question yet: confirm it and offer the topics."""
    lead = [note] if note else []
    return Answer(
        paragraphs=lead + [f"Got it: {jurisdiction_name(state)}. What do you want to know?"],
        options=[Option(title, option_payload) for title, option_payload in TOPIC_OPTIONS],
    )
