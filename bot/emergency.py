"""Deterministic overdose-in-progress detection that backs the NLU classifier.

Missing an emergency is the worst failure this product can have, so any message that
may describe an overdose happening now is flagged, even when the classifier is unsure.
Three kinds of message that mention an overdose are *not* flagged, so the bot can answer
the question asked: questions about the topic ("signs of an overdose", "if I call 911
will I get arrested"), past events ("my teen od'd last month and survived"), and pasted
news ("...was found unresponsive, police said"). Words that put the danger in the present
("right now", "he isn't breathing") win over all three: when in doubt, it is an emergency.

Every check runs in time linear in the message length (a 100 KB message is checked in
milliseconds): patterns never put an unbounded `.*` between two parts; "A, then later B"
is two searches, the second starting after the first A.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Signs that someone may be overdosing. Accents are removed before matching, so the
# Spanish patterns are written without them.
_SIGNS = [
    r"(not|n'?t|no|barely|stopped|stop|trouble|hard to|can'?t) ?(be )?breath(e|ing)?",
    r"(isnt|isn't|wasnt|wasn't|aint|ain'?t) breathing",
    r"breathing (is )?(\w+ )?(weird|slow|shallow|funny|strange|bad|wrong)",
    r"(won'?t|wont|can'?t|cant|cannot|not|will not|couldn'?t) (wake|waking|come to)",
    r"(wake|waking) (him|her|them|it) up",
    r"(can'?t|cant|cannot|couldn'?t) get (him|her|them) (up|to wake)",
    r"get (him|her|them|my \w+) to (wake|come to|respond)",
    r"wak(e|ing) (up )?(won'?t|wont|isn'?t|isnt|is not|not) work",
    r"unresponsive|not responding|not responsive|won'?t respond|wont respond|isn'?t responding|isnt responding|unconscious",
    r"(blue|purple|gray|grey) (lips|face|fingers|nails|skin)",
    r"(lips|face|skin|fingers?|nails) ((?!turn\b)\w+ ){0,2}(blue|purple|gray|grey)\b",
    r"\b(is|are|he'?s|hes|she'?s|shes|looks?|went|going|getting|turning|turnin'?|turned) (blue|purple|gray|grey)\b",
    r"\b(od'?ing|o\.d\.?'?ing|oding|overdosing|odding|overdoseing|overdosin|odin)\b",
    r"\b(od'd|o\.d\.?'?d|overdosed|odd out|od'ed|oded|overdosd)\b",
    r"(having|having an|is having an?|in an?) (od|o\.d\.|overdose)\b",
    r"\b(is|he|she|they|friend|someone|just|bro|dude)( is)? (od|o\.d\.)(?!')\b",
    r"\b(od|overdose|overdosing)( is)? (happening|in progress|right now|rn)\b",
    r"^\W*(help\W+)*(od|o\.d\.?|overdose|overdosing|911)\W*$",
    r"(snoring|gurgling|choking) (sound|noise|weird|funny|strange)",
    r"\bgasping\b|\bout cold\b",
    r"breathing (like |only |maybe )?(\d+|one|two|three|four) (times|breaths)",
    r"\b(he'?s|hes|she'?s|shes|they'?re|guy is|friend is|someone is|somebody is) dying\b|\bdying in front of\b",
    r"gurgl\w*|foaming at the mouth|pinpoint pupils",
    r"\b(cant|can'?t|cannot|don'?t|dont) (feel|hear|see|find) (his|her|their|a|any) (breath|breathing|pulse|heartbeat)\b",
    r"\bstill (blue|purple|gray|grey|out|unresponsive|unconscious|not breathing|not responding|not waking)\b",
    r"\bno (pulse|heartbeat)\b",
    # Naloxone was just needed: the overdose is happening or has just happened.
    r"\b(gave|sprayed|hit) (him|her|them|my \w+) (with )?(some |the )?(narcan|naloxone)\b"
    r"|\b(just )?(used|gave) (the |some )?(narcan|naloxone) on\b"
    r"|\b(narcan|naloxone) (worked|is working|kicked in|brought (him|her|them) back)\b"
    r"|\b(woke|came) (up|to|back|around) after (the |some )?(narcan|naloxone)\b"
    r"|\b(le (di|puse|dimos) (la )?|use la )(narcan|naloxona)\b",
    r"\b(limp|lifeless|cold and blue|collapsed)\b|\blooks? dead\b",
    r"\b(not|isn'?t|isnt|stopped|won'?t|wont) moving\b",
    r"\b(he|she|they|hes|shes|he'?s|she'?s|my \w+|friend|someone|somebody|dude|guy|girl|and) (just )?(dropped|went (straight )?down|fell out|hit the floor)\b",
    r"\b(won'?t|wont|can'?t|cant|not|will not) (open|opening) (his|her|their) eyes\b",
    # Spanish
    r"no responde|no respira|no reacciona|no despierta|no se despierta|no puedo despertarl[oa]|sobredosis"
    r"|no (esta|puede) respira\w*|esta inconsciente"
    r"|labios (azules|morados)|esta (morad[oa]|azul|gris)|se desmayo|se esta muriendo"
    r"|se (puso|esta poniendo|ha puesto) (azul|morad[oa]|gris)|no (le )?(siento|encuentro|tiene) (el )?pulso"
    r"|espuma por la boca|no se mueve|no abre los ojos|roncando (raro|fuerte|extrano)|gargaras"
    r"|convulsiona\w*|sobredosifica\w*|\b(tiene|esta teniendo) (un|una) (overdose|od)\b",
]
# "A, then later B" (each pair is checked with two linear searches).
_SEQUENCES = [
    (
        r"\b(fell|passed) out\b",
        r"\b(snor|gurgl|breath|blue|wake|respond|dope|fent|pills?|shot|using|needle|rig|syringe)",
    ),
    (r"\btoo much\b", r"\bpassed out"),
    (r"\bpassed out\b", r"\btoo much\b"),
    (r"\bfoam\w*\b", r"\bmouth\b"),
    (r"\bnarcan\b", r"\bstill (out|down|under|not)\b"),
]

# Questions about the topic rather than a person in danger now.
_INFORMATIONAL = [
    r"(signs?|symptoms?) of (an? )?(opioid )?(od|overdose)",
    r"difference between",
    r"\blast time\b",
    r"\b(i|we) called 911\b",
    # "if someone is overdosing" asks in general; "if he is oding" may be happening now.
    r"\bif (someone|somebody|a person|people|u|you)( is| are|'s|s)? (od|o\.d\.|overdos)",
    r"how (do|can|would) (i|you|u|we) (know|tell|recogni[sz]e)",
    r"what (does|do) (an? )?(od|overdose) look like",
    r"\b(if|when) (i|we|u|you) call 911|\bsi (llamo|llamamos|llama|llaman|reporto|reportamos|reporta|entro)\b",
    r"good samaritan",
    # "if i give narcan to somebody oding, am i protected": a question about the law, in general terms
    r"\bif (i|we|you|u) (give|gave|use|used|spray) (narcan|naloxone|it) (to|on) (someone|somebody|a person|anyone|people)\b",
    r"\b(como|cuales son los) (se ve|senales|sintomas)|\b(senal|senales|sintomas|signos) de\b"
    r"|\bsi (alguien|una persona|uno) (tiene|esta teniendo) una sobredosis|buena samaritana?|\bley del buen samaritano"
    r"|\bprevencion de (las? )?sobredosis",  # "centro de prevencion de sobredosis": a service, not an overdose
]
_INFORMATIONAL_SEQUENCES = [(r"\b(signs?|symptoms?)\b", r"\b(od|overdos)")]

# A question in general terms ("can someone od again after narcan wears off"): asked as a
# question and about nobody in particular. A question about "him", "my friend" or "i" may be
# about a person in danger now, so it stays an emergency.
_QUESTION = r"^\W*(what|whats|why|how|when|where|which|who|is|are|do|does|did|can|could|should|would|will|if|any|que|como|cuando|por que|es|donde|cual|cuales|quien|puedo|pueden|se puede|debo)\b|\?"
_SOMEONE_IN_PARTICULAR = (
    r"\b(my|mi|he|she|him|her|his|hes|shes|he'?s|she'?s|they'?re|i|im|i'?m|we|us|this|that|friend|bf|gf|boyfriend|girlfriend"
    r"|roommate|husband|wife|daughter|mom|dad|brother|sister|bro|dude|buddy|guy|girl|client|patient|amig[oa]|hij[oa]|esposo|esposa)\b"
)

# An overdose that is over: a time well in the past, or how it ended.
_PAST = [
    r"\b(last|past|this past) (week|month|year|summer|spring|fall|autumn|winter|weekend|christmas)\b",
    r"\b(\d+|a|an|one|two|three|few|couple( of)?|several) (days?|weeks?|wks?|months?|mos?|years?|yrs?) ago\b",
    r"\b(back )?in (january|february|march|april|may|june|july|august|september|october|november|december)\b",
    r"\b(years|months|weeks) back\b|\ba while (ago|back)\b|\bback in (19|20)\d\d\b|\bin (19|20)\d\d\b",
    r"\b(survived|recovered|made it|lived|was saved|came home|got out of the hospital|was in the hospital|passed away)\b",
    r"\bused to\b|\bhas (had|overdosed) (before|twice|\d+ times)\b|\bin the past\b",
    r"\b(el (mes|ano) pasado|la semana pasada|hace (\d+|unos|unas|varios|varias|un|una) (dias?|semanas?|mes(es)?|anos?)|sobrevivio)\b",
    r"\b(perdi|murio|fallecio|tuvo una sobredosis)\b|\ben (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b",
]
_PAST_SEQUENCES = [
    (r"\b(died|passed away|lost)\b", r"\b(last|ago|years?|months?)\b"),
    (r"\b(last|ago)\b", r"\b(died|passed away)\b"),
]
# Pasted news: reported speech about someone else.
_NEWS = [
    r"\b(police|officials|authorities|deputies|investigators|coroner|medical examiner|sheriff'?s? office|officers?|spokesperson|spokesman|spokeswoman)"
    r" (said|say|says|reported|report|confirmed|found|responded)\b",
    r"\baccording to\b|\bwas pronounced dead\b|\b(was|were) found (dead|unresponsive|unconscious)\b",
]

# Words that put the danger in the present, even inside a question about the law ("will i
# get arrested if i call 911 my friend is not breathing") or after a past event.
_NOW = [
    r"\b(rn|right now|hurry|asap|emergency|ahorita|ahora mismo|urgente)\b",
    r"911\W+my \w+ (is|isn'?t|isnt) ",
    r"(?<!if )\b(he'?s|hes|she'?s|shes|they'?re|he is|she is|they are|is still|are still|still|now|currently)( not)?"
    r" (breathing|waking|responding|moving|unresponsive|unconscious|blue|purple|gray|grey|gurgling|snoring|overdosing|oding|od'?ing)\b",
    r"\b(isnt|isn'?t|is not|aren'?t|arent|won'?t|wont|can'?t|cant)( be)? (breathing|waking|wake|responding|respond|moving|come to)\b",
    r"\b(ya )?no (respira|reacciona|responde|despierta|se despierta|se mueve)\b|\b(esta|se esta) muriendo\b",
    r"^\W*(help|ayuda)\b|\b(help|ayuda|ayudame)\W*$|\bplease help\b|\bhelp me\b|\bayudame\b",
]


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def _compile_pairs(pairs: list[tuple[str, str]]) -> list[tuple[re.Pattern, re.Pattern]]:
    return [(re.compile(first, re.IGNORECASE), re.compile(then, re.IGNORECASE)) for first, then in pairs]


@dataclass(frozen=True)
class _Check:
    """Any of `patterns`, or any "first, then later" pair, found in the text."""

    patterns: re.Pattern
    sequences: tuple[tuple[re.Pattern, re.Pattern], ...] = ()

    def found(self, text: str) -> bool:
        if self.patterns.search(text):
            return True
        for first, then in self.sequences:
            start = first.search(text)  # the earliest match leaves the most text for `then`
            if start and then.search(text, start.end()):
                return True
        return False


SIGNS = _Check(_compile(_SIGNS), tuple(_compile_pairs(_SEQUENCES)))
INFORMATIONAL = _Check(_compile(_INFORMATIONAL), tuple(_compile_pairs(_INFORMATIONAL_SEQUENCES)))
PAST_OR_NEWS = _Check(_compile(_PAST + _NEWS), tuple(_compile_pairs(_PAST_SEQUENCES)))
NOW = _Check(_compile(_NOW))
QUESTION = _Check(_compile([_QUESTION]))
SOMEONE_IN_PARTICULAR = _Check(_compile([_SOMEONE_IN_PARTICULAR]))


def normalize(message: str) -> str:
    """Plain apostrophes, no accents, one space between words: what the patterns expect."""
    text = message.replace("’", "'").replace("‘", "'")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.split())


def mentions_overdose_signs(message: str) -> bool:
    """The message names a sign of an overdose, whatever its tense or purpose."""
    return SIGNS.found(normalize(message))


def looks_like_emergency(message: str) -> bool:
    """True when the message may describe an overdose happening now."""
    text = normalize(message)
    if not SIGNS.found(text):
        return False
    if NOW.found(text):
        return True
    general_question = QUESTION.found(text) and not SOMEONE_IN_PARTICULAR.found(text)
    return not (general_question or INFORMATIONAL.found(text) or PAST_OR_NEWS.found(text))


def is_known_non_emergency(message: str) -> bool:
    """The message names overdose signs, but as a question, a past event or news.

    The NLU classifier's own `emergency_overdose` guess is overruled only then; a message
    with no sign at all keeps whatever the classifier said (when in doubt, an emergency).
    """
    text = normalize(message)
    return SIGNS.found(text) and not looks_like_emergency(message)
