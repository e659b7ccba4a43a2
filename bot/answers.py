"""Compose the bot's answers from the database, channel-neutral.

Every legal or medical statement here comes from a database record (a profile, a
guide or a resource) and carries its sources; the fixed words around them are
navigation ("Which state are you in?"), never facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot import config, intents, texts
from bot.dataset.schema import GUIDE_TOPICS, PRIMARY_SOURCE_KINDS, TOPIC_RESOURCE_KINDS
from bot.facets import Facet, facets, unanswerable_text, value_key
from bot.facets import detect as detect_facet
from bot.intents import payload
from bot.jurisdictions import JURISDICTIONS, jurisdiction_name
from bot.location import find_location, is_only_location
from bot.queries import (
    ProfileInfo,
    ResourceInfo,
    Source,
    get_guide,
    get_profile,
    guides_for_topic,
    national_resources,
    state_resources,
)

EMERGENCY_GUIDE = "overdose-emergency-steps"

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
    "drug_checking": "use-xylazine-test-strip",
    "syringe_services": "wound-care-basics",
}
_HOWTO_QUESTION = re.compile(
    r"\bhow (do|to|can|should|would)( i| you| u| we)?( \w+)? (use|give|read|do|start|get on)\b", re.I
)


def contextual_guide(message: str, topic: str | None) -> str | None:
    """The guide a vague how-to ("how do i use it") asks for, given the topic just discussed."""
    if topic in HOWTO_FOR_TOPIC and _HOWTO_QUESTION.search(message):
        return HOWTO_FOR_TOPIC[topic]
    return None


# The follow-up button offered after each topic's answer (label key in data/texts, intent).
FOLLOW_UP = {
    "naloxone": ("option.naloxone_howto", intents.ASK_NALOXONE_HOWTO),
    "test_strips": ("option.test_strips_howto", intents.ASK_TEST_STRIPS_HOWTO),
    "good_samaritan": ("option.overdose_signs", intents.ASK_NALOXONE_SIGNS),
    "treatment": ("option.hotline", intents.ASK_HOTLINE),
    "syringe_services": ("option.naloxone", intents.ASK_NALOXONE),
    "overdose_prevention_centers": ("option.naloxone", intents.ASK_NALOXONE),
    "drug_checking": ("option.test_strips_howto", intents.ASK_TEST_STRIPS_HOWTO),
}
# The menu: each topic, then the hotlines.
MENU = tuple((f"option.{topic}", intent) for intent, topic in intents.TOPIC_OF.items()) + (
    ("option.hotline", intents.ASK_HOTLINE),
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
    languages: tuple[str, ...] = ()  # languages the service answers in; empty when not known


# What became of a question, for the private counters (bot.usage).
ANSWERED, UNKNOWN, FALLBACK = "answered", "unknown", "fallback"
UNANSWERABLE = "unanswerable"  # the facet of a question no field holds
RECORD_SECTIONS = ("profiles", "resources", "guides")
# What an answer can be about besides a guide's topic: the hotlines, and the lines with a person.
HOTLINES_TOPIC, PERSON_TOPIC = "hotline", "person"
LINE_TOPICS = (HOTLINES_TOPIC, PERSON_TOPIC)


@dataclass(frozen=True)
class About:
    """What an answer was about, never who asked: for the usage counters and for a "wrong info"
    report, which links to `record` ("profiles/OH/good_samaritan"), the admin record it came from."""

    outcome: str  # ANSWERED, UNKNOWN or FALLBACK
    topic: str = ""
    facet: str = ""
    state: str = ""
    record: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "outcome": self.outcome,
            "topic": self.topic,
            "facet": self.facet,
            "state": self.state,
            "record": self.record,
        }

    @classmethod
    def from_dict(cls, data: object) -> About | None:
        """An About sent back by a client (the widget, a stored SMS answer), or None when any part is not one we make."""
        if not isinstance(data, dict):
            return None
        parts = {name: data.get(name) or "" for name in ("outcome", "topic", "facet", "state", "record")}
        if not all(isinstance(value, str) for value in parts.values()):
            return None
        section, _, key = parts["record"].partition("/")
        valid = (
            parts["outcome"] in (ANSWERED, UNKNOWN, FALLBACK)
            and (not parts["topic"] or parts["topic"] in GUIDE_TOPICS + LINE_TOPICS)
            and (not parts["facet"] or parts["facet"] in {facet.key for facet in facets()} | {UNANSWERABLE})
            and (not parts["state"] or parts["state"] in JURISDICTIONS)
            and (not parts["record"] or (section in RECORD_SECTIONS and 0 < len(key) <= 160))
        )
        return cls(**parts) if valid else None


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
    about: About | None = None  # what it answered, when it answered a question


def facets_for_topic(topic: str) -> list[Facet]:
    """The topic's questions that a field answers, in the order of data/facets.yaml."""
    return [candidate for candidate in facets() if candidate.topic == topic and candidate.field]


