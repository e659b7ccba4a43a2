"""The emergency conversation: "Call 911" and the steps first, then short answers that stay with the person.

After a message that may describe an overdose in progress, the next messages are read
as part of that emergency for `HRBOT_EMERGENCY_MINUTES` (default 15), until the person
changes the subject. Each gets a short answer from the cited guides: no naloxone, after
naloxone ("he's breathing now, do I still call 911?"), rescue breaths, the recovery
position, the police ("will I get arrested": the state's Good Samaritan law, after the
steps), a state named (that law, never a topic sheet), or the steps again.

Plain Python: the Rasa policy and action call these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

import yaml
from sqlalchemy.orm import Session

from bot import intents, texts
from bot.answers import EMERGENCY_GUIDE, Answer, about_state, good_samaritan_coverage
from bot.config import DEFAULT_DATA_DIR
from bot.emergency import looks_like_emergency, normalize
from bot.jurisdictions import jurisdiction_name
from bot.queries import GuideInfo, Source, get_guide, get_profile

# Message metadata a channel sets when it has already sent "Call 911 now." and the steps.
STEPS_SENT_KEY = "hrbot_emergency_steps_sent"
# Intents that leave the emergency: the person asks about something else, or says goodbye.
# ("help" or "what can you do" during an emergency is a cry for help: it stays.)
SUBJECT_CHANGES = frozenset(
    {
        intents.ASK_TEST_STRIPS,
        intents.ASK_TEST_STRIPS_HOWTO,
        intents.ASK_TREATMENT,
        intents.ASK_HOTLINE,
        intents.GOODBYE,
        intents.THANKS,
    }
)


class FollowUp(Enum):
    """What a message during an emergency asks for, and the guide that answers it."""

    NEW_EMERGENCY = None
    NO_NALOXONE = "no-naloxone"
    AFTER_NALOXONE = "after-naloxone"
    GIVE_NALOXONE = "give-nasal-naloxone"
    RESCUE_BREATHS = "rescue-breathing-recovery-position"
    SIGNS = "recognize-overdose"
    POLICE = "police"
    STATE_GIVEN = "state"
    WHAT_NOW = EMERGENCY_GUIDE


_NALOXONE = r"(narcan|naloxone|naloxona|narcan nasal spray)"
# Checked in this order: the first that matches decides.
_FOLLOW_UPS = (
    (
        FollowUp.NO_NALOXONE,
        re.compile(
            rf"\b(no|dont|don'?t|do not|dont have|don'?t have|havent got|haven'?t got|out of|without|ran out of|no hay|no tengo|no tenemos|sin)"
            rf" (any |got |have |have any |la |el )?{_NALOXONE}|\b(where|how) (can i|do i|to|do we|can we) (get|find|buy) (some )?{_NALOXONE}"
            rf"|\bdonde (consigo|hay|compro) {_NALOXONE}",
            re.I,
        ),
    ),
    (
        FollowUp.AFTER_NALOXONE,
        re.compile(
            r"\b(breathing|awake|up|talking|responding|conscious|moving|back) (now|again)\b|\b(woke|came) (up|to|around|back)\b"
            r"|\b(do|should) (i|we) (still )?(need|have|got) to call\b|\bstill (need to |have to |call )|\bdo i still call\b"
            r"|\b(mad|angry|pissed|upset|throwing up|vomiting|puking|sick|withdrawal|dopesick|shaking|sweating)\b|\bhow long\b"
            r"|\bwatch (him|her|them)\b|\bnod(ding)? off\b|\bya (respira|desperto|reacciona)\b|(?<!no )\b(desperto|esta despiert[oa])\b"
            r"|\bcuanto tiempo\b|\benojad[oa]\b|\bvomit",
            re.I,
        ),
    ),
    (
        FollowUp.RESCUE_BREATHS,
        re.compile(
            r"\brescue breath|\bbreathe for (him|her|them)\b|\bmouth to mouth\b|\bcpr\b|\bchest compressions?\b|\brecovery position\b"
            r"|\bon (his|her|their|the) side\b|\brespiracion (de rescate|boca a boca)\b|\bboca a boca\b|\brcp\b"
            r"|\bposicion de recuperacion\b|\bde (lado|costado)\b",
            re.I,
        ),
    ),
    (
        FollowUp.GIVE_NALOXONE,
        re.compile(
            rf"\bhow (do i|to|do you|should i) (use|give|spray) (the |a |it|{_NALOXONE})|\bcomo (uso|usar|doy|dar) (la )?{_NALOXONE}",
            re.I,
        ),
    ),
    (
        FollowUp.POLICE,
        re.compile(
            r"\b(cops?|police|policia|arrest\w*|jail|prison|charged|charges|warrants?|parole|probation|in trouble|legal|carcel"
            r"|orden de arresto|libertad condicional|good samaritan|buen samaritano)\b|\b(scared|afraid) to call\b|\bmiedo\b",
            re.I,
        ),
    ),
    (
        FollowUp.WHAT_NOW,
        re.compile(
            r"^\W*(what do i do|what do we do|what now|now what|what should i do|what|help|help me|please|que hago|que hacemos|y ahora|ayuda|ayudame)\W*$",
            re.I,
        ),
    ),
)
_FOLLOW_UP_FOR_INTENT = {
    intents.ASK_NALOXONE: FollowUp.NO_NALOXONE,
    intents.ASK_NALOXONE_HOWTO: FollowUp.GIVE_NALOXONE,
    intents.ASK_NALOXONE_SIGNS: FollowUp.SIGNS,
    intents.ASK_NALOXONE_RECOVERY_POSITION: FollowUp.RESCUE_BREATHS,
    intents.ASK_GOOD_SAMARITAN: FollowUp.POLICE,
}
_ASKS_ABOUT_CALLING = re.compile(r"\b(911|call|calling|llamar|llamo)\b", re.I)


def classify(message: str, intent: str | None, names_state: bool) -> FollowUp:
    """What a message during an emergency asks for: its words first, then the classifier's intent."""
    text = normalize(message)
    for kind, pattern in _FOLLOW_UPS:
        if pattern.search(text):
            return kind
    if intent in _FOLLOW_UP_FOR_INTENT:
        return _FOLLOW_UP_FOR_INTENT[intent]
    if names_state:
        return FollowUp.STATE_GIVEN
    if intent == intents.EMERGENCY or looks_like_emergency(message):
        return FollowUp.NEW_EMERGENCY
    return FollowUp.WHAT_NOW


