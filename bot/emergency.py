"""Deterministic overdose-in-progress detection that backs the NLU classifier.

Missing an emergency is the worst failure this product can have, so any message that
may describe an overdose happening now is flagged, even when the classifier is unsure.
A few plainly informational phrasings ("signs of an overdose", "if I call 911 will I
get arrested") are not flagged, so the bot can answer the question asked.
"""

from __future__ import annotations

import re

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
    r"\b(is|are|he'?s|hes|she'?s|shes|looks?|went|going|getting|turning|turned) (blue|purple|gray|grey)\b",
    r"\b(od'?ing|o\.d\.?'?ing|oding|overdosing|odding)\b",
    r"\b(od'd|o\.d\.?'?d|overdosed|odd out|od'ed|oded)\b",
    r"(having|having an|is having an?|in an?) (od|o\.d\.|overdose)\b",
    r"\b(is|he|she|they|friend|someone|just|bro|dude)( is)? (od|o\.d\.)(?!')\b",
    r"\b(od|overdose|overdosing)( is)? (happening|in progress|right now|rn)\b",
    r"^\W*(help\W+)*(od|o\.d\.?|overdose|overdosing|911)\W*$",
    r"\b(fell|passed) out\b.*\b(snor|gurgl|breath|blue|wake|respond|dope|fent|pills?|shot|using|needle|rig|syringe)",
    r"too much\b.*\bpassed out|\bpassed out\b.*too much",
    r"(snoring|gurgling|choking) (sound|noise|weird|funny|strange)",
    r"\bgasping\b|\bout cold\b",
    r"breathing (like |only |maybe )?(\d+|one|two|three|four) (times|breaths)",
    r"\b(he'?s|hes|she'?s|shes|they'?re|guy is|friend is|someone is|somebody is) dying\b|\bdying in front of\b",
    r"(gurgling|foaming at the mouth|pinpoint pupils)|\bfoam\w*\b.*\bmouth\b",
    r"\bno (pulse|heartbeat)\b",
    r"\b(limp|lifeless|cold and blue|collapsed)\b|\blooks? dead\b",
    r"\b(not|isn'?t|isnt|stopped|won'?t|wont) moving\b",
    r"narcan\b.*\bstill (out|down|under|not)\b",
    # Spanish
    r"no responde|no respira|no despierta|sobredosis|labios azules|est[aá] morado|se desmay[oó]|se est[aá] muriendo",
]
_EMERGENCY = re.compile("|".join(f"(?:{pattern})" for pattern in _SIGNS), re.IGNORECASE)

# Questions about the topic rather than a person in danger now.
_INFORMATIONAL = re.compile(
    r"(signs?|symptoms?) of (an? )?(opioid )?(od|overdose)"
    r"|(signs?|symptoms?)\b.*\b(od|overdos)"
    r"|difference between"
    r"|\blast time\b"
    r"|\b(i|we) called 911\b"
    # "if someone is overdosing" asks in general; "if he is oding" may be happening now.
    r"|\bif (someone|somebody|a person|people|u|you)( is| are|'s|s)? (od|o\.d\.|overdos)"
    r"|how (do|can|would) (i|you|u|we) (know|tell|recogni[sz]e)"
    r"|what (does|do) (an? )?(od|overdose) look like"
    r"|\b(if|when) (i|we|u|you) call 911"
    r"|good samaritan"
    r"|\b(died|passed away|lost)\b.*\b(last|ago|years?|months?)\b"
    r"|\b(last|ago)\b.*\b(died|passed away)\b",
    re.IGNORECASE,
)


# Words that put the danger in the present even inside a question about the law
# ("will i get arrested if i call 911 my friend is not breathing").
_NOW = re.compile(r"\b(rn|right now|hurry)\b|911\W+my \w+ (is|isn'?t|isnt) ", re.IGNORECASE)


def looks_like_emergency(message: str) -> bool:
    """True when the message may describe an overdose happening now."""
    text = message.replace("’", "'")
    if not _EMERGENCY.search(text):
        return False
    return bool(_NOW.search(text)) or not _INFORMATIONAL.search(text)