def links_to(resources: list[ResourceInfo], limit: int) -> list[Link]:
    """Links to resources, each service once."""
    return _dedupe([Link(r.name, r.url, r.phone, r.languages) for r in resources])[:limit]


def _next_step_links(session: Session, state: str | None, topic: str) -> list[Link]:
    kinds = NEXT_STEP_KINDS[topic]
    local = state_resources(session, state, kinds) if state else []
    return _dedupe(links_to(local, 2) + links_to(national_resources(session, kinds), 2))


def _sources_of(*records) -> list[Source]:
    seen, sources = set(), []
    for record in records:
        for source in record.sources:
            if source.url not in seen:
                seen.add(source.url)
                sources.append(source)
    return sources


def _menu(language: str, leave_out: tuple[str, ...] = ()) -> list[Option]:
    return [Option(texts.text(key, language), payload(intent)) for key, intent in MENU if intent not in leave_out]


# The Good Samaritan fields said as "Covers: ..." / "Does not cover: ...".
COVERAGE_FIELDS = (
    "protects_possession",
    "protects_paraphernalia",
    "protects_underage_drinking",
    "covers_probation_parole",
    "covers_outstanding_warrants",
)


def good_samaritan_coverage(fields: dict, language: str = texts.DEFAULT_LANGUAGE) -> list[str]:
    """What a Good Samaritan law covers and does not, said plainly from the structured fields."""
    label = {name: texts.text(f"coverage.{name}", language) for name in COVERAGE_FIELDS}
    yes = [label[name] for name in COVERAGE_FIELDS if fields.get(name) is True]
    no = [label[name] for name in COVERAGE_FIELDS if fields.get(name) is False]
    unknown = [label[name] for name in COVERAGE_FIELDS if fields.get(name) is None]
    bullets = []
    if yes:
        bullets.append(texts.text("coverage.covers", language, items=", ".join(yes)))
    if no:
        bullets.append(texts.text("coverage.not_covered", language, items=", ".join(no)))
    if unknown and fields.get("has_law"):
        bullets.append(texts.text("coverage.unknown", language, items=", ".join(unknown)))
    if fields.get("drug_induced_homicide_law"):
        bullets.append(texts.text("coverage.supplier", language))
    return bullets


def _topic_options(topic: str, language: str, more: bool) -> list[Option]:
    """After an answer: "More" (the full answer) when there is more, the topic's follow-up, another topic."""
    key, intent = FOLLOW_UP[topic]
    options = [Option(texts.text("option.more", language), payload(intents.ASK_MORE))] if more else []
    options.append(Option(texts.text(key, language), payload(intent)))
    others = _menu(language, leave_out=(intents.FOR_TOPIC[topic], intent))
    return options + others[: 3 - len(options)]