def continues_emergency(intent: str | None, seconds_since_emergency: float | None, window_minutes: float) -> bool:
    """Whether a message belongs to the emergency the conversation is in.

    `seconds_since_emergency` is the time since the bot's last emergency answer, or None
    when there is none (or another answer came after it: the subject changed).
    """
    if intent == intents.EMERGENCY:
        return True
    if seconds_since_emergency is None or seconds_since_emergency > window_minutes * 60:
        return False
    return intent not in SUBJECT_CHANGES


def guide_from_files() -> GuideInfo | None:
    """The steps guide as data/resources/guides.yaml has it (what the database is built from)."""
    document = yaml.safe_load((DEFAULT_DATA_DIR / "guides.yaml").read_text(encoding="utf-8")) or {}
    for record in document.get("guides", []):
        if record.get("id") == EMERGENCY_GUIDE:
            sources = tuple(
                Source(c["url"], c["title"], c["publisher"], dt.date.fromisoformat(str(c["accessed"])))
                for c in record.get("citations", [])
            )
            return GuideInfo(
                EMERGENCY_GUIDE,
                record["kind"],
                record["topic"],
                record["title"],
                record["summary"],
                tuple(record.get("steps") or ()),
                dt.date.fromisoformat(str(record["last_verified"])),
                sources,
                dict(record.get("translations") or {}),
            )
    return None


def steps_answer(guide: GuideInfo | None, language: str, compact: bool = False) -> Answer:
    """ "Call 911 now." and the guide's steps (or, with no guide at all, that line alone)."""
    lead = texts.text("emergency.call_now", language)
    if guide is None:
        return Answer(paragraphs=[lead], sms_paragraphs=[lead], urgent=True, language=language)
    guide = guide.localized(language)
    if compact:  # the steps again, shorter: one paragraph, no summary, no numbers
        line = " ".join(guide.steps)
        return Answer(paragraphs=[lead, line], sms_paragraphs=[lead, line], urgent=True, language=language)
    return Answer(
        paragraphs=[lead],
        steps=list(guide.steps),
        sources=list(guide.sources[:1]),
        sms_paragraphs=[lead],
        urgent=True,
        language=language,
    )


def emergency_turn(
    session: Session | None,
    message: str,
    intent: str | None,
    state: str | None,
    names_state: bool,
    language: str,
    steps_sent: bool,
    continuing: bool,
) -> list[Answer]:
    """The answers for one message of an emergency, in order.

    `steps_sent`: the channel already sent "Call 911 now." and the steps for this message.
    `continuing`: the bot's previous answer was part of this emergency.
    Without a database (`session` None) the steps come from data/resources.
    """
    kind = classify(message, intent, names_state)
    guide_of = (lambda key: get_guide(session, key)) if session is not None else (lambda key: None)
    steps_guide = guide_of(EMERGENCY_GUIDE) or guide_from_files()
    answers: list[Answer] = []
    wants_steps = kind in (FollowUp.NEW_EMERGENCY, FollowUp.WHAT_NOW) or not continuing
    if wants_steps and not steps_sent:
        answers.append(steps_answer(steps_guide, language, compact=continuing))
    if kind in (FollowUp.NEW_EMERGENCY, FollowUp.WHAT_NOW):
        if not continuing:
            answers.append(_law_answer(session, state, language))
        elif steps_sent or answers:
            answers.append(Answer(paragraphs=[texts.text("emergency.stay_on_line", language)], language=language))
    elif kind in (FollowUp.POLICE, FollowUp.STATE_GIVEN):
        if continuing and not steps_sent and kind is FollowUp.POLICE:
            answers.insert(0, steps_answer(steps_guide, language, compact=True))
        answers.append(_law_answer(session, state, language, full=True))
    else:
        guide = guide_of(kind.value)
        if guide is not None:
            lead = (
                [texts.text("emergency.still_call_911", language)]
                if (kind is FollowUp.AFTER_NALOXONE and _ASKS_ABOUT_CALLING.search(message))
                else []
            )
            answers.append(_guide_answer(guide, language, lead))
    return [answer for answer in answers if answer is not None]


def _guide_answer(guide: GuideInfo, language: str, lead: list[str]) -> Answer:
    guide = guide.localized(language)
    return Answer(
        paragraphs=lead + [guide.summary],
        steps=list(guide.steps),
        sources=list(guide.sources[:1]),
        sms_paragraphs=lead,
        urgent=True,
        language=language,
    )


def _law_answer(session: Session | None, state: str | None, language: str, full: bool = False) -> Answer:
    """What the state's 911 Good Samaritan law protects, or a request for the state."""
    profile = get_profile(session, state, "good_samaritan") if session is not None and state else None
    if state is None or profile is None or profile.fields.get("has_law") is None:
        ask = texts.text("emergency.ask_state", language)
        return Answer(paragraphs=[ask], sms_paragraphs=[ask], language=language)
    profile = profile.localized(language)
    label = texts.text("emergency.state_law_label", language, state=jurisdiction_name(state))
    line = about_state(state, profile.sms_summary, label)
    bullets = good_samaritan_coverage(profile.fields, language) if full else []
    return Answer(
        paragraphs=[line],
        bullets=bullets,
        sources=list(profile.sources[:1]),
        sms_paragraphs=[line],
        urgent=True,
        language=language,
    )