def topic_answer(
    session: Session,
    state: str,
    topic: str,
    note: str | None = None,
    language: str = texts.DEFAULT_LANGUAGE,
    full: bool = True,
) -> Answer:
    """A state's answer for a topic: short by default (one phone screen, "More" for the rest),
    the full sheet (summary, what it covers, sources, next steps) with `full`."""
    profile = get_profile(session, state, topic)
    lead = [note] if note else []
    if profile is None:
        return no_data_answer(session, state, topic, lead, language)
    profile = profile.localized(language)
    short = about_state(state, profile.sms_summary)
    about = About(ANSWERED, topic, "", state, f"profiles/{state}/{topic}")
    if not full:
        return Answer(
            paragraphs=lead + [short],
            links=_next_step_links(session, state, topic)[:1],
            sources=list(profile.sources[:3]),
            options=_topic_options(topic, language, more=True),
            sms_paragraphs=lead + [short],
            language=language,
            about=about,
        )
    bullets = good_samaritan_coverage(profile.fields, language) if topic == "good_samaritan" else []
    return Answer(
        paragraphs=lead + [about_state(state, profile.summary)],
        bullets=bullets,
        links=_next_step_links(session, state, topic),
        sources=list(profile.sources),
        options=_topic_options(topic, language, more=False),
        sms_paragraphs=lead + [short] + bullets,
        language=language,
        about=about,
    )


def no_data_answer(
    session: Session,
    state: str,
    topic: str,
    lead: list[str] | None = None,
    language: str = texts.DEFAULT_LANGUAGE,
    facet: str = "",
) -> Answer:
    """Say honestly that we have no checked answer, and point to national help."""
    text = texts.text(
        "answer.no_data", language, topic=texts.text(f"topic.{topic}", language), state=jurisdiction_name(state)
    )
    hotlines = national_resources(session, ("hotline",))
    links = _next_step_links(session, None, topic) + links_to(hotlines, 2)
    return Answer(
        paragraphs=(lead or []) + [text],
        links=_dedupe(links),
        sources=[],
        language=language,
        about=About(UNKNOWN, topic, facet, state),
    )


def _field_source(profile: ProfileInfo, field_name: str | None) -> list[Source]:
    """The citation that backs the field (the statute or an official page first), else the profile's first."""
    backing = [source for source in profile.sources if field_name and field_name in source.supports]
    backing.sort(key=lambda source: source.kind not in PRIMARY_SOURCE_KINDS)
    return backing[:1] or list(profile.sources[:1])


# Where to ask when the data has no answer and the state has no helpline of its own.
WHERE_TO_ASK = "national-samhsa-helpline"


def _where_to_ask(session: Session, state: str | None) -> list[Link]:
    """Where to ask when we don't know: the state's own helpline, else SAMHSA's national one."""
    local = state_resources(session, state, ("hotline",)) if state else []
    national = [r for r in national_resources(session, ("hotline",)) if r.key == WHERE_TO_ASK]
    return links_to(local, 1) or links_to(national, 1)


def facet_answer(
    session: Session, state: str, facet: Facet, language: str = texts.DEFAULT_LANGUAGE, note: str | None = None
) -> Answer:
    """One part of a topic ("does it cover parole?"): Yes / No / Partly / We don't know first,
    from the structured field; then what else it covers; the field's source; one next step."""
    name = jurisdiction_name(state)
    lead = [note] if note else []
    if facet.guide is not None:
        guide = get_guide(session, facet.guide)
        if guide is None:
            return no_data_answer(session, state, facet.topic, lead, language, facet.key)
        opener = facet.opener(None, name, language)
        return Answer(
            paragraphs=[opener] + lead,
            links=_next_step_links(session, state, facet.topic)[:1],
            sources=list(guide.sources[:1]),
            options=_topic_options(facet.topic, language, more=True),
            language=language,
            about=About(ANSWERED, facet.topic, facet.key, state, f"guides/{facet.guide}"),
        )
    profile = get_profile(session, state, facet.topic)
    if profile is None:
        return no_data_answer(session, state, facet.topic, lead, language, facet.key)
    value = profile.fields.get(facet.field or "")
    opener = _opener(facet, profile, state, language)
    also = []
    if facet.topic == "good_samaritan" and value is not None:
        also = [
            line
            for line in good_samaritan_coverage(profile.fields, language)
            if line.startswith(texts.text("coverage.covers", language, items="").rstrip(". "))
        ][:1]
    links = _where_to_ask(session, state) if value is None else _next_step_links(session, state, facet.topic)[:1]
    return Answer(
        paragraphs=[opener] + lead + also,
        links=links,
        sources=_field_source(profile, facet.field),
        options=_topic_options(facet.topic, language, more=True),
        language=language,
        about=About(
            UNKNOWN if value is None else ANSWERED, facet.topic, facet.key, state, f"profiles/{state}/{facet.topic}"
        ),
    )


def _opener(facet: Facet, profile: ProfileInfo, state: str, language: str) -> str:
    """The facet's first sentence for a state; in a translated language, any quoted text field
    (English) gives way to the profile's own short summary in that language."""
    translated = profile.translations.get(language) if language != texts.DEFAULT_LANGUAGE else None
    return facet.opener(
        profile.fields.get(facet.field or ""),
        jurisdiction_name(state),
        language,
        profile.fields,
        translated["sms_summary"] if translated else None,
    )


def opener_word(facet: Facet, fields: dict) -> str:
    """Yes / No / Partly / We don't know, as a word key, for one state's field."""
    value = fields.get(facet.field or "")
    key = value_key(value)
    if key == "null":
        return "unknown"
    if key in facet.positive:
        return "yes"
    return (
        "partly"
        if key in ("charge", "prosecution", "affirmative_defense", "mitigating_factor", "not_addressed")
        else "no"
    )


def several_states_answer(
    session: Session, states: list[str], topic: str, facet: Facet | None, language: str = texts.DEFAULT_LANGUAGE
) -> Answer:
    """The same question for several states, one short line each ("what about KY and WV")."""
    lines, sources = [], []
    for state in states:
        profile = get_profile(session, state, topic)
        if profile is None:
            continue
        profile = profile.localized(language)
        if facet is not None and facet.field is not None:
            text = _opener(facet, profile, state, language)
            sources += _field_source(profile, facet.field)
        else:
            text = about_state(state, profile.sms_summary)
            sources += list(profile.sources[:1])
        lines.append(text)
    return Answer(
        paragraphs=lines,
        sources=_unique(sources)[:3],
        options=_topic_options(topic, language, more=False),
        sms_paragraphs=lines,
        language=language,
        about=About(ANSWERED, topic, facet.key if facet else ""),
    )


def several_topics_answer(
    session: Session,
    state: str,
    topics: list[str],
    question: str,
    note: str | None = None,
    language: str = texts.DEFAULT_LANGUAGE,
) -> Answer:
    """Several topics for one state ("where can i get narcan and test strips in ohio"): for each, the
    answer to the question on that topic (a facet when one fits, else the short answer)."""
    answers = []
    for topic in topics:
        facet = detect_facet(question, topic)
        if facet is not None and facet.topic == topic:
            answers.append(facet_answer(session, state, facet, language))
        else:
            answers.append(topic_answer(session, state, topic, None, language, full=False))
    paragraphs = ([note] if note else []) + [paragraph for answer in answers for paragraph in answer.paragraphs]
    links = _dedupe([link for answer in answers for link in answer.links])
    sources = _unique([source for answer in answers for source in answer.sources[:1]])
    return Answer(
        paragraphs=paragraphs,
        links=links,
        sources=sources,
        options=_menu(language)[:3],
        sms_paragraphs=paragraphs,
        language=language,
        about=About(ANSWERED, state=state),
    )


def states_list_answer(session: Session, facet: Facet, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """Across all 51 jurisdictions ("which states have legal test strips"): counts and names."""
    groups: dict[str, list[str]] = {"yes": [], "partly": [], "no": [], "unknown": []}
    for state in sorted(JURISDICTIONS):
        profile = get_profile(session, state, facet.topic) if facet.field else None
        if profile is not None:
            groups[opener_word(facet, profile.fields)].append(state)
    lines = [texts.text("answer.states_intro", language, label=facet.label(language))]
    for word in ("yes", "partly", "no", "unknown"):
        if groups[word]:
            lines.append(
                texts.text(
                    f"answer.states_{word if word != 'unknown' else 'unknown'}",
                    language,
                    count=str(len(groups[word])),
                    states=", ".join(groups[word]),
                )
            )
    return Answer(
        paragraphs=lines,
        options=_topic_options(facet.topic, language, more=False),
        language=language,
        about=About(ANSWERED, facet.topic, facet.key),
    )


def comparison_answer(
    session: Session, states: list[str], topic: str, language: str = texts.DEFAULT_LANGUAGE
) -> Answer:
    """Several states side by side on every question of a topic ("compare ohio and michigan")."""
    profiles = {state: get_profile(session, state, topic) for state in states}
    lines = [texts.text("answer.compare_intro", language, topic=texts.text(f"topic.{topic}", language).capitalize())]
    for candidate in facets_for_topic(topic):
        answers = ", ".join(
            f"{state} {texts.text('words.' + opener_word(candidate, profile.fields), language)}"
            for state, profile in profiles.items()
            if profile is not None
        )
        lines.append(texts.text("answer.compare_line", language, label=candidate.label(language), answers=answers))
    sources = _unique([source for profile in profiles.values() if profile for source in profile.sources[:1]])
    return Answer(
        paragraphs=lines[:1],
        bullets=lines[1:],
        sources=sources,
        sms_paragraphs=lines,
        options=_topic_options(topic, language, more=False),
        language=language,
        about=About(ANSWERED, topic),
    )


def unanswerable_answer(
    session: Session, state: str | None, language: str = texts.DEFAULT_LANGUAGE, topic: str | None = None
) -> Answer:
    """A question no field holds (immigration, ID, hours, prices): say so, and where to ask."""
    return Answer(
        paragraphs=[unanswerable_text(language), texts.text("answer.where_to_ask", language)],
        links=_where_to_ask(session, state),
        language=language,
        about=About(UNKNOWN, topic or "", UNANSWERABLE, state or ""),
    )


def _unique(sources: list[Source]) -> list[Source]:
    seen: set[str] = set()
    unique = []
    for source in sources:
        if source.url not in seen:
            seen.add(source.url)
            unique.append(source)
    return unique


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


_LEAD = re.compile(r"([^:!?\n]{2,40}):\s*")


def about_state(state: str, text: str, label: str | None = None) -> str:
    """Lead with the state's name ("Ohio: ...") unless the text already starts with it, in any
    language ("Ohio: ...", "Míchigan: ..."; a bare code becomes the name); a `label` leads instead."""
    name = jurisdiction_name(state)
    lead = _LEAD.match(text)
    place = find_location(lead.group(1)) if lead and is_only_location(lead.group(1)) else None
    if lead and place is not None and place.state == state:
        if label is None and lead.group(1) != state:
            return text
        text = text[lead.end() :]
    elif label is None and text.startswith(name):
        return text
    return f"{label or name}: {text}"


def guide_answer(session: Session, key: str, language: str = texts.DEFAULT_LANGUAGE) -> Answer | None:
    guide = get_guide(session, key)
    if guide is None:
        return None
    guide = guide.localized(language)
    return Answer(
        paragraphs=[f"{guide.title}. {guide.summary}"],
        steps=list(guide.steps),
        sources=list(guide.sources),
        language=language,
        about=About(ANSWERED, guide.topic, record=f"guides/{key}"),
    )


# A phone line to list: name, number (or web address), and what it is.
PhoneLine = tuple[str, str | None, str | None]


def _phone_lines(resources: list[ResourceInfo]) -> list[PhoneLine]:
    return [(r.name, r.phone or r.url, r.description) for r in resources]


def _lines_answer(lead: str, lines: list[PhoneLine], language: str) -> Answer:
    """`lead`, then each line: in full on the web ("Name: number. What it is."), name and number by SMS."""
    return Answer(
        paragraphs=[lead],
        bullets=[f"{name}: {contact}. {detail}" if detail else f"{name}: {contact}" for name, contact, detail in lines],
        sms_paragraphs=[lead] + [f"{name}: {contact}" for name, contact, _ in lines],
        language=language,
    )


def hotline_answer(session: Session, state: str | None = None, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """National hotlines (and the state's treatment helpline when we have one), from the database."""
    hotlines = national_resources(session, ("hotline",))
    if state:
        hotlines += state_resources(session, state, ("hotline",))
    answer = _lines_answer(texts.text("answer.hotlines", language), _phone_lines(hotlines), language)
    answer.sources = _sources_of(*hotlines)[:2]
    answer.about = About(ANSWERED, HOTLINES_TOPIC, state=state or "")
    return answer


# The national lines for someone who wants a person rather than the bot: help finding treatment and
# support, a counselor now (someone who asks for "someone to talk to" may be in crisis), and someone
# on the phone while using. (Poison Control, for a poisoning, is in the hotline answer, offered with it.)
PERSON_LINES = ("national-samhsa-helpline", "national-988-lifeline", "national-never-use-alone")


def person_answer(session: Session, state: str | None, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """Say plainly that this is an automated assistant, then lines where people answer: the
    organization's own (when configured), PERSON_LINES, and the state's helpline when we know the state."""
    national = {r.key: r for r in national_resources(session, ("hotline",))}
    lines = [national[key] for key in PERSON_LINES if key in national]
    if state:
        lines += state_resources(session, state, ("hotline",))
    phone, hours = config.org_phone(), config.org_hours()
    own: list[PhoneLine] = []
    if phone:
        own.append((config.org_name(), phone, texts.text("answer.org_hours", language, hours=hours) if hours else None))
    answer = _lines_answer(texts.text("answer.automated", language), own + _phone_lines(lines), language)
    answer.sources = _unique([r.sources[0] for r in lines if r.sources])
    answer.options = [Option(texts.text("option.hotline", language), payload(intents.ASK_HOTLINE))]
    answer.about = About(ANSWERED, PERSON_TOPIC, state=state or "")
    return answer


def state_question(topic: str | None, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    about = (
        texts.text("answer.state_question_about", language, topic=texts.text(f"topic.{topic}", language))
        if topic in intents.FOR_TOPIC
        else ""
    )
    return Answer(paragraphs=[texts.text("answer.state_question", language, about=about)], language=language)


def fallback_answer(session: Session, repeated: bool, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """Low confidence: say what the bot can do; the second time in a row, also give hotlines."""
    answer = Answer(
        paragraphs=[texts.text("answer.sorry", language)],
        options=_menu(language),
        language=language,
        about=About(FALLBACK),
    )
    if repeated:
        hotlines = hotline_answer(session, language=language)
        answer.paragraphs.append(texts.text("answer.talk_to_person", language))
        answer.bullets = hotlines.bullets
        answer.sms_paragraphs = answer.paragraphs[:1] + (hotlines.sms_paragraphs or [])[1:]
        answer.sources = hotlines.sources
    return answer


def capabilities_answer(greeting: bool = False, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    hello = texts.text("answer.hello", language) if greeting else ""
    return Answer(
        paragraphs=[hello + texts.text("answer.capabilities", language)], options=_menu(language), language=language
    )


def general_answer(session: Session, topic: str, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """No state given: the national facts for the topic and national places to go."""
    facts = [guide.localized(language) for guide in guides_for_topic(session, topic, "fact")]
    paragraphs = [texts.text("answer.everywhere", language)]
    paragraphs += [fact.summary for fact in facts[:2]]
    paragraphs.append(texts.text("answer.tell_state", language))
    return Answer(
        paragraphs=paragraphs,
        links=_dedupe(_next_step_links(session, None, topic)),
        sources=_sources_of(*facts[:2]),
        language=language,
        about=About(ANSWERED, topic),
    )


def place_answer(state: str, note: str | None = None, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """A place with no question yet: confirm it and offer the topics."""
    lead = [note] if note else []
    return Answer(
        paragraphs=lead + [texts.text("answer.got_it", language, state=jurisdiction_name(state))],
        options=_menu(language),
        language=language,
    )
